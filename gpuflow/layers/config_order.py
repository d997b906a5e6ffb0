"""Keras 3's key order for built-in layers' configs (printed configs read as TF's)."""

from __future__ import annotations

#: the keys every Layer.get_config starts with, in Keras 3's order
_BASE_KEYS = ("name", "trainable", "dtype")

#: Keras 3's order for the convolutions (BaseConv, BaseConvTranspose, BaseDepthwiseConv,
#: BaseSeparableConv): one superset, each layer has a subsequence of it
CONV_ORDER = (
    "depth_multiplier",
    "filters",
    "kernel_size",
    "strides",
    "padding",
    "output_padding",
    "data_format",
    "dilation_rate",
    "groups",
    "activation",
    "use_bias",
    "kernel_initializer",
    "depthwise_initializer",
    "pointwise_initializer",
    "bias_initializer",
    "kernel_regularizer",
    "depthwise_regularizer",
    "pointwise_regularizer",
    "bias_regularizer",
    "activity_regularizer",
    "kernel_constraint",
    "depthwise_constraint",
    "pointwise_constraint",
    "bias_constraint",
)

#: Keras 3's BasePooling order
POOLING_ORDER = ("pool_size", "padding", "strides", "data_format")

#: Keras 3's Embedding order
EMBEDDING_ORDER = (
    "input_dim",
    "output_dim",
    "embeddings_initializer",
    "embeddings_regularizer",
    "activity_regularizer",
    "embeddings_constraint",
    "mask_zero",
)

#: The keys of an RNN's loop (they stay on the RNN; the rest describe its cell)
RNN_LOOP_KEYS = (
    "return_sequences",
    "return_state",
    "go_backwards",
    "stateful",
    "unroll",
    "zero_output_for_mask",
)

#: Keras 3's order for SimpleRNN, LSTM and GRU (RNN's keys first, then the cell's)
RNN_ORDER = RNN_LOOP_KEYS + (
    "units",
    "activation",
    "recurrent_activation",
    "use_bias",
    "kernel_initializer",
    "recurrent_initializer",
    "bias_initializer",
    "unit_forget_bias",
    "kernel_regularizer",
    "recurrent_regularizer",
    "bias_regularizer",
    "activity_regularizer",
    "kernel_constraint",
    "recurrent_constraint",
    "bias_constraint",
    "dropout",
    "recurrent_dropout",
    "reset_after",
    "seed",
)


def keras_order(config: dict, order: tuple) -> dict:
    """``config`` with its keys in Keras 3's order: the base keys, ``order``, then the rest.

    Only the order changes (same keys, same values); keys ``order`` does not name keep their
    relative order after the named ones.
    """
    head = [key for key in _BASE_KEYS if key in config]
    named = [key for key in order if key in config and key not in head]
    placed = set(head) | set(named)
    rest = [key for key in config if key not in placed]
    return {key: config[key] for key in (*head, *named, *rest)}


#: Keras 3's order for Attention and AdditiveAttention
ATTENTION_ORDER = ("use_scale", "score_mode", "dropout", "seed")

#: Keras 3's MultiHeadAttention order
MULTI_HEAD_ATTENTION_ORDER = (
    "num_heads",
    "key_dim",
    "value_dim",
    "dropout",
    "use_bias",
    "use_gate",
    "output_shape",
    "attention_axes",
    "sliding_window",
    "kernel_initializer",
    "bias_initializer",
    "kernel_regularizer",
    "bias_regularizer",
    "activity_regularizer",
    "kernel_constraint",
    "bias_constraint",
    "seed",
)
