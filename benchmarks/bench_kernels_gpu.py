"""GPU benchmark of gpuflow's kernels against cuBLAS (cupy.matmul) and PyTorch/cuDNN.

Usage: ``PYTHONPATH=. python3 benchmarks/bench_kernels_gpu.py --out DIR`` (normally via
``benchmarks/gpu_check.sh``). Timed with CUDA events after warm-up; medians. Writes
``DIR/results.json`` and ``DIR/results.md``. Exits 3 with a message where no GPU answers.

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
from pathlib import Path

import numpy as np

DENSE_SHAPES = [(32, 784, 512), (128, 784, 512), (4096, 4096, 4096)]  # (M, K, N)
# (batch, H, W, C, KH, KW, F, stride): the lecture CNN, Input 28x28x1 -> Conv2D(16, 3x3, stride 2,
# valid) -> 13x13x16 -> Conv2D(16, 3x3, stride 2, valid) -> 6x6x16, at batch 32 and 128.
CONV_LAYERS = [(n, h, w, c, 3, 3, 16, 2) for n in (32, 128) for (h, w, c) in ((28, 28, 1), (13, 13, 16))]
DTYPES = ["float16", "float32", "float64"]


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


def bench_dense(cupy, torch, ops, config, records):
    rng = cupy.random.default_rng(0)
    for dtype in DTYPES:
        for M, K, N in DENSE_SHAPES:
            x = rng.standard_normal((M, K), dtype=cupy.float32).astype(dtype)
            w = (rng.standard_normal((K, N), dtype=cupy.float32) / np.sqrt(K)).astype(dtype)
            b = rng.standard_normal((N,), dtype=cupy.float32).astype(dtype)
            g = rng.standard_normal((M, N), dtype=cupy.float32).astype(dtype)
            flops = 2.0 * M * N * K
            config.set_gemm_backend("kernel")
            fused = lambda: ops.dense_forward(x, w, b, True)
            out = fused()
            unfused = lambda: cupy.maximum(cupy.matmul(x, w) + b, 0)
            row = {"op": "dense_forward", "dtype": dtype, "shape": f"{M}x{K}x{N}",
                   "fused_ms": time_ms(cupy, fused), "cupy_ms": time_ms(cupy, unfused),
                   "max_rel_err_vs_cupy": rel_err(out, unfused(), cupy)}
            if torch is not None:
                xt, wt, bt = (torch.as_tensor(a, device="cuda") for a in (x, cupy.ascontiguousarray(w.T), b))
                row["torch_ms"] = time_ms(cupy, lambda: torch.relu(torch.nn.functional.linear(xt, wt, bt)))
            config.set_gemm_backend("kernel")
            row["fused_bwd_ms"] = time_ms(cupy, lambda: ops.dense_backward(x, w, out, g, True))
            config.set_gemm_backend("cublas")
            row["cupy_bwd_ms"] = time_ms(cupy, lambda: ops.dense_backward(x, w, out, g, True))
            config.set_gemm_backend("auto")
            row["auto_uses_kernel"] = ops.use_kernel(M, N, K)
            for k in ("fused", "cupy", "torch"):
                if f"{k}_ms" in row:
                    row[f"{k}_tflops"] = flops / row[f"{k}_ms"] / 1e9
            row["fused_vs_cupy_speedup"] = row["cupy_ms"] / row["fused_ms"]
            records.append(row)
            print(json.dumps(row), flush=True)


def bench_conv(cupy, torch, ops, config, records):
    rng = cupy.random.default_rng(1)
    config.set_gemm_backend("auto")
    for dtype in ("float16", "float32"):
        for n, h, w_, c, kh, kw, f, s in CONV_LAYERS:
            oh, ow = (h - kh) // s + 1, (w_ - kw) // s + 1
            x = rng.standard_normal((n, h, w_, c), dtype=cupy.float32).astype(dtype)
            kern = (rng.standard_normal((kh, kw, c, f), dtype=cupy.float32) / np.sqrt(kh * kw * c)).astype(dtype)
            bias = rng.standard_normal((f,), dtype=cupy.float32).astype(dtype)
            kmat = kern.reshape(kh * kw * c, f)

            def ours():
                cols = ops.im2col(x, kh, kw, s, s, 0, 0, oh, ow)
                return ops.dense_forward(cols, kmat, bias, True).reshape(n, oh, ow, f)

            row = {"op": "conv2d_forward", "dtype": dtype, "shape": f"{n}x{h}x{w_}x{c} k{kh}x{kw}x{f} s{s}",
                   "im2col_ms": time_ms(cupy, ours),
                   "flops": 2.0 * n * oh * ow * f * kh * kw * c}
            if torch is not None:
                torch.backends.cudnn.benchmark = True
                xt = torch.as_tensor(x, device="cuda").permute(0, 3, 1, 2).contiguous()
                kt = torch.as_tensor(kern, device="cuda").permute(3, 2, 0, 1).contiguous()
                bt = torch.as_tensor(bias, device="cuda")
                ref = lambda: torch.relu(torch.nn.functional.conv2d(xt, kt, bt, stride=s))
                row["cudnn_ms"] = time_ms(cupy, ref)
                row["im2col_over_cudnn"] = row["im2col_ms"] / row["cudnn_ms"]
                got = cupy.asarray(ours()).astype(cupy.float64)
                want = cupy.asarray(ref().permute(0, 2, 3, 1).contiguous()).astype(cupy.float64)
                row["max_rel_err_vs_cudnn"] = float(cupy.abs(got - want).max() / cupy.abs(want).max())
            records.append(row)
            print(json.dumps(row), flush=True)


def write_markdown(path: Path, meta: dict, records: list) -> None:
    lines = [f"# gpuflow kernel benchmark: {meta['gpu']}, {meta['date']}", "",
             f"CuPy {meta['cupy']}, PyTorch {meta['torch']}, Python {meta['python']}. "
             "Median ms (CUDA events, after warm-up); TFLOP/s = 2MNK / time.", "",
             "| op | dtype | shape | fused ms | cupy ms | torch ms | fused TFLOP/s | cupy TFLOP/s "
             "| fused/cupy speedup | fused bwd ms | cupy bwd ms | auto->kernel |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    fmt = lambda v: "-" if v is None else (f"{v:.4g}" if isinstance(v, float) else str(v))
    for r in records:
        if r["op"] == "dense_forward":
            lines.append("| " + " | ".join(fmt(r.get(k)) for k in (
                "op", "dtype", "shape", "fused_ms", "cupy_ms", "torch_ms", "fused_tflops", "cupy_tflops",
                "fused_vs_cupy_speedup", "fused_bwd_ms", "cupy_bwd_ms", "auto_uses_kernel")) + " |")
    lines += ["", "| op | dtype | layer | im2col+GEMM ms | cuDNN ms | ratio (goal <= 3) | max rel err |",
              "|---|---|---|---|---|---|---|"]
    for r in records:
        if r["op"] == "conv2d_forward":
            lines.append("| " + " | ".join(fmt(r.get(k)) for k in (
                "op", "dtype", "shape", "im2col_ms", "cudnn_ms", "im2col_over_cudnn", "max_rel_err_vs_cudnn")) + " |")
    path.write_text("\n".join(lines) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="folder for results.json and results.md")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    try:
        import cupy

        if cupy.cuda.runtime.getDeviceCount() == 0:
            raise RuntimeError("the driver reports 0 devices")
    except Exception as exc:
        print(f"bench_kernels_gpu: NO GPU FOUND ({type(exc).__name__}: {exc}); nothing measured", file=sys.stderr)
        return 3
    try:
        import torch

        if not torch.cuda.is_available():
            torch = None
    except ImportError:
        torch = None
    from gpuflow import config
    from gpuflow.backend import get_device
    import gpuflow.kernels

    dev = get_device("cuda:0")
    gpuflow.kernels.precompile(dev)
    ops = dev.kernels
    props = cupy.cuda.runtime.getDeviceProperties(0)
    name = props["name"].decode() if isinstance(props["name"], bytes) else props["name"]
    meta = {"gpu": name, "date": datetime.date.today().isoformat(), "cupy": cupy.__version__,
            "torch": getattr(torch, "__version__", None), "python": platform.python_version()}
    records: list = []
    before = config.gemm_backend()
    try:
        bench_dense(cupy, torch, ops, config, records)
        bench_conv(cupy, torch, ops, config, records)
    finally:
        config.set_gemm_backend(before)
        (out / "results.json").write_text(json.dumps({"meta": meta, "results": records}, indent=1))
        write_markdown(out / "results.md", meta, records)
    print(f"bench_kernels_gpu: wrote {out / 'results.json'} and {out / 'results.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
