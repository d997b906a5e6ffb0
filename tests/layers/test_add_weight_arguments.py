"""Layer.add_weight's arguments as Keras 3.15 reads them: shape, initializer and dtype may be
positional (in that order); name is keyword-only."""

import numpy as np
import pytest

from gpuflow import keras


class _Probe(keras.layers.Layer):
    def call(self, inputs):
        return inputs


def test_positional_shape_initializer_and_dtype():
    layer = _Probe()
    a = layer.add_weight((3,), "ones")
    b = layer.add_weight((2,), "zeros", "float64", name="bb")
    assert a.shape == (3,) and a.numpy().tolist() == [1.0, 1.0, 1.0]
    assert b.dtype == "float64" and b.name == "bb" and b.numpy().tolist() == [0.0, 0.0]


def test_default_initializer_is_zeros_for_integers_and_glorot_for_floats():
    layer = _Probe()
    counts = layer.add_weight(shape=(4,), dtype="int32", name="counts")
    assert counts.numpy().tolist() == [0, 0, 0, 0]
    kernel = layer.add_weight(shape=(30, 30), name="kernel")
    assert np.std(kernel.numpy()) > 0.05  # drawn, not zeros
    assert layer.add_weight().shape == ()


def test_a_positional_name_is_refused_as_keras_3():
    with pytest.raises(ValueError, match="`name` must be passed as a keyword argument"):
        _Probe().add_weight("kernel", shape=(2, 2))


def test_arguments_given_twice_or_too_many_positionals():
    layer = _Probe()
    with pytest.raises(ValueError, match="`shape` was passed both"):
        layer.add_weight((2,), shape=(3,))
    with pytest.raises(ValueError, match="`initializer` was passed both"):
        layer.add_weight((2,), "ones", initializer="zeros")
    with pytest.raises(TypeError, match="at most 3 positional arguments"):
        layer.add_weight((1,), "ones", "float32", True)
