"""More of ``tf.debugging``: ``assert_shapes``, ``assert_rank_in``,
``assert_same_float_dtype``, and the device-placement-logging and traceback-filtering
switches.

The checks are static (eager shapes are always known), raise ValueError with TensorFlow's
wording prefixed by the op's name, and return None as TF 2 does eagerly.

``set_log_device_placement`` only stores its flag: gpuflow does not print where each op
runs. ``enable/disable_traceback_filtering`` likewise only store theirs: gpuflow does not
filter its frames out of tracebacks.
"""

from __future__ import annotations

from . import dtypes
from .ops._common import as_tensor
from .tensor import Tensor


class _Flags:
    log_device_placement = False
    traceback_filtering = True


_flags = _Flags()


def _prefix(message) -> str:
    return f"{message}.  " if message else ""


def _describe(x: Tensor) -> str:
    return f"shape={tuple(x.shape)} dtype={x.dtype.name}"


def assert_rank_in(x, ranks, message=None, name=None) -> None:
    """Raise ValueError unless ``x``'s rank is one of ``ranks``."""
    t = as_tensor(x)
    if isinstance(ranks, (int, Tensor)) or not hasattr(ranks, "__iter__"):
        raise ValueError(f"assert_rank_in: ranks must be a list of ints, received {ranks!r}")
    wanted = tuple(int(r.numpy()) if isinstance(r, Tensor) else int(r) for r in ranks)
    if t.ndim not in wanted:
        raise ValueError(
            f"assert_rank_in: {_prefix(message)}Tensor {_describe(t)} must have rank in "
            f"{wanted}.  Received rank {t.ndim}, shape {tuple(t.shape)}"
        )


def assert_shapes(shapes, data=None, summarize=None, message=None, name=None) -> None:
    """Check the shapes of several tensors and the relations between their sizes.

    ``shapes`` is a list (or dict) of ``(tensor, spec)``; a spec lists each dimension as an
    int (that size), a name (the same size wherever the name appears), ``None`` or ``"."``
    (any size), with an optional leading ``"*"`` or ``...`` for any number of outer
    dimensions. A spec of zero or one entry also accepts a scalar, as in TF.
    """
    op = "assert_shapes"
    prefix = _prefix(message)
    pairs = list(shapes.items()) if isinstance(shapes, dict) else list(shapes)
    named: dict = {}
    for pair in pairs:
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise ValueError(f"{op}: shapes must hold (tensor, shape) pairs, received {pair!r}")
        x, spec = pair
        if spec is None:
            continue
        t = as_tensor(x)
        if isinstance(spec, str) or not hasattr(spec, "__iter__"):
            raise ValueError(
                f"{op}: {prefix}Tensor {_describe(t)}.  Specified shape must be an iterable.  "
                f"Received specified shape: {spec!r}"
            )
        spec = tuple(spec)
        for i, symbol in enumerate(spec):
            if (symbol is Ellipsis or symbol == "*") and i != 0:
                raise ValueError(
                    f"{op}: {prefix}Tensor {_describe(t)} specified shape index {i}.  Symbol "
                    "`...` or `*` for a variable number of unspecified dimensions is only "
                    "allowed as the first entry"
                )
        open_outer = bool(spec) and (spec[0] is Ellipsis or spec[0] == "*")
        symbols = (spec[1:] if open_outer else spec) or (1,)
        rank = len(symbols)
        actual = tuple(t.shape) if t.ndim else (1,)
        if open_outer:
            if rank > 1 and t.ndim < rank:
                raise ValueError(
                    f"{op}: {prefix}Tensor {_describe(t)} must have rank at least {rank}.  "
                    f"Received rank {t.ndim}, shape {tuple(t.shape)}"
                )
        elif rank in (0, 1):
            if t.ndim not in (0, 1):
                raise ValueError(
                    f"{op}: {prefix}Tensor {_describe(t)} must have rank in (0, 1).  "
                    f"Received rank {t.ndim}, shape {tuple(t.shape)}"
                )
        elif t.ndim != rank:
            raise ValueError(
                f"{op}: {prefix}Tensor {_describe(t)} must have rank {rank}.  Received rank "
                f"{t.ndim}, shape {tuple(t.shape)}"
            )
        for i, symbol in enumerate(symbols):
            if symbol is None or symbol == ".":
                continue
            dim = i - rank if open_outer else i
            if dim < -len(actual):
                continue  # a scalar under an open spec of one entry
            size = actual[dim]
            if isinstance(symbol, int) and not isinstance(symbol, bool):
                expected, source = symbol, "Specified explicitly"
            elif symbol in named:
                expected, by, at = named[symbol]
                source = f"Specified by tensor {_describe(by)} dimension {at}"
            else:
                named[symbol] = (size, t, dim)
                continue
            if size != expected:
                raise ValueError(
                    f"{op}: {prefix}{source}.  Tensor {_describe(t)} dimension {dim} must have "
                    f"size {expected}.  Received size {size}, shape {tuple(t.shape)}"
                )


def assert_same_float_dtype(tensors=None, dtype=None):
    """The one float dtype of ``tensors`` (None entries ignored) and ``dtype``; float32
    when neither is given. ValueError if they differ or the dtype is not a float."""
    op = "assert_same_float_dtype"
    expected = None if dtype is None else dtypes.as_dtype(dtype, op)
    first = None
    for item in tensors or []:
        if item is None:
            continue
        item_dtype = dtypes.as_dtype(item.dtype, op)
        if expected is None:
            expected, first = item_dtype, item
        elif item_dtype != expected:
            origin = f" as {first!r}" if first is not None else ""
            raise ValueError(
                f"{op}: {item!r}, type={item_dtype}, must be of the same type ({expected}){origin}."
            )
    if expected is None:
        return dtypes.float32
    if not expected.is_floating:
        raise ValueError(f"{op}: Expected floating point type, got {expected}.")
    return expected


def set_log_device_placement(enabled) -> None:
    """Store the flag (gpuflow does not print op placements)."""
    _flags.log_device_placement = bool(enabled)


def get_log_device_placement() -> bool:
    """The flag stored by :func:`set_log_device_placement` (False by default)."""
    return _flags.log_device_placement


def enable_traceback_filtering() -> None:
    """Store the flag (gpuflow does not filter tracebacks)."""
    _flags.traceback_filtering = True


def disable_traceback_filtering() -> None:
    """Clear the flag (gpuflow does not filter tracebacks)."""
    _flags.traceback_filtering = False


def is_traceback_filtering_enabled() -> bool:
    """The traceback-filtering flag (True by default, as in TF)."""
    return _flags.traceback_filtering
