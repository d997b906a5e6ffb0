"""``gpuflow.summary``: TensorBoard summaries for custom training loops, as ``tf.summary``.

Example:
    >>> writer = gpuflow.summary.create_file_writer("logs/run1")
    >>> with writer.as_default():
    ...     for step in range(100):
    ...         gpuflow.summary.scalar("loss", loss_value, step=step)
    >>> writer.close()

Needs the tensorboard package: ``pip install 'gpuflow[tensorboard]'``. Importing this module
works without it; creating a writer raises an ImportError naming the extra.
"""

from __future__ import annotations

from . import experimental
from .image import image
from .ops import flush, graph, histogram, hparams, scalar, text
from .recording import (
    audio,
    create_noop_writer,
    record_if,
    should_record_summaries,
    trace_export,
    trace_off,
    trace_on,
    write,
)
from .writer import SummaryWriter, create_file_writer

__all__ = [
    "SummaryWriter",
    "audio",
    "create_file_writer",
    "create_noop_writer",
    "experimental",
    "flush",
    "graph",
    "histogram",
    "hparams",
    "image",
    "record_if",
    "scalar",
    "should_record_summaries",
    "text",
    "trace_export",
    "trace_off",
    "trace_on",
    "write",
]
