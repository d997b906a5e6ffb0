"""An ESTIMATE (not a measurement) of gpuflow's kernel times on an H100 SXM / H200, from each
launch's FLOPs, bytes and occupancy; prints the Markdown table of benchmarks/README.md.

Model (roofline with wave quantization; every constant below is an assumption, stated):
    waves  = ceil(blocks / (SMS * resident))          resident: blocks an SM holds (ptxas -v)
    util   = blocks / (waves * SMS * resident)        (blocks / SMS below one block an SM)
    t_math = flops / (peak * eff * util)              eff: the inner loop's fraction of peak
    t_mem  = bytes / (bandwidth * 0.8)                bytes: compulsory reads and writes
    t      = max(t_math, t_mem) + LAUNCH_US           per kernel launch
Usage: ``python benchmarks/estimate_h100.py`` (no GPU, no gpuflow import needed).
"""

from __future__ import annotations

import math

SMS = 132
LAUNCH_US = 4.0  # a CuPy RawKernel launch from Python, host side (assumed)
PEAK = {"f32": 67e12, "f64": 34e12, "f16": 989e12}  # H100 SXM: SIMT fp32/fp64, dense fp16 TC
BANDWIDTH = {"H100": 3.35e12, "H200": 4.8e12}
SIZE = {"f32": 4, "f64": 8, "f16": 2}
# (variant, dtype) -> (BM, BN, resident blocks per SM on sm_90 from ptxas -v, eff)
# resident: registers x threads and shared memory against 64K registers and 228 KB an SM.
# eff: large f32 8x8 register tile ~0.65 of SIMT peak; small 2x4 tile ~0.35 (shared-memory
# bound); WMMA from shared memory without ldmatrix/cp.async ~0.30 (large) / 0.15 (small).
TILES = {
    ("large", "f32"): (128, 128, 2, 0.65),
    ("small", "f32"): (32, 64, 6, 0.35),
    ("large", "f16"): (64, 64, 6, 0.30),
    ("small", "f16"): (32, 32, 13, 0.15),
    ("large", "f64"): (64, 64, 3, 0.60),
    ("small", "f64"): (32, 64, 4, 0.35),
}
WAVE = SMS * 2  # gpuflow's large-tile threshold: SMs x BLOCKS_PER_SM


def gemm(label, dt, M, N, K, splits=1, extra_bytes=0):
    """One fused GEMM launch ``[M,N] = [M,K] @ [K,N]`` (plus bias/ReLU/mask traffic)."""
    big = TILES[("large", dt)]
    variant = "large" if math.ceil(M / big[0]) * math.ceil(N / big[1]) >= WAVE else "small"
    bm, bn, resident, eff = TILES[(variant, dt)]
    blocks = math.ceil(M / bm) * math.ceil(N / bn) * splits
    flops = 2.0 * M * N * K
    out = 4 if splits > 1 else SIZE[dt]  # split-K partials are float32
    nbytes = SIZE[dt] * (M * K + K * N) + out * M * N * splits + extra_bytes
    return label, f"gemm {variant} {dt}", blocks, resident, flops, nbytes, eff, dt


def stream(label, kernel, dt, elements_read, elements_written):
    """A memory-bound launch (im2col, col2im, bias_grad, split-K reduce)."""
    nbytes = SIZE[dt] * (elements_read + elements_written)
    return label, kernel, math.ceil(elements_written / 256), 8, 0.0, nbytes, 1.0, dt


def rows():
    out = []
    for batch in (32, 128):
        out += [
            gemm(f"MLP b{batch} fwd dense 784->512 +bias+relu", "f32", batch, 512, 784),
            gemm(f"MLP b{batch} fwd dense 512->10 +bias", "f32", batch, 10, 512),
            gemm(
                f"MLP b{batch} bwd dW1 [784,512] (contract {batch})",
                "f32",
                784,
                512,
                batch,
                extra_bytes=4 * batch * 512,
            ),
            gemm(f"MLP b{batch} bwd dX2 [{batch},512]", "f32", batch, 512, 10),
            gemm(f"MLP b{batch} bwd dW2 [512,10]", "f32", 512, 10, batch),
        ]
    r1, r2 = 128 * 13 * 13, 128 * 6 * 6
    out += [
        stream("CNN b128 conv1 im2col [21632,9]", "im2col", "f32", 128 * 784, r1 * 9),
        gemm("CNN b128 conv1 fwd GEMM [21632,16] K=9", "f32", r1, 16, 9),
        stream("CNN b128 conv2 im2col [4608,144]", "im2col", "f32", r1 * 16, r2 * 144),
        gemm("CNN b128 conv2 fwd GEMM [4608,16] K=144", "f32", r2, 16, 144),
        gemm("CNN b128 conv2 bwd dW [144,16], 18 splits", "f32", 144, 16, r2, splits=18),
        stream(
            "CNN b128 conv2 bwd split-K reduce", "splitk_reduce", "f32", 18 * 144 * 16, 144 * 16
        ),
        gemm("CNN b128 conv2 bwd dcols [4608,144] K=16", "f32", r2, 144, 16),
        stream("CNN b128 conv2 bwd col2im", "col2im", "f32", r2 * 144, r1 * 16),
        gemm("CNN b128 conv1 bwd dW [9,16], 62 splits", "f32", 9, 16, r1, splits=62),
        gemm("4096^3 float32", "f32", 4096, 4096, 4096),
        gemm("4096^3 float16 (WMMA)", "f16", 4096, 4096, 4096),
        gemm("4096^3 float64", "f64", 4096, 4096, 4096),
    ]
    return out


def estimate(row, bandwidth):
    _, _, blocks, resident, flops, nbytes, eff, dt = row
    waves = math.ceil(blocks / (SMS * resident))
    util = blocks / SMS if blocks < SMS else blocks / (waves * SMS * resident)
    t_math = flops / (PEAK[dt] * eff * min(util, 1.0)) if flops else 0.0
    t_mem = nbytes / (bandwidth * 0.8)
    return (max(t_math, t_mem) * 1e6 + LAUNCH_US, "math" if t_math > t_mem else "memory", util)


def main() -> None:
    print(
        "| launch | kernel | blocks | resident/SM | util | GFLOP | MB | bound | "
        "H100 est. us | H200 est. us |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for row in rows():
        h100, bound, util = estimate(row, BANDWIDTH["H100"])
        h200, _, _ = estimate(row, BANDWIDTH["H200"])
        print(
            f"| {row[0]} | {row[1]} | {row[2]} | {row[3]} | {min(util, 1):.2f} | "
            f"{row[4] / 1e9:.3g} | {row[5] / 1e6:.3g} | {bound} | {h100:.1f} | {h200:.1f} |"
        )


if __name__ == "__main__":
    main()
