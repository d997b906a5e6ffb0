"""GPU benchmark of gpuflow's kernels against cuBLAS (cupy.matmul) and PyTorch/cuDNN.

Usage: ``PYTHONPATH=. python3 benchmarks/bench_kernels_gpu.py [--device cuda|cuda-emu]
[--tiny] [--compile-only] --out DIR`` (normally via ``benchmarks/gpu_check.sh``). Timed
with CUDA events after warm-up (wall clock on cuda-emu); medians. Writes
``DIR/kernels.json``, ``DIR/kernels.md`` and ``DIR/kernels.png`` (the chart, where
matplotlib imports). Exits 3 with a message where no GPU answers. ``--compile-only``
compiles every kernel file (NVRTC on cuda, g++ on cuda-emu) and checks one small fused
dense against the array library, writing nothing. ``--tiny``: sizes for a dry run.

Dense: fused kernel (forward, and backward) vs ``cupy.matmul`` + bias + relu vs
``torch.relu(F.linear)``, at the lecture MLP's shapes (batch 32 and 128, 784 -> 512) and
4096^3, in float16/32/64. Conv: im2col + fused GEMM (+ bias + relu) vs
``torch.relu(F.conv2d)`` (cuDNN) on the lecture CNN's two layers (3x3, stride 2, valid),
at batch 32 and 128.
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

DENSE_SHAPES = [(32, 784, 512), (128, 784, 512), (4096, 4096, 4096)]  # (M, K, N)
# (batch, H, W, C, KH, KW, F, stride): the lecture CNN, Input 28x28x1 -> Conv2D(16, 3x3, stride 2,
# valid) -> 13x13x16 -> Conv2D(16, 3x3, stride 2, valid) -> 6x6x16, at batch 32 and 128.
CONV_LAYERS = [
    (n, h, w, c, 3, 3, 16, 2) for n in (32, 128) for (h, w, c) in ((28, 28, 1), (13, 13, 16))
]
DTYPES = ["float16", "float32", "float64"]
TINY_DENSE = [(3, 5, 7), (33, 20, 17)]
TINY_CONV = [(2, 9, 9, 1, 3, 3, 4, 2), (2, 5, 5, 4, 3, 3, 4, 2)]


class Timer:
    """Median ms of a callable: CUDA events on a GPU, ``perf_counter`` on cuda-emu."""

    def __init__(self, cupy, tiny: bool) -> None:
        self.cupy = cupy
        self.warmup, self.reps = (0, 1) if tiny else (3, 20)

    def __call__(self, fn, budget_ms=4000.0):
        for _ in range(self.warmup):
            fn()
        if self.cupy is None:
            times = []
            for _ in range(self.reps):
                t = time.perf_counter()
                fn()
                times.append((time.perf_counter() - t) * 1e3)
            return statistics.median(times)
        return time_ms(self.cupy, fn, self.warmup, self.reps, budget_ms)


def time_ms(cupy, fn, warmup=3, reps=20, budget_ms=4000.0):
    """Median milliseconds of ``fn()`` over ``reps`` runs (fewer if one run is slow)."""
    for _ in range(warmup):
        fn()
    cupy.cuda.Device().synchronize()
    start, stop = cupy.cuda.Event(), cupy.cuda.Event()
    times = []
    for _ in range(reps):
        start.record()
        fn()
        stop.record()
        stop.synchronize()
        times.append(cupy.cuda.get_elapsed_time(start, stop))
        if sum(times) > budget_ms and len(times) >= 3:
            break
    return statistics.median(times)


def rel_err(a, b, xp):
    a, b = a.astype(xp.float64), b.astype(xp.float64)
    return float(xp.abs(a - b).max() / max(float(xp.abs(b).max()), 1e-30))


def _rng(xp, seed):
    return xp.random.default_rng(seed)


def bench_dense(xp, torch, ops, config, timer, shapes, records):
    rng = _rng(xp, 0)
    for dtype in DTYPES:
        for M, K, N in shapes:
            x = rng.standard_normal((M, K), dtype=xp.float32).astype(dtype)
            w = (rng.standard_normal((K, N), dtype=xp.float32) / np.sqrt(K)).astype(dtype)
            b = rng.standard_normal((N,), dtype=xp.float32).astype(dtype)
            g = rng.standard_normal((M, N), dtype=xp.float32).astype(dtype)
            flops = 2.0 * M * N * K
            config.set_gemm_backend("kernel")

            def fused():
                return ops.dense_forward(x, w, b, True)

            out = fused()

            def unfused():
                return xp.maximum(xp.matmul(x, w) + b, 0)

            row = {
                "op": "dense_forward",
                "dtype": dtype,
                "shape": f"{M}x{K}x{N}",
                "fused_ms": timer(fused),
                "cupy_ms": timer(unfused),
                "max_rel_err_vs_cupy": rel_err(out, unfused(), xp),
            }
            if torch is not None:
                xt, wt, bt = (
                    torch.as_tensor(a, device="cuda") for a in (x, xp.ascontiguousarray(w.T), b)
                )
                row["torch_ms"] = timer(lambda: torch.relu(torch.nn.functional.linear(xt, wt, bt)))
            row["fused_bwd_ms"] = timer(lambda: ops.dense_backward(x, w, out, g, True))
            config.set_gemm_backend("cublas")
            row["cupy_bwd_ms"] = timer(lambda: ops.dense_backward(x, w, out, g, True))
            config.set_gemm_backend("auto")
            row["auto_uses_kernel"] = ops.use_kernel(M, N, K)
            for k in ("fused", "cupy", "torch"):
                if f"{k}_ms" in row:
                    row[f"{k}_tflops"] = flops / row[f"{k}_ms"] / 1e9
            row["fused_vs_cupy_speedup"] = row["cupy_ms"] / row["fused_ms"]
            records.append(row)
            print(json.dumps(row), flush=True)


def bench_conv(xp, torch, ops, config, timer, layers, records):
    from gpuflow.backend.geometry import WindowGeometry

    rng = _rng(xp, 1)
    config.set_gemm_backend("auto")
    for dtype in ("float16", "float32"):
        for n, h, w_, c, kh, kw, f, s in layers:
            x = rng.standard_normal((n, h, w_, c), dtype=xp.float32).astype(dtype)
            kern = (
                rng.standard_normal((kh, kw, c, f), dtype=xp.float32) / np.sqrt(kh * kw * c)
            ).astype(dtype)
            bias = rng.standard_normal((f,), dtype=xp.float32).astype(dtype)
            geo = WindowGeometry((n, h, w_, c), kh, kw, s, s, "valid")
            y, saved = ops.conv2d_forward(x, kern, bias, True, geo)
            g = xp.ones_like(y)

            def ours():
                return ops.conv2d_forward(x, kern, bias, True, geo)[0]

            row = {
                "op": "conv2d_forward",
                "dtype": dtype,
                "shape": f"{n}x{h}x{w_}x{c} k{kh}x{kw}x{f} s{s}",
                "im2col_ms": timer(ours),
                "bwd_ms": timer(lambda: ops.conv2d_backward(saved, g)),
                "flops": 2.0 * n * geo.oh * geo.ow * f * kh * kw * c,
            }
            if torch is not None:
                torch.backends.cudnn.benchmark = True
                xt = torch.as_tensor(x, device="cuda").permute(0, 3, 1, 2).contiguous()
                kt = torch.as_tensor(kern, device="cuda").permute(3, 2, 0, 1).contiguous()
                bt = torch.as_tensor(bias, device="cuda")

                def ref():
                    return torch.relu(torch.nn.functional.conv2d(xt, kt, bt, stride=s))

                row["cudnn_ms"] = timer(ref)
                row["im2col_over_cudnn"] = row["im2col_ms"] / row["cudnn_ms"]
                got = xp.asarray(ours()).astype(xp.float64)
                want = xp.asarray(ref().permute(0, 2, 3, 1).contiguous()).astype(xp.float64)
                row["max_rel_err_vs_cudnn"] = float(xp.abs(got - want).max() / xp.abs(want).max())
            records.append(row)
            print(json.dumps(row), flush=True)


def write_markdown(path: Path, meta: dict, records: list) -> None:
    lines = [
        f"# gpuflow kernel benchmark: {meta['gpu']}, {meta['date']}",
        "",
        f"Device {meta['device']}, CuPy {meta['cupy']}, PyTorch {meta['torch']}, "
        f"Python {meta['python']}. Median ms (CUDA events after warm-up; wall clock on "
        "cuda-emu, where the numbers mean nothing); TFLOP/s = 2MNK / time.",
        "",
        "| op | dtype | shape | fused ms | cupy ms | torch ms | fused TFLOP/s | cupy TFLOP/s "
        "| fused/cupy speedup | fused bwd ms | cupy bwd ms | auto->kernel |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]

    def fmt(v):
        return "-" if v is None else (f"{v:.4g}" if isinstance(v, float) else str(v))

    for r in records:
        if r["op"] == "dense_forward":
            lines.append(
                "| "
                + " | ".join(
                    fmt(r.get(k))
                    for k in (
                        "op",
                        "dtype",
                        "shape",
                        "fused_ms",
                        "cupy_ms",
                        "torch_ms",
                        "fused_tflops",
                        "cupy_tflops",
                        "fused_vs_cupy_speedup",
                        "fused_bwd_ms",
                        "cupy_bwd_ms",
                        "auto_uses_kernel",
                    )
                )
                + " |"
            )
    lines += [
        "",
        "| op | dtype | layer | im2col+GEMM ms | bwd ms | cuDNN ms | ratio (goal <= 2) "
        "| max rel err |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in records:
        if r["op"] == "conv2d_forward":
            lines.append(
                "| "
                + " | ".join(
                    fmt(r.get(k))
                    for k in (
                        "op",
                        "dtype",
                        "shape",
                        "im2col_ms",
                        "bwd_ms",
                        "cudnn_ms",
                        "im2col_over_cudnn",
                        "max_rel_err_vs_cudnn",
                    )
                )
                + " |"
            )
    path.write_text("\n".join(lines) + "\n")


def write_chart(path: Path, meta: dict, records: list) -> str | None:
    """A bar chart of the fused dense's TFLOP/s next to cuBLAS and PyTorch; the reason if none."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        return f"no chart: matplotlib does not import ({exc})"
    rows = [r for r in records if r["op"] == "dense_forward"]
    if not rows:
        return "no chart: no dense results"
    labels = [f"{r['dtype']}\n{r['shape']}" for r in rows]
    fig, ax = plt.subplots(figsize=(max(6, len(rows) * 0.9), 4))
    width = 0.27
    for i, (key, name) in enumerate(
        (("fused", "gpuflow fused"), ("cupy", "cuBLAS+bias+relu"), ("torch", "PyTorch"))
    ):
        vals = [r.get(f"{key}_tflops") or 0.0 for r in rows]
        ax.bar([j + (i - 1) * width for j in range(len(rows))], vals, width, label=name)
    ax.set_xticks(range(len(rows)), labels, fontsize=7)
    ax.set_ylabel("TFLOP/s (forward)")
    ax.set_title(f"dense forward, {meta['gpu']} ({meta['date']})", fontsize=9)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return None


def compile_only(device_name: str) -> int:
    """Compiles every kernel file on the device and checks one small fused dense."""
    import gpuflow.kernels
    from gpuflow import config
    from gpuflow.backend import get_device

    dev = get_device(device_name)
    start = time.perf_counter()
    files = gpuflow.kernels.precompile(dev)
    print(
        f"bench_kernels_gpu: compiled {', '.join(files)} on {dev.name} in "
        f"{time.perf_counter() - start:.1f} s",
        flush=True,
    )
    ops, xp = dev.kernels, dev.kernels.xp
    before = config.gemm_backend()
    config.set_gemm_backend("kernel")
    try:
        x = xp.arange(12, dtype=xp.float32).reshape(3, 4) - 5
        w = xp.ones((4, 5), dtype=xp.float32)
        got = ops.dense_forward(x, w, None, True)
    finally:
        config.set_gemm_backend(before)
    err = rel_err(got, xp.maximum(x @ w, 0), xp)
    print(f"bench_kernels_gpu: fused dense 3x4x5 max rel err {err:.2e}", flush=True)
    return 0 if err < 1e-6 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", help="folder for kernels.json, kernels.md and kernels.png")
    parser.add_argument("--device", default="cuda", choices=("cuda", "cuda-emu"))
    parser.add_argument("--tiny", action="store_true", help="tiny sizes (a dry run)")
    parser.add_argument(
        "--compile-only",
        action="store_true",
        help="compile the kernels and check one small GEMM; write nothing",
    )
    args = parser.parse_args()
    cupy = None
    if args.device == "cuda":
        try:
            import cupy

            if cupy.cuda.runtime.getDeviceCount() == 0:
                raise RuntimeError("the driver reports 0 devices")
        except Exception as exc:
            print(
                f"bench_kernels_gpu: NO GPU FOUND ({type(exc).__name__}: {exc}); nothing measured",
                file=sys.stderr,
            )
            return 3
    if args.compile_only:
        return compile_only(args.device)
    if not args.out:
        parser.error("--out is required unless --compile-only")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    torch = None
    if cupy is not None:
        try:
            import torch

            if not torch.cuda.is_available():
                torch = None
        except ImportError:
            torch = None
    import gpuflow.kernels
    from gpuflow import config
    from gpuflow.backend import get_device

    dev = get_device("cuda:0" if cupy is not None else "cuda-emu")
    gpuflow.kernels.precompile(dev)
    ops = dev.kernels
    if cupy is not None:
        props = cupy.cuda.runtime.getDeviceProperties(0)
        name = props["name"].decode() if isinstance(props["name"], bytes) else props["name"]
    else:
        name = "cuda-emu (CPU)"
    meta = {
        "gpu": name,
        "device": dev.name,
        "date": datetime.date.today().isoformat(),
        "cupy": getattr(cupy, "__version__", None),
        "tiny": args.tiny,
        "torch": getattr(torch, "__version__", None),
        "python": platform.python_version(),
    }
    timer = Timer(cupy, args.tiny)
    records: list = []
    before = config.gemm_backend()
    try:
        bench_dense(
            ops.xp, torch, ops, config, timer, TINY_DENSE if args.tiny else DENSE_SHAPES, records
        )
        bench_conv(
            ops.xp, torch, ops, config, timer, TINY_CONV if args.tiny else CONV_LAYERS, records
        )
    finally:
        config.set_gemm_backend(before)
        meta["chart"] = write_chart(out / "kernels.png", meta, records) or "kernels.png"
        (out / "kernels.json").write_text(json.dumps({"meta": meta, "results": records}, indent=1))
        write_markdown(out / "kernels.md", meta, records)
    print(f"bench_kernels_gpu: wrote kernels.json, kernels.md and {meta['chart']} in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
