"""Keras layers as TFLite builtin ops (inference semantics), the ops TensorFlow's converter
emits for them: Dense -> FULLY_CONNECTED, Conv2D -> CONV_2D (OHWI filter), DepthwiseConv2D ->
DEPTHWISE_CONV_2D, BatchNormalization -> MUL + ADD with the moving statistics, Flatten ->
RESHAPE, Rescaling -> MUL (+ ADD), ... Dropout, noise and augmentation layers vanish.

Each converter takes the GraphBuilder, the layer and its input tensor indices and returns its
output tensor indices."""

from __future__ import annotations

import numpy as np

from ..saving.onnx_layers import _IDENTITY, _activation_name

_INFERENCE_IDENTITY = _IDENTITY + (
    "Identity",
    "RandomFlip",
    "RandomRotation",
    "RandomZoom",
    "RandomTranslation",
    "RandomContrast",
    "RandomBrightness",
)
_FUSABLE = {"relu": 1, "relu6": 3}  # ActivationFunctionType of the activations TF fuses


def _where(layer) -> str:
    return f"layer {layer.name!r} ({type(layer).__name__})"


def _weights(layer) -> list:
    return [np.asarray(w, dtype=np.float32) for w in layer.get_weights()]


def activation(g, x: int, value, name: str, where: str) -> int:
    """``x`` through the Keras activation ``value``."""
    kind = _activation_name(value)
    if kind in ("linear", None):
        return x
    simple = {"relu": "RELU", "relu6": "RELU6", "sigmoid": "LOGISTIC", "tanh": "TANH"}
    if kind in simple:
        return g.op(simple[kind], [x], f"{name}/{simple[kind].title()}")
    if kind == "softmax":
        return g.op("SOFTMAX", [x], f"{name}/Softmax", beta=1.0)
    if kind == "leaky_relu":  # keras.activations.leaky_relu's default negative_slope
        return g.op("LEAKY_RELU", [x], f"{name}/LeakyRelu", alpha=0.2)
    if kind in ("swish", "silu"):
        sig = g.op("LOGISTIC", [x], f"{name}/Sigmoid")
        return g.op("MUL", [x, sig], f"{name}/mul")
    raise NotImplementedError(
        f"TFLiteConverter: {where}: activation {kind!r} has no TFLite mapping in gpuflow "
        "(supported: linear, relu, relu6, sigmoid, tanh, softmax, swish, leaky_relu)"
    )


def _fused(g, y_of, cfg, layer) -> int:
    """Build the op with ``y_of(fused_activation_function)``, fusing relu/relu6 as TF does."""
    kind = _activation_name(cfg.get("activation"))
    if kind in _FUSABLE:
        return y_of(_FUSABLE[kind])
    return activation(g, y_of(0), cfg.get("activation"), layer.name, _where(layer))


def _channels_last(layer, cfg) -> None:
    if cfg.get("data_format", "channels_last") not in (None, "channels_last"):
        raise NotImplementedError(
            f"TFLiteConverter: {_where(layer)}: data_format={cfg['data_format']!r}; "
            "TFLite runs channels_last (NHWC) layers"
        )


def _padding(layer, cfg) -> int:
    padding = cfg.get("padding", "valid")
    if padding not in ("same", "valid"):
        raise NotImplementedError(f"TFLiteConverter: {_where(layer)}: padding {padding!r}")
    return 0 if padding == "same" else 1


def dense(g, layer, xs):
    cfg, w = layer.get_config(), _weights(layer)
    kernel = g.const(f"{layer.name}/MatMul", w[0].T)
    bias = g.const(f"{layer.name}/BiasAdd", w[1]) if cfg.get("use_bias", True) else -1
    keep = len(g.shape(xs[0])) > 2

    def y_of(act):
        return g.op("FULLY_CONNECTED", [xs[0], kernel, bias], f"{layer.name}/MatMul",
                    fused_activation_function=act, keep_num_dims=keep)  # fmt: skip

    return [_fused(g, y_of, cfg, layer)]


def _bias(g, layer, cfg, w, channels) -> int:
    value = w[1] if cfg.get("use_bias", True) else np.zeros(channels, np.float32)
    return g.const(f"{layer.name}/BiasAdd", value)


def conv2d(g, layer, xs):
    cfg, w = layer.get_config(), _weights(layer)
    _channels_last(layer, cfg)
    if int(cfg.get("groups", 1)) != 1:
        raise NotImplementedError(f"TFLiteConverter: {_where(layer)}: groups={cfg['groups']}")
    kernel = g.const(f"{layer.name}/convolution", np.transpose(w[0], (3, 0, 1, 2)))
    bias = _bias(g, layer, cfg, w, w[0].shape[3])
    (sh, sw), (dh, dw) = cfg["strides"], cfg.get("dilation_rate") or (1, 1)

    def y_of(act):
        return g.op("CONV_2D", [xs[0], kernel, bias], f"{layer.name}/convolution",
                    padding=_padding(layer, cfg), stride_h=sh, stride_w=sw,
                    dilation_h_factor=dh, dilation_w_factor=dw,
                    fused_activation_function=act)  # fmt: skip

    return [_fused(g, y_of, cfg, layer)]


def depthwise_conv2d(g, layer, xs):
    cfg, w = layer.get_config(), _weights(layer)
    _channels_last(layer, cfg)
    kh, kw, cin, mult = w[0].shape
    kernel = g.const(f"{layer.name}/depthwise", w[0].reshape(1, kh, kw, cin * mult))
    bias = _bias(g, layer, cfg, w, cin * mult)
    (sh, sw), (dh, dw) = cfg["strides"], cfg.get("dilation_rate") or (1, 1)

    def y_of(act):
        return g.op("DEPTHWISE_CONV_2D", [xs[0], kernel, bias], f"{layer.name}/depthwise",
                    padding=_padding(layer, cfg), stride_h=sh, stride_w=sw,
                    depth_multiplier=mult, dilation_h_factor=dh, dilation_w_factor=dw,
                    fused_activation_function=act)  # fmt: skip

    return [_fused(g, y_of, cfg, layer)]


def separable_conv2d(g, layer, xs):
    """DEPTHWISE_CONV_2D then a 1x1 CONV_2D, as TF's converter writes SeparableConv2D."""
    cfg, w = layer.get_config(), _weights(layer)
    _channels_last(layer, cfg)
    kh, kw, cin, mult = w[0].shape
    (sh, sw), (dh, dw) = cfg["strides"], cfg.get("dilation_rate") or (1, 1)
    kernel = g.const(f"{layer.name}/separable_conv2d/depthwise",
                     w[0].reshape(1, kh, kw, cin * mult))  # fmt: skip
    zeros = g.const(f"{layer.name}/separable_conv2d/zeros", np.zeros(cin * mult, np.float32))
    name = f"{layer.name}/separable_conv2d/depthwise"
    y = g.op("DEPTHWISE_CONV_2D", [xs[0], kernel, zeros], name,
             padding=_padding(layer, cfg), stride_h=sh, stride_w=sw, depth_multiplier=mult,
             dilation_h_factor=dh, dilation_w_factor=dw)  # fmt: skip
    point = g.const(f"{layer.name}/separable_conv2d", np.transpose(w[1], (3, 0, 1, 2)))
    bias = g.const(f"{layer.name}/BiasAdd", w[2] if cfg.get("use_bias", True)
                   else np.zeros(w[1].shape[3], np.float32))  # fmt: skip

    def y_of(act):
        return g.op("CONV_2D", [y, point, bias], f"{layer.name}/separable_conv2d",
                    padding=1, stride_h=1, stride_w=1, fused_activation_function=act)  # fmt: skip

    return [_fused(g, y_of, cfg, layer)]


def pool2d(g, layer, xs):
    cfg = layer.get_config()
    _channels_last(layer, cfg)
    (fh, fw) = cfg["pool_size"]
    (sh, sw) = cfg.get("strides") or (fh, fw)
    op = "MAX_POOL_2D" if type(layer).__name__.startswith("Max") else "AVERAGE_POOL_2D"
    return [g.op(op, [xs[0]], f"{layer.name}/{op}", padding=_padding(layer, cfg),
                 stride_h=sh, stride_w=sw, filter_height=fh, filter_width=fw)]  # fmt: skip


def _reshape_to(g, layer, x, rest) -> int:
    new_shape = [-1] + [int(d) for d in rest]
    shape = g.const(f"{layer.name}/Reshape/shape", new_shape, np.int32)
    return g.op("RESHAPE", [x, shape], f"{layer.name}/Reshape", new_shape=new_shape)


def flatten(g, layer, xs):
    _channels_last(layer, layer.get_config())
    return [_reshape_to(g, layer, xs[0], [int(np.prod(g.shape(xs[0])[1:]))])]


def reshape(g, layer, xs):
    target = tuple(layer.get_config()["target_shape"])
    rest = np.empty(g.shape(xs[0])[1:], np.int8).reshape(target).shape
    return [_reshape_to(g, layer, xs[0], rest)]


def _per_channel(g, layer, x, axis, name, value) -> int:
    rank = len(g.shape(x))
    axis = axis % rank
    return g.const(f"{layer.name}/{name}", value.reshape((-1,) + (1,) * (rank - 1 - axis)))


def batch_norm(g, layer, xs):
    cfg, w = layer.get_config(), _weights(layer)
    axis = cfg.get("axis", -1)
    axis = axis[0] if isinstance(axis, (list, tuple)) else axis
    it = iter(w)
    gamma = next(it) if cfg.get("scale", True) else 1.0
    beta = next(it) if cfg.get("center", True) else 0.0
    mean, var = next(it), next(it)
    scale = (gamma / np.sqrt(var + np.float32(cfg.get("epsilon", 1e-3)))).astype(np.float32)
    shift = (beta - mean * scale).astype(np.float32)
    y = g.op("MUL", [xs[0], _per_channel(g, layer, xs[0], axis, "batchnorm/mul", scale)],
             f"{layer.name}/batchnorm/mul")  # fmt: skip
    b = _per_channel(g, layer, xs[0], axis, "batchnorm/sub", shift)
    return [g.op("ADD", [y, b], f"{layer.name}/batchnorm/add_1")]


def rescaling(g, layer, xs):
    cfg = layer.get_config()
    scale = np.asarray(cfg["scale"], np.float32)
    offset = np.asarray(cfg.get("offset", 0.0), np.float32)
    y = g.op("MUL", [xs[0], g.const(f"{layer.name}/Cast/x", scale)], f"{layer.name}/mul")
    if np.any(offset != 0):
        y = g.op("ADD", [y, g.const(f"{layer.name}/Cast_1/x", offset)], f"{layer.name}/add")
    return [y]


def global_pool(g, layer, xs):
    cfg = layer.get_config()
    _channels_last(layer, cfg)
    axes = list(range(1, len(g.shape(xs[0])) - 1))
    op = "REDUCE_MAX" if "Max" in type(layer).__name__ else "MEAN"
    index = g.const(f"{layer.name}/reduction_indices", axes, np.int32)
    return [g.op(op, [xs[0], index], f"{layer.name}/{op.title()}",
                 keep_dims=bool(cfg.get("keepdims", False)))]  # fmt: skip


def activation_layer(g, layer, xs):
    cfg, kind = layer.get_config(), type(layer).__name__
    where = _where(layer)
    if kind == "Activation":
        return [activation(g, xs[0], cfg.get("activation"), layer.name, where)]
    if kind == "Softmax":
        if cfg.get("axis", -1) not in (-1, len(g.shape(xs[0])) - 1):
            raise NotImplementedError(f"TFLiteConverter: {where}: axis={cfg['axis']}")
        return [activation(g, xs[0], "softmax", layer.name, where)]
    if kind == "LeakyReLU":
        slope = cfg.get("negative_slope", cfg.get("alpha", 0.3))
        return [g.op("LEAKY_RELU", [xs[0]], f"{layer.name}/LeakyRelu", alpha=float(slope))]
    # ReLU(max_value, negative_slope, threshold)
    if cfg.get("negative_slope", 0.0) or cfg.get("threshold", 0.0):
        raise NotImplementedError(f"TFLiteConverter: {where}: negative_slope/threshold")
    max_value = cfg.get("max_value")
    if max_value is None:
        return [activation(g, xs[0], "relu", layer.name, where)]
    if float(max_value) == 6.0:
        return [activation(g, xs[0], "relu6", layer.name, where)]
    raise NotImplementedError(f"TFLiteConverter: {where}: max_value={max_value}")


def merge(g, layer, xs):
    kind = type(layer).__name__
    if kind == "Concatenate":
        axis = layer.get_config().get("axis", -1)
        return [g.op("CONCATENATION", list(xs), f"{layer.name}/concat", axis=int(axis))]
    op = {"Add": "ADD", "Subtract": "SUB", "Multiply": "MUL", "Average": "ADD"}[kind]
    y = xs[0]
    for x in xs[1:]:
        y = g.op(op, [y, x], f"{layer.name}/{op.title()}")
    if kind == "Average":
        n = g.const(f"{layer.name}/truediv/y", np.float32(1.0 / len(xs)))
        y = g.op("MUL", [y, n], f"{layer.name}/truediv")
    return [y]


def zero_padding2d(g, layer, xs):
    cfg = layer.get_config()
    _channels_last(layer, cfg)
    (top, bottom), (left, right) = cfg["padding"]
    pads = [[0, 0], [top, bottom], [left, right], [0, 0]]
    return [g.op("PAD", [xs[0], g.const(f"{layer.name}/Const", pads, np.int32)],
                 f"{layer.name}/Pad")]  # fmt: skip


def permute(g, layer, xs):
    perm = [0] + [int(d) for d in layer.get_config()["dims"]]
    return [g.op("TRANSPOSE", [xs[0], g.const(f"{layer.name}/transpose/perm", perm, np.int32)],
                 f"{layer.name}/transpose")]  # fmt: skip


CONVERTERS = {
    "Dense": dense,
    "Conv2D": conv2d,
    "DepthwiseConv2D": depthwise_conv2d,
    "SeparableConv2D": separable_conv2d,
    "LeakyReLU": activation_layer,
    "MaxPooling2D": pool2d,
    "AveragePooling2D": pool2d,
    "Flatten": flatten,
    "Reshape": reshape,
    "BatchNormalization": batch_norm,
    "Rescaling": rescaling,
    "GlobalAveragePooling1D": global_pool,
    "GlobalAveragePooling2D": global_pool,
    "GlobalMaxPooling1D": global_pool,
    "GlobalMaxPooling2D": global_pool,
    "Activation": activation_layer,
    "ReLU": activation_layer,
    "Softmax": activation_layer,
    "Add": merge,
    "Subtract": merge,
    "Multiply": merge,
    "Average": merge,
    "Concatenate": merge,
    "ZeroPadding2D": zero_padding2d,
    "Permute": permute,
}
