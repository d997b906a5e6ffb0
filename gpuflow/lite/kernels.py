"""NumPy kernels of the TensorFlow Lite builtin ops gpuflow runs (float models), with TFLite's
semantics: NHWC layouts, OHWI convolution filters, SAME/VALID padding as TFLite computes it,
fused activations. Each kernel takes the input arrays (None for an omitted optional input)
and the op's options dict, and returns the list of its outputs."""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .schema import ACTIVATIONS, PADDING


class UnsupportedOpError(ValueError):
    """An op (or an op's option) gpuflow's TFLite interpreter does not run; a ValueError, as
    TensorFlow's Interpreter raises for an op its resolver does not find."""


def fused(x, options):
    kind = ACTIVATIONS.get(options.get("fused_activation_function", 0), "?")
    if kind == "NONE":
        return x
    if kind == "RELU":
        return np.maximum(x, 0).astype(x.dtype)
    if kind == "RELU6":
        return np.clip(x, 0, 6).astype(x.dtype)
    if kind == "RELU_N1_TO_1":
        return np.clip(x, -1, 1).astype(x.dtype)
    if kind == "TANH":
        return np.tanh(x)
    raise UnsupportedOpError(f"fused activation {kind} is not supported")


def _pads(size, filt, stride, dilation, padding):
    """TFLite's output size and (before, after) padding along one spatial axis."""
    eff = (filt - 1) * dilation + 1
    if PADDING[padding] == "SAME":
        out = -(-size // stride)
        total = max((out - 1) * stride + eff - size, 0)
        return out, (total // 2, total - total // 2)
    return -(-(size - eff + 1) // stride), (0, 0)


def _windows(x, fh, fw, options, fill=0.0):
    """(N, OH, OW, C, fh, fw) windows of the NHWC ``x`` and a mask of the real (unpadded) taps."""
    sh, sw = options["stride_h"], options["stride_w"]
    dh, dw = options.get("dilation_h_factor", 1), options.get("dilation_w_factor", 1)
    oh, ph = _pads(x.shape[1], fh, sh, dh, options["padding"])
    ow, pw = _pads(x.shape[2], fw, sw, dw, options["padding"])
    xp = np.pad(x, ((0, 0), ph, pw, (0, 0)), constant_values=fill)
    ones = np.pad(np.ones(x.shape[1:3], x.dtype), (ph, pw))
    eh, ew = (fh - 1) * dh + 1, (fw - 1) * dw + 1
    win = sliding_window_view(xp, (eh, ew), axis=(1, 2))[:, ::sh, ::sw][:, :oh, :ow]
    mask = sliding_window_view(ones, (eh, ew))[::sh, ::sw][:oh, :ow]
    return win[..., ::dh, ::dw], mask[..., ::dh, ::dw]


def conv_2d(inputs, options):
    x, w, b = inputs[0], inputs[1], inputs[2] if len(inputs) > 2 else None
    win, _ = _windows(x, w.shape[1], w.shape[2], options)
    groups = x.shape[3] // w.shape[3]
    if groups != 1:
        raise UnsupportedOpError(f"CONV_2D with {groups} groups is not supported")
    y = np.einsum("nhwcij,oijc->nhwo", win, w, optimize=True).astype(x.dtype)
    if b is not None:
        y = y + b
    return [fused(y, options)]


def depthwise_conv_2d(inputs, options):
    x, w, b = inputs[0], inputs[1], inputs[2] if len(inputs) > 2 else None
    c = x.shape[3]
    m = w.shape[3] // c
    win, _ = _windows(x, w.shape[1], w.shape[2], options)
    kernel = w[0].reshape(w.shape[1], w.shape[2], c, m)
    y = np.einsum("nhwcij,ijcm->nhwcm", win, kernel, optimize=True)
    y = y.reshape(y.shape[:3] + (c * m,)).astype(x.dtype)
    if b is not None:
        y = y + b
    return [fused(y, options)]


def max_pool_2d(inputs, options):
    x = inputs[0]
    win, _ = _windows(x, options["filter_height"], options["filter_width"], options, -np.inf)
    return [fused(win.max(axis=(-2, -1)).astype(x.dtype), options)]


def average_pool_2d(inputs, options):
    x = inputs[0]
    win, mask = _windows(x, options["filter_height"], options["filter_width"], options)
    count = mask.sum(axis=(-2, -1))[None, :, :, None]  # padding is not counted, as in TFLite
    return [fused((win.sum(axis=(-2, -1)) / count).astype(x.dtype), options)]


def fully_connected(inputs, options):
    x, w, b = inputs[0], inputs[1], inputs[2] if len(inputs) > 2 else None
    if options.get("weights_format", 0) != 0:
        raise UnsupportedOpError("FULLY_CONNECTED with shuffled weights is not supported")
    y = x.reshape(-1, w.shape[1]) @ w.T
    if b is not None:
        y = y + b
    if options.get("keep_num_dims"):
        y = y.reshape(x.shape[:-1] + (w.shape[0],))
    return [fused(y.astype(x.dtype), options)]


def _binary(fn):
    def kernel(inputs, options):
        return [fused(fn(inputs[0], inputs[1]).astype(inputs[0].dtype), options)]

    return kernel


def _unary(fn):
    def kernel(inputs, options):
        return [fn(inputs[0]).astype(inputs[0].dtype)]

    return kernel


def softmax(inputs, options):
    x = inputs[0] * options.get("beta", 1.0)
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return [(e / e.sum(axis=-1, keepdims=True)).astype(inputs[0].dtype)]


def reshape(inputs, options):
    x = inputs[0]
    shape = inputs[1] if len(inputs) > 1 and inputs[1] is not None else options.get("new_shape")
    return [x.reshape(tuple(int(d) for d in np.asarray(shape).reshape(-1)))]


def _reducer(fn):
    def kernel(inputs, options):
        axes = tuple(int(a) for a in np.asarray(inputs[1]).reshape(-1))
        x = inputs[0]
        keep = bool(options.get("keep_dims"))
        return [np.asarray(fn(x, axis=axes, keepdims=keep)).astype(x.dtype)]

    return kernel


def concatenation(inputs, options):
    return [fused(np.concatenate(inputs, axis=options.get("axis", 0)), options)]


def pad(inputs, options):
    value = inputs[2].item() if len(inputs) > 2 and inputs[2] is not None else 0
    return [np.pad(inputs[0], np.asarray(inputs[1]).astype(int), constant_values=value)]


def transpose(inputs, options):
    return [np.transpose(inputs[0], tuple(int(p) for p in inputs[1]))]


def shape(inputs, options):
    dtype = np.int64 if options.get("out_type") == 4 else np.int32
    return [np.array(inputs[0].shape, dtype)]


def pack(inputs, options):
    return [np.stack(inputs, axis=options.get("axis", 0))]


def gather(inputs, options):
    if options.get("batch_dims", 0):
        raise UnsupportedOpError("GATHER with batch_dims is not supported")
    return [np.take(inputs[0], inputs[1], axis=options.get("axis", 0))]


def strided_slice(inputs, options):
    x, begin, end, strides = inputs
    if options.get("ellipsis_mask") or options.get("new_axis_mask") or options.get("offset"):
        raise UnsupportedOpError("STRIDED_SLICE with ellipsis/new-axis masks or offset")
    index, shrink = [], options.get("shrink_axis_mask", 0)
    for i in range(len(begin)):
        b = None if options.get("begin_mask", 0) >> i & 1 else int(begin[i])
        e = None if options.get("end_mask", 0) >> i & 1 else int(end[i])
        if shrink >> i & 1:
            index.append(int(begin[i]))
        else:
            index.append(slice(b, e, int(strides[i])))
    return [np.asarray(x[tuple(index)])]


def dequantize(inputs, options):
    """Float16 weights (TF's float16 quantization) to float32; int8 inputs carry scales and
    are refused before they get here."""
    if inputs[0].dtype != np.float16:
        raise UnsupportedOpError(f"DEQUANTIZE of {inputs[0].dtype} is not supported")
    return [inputs[0].astype(np.float32)]


def leaky_relu(inputs, options):
    x = inputs[0]
    return [np.where(x >= 0, x, x * np.float32(options.get("alpha", 0.0))).astype(x.dtype)]


def _relu6(x):
    return np.clip(x, 0, 6)


KERNELS = {
    "CONV_2D": conv_2d,
    "DEPTHWISE_CONV_2D": depthwise_conv_2d,
    "MAX_POOL_2D": max_pool_2d,
    "AVERAGE_POOL_2D": average_pool_2d,
    "FULLY_CONNECTED": fully_connected,
    "ADD": _binary(np.add),
    "SUB": _binary(np.subtract),
    "MUL": _binary(np.multiply),
    "DIV": _binary(np.divide),
    "SOFTMAX": softmax,
    "LOGISTIC": _unary(lambda x: 1 / (1 + np.exp(-x))),
    "RELU": _unary(lambda x: np.maximum(x, 0)),
    "RELU6": _unary(_relu6),
    "TANH": _unary(np.tanh),
    "RESHAPE": reshape,
    "MEAN": _reducer(np.mean),
    "SUM": _reducer(np.sum),
    "REDUCE_PROD": _reducer(np.prod),
    "REDUCE_MAX": _reducer(np.max),
    "CONCATENATION": concatenation,
    "PAD": pad,
    "TRANSPOSE": transpose,
    "SHAPE": shape,
    "PACK": pack,
    "GATHER": gather,
    "STRIDED_SLICE": strided_slice,
    "DEQUANTIZE": dequantize,
    "LEAKY_RELU": leaky_relu,
}
