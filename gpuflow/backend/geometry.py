"""Sliding-window geometry of 2-D convolution and pooling on channels-last ``[N, H, W, C]``.

Plain shape arithmetic plus array helpers written against ``xp`` (NumPy or CuPy), shared
by the pooling ops and the CPU kernel set.
"""

from __future__ import annotations

from . import buffers


def conv_geometry(size: int, k: int, stride: int, padding: str) -> tuple[int, int, int]:
    """``(out, pad_before, pad_after)`` along one axis, as TensorFlow computes them."""
    if padding == "valid":
        out = (size - k) // stride + 1 if size >= k else 0
        return out, 0, 0
    out = -(-size // stride)
    total = max((out - 1) * stride + k - size, 0)
    return out, total // 2, total - total // 2


class WindowGeometry:
    """Window geometry of one conv or pooling call: kernel, strides, pads, output size.

    Args:
        x_shape: the input shape ``(N, H, W, C)``.
        kh, kw: window height and width. sh, sw: strides.
        padding: ``"valid"`` or ``"same"``.

    Attributes:
        oh, ow: output height and width. pt, pb, pl, pr: pads top, bottom, left, right.
    """

    def __init__(self, x_shape, kh, kw, sh, sw, padding):
        n, h, w, c = x_shape
        self.kh, self.kw, self.sh, self.sw = kh, kw, sh, sw
        self.oh, self.pt, self.pb = conv_geometry(h, kh, sh, padding)
        self.ow, self.pl, self.pr = conv_geometry(w, kw, sw, padding)
        self.x_shape = tuple(x_shape)

    @classmethod
    def explicit(cls, x_shape, kh, kw, sh, sw, pt, pl, oh, ow) -> "WindowGeometry":
        """The geometry given by its numbers (the bottom and right pads follow from them)."""
        geo = cls.__new__(cls)
        _, h, w, _ = x_shape
        geo.kh, geo.kw, geo.sh, geo.sw = int(kh), int(kw), int(sh), int(sw)
        geo.pt, geo.pl, geo.oh, geo.ow = int(pt), int(pl), int(oh), int(ow)
        geo.pb = max((geo.oh - 1) * geo.sh + geo.kh - h - geo.pt, 0)
        geo.pr = max((geo.ow - 1) * geo.sw + geo.kw - w - geo.pl, 0)
        geo.x_shape = tuple(int(s) for s in x_shape)
        return geo

    def padded(self, xp, x, value=0):
        """``x`` with the pads added (``x`` itself when there are none)."""
        if self.pt or self.pb or self.pl or self.pr:
            return xp.pad(
                x, ((0, 0), (self.pt, self.pb), (self.pl, self.pr), (0, 0)), constant_values=value
            )
        return x

    def windows(self, xp, xpad):
        """A strided view ``[N, OH, OW, KH, KW, C]`` of the padded input (no copy)."""
        n, _, _, c = xpad.shape
        s_n, s_h, s_w, s_c = xpad.strides
        return xp.lib.stride_tricks.as_strided(
            xpad,
            (n, self.oh, self.ow, self.kh, self.kw, c),
            (s_n, s_h * self.sh, s_w * self.sw, s_h, s_w, s_c),
        )

    @property
    def disjoint(self) -> bool:
        """Whether windows never overlap (strides at least the window): each input cell
        then takes at most one window's value, written rather than added."""
        return self.sh >= self.kh and self.sw >= self.kw

    def padded_zeros(self, xp, dtype):
        """Zeros shaped as the padded input (on NumPy from the active buffer pool: a fresh
        large array costs a page fault per 4 KiB on every step)."""
        n, h, w, c = self.x_shape
        return buffers.zeros(xp, (n, h + self.pt + self.pb, w + self.pl + self.pr, c), dtype)

    def window_view(self, grid, i: int, j: int):
        """The cells of the padded ``grid`` that window position ``(i, j)`` covers, as an
        ``[N, OH, OW, C]`` strided view."""
        return grid[
            :,
            i : i + self.sh * (self.oh - 1) + 1 : self.sh,
            j : j + self.sw * (self.ow - 1) + 1 : self.sw,
            :,
        ]

    def crop(self, grid):
        """The input's cells of a padded ``grid``."""
        _, h, w, _ = self.x_shape
        return grid[:, self.pt : self.pt + h, self.pl : self.pl + w, :]

    def scatter(self, xp, parts, dtype):
        """Sum ``parts(i, j)`` (each ``[N, OH, OW, C]``) back onto the input grid: the
        adjoint of :meth:`windows`."""
        dxp = self.padded_zeros(xp, dtype)
        for i in range(self.kh):  # KH*KW strided adds, never a loop over pixels
            for j in range(self.kw):
                if self.disjoint:
                    self.window_view(dxp, i, j)[...] = parts(i, j)
                else:
                    self.window_view(dxp, i, j)[...] += parts(i, j)
        return self.crop(dxp)
