"""inf and nan results come without NumPy's floating-point warnings, as in TensorFlow;
warnings from the user's own NumPy code are left alone. Run with ``-W error`` in a fresh
interpreter, so that any warning shown would fail it."""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

PROGRAM = """
import numpy as np
import gpuflow as gf
values = [
    gf.constant(256.0, dtype="float16") ** 2,
    gf.exp(gf.constant(1000.0)),
    gf.constant(60000.0, dtype="float16") * 4,
    gf.math.log(gf.constant(0.0)),
    gf.sqrt(gf.constant(-1.0)),
]
assert not any(np.isfinite(v.numpy()) for v in values)
try:
    np.float16(60000) * np.float16(4)
except RuntimeWarning as warning:
    print("user warning:", warning)
"""


def test_gpuflow_results_are_silent_and_user_numpy_warnings_are_not():
    env = dict(os.environ, PYTHONPATH=ROOT)
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", PROGRAM],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "user warning: overflow encountered" in done.stdout
