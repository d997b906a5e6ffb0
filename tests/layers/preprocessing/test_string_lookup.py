"""keras.layers.StringLookup; expected values from Keras 3 on TensorFlow 2.21, pasted in."""

import numpy as np
import pytest

import gpuflow as tf

keras = tf.keras
V = ["a", "b", "c"]


def _v(x):
    return x.numpy().tolist()


def test_int_mode_oov_and_mask():
    out = keras.layers.StringLookup(vocabulary=V)(["a", "z", "c"])
    assert out.dtype == tf.int64 and _v(out) == [1, 0, 3]
    assert _v(keras.layers.StringLookup(vocabulary=V)([["a", "z"], ["c", "b"]])) == [[1, 0], [3, 2]]
    assert _v(keras.layers.StringLookup(vocabulary=V, mask_token="")(["a", "", "z"])) == [2, 0, 1]
    assert keras.layers.StringLookup(vocabulary=V)("a").numpy() == 1


def test_several_oov_indices_hash_as_keras():
    layer = keras.layers.StringLookup(vocabulary=V, num_oov_indices=2)
    assert _v(layer(["a", "z", "hello", "y"])) == [2, 1, 0, 1]  # FarmHash64, as Keras/TF
    salted = keras.layers.StringLookup(vocabulary=V, salt=7, num_oov_indices=3)
    assert _v(salted(["z", "hello", "y"])) == [0, 2, 2]  # SipHash keyed by [7, 7]


def test_no_oov_indices_is_an_error():
    with pytest.raises(tf.errors.InvalidArgumentError, match="num_oov_indices=0"):
        keras.layers.StringLookup(vocabulary=V, num_oov_indices=0)(["a", "z"])


def test_encodings():
    one_hot = keras.layers.StringLookup(vocabulary=V, output_mode="one_hot")
    assert _v(one_hot(["a", "z"])) == [[0, 1, 0, 0], [1, 0, 0, 0]]
    assert _v(one_hot([["a"], ["z"]])) == [[0, 1, 0, 0], [1, 0, 0, 0]]
    multi = keras.layers.StringLookup(vocabulary=V, output_mode="multi_hot")
    assert _v(multi([["a", "b"], ["z", "z"]])) == [[0, 1, 1, 0], [1, 0, 0, 0]]
    assert _v(multi(["a", "b"])) == [0, 1, 1, 0]  # a rank-1 input is one sample
    count = keras.layers.StringLookup(vocabulary=V, output_mode="count")
    assert _v(count([["a", "a"], ["z", "c"]])) == [[0, 2, 0, 0], [1, 0, 0, 1]]
    masked = keras.layers.StringLookup(vocabulary=V, output_mode="multi_hot", mask_token="")
    assert _v(masked([["a", ""], ["z", "c"]])) == [[0, 1, 0, 0], [1, 0, 0, 1]]
    assert masked.get_vocabulary() == ["[UNK]", "a", "b", "c"]
    padded = keras.layers.StringLookup(
        vocabulary=V, output_mode="multi_hot", pad_to_max_tokens=True, max_tokens=6
    )
    assert _v(padded([["a", "b"]])) == [[0, 1, 1, 0, 0, 0]]
    assert one_hot(["a"]).dtype == tf.int64  # as Keras 3 on TensorFlow


def test_tf_idf_given_and_adapted():
    given = keras.layers.StringLookup(
        vocabulary=V, output_mode="tf_idf", idf_weights=[0.5, 1.0, 2.0]
    )
    out = given([["a", "a"], ["z", "c"]])
    assert out.dtype == tf.float32
    np.testing.assert_allclose(out.numpy(), [[0, 1, 0, 0], [1.1666666269302368, 0, 0, 2]])
    learned = keras.layers.StringLookup(output_mode="tf_idf")
    learned.adapt([["a", "b"], ["a", "a"], ["c", "a"]])
    assert learned.get_vocabulary() == ["[UNK]", "a", "c", "b"]
    idf = [0.79739910364151, 0.5596157908439636, 0.9162907600402832, 0.9162907600402832]
    np.testing.assert_allclose(learned.idf_weights.numpy(), idf, rtol=1e-6)
    np.testing.assert_allclose(
        learned([["a", "b", "z"]]).numpy(), [[idf[0], idf[1], 0.0, idf[3]]], rtol=1e-6
    )


def test_invert():
    assert _v(keras.layers.StringLookup(vocabulary=V, invert=True)([1, 0, 3])) == [
        b"a",
        b"[UNK]",
        b"c",
    ]
    masked = keras.layers.StringLookup(vocabulary=V, invert=True, mask_token="[M]")
    assert _v(masked([1, 0, 4, 2])) == [b"[UNK]", b"[M]", b"c", b"a"]
    # a scalar id (a dataset element, as the text-generation tutorial decodes them)
    back = keras.layers.StringLookup(vocabulary=V, invert=True, mask_token=None)
    assert back(tf.constant(2, tf.int64)).numpy() == b"b"
    assert keras.layers.StringLookup(vocabulary=V, mask_token=None)(tf.constant("c")).numpy() == 3


def test_vocabulary_accessors():
    layer = keras.layers.StringLookup(vocabulary=V, mask_token="[M]")
    assert layer.get_vocabulary() == ["[M]", "[UNK]", "a", "b", "c"]
    assert layer.vocabulary_size() == 5
    assert keras.layers.StringLookup(vocabulary=V).get_vocabulary(False) == V
    specials = keras.layers.StringLookup(vocabulary=["[UNK]", "a", "b"])
    assert specials.get_vocabulary() == ["[UNK]", "a", "b"]


def test_adapt_orders_by_count_then_token():
    layer = keras.layers.StringLookup()
    layer.adapt(["b", "a", "b", "c", "c", "c", "d"])
    assert layer.get_vocabulary() == ["[UNK]", "c", "b", "d", "a"]
    capped = keras.layers.StringLookup(max_tokens=3)
    capped.adapt(tf.data.Dataset.from_tensor_slices(["b", "a", "b", "c", "c", "c", "d"]).batch(2))
    assert capped.get_vocabulary() == ["[UNK]", "c", "b"]
    tensor = keras.layers.StringLookup()
    tensor.adapt(tf.constant([["x", "y"], ["x", "x"]]))
    assert tensor.get_vocabulary() == ["[UNK]", "x", "y"]


def test_ragged_input():
    out = keras.layers.StringLookup(vocabulary=V)(tf.ragged.constant([["a"], ["z", "c"]]))
    assert out.to_list() == [[1], [0, 3]]


def test_vocabulary_file(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_text("x\ny\n")
    assert keras.layers.StringLookup(vocabulary=str(path)).get_vocabulary() == ["[UNK]", "x", "y"]


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"vocabulary": ["a", "a"]}, "repeated term"),
        ({"vocabulary": V, "max_tokens": 2}, "larger than the maximum vocab size"),
        ({"output_mode": "bogus"}, "unknown value for output_mode"),
        ({"vocabulary": V, "invert": True, "output_mode": "one_hot"}, "must be 'int'"),
        ({"vocabulary": V, "output_mode": "tf_idf"}, "idf_weights argument must also"),
        ({"vocabulary": ["a", ""], "mask_token": ""}, "mask token"),
        ({"max_tokens": 1}, "max_tokens must be greater than 1"),
        ({"num_oov_indices": -1}, "num_oov_indices must be greater"),
    ],
)
def test_argument_errors(kwargs, words):
    with pytest.raises(ValueError, match=words):
        keras.layers.StringLookup(**kwargs)


def test_number_inputs_are_refused():
    with pytest.raises(TypeError, match="expected string inputs"):
        keras.layers.StringLookup(vocabulary=V)(tf.constant([1, 2]))


def test_config_round_trip_keeps_the_adapted_vocabulary():
    layer = keras.layers.StringLookup(num_oov_indices=2, mask_token="[M]")
    layer.adapt(["x", "y", "y"])
    config = layer.get_config()
    assert config["vocabulary"] == ["y", "x"] and config["vocabulary_size"] == 5
    clone = keras.layers.StringLookup.from_config(config)
    assert clone.get_vocabulary() == layer.get_vocabulary()
    inputs = ["y", "q", "[M]"]
    assert _v(clone(inputs)) == _v(layer(inputs))
    again = keras.layers.deserialize(keras.layers.serialize(layer))
    assert again.get_vocabulary() == layer.get_vocabulary()


def test_functional_model_with_string_input():
    inputs = keras.Input(shape=(1,), dtype="string")
    assert inputs.dtype == "string"
    ids = keras.layers.StringLookup(vocabulary=V, output_mode="one_hot")(inputs)
    assert tuple(ids.shape) == (None, 4)
    model = keras.Model(inputs, ids)
    assert _v(model(tf.constant([["b"], ["q"]]))) == [[0, 0, 1, 0], [1, 0, 0, 0]]


def test_no_oov_lookup_in_a_functional_model():
    # num_oov_indices=0 (Keras' wide-and-deep example): the symbolic call's placeholder
    # strings are not an error; real out-of-vocabulary values still are
    lookup = tf.keras.layers.StringLookup(
        vocabulary=["fixed", "normal", "reversible"], mask_token=None, num_oov_indices=0
    )
    inp = tf.keras.Input(shape=(1,), dtype="string")
    model = tf.keras.Model(inp, lookup(inp))
    assert model(tf.constant([["reversible"], ["fixed"]])).numpy().tolist() == [[2], [0]]
    with pytest.raises(tf.errors.InvalidArgumentError, match="num_oov_indices=0"):
        model(tf.constant([["other"]]))
    ints = tf.keras.layers.IntegerLookup(vocabulary=[5, 7], num_oov_indices=0)
    int_inp = tf.keras.Input(shape=(1,), dtype="int64")
    assert tf.keras.Model(int_inp, ints(int_inp))(np.array([[7]])).numpy().tolist() == [[1]]
    with pytest.raises(ValueError, match="not in the vocabulary"):
        ints(np.array([[3]]))


def test_binary_is_multi_hot():
    # Keras 3 still takes output_mode="binary" (the structured data from scratch example)
    lookup = tf.keras.layers.IntegerLookup(vocabulary=[1, 2], output_mode="binary")
    assert lookup.output_mode == "multi_hot"
    assert lookup(np.array([[2], [9]])).numpy().tolist() == [[0, 0, 1], [1, 0, 0]]
    encoding = tf.keras.layers.CategoryEncoding(num_tokens=3, output_mode="binary")
    assert encoding(np.array([[0, 2]])).numpy().tolist() == [[1, 0, 1]]


def test_integer_lookup_farmhash_oov_as_keras():
    # indices printed by Keras 3.15 on TF 2.21 (tfvenv) for the same calls: FarmHash64 (or
    # SipHash with a salt) of the token's decimal string (the IntegerLookup docstring)
    lookup = tf.keras.layers.IntegerLookup
    vocab = [12, 36, 1138, 42]
    oov = np.array([[1000, 1002, 1004, 7, 12, 36], [5, 999999, -3, 8, 2**40, 42]], "int64")
    farm = lookup(vocabulary=vocab, num_oov_indices=4, oov_method="farmhash")(oov)
    assert farm.numpy().tolist() == [[1, 3, 1, 0, 4, 5], [3, 2, 3, 3, 2, 7]]
    salted = lookup(vocabulary=vocab, num_oov_indices=5, oov_method="farmhash", salt=[3, 9])
    assert salted(oov).numpy().tolist() == [[4, 2, 3, 3, 5, 6], [2, 2, 1, 4, 3, 8]]
    masked = lookup(
        vocabulary=vocab, num_oov_indices=3, oov_method="farmhash", salt=7, mask_token=0
    )
    assert masked(np.array([0, 1, 2, 3, 12])).numpy().tolist() == [0, 1, 1, 1, 4]
    config = lookup(vocabulary=vocab, num_oov_indices=4, oov_method="farmhash", salt=5).get_config()
    assert (config["oov_method"], config["salt"]) == ("farmhash", [5, 5])
    assert lookup.from_config(config).salt == [5, 5]
    with pytest.raises(ValueError, match="salt can only be used when oov_method='farmhash'"):
        lookup(vocabulary=vocab, salt=3)
    with pytest.raises(ValueError, match="oov_method must be 'floormod' or 'farmhash'"):
        lookup(vocabulary=vocab, oov_method="murmur")


def test_get_vocabulary_lists_learned_tokens_as_numpy_scalars():
    # Keras 3 lists the learned tokens as np.str_ / np.int64 and the special ones as
    # str / int, so a printed vocabulary reads "np.str_('the')" as in TF
    import numpy as np

    import gpuflow as gf

    vectorize = gf.keras.layers.TextVectorization(max_tokens=10)
    vectorize.adapt(["the cat sat", "the dog"])
    vocab = vectorize.get_vocabulary()
    assert vocab[:3] == ["", "[UNK]", "the"]
    assert [type(t) for t in vocab[:3]] == [str, str, np.str_]
    assert all(type(t) is np.str_ for t in vectorize.get_vocabulary(include_special_tokens=False))
    lookup = gf.keras.layers.IntegerLookup(mask_token=0)
    lookup.adapt([3, 3, 5])
    vocab = lookup.get_vocabulary()
    assert vocab == [0, -1, 3, 5] and type(vocab[0]) is int and type(vocab[2]) is np.int64
    assert lookup.get_vocabulary(include_special_tokens=False) == [3, 5]
    assert repr(lookup.get_vocabulary()) == "[0, -1, np.int64(3), np.int64(5)]"
