"""2-D convolution and pooling on channels-last tensors (``[N, H, W, C]``, as Keras).

Convolution is im2col + one GEMM: on devices with custom kernels (cuda, cuda-emu)
im2col/col2im and the fused GEMM run as CUDA kernels; elsewhere im2col is a strided
view copied once and the GEMM is BLAS.
"""
from __future__ import annotations

from .. import dtypes
from ..autodiff.function import Function
from ..tensor import Tensor
from ._common import as_tensor


def conv_geometry(size: int, k: int, stride: int, padding: str) -> tuple[int, int, int]:
    """``(out, pad_before, pad_after)`` along one axis, as TensorFlow computes them."""
    if padding == "valid":
        out = (size - k) // stride + 1 if size >= k else 0
        return out, 0, 0
    out = -(-size // stride)
    total = max((out - 1) * stride + k - size, 0)
    return out, total // 2, total - total // 2


def _pair(value, name: str, op: str) -> tuple[int, int]:
    if isinstance(value, int):
        value = (value, value)
    value = tuple(int(v) for v in value)
    if len(value) != 2 or min(value) < 1:
        raise ValueError(f"{op}: {name} must be a positive int or a pair of them, received {value}")
    return value


def _padding(padding: str, op: str) -> str:
    p = str(padding).lower()
    if p not in ("valid", "same"):
        raise ValueError(f"{op}: padding must be 'valid' or 'same', received {padding!r}")
    return p


class _Geometry:
    """Window geometry shared by conv and pooling: kernel, strides, pads, output size."""

    def __init__(self, x_shape, kh, kw, sh, sw, padding):
        n, h, w, c = x_shape
        self.kh, self.kw, self.sh, self.sw = kh, kw, sh, sw
        self.oh, self.pt, self.pb = conv_geometry(h, kh, sh, padding)
        self.ow, self.pl, self.pr = conv_geometry(w, kw, sw, padding)
        self.x_shape = x_shape

    def padded(self, xp, x, value=0):
        if self.pt or self.pb or self.pl or self.pr:
            return xp.pad(x, ((0, 0), (self.pt, self.pb), (self.pl, self.pr), (0, 0)), constant_values=value)
        return x

    def windows(self, xp, xpad):
        """A strided view ``[N, OH, OW, KH, KW, C]`` of the padded input (no copy)."""
        n, _, _, c = xpad.shape
        s_n, s_h, s_w, s_c = xpad.strides
        return xp.lib.stride_tricks.as_strided(
            xpad, (n, self.oh, self.ow, self.kh, self.kw, c),
            (s_n, s_h * self.sh, s_w * self.sw, s_h, s_w, s_c))

    def scatter(self, xp, parts, dtype):
        """Sum ``parts(i, j)`` (each ``[N, OH, OW, C]``) back onto the input grid: the adjoint of windows."""
        n, h, w, c = self.x_shape
        dxp = xp.zeros((n, h + self.pt + self.pb, w + self.pl + self.pr, c), dtype=dtype)
        for i in range(self.kh):  # KH*KW strided adds, never a loop over pixels
            for j in range(self.kw):
                dxp[:, i:i + self.sh * (self.oh - 1) + 1:self.sh,
                    j:j + self.sw * (self.ow - 1) + 1:self.sw, :] += parts(i, j)
        return dxp[:, self.pt:self.pt + h, self.pl:self.pl + w, :]


class Conv2D(Function):
    def __init__(self, strides, padding, relu: bool) -> None:
        self.strides, self.padding, self.relu = strides, padding, relu

    def forward(self, x, kernel, bias=None):
        kh, kw, c, f = kernel.shape
        geo = self.geo = _Geometry(x.shape, kh, kw, *self.strides, self.padding)
        self.kernel, self.has_bias = kernel, bias is not None
        k2 = kernel.reshape(kh * kw * c, f)
        kernels = self.device.kernels
        if kernels is not None:
            self.cols = kernels.im2col(x, kh, kw, geo.sh, geo.sw, geo.pt, geo.pl, geo.oh, geo.ow)
            y = kernels.dense_forward(self.cols, k2, bias, self.relu)
        else:
            self.cols = geo.windows(self.xp, geo.padded(self.xp, x)).reshape(-1, kh * kw * c)
            y = self.device.matmul(self.cols, k2)
            if bias is not None:
                y += bias
            if self.relu:
                self.xp.maximum(y, 0, out=y)
        self.y = y
        return y.reshape(x.shape[0], geo.oh, geo.ow, f)

    def backward(self, g):
        geo, kernel = self.geo, self.kernel
        kh, kw, c, f = kernel.shape
        k2 = kernel.reshape(kh * kw * c, f)
        g2 = g.reshape(-1, f)
        kernels = self.device.kernels
        if kernels is not None:
            dcols, dk, db = kernels.dense_backward(self.cols, k2, self.y, g2, self.relu,
                                                   need_dx=self.needs_grad[0])
            dx = None if dcols is None else kernels.col2im(
                dcols, geo.x_shape, kh, kw, geo.sh, geo.sw, geo.pt, geo.pl, geo.oh, geo.ow)
        else:
            if self.relu:
                g2 = g2 * (self.y > 0)
            mm = self.device.matmul
            dk = mm(self.cols.T, g2)
            db = g2.sum(axis=0, dtype=dtypes.accumulation_dtype(g.dtype)).astype(g.dtype) if self.has_bias else None
            dx = None
            if self.needs_grad[0]:
                d6 = mm(g2, k2.T).reshape(g.shape[0], geo.oh, geo.ow, kh, kw, c)
                dx = geo.scatter(self.xp, lambda i, j: d6[:, :, :, i, j, :], g.dtype)
        dk = dk.reshape(kernel.shape)
        return (dx, dk, db) if self.has_bias else (dx, dk)


def conv2d(input, filters, strides=1, padding="VALID", bias=None, activation=None) -> Tensor:  # noqa: A002
    """2-D convolution of ``input [N, H, W, C]`` with ``filters [KH, KW, C, F]`` (cross-correlation,
    as ``tf.nn.conv2d``), plus an optional bias and fused ReLU.

    Args:
        strides: an int or ``(sh, sw)`` (TensorFlow's 4-element form is accepted too).
        padding: ``"valid"`` or ``"same"``.
        activation: None or ``"relu"``.
    """
    from .math import cast

    x, k = as_tensor(input), as_tensor(filters)
    if isinstance(strides, (list, tuple)) and len(strides) == 4:
        strides = strides[1:3]
    strides = _pair(strides, "strides", "conv2d")
    padding = _padding(padding, "conv2d")
    if k.ndim != 4:
        raise ValueError(f"conv2d: expected filters of shape [KH, KW, C, F], received shape {tuple(k.shape)}")
    if x.ndim != 4 or x.shape[-1] != k.shape[2]:
        raise ValueError(f"conv2d: expected input [N, H, W, {k.shape[2]}] (channels last), "
                         f"received shape {tuple(x.shape)}")
    if padding == "valid" and (x.shape[1] < k.shape[0] or x.shape[2] < k.shape[1]):
        raise ValueError(f"conv2d: input of shape {tuple(x.shape)} is smaller than the "
                         f"{k.shape[0]}x{k.shape[1]} kernel with 'valid' padding")
    if activation not in (None, "relu", "linear"):
        raise ValueError(f"conv2d: activation must be None or 'relu', received {activation!r}")
    if x.dtype != k.dtype:
        x = cast(x, k.dtype)
    args = (x, k) if bias is None else (x, k, cast(as_tensor(bias), k.dtype))
    return Conv2D(strides, padding, activation == "relu")(*args)


class MaxPool2D(Function):
    def __init__(self, pool, strides, padding) -> None:
        self.pool, self.strides, self.padding = pool, strides, padding

    def forward(self, x):
        xp = self.xp
        geo = self.geo = _Geometry(x.shape, *self.pool, *self.strides, self.padding)
        low = xp.finfo(x.dtype).min if x.dtype.kind == "f" else xp.iinfo(x.dtype).min
        win = geo.windows(xp, geo.padded(xp, x, low))
        n, oh, ow, kh, kw, c = win.shape
        flat = win.reshape(n, oh, ow, kh * kw, c)
        self.arg = flat.argmax(axis=3)
        self.dtype = x.dtype
        return xp.take_along_axis(flat, self.arg[:, :, :, None, :], axis=3)[:, :, :, 0, :]

    def backward(self, g):
        kw = self.geo.kw
        return (self.geo.scatter(self.xp, lambda i, j: g * (self.arg == i * kw + j), g.dtype),)


class AvgPool2D(Function):
    """Average over each window; with 'same' padding the padded cells are not counted (as TF)."""

    def __init__(self, pool, strides, padding) -> None:
        self.pool, self.strides, self.padding = pool, strides, padding

    def forward(self, x):
        xp = self.xp
        geo = self.geo = _Geometry(x.shape, *self.pool, *self.strides, self.padding)
        acc = dtypes.accumulation_dtype(x.dtype)
        sums = geo.windows(xp, geo.padded(xp, x)).sum(axis=(3, 4), dtype=acc)
        ones = xp.ones((1,) + x.shape[1:3] + (1,), dtype=acc)
        ones_geo = _Geometry(ones.shape, *self.pool, *self.strides, self.padding)
        self.counts = ones_geo.windows(xp, ones_geo.padded(xp, ones)).sum(axis=(3, 4))
        return (sums / self.counts).astype(x.dtype)

    def backward(self, g):
        share = (g / self.counts).astype(g.dtype)
        return (self.geo.scatter(self.xp, lambda i, j: share, g.dtype),)


def _pool(cls, op, input, ksize, strides, padding):
    x = as_tensor(input)
    pool = _pair(ksize[1:3] if isinstance(ksize, (list, tuple)) and len(ksize) == 4 else ksize, "pool_size", op)
    strides = pool if strides is None else strides
    strides = _pair(strides[1:3] if isinstance(strides, (list, tuple)) and len(strides) == 4 else strides,
                    "strides", op)
    padding = _padding(padding, op)
    if x.ndim != 4:
        raise ValueError(f"{op}: expected input [N, H, W, C] (channels last), received shape {tuple(x.shape)}")
    if padding == "valid" and (x.shape[1] < pool[0] or x.shape[2] < pool[1]):
        raise ValueError(f"{op}: input of shape {tuple(x.shape)} is smaller than the pool {pool}")
    return cls(pool, strides, padding)(x)


def max_pool2d(input, ksize, strides=None, padding="VALID") -> Tensor:  # noqa: A002
    """Max over ``ksize`` windows of ``input [N, H, W, C]``."""
    return _pool(MaxPool2D, "max_pool2d", input, ksize, strides, padding)


def avg_pool2d(input, ksize, strides=None, padding="VALID") -> Tensor:  # noqa: A002
    """Average over ``ksize`` windows of ``input [N, H, W, C]``."""
    return _pool(AvgPool2D, "avg_pool2d", input, ksize, strides, padding)
