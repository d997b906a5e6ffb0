"""The README's runnable examples run as written."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(), re.S)


def test_short_example_and_tape_example_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the example saves digits.gpuflow
    example, tape_example = _python_blocks()[:2]
    namespace: dict = {}
    exec(compile(example, "README example", "exec"), namespace)
    assert len(namespace["history"].history["loss"]) == 5
    assert (tmp_path / "digits.gpuflow").exists()
    exec(compile(tape_example, "README tape example", "exec"), namespace)
    assert tuple(namespace["h"].shape) == (1, 512)
    assert tuple(namespace["dW"].shape) == (784, 512)


def test_quick_start_test_command_is_what_ci_runs():
    ci = (README.parent / ".ci" / "run").read_text()
    command = re.search(r'TEST_COMMAND="(.*)"', ci).group(1)
    assert command in README.read_text()
