"""Masks on symbolic tensors (functional models) and ``tensor._keras_mask``, as the Keras
"Masking and padding" guide uses them."""

import numpy as np
import pytest

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
    assert not hasattr(plain, "_keras_mask")
    np.testing.assert_array_equal(layers.Masking()(plain)._keras_mask.numpy(), padded != 0)


class PairMixer(layers.Layer):
    """Called on [x, context]: one output, a list of two input masks (the translation
    example's TransformerDecoder)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        x, context = inputs
        return x + gf.reduce_mean(context, axis=1, keepdims=True)


def test_list_of_input_masks_gives_a_single_output_the_first_mask():
    # Keras 3's _set_mask_metadata zips the flattened masks with the flattened outputs.
    ids = gf.keras.Input(shape=(None,), dtype="int32")
    ctx_ids = gf.keras.Input(shape=(None,), dtype="int32")
    x = layers.Embedding(10, 4, mask_zero=True)(ids)
    ctx = layers.Embedding(10, 4, mask_zero=True)(ctx_ids)
    out = PairMixer()([x, ctx])
    assert out._keras_mask is not None and tuple(out._keras_mask.shape) == (None, None)
    probs = layers.Dense(3, activation="softmax")(out)
    model = gf.keras.Model([ids, ctx_ids], probs)
    model.compile(loss="sparse_categorical_crossentropy")
    a = np.array([[1, 2, 0], [3, 0, 0]])
    b = np.array([[4, 5, 6, 0], [7, 8, 9, 1]])
    y = np.array([[0, 1, 2], [2, 1, 0]])
    pred = model([a, b])
    np.testing.assert_array_equal(pred._keras_mask.numpy(), a != 0)
    p = np.take_along_axis(pred.numpy(), y[..., None], -1)[..., 0]
    expected = -(np.log(p) * (a != 0)).sum() / (a != 0).sum()
    loss = model.evaluate([a, b], y, verbose=0)
    np.testing.assert_allclose(loss, expected, rtol=1e-5)


def test_tensors_without_a_mask_have_no_keras_mask_attribute():
    # Keras 3 on TensorFlow: `hasattr(x, "_keras_mask")` is False where no mask came, for
    # eager outputs and for symbolic ones; getattr with a default gives the default
    ids = gf.keras.Input((3,), dtype="int32")
    assert not hasattr(ids, "_keras_mask")
    assert not hasattr(layers.Dense(2)(gf.keras.Input((3,))), "_keras_mask")
    embedded = layers.Embedding(5, 2, mask_zero=True)(ids)
    assert hasattr(embedded, "_keras_mask")
    assert not hasattr(layers.Flatten()(embedded), "_keras_mask")
    eager = layers.Embedding(5, 2, mask_zero=True)(np.array([[1, 0, 0]]))
    assert not hasattr(layers.GlobalAveragePooling1D()(eager), "_keras_mask")
    assert not hasattr(layers.LSTM(2)(eager), "_keras_mask")
    assert getattr(gf.constant([2.0]), "_keras_mask", "none") == "none"
    with pytest.raises(AttributeError, match="_keras_mask"):
        gf.constant([1.0])._keras_mask


def test_masking_accepts_a_rank1_input_as_keras():
    # Keras 3: a rank-1 input is one step of features; its mask is a scalar.
    layer = layers.Masking()
    y = layer(np.array([0.0, 1.0, 0.0], "float32"))
    np.testing.assert_array_equal(y.numpy(), [0.0, 1.0, 0.0])
    assert y._keras_mask.shape == () and bool(y._keras_mask.numpy())
    y = layer(np.zeros(3, "float32"))
    assert not bool(y._keras_mask.numpy())
