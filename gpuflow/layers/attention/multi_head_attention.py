"""MultiHeadAttention (Vaswani et al., 2017) with Keras' per-head weights and masks."""

from __future__ import annotations

from ... import activations, constraints, initializers
from ...ops._common import as_tensor
from ...ops.linalg import matmul
from ...ops.math import cast
from ...ops.shape import expand_dims, transpose
from .._args import positive_int, serialize_regularizer, unit_rate
from .._context import path_scope
from .._inputs import layer_regularizer
from .._masks import get_mask, set_mask
from ..activations import masked_softmax
from ..base import Layer
from ..config_order import MULTI_HEAD_ATTENTION_ORDER, keras_order
from ..naming import unique_name
from ._axes import attend, resolve_axes
from ._keras_hooks import KerasAttentionHooks
from ._masking import as_bool, combined_mask, sliding_window_arg, sliding_window_mask
from ._projections import _HeadProjection, _OutputProjection


class _Shaped:
    """A stand-in with only a ``shape``, for building from shapes."""

    def __init__(self, shape) -> None:
        self.shape = tuple(shape)


def inner_layer_names() -> None:
    """Take the automatic names of the Softmax and Dropout layers Keras 3's attention
    layers make when built (so layers made afterwards are numbered as in Keras:
    ``dropout_2`` after two attention layers, not ``dropout``)."""
    unique_name("softmax")
    unique_name("dropout")


class MultiHeadAttention(KerasAttentionHooks, Layer):
    """``num_heads`` scaled dot-product attentions over learned projections, concatenated and
    projected back to the query's size.

    Args:
        num_heads: number of heads.
        key_dim: size of each head's query and key.
        value_dim: size of each head's value (default ``key_dim``).
        dropout: on the attention weights, in training.
        sliding_window: None, or a positive int: each query attends only to keys less than
            ``sliding_window`` positions away (a symmetric band; with ``use_causal_mask`` the
            causal window), as Keras 3.
        use_bias: biases in the four projections.
        output_shape: last size of the output (default the query's last size).
        attention_axes: the axes attention runs over (None: all between the batch and the
            features); the others act as batch axes. Inputs may have any rank of at least 3.
        kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer: of the
            projections.
        use_gate: gated attention (Keras 3.15; Qiu et al., 2025): a fifth projection of the
            query, ``gate = sigmoid(query @ W_gate + b_gate)`` shaped ``[B, T, heads,
            value_dim]``, multiplies the attention output before the output projection.

    Call: ``layer(query, value, key=None, attention_mask=None, return_attention_scores=False,
    training=None, use_causal_mask=False, query_mask=None, value_mask=None, key_mask=None)``;
    masks carried by ``query``/``value``/``key`` (e.g. from Embedding ``mask_zero``) are used too.
    Weights (Keras' order and shapes): query kernel ``[D, H, key_dim]`` and bias ``[H, key_dim]``,
    key, the gate (with ``use_gate``), value, then the output kernel ``[H, value_dim, out]``
    and bias ``[out]``.
    """

    _config_activity_regularizer = True  # Keras 3 writes the key even when None

    supports_masking = True  # the output carries the query's mask
    _strips_input_masks = True  # see __call__

    def __init__(
        self,
        num_heads,
        key_dim,
        value_dim=None,
        dropout=0.0,
        use_bias=True,
        output_shape=None,
        attention_axes=None,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        use_gate=False,
        seed=None,
        **kwargs,
    ) -> None:
        kwargs.pop("flash_attention", None)
        sliding_window = kwargs.pop("sliding_window", None)
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        where = self._where()
        self.sliding_window = sliding_window_arg(sliding_window, where)
        self.num_heads = positive_int(num_heads, "num_heads", where)
        self.key_dim = positive_int(key_dim, "key_dim", where)
        self.value_dim = (
            self.key_dim if value_dim is None else positive_int(value_dim, "value_dim", where)
        )
        self.dropout = unit_rate(dropout, "dropout", where)
        self.use_bias = bool(use_bias)
        self.use_gate = bool(use_gate)
        if output_shape is not None and not isinstance(output_shape, int):
            shape = tuple(output_shape)
            if len(shape) != 1:
                raise ValueError(
                    f"{where}: output_shape must be an int or a 1-tuple, received "
                    f"output_shape={output_shape!r}"
                )
            output_shape = shape[0]
        self._output_size = (
            None if output_shape is None else positive_int(output_shape, "output_shape", where)
        )
        if isinstance(attention_axes, int):
            attention_axes = (attention_axes,)
        elif attention_axes is not None and not isinstance(attention_axes, (list, tuple)):
            raise ValueError(
                f"{where}: `attention_axes` must be an int, list, or tuple. Received: "
                f"attention_axes={attention_axes}"
            )
        self._attention_axes = attention_axes  # resolved on the first call, as Keras
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = layer_regularizer(kernel_regularizer, self)
        self.bias_regularizer = layer_regularizer(bias_regularizer, self)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.seed = seed
        args = (
            self.kernel_initializer,
            self.bias_initializer,
            self.use_bias,
            kernel_regularizer,
            bias_regularizer,
            self.kernel_constraint,
            self.bias_constraint,
        )
        dtype = kwargs.get("dtype")
        heads = self.num_heads
        self._query_dense = _HeadProjection(heads, self.key_dim, *args, name="query", dtype=dtype)
        self._key_dense = _HeadProjection(heads, self.key_dim, *args, name="key", dtype=dtype)
        # Keras 3.15's gated attention: sigmoid(query projection) scales each head's output
        self._gate_dense = (
            _HeadProjection(heads, self.value_dim, *args, name="gate", dtype=dtype)
            if self.use_gate
            else None
        )
        self._value_dense = _HeadProjection(heads, self.value_dim, *args, name="value", dtype=dtype)
        self._output_dense = None  # made once the query's size is known
        self._output_args = args

    def build(self, query_shape, value_shape=None, key_shape=None) -> None:
        """Keras 3's ``build(query_shape, value_shape, key_shape=None)``: with the value's
        shape the projections are made now (a parent layer's ``build`` may call it so);
        with the query's alone they are made at the first call."""
        if value_shape is not None and self._output_dense is None:
            key_shape = value_shape if key_shape is None else key_shape
            with path_scope(self):  # the weights' paths name this layer, as in a call
                self._build_from(*(_Shaped(s) for s in (query_shape, value_shape, key_shape)))
        super().build(query_shape)

    # Keras 3's read-only views of the four projections (each has ``kernel`` and ``bias``);
    # ``output_dense`` is None until the layer first sees a query.
    @property
    def query_dense(self):
        return self._query_dense

    @property
    def key_dense(self):
        return self._key_dense

    @property
    def value_dense(self):
        return self._value_dense

    @property
    def output_dense(self):
        return self._output_dense

    def _build_from(self, query, value, key) -> None:
        inner_layer_names()
        out = self._output_size or query.shape[-1]
        self._output_dense = _OutputProjection(
            out, *self._output_args, name="attention_output", dtype=self._dtype_policy.name
        )
        self._query_dense.build(tuple(query.shape))
        self._key_dense.build(tuple(key.shape))
        if self._gate_dense is not None:
            self._gate_dense.build(tuple(query.shape))
        self._value_dense.build(tuple(value.shape))
        self._output_dense.build(tuple(query.shape[:-1]) + (self.num_heads, self.value_dim))

    def __call__(self, query, value=None, key=None, **kwargs):
        if value is None:
            raise ValueError(
                f"{self._where()}: expected query and value tensors, received only one"
            )
        # The masks the inputs carry are read before the base call converts anything.
        for name, tensor in (("query_mask", query), ("value_mask", value), ("key_mask", key)):
            if kwargs.get(name) is None:
                kwargs[name] = get_mask(tensor)
        # As Keras 3, the layer takes the masks off its input tensors (it handles them
        # itself; the output carries the query's): a later layer given the same tensors
        # sees no mask.
        for tensor in (query, value, key):
            set_mask(tensor, None)
        return super().__call__(query, value, key, **kwargs)

    def call(
        self,
        query,
        value,
        key=None,
        attention_mask=None,
        return_attention_scores=False,
        training=None,
        use_causal_mask=False,
        query_mask=None,
        value_mask=None,
        key_mask=None,
    ):
        value = self._cast_inputs(as_tensor(value))
        key = value if key is None else self._cast_inputs(as_tensor(key))
        rank = query.ndim
        for name, t in (("query", query), ("value", value), ("key", key)):
            if t.ndim != rank or rank < 3:
                raise ValueError(
                    f"{self._where()}: query, value and key must have one rank of at least 3 "
                    f"([batch, ..., dim]); {name} has shape {tuple(t.shape)}, query "
                    f"{tuple(query.shape)}"
                )
        axes = resolve_axes(self._attention_axes, rank, self._where())
        self._attention_axes = axes
        if self._output_dense is None:
            self._build_from(query, value, key)
        gate = None if self._gate_dense is None else activations.sigmoid(self._gate_dense(query))
        if rank != 3 or axes != (1,):
            return self._call_over_axes(
                query, value, key, axes, gate, training, return_attention_scores,
                attention_mask, use_causal_mask, query_mask, value_mask, key_mask,
            )  # fmt: skip
        mask = self._attention_mask(
            query, value, attention_mask, use_causal_mask, query_mask, value_mask, key_mask
        )
        out, weights = self._compute_attention(
            self._query_dense(query),
            self._key_dense(key),
            self._value_dense(value),
            mask,
            training,
            return_attention_scores,
        )
        if gate is not None:
            out = out * gate
        out = self._output_dense(out)
        if query_mask is not None:
            set_mask(out, as_bool(query_mask))
        if return_attention_scores:
            return out, weights
        return out

    def _compute_attention(
        self,
        query,
        key,
        value,
        attention_mask=None,
        training=None,
        return_attention_scores=False,
    ):
        """Keras 3's hook (subclasses may replace it): the attention of the projections
        ``query [B, T, H, K]``, ``key [B, S, H, K]`` and ``value [B, S, H, V]`` under
        ``attention_mask`` (``[B or 1, T, S]`` bool, or None); returns the output ``[B, T,
        H, V]`` and the scores ``[B, H, T, S]``."""
        q = transpose(query, (0, 2, 1, 3))  # [B, H, T, K]
        k = transpose(key, (0, 2, 1, 3))  # [B, H, S, K]
        v = transpose(value, (0, 2, 1, 3))  # [B, H, S, V]
        q = q * cast(as_tensor(self._inverse_sqrt_key_dim), q.dtype)
        scores = matmul(q, k, transpose_b=True)  # [B, H, T, S]
        # As Keras: the scores path (returned scores, or dropout) zeroes rows masked entirely;
        # the fused dot_product_attention path averages them uniformly.
        weights = masked_softmax(
            scores,
            None if attention_mask is None else expand_dims(attention_mask, 1),
            zero_masked=return_attention_scores or self.dropout > 0,
        )
        dropped = self._dropout_layer(weights, training=training)
        return transpose(matmul(dropped, v), (0, 2, 1, 3)), weights  # [B, T, H, V]

    def _call_over_axes(
        self, query, value, key, axes, gate, training, return_scores,
        attention_mask, causal, query_mask, value_mask, key_mask,
    ):  # fmt: skip
        """Attention over ``axes`` of inputs of any rank (not the sequence axis of rank 3)."""
        if type(self)._compute_attention is not MultiHeadAttention._compute_attention:
            raise NotImplementedError(
                f"{self._where()}: a _compute_attention override is used by gpuflow for "
                f"inputs of rank 3 attending over axis 1 only; received rank {query.ndim} "
                f"with attention_axes={axes}"
            )
        masks = (attention_mask, query_mask, value_mask, key_mask, self.sliding_window)
        if causal or any(m is not None for m in masks):
            raise ValueError(
                f"{self._where()}: masks (attention_mask, causal, sliding_window, input "
                f"masks) with attention_axes={axes} on inputs of rank {query.ndim} are not "
                "implemented by gpuflow"
            )
        out, scores = attend(self, query, value, key, axes, training, return_scores)
        if gate is not None:
            out = out * gate
        out = self._output_dense(out)
        return (out, scores) if return_scores else out

    @property
    def attention_axes(self):
        return self._attention_axes

    def _attention_mask(
        self, query, value, attention_mask, causal, query_mask, value_mask, key_mask
    ):
        more = []
        if self.sliding_window is not None:  # keys within the window of each query, as Keras
            more.append(sliding_window_mask(query, value, self.sliding_window))
        return combined_mask(
            query, value, attention_mask, causal, query_mask, value_mask, key_mask, more
        )

    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None) -> tuple:
        query_shape = tuple(query_shape)
        return query_shape[:-1] + (self._output_size or query_shape[-1],)

    def get_config(self) -> dict:
        config = {
            **super().get_config(),
            "num_heads": self.num_heads,
            "key_dim": self.key_dim,
            "value_dim": self.value_dim,
            "dropout": self.dropout,
            "sliding_window": self.sliding_window,
            "use_bias": self.use_bias,
            "use_gate": self.use_gate,
            "output_shape": self._output_size,
            "attention_axes": self._attention_axes,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": serialize_regularizer(self.kernel_regularizer),
            "bias_regularizer": serialize_regularizer(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "seed": self.seed,
        }
        return keras_order(config, MULTI_HEAD_ATTENTION_ORDER)
