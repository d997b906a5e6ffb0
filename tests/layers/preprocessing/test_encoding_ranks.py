"""Multi-hot and count outputs by input rank (CategoryEncoding, IntegerLookup, Discretization):
expected values from Keras 3.15 on TensorFlow 2.21, pasted in. A rank-0 or rank-1 input is
one sample; one-hot encodes each element."""

import numpy as np

import gpuflow as tf

layers = tf.keras.layers


def _v(x):
    return x.numpy().tolist()


def test_category_encoding_rank0_and_rank1_are_one_sample():
    multi = layers.CategoryEncoding(num_tokens=4, output_mode="multi_hot")
    assert _v(multi(tf.constant(2))) == [0.0, 0.0, 1.0, 0.0]
    assert _v(multi(tf.constant([2, 3]))) == [0.0, 0.0, 1.0, 1.0]
    assert _v(multi(tf.constant([[2], [1]]))) == [[0.0, 0.0, 1.0, 0.0], [0.0, 1.0, 0.0, 0.0]]
    count = layers.CategoryEncoding(num_tokens=4, output_mode="count")
    assert _v(count(tf.constant([2, 3, 3]))) == [0.0, 0.0, 1.0, 2.0]
    assert _v(count(tf.constant([[2, 3], [1, 1]]))) == [[0.0, 0.0, 1.0, 1.0], [0.0, 2.0, 0.0, 0.0]]
    one = layers.CategoryEncoding(num_tokens=4, output_mode="one_hot")
    assert _v(one(tf.constant(2))) == [[0.0, 0.0, 1.0, 0.0]]
    assert _v(one(tf.constant([2, 3]))) == [[0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0]]


def test_category_encoding_output_shapes_follow_keras():
    multi = layers.CategoryEncoding(num_tokens=4, output_mode="multi_hot")
    assert multi.compute_output_shape((None,)) == (4,)
    assert multi.compute_output_shape(()) == (4,)
    assert multi.compute_output_shape((5, 2)) == (5, 4)
    one = layers.CategoryEncoding(num_tokens=4, output_mode="one_hot")
    assert one.compute_output_shape((None,)) == (None, 4)
    assert one.compute_output_shape((5, 1)) == (5, 4)


def test_integer_lookup_binary_is_multi_hot_of_the_whole_vector():
    lookup = layers.IntegerLookup(
        vocabulary=[0, 1, 2, 3], mask_token=None, num_oov_indices=0, output_mode="binary"
    )
    out = lookup(tf.constant(2, tf.int64))
    assert out.dtype == tf.int64 and _v(out) == [0, 0, 1, 0]
    assert _v(lookup(tf.constant([2, 3], tf.int64))) == [0, 0, 1, 1]
    assert _v(lookup(tf.constant([[2], [1]], tf.int64))) == [[0, 0, 1, 0], [0, 1, 0, 0]]


def test_lookup_in_dataset_map_gives_one_vector_per_scalar():
    lookup = layers.IntegerLookup(
        vocabulary=[0, 1, 2, 3], num_oov_indices=0, output_mode="multi_hot"
    )
    ds = tf.data.Dataset.from_tensor_slices(np.array([2, 3, 1], np.int64)).map(lookup)
    assert [tuple(e.shape) for e in ds] == [(4,), (4,), (4,)]


def test_functional_model_on_scalar_ids_follows_keras():
    ids = tf.keras.Input(shape=(), dtype="int64")
    out = layers.IntegerLookup(vocabulary=[0, 1, 2, 3], num_oov_indices=0, output_mode="count")(ids)
    assert tuple(out.shape) == (4,)
    model = tf.keras.Model(ids, out)
    assert model.predict(np.array([2, 3, 3]), verbose=0).tolist() == [0, 0, 1, 2]


def test_discretization_count_of_a_vector():
    disc = layers.Discretization(bin_boundaries=[0.5, 1.5], output_mode="count")
    assert _v(disc(tf.constant([0.1, 2.0, 2.0]))) == [1.0, 0.0, 2.0]
    assert _v(disc(tf.constant(2.0))) == [0.0, 0.0, 1.0]


def test_discretization_compares_integer_data_with_the_float_boundaries():
    disc = layers.Discretization(bin_boundaries=[44.5, 50.0, 60.7])
    ages = np.array([44, 45, 50, 60, 61])
    assert _v(disc(tf.constant(ages))) == [0, 1, 2, 2, 3]  # 44 < 44.5, 60 < 60.7
    assert _v(disc(tf.constant(ages.astype("float32")))) == [0, 1, 2, 2, 3]
