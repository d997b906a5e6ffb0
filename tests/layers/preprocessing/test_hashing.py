"""keras.layers.Hashing; expected bins from Keras 3 on TensorFlow 2.21 (FarmHash64 and
SipHash, computed here bit for bit), pasted in."""

import numpy as np
import pytest

import gpuflow as tf

H = tf.keras.layers.Hashing


def _v(x):
    return x.numpy().tolist()


def test_string_bins_equal_keras():
    out = H(3)(["A", "B", "C", "D", "E"])
    assert out.dtype == tf.int64 and _v(out) == [1, 0, 1, 1, 2]
    assert _v(H(3)([["A"], ["B"], ["C"]])) == [[1], [0], [1]]
    assert _v(H(3, mask_value="")(["A", "", "C", "D"])) == [1, 0, 2, 2]


def test_salted_bins_equal_keras():
    assert _v(H(3, salt=133)(["A", "B", "C", "D", "E"])) == [0, 0, 2, 1, 0]
    assert _v(H(3, salt=[133, 137])(["A", "B", "C", "D", "E"])) == [1, 2, 1, 0, 2]


def test_numbers_hash_as_their_decimal_text():
    assert _v(H(5)(np.array([1, 2, 30, -4]))) == [4, 4, 3, 0]
    assert _v(H(5)(np.array([1.7, 2.2]))) == [4, 4]  # floats cast to int64 first
    assert _v(H(5, mask_value=0)(np.array([0, 2, 30]))) == [0, 4, 3]


def test_encoded_outputs():
    one_hot = H(4, output_mode="one_hot")
    expected = [[1.0, 0.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0]]
    assert _v(one_hot(["A", "B"])) == expected and _v(one_hot([["A"], ["B"]])) == expected
    assert one_hot(["A"]).dtype == tf.float32
    multi = H(4, output_mode="multi_hot")
    assert _v(multi([["A", "B"], ["C", "C"]])) == [[1, 0, 0, 0], [0, 0, 0, 1]]
    assert _v(multi(["A", "B"])) == [1, 0, 0, 0]  # rank 1: one sample
    assert _v(H(4, output_mode="count")([["A", "B"], ["C", "C"]])) == [[2, 0, 0, 0], [0, 0, 0, 2]]


def test_ragged_inputs():
    assert H(3)(tf.ragged.constant([["A"], ["B", "C"]])).to_list() == [[1], [0, 1]]


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"num_bins": 0}, "num_bins cannot be None or non-positive"),
        ({"num_bins": 3, "output_mode": "x"}, "invalid value for output_mode"),
        ({"num_bins": 3, "salt": "q"}, "salt can only be"),
    ],
)
def test_argument_errors(kwargs, words):
    with pytest.raises(ValueError, match=words):
        H(**kwargs)


def test_config_round_trip():
    layer = H(4, salt=1, mask_value="-")
    config = layer.get_config()
    assert config["salt"] == [1, 1] and config["num_bins"] == 4
    clone = tf.keras.layers.deserialize(tf.keras.layers.serialize(layer))
    words = ["-", "x", "y"]
    assert _v(clone(words)) == _v(layer(words))
