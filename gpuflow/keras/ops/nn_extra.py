"""More ``keras.ops.nn`` functions (Keras 3.15): ``conv_transpose``, ``depth_to_space`` /
``space_to_depth``, ``unfold`` / ``fold`` (im2col / col2im, channels first as PyTorch),
``ctc_loss`` / ``ctc_decode`` (batch major, blank ``mask_index``), ``polar`` and
``sparsemax``."""

from __future__ import annotations

import numpy as np

from ... import activations_more as _act
from ...ops import complex_ops as _cx
from ...ops import math_extra as _mx
from ...ops import nn_ctc as _ctc
from ...ops import nn_more as _nm
from ...ops import nn_space as _space
from ...ops import rearrange as _re
from ...ops import shape as _sh
from ...ops import unary as _u
from ...ops.cast import cast as _cast
from ._dtypes import as_float, convert_to_tensor, result_type, standardize_dtype
from .nn import _padding, _tuple


def _data_format(data_format, op: str) -> str:
    if data_format is None:  # gpuflow's image data format is always channels_last
        return "channels_last"
    value = str(data_format).lower()
    if value not in ("channels_last", "channels_first"):
        raise ValueError(
            f"{op}: data_format must be 'channels_last' or 'channels_first', received "
            f"{data_format!r}"
        )
    return value


def _to_last(t, data_format: str):
    return t if data_format == "channels_last" else _sh.transpose(t, [0, *range(2, t.ndim), 1])


def _to_first(t, data_format: str):
    if data_format == "channels_last":
        return t
    return _sh.transpose(t, [0, t.ndim - 1, *range(1, t.ndim - 1)])


def _transpose_length(size, kernel, stride, padding, output_padding, dilation) -> int:
    kernel = (kernel - 1) * dilation + 1
    if padding == "valid":
        extra = max(kernel, stride) - kernel if output_padding is None else output_padding
        return (size - 1) * stride + kernel + extra
    if output_padding is None:
        return size * stride
    return (size - 1) * stride + kernel % 2 + output_padding


def conv_transpose(
    inputs,
    kernel,
    strides=1,
    padding="valid",
    output_padding=None,
    data_format=None,
    dilation_rate=1,
):
    """Transposed N-D convolution (N = 1, 2 or 3) of ``inputs`` with ``kernel
    [*spatial, filters, in_channels]``; the output size per axis follows Keras
    (``valid``: ``(i - 1) * s + max(k, s)``, ``same``: ``i * s``, unless
    ``output_padding``)."""
    data_format = _data_format(data_format, "conv_transpose")
    t = as_float(inputs)
    k = convert_to_tensor(kernel, t.dtype.name)
    n = t.ndim - 2
    if n not in (1, 2, 3) or k.ndim != n + 2:
        raise ValueError(
            "conv_transpose: expected inputs of rank 3, 4 or 5 and a kernel of the same rank, "
            f"received shapes {tuple(t.shape)} and {tuple(k.shape)}"
        )
    t = _to_last(t, data_format)
    if t.shape[-1] != k.shape[-1]:
        raise ValueError(
            "conv_transpose: the number of input channels must match the kernel's input "
            f"channels. Received: input channels={t.shape[-1]}, kernel input channels="
            f"{k.shape[-1]}, data_format='{data_format}'."
        )
    strides = _tuple(strides, n, "strides", "conv_transpose")
    dilation = _tuple(dilation_rate, n, "dilation_rate", "conv_transpose")
    padding = _padding(padding, "conv_transpose")
    extra = (
        (None,) * n
        if output_padding is None
        else _tuple(output_padding, n, "output_padding", "conv_transpose")
    )
    spatial = [
        _transpose_length(t.shape[1 + i], k.shape[i], strides[i], padding, extra[i], dilation[i])
        for i in range(n)
    ]
    out = _space.conv_transpose(
        t,
        k,
        [t.shape[0], *spatial, k.shape[-2]],
        list(strides),
        padding=padding.upper(),
        dilations=list(dilation) if any(d != 1 for d in dilation) else None,
    )
    return _to_first(out, data_format)


def _block(block_size, op: str) -> int:
    if isinstance(block_size, bool) or int(block_size) != block_size or block_size < 2:
        raise ValueError(
            f"{op}: `block_size` must be at least 2. Received: block_size={block_size}"
        )
    return int(block_size)


def _four_d(x, op: str):
    t = convert_to_tensor(x)
    if t.ndim != 4:
        raise ValueError(f"{op}: input must be a 4D tensor. Received: shape={tuple(t.shape)}")
    return t


def depth_to_space(x, block_size, data_format="channels_last"):
    """Channels moved into ``block_size x block_size`` spatial blocks:
    ``(N, H, W, C * r^2) -> (N, H * r, W * r, C)``."""
    data_format = _data_format(data_format, "depth_to_space")
    b = _block(block_size, "depth_to_space")
    t = _to_last(_four_d(x, "depth_to_space"), data_format)
    return _to_first(_nm.depth_to_space(t, b), data_format)


def space_to_depth(x, block_size, data_format="channels_last"):
    """``block_size x block_size`` spatial blocks moved into channels:
    ``(N, H, W, C) -> (N, H / r, W / r, C * r^2)``."""
    data_format = _data_format(data_format, "space_to_depth")
    b = _block(block_size, "space_to_depth")
    t = _to_last(_four_d(x, "space_to_depth"), data_format)
    return _to_first(_nm.space_to_depth(t, b), data_format)


def _patch_index(size, kernel, dilation, padding, stride, op: str):
    """Flat indices into the padded ``(H + 2p) * (W + 2p)`` plane, ordered
    ``(kH, kW, nH, nW)``, and ``(nH, nW)``."""
    k = _tuple(kernel, 2, "kernel_size", op)
    d = _tuple(dilation, 2, "dilation", op)
    p = _tuple(padding, 2, "padding", op)
    s = _tuple(stride, 2, "stride", op)
    padded = [size[i] + 2 * p[i] for i in range(2)]
    blocks = [(padded[i] - d[i] * (k[i] - 1) - 1) // s[i] + 1 for i in range(2)]
    if min(k) < 1 or min(s) < 1 or min(d) < 1 or min(p) < 0 or min(blocks) < 1:
        raise ValueError(
            f"{op}: no {k} blocks fit in a {tuple(size)} plane with dilation={d}, "
            f"padding={p}, stride={s}"
        )
    rows = (np.arange(blocks[0]) * s[0])[None, :] + (np.arange(k[0]) * d[0])[:, None]
    cols = (np.arange(blocks[1]) * s[1])[None, :] + (np.arange(k[1]) * d[1])[:, None]
    index = rows[:, None, :, None] * padded[1] + cols[None, :, None, :]
    return index.reshape(-1), k, p, padded, blocks


def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    """Sliding ``kernel_size`` blocks of a channels-first ``(N, C, H, W)`` tensor as
    ``(N, C * kH * kW, L)`` (im2col; ``L`` blocks)."""
    t = convert_to_tensor(x)
    if t.ndim != 4:
        raise ValueError(
            f"unfold: input must be a 4D tensor. Received: input.shape={tuple(t.shape)}"
        )
    n, c, h, w = t.shape
    index, k, p, padded, blocks = _patch_index(
        (h, w), kernel_size, dilation, padding, stride, "unfold"
    )
    if p[0] or p[1]:
        t = _re.pad(t, [[0, 0], [0, 0], [p[0], p[0]], [p[1], p[1]]])
    flat = _sh.reshape(t, [n, c, padded[0] * padded[1]])
    from ...ops.indexing import gather

    picked = gather(flat, convert_to_tensor(index.astype(np.int32)), axis=2)
    return _sh.reshape(picked, [n, c * k[0] * k[1], blocks[0] * blocks[1]])


def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """The adjoint of :func:`unfold` (col2im): ``(N, C * kH * kW, L)`` blocks summed back
    into a channels-first ``(N, C, oH, oW)`` tensor."""
    t = convert_to_tensor(x)
    if t.ndim != 3:
        raise ValueError(f"fold: input must be a 3D tensor. Received: input.shape={tuple(t.shape)}")
    size = _tuple(output_size, 2, "output_size", "fold")
    index, k, p, padded, blocks = _patch_index(size, kernel_size, dilation, padding, stride, "fold")
    n, ckk, length = t.shape
    if ckk % (k[0] * k[1]) or length != blocks[0] * blocks[1]:
        raise ValueError(
            f"fold: expected input (N, C * {k[0] * k[1]}, {blocks[0] * blocks[1]}) for "
            f"output_size={size}, kernel_size={k}, received shape {tuple(t.shape)}"
        )
    c = ckk // (k[0] * k[1])
    values = _sh.transpose(_sh.reshape(t, [n, c, -1]), [2, 0, 1])
    summed = _mx.unsorted_segment_sum(
        values, convert_to_tensor(index.astype(np.int32)), padded[0] * padded[1]
    )
    out = _sh.reshape(_sh.transpose(summed, [1, 2, 0]), [n, c, padded[0], padded[1]])
    return out[:, :, p[0] : p[0] + size[0], p[1] : p[1] + size[1]]


def ctc_loss(target, output, target_length, output_length, mask_index=0):
    """The CTC loss of each sequence: ``target [batch, max_length]`` int labels,
    ``output [batch, frames, classes]`` logits, ``mask_index`` the blank class."""
    labels = _cast(convert_to_tensor(target), "int32")
    logits = convert_to_tensor(output)
    dtype = result_type(logits, "float32")
    compute = "float32" if dtype == "float64" else dtype
    loss = _ctc.ctc_loss(
        labels=labels,
        logits=_cast(logits, compute),
        label_length=convert_to_tensor(target_length),
        logit_length=convert_to_tensor(output_length),
        logits_time_major=False,
        blank_index=mask_index,
    )
    return _cast(loss, dtype)


def _dense(sparse, batch: int, steps: int) -> np.ndarray:
    out = np.full((batch, steps), -1, dtype=np.int64)
    indices = np.asarray(
        sparse.indices.numpy() if hasattr(sparse.indices, "numpy") else sparse.indices
    )
    values = np.asarray(sparse.values.numpy() if hasattr(sparse.values, "numpy") else sparse.values)
    if indices.size:
        out[indices[:, 0], indices[:, 1]] = values
    return out


def ctc_decode(
    inputs,
    sequence_lengths,
    strategy="greedy",
    beam_width=100,
    top_paths=1,
    merge_repeated=True,
    mask_index=0,
):
    """Decode ``inputs [batch, frames, classes]``: ``(decoded, scores)`` with ``decoded``
    int32 ``[top_paths, batch, frames]`` padded with -1. ``strategy``: "greedy" (scores:
    minus the summed best logits, ``[batch, 1]``) or "beam_search" (scores: the
    ``[batch, top_paths]`` log probabilities)."""
    t = convert_to_tensor(inputs)
    if t.ndim != 3:
        raise ValueError(
            f"ctc_decode: inputs must be [batch, frames, classes], received shape {tuple(t.shape)}"
        )
    batch, steps, classes = t.shape
    dtype = result_type(t, "float32")
    x = _cast(_sh.transpose(t, [1, 0, 2]), dtype)
    lengths = _cast(convert_to_tensor(sequence_lengths), "int32")
    if strategy == "greedy":
        decoded, scores = _ctc.ctc_greedy_decoder(
            x, lengths, merge_repeated=merge_repeated, blank_index=mask_index
        )
    elif strategy == "beam_search":
        if mask_index is not None:
            m = mask_index % classes
            x = _sh.concat([x[..., :m], x[..., m + 1 :], x[..., m : m + 1]], axis=-1)
        decoded, scores = _ctc.ctc_beam_search_decoder(
            x, lengths, beam_width=beam_width, top_paths=top_paths
        )
    else:
        raise ValueError(
            f"Invalid strategy {strategy}. Supported values are 'greedy' and 'beam_search'."
        )
    dense = np.stack([_dense(st, batch, steps) for st in decoded])
    if strategy == "beam_search" and mask_index is not None:
        m = mask_index % classes
        dense = np.where(dense >= m, dense + 1, dense)
    return convert_to_tensor(dense.astype(np.int32)), scores


def polar(abs_, angle):
    """The complex numbers ``abs_ * (cos(angle) + 1j * sin(angle))``."""
    r, a = convert_to_tensor(abs_), convert_to_tensor(angle)
    if standardize_dtype(r.dtype) not in ("float32", "float64") or r.dtype != a.dtype:
        raise ValueError(
            "polar: abs_ and angle must both be float32 or both float64 tensors, received "
            f"{standardize_dtype(r.dtype)} and {standardize_dtype(a.dtype)}"
        )
    return _cx.complex(r * _u.cos(a), r * _u.sin(a))


def sparsemax(x, axis=-1):
    """The Euclidean projection of ``x`` onto the probability simplex along ``axis``."""
    return _act.sparsemax(as_float(x), axis=axis)
