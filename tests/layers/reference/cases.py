"""The layer cases both the Keras reference script and the tests read (no TF imported here).

A case: ``name``; ``layers``, a list of ``(class name, constructor kwargs)`` applied in turn;
``inputs``, a list of ``("float", shape)`` / ``("int", shape, high)`` /
``("mask_ids", shape, high)`` (ints with trailing zeros, for masking) /
``("tokens", shape)`` / ``("bool", shape)`` / ``("masked_float", shape)``; optional:
``call`` kwargs for the last layer, ``call_style`` ``"args"`` (inputs as positional
arguments), ``kwarg_inputs`` (``{kwarg: input index}``),
``training``, ``adapt`` (a one-input spec the first layer adapts on, split into
``adapt_batches`` batches when given), ``tol`` (absolute and relative tolerance).
"""

from __future__ import annotations

import numpy as np

F = "float"

CASES = [
    # -- group 1: core, activations, reshaping, pooling, convolutions -----------------------
    {
        "name": "embedding",
        "layers": [("Embedding", {"input_dim": 7, "output_dim": 3})],
        "inputs": [("int", (2, 5), 7)],
    },
    {
        "name": "embedding_mask_pool",
        "layers": [
            ("Embedding", {"input_dim": 9, "output_dim": 4, "mask_zero": True}),
            ("GlobalAveragePooling1D", {}),
        ],
        "inputs": [("mask_ids", (3, 6), 9)],
    },
    {
        "name": "layer_norm",
        "layers": [("LayerNormalization", {"epsilon": 1e-3})],
        "inputs": [(F, (2, 3, 6))],
    },
    {
        "name": "layer_norm_axes",
        "layers": [("LayerNormalization", {"axis": [1, 2]})],
        "inputs": [(F, (2, 3, 4))],
    },
    {"name": "softmax_axis1", "layers": [("Softmax", {"axis": 1})], "inputs": [(F, (2, 4, 3))]},
    {
        "name": "relu_args",
        "layers": [("ReLU", {"max_value": 0.6, "negative_slope": 0.1, "threshold": 0.2})],
        "inputs": [(F, (3, 8))],
    },
    {"name": "leaky_relu", "layers": [("LeakyReLU", {})], "inputs": [(F, (3, 8))]},
    {
        "name": "prelu_shared",
        "layers": [("PReLU", {"shared_axes": [1, 2]})],
        "inputs": [(F, (2, 3, 3, 4))],
    },
    {"name": "elu", "layers": [("ELU", {"alpha": 0.7})], "inputs": [(F, (3, 8))]},
    {"name": "permute", "layers": [("Permute", {"dims": [2, 1]})], "inputs": [(F, (2, 3, 4))]},
    {"name": "repeat_vector", "layers": [("RepeatVector", {"n": 3})], "inputs": [(F, (2, 4))]},
    {"name": "gap1d", "layers": [("GlobalAveragePooling1D", {})], "inputs": [(F, (2, 5, 3))]},
    {
        "name": "gmp1d_keepdims",
        "layers": [("GlobalMaxPooling1D", {"keepdims": True})],
        "inputs": [(F, (2, 5, 3))],
    },
    {
        "name": "gap2d_keepdims",
        "layers": [("GlobalAveragePooling2D", {"keepdims": True})],
        "inputs": [(F, (2, 4, 5, 3))],
    },
    {"name": "gmp2d", "layers": [("GlobalMaxPooling2D", {})], "inputs": [(F, (2, 4, 5, 3))]},
    {
        "name": "conv1d_causal_dilated",
        "layers": [
            ("Conv1D", {"filters": 4, "kernel_size": 3, "padding": "causal", "dilation_rate": 2})
        ],
        "inputs": [(F, (2, 9, 3))],
    },
    {
        "name": "conv1d_same_strided",
        "layers": [
            (
                "Conv1D",
                {
                    "filters": 3,
                    "kernel_size": 4,
                    "strides": 2,
                    "padding": "same",
                    "activation": "relu",
                },
            )
        ],
        "inputs": [(F, (2, 9, 2))],
    },
    {
        "name": "conv2d_dilated",
        "layers": [
            ("Conv2D", {"filters": 3, "kernel_size": 3, "dilation_rate": 2, "padding": "same"})
        ],
        "inputs": [(F, (2, 7, 6, 2))],
    },
    {
        "name": "conv2d_groups",
        "layers": [
            ("Conv2D", {"filters": 6, "kernel_size": (2, 3), "groups": 2, "strides": (1, 2)})
        ],
        "inputs": [(F, (2, 6, 7, 4))],
    },
    {
        "name": "conv2d_transpose_same",
        "layers": [
            ("Conv2DTranspose", {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"})
        ],
        "inputs": [(F, (2, 4, 3, 2))],
    },
    {
        "name": "conv2d_transpose_valid",
        "layers": [
            (
                "Conv2DTranspose",
                {"filters": 2, "kernel_size": (3, 2), "strides": (2, 3), "padding": "valid"},
            )
        ],
        "inputs": [(F, (2, 3, 4, 3))],
    },
    {
        "name": "conv2d_transpose_outpad",
        "layers": [
            (
                "Conv2DTranspose",
                {
                    "filters": 2,
                    "kernel_size": 3,
                    "strides": 2,
                    "padding": "same",
                    "output_padding": 1,
                },
            )
        ],
        "inputs": [(F, (1, 3, 3, 2))],
    },
    {
        "name": "conv1d_transpose",
        "layers": [
            ("Conv1DTranspose", {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "valid"})
        ],
        "inputs": [(F, (2, 5, 2))],
    },
    {"name": "upsampling1d", "layers": [("UpSampling1D", {"size": 3})], "inputs": [(F, (2, 3, 2))]},
    {
        "name": "upsampling2d_nearest",
        "layers": [("UpSampling2D", {"size": (2, 3)})],
        "inputs": [(F, (1, 3, 2, 2))],
    },
    {
        "name": "upsampling2d_bilinear",
        "layers": [("UpSampling2D", {"size": 2, "interpolation": "bilinear"})],
        "inputs": [(F, (1, 3, 4, 2))],
    },
    {
        "name": "zero_padding1d",
        "layers": [("ZeroPadding1D", {"padding": (1, 2)})],
        "inputs": [(F, (2, 3, 2))],
    },
    {
        "name": "zero_padding2d",
        "layers": [("ZeroPadding2D", {"padding": ((1, 0), (2, 1))})],
        "inputs": [(F, (1, 3, 3, 2))],
    },
    {
        "name": "cropping1d",
        "layers": [("Cropping1D", {"cropping": (1, 2)})],
        "inputs": [(F, (2, 6, 2))],
    },
    {
        "name": "cropping2d",
        "layers": [("Cropping2D", {"cropping": ((1, 0), (1, 2))})],
        "inputs": [(F, (1, 5, 6, 2))],
    },
    {
        "name": "maxpool1d",
        "layers": [("MaxPooling1D", {"pool_size": 3, "strides": 2})],
        "inputs": [(F, (2, 8, 3))],
    },
    {
        "name": "avgpool1d_same",
        "layers": [("AveragePooling1D", {"pool_size": 3, "padding": "same"})],
        "inputs": [(F, (2, 7, 3))],
    },
    {
        "name": "separable_conv2d",
        "layers": [
            (
                "SeparableConv2D",
                {"filters": 4, "kernel_size": 3, "depth_multiplier": 2, "padding": "same"},
            )
        ],
        "inputs": [(F, (2, 5, 5, 3))],
    },
    {
        "name": "depthwise_conv2d",
        "layers": [
            ("DepthwiseConv2D", {"kernel_size": (3, 2), "depth_multiplier": 2, "strides": 2})
        ],
        "inputs": [(F, (2, 7, 6, 3))],
    },
    # -- group 2: recurrent ------------------------------------------------------------------
    {"name": "simple_rnn", "layers": [("SimpleRNN", {"units": 3})], "inputs": [(F, (2, 5, 4))]},
    {
        "name": "simple_rnn_seq_back",
        "layers": [
            (
                "SimpleRNN",
                {"units": 3, "return_sequences": True, "go_backwards": True, "activation": "relu"},
            )
        ],
        "inputs": [(F, (2, 4, 3))],
    },
    {"name": "lstm", "layers": [("LSTM", {"units": 4})], "inputs": [(F, (2, 6, 3))]},
    {
        "name": "lstm_seq_state",
        "layers": [("LSTM", {"units": 3, "return_sequences": True, "return_state": True})],
        "inputs": [(F, (2, 5, 4))],
    },
    {
        "name": "lstm_backwards_nobias",
        "layers": [("LSTM", {"units": 3, "go_backwards": True, "use_bias": False})],
        "inputs": [(F, (2, 5, 2))],
    },
    {"name": "gru", "layers": [("GRU", {"units": 4})], "inputs": [(F, (2, 6, 3))]},
    {
        "name": "gru_reset_before_seq",
        "layers": [
            (
                "GRU",
                {"units": 3, "reset_after": False, "return_sequences": True, "return_state": True},
            )
        ],
        "inputs": [(F, (2, 5, 4))],
    },
    {
        "name": "embedding_mask_lstm",
        "layers": [
            ("Embedding", {"input_dim": 9, "output_dim": 4, "mask_zero": True}),
            ("LSTM", {"units": 3, "return_sequences": True}),
        ],
        "inputs": [("mask_ids", (3, 6), 9)],
    },
    {
        "name": "embedding_mask_gru_last",
        "layers": [
            ("Embedding", {"input_dim": 9, "output_dim": 4, "mask_zero": True}),
            ("GRU", {"units": 3}),
        ],
        "inputs": [("mask_ids", (3, 6), 9)],
    },
    {
        "name": "masking_simple_rnn",
        "layers": [
            ("Masking", {"mask_value": 0.0}),
            ("SimpleRNN", {"units": 2, "return_sequences": True}),
        ],
        "inputs": [("masked_float", (3, 5, 2))],
    },
    {
        "name": "bidirectional_concat",
        "layers": [("Bidirectional", {"layer": ("LSTM", {"units": 3, "return_sequences": True})})],
        "inputs": [(F, (2, 5, 4))],
    },
    {
        "name": "bidirectional_sum_gru",
        "layers": [("Bidirectional", {"layer": ("GRU", {"units": 3}), "merge_mode": "sum"})],
        "inputs": [(F, (2, 5, 4))],
    },
    {
        "name": "bidirectional_ave_state",
        "layers": [
            (
                "Bidirectional",
                {"layer": ("SimpleRNN", {"units": 2, "return_state": True}), "merge_mode": "ave"},
            )
        ],
        "inputs": [(F, (2, 4, 3))],
    },
    {
        "name": "bidirectional_mask",
        "layers": [
            ("Embedding", {"input_dim": 9, "output_dim": 4, "mask_zero": True}),
            (
                "Bidirectional",
                {"layer": ("LSTM", {"units": 2, "return_sequences": True}), "merge_mode": "mul"},
            ),
        ],
        "inputs": [("mask_ids", (3, 6), 9)],
    },
    {
        "name": "time_distributed_dense",
        "layers": [("TimeDistributed", {"layer": ("Dense", {"units": 3})})],
        "inputs": [(F, (2, 4, 5))],
    },
    {
        "name": "time_distributed_conv",
        "layers": [("TimeDistributed", {"layer": ("Conv2D", {"filters": 2, "kernel_size": 2})})],
        "inputs": [(F, (2, 3, 4, 4, 1))],
    },
    # -- group 3: attention --------------------------------------------------------------------
    {
        "name": "mha_self",
        "layers": [("MultiHeadAttention", {"num_heads": 2, "key_dim": 3})],
        "inputs": [(F, (2, 4, 5)), (F, (2, 4, 5))],
        "call_style": "args",
    },
    {
        "name": "mha_cross_scores",
        "layers": [
            (
                "MultiHeadAttention",
                {"num_heads": 3, "key_dim": 2, "value_dim": 4, "output_shape": 6},
            )
        ],
        "inputs": [(F, (2, 3, 5)), (F, (2, 4, 7))],
        "call_style": "args",
        "call": {"return_attention_scores": True},
    },
    {
        "name": "mha_key_mask",
        "layers": [("MultiHeadAttention", {"num_heads": 2, "key_dim": 2, "use_bias": False})],
        "inputs": [(F, (2, 3, 4)), (F, (2, 5, 4)), (F, (2, 5, 3)), ("bool", (2, 3, 5))],
        "call_style": "args",
        "kwarg_inputs": {"attention_mask": 3},
    },
    {
        "name": "mha_causal",
        "layers": [("MultiHeadAttention", {"num_heads": 2, "key_dim": 4})],
        "inputs": [(F, (2, 5, 6)), (F, (2, 5, 6))],
        "call_style": "args",
        "call": {"use_causal_mask": True, "return_attention_scores": True},
    },
    {
        "name": "attention_dot",
        "layers": [("Attention", {})],
        "inputs": [(F, (2, 3, 4)), (F, (2, 5, 4))],
    },
    {
        "name": "attention_scale_causal_scores",
        "layers": [("Attention", {"use_scale": True})],
        "inputs": [(F, (2, 4, 3)), (F, (2, 4, 3)), (F, (2, 4, 3))],
        "call": {"use_causal_mask": True, "return_attention_scores": True},
    },
    {
        "name": "attention_concat",
        "layers": [("Attention", {"score_mode": "concat", "use_scale": True})],
        "inputs": [(F, (2, 3, 4)), (F, (2, 5, 4))],
    },
    {
        "name": "additive_attention",
        "layers": [("AdditiveAttention", {})],
        "inputs": [(F, (2, 3, 4)), (F, (2, 5, 4)), (F, (2, 5, 4))],
    },
    # -- group 4: normalization and noise ------------------------------------------------------
    {
        "name": "group_norm",
        "layers": [("GroupNormalization", {"groups": 2})],
        "inputs": [(F, (2, 3, 3, 4))],
    },
    {
        "name": "group_norm_seq_eps",
        "layers": [("GroupNormalization", {"groups": 3, "epsilon": 0.1})],
        "inputs": [(F, (2, 5, 6))],
    },
    {
        "name": "unit_norm",
        "layers": [("UnitNormalization", {"axis": [1, 2]})],
        "inputs": [(F, (2, 3, 4))],
    },
    {
        "name": "batch_norm_training",
        "layers": [("BatchNormalization", {"momentum": 0.9, "epsilon": 0.01})],
        "inputs": [(F, (4, 3, 5))],
        "training": True,
    },
    {
        "name": "batch_norm_inference",
        "layers": [("BatchNormalization", {"epsilon": 0.001})],
        "inputs": [(F, (4, 2, 2, 3))],
        "training": False,
    },
    {
        "name": "batch_norm_axis1_training",
        "layers": [("BatchNormalization", {"axis": 1, "momentum": 0.5, "center": False})],
        "inputs": [(F, (5, 3, 2))],
        "training": True,
    },
    # -- group 5: preprocessing ------------------------------------------------------------------
    {
        "name": "rescaling",
        "layers": [("Rescaling", {"scale": 1 / 127.5, "offset": -1})],
        "inputs": [("int", (2, 3, 3, 2), 256)],
    },
    {
        "name": "center_crop",
        "layers": [("CenterCrop", {"height": 3, "width": 2})],
        "inputs": [(F, (2, 6, 5, 2))],
    },
    {
        "name": "center_crop_upsizes",
        "layers": [("CenterCrop", {"height": 6, "width": 4})],
        "inputs": [(F, (1, 4, 5, 2))],
    },
    {
        "name": "resizing_bilinear_down",
        "layers": [("Resizing", {"height": 3, "width": 5})],
        "inputs": [(F, (2, 7, 8, 2))],
    },
    {
        "name": "resizing_bilinear_up",
        "layers": [("Resizing", {"height": 9, "width": 4})],
        "inputs": [(F, (1, 4, 3, 1))],
    },
    {
        "name": "resizing_nearest",
        "layers": [("Resizing", {"height": 5, "width": 3, "interpolation": "nearest"})],
        "inputs": [(F, (2, 7, 4, 2))],
    },
    {
        "name": "resizing_crop_aspect",
        "layers": [("Resizing", {"height": 4, "width": 4, "crop_to_aspect_ratio": True})],
        "inputs": [(F, (1, 6, 9, 1))],
    },
    {
        "name": "normalization_adapt",
        "layers": [("Normalization", {})],
        "inputs": [(F, (3, 4))],
        "adapt": [(F, (50, 4))],
    },
    {
        "name": "normalization_adapt_batches_axes",
        "layers": [("Normalization", {"axis": [1, 2]})],
        "inputs": [(F, (2, 3, 2))],
        "adapt": [(F, (40, 3, 2))],
        "adapt_batches": 4,
    },
    {
        "name": "normalization_given_invert",
        "layers": [
            (
                "Normalization",
                {"mean": [1.0, 2.0, -1.0], "variance": [4.0, 0.25, 1.0], "invert": True},
            )
        ],
        "inputs": [(F, (2, 3))],
    },
    {
        "name": "normalization_axis_none",
        "layers": [("Normalization", {"axis": None})],
        "inputs": [(F, (3, 4))],
        "adapt": [(F, (20, 4))],
    },
    {
        "name": "discretization_bins",
        "layers": [("Discretization", {"bin_boundaries": [-1.0, 0.0, 0.5]})],
        "inputs": [(F, (3, 4))],
    },
    {
        "name": "discretization_adapt_onehot",
        "layers": [("Discretization", {"num_bins": 4, "output_mode": "one_hot"})],
        "inputs": [(F, (5,))],
        "adapt": [(F, (200,))],
    },
    {
        "name": "discretization_adapt_batches",
        "layers": [("Discretization", {"num_bins": 5, "epsilon": 0.05})],
        "inputs": [(F, (3, 4))],
        "adapt": [(F, (300,))],
        "adapt_batches": 3,
    },
    {
        "name": "category_multi_hot",
        "layers": [("CategoryEncoding", {"num_tokens": 5})],
        "inputs": [("int", (3, 4), 5)],
    },
    {
        "name": "category_one_hot",
        "layers": [("CategoryEncoding", {"num_tokens": 4, "output_mode": "one_hot"})],
        "inputs": [("int", (5,), 4)],
    },
    {
        "name": "category_count",
        "layers": [("CategoryEncoding", {"num_tokens": 6, "output_mode": "count"})],
        "inputs": [("int", (3, 5), 6)],
    },
    {
        "name": "integer_lookup_vocab",
        "layers": [("IntegerLookup", {"vocabulary": [12, 36, 1138, 42]})],
        "inputs": [("tokens", (2, 4))],
    },
    {
        "name": "integer_lookup_adapt_mask",
        "layers": [("IntegerLookup", {"mask_token": 0, "num_oov_indices": 2})],
        "inputs": [("tokens", (2, 5))],
        "adapt": [("tokens", (6, 8))],
    },
    {
        "name": "integer_lookup_multi_hot",
        "layers": [
            ("IntegerLookup", {"vocabulary": [12, 36, 1138, 42], "output_mode": "multi_hot"})
        ],
        "inputs": [("tokens", (3, 4))],
    },
    {
        "name": "integer_lookup_invert",
        "layers": [("IntegerLookup", {"vocabulary": [12, 36, 1138, 42], "invert": True})],
        "inputs": [("int", (2, 3), 5)],
    },
]


def make_adapt_data(case: dict):
    """The data a case's layer adapts on: one array, or a list of batches (``adapt_batches``)."""
    rng = np.random.default_rng(11)
    data = _make(case["adapt"][0], rng)
    if case.get("adapt_batches"):
        return np.array_split(data, case["adapt_batches"])
    return data


def build_kwargs(kwargs: dict, make_layer) -> dict:
    """Constructor kwargs with nested ``(class, kwargs)`` layer specs made by ``make_layer``."""
    out = {}
    for key, value in kwargs.items():
        if key in ("layer", "backward_layer") and isinstance(value, (list, tuple)):
            value = make_layer(value[0], build_kwargs(value[1], make_layer))
        out[key] = value
    return out


def make_inputs(case: dict) -> list:
    rng = np.random.default_rng(7)
    return [_make(spec, rng) for spec in case["inputs"]]


def _make(spec, rng):
    """One input array from its spec (see the module docstring)."""
    kind, shape = spec[0], tuple(spec[1])
    if kind == "float":
        return rng.standard_normal(shape).astype("float32")
    if kind == "int":
        return rng.integers(0, spec[2], size=shape).astype("int32")
    if kind == "tokens":
        return rng.choice([0, 12, 36, 42, 1138, 7, 99, 12, 12, 36], size=shape).astype("int64")
    if kind == "mask_ids":
        ids = rng.integers(1, spec[2], size=shape).astype("int32")
        for row in range(shape[0]):  # row r keeps its first len - r ids, then padding
            ids[row, shape[1] - row :] = 0
        return ids
    if kind == "bool":
        mask = rng.uniform(size=shape) < 0.7
        mask[..., 0] = True  # every row attends to something
        return mask
    if kind == "masked_float":
        x = rng.standard_normal(shape).astype("float32")
        for row in range(shape[0]):  # row r: its last r steps masked; row 2 also step 1
            x[row, shape[1] - row :] = 0
            if row == 2:
                x[row, 1] = 0
        return x
    raise ValueError(f"unknown input kind {kind!r}")


def make_weights(index: int, name: str, shape: tuple, case: dict) -> np.ndarray:
    rng = np.random.default_rng(1000 + index)
    if "variance" in name:
        return rng.uniform(0.5, 1.5, size=shape).astype("float32")
    return (rng.standard_normal(shape) * 0.4).astype("float32")
