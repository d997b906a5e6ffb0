"""`import gpuflow` with no CuPy, and with CuPy but no driver; 'auto' says why it chose cpu."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

BLOCK_CUPY = """
import sys
class _Block:
    def find_spec(self, name, path=None, target=None):
        if name == "cupy" or name.startswith("cupy.") or name.startswith("cupyx"):
            raise ImportError(f"No module named {name!r} (blocked by the test)")
        return None
sys.meta_path.insert(0, _Block())
"""


def _run(code: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("GPUFLOW_DEVICE", None)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        check=False,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def test_import_without_cupy():
    proc = _run(
        BLOCK_CUPY
        + """
import gpuflow as gf
assert "cupy" not in sys.modules
x = gf.constant([1.0, 2.0])
assert x.device == "cpu", x.device
print("sum", float(gf.reduce_sum(x * 2.0)))
assert gf.list_devices()[0] == "cpu"
try:
    gf.zeros([1], device="cuda")
except gf.backend.DeviceUnavailableError as exc:
    print("error", exc)
else:
    raise SystemExit("cuda did not raise")
"""
    )
    assert proc.returncode == 0, proc.stderr
    assert "sum 6.0" in proc.stdout
    assert "CuPy is not installed" in proc.stdout and "pip install" in proc.stdout
    lines = [line for line in proc.stderr.splitlines() if line.startswith("gpuflow:")]
    assert (
        len(lines) == 1 and "'auto' -> cpu" in lines[0] and "CuPy is not installed" in lines[0]
    ), proc.stderr


def test_import_with_cupy_set_to_none():
    proc = _run("""
import sys
sys.modules["cupy"] = None
import gpuflow as gf
print(float(gf.reduce_sum(gf.ones([3]))), gf.current_device().name)
""")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["3.0", "cpu"]
    assert proc.stderr.count("gpuflow: device 'auto' -> cpu") == 1


def test_import_is_quiet_and_lazy():
    proc = _run(
        BLOCK_CUPY
        + """
import gpuflow
print("ok")
"""
    )
    assert proc.returncode == 0 and proc.stdout.strip() == "ok"
    assert "gpuflow:" not in proc.stderr  # nothing announced before a device is needed


def test_import_with_cupy_but_no_driver():
    try:
        import cupy  # noqa: F401
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"CuPy is not importable here ({exc})")
    from gpuflow.backend import cuda_status

    if cuda_status()[0]:
        pytest.skip("a GPU answers here: 'auto' picks cuda")
    proc = _run("""
import gpuflow as gf
x = gf.ones([2])
x2 = gf.ones([2])
print(x.device, float(gf.reduce_sum(x + x2)))
""")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["/job:localhost/replica:0/task:0/device:CPU:0", "4.0"]
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert (
        lines[0].startswith("gpuflow: device 'auto' -> cpu (CuPy ") and "no CUDA driver" in lines[0]
    )
