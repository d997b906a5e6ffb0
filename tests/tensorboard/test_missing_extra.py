"""Without the tensorboard package: importing works, using the writer or callback says what
to install."""

from __future__ import annotations

import sys

import pytest

import gpuflow
from gpuflow.summary import _backend


@pytest.fixture
def no_tensorboard(monkeypatch):
    for name in [n for n in sys.modules if n == "tensorboard" or n.startswith("tensorboard.")] + [
        "tensorboard"
    ]:
        monkeypatch.setitem(
            sys.modules, name, None
        )  # makes `import tensorboard...` raise ImportError
    _backend._load.cache_clear()
    yield
    _backend._load.cache_clear()


def test_summary_writer_names_the_extra(no_tensorboard, tmp_path):
    with pytest.raises(ImportError) as err:
        gpuflow.summary.create_file_writer(tmp_path)
    message = str(err.value)
    assert message.startswith("gpuflow.summary.create_file_writer needs the tensorboard package")
    assert message.endswith("install it with: pip install 'gpuflow[tensorboard]'")
    assert "\n" not in message


def test_callback_names_the_extra(no_tensorboard, tmp_path):
    with pytest.raises(
        ImportError,
        match=r"^gpuflow.callbacks.TensorBoard needs the tensorboard package .*"
        r"pip install 'gpuflow\[tensorboard\]'$",
    ):
        gpuflow.keras.callbacks.TensorBoard(log_dir=tmp_path)
    assert not list(tmp_path.iterdir())  # nothing half-made


def test_summary_functions_without_writer_still_work(no_tensorboard):
    assert gpuflow.summary.scalar("loss", 1.0, step=0) is False
