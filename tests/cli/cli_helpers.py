"""Helpers for the CLI tests: run ``python -m gpuflow`` in a subprocess, check one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def run_module(
    *args: str,
    code: str | None = None,
    env: dict | None = None,
    timeout: float = 300,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess:
    """Runs ``python -m gpuflow ARGS`` (or ``python -c CODE ARGS``) with the checkout on
    PYTHONPATH."""
    full_env = dict(os.environ)
    full_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), full_env.get("PYTHONPATH")]))
    full_env.update(env or {})
    cmd = [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", "gpuflow", *args]
    return subprocess.run(
        cmd,
        check=False,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        cwd=str(cwd or REPO),
    )


def assert_one_line_error(stderr: str, *fragments: str) -> str:
    """The error output is exactly one line, has no traceback, and contains ``fragments``."""
    lines = [
        line
        for line in stderr.splitlines()
        if line.strip() and not line.startswith("gpuflow: device 'auto' ->")
    ]
    assert len(lines) == 1, f"expected one error line, received:\n{stderr}"
    assert "Traceback" not in stderr
    for fragment in fragments:
        assert fragment in lines[0], f"expected {fragment!r} in {lines[0]!r}"
    return lines[0]
