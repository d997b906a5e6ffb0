"""The ``gpuflow.summary`` functions: they write to the default writer, as tf.summary's do."""

from __future__ import annotations

import numpy as np

from .. import dtypes
from .._tracing import host_call
from . import _backend, _state


def _target(fn: str, step):
    """The default writer and the step to write at, or (None, None) when nothing is
    recorded (no writer, a no-op writer, ``record_if`` off).

    Both are looked up where the summary op is called, also while a ``tf.function`` is
    traced (its ``with writer.as_default():`` runs then only); the writing itself is a
    host call, replayed with each run's values and step (``int()`` of the step there).
    """
    if not _state.recording():  # no writer, a no-op one, or record_if off
        return None, None
    writer = _state.default_writer()
    if step is None:
        step = _state.get_step()
        if step is None:
            raise ValueError(
                f"gpuflow.summary.{fn}: no step given; pass step=..., use "
                "writer.as_default(step=...) or call gpuflow.summary.experimental.set_step(step)"
            )
    return writer, step


def scalar(name: str, data, step=None, description: str | None = None) -> bool:
    """Writes one scalar value, like ``tf.summary.scalar``.

    Args:
        name: Tag, e.g. ``"loss"``; slashes group tags in TensorBoard.
        data: A number, or a Tensor/array holding one value.
        step: Step of the value; defaults to the writer's or ``experimental.set_step``'s step.
        description: Optional Markdown shown in TensorBoard.

    Returns:
        True if written, False if there is no default writer.

    Raises:
        ValueError: ``data`` holds more than one value, or no step is known.
    """
    writer, step = _target("scalar", step)
    if writer is None:
        return False
    return _write_scalar(writer, name, data, step, description)


@host_call
def _write_scalar(writer, name, data, step, description) -> bool:
    value = _backend.to_numpy(data)
    if value.size != 1 or dtypes.kind(value.dtype) not in "biuf":
        raise ValueError(
            f"gpuflow.summary.scalar {name!r}: expected one number, "
            f"received {value.dtype.name} data of shape {value.shape}"
        )
    writer.write(writer._tb.scalar_pb(name, float(value.reshape(())), description), int(step))
    return True


def histogram(
    name: str, data, step=None, buckets: int | None = None, description: str | None = None
) -> bool:
    """Writes the distribution of ``data``, like ``tf.summary.histogram``.

    Non-finite values (NaN, inf) are left out of the buckets, so one NaN does not blank
    the chart.

    Args:
        name: Tag, e.g. ``"dense/kernel"``.
        data: A Tensor or array of any shape.
        step: Step of the histogram; defaults as for :func:`scalar`.
        buckets: Number of equal-width buckets between min and max (default 30).
        description: Optional Markdown shown in TensorBoard.

    Returns:
        True if written, False if there is no default writer.
    """
    writer, step = _target("histogram", step)
    if writer is None:
        return False
    return _write_histogram(writer, name, data, step, buckets, description)


@host_call
def _write_histogram(writer, name, data, step, buckets, description) -> bool:
    values = _backend.to_numpy(data).astype(np.float64).ravel()
    values = values[np.isfinite(values)]
    writer.write(writer._tb.histogram_pb(name, values, buckets, description), int(step))
    return True


def text(name: str, data, step=None, description: str | None = None) -> bool:
    """Writes a string (rendered as Markdown), like ``tf.summary.text``.

    Args:
        name: Tag.
        data: A str, or an array of str (shown as a table).
        step: Step of the text; defaults as for :func:`scalar`.
        description: Optional Markdown shown in TensorBoard.

    Returns:
        True if written, False if there is no default writer.
    """
    writer, step = _target("text", step)
    if writer is None:
        return False
    return _write_text(writer, name, data, step, description)


@host_call
def _write_text(writer, name, data, step, description) -> bool:
    if not isinstance(data, (str, bytes)):
        data = _backend.to_numpy(data)
    writer.write(writer._tb.text_pb(name, data, description), int(step))
    return True


def graph(graph_data) -> bool:
    """Writes a graph for TensorBoard's Graphs tab, like ``tf.summary.graph``.

    Args:
        graph_data: A ``GraphDef`` (tensorboard.compat.proto), or a gpuflow model, whose
            layers become name scopes holding their ops and weights.

    Returns:
        True if written, False if there is no default writer.
    """
    if not _state.recording():
        return False
    writer = _state.default_writer()
    if hasattr(graph_data, "layers"):
        from .model_graph import model_graph_def

        graph_data = model_graph_def(graph_data)
    writer.write_graph(graph_data)
    return True


def hparams(
    hparams: dict, trial_id: str | None = None, start_time_secs: float | None = None
) -> bool:
    """Records a run's hyperparameters for TensorBoard's HParams tab, like ``hp.hparams``.

    Write it into the run's top directory; the scalars of that directory and its
    subdirectories (``train/``, ``validation/``) become the run's metrics.

    Args:
        hparams: Names to bool, int, float or str values.
        trial_id: Runs with the same id are grouped; defaults to a hash of the values.
        start_time_secs: Start time in seconds since the epoch; defaults to now.

    Returns:
        True if written, False if there is no default writer.
    """
    if not _state.recording():
        return False
    writer = _state.default_writer()
    writer.write(writer._tb.hparams_pb(hparams, trial_id, start_time_secs), 0)
    return True


def flush(writer=None) -> None:
    """Flushes ``writer``, or the default writer when None (no-op without one)."""
    writer = writer if writer is not None else _state.default_writer()
    if writer is not None:
        writer.flush()
