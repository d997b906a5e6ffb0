"""Ragged ops of TensorFlow's "Ragged tensors" guide: tile, map_fn over rows, merge_dims,
bounding_shape, from_sparse, uniform rows, the mean of integers, ragged ids in lookups and
strings.join, ragged arguments of tf.function and Keras models."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import gpuflow as tf

DIGITS = [[3, 1, 4, 1], [], [5, 9, 2], [6], []]


def test_tile_repeats_within_rows_then_rows():
    rt = tf.ragged.constant(DIGITS)
    assert tf.tile(rt, [2, 2]).to_list() == [r * 2 for r in DIGITS] * 2
    nested = tf.ragged.constant([[[1, 2], [3]], [[4]]])
    assert tf.tile(nested, [1, 2, 2]).to_list() == [
        [[1, 2, 1, 2], [3, 3], [1, 2, 1, 2], [3, 3]],
        [[4, 4], [4, 4]],
    ]
    inner = tf.ragged.constant([[[1, 2], [3, 4]], [[5, 6]]], ragged_rank=1)
    assert tf.tile(inner, [1, 1, 2]).to_list() == [[[1, 2, 1, 2], [3, 4, 3, 4]], [[5, 6, 5, 6]]]
    with pytest.raises(tf.errors.InvalidArgumentError, match="tile: multiples"):
        tf.tile(rt, [2])


def test_tile_is_differentiable_in_the_values():
    values = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        tape.watch(values)
        rt = tf.RaggedTensor.from_row_lengths(values, [2, 1])
        total = tf.reduce_sum(tf.tile(rt, [3, 2]).flat_values)
    assert tape.gradient(total, values).numpy().tolist() == [6.0, 6.0, 6.0]


def test_map_fn_over_ragged_rows():
    rt = tf.ragged.constant([[3, 1, 4, 1], [2], [5, 9, 2]])
    squared = tf.map_fn(tf.math.square, rt)
    assert isinstance(squared, tf.RaggedTensor)
    assert squared.to_list() == [[9, 1, 16, 1], [4], [25, 81, 4]]
    sums = tf.map_fn(tf.reduce_sum, rt, fn_output_signature=tf.int32)
    assert sums.numpy().tolist() == [9, 2, 16]
    with pytest.raises(tf.errors.InvalidArgumentError, match="map_fn: fn returned a scalar"):
        tf.map_fn(tf.reduce_sum, rt)
    ranges = tf.map_fn(
        tf.range,
        tf.constant([1, 3]),
        fn_output_signature=tf.RaggedTensorSpec(shape=[None], dtype=tf.int32),
    )
    assert ranges.to_list() == [[0], [0, 1, 2]]


def test_merge_dims():
    rt = tf.ragged.constant([[[1, 2], [3]], [[4, 5, 6]], [], [[7], [], [8, 9]]])
    assert rt.merge_dims(0, 1).to_list() == [[1, 2], [3], [4, 5, 6], [7], [], [8, 9]]
    assert rt.merge_dims(1, 2).to_list() == [[1, 2, 3], [4, 5, 6], [], [7, 8, 9]]
    assert rt.merge_dims(-2, -1).to_list() == rt.merge_dims(1, 2).to_list()
    assert rt.merge_dims(0, 2).numpy().tolist() == list(range(1, 10))
    uniform = tf.RaggedTensor.from_row_lengths(tf.reshape(tf.range(24), [6, 2, 2]), [2, 0, 4])
    assert uniform.merge_dims(1, 3).to_list() == [list(range(8)), [], list(range(8, 24))]
    assert uniform.merge_dims(2, 3).to_list()[0] == [[0, 1, 2, 3], [4, 5, 6, 7]]
    with pytest.raises(tf.errors.InvalidArgumentError, match="must not come after"):
        rt.merge_dims(2, 1)


def test_bounding_shape_and_nested_row_lengths():
    rt = tf.RaggedTensor.from_nested_row_lengths(
        tf.range(10), nested_row_lengths=([1, 0, 4], [3, 0, 2, 4, 1])
    )
    assert rt.bounding_shape().numpy().tolist() == [3, 4, 4]
    assert rt.bounding_shape(axis=1).numpy() == 4
    assert rt.bounding_shape().dtype == tf.int64
    assert rt.bounding_shape(out_type=tf.int32).dtype == tf.int32
    assert [x.numpy().tolist() for x in rt.nested_row_lengths()] == [[1, 0, 4], [3, 0, 2, 4, 1]]
    inner = tf.RaggedTensor.from_row_lengths(tf.zeros([3, 5]), [1, 2])
    assert inner.bounding_shape().numpy().tolist() == [2, 2, 5]


def test_from_sparse_round_trip_and_order_check():
    rt = tf.ragged.constant([[1, 2, 3], [4], [], [5, 6]])
    back = tf.RaggedTensor.from_sparse(rt.to_sparse())
    assert back.to_list() == rt.to_list()
    st = tf.SparseTensor([[1, 0], [0, 0]], [1, 2], [3, 2])
    with pytest.raises(tf.errors.InvalidArgumentError, match="row-major order"):
        tf.RaggedTensor.from_sparse(st)
    trailing = tf.SparseTensor([[0, 0]], [7], [3, 4])
    assert tf.RaggedTensor.from_sparse(trailing).to_list() == [[7], [], []]


def test_uniform_row_length_shows_in_the_shape():
    rt = tf.RaggedTensor.from_uniform_row_length(tf.range(6), 2)
    assert rt.shape.as_list() == [3, 2]
    assert int(rt.uniform_row_length) == 2
    assert (rt * 2).shape.as_list() == [3, 2]
    assert tf.ragged.constant([[1], [2, 3]]).uniform_row_length is None


def test_mean_of_integer_rows_is_float64_as_tensorflow():
    mean = tf.reduce_mean(tf.ragged.constant(DIGITS), axis=1)
    assert mean.dtype == tf.float64
    got = mean.numpy()
    assert got[0] == 2.25 and got[2] == pytest.approx(16 / 3) and np.isnan(got[1])
    small = tf.reduce_mean(tf.ragged.constant([[1, 2]], dtype=tf.int16), axis=1)
    assert small.dtype == tf.float32 and small.numpy().tolist() == [1.5]
    assert tf.reduce_mean(tf.ragged.constant([[1, 2], [3]])).numpy() == 2.0
    with pytest.raises(TypeError, match="reduce_mean: the mean of a RaggedTensor"):
        tf.reduce_mean(tf.ragged.constant([["a"], ["b"]]), axis=1)


def test_lookups_by_ragged_ids_keep_the_rows():
    table = tf.reshape(tf.range(12.0), [6, 2])
    ids = tf.ragged.constant([[0, 5], [], [2]])
    looked = tf.nn.embedding_lookup(table, ids)
    assert looked.to_list() == [[[0.0, 1.0], [10.0, 11.0]], [], [[4.0, 5.0]]]
    assert tf.gather(table, ids).to_list() == looked.to_list()


def test_zeros_like_ones_like_and_strings_join_of_ragged():
    rt = tf.ragged.constant([[1, 2], [3]])
    assert tf.zeros_like(rt).to_list() == [[0, 0], [0]]
    assert tf.ones_like(rt, dtype=tf.float32).to_list() == [[1.0, 1.0], [1.0]]
    words = tf.ragged.constant([["a", "b"], ["c"]])
    joined = tf.strings.join([words, words], separator="+")
    assert joined.to_list() == [[b"a+a", b"b+b"], [b"c+c"]]
    assert tf.strings.join([words, "!"]).to_list() == [[b"a!", b"b!"], [b"c!"]]
    with pytest.raises(tf.errors.InvalidArgumentError, match="strings.join"):
        tf.strings.join([words, tf.ragged.constant([["x"], ["y", "z"]])])


def test_function_with_ragged_arguments_and_signature():
    @tf.function(input_signature=[tf.RaggedTensorSpec(shape=[None, None], dtype=tf.int32)])
    def row_sums(rt):
        return tf.reduce_sum(rt, axis=1)

    with pytest.warns(RuntimeWarning, match="runs eagerly"):
        assert row_sums(tf.ragged.constant([[1, 2], [3, 4, 5]])).numpy().tolist() == [3, 12]
    assert row_sums(tf.ragged.constant([[1], [], [7]])).numpy().tolist() == [1, 0, 7]
    with pytest.raises(TypeError, match="not compatible"):
        row_sums(tf.ragged.constant([[1.0]]))
    spec = tf.RaggedTensorSpec(shape=[None, None], dtype=tf.int32)
    assert spec.is_compatible_with(tf.ragged.constant([[1], [2, 3]]))
    assert not spec.is_compatible_with(tf.ragged.constant([[[1]]]))
    assert spec.value_type is tf.RaggedTensor


def test_keras_models_take_ragged_inputs():
    ids = tf.ragged.constant([[1, 2, 3], [4], [5, 6]], dtype=tf.int64)
    labels = tf.constant([1.0, 0.0, 1.0])
    inp = tf.keras.Input(shape=(None,), dtype=tf.int64, ragged=True)
    pooled = tf.keras.layers.GlobalAveragePooling1D()(tf.keras.layers.Embedding(10, 4)(inp))
    model = tf.keras.Model(inp, tf.keras.layers.Dense(1)(pooled))
    table = model.layers[1].embeddings
    manual = tf.reduce_mean(tf.gather(table, ids), axis=1)
    np.testing.assert_allclose(model(ids).numpy(), model.layers[-1](manual).numpy(), atol=1e-6)
    model.compile(loss=tf.keras.losses.BinaryCrossentropy(from_logits=True), optimizer="adam")
    with pytest.warns(UserWarning, match="runs eagerly"):
        history = model.fit(ids, labels, epochs=3, batch_size=2, verbose=0)
    assert len(history.history["loss"]) == 3
    assert model.get_layer(index=0).get_config()["ragged"] is True
    assert not model.inputs[0].sparse and tf.keras.Input(shape=(3,), sparse=True).sparse


def test_reduce_prod_any_all_over_ragged_rows():
    rt = tf.ragged.constant([[1, 2, 3], [4], [], [5, 6]])
    assert tf.reduce_prod(rt, axis=1).numpy().tolist() == [6, 4, 1, 30]
    assert tf.reduce_prod(rt, axis=0).numpy().tolist() == [20, 12, 3]
    assert int(tf.reduce_prod(rt)) == 720
    assert tf.reduce_any(rt > 3, axis=1).numpy().tolist() == [False, True, False, True]
    assert tf.reduce_all(rt > 1, axis=1).numpy().tolist() == [False, True, True, True]
    assert tf.reduce_any(rt > 5, axis=0).numpy().tolist() == [False, True, False]
    values = tf.constant([2.0, 3.0, 4.0])
    with tf.GradientTape() as tape:
        tape.watch(values)
        prods = tf.reduce_prod(tf.RaggedTensor.from_row_lengths(values, [2, 1]), axis=1)
    assert tape.gradient(prods, values).numpy().tolist() == [3.0, 2.0, 1.0]


def test_ragged_equality_floordiv_size_rank_and_row_gather():
    rt = tf.ragged.constant([[1, 2, 3], [4], [], [5, 6]])
    assert (rt == 2).to_list() == [[False, True, False], [False], [], [False, False]]
    assert (rt != 2).to_list()[0] == [True, False, True]
    assert (rt == None) is False  # noqa: E711 - as TensorFlow
    assert (rt // 2).to_list() == [[0, 1, 1], [2], [], [2, 3]]
    assert (rt % 4).to_list()[3] == [1, 2]
    assert int(tf.size(rt)) == 6 and int(tf.rank(rt)) == 2
    assert tf.gather(rt, [3, 0]).to_list() == [[5, 6], [1, 2, 3]]
    assert tf.gather(rt, [-1]).to_list() == [[5, 6]]
    with pytest.raises(tf.errors.InvalidArgumentError, match="row indices must be in"):
        tf.gather(rt, [4])
    with pytest.raises(TypeError, match="RaggedTensor is unhashable"):  # as TF 2.21
        hash(rt)


def test_ragged_equality_is_false_for_operands_that_do_not_broadcast():
    # TF's RaggedTensor.__eq__ docstring: False (a Python bool) where tf.math.equal raises
    rt1, t = tf.ragged.constant([[1, 2], [3]]), tf.constant([[1, 2], [3, 4]])
    assert (rt1 == tf.ragged.constant([[1, 2], [3, 4]])) is False
    assert (rt1 != tf.ragged.constant([[1, 2], [3, 4]])) is True
    assert (rt1 == t) is False and (t == rt1) is False and (rt1 != t) is True
    rt4 = tf.ragged.constant([[1, 2], [3, 4]])  # rows as long as t's: compared value by value
    assert (rt4 == t).to_list() == [[True, True], [True, True]]
    assert (t == rt4).to_list() == [[True, True], [True, True]]
    assert (rt4 != t).to_list() == [[False, False], [False, False]]


def test_row_splits_and_segment_ids():
    ids = tf.ragged.row_splits_to_segment_ids([0, 2, 2, 5])
    assert ids.numpy().tolist() == [0, 0, 2, 2, 2]
    splits = tf.ragged.segment_ids_to_row_splits([0, 0, 2, 2, 2])
    assert splits.numpy().tolist() == [0, 2, 2, 5]
    assert tf.ragged.segment_ids_to_row_splits([0, 1], num_segments=4).numpy().tolist() == [
        0,
        1,
        2,
        2,
        2,
    ]
    padded = tf.ragged.constant([[True], [False, True]]).to_tensor(default_value=True)
    assert padded.numpy().tolist() == [[True, True], [False, True]]


def test_reverse_of_ragged_rows_values_and_inner_axes():
    rt = tf.ragged.constant([[1, 2], [3], [4, 5, 6]])
    assert tf.reverse(rt, [1]).to_list() == [[2, 1], [3], [6, 5, 4]]
    assert tf.reverse(rt, [0]).to_list() == [[4, 5, 6], [3], [1, 2]]
    assert tf.reverse(rt, [-1, 0, 1]).to_list() == [[6, 5, 4], [3], [2, 1]]  # repeats once
    nested = tf.ragged.constant([[[1, 2], [3]], [], [[4], [5, 6], [7]]])
    assert tf.reverse(nested, [1]).to_list() == [[[3], [1, 2]], [], [[7], [5, 6], [4]]]
    assert tf.reverse(nested, [2]).to_list() == [[[2, 1], [3]], [], [[4], [6, 5], [7]]]
    inner = tf.ragged.constant([[[1, 2], [3, 4]], [[5, 6]]], ragged_rank=1)
    assert tf.reverse(inner, [2]).to_list() == [[[2, 1], [4, 3]], [[6, 5]]]
    assert tf.concat([rt, tf.reverse(rt, [1])], 1).to_list() == [
        [1, 2, 2, 1],
        [3, 3],
        [4, 5, 6, 6, 5, 4],
    ]
    with pytest.raises(ValueError, match=r"axis\[0\]=2 out of bounds"):
        tf.reverse(rt, [2])
    v = tf.Variable([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        r = tf.RaggedTensor.from_row_lengths(v * 1.0, [2, 1])
        y = tf.reduce_sum(tf.reverse(r, [1]).flat_values * [1.0, 10.0, 100.0])
    np.testing.assert_array_equal(tape.gradient(y, v).numpy(), [10.0, 1.0, 100.0])


def test_dense_operand_of_size_one_on_the_ragged_axes_broadcasts():
    x = tf.ragged.constant([[[1, 2], [3, 4], [5, 6]], [[7, 8]]], ragged_rank=1)
    assert (x + tf.constant([[10]])).to_list() == [[[11, 12], [13, 14], [15, 16]], [[17, 18]]]
    assert (x + tf.constant([[[10, 20]]])).to_list() == [
        [[11, 22], [13, 24], [15, 26]],
        [[17, 28]],
    ]
    rows = tf.ragged.constant([[1, 2], [3, 4, 5, 6], [7]])
    with pytest.raises(tf.errors.InvalidArgumentError):
        rows + tf.constant([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]])


def test_concrete_function_for_a_ragged_spec_takes_ragged_calls():
    scale = tf.Variable(100.0)

    @tf.function
    def grow(x):
        return x * scale

    cf = grow.get_concrete_function(tf.RaggedTensorSpec(shape=[None, None], dtype=tf.float32))
    assert isinstance(cf.structured_input_signature[0][0], tf.RaggedTensorSpec)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # ragged values run eagerly
        out = cf(tf.ragged.constant([[1.0, 4.0, 3.0], [2.0]]))
    assert out.to_list() == [[100.0, 400.0, 300.0], [200.0]]
