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
    if not isinstance(value, (list, tuple)) or \
            not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        raise ValueError(f"{op}: {name} must be a positive int or a pair of them, received "
                         f"{value!r}")
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

    def columns(self, xp, x, ones: bool):
        """im2col: the ``[N*OH*OW, KH*KW*C]`` matrix of windows (plus a column of ones when
        ``ones``, which folds a bias into the GEMM and gives its gradient from the same GEMM).

        The copy runs fastest along long contiguous runs: a window row holds KW*C values, an
        output row OW. With few channels (the first layer, C=1) the windows' rows are
        shorter, so the matrix is built transposed, one tap at a time (KH*KW*C copies of
        ``[N, OH, OW]``), and handed to BLAS as the transpose of a C-contiguous array.
        """
        xpad = self.padded(xp, x)
        n, c = x.shape[0], x.shape[3]
        kh, kw, sh, sw, oh, ow = self.kh, self.kw, self.sh, self.sw, self.oh, self.ow
        k = kh * kw * c
        if kw * c < ow:
            cols_t = xp.empty((k + ones, n, oh, ow), dtype=x.dtype)
            for i in range(kh):
                for j in range(kw):
                    taps = xpad[:, i:i + sh * (oh - 1) + 1:sh, j:j + sw * (ow - 1) + 1:sw, :]
                    for ch in range(c):
                        cols_t[(i * kw + j) * c + ch] = taps[..., ch]
            if ones:
                cols_t[k] = 1
            return cols_t.reshape(k + ones, -1).T
        cols = xp.empty((n, oh, ow, k + ones), dtype=x.dtype)
        cols[..., :k].reshape(n, oh, ow, kh, kw, c)[...] = self.windows(xp, xpad)
        if ones:
            cols[..., k] = 1
        return cols.reshape(-1, k + ones)

    def input_grad(self, xp, matmul, g2, kernel):
        """col2im fused with the GEMM ``g2 @ kernel^T``: the gradient of a convolution's input.

        A scatter-add of the KH*KW taps would add ``[N, OH, OW, C]`` blocks whose contiguous
        runs are C values long (the taps of one output pixel are SW pixels apart). Instead
        the SW neighbouring taps of a window row are computed together, as one
        ``[N, OH, OW, SW*C]`` block per group (the kernel padded with zero taps to a multiple
        of SW): with the input seen as ``[N, H, W/SW, SW*C]`` such a block lands on OW*SW*C
        contiguous values, and KH*ceil(KW/SW) adds replace KH*KW.
        """
        n, h, w, c = self.x_shape
        kh, kw, _, f = kernel.shape
        sh, sw, oh, ow = self.sh, self.sw, self.oh, self.ow
        q = -(-kw // sw)
        kpad = xp.zeros((kh, q * sw, c, f), dtype=kernel.dtype)
        kpad[:, :kw] = kernel
        groups = xp.ascontiguousarray(  # BLAS only takes contiguous stacks
            kpad.reshape(kh, q, sw, c, f).transpose(0, 1, 4, 2, 3).reshape(kh * q, f, sw * c))
        parts = matmul(g2, groups)  # [KH*Q, N*OH*OW, SW*C]
        hp = h + self.pt + self.pb
        wv = -(-max(w + self.pl + self.pr, sw * (ow + q - 1)) // sw)
        dxp = xp.zeros((n, hp, wv * sw, c), dtype=g2.dtype)
        dv = dxp.reshape(n, hp, wv, sw * c)
        for i in range(kh):
            rows = dv[:, i:i + sh * (oh - 1) + 1:sh]
            for g in range(q):
                rows[:, :, g:g + ow, :] += parts[i * q + g].reshape(n, oh, ow, sw * c)
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
            self.cols = geo.columns(self.xp, x, ones=bias is not None)
            if bias is not None:
                k2 = self.xp.concatenate([k2, bias.reshape(1, f)])
            y = self.device.matmul(self.cols, k2)
            if self.relu:
                self.xp.maximum(y, 0, out=y)
        self.y = y
        return y.reshape(x.shape[0], geo.oh, geo.ow, f)

    def backward(self, F, g):
        if F.tensors:
            return self._composed_backward(F, g)
        geo, kernel = self.geo, self.kernel
        kh, kw, c, f = kernel.shape
        k2 = kernel.reshape(kh * kw * c, f)
        kernels = self.device.kernels
        if kernels is not None:
            g2 = g.reshape(-1, f)
            dcols, dk, db = kernels.dense_backward(self.cols, k2, self.y, g2, self.relu,
                                                   need_dx=self.needs_grad[0])
            dx = None if dcols is None else kernels.col2im(
                dcols, geo.x_shape, kh, kw, geo.sh, geo.sw, geo.pt, geo.pl, geo.oh, geo.ow)
        else:
            # g may be a strided view (the next conv's input gradient, cropped): the mask's
            # product is the one contiguous copy it needs.
            g2 = (g * (self.y > 0).reshape(g.shape) if self.relu else g).reshape(-1, f)
            dk = self.device.matmul(self.cols.T, g2)  # with a bias, its gradient is the last row
            dk, db = (dk[:-1], dk[-1]) if self.has_bias else (dk, None)
            dx = None
            if self.needs_grad[0]:
                dx = geo.input_grad(self.xp, self.device.matmul, g2, kernel)
        dk = dk.reshape(kernel.shape)
        return (dx, dk, db) if self.has_bias else (dx, dk)

    def _composed_backward(self, F, g):
        """The same gradients from differentiable ops (im2col, GEMMs, col2im), recorded for
        higher derivatives."""
        from .conv_grad import Col2Im, Im2Col

        x, kernel = F.inputs(self)[:2]
        kh, kw, c, f = kernel.shape
        g2 = F.reshape(g, (-1, f))
        if self.relu:
            g2 = g2 * F.const(self.y.reshape(-1, f) > 0)
        k2 = F.reshape(kernel, (kh * kw * c, f))
        dk = F.reshape(F.matmul(F.transpose(F.apply(Im2Col(self.geo), x), (1, 0)), g2),
                       tuple(kernel.shape))
        dx = None
        if self.needs_grad[0]:
            dx = F.apply(Col2Im(self.geo), F.matmul(g2, F.transpose(k2, (1, 0))))
        return (dx, dk, F.sum(g2, 0)) if self.has_bias else (dx, dk)


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

    def backward(self, F, g):
        from .conv_grad import MaxPoolScatter

        return (F.apply(MaxPoolScatter(self.geo, self.arg), g),)


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

    def backward(self, F, g):
        from .conv_grad import AvgPoolScatter

        return (F.apply(AvgPoolScatter(self.geo, self.counts, self.pool, self.strides,
                                       self.padding), g),)


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
