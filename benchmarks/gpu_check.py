"""The one-shot GPU check behind ``benchmarks/gpu_check.sh`` (see that script for usage).

Runs a fixed list of steps as subprocesses, each with its own timeout, streaming their
output unbuffered to the terminal and to ``OUT/gpu_check.log``; a failed or timed-out
step is recorded and the next one runs. Writes at most five files to ``OUT``:
``summary.json`` (each step's status, seconds and command, the GPU's name, the date),
``gpu_check.log``, and from the benchmark step ``kernels.md``, ``kernels.json`` and
``kernels.png``. A step that prints a line ``RESULT {json}`` (the prefetch step: equal
weights and step times with prefetch to the device on and off) has it under ``result`` in
its summary entry.

Why these steps fit a loan (10 min a command, 15 min in all, each start minutes): the
timeouts add up to ``TOTAL_BUDGET_S`` = 410 s (< 420 s, < 7 min with Python's start-up).
The full suite (~2,500 tests, minutes of CPU time on a free 2-core machine, plus one
NVRTC compilation per distinct CuPy elementwise kernel on a fresh GPU machine) does not
fit; the kernel, op and layer tests are what exercise the CUDA path, so they run, each
as its own step (a timeout in one keeps the others' results), with ``-k "not emu"``
(cuda-emu would spend the time emulating on the CPU what the GPU runs for real) and
``--maxfail=5`` (a broken device stops early instead of printing 1,000 failures). Sizing:
tests/backend + tests/ops + tests/layers with ``-k "not emu"`` are ~880 tests and took 89 s
of wall time on this 2-core CI machine under heavy load (GPUFLOW_DEVICE=cuda-emu, 2026-12-02);
on a GPU host the CPU half of each device-parametrized test is the same and the cuda half
adds CuPy's first NVRTC compilations (cached in ~/.cupy/kernel_cache afterwards), hence
60 + 90 + 60 s for the three.

``--dry-run`` runs the same steps on ``cuda-emu`` with tiny test selections and
benchmark sizes, so CI checks the script itself (tests/benchmarks/test_gpu_check.py).
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTEST = ("-m", "pytest", "-q", "-p", "no:cacheprovider", "--maxfail=5", "-o", "addopts=")

# (name, timeout seconds, argv after python -u, extra argv in a real run, extra in a dry run)
STEPS = (
    ("info", 20, ("-m", "gpuflow", "info"), (), ()),
    ("compile", 40, ("benchmarks/bench_kernels_gpu.py", "--compile-only"), (), ()),
    # not nvrtc/static: CPU-side compile checks CI runs; the compile step covers this GPU
    (
        "tests-kernels",
        60,
        PYTEST + ("tests/backend",),
        ("-k", "not emu and not nvrtc and not static"),
        ("tests/backend/test_kernels_emu.py", "-k", "nan"),
    ),
    (
        "tests-ops",
        90,
        PYTEST + ("tests/ops",),
        ("-k", "not emu"),
        ("-k", "relu and not hypothesis"),
    ),
    (
        "tests-layers",
        60,
        PYTEST + ("tests/layers",),
        ("-k", "not emu and not torch"),
        ("tests/layers/test_dense.py", "-k", "relu"),
    ),
    # after the tests: CuPy's NVRTC cache then holds the fit's elementwise kernels
    ("prefetch", 20, ("benchmarks/bench_prefetch.py",), (), ("--tiny",)),
    ("benchmark", 120, ("benchmarks/bench_kernels_gpu.py",), (), ("--tiny",)),
)
TOTAL_BUDGET_S = sum(s[1] for s in STEPS)
MAX_FILES = 5


def _gpu_name(device: str) -> str:
    if device == "cuda-emu":
        return f"cuda-emu on {platform.processor() or platform.machine()} (no GPU: a dry run)"
    try:
        import cupy

        props = cupy.cuda.runtime.getDeviceProperties(0)
        name = props["name"]
        return name.decode() if isinstance(name, bytes) else str(name)
    except Exception as exc:  # noqa: BLE001 - recorded in the summary, the steps still run
        first = str(exc).splitlines()[0] if str(exc) else ""
        return f"no GPU answers ({type(exc).__name__}: {first})"


def _argv(step, out: Path, dry_run: bool, device: str) -> list[str]:
    name, _, base, real_extra, dry_extra = step
    argv = [sys.executable, "-u", *base]
    if name.startswith("tests-"):
        if dry_run:  # a dry run's selection replaces the folder when it names a file
            argv = (
                argv[:-1] + list(dry_extra)
                if dry_extra[0].startswith("tests/")
                else argv + list(dry_extra)
            )
        else:
            argv += list(real_extra)
    else:
        argv += list(dry_extra if dry_run else real_extra)
    if base[0].startswith("benchmarks/"):
        argv += ["--device", device, "--out", str(out)]
    return argv


def run_step(step, out: Path, log, dry_run: bool, device: str) -> dict:
    """Runs one step, streaming its output; returns its record for the summary."""
    name, timeout = step[0], step[1]
    argv = _argv(step, out, dry_run, device)
    env = dict(
        os.environ,
        PYTHONUNBUFFERED="1",
        GPUFLOW_DEVICE=device,
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    header = f"== {name} (timeout {timeout} s): {' '.join(argv[1:])}"
    _emit(log, header)
    start = time.monotonic()
    proc = subprocess.Popen(
        argv,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
        start_new_session=True,
    )
    last = ""
    result = None
    timed_out = False
    try:
        import selectors

        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        while True:
            left = timeout - (time.monotonic() - start)
            if left <= 0:
                timed_out = True
                break
            if not sel.select(timeout=min(left, 1.0)):
                continue
            line = proc.stdout.readline()
            if not line:
                break
            _emit(log, line.rstrip("\n"))
            if line.strip():
                last = line.strip()
            if line.startswith("RESULT "):  # a step's measurements, kept in summary.json
                try:
                    result = json.loads(line[len("RESULT ") :])
                except ValueError:
                    result = {"unparsed": line[:300]}
    finally:
        if timed_out:
            os.killpg(proc.pid, 9)  # the step's whole process group, children included
        rc = proc.wait()
    seconds = round(time.monotonic() - start, 1)
    status = "timeout" if timed_out else ("passed" if rc == 0 else "failed")
    _emit(log, f"== {name}: {status} (exit {rc}) after {seconds} s")
    record = {
        "name": name,
        "status": status,
        "exit_code": rc,
        "seconds": seconds,
        "timeout_s": timeout,
        "last_line": last[-300:],
        "command": argv[1:],
    }
    if result is not None:
        record["result"] = result
    return record


def _emit(log, line: str) -> None:
    print(line, flush=True)
    log.write(line + "\n")
    log.flush()


def main(argv=None) -> int:
    """``gpu_check.py [--dry-run] OUT_DIR``; returns 0 when every step passed, else 1."""
    args = list(sys.argv[1:] if argv is None else argv)
    dry_run = "--dry-run" in args
    rest = [a for a in args if a != "--dry-run"]
    if len(rest) != 1 or rest[0].startswith("-"):
        print("usage: benchmarks/gpu_check.sh [--dry-run] OUT_DIR", file=sys.stderr)
        return 2
    out = Path(rest[0]).resolve()
    out.mkdir(parents=True, exist_ok=True)
    device = "cuda-emu" if dry_run else "cuda"
    summary = {
        "gpu": _gpu_name(device),
        "device": device,
        "dry_run": dry_run,
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "budget_s": TOTAL_BUDGET_S,
        "steps": [],
    }
    start = time.monotonic()
    with open(out / "gpu_check.log", "w") as log:
        _emit(
            log,
            f"== gpu_check: {summary['gpu']}, {summary['date']}, device {device}, "
            f"steps {', '.join(s[0] for s in STEPS)} (at most {TOTAL_BUDGET_S} s)",
        )
        for step in STEPS:
            summary["steps"].append(run_step(step, out, log, dry_run, device))
            summary["seconds"] = round(time.monotonic() - start, 1)
            (out / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")
        failed = [s["name"] for s in summary["steps"] if s["status"] != "passed"]
        summary["files"] = sorted(p.name for p in out.iterdir())
        (out / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")
        _emit(
            log,
            f"== gpu_check done in {summary['seconds']} s: "
            + (f"FAILED {', '.join(failed)}" if failed else "all steps passed")
            + f"; files in {out}: {', '.join(summary['files'])}",
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
