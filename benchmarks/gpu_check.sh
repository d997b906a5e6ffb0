#!/usr/bin/env bash
# gpu_check.sh [--dry-run] OUT_DIR: gpuflow's one-shot check on a lent GPU, in one command.
#
# Fits a loan: ends in under 7 minutes on an H100/H200, CuPy's first compilations included
# (each step has its own timeout; they add up to 410 s). Installs nothing: runs from this
# tree with PYTHONPATH=. and the machine's python3 (needs CuPy and pytest; PyTorch adds the
# comparison columns, matplotlib the chart). Steps (benchmarks/gpu_check.py):
#   info           gpuflow info: versions, devices, NVRTC and cuBLAS found or missing
#   compile        NVRTC-compiles every kernel file and checks one small fused dense
#   tests-kernels  pytest tests/backend   under GPUFLOW_DEVICE=cuda (-k "not emu", --maxfail=5)
#   tests-ops      pytest tests/ops       likewise
#   tests-layers   pytest tests/layers    likewise
#   prefetch       benchmarks/bench_prefetch.py: a small fit with prefetch to the device on and
#                  off; equal weights required, step times of both (summary.json, its result)
#   benchmark      benchmarks/bench_kernels_gpu.py: fused dense vs cuBLAS vs PyTorch, the lecture
#                  CNN's convolutions vs cuDNN
# Progress is printed unbuffered; a failed or timed-out step is recorded and the next runs.
# Writes at most 5 files to OUT_DIR: summary.json (each step's status and seconds, the GPU's
# name, the date), gpu_check.log, kernels.md, kernels.json, kernels.png.
# --dry-run: the same steps on cuda-emu (this machine's CPU), tiny test selections and sizes.
# Exit status: 0 every step passed; 1 some step failed (see summary.json); 2 bad usage.
# Commit the results under benchmarks/results/<gpu>-<date>/.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONUNBUFFERED=1
exec "${PYTHON:-python3}" -u "$ROOT/benchmarks/gpu_check.py" "$@"
