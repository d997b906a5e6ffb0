"""The Python half of gpuflow's CUDA kernels: shapes, grid/block sizes, dtype choice.

``KernelOps`` is the same code on ``"cuda"`` (CuPy arrays, ``CudaLauncher``) and on
``"cuda-emu"`` (NumPy arrays, ``EmuLauncher``), so the CPU test suite checks the very
launch code the GPU runs. Tile shapes here mirror the ``GPUFLOW_GEMM_FAMILY`` table in
``kernels/fused_dense.cu``.

GEMM backend (``gpuflow.config.gemm_backend()``):
    ``"kernel"``: always our fused kernels. ``"cublas"``: ``xp.matmul`` then bias and
    ReLU as array ops (on cuda-emu ``xp`` is NumPy). ``"auto"``: on cuda-emu always the
    kernels (so CI exercises them); on cuda our kernels when ``M*N*K <= AUTO_KERNEL_MAX_MNK``
    (small, launch-bound GEMMs where fusing bias and ReLU saves two kernel launches and
    two passes over the output) and cuBLAS above. The threshold is a provisional guess;
    ``benchmarks/bench_kernels_gpu.py`` measures both and should replace it.
"""

from __future__ import annotations

import functools

import numpy as np

from ..config import settings as config
from ..dtypes import HALF_NP
from .kernel_set import KernelSet

FUSED_DENSE = "fused_dense.cu"
IM2COL = "im2col.cu"
INT8_DENSE = "int8_dense.cu"
INT8_TILE = 16

GEMM_TILES = {  # (variant, dtype suffix) -> (BM, BN): rows and columns of C per block
    ("large", "f16"): (64, 64),
    ("large", "f32"): (128, 128),
    ("large", "f64"): (64, 64),
    ("small", "f16"): (32, 32),
    ("small", "f32"): (32, 64),
    ("small", "f64"): (32, 64),
}
GEMM_THREADS = {"f16": 128, "f32": 256, "f64": 256}  # f16: 4 warps of WMMA fragments
MAX_TILE_LINE = 128
"""The longest tile edge; in-tile offsets are 32-bit, so every size x 128 must fit int32."""
BLOCKS_PER_SM = 2
"""Resident GEMM blocks an SM holds (256 threads and ~17-33 KB of shared memory each);
SMs x BLOCKS_PER_SM blocks is one wave."""
SPLIT_MIN_K = 256
"""The shortest contraction a split-K slice gets: below it the partials' extra pass costs
more than the parallelism it buys."""
MAX_SPLITS = 64
SPLIT_K_ALIGN = 16  # a slice spans whole BK-deep steps of every tile variant (BK 8 or 16)
AUTO_KERNEL_MAX_MNK = 2**26
ELEMENTWISE_THREADS = 256
MAX_GRID_X = 65535 * 16  # grid-stride loops cover the rest; keeps launches cheap to describe
_INT32_MAX = 2**31 - 1
_SUFFIX = {np.dtype(np.float16): "f16", np.dtype(np.float32): "f32", np.dtype(np.float64): "f64"}


_BF16 = next(d for d in HALF_NP if d != np.float16)


def _via_float32(method):
    """Run a kernel method on bfloat16 arrays in float32 and round its arrays back: the
    kernels have float16/32/64 variants only (bfloat16 arrays exist on cuda-emu, whose
    arrays are NumPy's; CuPy has no bfloat16)."""

    @functools.wraps(method)
    def run(self, *args, **kwargs):
        if not any(getattr(a, "dtype", None) == _BF16 for a in args):
            return method(self, *args, **kwargs)
        up = [a.astype(np.float32) if getattr(a, "dtype", None) == _BF16 else a for a in args]
        return _to_bf16(method(self, *up, **kwargs))

    return run


def _to_bf16(out):
    if isinstance(out, tuple):
        return tuple(_to_bf16(o) for o in out)
    return out.astype(_BF16) if getattr(out, "dtype", None) == np.float32 else out


def _cdiv(a: int, b: int) -> int:
    return -(-a // b)


class KernelOps(KernelSet):
    """The :class:`KernelSet` of ``"cuda"`` and ``"cuda-emu"``: our kernels through ``launcher``.

    Args:
        launcher: a ``CudaLauncher`` or ``EmuLauncher`` (attributes ``xp``, ``kind``,
            ``context()``, ``launch(file, name, grid, block, args)``).

    Attributes:
        force_variant: ``None`` (choose the GEMM tile by shape), ``"large"`` or ``"small"``;
            for tests and benchmarks.
        force_splits: ``None`` (choose the split-K factor of the weight gradient by shape)
            or a number of splits; for tests and benchmarks.
    """

    def __init__(self, launcher) -> None:
        self.launcher = launcher
        self.xp = launcher.xp
        self.force_variant: str | None = None
        self.force_splits: int | None = None

    # -- public ops ---------------------------------------------------------------------
    def matmul(self, a, b):
        return self._matmul(a, b)

    @_via_float32
    def dense_forward(self, x, w, b, relu: bool):
        """``act(x @ w + b)``: x ``[M,K]``, w ``[K,N]``, b ``[N]`` or ``None`` -> ``[M,N]``."""
        sfx = self._check_dtypes("dense_forward", x=x, w=w, b=b)
        x, w, b = self._contiguous(x, w, b)
        if x.ndim != 2 or w.ndim != 2 or x.shape[1] != w.shape[0]:
            raise ValueError(
                f"dense_forward: expected x [M,K] and w [K,N], received x {tuple(x.shape)} "
                f"and w {tuple(w.shape)}"
            )
        M, K = x.shape
        N = w.shape[1]
        if b is not None and tuple(b.shape) != (N,):
            raise ValueError(
                f"dense_forward: expected bias of shape ({N},), received {tuple(b.shape)}"
            )
        self._check_int32("dense_forward", M=M, N=N, K=K)
        if not self.use_kernel(M, N, K):
            out = self._matmul(x, w)
            if b is not None:
                out += b
            return self.xp.maximum(out, 0, out=out) if relu else out
        with self.launcher.context():
            out = self.xp.empty((M, N), dtype=x.dtype)
        self._gemm("nn", sfx, x, w, out, None, None, b, relu, M, N, K)
        return out

    @_via_float32
    def dense_backward(self, x, w, out, g, relu: bool, need_dx: bool = True, need_db: bool = True):
        """Gradients of ``dense_forward``; the ReLU mask ``out > 0`` is applied inside the kernels.

        Args:
            x: forward input ``[M,K]``. w: weights ``[K,N]``. out: forward output ``[M,N]``
            (read only when ``relu``). g: ``dL/dout`` ``[M,N]``. need_dx / need_db: skip
            dX / db when False.

        Returns:
            ``(dx [M,K] or None, dw [K,N], db [N] or None)``.
        """
        sfx = self._check_dtypes("dense_backward", x=x, w=w, out=out if relu else None, g=g)
        x, w, g = self._contiguous(x, w, g)
        out = self._contiguous(out)[0] if relu else None
        M, K = x.shape
        N = w.shape[1]
        if w.shape[0] != K or tuple(g.shape) != (M, N) or (relu and tuple(out.shape) != (M, N)):
            raise ValueError(
                f"dense_backward: expected x [M,K], w [K,N], out and g [M,N]; received x "
                f"{tuple(x.shape)}, w {tuple(w.shape)}, out "
                f"{None if out is None else tuple(out.shape)}, g {tuple(g.shape)}"
            )
        self._check_int32("dense_backward", M=M, N=N, K=K)
        if not self.use_kernel(M, N, K):
            return self._dense_backward_xp(x, w, out, g, need_dx, need_db)
        xp = self.xp
        with self.launcher.context():
            dx = xp.empty((M, K), dtype=x.dtype) if need_dx else None
            dw = xp.empty((K, N), dtype=x.dtype)
            db = xp.empty((N,), dtype=x.dtype) if need_db else None
        if need_dx:  # dX[M,K] = g'[M,N] @ w^T: w is read as [N,K] transposed
            self._gemm("nt", sfx, g, w, dx, out, None, None, False, M, K, N)
        # dW[K,N] = x^T @ g': x is read as [K,M] transposed, contraction over the batch (and
        # the space of a conv), split over gridDim.z when the [K,N] output is too small
        variant = self.gemm_variant(K, N, sfx)
        splits, chunk = self.split_k(K, N, M, variant, sfx)
        if splits == 1:
            self._gemm("tn", sfx, x, g, dw, None, out, None, False, K, N, M)
            if need_db:
                self.launcher.launch(
                    FUSED_DENSE,
                    f"bias_grad_{sfx}",
                    (_cdiv(N, 32), 1, 1),
                    (32, 8, 1),
                    (g, out, db, np.int32(M), np.int32(N), np.int32(max(M, 1))),
                )
            return dx, dw, db
        acc = np.float32 if sfx == "f16" else x.dtype
        with self.launcher.context():
            parts = xp.empty((splits, K, N), dtype=acc)
        self._gemm(
            "tn_split",
            sfx,
            x,
            g,
            parts,
            None,
            out,
            None,
            False,
            K,
            N,
            M,
            splits=splits,
            chunk=chunk,
            variant=variant,
        )
        self._reduce_splits(sfx, parts, dw, splits, K * N)
        if need_db:
            with self.launcher.context():
                db_parts = xp.empty((splits, N), dtype=acc)
            self.launcher.launch(
                FUSED_DENSE,
                f"bias_grad_{sfx}_split",
                (_cdiv(N, 32), splits, 1),
                (32, 8, 1),
                (g, out, db_parts, np.int32(M), np.int32(N), np.int32(chunk)),
            )
            self._reduce_splits(sfx, db_parts, db, splits, N)
        return dx, dw, db

    def dense_backward_update(
        self, x, w, out, g, relu: bool, need_dx: bool, need_db: bool, rate: float, target
    ):
        """:meth:`dense_backward`, then ``target -= rate * dw`` (see
        ``KernelSet.dense_backward_update``; a GEMM with ``beta = 1`` is not fused yet)."""
        dx, dw, db = self.dense_backward(x, w, out, g, relu, need_dx=need_dx, need_db=need_db)
        target -= rate * dw
        return dx, db

    @_via_float32
    def im2col(self, x, kh, kw, stride_h, stride_w, pad_top, pad_left, out_h, out_w):
        """Patches of ``x [N,H,W,C]`` -> ``[N*out_h*out_w, kh*kw*C]``, columns (kh, kw, c).

        ``cols @ kernel.reshape(kh*kw*C, F)`` is the Keras conv2d (kernel ``[KH,KW,C,F]``);
        taps outside the image read zero.
        """
        sfx = self._check_dtypes("im2col", x=x)
        (x,) = self._contiguous(x)
        if x.ndim != 4:
            raise ValueError(f"im2col: expected x [N,H,W,C], received shape {tuple(x.shape)}")
        n, h, w, c = (int(s) for s in x.shape)
        geom = self._conv_geometry(
            "im2col", kh, kw, stride_h, stride_w, pad_top, pad_left, out_h, out_w
        )
        rows, ncol = n * geom[-2] * geom[-1], geom[0] * geom[1] * c
        with self.launcher.context():
            cols = self.xp.empty((rows, ncol), dtype=x.dtype)
        self._check_int32("im2col", N=n, H=h, W=w, C=c)
        self._elementwise(IM2COL, f"im2col_{sfx}", rows * ncol, x, cols, n, h, w, c, *geom)
        return cols

    @_via_float32
    def col2im(self, cols, x_shape, kh, kw, stride_h, stride_w, pad_top, pad_left, out_h, out_w):
        """Adjoint of ``im2col``: sums each patch entry back into ``dx`` of shape ``x_shape``.

        One thread per element of ``dx`` gathers its taps in a fixed order: no atomics,
        bitwise deterministic.
        """
        sfx = self._check_dtypes("col2im", cols=cols)
        (cols,) = self._contiguous(cols)
        n, h, w, c = (int(s) for s in x_shape)
        geom = self._conv_geometry(
            "col2im", kh, kw, stride_h, stride_w, pad_top, pad_left, out_h, out_w
        )
        expected = (n * geom[-2] * geom[-1], geom[0] * geom[1] * c)
        if tuple(cols.shape) != expected:
            raise ValueError(
                f"col2im: expected cols of shape {expected} for x_shape {tuple(x_shape)}, "
                f"received {tuple(cols.shape)}"
            )
        with self.launcher.context():
            dx = self.xp.empty((n, h, w, c), dtype=cols.dtype)
        self._check_int32("col2im", N=n, H=h, W=w, C=c)
        self._elementwise(IM2COL, f"col2im_{sfx}", n * h * w * c, cols, dx, n, h, w, c, *geom)
        return dx

    def conv2d_forward(self, x, kernel, bias, relu: bool, geo):
        """im2col, then the fused GEMM with bias and ReLU (see ``KernelSet.conv2d_forward``)."""
        kh, kw, c, f = kernel.shape
        cols = self.im2col(x, kh, kw, geo.sh, geo.sw, geo.pt, geo.pl, geo.oh, geo.ow)
        k2 = kernel.reshape(kh * kw * c, f)
        y = self.dense_forward(cols, k2, bias, relu)
        return y.reshape(x.shape[0], geo.oh, geo.ow, f), (
            cols,
            kernel,
            y,
            relu,
            bias is not None,
            geo,
        )

    def conv2d_backward(self, saved, g, need_dx: bool = True):
        """The fused GEMMs' gradients, then col2im (see ``KernelSet.conv2d_backward``)."""
        cols, kernel, y, relu, has_bias, geo = saved
        kh, kw, c, f = kernel.shape
        dcols, dk, db = self.dense_backward(
            cols,
            kernel.reshape(kh * kw * c, f),
            y,
            g.reshape(-1, f),
            relu,
            need_dx=need_dx,
            need_db=has_bias,
        )
        dx = (
            None
            if dcols is None
            else self.col2im(
                dcols, geo.x_shape, kh, kw, geo.sh, geo.sw, geo.pt, geo.pl, geo.oh, geo.ow
            )
        )
        return dx, dk.reshape(kernel.shape), db

    def int8_matmul(self, x, wt):
        """``x @ wt.T`` in int32 by ``kernels/int8_dense.cu`` (``__dp4a``: four int8 products
        an instruction, int32 accumulation)."""
        return self._int8_launch("int8_gemm_s32", x, wt, lambda out: (out,), np.int32)

    def int8_dense(self, x, wt, x_scale: float, w_scale, bias, relu: bool):
        """The int8 GEMM with the dequantization, bias and ReLU fused into its epilogue."""

        def tail(out):
            return (w_scale, np.float32(x_scale), bias, np.int32(bool(relu)), out)

        return self._int8_launch("int8_dense_f32", x, wt, tail, np.float32)

    def precompile(self, files) -> list[str]:
        return self.launcher.precompile(files)

    def compiled(self) -> list[str]:
        return self.launcher.compiled()

    # -- choices -----------------------------------------------------------------------
    def use_kernel(self, M: int, N: int, K: int) -> bool:
        """Whether a GEMM of this shape runs on our kernel (else ``xp.matmul``); see module doc."""
        backend = config.gemm_backend()
        if backend == "kernel" or (backend == "auto" and self.launcher.kind == "cuda-emu"):
            return True
        if backend == "cublas":
            return False
        return M * N * K <= AUTO_KERNEL_MAX_MNK

    def wave_blocks(self) -> int:
        """GEMM blocks in one wave: the GPU's SM count (emu: a fixed H100's) x BLOCKS_PER_SM."""
        return self.launcher.sm_count * BLOCKS_PER_SM

    def split_k(self, M: int, N: int, K: int, variant: str, sfx: str) -> tuple[int, int]:
        """``(splits, chunk)`` for a ``[M,N]`` output contracting ``K``: enough splits that
        the blocks fill about one wave, each slice ``chunk`` (>= SPLIT_MIN_K) deep."""
        bm, bn = GEMM_TILES[(variant, sfx)]
        blocks = _cdiv(M, bm) * _cdiv(N, bn)
        if self.force_splits is not None:
            want = max(1, int(self.force_splits))
        elif blocks >= self.wave_blocks() or K < 2 * SPLIT_MIN_K:
            want = 1
        else:
            want = min(_cdiv(self.wave_blocks(), blocks), K // SPLIT_MIN_K, MAX_SPLITS)
        chunk = _cdiv(_cdiv(max(K, 1), want), SPLIT_K_ALIGN) * SPLIT_K_ALIGN
        return _cdiv(max(K, 1), chunk), chunk

    def gemm_variant(self, M: int, N: int, sfx: str) -> str:
        """``"large"`` or ``"small"`` tile for a ``[M,N]`` output."""
        if self.force_variant is not None:
            return self.force_variant
        bm, bn = GEMM_TILES[("large", sfx)]
        # the large tile only when it still fills a wave; skinny batches get more, smaller blocks
        return "large" if _cdiv(M, bm) * _cdiv(N, bn) >= self.wave_blocks() else "small"

    # -- helpers -----------------------------------------------------------------------
    def _gemm(
        self,
        ops,
        sfx,
        a,
        b,
        c,
        mask_a,
        mask_b,
        bias,
        relu,
        M,
        N,
        K,
        splits=1,
        chunk=None,
        variant=None,
    ):
        if M == 0 or N == 0:
            return
        variant = variant or self.gemm_variant(M, N, sfx)
        bm, bn = GEMM_TILES[(variant, sfx)]
        # the long side (rows: batch x space) on grid.x, which allows 2^31 - 1 blocks
        grid = (_cdiv(M, bm), _cdiv(N, bn), splits)
        if grid[1] > 65535:
            raise ValueError(
                f"gemm_{ops}: {N} columns need {grid[1]} blocks along y, over CUDA's 65535"
            )
        if max(M, N, K) * MAX_TILE_LINE > _INT32_MAX:
            raise ValueError(
                f"gemm_{ops}: sizes M={M} N={N} K={K} too large for the kernels' "
                f"32-bit in-tile offsets (each size x {MAX_TILE_LINE} < 2^31)"
            )
        self.launcher.launch(
            FUSED_DENSE,
            f"gemm_{ops}_{variant}_{sfx}",
            grid,
            (GEMM_THREADS[sfx], 1, 1),
            (
                a,
                b,
                c,
                mask_a,
                mask_b,
                bias,
                np.int32(bool(relu)),
                np.int32(M),
                np.int32(N),
                np.int32(K),
                np.int32(K if chunk is None else chunk),
            ),
        )

    def _reduce_splits(self, sfx, parts, out, splits, n):
        """``out = parts.sum(axis=0)`` by ``splitk_reduce`` (fixed order: deterministic)."""
        blocks = min(_cdiv(n, ELEMENTWISE_THREADS), MAX_GRID_X)
        self.launcher.launch(
            FUSED_DENSE,
            f"splitk_reduce_{sfx}",
            (blocks, 1, 1),
            (ELEMENTWISE_THREADS, 1, 1),
            (parts, out, np.int32(splits), np.int32(n)),
        )

    def _elementwise(self, filename, name, total, src, dst, *ints):
        if total == 0:
            return
        # 32-bit indices unless an index into either array (or a grid step past the end) could
        # pass 2^31 - 1: then the _i64 twin, whose per-element divisions are 64-bit
        if max(total, src.size, dst.size) + MAX_GRID_X * ELEMENTWISE_THREADS > _INT32_MAX:
            name = name + "_i64"
        blocks = min(_cdiv(total, ELEMENTWISE_THREADS), MAX_GRID_X)
        self.launcher.launch(
            filename,
            name,
            (blocks, 1, 1),
            (ELEMENTWISE_THREADS, 1, 1),
            (src, dst) + tuple(np.int32(v) for v in ints),
        )

    @staticmethod
    def _conv_geometry(op, kh, kw, sh, sw, pt, pl, oh, ow):
        vals = tuple(int(v) for v in (kh, kw, sh, sw, pt, pl, oh, ow))
        if min(vals[:4]) < 1 or min(vals[4:6]) < 0 or min(vals[6:]) < 0:
            raise ValueError(
                f"{op}: expected kernel and stride >= 1, pads and output size >= 0; received "
                f"kh={kh} kw={kw} stride=({sh},{sw}) pads=({pt},{pl}) out=({oh},{ow})"
            )
        return vals

    @staticmethod
    def _check_dtypes(op, **arrays) -> str:
        dtypes = {k: np.dtype(v.dtype) for k, v in arrays.items() if v is not None}
        first = next(iter(dtypes.values()))
        if any(d != first for d in dtypes.values()) or first not in _SUFFIX:
            got = ", ".join(f"{k} {d}" for k, d in dtypes.items())
            raise TypeError(
                f"{op}: expected arrays of one float dtype (float16/32/64), received {got}"
            )
        return _SUFFIX[first]

    @staticmethod
    def _check_int32(op, **sizes) -> None:
        big = {k: v for k, v in sizes.items() if v > _INT32_MAX}
        if big:
            raise ValueError(f"{op}: sizes must fit in int32 for the CUDA kernels, received {big}")

    def _contiguous(self, *arrays):
        return tuple(None if a is None else self.xp.ascontiguousarray(a) for a in arrays)

    def _matmul(self, a, b):
        # NumPy's float16 matmul is slow and rounds per step: accumulate in float32 (as GPUs do).
        if self.xp is np and a.dtype in HALF_NP:  # bfloat16 as well
            return np.matmul(a.astype(np.float32), b.astype(np.float32)).astype(a.dtype)
        return self.xp.matmul(a, b)

    def _dense_backward_xp(self, x, w, out, g, need_dx, need_db):
        gm = g * (out > 0) if out is not None else g
        dx = self._matmul(gm, self.xp.ascontiguousarray(w.T)) if need_dx else None
        dw = self._matmul(self.xp.ascontiguousarray(x.T), gm)
        db = None
        if need_db:
            acc = np.float32 if g.dtype in HALF_NP else g.dtype
            db = gm.sum(axis=0, dtype=acc).astype(g.dtype)
        return dx, dw, db

    def _int8_launch(self, name, x, wt, args_after, out_dtype):
        xp = self.xp
        x4, w4 = _pad_k(xp, x), _pad_k(xp, wt)
        m, n, k4 = x.shape[0], wt.shape[0], x4.shape[1] // 4
        with self.launcher.context():
            out = xp.empty((m, n), dtype=out_dtype)
        if m and n:
            grid = (_cdiv(n, INT8_TILE), _cdiv(m, INT8_TILE), 1)
            if grid[1] > 65535:
                raise ValueError(
                    f"{name}: {m} rows need {grid[1]} blocks along y, over CUDA's 65535"
                )
            sizes = (np.int32(m), np.int32(n), np.int32(k4))
            self.launcher.launch(
                INT8_DENSE,
                name,
                grid,
                (INT8_TILE, INT8_TILE, 1),
                (x4, w4) + args_after(out) + sizes,
            )
        return out


def _pad_k(xp, a):
    """``a [R, K]`` int8 with K padded by zeros to a multiple of 4, C-contiguous and 4-byte
    aligned (``__dp4a`` reads four int8 at a time)."""
    r, k = a.shape
    k4 = -(-k // 4) * 4
    if k4 == k and a.flags.c_contiguous and _address(a) % 4 == 0:
        return a
    out = xp.zeros((r, k4), dtype=np.int8)
    out[:, :k] = a
    return out


def _address(a) -> int:
    return a.ctypes.data if isinstance(a, np.ndarray) else a.data.ptr
