"""2-D convolution and pooling on channels-last tensors (``[N, H, W, C]``, as Keras).

Convolution is the device's kernel set (``conv2d_forward`` / ``conv2d_backward``: im2col
and one fused GEMM; see ``gpuflow/backend/kernel_set.py``). Pooling is array code on the
device's ``xp`` over a strided view of the windows.
"""

from __future__ import annotations

from .. import dtypes
from ..autodiff.function import Function
from ..backend.geometry import WindowGeometry, conv_geometry  # noqa: F401  (re-exported)
from ..errors import invalid_argument
from ..tensor import Tensor
from ._common import as_tensor
from .cast import cast
from .conv_grad import AvgPool2D  # lives with AvgPoolScatter: each is the other's gradient


def _pair(value, name: str, op: str) -> tuple[int, int]:
    if isinstance(value, int):
        value = (value, value)
    if not isinstance(value, (list, tuple)) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        raise ValueError(
            f"{op}: {name} must be a positive int or a pair of them, received {value!r}"
        )
    value = tuple(int(v) for v in value)
    if len(value) != 2 or min(value) < 1:
        raise invalid_argument(
            op, f"{name} must be a positive int or a pair of them, received {value}"
        )
    return value


def _padding(padding: str, op: str) -> str:
    p = str(padding).lower()
    if p not in ("valid", "same"):
        raise invalid_argument(op, f"padding must be 'valid' or 'same', received {padding!r}")
    return p


# The pooling ops below and older callers know the geometry by this name.
_Geometry = WindowGeometry


class Conv2D(Function):
    """Convolution, bias and ReLU in one op: the device's ``kernels.conv2d_forward`` /
    ``conv2d_backward``."""

    def __init__(self, strides, padding, relu: bool) -> None:
        self.strides, self.padding, self.relu = strides, padding, relu

    def forward(self, x, kernel, bias=None):
        kh, kw, _, _ = kernel.shape
        geo = WindowGeometry(x.shape, kh, kw, *self.strides, self.padding)
        self.has_bias = bias is not None
        y, self.saved = self.device.kernels.conv2d_forward(x, kernel, bias, self.relu, geo)
        self.geo = geo  # the composed (twice differentiable) backward needs these two
        self.y = self.saved[2]
        return y

    def backward(self, F, g):
        if F.tensors:
            return self._composed_backward(F, g)
        dx, dk, db = self.device.kernels.conv2d_backward(self.saved, g, need_dx=self.needs_grad[0])
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
        dk = F.reshape(
            F.matmul(F.transpose(F.apply(Im2Col(self.geo), x), (1, 0)), g2), tuple(kernel.shape)
        )
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
    x, k = as_tensor(input), as_tensor(filters)
    if isinstance(strides, (list, tuple)) and len(strides) == 4:
        strides = strides[1:3]
    strides = _pair(strides, "strides", "conv2d")
    padding = _padding(padding, "conv2d")
    if k.ndim != 4:
        raise invalid_argument(
            "conv2d", f"expected filters of shape [KH, KW, C, F], received shape {tuple(k.shape)}"
        )
    if x.ndim != 4 or x.shape[-1] != k.shape[2]:
        raise invalid_argument(
            "conv2d",
            f"expected input [N, H, W, {k.shape[2]}] (channels last), "
            f"received shape {tuple(x.shape)}",
        )
    if padding == "valid" and (x.shape[1] < k.shape[0] or x.shape[2] < k.shape[1]):
        raise invalid_argument(
            "conv2d",
            f"input of shape {tuple(x.shape)} is smaller than the "
            f"{k.shape[0]}x{k.shape[1]} kernel with 'valid' padding",
        )
    if activation not in (None, "relu", "linear"):
        raise invalid_argument(
            "conv2d", f"activation must be None or 'relu', received {activation!r}"
        )
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
        low = dtypes.info(x.dtype).min
        win = self.win = geo.windows(xp, geo.padded(xp, x, low))
        n, oh, ow, kh, kw, c = win.shape
        # As TensorFlow's kernel: the maximum starts from the dtype's lowest value and fmax
        # skips NaN, so a window of NaN or -inf gives the lowest value. One fmax per window
        # position over the strided view (a masked update per position was 40x slower).
        best = xp.full((n, oh, ow, c), low, dtype=x.dtype)
        for i in range(kh):
            for j in range(kw):
                xp.fmax(best, win[:, :, :, i, j, :], out=best)
        self.best = best
        return best

    def backward(self, F, g):
        from .conv_grad import MaxPoolScatter

        arg = first_max_positions(self.xp, self.win, self.best)
        return (F.apply(MaxPoolScatter(self.geo, arg), g),)


def first_max_positions(xp, win, best):
    """The window position (``i * KW + j``) of each window's first maximum, where the
    gradient goes (TensorFlow's choice among equal values); 0 for a window without one
    (all NaN). ``win``: the ``[N, OH, OW, KH, KW, C]`` windows, ``best`` their maxima."""
    kh, kw = win.shape[3], win.shape[4]
    count = kh * kw
    dtype = xp.int8 if count <= 127 else xp.int16 if count <= 32767 else xp.int32
    arg = xp.zeros(best.shape, dtype)
    hit = xp.empty(best.shape, bool)
    for t in range(count - 1, -1, -1):  # last to first, so the first equal one stays
        xp.equal(win[:, :, :, t // kw, t % kw, :], best, out=hit)
        # arg = where(hit, t, arg) in arithmetic: masked writes are far slower in NumPy
        arg -= hit.astype(dtype) * (arg - dtype(t))
    return arg


def _pool(cls, op, input, ksize, strides, padding):
    x = as_tensor(input)
    pool = _pair(
        ksize[1:3] if isinstance(ksize, (list, tuple)) and len(ksize) == 4 else ksize,
        "pool_size",
        op,
    )
    strides = pool if strides is None else strides
    strides = _pair(
        strides[1:3] if isinstance(strides, (list, tuple)) and len(strides) == 4 else strides,
        "strides",
        op,
    )
    padding = _padding(padding, op)
    if x.ndim != 4:
        raise invalid_argument(
            op, f"expected input [N, H, W, C] (channels last), received shape {tuple(x.shape)}"
        )
    if padding == "valid" and (x.shape[1] < pool[0] or x.shape[2] < pool[1]):
        raise invalid_argument(
            op, f"input of shape {tuple(x.shape)} is smaller than the pool {pool}"
        )
    return cls(pool, strides, padding)(x)


def max_pool2d(input, ksize, strides=None, padding="VALID") -> Tensor:  # noqa: A002
    """Max over ``ksize`` windows of ``input [N, H, W, C]``."""
    return _pool(MaxPool2D, "max_pool2d", input, ksize, strides, padding)


def avg_pool2d(input, ksize, strides=None, padding="VALID") -> Tensor:  # noqa: A002
    """Average over ``ksize`` windows of ``input [N, H, W, C]``."""
    return _pool(AvgPool2D, "avg_pool2d", input, ksize, strides, padding)
