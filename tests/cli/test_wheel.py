"""The wheel built from the project (not only an editable install) holds the kernels and the
data."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import zipfile

import pytest
from cli_helpers import REPO

KERNEL_SOURCES = sorted(p.name for p in (REPO / "kernels").glob("*.cu"))


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    cmd = [sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "-q", "-w", str(out)]
    if importlib.util.find_spec("hatchling") is not None:
        cmd.insert(4, "--no-build-isolation")  # offline and faster; else pip fetches hatchling
    proc = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"{' '.join(cmd)} failed:\n{proc.stdout}\n{proc.stderr}"
    wheels = list(out.glob("gpuflow-*.whl"))
    assert len(wheels) == 1, wheels
    with zipfile.ZipFile(wheels[0]) as z:
        return {
            "names": set(z.namelist()),
            "entry_points": next(
                z.read(n).decode()
                for n in z.namelist()
                if n.endswith(".dist-info/entry_points.txt")
            ),
        }


def test_wheel_has_kernels_and_digits(wheel):
    names = wheel["names"]
    assert KERNEL_SOURCES, "no kernels/*.cu in the checkout"
    for name in KERNEL_SOURCES:
        assert f"gpuflow/_kernels/{name}" in names
    assert "gpuflow/_kernels/cuda_emu.h" in names
    assert "gpuflow/datasets/data/digits.npz" in names
    for module in (
        "gpuflow/cli/__init__.py",
        "gpuflow/cli/train.py",
        "gpuflow/cli/info.py",
        "gpuflow/__main__.py",
    ):
        assert module in names


def test_wheel_declares_the_console_script(wheel):
    lines = [line.replace(" ", "") for line in wheel["entry_points"].splitlines()]
    assert "[console_scripts]" in lines and "gpuflow=gpuflow.cli:main" in lines
