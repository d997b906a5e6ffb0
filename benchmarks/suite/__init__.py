"""The full benchmark suite, over device (cpu; cuda where a GPU answers) x dtype.

gpuflow next to its peers (NumPy, CuPy, PyTorch), with charts: it lives in benchmarks/,
outside the package, because it needs PyTorch and matplotlib; ``gpuflow bench`` in the
package is a small gpuflow-only runner (``gpuflow/bench/``).

Measures ops (:mod:`.ops`), the lecture models (:mod:`.models`) and the cost and gain of
each precision (:mod:`.precision`), each next to its peers (:mod:`.peers`: a hand-written
NumPy loop, CuPy, PyTorch) in the same run, and writes ``results.json``, ``results.md``
and PNG charts (:mod:`.report`) with the machine recorded (:mod:`.machine`).

Usage::

    cd benchmarks && python -m suite [--device cpu|cuda|all] [--dtype float16|float32|float64|all]
        [--quick] [--out DIR] [--only ops|models|precision]
    python benchmarks/run_suite.py ...     (the same, from anywhere)
"""

from __future__ import annotations

import argparse
import datetime
import sys
import time
from pathlib import Path

DEVICES = ("cpu", "cuda", "all")
DTYPES = ("float16", "float32", "float64")
SECTIONS = ("ops", "models", "precision")


def parse(argv) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="benchmarks/run_suite.py",
        description="Run gpuflow's benchmark suite next to "
        "NumPy, CuPy and PyTorch; write results.json, results.md and PNG charts.",
    )
    p.add_argument(
        "--device",
        choices=DEVICES,
        default="all",
        help="cpu, cuda, or all (cpu, plus cuda where a GPU answers); default all",
    )
    p.add_argument("--dtype", choices=DTYPES + ("all",), default="all", help="default all")
    p.add_argument(
        "--quick",
        action="store_true",
        help="tiny sizes and repeats (seconds; for CI): the same files, meaningless numbers",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        help="folder for the results (default bench-results/<date>-<time>)",
    )
    p.add_argument(
        "--only",
        choices=SECTIONS,
        action="append",
        default=None,
        help="run only this section (repeatable); default all three",
    )
    return p.parse_args(argv)


def devices(choice: str) -> tuple[list, list]:
    """The devices to run and the reasons for those skipped."""
    from .machine import gpu_info

    if choice == "cpu":
        return ["cpu"], []
    gpu = gpu_info()
    if gpu["count"]:
        return (["cpu", "cuda"] if choice == "all" else ["cuda"]), []
    why = f"cuda: no GPU answers ({gpu['status']})"
    if choice == "cuda":
        raise RuntimeError(f"gpuflow bench --device cuda: {why}")
    return ["cpu"], [why]


def main(argv=None) -> int:
    """Runs the suite; returns 0, or 1 when an asked-for device cannot run (the message says
    why)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse(argv)
    from . import machine, models, ops, precision, report

    try:
        devs, skipped = devices(args.device)
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 1
    dtypes = list(DTYPES) if args.dtype == "all" else [args.dtype]
    sections = args.only or list(SECTIONS)
    out = args.out or Path("bench-results") / datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    settings = {
        "argv": argv,
        "quick": args.quick,
        "devices": devs,
        "dtypes": dtypes,
        "sections": sections,
        # rounds: turns per implementation (an epoch each, or a block of `block` steps/ops);
        # settle_s: pause between turns, for spinning BLAS/OpenMP threads to go idle
        "rounds": 1 if args.quick else 5,
        "block": 1 if args.quick else 10,
        "warmup": 0 if args.quick else 2,
        "settle_s": 0.0 if args.quick else 0.2,
        "budget_s": 0.05 if args.quick else 3.0,
    }
    start = time.perf_counter()
    info = machine.describe()
    print(
        f"gpuflow bench: {info['cpu']} ({info['cores']} cores), load {info['load_average']}; "
        f"devices {', '.join(devs)}; dtypes {', '.join(dtypes)}; "
        f"{'quick' if args.quick else 'full'} run"
    )
    for why in skipped:
        print(f"gpuflow bench: skipping {why}")
    results = {
        "schema": report.SCHEMA,
        "settings": settings,
        "machine": info,
        "skipped": skipped,
        "ops": [],
        "models": [],
        "precision": [],
        "ceilings": [],
    }
    for dev in devs:
        if "ops" in sections:
            results["ceilings"] += ops.ceilings(dev, dtypes, args.quick)
        for dtype in dtypes:
            print(f"== {dev} {dtype}")
            if "ops" in sections:
                results["ops"] += ops.run(dev, dtype, settings)
            if "models" in sections:
                results["models"] += models.run(dev, dtype, settings)
            if "precision" in sections:
                results["precision"] += precision.run(dev, dtype, settings)
    info["load_average_end"] = machine.load_average()
    info["cpu_pressure_end"] = machine.cpu_pressure()
    results["goals"] = report.goals(results["models"])
    results["duration_s"] = time.perf_counter() - start
    report.write(results, out)
    report.print_summary(results, out)
    return 0
