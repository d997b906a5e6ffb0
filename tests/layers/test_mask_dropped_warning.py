"""Keras 3's UserWarning when a layer without mask support is given a mask."""

import warnings

import numpy as np
import pytest

import gpuflow as gf

L = gf.keras.layers
TEXT = (
    "Layer '{name}' (of type {kind}) was passed an input with a mask attached to it. However, "
    "this layer does not support masking and will therefore destroy the mask information. "
    "Downstream layers will not see the mask."
)


def _mask_warnings(fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn()
    return [(w.category, str(w.message)) for w in caught if "mask attached" in str(w.message)]


class NoMask(L.Layer):
    def call(self, x):
        return x * 2.0


class OwnMask(L.Layer):
    def call(self, x):
        return x

    def compute_mask(self, x, mask=None):
        return mask


def test_functional_and_eager_calls_warn_once_with_keras_text():
    inp = gf.keras.Input((None,), dtype="int32")
    masked = L.Embedding(10, 4, mask_zero=True)(inp)
    seen = _mask_warnings(lambda: L.Conv1D(3, 2, name="cv")(masked))
    assert seen == [(UserWarning, TEXT.format(name="cv", kind="Conv1D"))]
    eager = L.Embedding(10, 4, mask_zero=True)(np.array([[1, 2, 0]]))
    seen = _mask_warnings(lambda: NoMask(name="nm")(eager))
    assert seen == [(UserWarning, TEXT.format(name="nm", kind="NoMask"))]


@pytest.mark.parametrize(
    "layer",
    [
        L.Dense(2),
        L.LSTM(2),
        L.GlobalAveragePooling1D(),
        L.MultiHeadAttention(2, 2),
        OwnMask(),
        L.Lambda(lambda x: x, mask=lambda x, m: m),
    ],
)
def test_layers_that_support_masking_do_not_warn(layer):
    x = L.Embedding(10, 4, mask_zero=True)(np.array([[1, 2, 0]]))
    call = (lambda: layer(x, x)) if isinstance(layer, L.MultiHeadAttention) else lambda: layer(x)
    assert _mask_warnings(call) == []


@pytest.mark.parametrize(
    "layer",
    [L.Flatten(), L.GlobalMaxPooling1D(), L.Lambda(lambda x: x), L.Permute((2, 1))],
)
def test_keras_layers_without_mask_support_warn(layer):
    x = L.Embedding(10, 4, mask_zero=True)(np.array([[1, 2, 0]]))
    seen = _mask_warnings(lambda: layer(x))
    assert len(seen) == 1 and f"of type {type(layer).__name__})" in seen[0][1]


def test_no_mask_no_warning():
    assert _mask_warnings(lambda: L.Flatten()(np.zeros((1, 3, 2), "float32"))) == []
