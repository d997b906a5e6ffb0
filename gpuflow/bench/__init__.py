"""``gpuflow bench``: how fast gpuflow trains the lecture models here, gpuflow alone.

For each device, dtype, lecture model (``gpuflow.models.lecture``: MLP and CNN) and batch
size: training samples per second over epochs of the embedded digits (1,438 images,
28x28; ``model.fit`` timed by a callback from epoch begin to end after one warm-up epoch,
the median epoch reported) and the latency of one ``predict`` at batch 128. Prints a
table; ``--out DIR`` also writes ``results.json`` and ``results.md``.

The full suite, next to NumPy, CuPy and PyTorch with charts, lives outside the package in
``benchmarks/`` (``python benchmarks/run_suite.py``): it needs PyTorch and matplotlib.

Usage::

    gpuflow bench [--device cpu|cuda|all] [--dtype float16|float32|float64|all] [--quick]
                  [--out DIR]
    python -m gpuflow.bench ...            (the same, without the gpuflow command)
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
from pathlib import Path

from .training import measure

DEVICES = ("cpu", "cuda", "all")
DTYPES = ("float16", "float32", "float64")
MODELS = ("mlp", "cnn")


def parse(argv) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="gpuflow bench",
        description="Time the lecture MLP and CNN "
        "training and inference with gpuflow on this machine.",
    )
    p.add_argument(
        "--device",
        choices=DEVICES,
        default="all",
        help="cpu, cuda, or all (cpu, plus cuda where a GPU answers); default all",
    )
    p.add_argument("--dtype", choices=DTYPES + ("all",), default="float32", help="default float32")
    p.add_argument(
        "--quick",
        action="store_true",
        help="64 samples, one timed epoch (seconds; for CI): meaningless numbers",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        help="also write results.json and results.md into this folder",
    )
    return p.parse_args(argv)


def devices(choice: str) -> tuple[list, list]:
    """The devices to run and the reasons for those skipped.

    Raises:
        RuntimeError: ``--device cuda`` where no GPU answers (the message says why).
    """
    from ..backend import cuda_status

    if choice == "cpu":
        return ["cpu"], []
    count, reason = cuda_status()
    if count:
        return (["cpu", "cuda"] if choice == "all" else ["cuda"]), []
    if choice == "cuda":
        raise RuntimeError(f"gpuflow bench --device cuda: no GPU answers ({reason})")
    return ["cpu"], [f"cuda: no GPU answers ({reason})"]


def main(argv=None) -> int:
    """Runs the benchmark; returns 0, or 1 when an asked-for device cannot run."""
    args = parse(list(sys.argv[1:] if argv is None else argv))
    try:
        devs, skipped = devices(args.device)
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 1
    dtypes = list(DTYPES) if args.dtype == "all" else [args.dtype]
    for why in skipped:
        print(f"gpuflow bench: skipping {why}")
    rows = []
    for dev in devs:
        for dtype in dtypes:
            for model in MODELS:
                for batch in (32, 128):
                    row = measure(model, dev, dtype, batch, quick=args.quick)
                    rows.append(row)
                    print(_line(row), flush=True)
    if args.out is not None:
        _write(args.out, rows, skipped, args)
    return 0


def _line(row: dict) -> str:
    return (
        f"{row['device']:<6} {row['dtype']:<8} {row['model']:<4} batch {row['batch']:>3}: "
        f"{row['train_samples_per_s']:>9.0f} samples/s training, "
        f"{row['predict_ms']:>7.2f} ms predict (batch 128)"
    )


def _write(out: Path, rows: list, skipped: list, args) -> None:
    out.mkdir(parents=True, exist_ok=True)
    machine = {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "processor": platform.processor() or platform.machine(),
    }
    doc = {
        "schema": "gpuflow-bench-small/1",
        "quick": args.quick,
        "machine": machine,
        "skipped": skipped,
        "rows": rows,
    }
    (out / "results.json").write_text(json.dumps(doc, indent=2))
    lines = [
        "| device | dtype | model | batch | training samples/s | predict ms (batch 128) |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['device']} | {r['dtype']} | {r['model']} | {r['batch']} | "
        f"{r['train_samples_per_s']:.0f} | {r['predict_ms']:.2f} |"
        for r in rows
    ]
    (out / "results.md").write_text("\n".join(lines) + "\n")
    print(f"gpuflow bench: wrote results.json and results.md to {out}")
