"""Keras 3: a user layer that overrides compute_output_shape gets that shape (and its
compute dtype) on a keras.Input call, without running call; gpuflow's layers probe."""

from __future__ import annotations

import numpy as np
import pytest

from gpuflow import keras
from gpuflow.keras import ops


class Widened(keras.layers.Layer):
    """Declares 7 outputs, computes 4: the declared shape is the symbolic one."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.calls = 0

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], 4), initializer="ones")

    def call(self, x):
        self.calls += 1
        return ops.matmul(x, self.w)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], 7)


class Split(keras.layers.Layer):
    def call(self, x):
        return x * 2.0, ops.sum(x, axis=-1)

    def compute_output_shape(self, input_shape):
        return [input_shape, input_shape[:-1]]


class Passing(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, x):
        return x * 2.0

    def compute_output_shape(self, input_shape):
        return input_shape


class Unreadable(keras.layers.Layer):
    def call(self, x):
        return x

    def compute_output_shape(self, input_shape):
        return 3.5


def test_the_declared_shape_wins_and_call_is_not_run():
    inp = keras.Input((3,))
    layer = Widened()
    out = layer(inp)
    assert out.shape == (None, 7) and out.dtype == "float32"
    assert layer.calls == 0 and layer.built
    model = keras.Model(inp, out)
    assert model.output_shape == (None, 7)
    got = model.predict(np.ones((2, 3), "float32"), verbose=0)
    np.testing.assert_allclose(got, np.full((2, 4), 3.0))  # the call's own result


def test_several_declared_outputs_and_the_compute_dtype():
    inp = keras.Input((5,))
    doubled, summed = Split()(inp)
    assert doubled.shape == (None, 5) and summed.shape == (None,)
    half = Split(dtype="float16")(inp)
    assert all(t.dtype == "float16" for t in half)


def test_a_masked_input_keeps_its_mask_through_a_masking_layer():
    inp = keras.Input((4,), dtype="int32")
    embedded = keras.layers.Embedding(10, 3, mask_zero=True)(inp)
    out = Passing()(embedded)
    assert out.shape == (None, 4, 3)
    assert out._keras_mask is not None and tuple(out._keras_mask.shape) == (None, 4)


def test_numpy_integer_dimensions_are_read_as_ints():
    # keras.io "Dimension-Adaptive Neural Architecture": sizes kept in a np.array make the
    # declared dims np.int64; Keras's standardize_shape casts them to int
    class Repeated(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.grid = np.array((2, 1))

        def call(self, x):
            return ops.reshape(ops.tile(x, (1, 2)), (-1, 2, 3))

        def compute_output_shape(self, input_shape):
            return (input_shape[0], self.grid[0], self.grid[1] * input_shape[-1])

    inp = keras.Input((3,))
    out = Repeated()(inp)
    assert out.shape == (None, 2, 3)
    assert all(d is None or type(d) is int for d in out.shape)
    model = keras.Model(inp, out)
    got = model.predict(np.arange(6, dtype="float32").reshape(2, 3), verbose=0)
    np.testing.assert_allclose(got[1], [[3, 4, 5], [3, 4, 5]])


def test_a_shape_that_is_not_a_shape_is_a_value_error():
    with pytest.raises(ValueError, match="Unreadable.*cannot be interpreted as a shape"):
        Unreadable()(keras.Input((3,)))


def test_sub_layers_of_a_layer_that_declares_its_shape_are_built_on_the_symbolic_call():
    # as Keras 3's _maybe_build: a layer without build() holding unbuilt sub-layers is run
    # symbolically to build them (Keras: 20 parameters right after the functional call)
    class Block(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(5)

        def call(self, x):
            return self.dense(x)

        def compute_output_shape(self, shape):
            return (shape[0], 5)

    inp = keras.Input((3,))
    block = Block()
    out = block(inp)
    assert tuple(out.shape) == (None, 5)
    assert [tuple(w.shape) for w in block.weights] == [(3, 5), (5,)]
    assert keras.Model(inp, out).count_params() == 20
