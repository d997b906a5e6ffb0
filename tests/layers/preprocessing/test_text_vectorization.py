"""keras.layers.TextVectorization; expected values from Keras 3 on TensorFlow 2.21, pasted in."""

import numpy as np
import pytest

import gpuflow as tf

keras = tf.keras
TEXTS = ["The cat sat.", "The dog, the CAT!", "a bird", "Dogs and cats; cats and dogs."]


def _v(x):
    return x.numpy().tolist()


def test_adapt_default_standardize_and_split():
    tv = keras.layers.TextVectorization()
    tv.adapt(TEXTS)
    assert tv.get_vocabulary() == [
        "",
        "[UNK]",
        "the",
        "dogs",
        "cats",
        "cat",
        "and",
        "sat",
        "dog",
        "bird",
        "a",
    ]
    out = tv(["the cat", "unknown words here the"])
    assert out.dtype == tf.int64 and _v(out) == [[2, 5, 0, 0], [1, 1, 1, 2]]
    assert _v(tv(np.array([["the cat"], ["bird"]]))) == [[2, 5], [9, 0]]
    assert tv.vocabulary_size() == 11


def test_max_tokens_sequence_length_and_dataset_adapt():
    tv = keras.layers.TextVectorization(max_tokens=5, output_sequence_length=4)
    tv.adapt(tf.data.Dataset.from_tensor_slices(TEXTS).batch(2))
    assert tv.get_vocabulary() == ["", "[UNK]", "the", "dogs", "cats"]
    assert _v(tv(["the cat sat on the mat", "dogs"])) == [[2, 1, 1, 1], [3, 0, 0, 0]]


def test_ngrams_multi_hot():
    tv = keras.layers.TextVectorization(output_mode="multi_hot", ngrams=2)
    tv.adapt(TEXTS)
    assert tv.get_vocabulary()[:8] == [
        "[UNK]",
        "the",
        "the cat",
        "dogs",
        "cats",
        "cat",
        "and",
        "the dog",
    ]
    assert tv(["the cat sat"]).numpy().sum() == 5
    assert tv.vocabulary_size() == 20


def test_tf_idf_and_count():
    tv = keras.layers.TextVectorization(output_mode="tf_idf", max_tokens=6)
    tv.adapt(TEXTS)
    assert tv.get_vocabulary() == ["[UNK]", "the", "dogs", "cats", "cat", "and"]
    out = tv(["the cat the"])
    assert out.dtype == tf.float32
    np.testing.assert_allclose(
        out.numpy(), [[0.0, 1.6946, 0.0, 0.0, 0.8473, 0.0]], rtol=1e-5
    )  # TF's values rounded to 5 decimals
    count = keras.layers.TextVectorization(
        output_mode="count", vocabulary=["cat", "dog"], pad_to_max_tokens=True, max_tokens=5
    )
    assert _v(count(["cat cat dog fish"])) == [[1, 2, 1, 0, 0]]


def test_character_split_ragged_and_no_standardize():
    tv = keras.layers.TextVectorization(split="character", standardize="lower")
    tv.adapt(["abca"])
    assert tv.get_vocabulary() == ["", "[UNK]", "a", "c", "b"]
    assert _v(tv(["Abz"])) == [[2, 4, 1]]
    ragged = keras.layers.TextVectorization(vocabulary=["cat", "dog"], ragged=True)
    assert ragged(["cat dog dog", "bird"]).to_list() == [[2, 3, 3], [1]]
    raw = keras.layers.TextVectorization(standardize=None, split=None, vocabulary=["Cat", "dog"])
    assert _v(raw(["Cat", "cat", "dog"])) == [2, 1, 3]
    assert _v(keras.layers.TextVectorization(vocabulary=["a"])("a b a")) == [2, 1, 2]


def test_callable_standardize_and_split():
    def keep_letters(x):
        return tf.strings.regex_replace(tf.strings.lower(x), "[^a-z ,]", "")

    def on_commas(x):
        return tf.strings.split(x, sep=",")

    tv = keras.layers.TextVectorization(standardize=keep_letters, split=on_commas)
    tv.adapt(["A1,b2,a", "b"])
    assert tv.get_vocabulary() == ["", "[UNK]", "b", "a"]
    assert _v(tv(["a,B,c"])) == [[3, 2, 1]]


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"output_mode": "bogus"}, "unknown value for output_mode"),
        ({"output_mode": "count", "output_sequence_length": 3}, "must not be set"),
        ({"standardize": "upper"}, "standardize must be"),
        ({"split": "comma"}, "split must be"),
        ({"ngrams": "2"}, "ngrams must be"),
        ({"ragged": True, "output_mode": "count"}, "ragged=True needs"),
    ],
)
def test_argument_errors(kwargs, words):
    with pytest.raises(ValueError, match=words):
        keras.layers.TextVectorization(**kwargs)


def test_rank_two_inputs_need_a_last_axis_of_one():
    with pytest.raises(ValueError, match="last dimension must be 1"):
        keras.layers.TextVectorization(vocabulary=["a"])([["a b", "c"]])


def test_config_round_trip():
    tv = keras.layers.TextVectorization(max_tokens=8, output_sequence_length=3, ngrams=(1, 2))
    tv.adapt(TEXTS)
    config = tv.get_config()
    assert config["output_sequence_length"] == 3 and config["ngrams"] == (1, 2)
    assert config["vocabulary_size"] == 8 and config["split"] == "whitespace"
    clone = keras.layers.TextVectorization.from_config(config)
    assert clone.get_vocabulary() == tv.get_vocabulary()
    assert _v(clone(["the cat sat"])) == _v(tv(["the cat sat"]))


def _shout(x):
    return keras.ops.convert_to_tensor(x)


def test_unregistered_standardize_function_in_config_as_keras():
    # Keras 3 writes a function it has no registered name for by its bare name (to_json,
    # model.save and TensorBoard's graph work); rebuilding needs the function again
    tv = keras.layers.TextVectorization(standardize=_shout, vocabulary=["a", "b"])
    config = tv.get_config()
    assert config["standardize"] == {
        "module": "builtins",
        "class_name": "function",
        "config": "_shout",
        "registered_name": "function",
    }
    assert '"config": "_shout"' in keras.Sequential([tv]).to_json()
    with pytest.raises(TypeError, match="could not locate the standardize function '_shout'"):
        keras.layers.TextVectorization.from_config(config)
    with keras.saving.custom_object_scope({"_shout": _shout}):
        clone = keras.layers.TextVectorization.from_config(config)
    assert _v(clone(["b a c"])) == _v(tv(["b a c"])) == [[3, 2, 1]]


def test_symbolic_shapes():
    inputs = keras.Input(shape=(1,), dtype="string")
    assert tuple(keras.layers.TextVectorization(vocabulary=["a"])(inputs).shape) == (None, None)
    fixed = keras.layers.TextVectorization(vocabulary=["a"], output_sequence_length=7)
    assert tuple(fixed(inputs).shape) == (None, 7)
    multi = keras.layers.TextVectorization(vocabulary=["a"], output_mode="multi_hot")
    assert tuple(multi(inputs).shape) == (None, 2)
