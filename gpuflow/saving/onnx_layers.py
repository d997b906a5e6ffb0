"""Keras layers as ONNX operators (channels-last layouts, inference semantics).

Each converter takes the graph, the layer and its input names and returns its output names.
Convolutions and pooling transpose NHWC to ONNX's NCHW and back; BatchNormalization folds
into one multiply and add with its moving statistics.
"""

from __future__ import annotations

import math

import numpy as np

_IDENTITY = (
    "Dropout",
    "SpatialDropout1D",
    "SpatialDropout2D",
    "SpatialDropout3D",
    "GaussianNoise",
    "GaussianDropout",
    "AlphaDropout",
    "ActivityRegularization",
    "InputLayer",
)


def _weights(layer) -> list:
    return [
        np.asarray(w, dtype=np.float32) if np.asarray(w).dtype.kind == "f" else np.asarray(w)
        for w in layer.get_weights()
    ]


def _activation_name(value) -> str:
    if value is None:
        return "linear"
    if isinstance(value, dict):
        if value.get("class_name") == "function":  # a custom function (Keras 3's form)
            return str(value.get("config"))
        return value.get("class_name", "?").lower()
    if isinstance(value, str):
        return value
    return getattr(value, "__name__", repr(value))


def activation(g, x: str, value, base: str, where: str) -> str:
    """``x`` through the Keras activation ``value`` (a name, or a function)."""
    name = _activation_name(value)
    simple = {
        "relu": "Relu",
        "sigmoid": "Sigmoid",
        "tanh": "Tanh",
        "softplus": "Softplus",
        "softsign": "Softsign",
        "elu": "Elu",
        "selu": "Selu",
        "exponential": "Exp",
    }
    if name in ("linear", None):
        return x
    if name in simple:
        return g.op(simple[name], [x], base)
    if name == "softmax":
        return g.op("Softmax", [x], base, axis=-1)
    if name == "log_softmax":
        return g.op("LogSoftmax", [x], base, axis=-1)
    if name in ("swish", "silu"):
        return g.op("Mul", [x, g.op("Sigmoid", [x], base)], base)
    if name == "gelu":  # Keras' default: the exact form, x/2 * (1 + erf(x / sqrt(2)))
        erf = g.op(
            "Erf",
            [g.op("Mul", [x, g.const(f"{base}_rsqrt2", np.float32(1 / math.sqrt(2)))], base)],
            base,
        )
        one = g.op("Add", [erf, g.const(f"{base}_one", np.float32(1))], base)
        return g.op(
            "Mul", [g.op("Mul", [x, one], base), g.const(f"{base}_half", np.float32(0.5))], base
        )
    if name == "hard_sigmoid":  # Keras 3: relu6(x + 3) / 6
        return g.op("HardSigmoid", [x], base, alpha=1 / 6, beta=0.5)
    if name == "leaky_relu":
        return g.op("LeakyRelu", [x], base, alpha=0.2)
    if name == "relu6":
        return g.op(
            "Clip",
            [x, g.const(f"{base}_lo", np.float32(0)), g.const(f"{base}_hi", np.float32(6))],
            base,
        )
    raise ValueError(f"export: {where}: activation {name!r} has no ONNX mapping")


def _where(layer) -> str:
    return f"layer {layer.name!r} ({type(layer).__name__})"


def _config(layer) -> dict:
    return layer.get_config()


def dense(g, layer, xs):
    cfg, weights = _config(layer), _weights(layer)
    y = g.op("MatMul", [xs[0], g.const(f"{layer.name}_kernel", weights[0])], layer.name)
    if cfg.get("use_bias", True):
        y = g.op("Add", [y, g.const(f"{layer.name}_bias", weights[1])], layer.name)
    return [activation(g, y, cfg.get("activation"), layer.name, _where(layer))]


def _to_channels_first(g, x, rank, base):
    return g.op("Transpose", [x], base, perm=[0, rank - 1] + list(range(1, rank - 1)))


def _to_channels_last(g, x, rank, base):
    return g.op("Transpose", [x], base, perm=[0] + list(range(2, rank)) + [1])


def _check_channels_last(layer, cfg):
    if cfg.get("data_format", "channels_last") != "channels_last":
        raise ValueError(
            f"export: {_where(layer)}: data_format={cfg['data_format']!r}; the "
            "ONNX export maps channels_last layers"
        )


def _spatial_padding(layer, cfg, kernel, dilation) -> dict:
    padding = cfg.get("padding", "valid")
    if padding == "valid":
        return {"pads": [0] * (2 * len(kernel))}
    if padding == "same":
        return {"auto_pad": "SAME_UPPER"}  # TF puts the odd pixel at the end, as SAME_UPPER
    if padding == "causal":  # Conv1D: pad the start only
        return {"pads": [(kernel[0] - 1) * dilation[0], 0]}
    raise ValueError(f"export: {_where(layer)}: padding {padding!r} has no ONNX mapping")


def conv(g, layer, xs):
    cfg, weights = _config(layer), _weights(layer)
    _check_channels_last(layer, cfg)
    kernel = weights[0]
    rank = kernel.ndim  # spatial dims + 2
    kernel_size = list(cfg["kernel_size"])
    dilation = list(cfg.get("dilation_rate") or [1] * len(kernel_size))
    w = np.transpose(kernel, [rank - 1, rank - 2] + list(range(rank - 2)))  # (out, in, *k)
    inputs = [
        _to_channels_first(g, xs[0], rank, layer.name),
        g.const(f"{layer.name}_kernel", np.ascontiguousarray(w)),
    ]
    if cfg.get("use_bias", True):
        inputs.append(g.const(f"{layer.name}_bias", weights[1]))
    y = g.op(
        "Conv",
        inputs,
        layer.name,
        kernel_shape=kernel_size,
        strides=list(cfg["strides"]),
        dilations=dilation,
        group=int(cfg.get("groups", 1)),
        **_spatial_padding(layer, cfg, kernel_size, dilation),
    )
    y = _to_channels_last(g, y, rank, layer.name)
    return [activation(g, y, cfg.get("activation"), layer.name, _where(layer))]


def pool(g, layer, xs):
    cfg = _config(layer)
    _check_channels_last(layer, cfg)
    size = list(cfg["pool_size"])
    rank = len(size) + 2
    op = "MaxPool" if type(layer).__name__.startswith("Max") else "AveragePool"
    y = g.op(
        op,
        [_to_channels_first(g, xs[0], rank, layer.name)],
        layer.name,
        kernel_shape=size,
        strides=list(cfg.get("strides") or size),
        **_spatial_padding(layer, cfg, size, [1]),
    )
    return [_to_channels_last(g, y, rank, layer.name)]


def global_pool(g, layer, xs, rank):
    cfg = _config(layer)
    _check_channels_last(layer, cfg)
    op = "ReduceMax" if "Max" in type(layer).__name__ else "ReduceMean"
    return [
        g.op(
            op,
            [xs[0]],
            layer.name,
            axes=list(range(1, rank - 1)),
            keepdims=int(bool(cfg.get("keepdims", False))),
        )
    ]


def flatten(g, layer, xs):
    _check_channels_last(layer, _config(layer))
    return [g.op("Flatten", [xs[0]], layer.name, axis=1)]


def reshape(g, layer, xs):
    target = [0] + [int(d) for d in _config(layer)["target_shape"]]  # 0: keep the batch size
    return [
        g.op(
            "Reshape",
            [xs[0], g.const(f"{layer.name}_shape", np.array(target, np.int64))],
            layer.name,
        )
    ]


def batch_norm(g, layer, xs):
    cfg = _config(layer)
    weights = list(_weights(layer))
    gamma = weights.pop(0) if cfg.get("scale", True) else None
    beta = weights.pop(0) if cfg.get("center", True) else None
    mean, var = weights
    scale = 1.0 / np.sqrt(var + np.float32(cfg.get("epsilon", 1e-3)))
    if gamma is not None:
        scale = gamma * scale
    shift = -mean * scale + (beta if beta is not None else 0)
    axis = cfg.get("axis", -1)
    axis = axis[0] if isinstance(axis, (list, tuple)) and len(axis) == 1 else axis
    if axis != -1:
        raise ValueError(
            f"export: {_where(layer)}: axis={axis}; the ONNX export maps the channels-last axis -1"
        )
    y = g.op("Mul", [xs[0], g.const(f"{layer.name}_scale", scale.astype(np.float32))], layer.name)
    return [g.op("Add", [y, g.const(f"{layer.name}_shift", shift.astype(np.float32))], layer.name)]


def layer_norm(g, layer, xs):
    cfg = _config(layer)
    axis = cfg.get("axis", -1)
    if axis not in (-1, [-1]):
        raise ValueError(f"export: {_where(layer)}: axis={axis}; the ONNX export maps axis -1")
    weights = list(_weights(layer))
    gamma = weights.pop(0) if cfg.get("scale", True) else None
    beta = weights.pop(0) if cfg.get("center", True) else None
    size = gamma if gamma is not None else beta
    if size is None:
        raise ValueError(
            f"export: {_where(layer)}: center=False and scale=False have no ONNX mapping here"
        )
    gamma = gamma if gamma is not None else np.ones_like(beta)
    beta = beta if beta is not None else np.zeros_like(gamma)
    return [
        g.op(
            "LayerNormalization",
            [xs[0], g.const(f"{layer.name}_gamma", gamma), g.const(f"{layer.name}_beta", beta)],
            layer.name,
            axis=-1,
            epsilon=float(cfg.get("epsilon", 1e-3)),
        )
    ]


def embedding(g, layer, xs):
    if _config(layer).get("mask_zero"):
        raise ValueError(
            f"export: {_where(layer)}: mask_zero=True has no ONNX mapping (the "
            "mask would change what the layers after it compute)"
        )
    ids = g.op("Cast", [xs[0]], layer.name, to=g.onnx.TensorProto.INT64)
    return [
        g.op(
            "Gather",
            [g.const(f"{layer.name}_embeddings", _weights(layer)[0]), ids],
            layer.name,
            axis=0,
        )
    ]


def merge(g, layer, xs):
    kind = type(layer).__name__
    if kind == "Concatenate":
        return [g.op("Concat", xs, layer.name, axis=int(_config(layer).get("axis", -1)))]
    if kind == "Subtract":
        return [g.op("Sub", xs, layer.name)]
    ops = {"Add": "Sum", "Maximum": "Max", "Minimum": "Min", "Average": "Mean"}
    if kind in ops:
        return [g.op(ops[kind], xs, layer.name)]
    y = xs[0]  # Multiply
    for x in xs[1:]:
        y = g.op("Mul", [y, x], layer.name)
    return [y]


def activation_layer(g, layer, xs):
    cfg, kind = _config(layer), type(layer).__name__
    if kind == "Activation":
        return [activation(g, xs[0], cfg.get("activation"), layer.name, _where(layer))]
    if kind == "Softmax":
        return [g.op("Softmax", xs, layer.name, axis=int(cfg.get("axis", -1)))]
    if kind == "LeakyReLU":
        alpha = cfg.get("negative_slope", cfg.get("alpha", 0.3))
        return [g.op("LeakyRelu", xs, layer.name, alpha=float(alpha))]
    if kind == "ELU":
        return [g.op("Elu", xs, layer.name, alpha=float(cfg.get("alpha", 1.0)))]
    if kind == "ReLU":
        if cfg.get("negative_slope") or cfg.get("threshold"):
            raise ValueError(
                f"export: {_where(layer)}: negative_slope/threshold have no ONNX mapping here"
            )
        y = g.op("Relu", xs, layer.name)
        if cfg.get("max_value") is not None:
            y = g.op(
                "Min", [y, g.const(f"{layer.name}_max", np.float32(cfg["max_value"]))], layer.name
            )
        return [y]
    raise KeyError(kind)
