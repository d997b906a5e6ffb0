"""Masks on symbolic tensors (functional models) and ``tensor._keras_mask``, as the Keras
"Masking and padding" guide uses them."""

import numpy as np

import gpuflow as gf

layers = gf.keras.layers


class TemporalSoftmax(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        assert mask is not None  # the guide's layer needs its mask, symbolically too
        weights = gf.expand_dims(gf.cast(mask, "float32"), -1)
        exp = gf.exp(inputs) * weights
        return exp / gf.reduce_sum(exp, axis=1, keepdims=True)


def test_mask_follows_symbolic_tensors_through_masking_layers():
    inputs = gf.keras.Input(shape=(None,), dtype="int32")
    x = layers.Embedding(input_dim=10, output_dim=4, mask_zero=True)(inputs)
    assert x._keras_mask is not None and tuple(x._keras_mask.shape) == (None, None)
    x = layers.Dense(1)(x)  # supports masking: passes it on
    assert x._keras_mask is not None
    outputs = TemporalSoftmax()(x)
    model = gf.keras.Model(inputs, outputs)
    ids = np.array([[3, 5, 0, 0], [1, 2, 3, 0]])
    probs = model(ids).numpy()[..., 0]
    np.testing.assert_allclose(probs.sum(axis=1), [1.0, 1.0], rtol=1e-6)
    np.testing.assert_array_equal(probs == 0, ids == 0)  # padding gets no weight


def test_eager_outputs_expose_keras_mask():
    padded = gf.keras.utils.pad_sequences([[711, 632, 71], [73, 8, 3215, 55]], padding="post")
    masked = layers.Embedding(input_dim=5000, output_dim=16, mask_zero=True)(padded)
    np.testing.assert_array_equal(masked._keras_mask.numpy(), padded != 0)
    plain = gf.cast(gf.expand_dims(gf.constant(padded), -1), "float32")
    assert plain._keras_mask is None
    np.testing.assert_array_equal(layers.Masking()(plain)._keras_mask.numpy(), padded != 0)
