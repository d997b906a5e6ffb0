"""``tf.print``: print tensors (their values, as TensorFlow formats them) and other values,
to stderr by default as TensorFlow does."""

from __future__ import annotations

import sys

import numpy as np

from . import nest
from ._tracing import host_call
from .tensor import Tensor


def _format(value, summarize: int) -> str:
    if isinstance(value, Tensor):
        array = value.numpy()
        if array.ndim == 0:
            return _scalar(array.item())
        return _array(array, summarize)
    if nest.is_nested(value) and not isinstance(value, str):
        if isinstance(value, dict):
            return (
                "{" + ", ".join(f"{k!r}: {_format(v, summarize)}" for k, v in value.items()) + "}"
            )
        inner = ", ".join(_format(v, summarize) for v in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner})"
    return str(value)


def _scalar(value) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return f"{value:g}" if value == value and abs(value) < 1e16 else str(value)
    return str(value)


def _array(array, summarize: int) -> str:
    """TensorFlow's layout: ``[[1 2]\\n [3 4]]``, with ``...`` past ``summarize`` per axis."""

    def render(a, depth):
        if a.ndim == 1:
            items = (
                [_scalar(v) for v in a.tolist()]
                if a.size <= 2 * summarize or summarize < 0
                else [_scalar(v) for v in a[:summarize].tolist()]
                + ["..."]
                + [_scalar(v) for v in a[-summarize:].tolist()]
            )
            return "[" + " ".join(items) + "]"
        rows = (
            list(a)
            if len(a) <= 2 * summarize or summarize < 0
            else list(a[:summarize]) + [None] + list(a[-summarize:])
        )
        sep = "\n" * (a.ndim - 1) + " " * (depth + 1)
        return "[" + sep.join("..." if r is None else render(r, depth + 1) for r in rows) + "]"

    return render(np.asarray(array), 0)


@host_call
def print(*inputs, output_stream=None, summarize=3, sep=" ", end="\n", name=None):  # noqa: A001
    """Print ``inputs`` to stderr (or ``output_stream``): tensors by value, as ``tf.print``.

    Args:
        output_stream: ``sys.stderr`` (default, as TensorFlow), ``sys.stdout``, or a
            file-like object; the strings ``"file://path"`` append to that file.
        summarize: elements shown at each end of an axis (-1: all).
    """
    text = sep.join(_format(v, summarize) for v in inputs) + end
    stream = sys.stderr if output_stream is None else output_stream
    if isinstance(stream, str):
        if not stream.startswith("file://"):
            raise ValueError(
                f"print: output_stream must be a stream or 'file://path', received {stream!r}"
            )
        with open(stream[len("file://") :], "a") as handle:
            handle.write(text)
        return
    stream.write(text)
