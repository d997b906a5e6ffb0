#!/usr/bin/env bash
# Runs every program in tests/compat/programs on real TensorFlow, to prove that each
# assertion the programs make holds there too. TensorFlow lives in its own virtual
# environment (never a gpuflow dependency): TF_VENV, default .tf-venv beside the repo root.
#   bash tests/compat/run_against_tensorflow.sh [program.py ...]
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
TF_VENV="${TF_VENV:-$HERE/../../.tf-venv}"
if [ ! -x "$TF_VENV/bin/python" ]; then
    python3 -m venv "$TF_VENV" && "$TF_VENV/bin/pip" install -q tensorflow-cpu==2.21.0 Pillow h5py tensorboard \
        scikit-learn opencv-python-headless matplotlib || exit 2
fi
if [ "$#" -eq 0 ]; then set -- "$HERE"/programs/*.py; fi
pass=0; fail=0; failed=()
for program in "$@"; do
    program="$(realpath "$program")"  # the program runs in a fresh folder
    work="$(mktemp -d)"
    if (cd "$work" && TF_CPP_MIN_LOG_LEVEL=3 CUDA_VISIBLE_DEVICES="" MPLBACKEND=Agg \
            timeout 600 "$TF_VENV/bin/python" "$program" > "$work/log" 2>&1); then
        pass=$((pass + 1))
    else
        fail=$((fail + 1)); failed+=("$(basename "$program")")
        echo "FAILED on TensorFlow: $program"; tail -20 "$work/log"
    fi
    rm -rf "$work"
done
echo "tensorflow: ${pass} passed, ${fail} failed"
for name in "${failed[@]}"; do echo "  $name"; done
[ "$fail" -eq 0 ]
