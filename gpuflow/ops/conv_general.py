"""Convolutions beyond ``conv2d``'s fast path: dilation, groups (depthwise), and transposed.

All work on channels-last ``[N, H, W, C]`` arrays (1-D convolutions run with H = 1). A
strided view of the padded input gives the windows ``[N, OH, OW, KH, KW, C]``; the
convolution is one tensor contraction of those windows with the kernel, its input gradient
KH*KW strided adds (col2im), and its kernel gradient one more contraction. The transposed
convolution is the adjoint: its forward pass is the convolution's input gradient, its
backward pass the convolution itself. float16 computes in float32. Depthwise kernels (one
input channel per group) take ``conv_depthwise``'s shifted multiply-adds instead of the
grouped contraction, which would copy the windows.
"""

from __future__ import annotations

from .. import dtypes
from ..autodiff.function import Function
from ..tensor import Tensor
from ._common import as_tensor, invalid_argument
from .conv import conv2d, conv_geometry
from .conv_depthwise import depthwise_forward, depthwise_input_parts, depthwise_kernel_grad


class ConvGeometry:
    """Windows of a convolution whose input is ``[N, H, W, C]``: output size and pads per axis."""

    def __init__(self, in_hw, kernel_hw, strides, dilation, padding) -> None:
        self.in_hw, self.k = tuple(in_hw), tuple(kernel_hw)
        self.s, self.d = tuple(strides), tuple(dilation)
        self.out, self.pads = [], []
        for size, k, s, d in zip(self.in_hw, self.k, self.s, self.d):
            out, before, after = conv_geometry(size, (k - 1) * d + 1, s, padding)
            self.out.append(out)
            self.pads.append((before, after))
        self.out = tuple(self.out)

    def padded_hw(self) -> tuple:
        return tuple(n + a + b for n, (a, b) in zip(self.in_hw, self.pads))

    def windows(self, xp, x):
        """``[N, OH, OW, KH, KW, C]`` strided view of ``x`` padded with zeros."""
        (pt, pb), (pl, pr) = self.pads
        if pt or pb or pl or pr:
            x = xp.pad(x, ((0, 0), (pt, pb), (pl, pr), (0, 0)))
        x = xp.ascontiguousarray(x)
        sn, sh, sw, sc = x.strides
        return xp.lib.stride_tricks.as_strided(
            x,
            (x.shape[0], self.out[0], self.out[1], self.k[0], self.k[1], x.shape[3]),
            (sn, sh * self.s[0], sw * self.s[1], sh * self.d[0], sw * self.d[1], sc),
        )


def _acc(x):
    return x.astype(dtypes.accumulation_dtype(x.dtype), copy=False)


def conv_forward(xp, x, k, geo: ConvGeometry, groups: int):
    """``y[N, OH, OW, F]`` of input ``x [N, H, W, C]`` and kernel ``k [KH, KW, C/G, F]``."""
    kh, kw, cg, f = k.shape
    win = geo.windows(xp, _acc(x))
    kf = _acc(k)
    if groups == 1:
        y = xp.tensordot(win, kf, axes=([3, 4, 5], [0, 1, 2]))
    elif cg == 1:  # depthwise
        y = depthwise_forward(xp, win, kf)
    else:
        n, oh, ow = win.shape[:3]
        win = win.reshape(n, oh, ow, kh, kw, groups, cg)
        y = xp.einsum(
            "nhwijgc,ijcgf->nhwgf", win, kf.reshape(kh, kw, cg, groups, f // groups), optimize=True
        ).reshape(n, oh, ow, f)
    return y.astype(x.dtype, copy=False)


def conv_input_grad(xp, g, k, geo: ConvGeometry, groups: int, x_shape):
    """The gradient of ``sum(conv(x, k) * g)`` with respect to ``x`` (of ``x_shape``)."""
    kh, kw, cg, f = k.shape
    n, oh, ow, _ = g.shape
    hp, wp = geo.padded_hw()
    gf, kf = _acc(g), _acc(k)
    if cg == 1 and groups > 1:
        part = depthwise_input_parts(gf, kf, groups)
    elif groups == 1:  # every window position's input gradient at once: one GEMM
        parts = (gf.reshape(-1, f) @ kf.reshape(kh * kw * cg, f).T).reshape(n, oh, ow, kh, kw, cg)

        def part(i, j):
            return parts[:, :, :, i, j, :]
    else:
        gf = gf.reshape(n, oh, ow, groups, f // groups)
        kf = kf.reshape(kh, kw, cg, groups, f // groups)

        contract = cg * (f // groups) > 1  # BLAS for real channel blocks; depthwise: plain

        def part(i, j):
            out = xp.einsum("nhwgf,cgf->nhwgc", gf, kf[i, j], optimize=contract)
            return out.reshape(n, oh, ow, groups * cg)

    dxp = xp.zeros((n, hp, wp, groups * cg), dtype=gf.dtype)
    (sh, sw), (dh, dw) = geo.s, geo.d
    for i in range(kh):
        for j in range(kw):
            rows = slice(i * dh, i * dh + sh * (oh - 1) + 1, sh)
            cols = slice(j * dw, j * dw + sw * (ow - 1) + 1, sw)
            dxp[:, rows, cols, :] += part(i, j)
    (pt, _), (pl, _) = geo.pads
    h, w = x_shape[1:3]
    return dxp[:, pt : pt + h, pl : pl + w, :].astype(g.dtype, copy=False)


def conv_kernel_grad(xp, x, g, geo: ConvGeometry, groups: int, k_shape):
    """The gradient of ``sum(conv(x, k) * g)`` with respect to ``k`` (of ``k_shape``)."""
    kh, kw, cg, f = k_shape
    win = geo.windows(xp, _acc(x))
    gf = _acc(g)
    if groups == 1:
        dk = xp.tensordot(win, gf, axes=([0, 1, 2], [0, 1, 2]))
    elif cg == 1:  # depthwise
        dk = depthwise_kernel_grad(xp, win, gf, k_shape)
    else:
        n, oh, ow = win.shape[:3]
        win = win.reshape(n, oh, ow, kh, kw, groups, cg)
        dk = xp.einsum(
            "nhwijgc,nhwgf->ijcgf", win, gf.reshape(n, oh, ow, groups, f // groups), optimize=True
        ).reshape(kh, kw, cg, f)
    return dk.astype(g.dtype, copy=False)


class ConvGeneral(Function):
    def __init__(self, strides, dilation, padding, groups) -> None:
        self.strides, self.dilation, self.padding, self.groups = strides, dilation, padding, groups

    def forward(self, x, k):
        self.x, self.k = x, k
        self.geo = ConvGeometry(
            x.shape[1:3], k.shape[:2], self.strides, self.dilation, self.padding
        )
        return conv_forward(self.xp, x, k, self.geo, self.groups)

    def backward(self, g):
        xp, geo = self.xp, self.geo
        dx = dk = None
        if self.needs_grad[0]:
            dx = conv_input_grad(xp, g, self.k, geo, self.groups, self.x.shape)
        if self.needs_grad[1]:
            dk = conv_kernel_grad(xp, self.x, g, geo, self.groups, self.k.shape)
        return dx, dk


class ConvTranspose(Function):
    """Kernel ``[KH, KW, F_out, C_in]`` (Keras' Conv2DTranspose layout) mapping ``[N, H, W, C_in]``
    to ``[N, OH, OW, F_out]``: the adjoint of the convolution from ``F_out`` to ``C_in``
    channels."""

    def __init__(self, out_hw, strides, dilation, padding) -> None:
        self.out_hw, self.strides, self.dilation, self.padding = out_hw, strides, dilation, padding

    def forward(self, x, k):
        self.x, self.k = x, k
        geo = self.geo = ConvGeometry(
            self.out_hw, k.shape[:2], self.strides, self.dilation, self.padding
        )
        if tuple(geo.out) != tuple(x.shape[1:3]):
            raise invalid_argument(  # TF's InvalidArgumentError, still a ValueError
                "conv_transpose",
                f"output size {self.out_hw} does not map back to the input's "
                f"{tuple(x.shape[1:3])} under strides {self.strides} and '{self.padding}' "
                "padding",
            )
        y_shape = (x.shape[0],) + tuple(self.out_hw) + (k.shape[2],)
        return conv_input_grad(self.xp, x, k, geo, 1, y_shape)

    def backward(self, g):
        xp, geo = self.xp, self.geo
        dx = conv_forward(xp, g, self.k, geo, 1) if self.needs_grad[0] else None
        dk = conv_kernel_grad(xp, g, self.x, geo, 1, self.k.shape) if self.needs_grad[1] else None
        return dx, dk


def _check(x, k, op):
    if k.ndim != 4 or x.ndim != 4:
        raise ValueError(
            f"{op}: expected input [N, H, W, C] and kernel [KH, KW, ., .], received "
            f"shapes {tuple(x.shape)} and {tuple(k.shape)}"
        )
    if x.dtype != k.dtype:
        from .math import cast

        x = cast(x, k.dtype)
    return x


def conv2d_general(x, kernel, strides=(1, 1), padding="valid", dilation=(1, 1), groups=1) -> Tensor:
    """2-D convolution with dilation and groups: kernel ``[KH, KW, C / groups, F]``.

    Raises:
        ValueError: when the channels do not divide into ``groups`` or the kernel does not fit.
    """
    x, k = as_tensor(x), as_tensor(kernel)
    x = _check(x, k, "conv2d")
    c, f = x.shape[3], k.shape[3]
    if c % groups or f % groups or k.shape[2] * groups != c:
        raise ValueError(
            f"conv2d: input channels {c} and filters {f} must both divide into "
            f"groups={groups}, with kernel shape [KH, KW, {c // max(groups, 1)}, F]; "
            f"received kernel shape {tuple(k.shape)}"
        )
    geo = ConvGeometry(x.shape[1:3], k.shape[:2], strides, dilation, padding)
    if min(geo.out) < 1:
        raise ValueError(
            f"conv2d: input of shape {tuple(x.shape)} is smaller than the (dilated) "
            f"kernel {tuple(k.shape[:2])} with '{padding}' padding"
        )
    if tuple(dilation) == (1, 1) and groups == 1:  # im2col and one GEMM each way
        return conv2d(x, k, tuple(strides), padding)
    return ConvGeneral(tuple(strides), tuple(dilation), padding, int(groups))(x, k)


def conv2d_transpose(
    x, kernel, output_hw, strides=(1, 1), padding="valid", dilation=(1, 1)
) -> Tensor:
    """Transposed 2-D convolution with kernel ``[KH, KW, F_out, C_in]`` to the spatial size
    ``output_hw``."""
    x, k = as_tensor(x), as_tensor(kernel)
    x = _check(x, k, "conv2d_transpose")
    if k.shape[3] != x.shape[3]:
        raise ValueError(
            "conv2d_transpose: kernel [KH, KW, F_out, C_in] needs C_in = "
            f"{x.shape[3]} "
            f"(the input's channels), received kernel shape {tuple(k.shape)}"
        )
    return ConvTranspose(tuple(output_hw), tuple(strides), tuple(dilation), padding)(x, k)


def deconv_output_length(size, kernel, padding, output_padding, stride, dilation) -> int:
    """Keras' output length of a transposed convolution along one axis."""
    kernel = (kernel - 1) * dilation + 1
    if output_padding is None:
        if padding == "valid":
            return size * stride + max(kernel - stride, 0)
        return size * stride
    pad = kernel // 2 if padding == "same" else 0
    return (size - 1) * stride + kernel - 2 * pad + output_padding
