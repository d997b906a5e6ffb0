"""The protected members of Keras 3's MultiHeadAttention that subclasses use to replace the
attention itself (``_compute_attention``, as the keras.io "Train a Vision Transformer on
small datasets" example does): read-only views of the sizes, the einsum equations of the
sequence (rank-3) case, the masked softmax and the dropout applied to the scores."""

from __future__ import annotations

import math

from ...ops.nn import dropout as _dropout
from ...ops.shape import expand_dims
from ..activations import masked_softmax

# Keras' equations for inputs [B, T, dim]: projections [B, T, heads, size], scores
# [B, heads, T, S] ("aecd,abcd->acbe" takes the key first, then the query).
DOT_PRODUCT_EQUATION = "aecd,abcd->acbe"
COMBINE_EQUATION = "acbe,aecd->abcd"


class _ScoreDropout:
    """Keras' ``_dropout_layer``: dropout at ``rate`` in training, the input otherwise."""

    def __init__(self, rate: float) -> None:
        self.rate = rate

    def __call__(self, inputs, training=None):
        return _dropout(inputs, self.rate) if training and self.rate > 0 else inputs


class KerasAttentionHooks:
    """Mixed into MultiHeadAttention: Keras' protected names over gpuflow's attributes."""

    @property
    def _num_heads(self):
        return self.num_heads

    @property
    def _key_dim(self):
        return self.key_dim

    @property
    def _value_dim(self):
        return self.value_dim

    @property
    def _dropout(self):
        return self.dropout

    @property
    def _inverse_sqrt_key_dim(self):
        return 1.0 / math.sqrt(float(self.key_dim))

    @property
    def _dot_product_equation(self):
        return DOT_PRODUCT_EQUATION

    @property
    def _combine_equation(self):
        return COMBINE_EQUATION

    @property
    def _dropout_layer(self):
        return _ScoreDropout(self.dropout)

    def _masked_softmax(self, attention_scores, attention_mask=None):
        """Softmax over the keys of scores ``[B, heads, T, S]``; ``attention_mask`` (``[B or
        1, T, S]``, True where a query may attend) gains the heads axis, masked places are
        zeros (a row masked entirely too), as Keras' Softmax layer."""
        if attention_mask is not None:
            for _ in range(attention_scores.ndim - attention_mask.ndim):
                attention_mask = expand_dims(attention_mask, -3)
        return masked_softmax(attention_scores, attention_mask)
