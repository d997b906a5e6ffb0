"""Helpers of the TensorBoard tests: reading event files back with TensorBoard's own reader."""

from __future__ import annotations

import os

import pytest

SKIP_REASON = "the tensorboard package is not installed (pip install 'gpuflow[tensorboard]')"


def need_tensorboard():
    """Skips the calling test or fixture where the tensorboard extra is missing or broken."""
    try:
        import tensorboard  # noqa: F401
    except ImportError:
        pytest.skip(SKIP_REASON)


def read_run(path):
    """TensorBoard's plugin event accumulator over one run directory, loaded."""
    from tensorboard.backend.event_processing import plugin_event_accumulator

    acc = plugin_event_accumulator.EventAccumulator(os.fspath(path), size_guidance={"tensors": 0})
    acc.Reload()
    return acc


def tensor_values(acc, tag):
    """{step: value array} of a tensor-summary tag (scalars, histograms, text)."""
    from tensorboard.util import tensor_util

    return {e.step: tensor_util.make_ndarray(e.tensor_proto) for e in acc.Tensors(tag)}


def scalars(acc, tag):
    return {step: float(v) for step, v in tensor_values(acc, tag).items()}
