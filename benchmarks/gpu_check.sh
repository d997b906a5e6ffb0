#!/usr/bin/env bash
# gpu_check.sh OUT_DIR: the GPU half of gpuflow's kernel checks, in one command.
#
#   1. the whole test suite on the GPU (GPUFLOW_DEVICE=cuda python3 -m pytest -q)
#   2. benchmarks/bench_kernels_gpu.py: fused dense vs cupy.matmul+bias+relu vs PyTorch,
#      im2col conv2d vs cuDNN (the lecture CNN's layers); writes OUT_DIR/results.json and
#      OUT_DIR/results.md
#   3. the suite --device cuda (benchmarks/run_suite.py): ops, lecture MLP/CNN training
#      and inference vs PyTorch CUDA, ceilings (copy GB/s, cuBLAS TFLOP/s), precision table;
#      writes OUT_DIR/bench/ (results.json, results.md, PNG charts)
#
# Runs from the source tree with the machine's python3 (PYTHONPATH=., no install, no
# network); needs CuPy (cupy-cuda12x or cupy-cuda13x), pytest, and PyTorch for the
# comparison columns. Steps 1-2 aim at under 5 minutes on an H100; step 3 adds a few more
# (GPUFLOW_BENCH_ARGS="--quick" or "--dtype float32" makes it shorter).
#
# Exit status: 0 all ran and the tests passed; 1 tests or benchmark failed;
# 2 bad usage; 3 NO GPU FOUND (nothing GPU-side ran; the message says why).
# Commit the results under benchmarks/results/<gpu>-<date>/.
set -u
if [ $# -ne 1 ]; then
  echo "usage: benchmarks/gpu_check.sh OUT_DIR" >&2
  exit 2
fi
OUT=$1
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
mkdir -p "$OUT"
PY=${PYTHON:-python3}

echo "== gpu_check: $($PY --version 2>&1), repo $ROOT, results -> $OUT"
# Everything up to here works without a GPU; the probe below says why we stop if none answers.
if ! $PY - <<'PYEOF'
import sys
try:
    import cupy
except Exception as exc:
    sys.exit(f"gpu_check: NO GPU FOUND - CuPy does not import ({type(exc).__name__}: {exc})")
try:
    n = cupy.cuda.runtime.getDeviceCount()
except Exception as exc:
    sys.exit(f"gpu_check: NO GPU FOUND - CuPy {cupy.__version__} imports but no CUDA driver answers "
             f"({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})")
if n == 0:
    sys.exit("gpu_check: NO GPU FOUND - the CUDA driver reports 0 devices")
props = cupy.cuda.runtime.getDeviceProperties(0)
print(f"gpu_check: GPU 0 = {props['name'].decode() if isinstance(props['name'], bytes) else props['name']}, "
      f"CuPy {cupy.__version__}")
PYEOF
then
  echo "gpu_check: stopping before the GPU steps (exit 3). Run this on a machine with an NVIDIA GPU." >&2
  exit 3
fi

status=0
echo "== 1/3 test suite on cuda (GPUFLOW_DEVICE=cuda)"
start=$(date +%s)
GPUFLOW_DEVICE=cuda timeout 200 $PY -m pytest -q -p no:cacheprovider 2>&1 | tee "$OUT/pytest.txt"
rc=${PIPESTATUS[0]}
echo "pytest exit $rc after $(( $(date +%s) - start )) s" | tee -a "$OUT/pytest.txt"
[ "$rc" -eq 0 ] || status=1

echo "== 2/3 kernel benchmark"
timeout 240 $PY benchmarks/bench_kernels_gpu.py --out "$OUT" || status=1

echo "== 3/3 benchmark suite --device cuda"
timeout ${GPUFLOW_BENCH_TIMEOUT:-420} $PY benchmarks/run_suite.py --device cuda ${GPUFLOW_BENCH_ARGS:-} --out "$OUT/bench" \
  2>&1 | tee "$OUT/bench.txt"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
echo "== gpu_check done (exit $status); results in $OUT"
exit $status
