"""3-D convolution and pooling on ``[N, D, H, W, C]`` volumes, built from the 2-D ops.

A 3-D convolution is a sum over the kernel's depth taps of 2-D convolutions: tap ``i`` sees
the depth slices ``i * dilation + o * stride`` for every output depth ``o``, which one strided
slice gathers; folding ``(N, output depth)`` into the batch makes that one ``conv2d_general``
call per tap. Max and average pooling over a box are separable: pool height and width with
the 2-D op, then depth (a 2-D pool with a ``(pool_depth, 1)`` window); with ``"same"``
padding TensorFlow's average divides by the count of real cells, which factorizes the same
way. Gradients come from the 2-D ops, slicing and padding.
"""

from __future__ import annotations

from ..backend.geometry import conv_geometry
from ..tensor import Tensor
from ._common import as_tensor, invalid_argument
from .conv import avg_pool2d, max_pool2d
from .conv_general import conv2d_general
from .math import cast
from .rearrange import pad
from .shape import reshape


def triple(value, name: str, op: str) -> tuple:
    """Three positive ints from an int or a sequence of three (or five, ``[1, d, h, w, 1]``)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = (value,) * 3
    values = list(value) if isinstance(value, (list, tuple)) else None
    if values is not None and len(values) == 5:
        if values[0] != 1 or values[4] != 1:
            raise invalid_argument(
                op, f"{name} must be 1 in the batch and channel entries, received {value!r}"
            )
        values = values[1:4]
    if (
        values is None
        or len(values) != 3
        or any(not isinstance(v, int) or isinstance(v, bool) or v < 1 for v in values)
    ):
        raise ValueError(
            f"{op}: {name} must be a positive int or three of them, received {value!r}"
        )
    return tuple(values)


def padding_mode(padding, op: str) -> str:
    mode = str(padding).lower()
    if mode not in ("valid", "same"):
        raise invalid_argument(op, f"padding must be 'VALID' or 'SAME', received {padding!r}")
    return mode


def _check_volume(x: Tensor, op: str) -> None:
    if x.ndim != 5:
        raise ValueError(
            f"{op}: expected input [batch, depth, height, width, channels], received shape "
            f"{tuple(x.shape)}"
        )


def conv3d(input, filters, strides=1, padding="VALID", dilations=1, groups=1) -> Tensor:  # noqa: A002
    """3-D convolution of ``input [N, D, H, W, C]`` with ``filters [KD, KH, KW, C / groups, F]``.

    Raises:
        ValueError: for wrong ranks, channels that do not match the kernel, or a kernel
            larger than the (padded) input.
    """
    op = "conv3d"
    x, k = as_tensor(input), as_tensor(filters)
    _check_volume(x, op)
    if k.ndim != 5:
        raise ValueError(
            f"{op}: expected filters [KD, KH, KW, C, F], received shape {tuple(k.shape)}"
        )
    if x.dtype != k.dtype:
        x = cast(x, k.dtype)
    if k.shape[3] * groups != x.shape[4]:
        raise invalid_argument(
            op,
            f"input channels {x.shape[4]} must equal filters' in-channels {k.shape[3]} "
            f"times groups={groups}: received input shape {tuple(x.shape)} and filters shape "
            f"{tuple(k.shape)}",
        )
    (sd, sh, sw), (dd, dh, dw) = triple(strides, "strides", op), triple(dilations, "dilations", op)
    mode = padding_mode(padding, op)
    n, depth, h, w, c = x.shape
    kd = k.shape[0]
    out_d, front, back = conv_geometry(depth, (kd - 1) * dd + 1, sd, mode)
    out_h = conv_geometry(h, (k.shape[1] - 1) * dh + 1, sh, mode)[0]
    out_w = conv_geometry(w, (k.shape[2] - 1) * dw + 1, sw, mode)[0]
    if min(out_d, out_h, out_w) < 1:
        raise ValueError(
            f"{op}: input of shape {tuple(x.shape)} is smaller than the (dilated) kernel "
            f"{tuple(k.shape[:3])} with '{mode}' padding"
        )
    if front or back:
        x = pad(x, [[0, 0], [front, back], [0, 0], [0, 0], [0, 0]])
    total = None
    for tap in range(kd):
        start = tap * dd
        slices = x[:, start : start + sd * (out_d - 1) + 1 : sd]  # [N, OD, H, W, C]
        y = conv2d_general(
            reshape(slices, (n * out_d, h, w, c)), k[tap], (sh, sw), mode, (dh, dw), groups
        )
        total = y if total is None else total + y
    return reshape(total, (n, out_d) + tuple(total.shape[1:]))


def _pool3d(pool2d, op, input, ksize, strides, padding) -> Tensor:  # noqa: A002
    x = as_tensor(input)
    _check_volume(x, op)
    pd, ph, pw = triple(ksize, "ksize", op)
    sd, sh, sw = triple((pd, ph, pw) if strides is None else strides, "strides", op)
    mode = padding_mode(padding, op)
    n, depth, h, w, c = x.shape
    if mode == "valid" and (depth < pd or h < ph or w < pw):
        raise invalid_argument(
            op, f"input of shape {tuple(x.shape)} is smaller than the pool {(pd, ph, pw)}"
        )
    planes = pool2d(reshape(x, (n * depth, h, w, c)), (ph, pw), (sh, sw), mode.upper())
    oh, ow = planes.shape[1], planes.shape[2]
    columns = reshape(planes, (n, depth, oh * ow, c))
    pooled = pool2d(columns, (pd, 1), (sd, 1), mode.upper())
    return reshape(pooled, (n, pooled.shape[1], oh, ow, c))


def max_pool3d(input, ksize, strides=None, padding="VALID", data_format="NDHWC", name=None):  # noqa: A002
    """Max over ``ksize`` boxes of ``input [N, D, H, W, C]``."""
    _ndhwc(data_format, "max_pool3d")
    return _pool3d(max_pool2d, "max_pool3d", input, ksize, strides, padding)


def avg_pool3d(input, ksize, strides=None, padding="VALID", data_format="NDHWC", name=None):  # noqa: A002
    """Average over ``ksize`` boxes of ``input [N, D, H, W, C]`` (padding not counted)."""
    _ndhwc(data_format, "avg_pool3d")
    return _pool3d(avg_pool2d, "avg_pool3d", input, ksize, strides, padding)


def _ndhwc(data_format, op: str) -> None:
    if data_format not in (None, "NDHWC"):
        raise ValueError(f"{op}: only data_format='NDHWC' is supported, received {data_format!r}")
