"""MultiHeadAttention's Keras 3 hooks: a subclass replacing ``_compute_attention`` (with the
protected sizes, einsum equations, masked softmax and score dropout Keras exposes) changes
the attention; the default hook is what the layer computes."""

from __future__ import annotations

import numpy as np
import pytest

from gpuflow import keras
from gpuflow.keras import ops


class DiagonalFree(keras.layers.MultiHeadAttention):
    """Locality self-attention: a temperature instead of sqrt(key_dim), via Keras' hooks."""

    def _compute_attention(
        self, query, key, value, attention_mask=None, training=None, return_attention_scores=False
    ):
        query = ops.multiply(query, 0.5 / np.sqrt(self._key_dim))
        scores = ops.einsum(self._dot_product_equation, key, query)
        scores = self._masked_softmax(scores, attention_mask)
        dropped = self._dropout_layer(scores, training=training)
        return ops.einsum(self._combine_equation, dropped, value), scores


class OldSignature(keras.layers.MultiHeadAttention):
    def _compute_attention(self, query, key, value, attention_mask=None, training=None):
        return super()._compute_attention(query, key, value, attention_mask, training)


def _inputs(n=5):
    return np.random.RandomState(0).rand(2, n, 6).astype("float32")


def test_protected_sizes_and_equations():
    layer = keras.layers.MultiHeadAttention(num_heads=3, key_dim=4, value_dim=2, dropout=0.25)
    assert (layer._num_heads, layer._key_dim, layer._value_dim, layer._dropout) == (3, 4, 2, 0.25)
    assert layer._inverse_sqrt_key_dim == pytest.approx(0.5)
    assert layer._dot_product_equation == "aecd,abcd->acbe"
    assert layer._combine_equation == "acbe,aecd->abcd"


def test_override_replaces_the_attention_and_keeps_the_mask():
    x = _inputs()
    mask = (1 - np.eye(5))[None].astype("int8")
    layer = DiagonalFree(num_heads=2, key_dim=4)
    out, scores = layer(x, x, attention_mask=mask, return_attention_scores=True)
    scores = np.asarray(scores)
    assert out.shape == (2, 5, 6) and scores.shape == (2, 2, 5, 5)
    np.testing.assert_array_equal(scores[:, :, np.arange(5), np.arange(5)], 0.0)
    np.testing.assert_allclose(scores.sum(-1), 1.0, rtol=1e-5)
    # the same weights under the default hook give other scores (no halved temperature)
    plain = keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)
    plain(x, x)
    plain.set_weights(layer.get_weights())
    _, default_scores = plain(x, x, attention_mask=mask, return_attention_scores=True)
    assert np.abs(np.asarray(default_scores) - scores).max() > 1e-4


def test_default_hook_matches_a_hand_written_attention():
    x = _inputs()
    layer = keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)
    out = np.asarray(layer(x, x))
    q = np.einsum("btd,dhk->bthk", x, np.asarray(layer.query_dense.kernel))
    q = q + np.asarray(layer.query_dense.bias)
    k = np.einsum("btd,dhk->bthk", x, np.asarray(layer.key_dense.kernel))
    k = k + np.asarray(layer.key_dense.bias)
    v = np.einsum("btd,dhk->bthk", x, np.asarray(layer.value_dense.kernel))
    v = v + np.asarray(layer.value_dense.bias)
    s = np.einsum("bshk,bthk->bhts", k, q) / 2.0
    w = np.exp(s - s.max(-1, keepdims=True))
    w = w / w.sum(-1, keepdims=True)
    o = np.einsum("bhts,bshv->bthv", w, v)
    o = np.einsum("bthv,hvo->bto", o, np.asarray(layer.output_dense.kernel))
    np.testing.assert_allclose(out, o + np.asarray(layer.output_dense.bias), atol=1e-5)


def test_override_with_the_keras2_signature_raises_type_error():
    x = _inputs()
    with pytest.raises(TypeError, match="positional"):
        OldSignature(num_heads=2, key_dim=4)(x, x)


def test_override_on_other_attention_axes_is_refused():
    x = np.random.RandomState(1).rand(2, 3, 4, 6).astype("float32")
    layer = DiagonalFree(num_heads=2, key_dim=4, attention_axes=(1, 2))
    with pytest.raises(NotImplementedError, match="_compute_attention"):
        layer(x, x)
