"""Attention (dot-product, Luong) and AdditiveAttention (Bahdanau) of ``[query, value(, key)]``."""

from __future__ import annotations

from ...ops._common import as_tensor
from ...ops.linalg import matmul
from ...ops.math import cast, logical_and, where
from ...ops.nn import dropout as _dropout
from ...ops.nn import tanh
from ...ops.reduce import reduce_sum
from ...ops.shape import expand_dims
from .._args import unit_rate
from .._masks import get_mask
from ..base import Layer
from ..config_order import ATTENTION_ORDER, keras_order
from ._masking import as_bool, causal_mask, score_softmax


class _BaseAttention(Layer):
    supports_masking = True

    def __init__(self, dropout=0.0, seed=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.dropout = unit_rate(dropout, "dropout", self._where())
        self.seed = seed

    def _split(self, inputs):
        if not isinstance(inputs, (list, tuple)) or len(inputs) not in (2, 3):
            count = f" of {len(inputs)}" if isinstance(inputs, (list, tuple)) else ""
            raise ValueError(
                f"{self._where()}: inputs must be a list [query, value] or "
                f"[query, value, key], received {type(inputs).__name__}{count}"
            )
        tensors = [as_tensor(t) for t in inputs]
        for t in tensors:
            if t.ndim != 3:
                raise ValueError(
                    f"{self._where()}: query, value and key must have rank 3 "
                    f"([batch, steps, dim]), received shape {tuple(t.shape)}"
                )
        q, v = tensors[0], tensors[1]
        k = tensors[2] if len(tensors) > 2 else v
        return q, v, k

    def build(self, input_shape) -> None:
        super().build(input_shape)

    def call(
        self, inputs, mask=None, training=None, return_attention_scores=False, use_causal_mask=False
    ):
        q, v, k = self._split(inputs)
        if mask is None:
            mask = [get_mask(t) for t in inputs[:2]]
        q_mask = mask[0] if mask else None
        v_mask = mask[1] if mask and len(mask) > 1 else None
        scores = self._scores(q, k)
        score_mask = None
        if v_mask is not None:
            score_mask = expand_dims(as_bool(v_mask), -2)
        if use_causal_mask:
            causal = causal_mask(scores.shape[-2], scores.shape[-1], scores.device)
            score_mask = causal if score_mask is None else logical_and(score_mask, causal)
        weights = score_softmax(scores, score_mask)
        if training and self.dropout > 0:
            weights = _dropout(weights, self.dropout)
        out = matmul(weights, v)
        if q_mask is not None:
            out = where(expand_dims(as_bool(q_mask), -1), out, out * 0)
        if return_attention_scores:
            return out, weights
        return out

    def compute_mask(self, inputs, mask=None):
        if mask is None or not mask or mask[0] is None:
            return None
        return as_bool(mask[0])

    def compute_output_shape(self, input_shape):
        q, v = input_shape[0], input_shape[1]
        return tuple(q[:-1]) + (v[-1],)

    def get_config(self) -> dict:
        return {**super().get_config(), "dropout": self.dropout, "seed": self.seed}


class Attention(_BaseAttention):
    """Dot-product attention: ``softmax(query @ key^T) @ value``.

    Args:
        use_scale: learn a scalar ``scale`` multiplying the scores.
        score_mode: ``"dot"`` or ``"concat"`` (``sum(tanh(query + key))``).
        dropout: on the attention weights, in training.

    Call: ``layer([query, value(, key)], mask=[query_mask, value_mask],
    return_attention_scores=False, use_causal_mask=False)``.
    """

    def __init__(self, use_scale=False, score_mode="dot", dropout=0.0, seed=None, **kwargs) -> None:
        super().__init__(dropout, seed, **kwargs)
        if score_mode not in ("dot", "concat"):
            raise ValueError(
                f"{self._where()}: score_mode must be 'dot' or 'concat', received "
                f"score_mode={score_mode!r}"
            )
        self.use_scale = bool(use_scale)
        self.score_mode = score_mode
        self.scale = self.concat_score_weight = None

    def build(self, input_shape) -> None:
        if self.use_scale:
            self.scale = self._add_weight("scale", (), "ones")
        if self.score_mode == "concat":
            self.concat_score_weight = self._add_weight("concat_score_weight", (), "ones")
        super().build(input_shape)

    def _scores(self, q, k):
        scale = None if self.scale is None else cast(self._read(self.scale), q.dtype)
        if self.score_mode == "dot":
            scores = matmul(q, k, transpose_b=True)
            return scores if scale is None else scores * scale
        summed = expand_dims(q, -2) + expand_dims(k, -3)
        if scale is not None:
            summed = summed * scale
        return cast(self._read(self.concat_score_weight), q.dtype) * reduce_sum(tanh(summed), -1)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(use_scale=self.use_scale, score_mode=self.score_mode)
        return keras_order(config, ATTENTION_ORDER)


class AdditiveAttention(_BaseAttention):
    """Additive (Bahdanau) attention: scores ``sum(scale * tanh(query + key), -1)``.

    Args:
        use_scale: learn a per-feature ``scale`` vector (else 1).
        dropout: on the attention weights, in training.
    """

    def __init__(self, use_scale=True, dropout=0.0, seed=None, **kwargs) -> None:
        super().__init__(dropout, seed, **kwargs)
        self.use_scale = bool(use_scale)
        self.scale = None

    def build(self, input_shape) -> None:
        shapes = input_shape if isinstance(input_shape, list) else [input_shape]
        dim = shapes[-1][-1] if isinstance(shapes[-1], (list, tuple)) else None
        if self.use_scale:
            if dim is None:
                raise ValueError(
                    f"{self._where()}: the last axis of the inputs must be known, "
                    f"received {input_shape!r}"
                )
            self.scale = self._add_weight("scale", (int(dim),), "glorot_uniform")
        super().build(input_shape)

    def _scores(self, q, k):
        summed = tanh(expand_dims(q, -2) + expand_dims(k, -3))
        if self.scale is not None:
            summed = summed * cast(self._read(self.scale), q.dtype)
        return reduce_sum(summed, -1)

    def get_config(self) -> dict:
        return keras_order({**super().get_config(), "use_scale": self.use_scale}, ATTENTION_ORDER)
