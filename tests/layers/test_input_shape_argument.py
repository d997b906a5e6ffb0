"""keras.Input / InputLayer's shape argument as Keras 3.15 standardizes it."""

import numpy as np
import pytest

import gpuflow as gf
from gpuflow import keras


@pytest.mark.parametrize("shape", [(784,), [784], gf.TensorShape([784]), (np.int64(784),)])
def test_input_takes_tuples_lists_tensor_shapes_and_numpy_ints(shape):
    assert keras.Input(shape=shape).shape == (None, 784)


def test_input_takes_none_dimensions_and_the_empty_shape():
    assert keras.Input(shape=(None, 3)).shape == (None, None, 3)
    assert keras.Input(shape=()).shape == (None,)
    assert keras.Input(batch_shape=[2, 5]).shape == (2, 5)


@pytest.mark.parametrize("shape", [784, 3.0])
def test_a_bare_number_is_not_a_shape(shape):
    with pytest.raises(ValueError, match=f"Cannot convert '{shape}' to a shape"):
        keras.Input(shape=shape)
    with pytest.raises(ValueError, match="Cannot convert"):
        keras.layers.InputLayer(shape=shape)


@pytest.mark.parametrize(
    "shape, why",
    [(("3",), "invalid dimension '3'"), ((2.0, 3), "invalid dimension '2.0'"), ((-1,), "Negative")],
)
def test_string_float_and_negative_dimensions_are_refused(shape, why):
    with pytest.raises(ValueError, match=why):
        keras.Input(shape=shape)
    with pytest.raises(ValueError, match=why):
        keras.Input(batch_shape=(None,) + shape)
