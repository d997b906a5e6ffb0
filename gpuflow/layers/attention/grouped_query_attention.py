"""GroupedQueryAttention (Ainslie et al., 2023), Keras 3's ``keras.layers.GroupQueryAttention``:
``num_query_heads`` query heads share ``num_key_value_heads`` key/value heads (1: multi-query
attention; equal: multi-head attention), with an optional sliding window and output gate."""

from __future__ import annotations

import math

from ... import initializers
from ...ops._common import as_tensor
from ...ops.linalg import matmul
from ...ops.math import cast
from ...ops.nn import dropout as _dropout
from ...ops.rearrange import repeat
from ...ops.shape import expand_dims, transpose
from ...ops.unary import sigmoid
from .._args import positive_int, serialize_regularizer, unit_rate
from .._context import path_scope
from .._inputs import layer_regularizer
from .._masks import get_mask, set_mask
from ..activations import masked_softmax
from ..base import BUILTIN_LAYERS, Layer
from ._masking import as_bool, combined_mask, sliding_window_arg, sliding_window_mask
from ._projections import _HeadProjection, _OutputProjection
from .multi_head_attention import _Shaped, inner_layer_names


class GroupedQueryAttention(Layer):
    """Grouped-query attention, as ``keras.layers.GroupQueryAttention``.

    Saved as Keras saves it: class_name ``"GroupQueryAttention"`` (its exported name).

    Args:
        head_dim: size of each head.
        num_query_heads: number of query heads.
        num_key_value_heads: number of key/value heads; must divide ``num_query_heads``.
        dropout: on the attention weights, in training.
        use_bias: biases in the projections.
        sliding_window: None, or a positive int: each query attends only to keys at most
            ``sliding_window - 1`` positions away (with ``use_causal_mask``: the causal window).
        flash_attention: accepted (there is no separate flash kernel here); with ``True``,
            ``dropout`` must be 0 and attention scores cannot be returned, as Keras.
        kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
        activity_regularizer: of the projections and the layer.
        use_gate: gate the attention output by ``sigmoid`` of a projection of the query.
        seed: of the dropout.

    Call: ``layer(query, value, key=None, query_mask=None, value_mask=None, key_mask=None,
    attention_mask=None, return_attention_scores=False, training=None,
    use_causal_mask=False)``; masks carried by the inputs are used too. Scores have shape
    ``[batch, num_query_heads, target, source]``.

    Raises:
        ValueError: when ``num_query_heads`` is not divisible by ``num_key_value_heads``,
            for a bad ``sliding_window``, for constraints, or inputs that are not rank 3.
    """

    _keras_class_name = "GroupQueryAttention"  # the name Keras exports and saves it under

    supports_masking = True

    def __init__(
        self,
        head_dim,
        num_query_heads,
        num_key_value_heads,
        dropout=0.0,
        use_bias=True,
        sliding_window=None,
        flash_attention=None,
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
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        where = self._where()
        self.head_dim = positive_int(head_dim, "head_dim", where)
        self.num_query_heads = positive_int(num_query_heads, "num_query_heads", where)
        self.num_key_value_heads = positive_int(num_key_value_heads, "num_key_value_heads", where)
        if self.num_query_heads % self.num_key_value_heads != 0:
            raise ValueError(
                f"{where}: `num_query_heads` must be divisible by `num_key_value_heads`, "
                f"received num_query_heads={num_query_heads}, "
                f"num_key_value_heads={num_key_value_heads}"
            )
        self.num_repeats = self.num_query_heads // self.num_key_value_heads
        self.dropout = unit_rate(dropout, "dropout", where)
        self.use_bias = bool(use_bias)
        self.use_gate = bool(use_gate)
        self.sliding_window = sliding_window_arg(sliding_window, where)
        self._flash_attention = bool(flash_attention)
        if self._flash_attention and self.dropout > 0.0:
            raise ValueError(
                f"{where}: dropout is not supported when flash attention is enabled. Please "
                "set dropout to 0.0 to use flash attention."
            )
        if kernel_constraint is not None or bias_constraint is not None:
            raise ValueError(f"{where}: weight constraints are not supported")
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = layer_regularizer(kernel_regularizer, self)
        self.bias_regularizer = layer_regularizer(bias_regularizer, self)
        self.seed = seed
        args = (
            self.kernel_initializer,
            self.bias_initializer,
            self.use_bias,
            kernel_regularizer,
            bias_regularizer,
        )
        dtype = kwargs.get("dtype")
        q_heads, kv_heads, size = self.num_query_heads, self.num_key_value_heads, self.head_dim
        # Keras' order of the weights: query, key, (gate), value, attention_output
        # Keras 3's equations for these rank-3 layers
        queries, keys = ("bqm,muh->bquh", "uh"), ("bkm,mvh->bkvh", "vh")

        def head(heads, name, equation):
            return _HeadProjection(heads, size, *args, name=name, dtype=dtype, equation=equation)

        self._query_dense = head(q_heads, "query", queries)
        self._key_dense = head(kv_heads, "key", keys)
        self._gate_dense = head(q_heads, "gate", queries) if use_gate else None
        self._value_dense = head(kv_heads, "value", keys)
        self._output_dense = None  # made once the query's size is known
        self._output_args = args

    def build(self, query_shape, value_shape=None, key_shape=None) -> None:
        """Keras 3's ``build(query_shape, value_shape, key_shape=None)``, as
        MultiHeadAttention's."""
        if value_shape is not None and self._output_dense is None:
            key_shape = value_shape if key_shape is None else key_shape
            with path_scope(self):  # the weights' paths name this layer, as in a call
                self._build_from(*(_Shaped(s) for s in (query_shape, value_shape, key_shape)))
        super().build(query_shape)

    def _build_from(self, query, value, key) -> None:
        inner_layer_names()
        self._output_dense = _OutputProjection(
            query.shape[-1],
            *self._output_args,
            equation=("bquh,uhm->bqm", "m"),
            name="attention_output",
            dtype=self._dtype_policy.name,
        )
        self._query_dense.build(tuple(query.shape))
        self._key_dense.build(tuple(key.shape))
        if self._gate_dense is not None:
            self._gate_dense.build(tuple(query.shape))
        self._value_dense.build(tuple(value.shape))
        self._output_dense.build((None, None, self.num_query_heads, self.head_dim))

    def __call__(self, query, value=None, key=None, **kwargs):
        if value is None:
            raise ValueError(
                f"{self._where()}: expected query and value tensors, received only one"
            )
        for name, tensor in (("query_mask", query), ("value_mask", value), ("key_mask", key)):
            if kwargs.get(name) is None:
                kwargs[name] = get_mask(tensor)
        return super().__call__(query, value, key, **kwargs)

    def call(
        self,
        query,
        value,
        key=None,
        query_mask=None,
        value_mask=None,
        key_mask=None,
        attention_mask=None,
        return_attention_scores=False,
        training=None,
        use_causal_mask=False,
    ):
        if self._flash_attention and return_attention_scores:
            raise ValueError(
                f"{self._where()}: returning attention scores is not supported when flash "
                "attention is enabled. Please disable flash attention to access attention "
                "scores."
            )
        value = self._cast_inputs(as_tensor(value))
        key = value if key is None else self._cast_inputs(as_tensor(key))
        for name, t in (("query", query), ("value", value), ("key", key)):
            if t.ndim != 3:
                raise ValueError(
                    f"{self._where()}: {name} must have rank 3 ([batch, steps, dim]), "
                    f"received shape {tuple(t.shape)}"
                )
        if query.shape[-1] != value.shape[-1]:
            raise ValueError(
                f"{self._where()}: the last dimension of `query` and `value` must be equal, "
                f"received shapes {tuple(query.shape)} and {tuple(value.shape)}"
            )
        if self._output_dense is None:
            self._build_from(query, value, key)
        gate = self._gate_dense(query) if self._gate_dense is not None else None
        q = transpose(self._query_dense(query), (0, 2, 1, 3))  # [B, Hq, T, D]
        k = repeat(self._key_dense(key), self.num_repeats, axis=2)  # [B, S, Hq, D]
        v = repeat(self._value_dense(value), self.num_repeats, axis=2)
        k, v = transpose(k, (0, 2, 1, 3)), transpose(v, (0, 2, 1, 3))
        q = q * cast(as_tensor(1.0 / math.sqrt(self.head_dim)), q.dtype)
        scores = matmul(q, k, transpose_b=True)  # [B, Hq, T, S]
        mask = self._attention_mask(
            query, value, attention_mask, use_causal_mask, query_mask, value_mask, key_mask
        )
        # As Keras: the scores path (returned scores, or dropout) zeroes rows masked entirely;
        # the fused dot_product_attention path averages them uniformly.
        weights = masked_softmax(
            scores,
            None if mask is None else expand_dims(mask, 1),
            zero_masked=return_attention_scores or self.dropout > 0,
        )
        dropped = _dropout(weights, self.dropout) if training and self.dropout > 0 else weights
        out = transpose(matmul(dropped, v), (0, 2, 1, 3))  # [B, T, Hq, D]
        if gate is not None:
            out = out * sigmoid(gate)
        out = self._output_dense(out)
        if query_mask is not None:
            set_mask(out, as_bool(query_mask))
        if return_attention_scores:
            return out, weights
        return out

    def _attention_mask(
        self, query, value, attention_mask, causal, query_mask, value_mask, key_mask
    ):
        more = []
        if self.sliding_window is not None:  # keys within the window of each query
            more.append(sliding_window_mask(query, value, self.sliding_window))
        return combined_mask(
            query, value, attention_mask, causal, query_mask, value_mask, key_mask, more
        )

    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None) -> tuple:
        return tuple(query_shape)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "head_dim": self.head_dim,
            "num_query_heads": self.num_query_heads,
            "num_key_value_heads": self.num_key_value_heads,
            "use_bias": self.use_bias,
            "use_gate": self.use_gate,
            "sliding_window": self.sliding_window,
            "dropout": self.dropout,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": serialize_regularizer(self.kernel_regularizer),
            "bias_regularizer": serialize_regularizer(self.bias_regularizer),
            "activity_regularizer": serialize_regularizer(self.activity_regularizer),
            "kernel_constraint": None,
            "bias_constraint": None,
            "seed": self.seed,
        }


GroupQueryAttention = GroupedQueryAttention
BUILTIN_LAYERS["GroupQueryAttention"] = GroupedQueryAttention  # how Keras files name it
