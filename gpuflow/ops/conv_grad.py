"""The linear maps inside convolution and pooling gradients, as differentiable ops.

Used when a gradient of conv2d / max_pool2d / avg_pool2d is itself recorded (second
derivatives): each map is linear, and its gradient is its adjoint, so the pairs
(Im2Col, Col2Im), (MaxPoolScatter, MaxPoolGather), (AvgPoolScatter, AvgPool2D) differentiate
each other to any order. AvgPool2D itself lives here, next to its adjoint.
"""

from __future__ import annotations

from .. import dtypes
from ..autodiff.function import Function
from ..backend.geometry import WindowGeometry


class Im2Col(Function):
    """``[N, H, W, C]`` -> the ``[N*OH*OW, KH*KW*C]`` matrix of windows."""

    def __init__(self, geo) -> None:
        self.geo = geo

    def forward(self, x):
        geo, kernels = self.geo, self.device.kernels
        if kernels is not None:
            return kernels.im2col(x, geo.kh, geo.kw, geo.sh, geo.sw, geo.pt, geo.pl, geo.oh, geo.ow)
        return self.xp.ascontiguousarray(geo.columns(self.xp, x, ones=False))

    def backward(self, F, g):
        return (F.apply(Col2Im(self.geo), g),)


class Col2Im(Function):
    """The adjoint of Im2Col: window columns summed back onto the input grid."""

    def __init__(self, geo) -> None:
        self.geo = geo

    def forward(self, cols):
        geo, kernels = self.geo, self.device.kernels
        if kernels is not None:
            return kernels.col2im(
                cols, geo.x_shape, geo.kh, geo.kw, geo.sh, geo.sw, geo.pt, geo.pl, geo.oh, geo.ow
            )
        n, c = geo.x_shape[0], geo.x_shape[3]
        windows = cols.reshape(n, geo.oh, geo.ow, geo.kh, geo.kw, c)
        return geo.scatter(self.xp, lambda i, j: windows[:, :, :, i, j, :], cols.dtype)

    def backward(self, F, g):
        return (F.apply(Im2Col(self.geo), g),)


class MaxPoolScatter(Function):
    """Each window's gradient sent to the position of its maximum (``arg``)."""

    def __init__(self, geo, arg) -> None:
        self.geo, self.arg = geo, arg

    def forward(self, g):
        geo, xp, arg = self.geo, self.xp, self.arg
        if not geo.disjoint:
            return geo.scatter(xp, lambda i, j: g * (arg == i * geo.kw + j), g.dtype)
        # windows that never overlap (a 2x2 pool of stride 2): each position's share is
        # written straight into its cells, no temporaries, no read of the grid
        dxp = geo.padded_zeros(xp, g.dtype)
        hit = xp.empty(arg.shape, bool)
        for i in range(geo.kh):
            for j in range(geo.kw):
                xp.equal(arg, i * geo.kw + j, out=hit)
                xp.multiply(g, hit, out=geo.window_view(dxp, i, j))
        return geo.crop(dxp)

    def backward(self, F, gg):
        return (F.apply(MaxPoolGather(self.geo, self.arg), gg),)


class MaxPoolGather(Function):
    """The adjoint of MaxPoolScatter: each window's value at the position of its maximum."""

    def __init__(self, geo, arg) -> None:
        self.geo, self.arg = geo, arg

    def forward(self, x):
        xp, geo = self.xp, self.geo
        win = geo.windows(xp, geo.padded(xp, x))
        n, oh, ow, kh, kw, c = win.shape
        flat = win.reshape(n, oh, ow, kh * kw, c)
        return xp.take_along_axis(flat, self.arg[:, :, :, None, :], axis=3)[:, :, :, 0, :]

    def backward(self, F, g):
        return (F.apply(MaxPoolScatter(self.geo, self.arg), g),)


class AvgPoolScatter(Function):
    """Each window's gradient shared equally among the cells it averaged."""

    def __init__(self, geo, counts, pool, strides, padding) -> None:
        self.geo, self.counts = geo, counts
        self.pool, self.strides, self.padding = pool, strides, padding

    def forward(self, g):
        share = (g / self.counts).astype(g.dtype)
        return self.geo.scatter(self.xp, lambda i, j: share, g.dtype)

    def backward(self, F, gg):
        return (F.apply(AvgPool2D(self.pool, self.strides, self.padding), gg),)


class AvgPool2D(Function):
    """Average over each window; with 'same' padding the padded cells are not counted (as TF)."""

    def __init__(self, pool, strides, padding) -> None:
        self.pool, self.strides, self.padding = pool, strides, padding

    def forward(self, x):
        xp = self.xp
        geo = self.geo = WindowGeometry(x.shape, *self.pool, *self.strides, self.padding)
        acc = dtypes.accumulation_dtype(x.dtype)
        sums = geo.windows(xp, geo.padded(xp, x)).sum(axis=(3, 4), dtype=acc)
        ones = xp.ones((1,) + x.shape[1:3] + (1,), dtype=acc)
        ones_geo = WindowGeometry(ones.shape, *self.pool, *self.strides, self.padding)
        self.counts = ones_geo.windows(xp, ones_geo.padded(xp, ones)).sum(axis=(3, 4))
        return (sums / self.counts).astype(x.dtype)

    def backward(self, F, g):
        return (
            F.apply(
                AvgPoolScatter(self.geo, self.counts, self.pool, self.strides, self.padding), g
            ),
        )
