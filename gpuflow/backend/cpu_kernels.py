"""The CPU's kernel set: :class:`~gpuflow.backend.kernel_set.KernelSet` in NumPy and BLAS.

Each method is the fastest NumPy formulation measured for the lecture models, not a
transcription of the CUDA kernels: convolution folds its bias into the GEMM as a column of
ones and fuses col2im with the input-gradient GEMM; float16 GEMMs run in float32 (NumPy
has no fast float16 GEMM); int8 GEMMs run exactly through float BLAS.
"""

from __future__ import annotations

import warnings

import numpy as np

from ..dtypes import HALF_NP
from . import blas, buffers
from .geometry import WindowGeometry
from .kernel_set import KernelSet

_F32_EXACT_MAX_K = (2**24) // (127 * 127)
"""int8 products summed in float32 stay exact integers up to this K (1040); float64 beyond."""


class _Float16Warning:
    """Says once per process that float16 GEMMs on the CPU run in float32."""

    def __init__(self) -> None:
        self.shown = False

    def __call__(self) -> None:
        if not self.shown:
            self.shown = True
            warnings.warn(
                "gpuflow: float16 compute on device 'cpu' is slow (NumPy has no "
                "float16 GEMM): each float16 matmul runs in float32 and is cast back. "
                "float16 and mixed_float16 pay off on cuda; on the CPU prefer float32. "
                "(Shown once.)",
                RuntimeWarning,
                stacklevel=4,
            )


_warn_float16 = _Float16Warning()


def _bias_grad(g):
    acc = np.float32 if g.dtype in HALF_NP else g.dtype
    return np.add.reduce(g, 0, acc).astype(g.dtype)  # ndarray.sum's Python wrapper skipped


class CpuKernels(KernelSet):
    """NumPy/BLAS kernels of the ``"cpu"`` device."""

    xp = np

    # -- GEMM ------------------------------------------------------------------------
    def matmul(self, a, b):
        # NumPy's float16 matmul is about 100x slower than float32: compute in float32 and
        # cast back, which is also how GPUs accumulate float16.
        # bfloat16 too: ml_dtypes' matmul is a slow loop; CPUs without bf16 BLAS do the same.
        if a.dtype in HALF_NP or b.dtype in HALF_NP:
            if a.dtype == np.float16 or b.dtype == np.float16:
                _warn_float16()
            out = np.matmul(a.astype(np.float32), b.astype(np.float32))
            return out.astype(np.result_type(a.dtype, b.dtype))
        if a.ndim == 2 and a.dtype == b.dtype and 2 <= b.ndim <= 3 and a.shape[1] == b.shape[-2]:
            # [M, K] @ [K, N] or [M, K] @ [B, K, N]: into a reused buffer in a compiled step
            m, n = a.shape[0], b.shape[-1]
            shape = (m, n) if b.ndim == 2 else (b.shape[0], m, n)
            if m * n * a.itemsize >= buffers.MIN_BYTES or b.ndim == 3:
                return np.matmul(a, b, out=buffers.empty(shape, a.dtype))
        return a @ b  # small: malloc reuses the memory; the operator is NumPy's cheapest call

    # -- fused dense -----------------------------------------------------------------
    def dense_forward(self, x, w, b, relu: bool):
        y = self.matmul(x, w)
        if b is not None:
            y += b
        if relu:
            buffers.relu(y, out=y)
        return y

    def dense_backward(self, x, w, out, g, relu: bool, need_dx: bool = True, need_db: bool = True):
        if relu:
            g = np.multiply(g, out > 0, out=buffers.empty(g.shape, g.dtype))
        dx = self.matmul(g, w.T) if need_dx else None
        return dx, self.matmul(x.T, g), _bias_grad(g) if need_db else None

    def dense_backward_update(
        self, x, w, out, g, relu: bool, need_dx: bool, need_db: bool, rate: float, target
    ):
        if relu:
            g = np.multiply(g, out > 0, out=buffers.empty(g.shape, g.dtype))
        dx = self.matmul(g, w.T) if need_dx else None  # before ``target`` (maybe ``w``) changes
        blas.gemm_update(-rate, x.T, g, target)
        return dx, _bias_grad(g) if need_db else None

    # -- convolution -----------------------------------------------------------------
    def im2col(self, x, kh, kw, stride_h, stride_w, pad_top, pad_left, out_h, out_w):
        geo = WindowGeometry.explicit(
            x.shape, kh, kw, stride_h, stride_w, pad_top, pad_left, out_h, out_w
        )
        return _columns(geo, x, ones=False)

    def col2im(self, cols, x_shape, kh, kw, stride_h, stride_w, pad_top, pad_left, out_h, out_w):
        geo = WindowGeometry.explicit(
            x_shape, kh, kw, stride_h, stride_w, pad_top, pad_left, out_h, out_w
        )
        n, c = geo.x_shape[0], geo.x_shape[3]
        taps = cols.reshape(n, geo.oh, geo.ow, geo.kh, geo.kw, c)
        return np.ascontiguousarray(
            geo.scatter(np, lambda i, j: taps[:, :, :, i, j, :], cols.dtype)
        )

    def conv2d_forward(self, x, kernel, bias, relu: bool, geo):
        kh, kw, c, f = kernel.shape
        k2 = kernel.reshape(kh * kw * c, f)
        # With a bias, a column of ones in the patches and the bias as the GEMM's last row
        # give the bias and (in backward) its gradient from the same GEMMs.
        cols = _columns(geo, x, ones=bias is not None)
        if bias is not None:
            k2 = np.concatenate([k2, bias.reshape(1, f)])
        y = self.matmul(cols, k2)
        if relu:
            buffers.relu(y, out=y)
        return y.reshape(x.shape[0], geo.oh, geo.ow, f), (
            cols,
            kernel,
            y,
            relu,
            bias is not None,
            geo,
        )

    def conv2d_backward(self, saved, g, need_dx: bool = True):
        cols, kernel, y, relu, has_bias, geo = saved
        f = kernel.shape[-1]
        # g may be a strided view (the next conv's input gradient, cropped): the mask's
        # product is the one contiguous copy it needs.
        if relu:
            g = np.multiply(g, (y > 0).reshape(g.shape), out=buffers.empty(g.shape, g.dtype))
        g2 = g.reshape(-1, f)
        dk = self.matmul(cols.T, g2)  # with a bias, its gradient is the last row
        dk, db = (dk[:-1], dk[-1]) if has_bias else (dk, None)
        dx = _input_grad(geo, self.matmul, g2, kernel) if need_dx else None
        return dx, dk.reshape(kernel.shape), db

    # -- int8 inference --------------------------------------------------------------
    def int8_matmul(self, x, wt):
        # NumPy's integer matmul does not use BLAS; float BLAS is exact here: every partial
        # sum is an integer of magnitude <= 127*127*K, exact in float32 up to K = 1040.
        ftype = np.float32 if x.shape[1] <= _F32_EXACT_MAX_K else np.float64
        return np.matmul(x.astype(ftype), wt.T.astype(ftype)).astype(np.int32)

    def int8_dense(self, x, wt, x_scale: float, w_scale, bias, relu: bool):
        out = self.int8_matmul(x, wt).astype(np.float32) * (np.float32(x_scale) * w_scale)
        if bias is not None:
            out += bias
        return buffers.relu(out, out=out) if relu else out

    # -- compilation -----------------------------------------------------------------
    def precompile(self, files) -> list[str]:
        raise ValueError(
            "gpuflow.kernels: device 'cpu' runs NumPy/BLAS kernels, nothing to "
            "compile; use a 'cuda' or 'cuda-emu' device"
        )

    def compiled(self) -> list[str]:
        return []


def _columns(geo, x, ones: bool):
    """im2col: the ``[N*OH*OW, KH*KW*C]`` matrix of windows (plus a column of ones when
    ``ones``, which folds a bias into the GEMM and gives its gradient from the same GEMM).

    The copy runs fastest along long contiguous runs: a window row holds KW*C values, an
    output row OW. With one channel (a grayscale first layer) the windows' rows are
    KW values short, so the matrix is built transposed, one tap at a time (KH*KW copies
    of ``[N, OH, OW]``), and handed to BLAS as the transpose of a C-contiguous array
    (the lecture CNN's step about 5% faster). With more channels the taps' copies are
    strided by C and BLAS is slower on the transposed matrix: an RGB first layer of
    32x180x180x3 trains 9% faster per step with the plain layout.
    """
    xp = np
    xpad = geo.padded(xp, x)
    n, c = x.shape[0], x.shape[3]
    kh, kw, sh, sw, oh, ow = geo.kh, geo.kw, geo.sh, geo.sw, geo.oh, geo.ow
    k = kh * kw * c
    if c == 1 and kw < ow:
        cols_t = buffers.empty((k + ones, n, oh, ow), x.dtype)
        for i in range(kh):
            for j in range(kw):
                taps = xpad[:, i : i + sh * (oh - 1) + 1 : sh, j : j + sw * (ow - 1) + 1 : sw, 0]
                cols_t[i * kw + j] = taps
        if ones:
            cols_t[k] = 1
        return cols_t.reshape(k + ones, -1).T
    cols = buffers.empty((n, oh, ow, k + ones), x.dtype)
    cols[..., :k].reshape(n, oh, ow, kh, kw, c)[...] = geo.windows(xp, xpad)
    if ones:
        cols[..., k] = 1
    return cols.reshape(-1, k + ones)


def _input_grad(geo, matmul, g2, kernel):
    """col2im fused with the GEMM ``g2 @ kernel^T``: the gradient of a convolution's input.

    A scatter-add of the KH*KW taps would add ``[N, OH, OW, C]`` blocks whose contiguous
    runs are C values long (the taps of one output pixel are SW pixels apart). Instead
    the SW neighbouring taps of a window row are computed together, as one
    ``[N, OH, OW, SW*C]`` block per group (the kernel padded with zero taps to a multiple
    of SW): with the input seen as ``[N, H, W/SW, SW*C]`` such a block lands on OW*SW*C
    contiguous values, and KH*ceil(KW/SW) adds replace KH*KW.
    """
    xp = np
    n, h, w, c = geo.x_shape
    kh, kw, _, f = kernel.shape
    sh, sw, oh, ow = geo.sh, geo.sw, geo.oh, geo.ow
    q = -(-kw // sw)
    kpad = xp.zeros((kh, q * sw, c, f), dtype=kernel.dtype)
    kpad[:, :kw] = kernel
    groups = xp.ascontiguousarray(  # BLAS only takes contiguous stacks
        kpad.reshape(kh, q, sw, c, f).transpose(0, 1, 4, 2, 3).reshape(kh * q, f, sw * c)
    )
    parts = matmul(g2, groups)  # [KH*Q, N*OH*OW, SW*C]
    hp = h + geo.pt + geo.pb
    wv = -(-max(w + geo.pl + geo.pr, sw * (ow + q - 1)) // sw)
    dxp = buffers.empty((n, hp, wv * sw, c), g2.dtype)
    dxp.fill(0)
    dv = dxp.reshape(n, hp, wv, sw * c)
    for i in range(kh):
        rows = dv[:, i : i + sh * (oh - 1) + 1 : sh]
        for g in range(q):
            rows[:, :, g : g + ow, :] += parts[i * q + g].reshape(n, oh, ow, sw * c)
    return dxp[:, geo.pt : geo.pt + h, geo.pl : geo.pl + w, :]
