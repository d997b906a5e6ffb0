"""``tf.print``: print tensors (their values, as TensorFlow formats them) and other values,
to stderr by default as TensorFlow does."""

from __future__ import annotations

import sys

import numpy as np

from . import dtypes, nest
from ._string_arrays import OBJECT as _OBJECT
from ._tracing import host_call
from .tensor import Tensor


def _format(value, summarize: int) -> str:
    if isinstance(value, Tensor):
        return tensor_text(value, summarize)
    if getattr(type(value), "_is_ragged_tensor", False):
        return ragged_text(value, summarize)
    if type(value).__name__ == "SparseTensor" and hasattr(value, "dense_shape"):
        # TensorFlow's template for a SparseTensor, quoted as it prints it
        return (
            f"'SparseTensor(indices={tensor_text(value.indices, summarize)}, "
            f"values={tensor_text(value.values, summarize)}, "
            f"shape={tensor_text(value.dense_shape, summarize)})'"
        )
    if nest.is_nested(value) and not isinstance(value, str):
        if isinstance(value, dict):
            return (
                "{" + ", ".join(f"{k!r}: {_format(v, summarize)}" for k, v in value.items()) + "}"
            )
        inner = ", ".join(_format(v, summarize) for v in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner})"
    return str(value)


def _quoted(s) -> str:
    return '"' + (s.decode("utf-8", "backslashreplace") if isinstance(s, bytes) else str(s)) + '"'


def tensor_text(t: Tensor, summarize: int) -> str:
    """A tensor as TensorFlow's string_format (and so tf.print) writes it: bools as 1 and 0,
    strings quoted, floats with the fewest digits that read back as the same value."""
    array = np.asarray(t)  # a 0-d array for a scalar
    if array.dtype == np.bool_:
        array = array.astype(np.int64)
    elif array.dtype is _OBJECT or array.dtype.kind in "SU":
        quote = np.vectorize(_quoted, otypes=[object])
        array = quote(array) if array.size else array.astype(object)
    elif dtypes.kind(array.dtype) == "f":  # bfloat16 is written as the float32 it equals
        array = _float_texts(array if array.dtype.kind == "f" else array.astype(np.float32))
    if array.ndim == 0:
        return str(array.item())
    return _array(array, summarize)


def ragged_text(rt, summarize: int) -> str:
    """A RaggedTensor as TensorFlow's ragged_tensor_to_string writes it (and so tf.print):
    ``[[1, 2], [3]]``, values as ``tf.strings.as_string`` (floats ``%f``, bools
    ``true``/``false``, strings single-quoted), ``...`` past ``summarize`` rows per level."""

    def value(v) -> str:
        if isinstance(v, (bool, np.bool_)):
            return "true" if v else "false"
        if isinstance(v, (float, np.floating)):
            return "%f" % v
        if isinstance(v, bytes):
            text = v.decode("utf-8", "backslashreplace")
            return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
        return str(v)

    def render(rows) -> str:
        pieces = [render(r) if isinstance(r, list) else value(r) for r in rows]
        if summarize not in (-1, None) and len(pieces) > 2 * summarize:
            pieces = pieces[:summarize] + ["..."] + pieces[-summarize:]
        return "[" + ", ".join(pieces) + "]"

    return render(rt.to_list())


def _float_texts(array: np.ndarray) -> np.ndarray:
    """Each float as C's %g with 6 significant digits (15 for float64), or 9 (17) when that
    does not read back as the same value: TensorFlow's StrCat of a float."""
    short, long = (15, 17) if array.dtype == np.float64 else (6, 9)
    kind = np.float64 if array.dtype == np.float64 else np.float32

    def text(v):
        if not np.isfinite(v):
            return "nan" if np.isnan(v) else ("inf" if v > 0 else "-inf")
        s = "%.*g" % (short, v)
        return s if kind(s) == kind(v) else "%.*g" % (long, v)

    return np.vectorize(text, otypes=[object])(array.astype(kind))


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
    if len(inputs) == 1 and isinstance(inputs[0], Tensor) and inputs[0].shape == ():
        if inputs[0].dtype == "string":  # one string scalar: its text as it is, as TensorFlow
            raw = inputs[0].numpy()
            text = raw.decode("utf-8", "backslashreplace") + end
            return _write(text, output_stream)
    text = sep.join(_format(v, summarize) for v in inputs) + end
    _write(text, output_stream)


def _write(text: str, output_stream) -> None:
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
