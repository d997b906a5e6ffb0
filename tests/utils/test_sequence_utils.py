"""keras.utils.pad_sequences (expected arrays printed by Keras 3.15 on TF 2.21 for the same
calls), is_keras_tensor and standardize_dtype."""

import numpy as np
import pytest

import gpuflow.keras as keras
from gpuflow.keras import utils


def test_pad_sequences_matches_keras():
    assert utils.pad_sequences([[1, 2, 3], [4], [5, 6]]).tolist() == [
        [1, 2, 3],
        [0, 0, 4],
        [0, 5, 6],
    ]
    out = utils.pad_sequences(
        [[1, 2, 3], [4], [5, 6]], maxlen=2, padding="post", truncating="post", value=-1
    )
    assert out.tolist() == [[1, 2], [4, -1], [5, 6]]
    nested = utils.pad_sequences([[[1, 1], [2, 2]], [[3, 3]]], dtype="float32")
    assert nested.tolist() == [[[1.0, 1.0], [2.0, 2.0]], [[0.0, 0.0], [3.0, 3.0]]]
    assert utils.pad_sequences([[1, 2], []], maxlen=3).dtype == np.int32
    words = utils.pad_sequences([["a", "bb"], ["c"]], dtype=object, value="")
    assert words.tolist() == [["a", "bb"], ["", "c"]]


def test_pad_sequences_errors():
    with pytest.raises(ValueError, match='Padding type "middle" not understood'):
        utils.pad_sequences([[1]], padding="middle")
    with pytest.raises(ValueError, match="must be a list of iterables"):
        utils.pad_sequences([1, 2])
    with pytest.raises(ValueError, match="is not compatible with `value`'s type"):
        utils.pad_sequences([[1]], value="x")
    with pytest.raises(ValueError, match="is different from expected shape"):
        utils.pad_sequences([[[1, 1]], [[1, 1, 1]]])


def test_small_utilities():
    assert utils.is_keras_tensor(keras.Input((2,)))
    assert not utils.is_keras_tensor(np.ones(2))
    assert utils.standardize_dtype(float) == "float32"
    assert utils.standardize_dtype("int8") == "int8"
    assert utils.standardize_dtype(np.float64) == "float64"
    assert utils.standardize_dtype(None) == "float32"
