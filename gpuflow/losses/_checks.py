"""Input checks and conversions shared by the loss functions.

Each check runs before any arithmetic and raises a one-line error that names the loss,
what it expected and what it received.
"""

from __future__ import annotations

import contextlib
import threading
import warnings

import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError
from ..ops._common import as_tensor
from ..ops.math import cast
from ..ops.shape import broadcast_to, expand_dims, reshape
from ..tensor import Tensor

#: Probabilities are clipped to [EPSILON, 1 - EPSILON] before a log, as Keras does.
EPSILON = 1e-7

# Per thread: one thread's fit (which checked its own labels) must never switch the checks
# off for another thread's losses.
_state = threading.local()


def values_checked() -> bool:
    """Whether this thread is inside :func:`targets_validated`."""
    return getattr(_state, "values_checked", False)


@contextlib.contextmanager
def targets_validated():
    """Within this scope, on this thread, the labels were checked already (``fit`` checks
    all of them once before training), so per-batch scans of their values (NaN/Inf,
    class-id range) are skipped; shape checks stay. On a GPU each scan is a device-to-host
    sync. Other threads keep their checks."""
    before = values_checked()
    _state.values_checked = True
    try:
        yield
    finally:
        _state.values_checked = before


def prediction(y_pred, loss: str, integers: bool = False) -> Tensor:
    """``y_pred`` as a float Tensor (not yet cast to the compute dtype).

    ``integers``: integer or bool predictions are cast to float32 instead of refused. Keras's
    regression losses (mean squared/absolute/percentage/squared-log error, huber) accept them
    (their means come out as floats), the cross-entropies and the others do not."""
    y_pred = as_tensor(y_pred)
    if integers and (dtypes.is_integer(y_pred.dtype) or y_pred.dtype == np.bool_):
        return cast(y_pred, "float32")
    if not dtypes.is_floating(y_pred.dtype):
        raise TypeError(
            f"{loss}: y_pred must be a float tensor, received dtype {y_pred.dtype.name}"
        )
    return y_pred


def labels(y_true, y_pred: Tensor) -> Tensor:
    """``y_true`` as a Tensor on ``y_pred``'s device."""
    if isinstance(y_true, Tensor):
        return y_true if y_true._device is y_pred._device else y_true.to(y_pred._device)
    return Tensor(y_true, device=y_pred._device)


def compute_dtype(y_pred: Tensor) -> np.dtype:
    """float32 for float16 predictions (losses never run in half precision), else their dtype."""
    return dtypes.accumulation_dtype(y_pred.dtype)


def to_compute(x: Tensor, dtype) -> Tensor:
    return x if x.dtype == dtype else cast(x, dtype)


def check_finite(y_true: Tensor, loss: str) -> None:
    """Raise when float labels hold NaN or Inf (one device-to-host sync)."""
    if values_checked() or not dtypes.is_floating(y_true.dtype) or y_true.size == 0:
        return
    xp = y_true._device.xp
    finite = xp.isfinite(y_true._data)
    if not bool(finite.all()):
        bad = int(y_true.size - int(finite.sum()))
        raise ValueError(
            f"{loss}: y_true contains NaN or Inf ({bad} of {y_true.size} values); "
            "clean the labels before training"
        )


def match_shapes(y_true: Tensor, y_pred: Tensor, loss: str) -> Tensor:
    """``y_true`` with one trailing axis of size 1 added or removed to match ``y_pred``.

    Keras does the same, so that labels of shape ``(N,)`` pair with predictions of
    shape ``(N, 1)`` instead of broadcasting to ``(N, N)``. Shapes of the same rank that
    broadcast (``(N, T, 1)`` labels for ``(N, T, F)`` predictions) are kept, as Keras
    keeps them; a scalar label is broadcast to ``y_pred``'s shape, as Keras broadcasts it
    (``BinaryAccuracy().update_state(1.0, real_logits)``); other shapes are an error.
    """
    t, p = tuple(y_true.shape), tuple(y_pred.shape)
    if t == p:
        return y_true
    if not t:
        return broadcast_to(y_true, p)
    if len(t) == len(p) - 1 and p[-1] == 1 and t == p[:-1]:
        return expand_dims(y_true, -1)
    if len(t) == len(p) + 1 and t[-1] == 1 and t[:-1] == p:
        return reshape(y_true, p)
    if len(t) == len(p) and all(a == b or a == 1 or b == 1 for a, b in zip(t, p)):
        return y_true
    if len(t) == len(p) - 1 and all(n == 1 for n in t):
        # a batch of one single label next to several outputs: Keras' ``y_pred - y_true``
        # broadcasts the label over them (``fit(x, np.zeros(n), batch_size=1)``)
        return broadcast_to(reshape(y_true, t + (1,)), p)
    raise ValueError(f"{loss}: y_true shape {t} does not match y_pred shape {p}")


def check_categorical_shapes(y_true: Tensor, y_pred: Tensor, loss: str) -> None:
    """One-hot labels must have y_pred's shape; say what to do with integer class ids."""
    t, p = tuple(y_true.shape), tuple(y_pred.shape)
    if t == p:
        return
    if p and (t == p[:-1] or t == p[:-1] + (1,)):
        raise ValueError(
            f"{loss}: y_true shape {t} does not match y_pred shape {p}; the labels look like "
            f"integer class ids: use loss='sparse_categorical_crossentropy', or one-hot encode "
            f"them with gpuflow.utils.to_categorical(y, num_classes={p[-1]})"
        )
    raise ValueError(
        f"{loss}: y_true shape {t} must equal y_pred shape {p} (one-hot or probability labels)"
    )


def class_ids(y_true: Tensor, y_pred: Tensor, loss: str) -> Tensor:
    """Sparse labels as an integer Tensor of shape ``y_pred.shape[:-1]``, range-checked."""
    t, p = tuple(y_true.shape), tuple(y_pred.shape)
    if t == p[:-1] + (1,) and t != p[:-1]:
        y_true = reshape(y_true, p[:-1])
    elif t != p[:-1]:
        hint = (
            "; the labels look one-hot: use loss='categorical_crossentropy'"
            if t == p and p[-1] > 1
            else ""
        )
        raise ValueError(
            f"{loss}: y_true shape {t} must be y_pred shape without the class axis, "
            f"{p[:-1]} (or {p[:-1] + (1,)}), received y_pred shape {p}{hint}"
        )
    data = y_true._data
    scan = y_true.size and not values_checked()
    if dtypes.is_floating(y_true.dtype):
        check_finite(y_true, loss)
        if scan and not bool((data == y_true._device.xp.round(data)).all()):
            raise ValueError(
                f"{loss}: y_true must hold integer class ids, received non-integer "
                f"values (dtype {y_true.dtype.name})"
            )
    elif not dtypes.is_integer(y_true.dtype):
        raise TypeError(
            f"{loss}: y_true must hold integer class ids, received dtype {y_true.dtype.name}"
        )
    classes = p[-1]
    if scan:
        xp = y_true._device.xp
        low, high = (int(v) for v in y_true._device.to_host(xp.stack([data.min(), data.max()])))
        if low < 0 or high >= classes:
            raise InvalidArgumentError(  # TF's error for labels outside the classes
                None,
                None,
                f"{loss}: labels must be in [0, {classes}) for y_pred with {classes} "
                f"classes, received min {low} and max {high}",
            )
    if not dtypes.is_integer(y_true.dtype):
        # A recorded cast (not a raw array conversion), so a compiled train step can
        # recompute the ids from float labels.
        y_true = cast(y_true, "int64")
    return y_true


def attached_logits(y_pred: Tensor, axis: int | None = None):
    """The logits ``y_pred`` came from, when the softmax or sigmoid activation attached them.

    ``keras.activations.softmax``/``sigmoid`` (and layers with those activations) set
    ``output._keras_logits``, as Keras does; a cross-entropy on such probabilities then
    takes the stable from-logits path. The value depends on the tensor alone, never on
    whether a tape recorded it, so the same inputs give the same loss in fit, evaluate and
    eager code. ``axis``: the loss's class axis; the softmax logits are attached for the
    last axis only, so another axis takes the probability path.
    """
    logits = getattr(y_pred, "_keras_logits", None)
    if logits is None or (axis is not None and axis != y_pred.ndim - 1):
        return None
    return logits


def loss_logits(y_pred: Tensor, from_logits: bool, name: str, axis: int | None = None):
    """The logits a cross-entropy ``name`` works on, or None for the probability path.

    Probabilities from the softmax or sigmoid activation are replaced by the logits they
    came from (:func:`attached_logits`), even when ``from_logits=True`` was passed by
    mistake: Keras on TensorFlow then warns and uses those logits, so the loss is the
    intended one rather than a cross-entropy of twice-squashed values.
    """
    attached = attached_logits(y_pred, axis)
    if attached is None:
        return y_pred if from_logits else None
    if from_logits:
        activation = "sigmoid" if name == "binary_crossentropy" else "softmax"
        warnings.warn(
            f"`{name}` received `from_logits=True`, but the `output` argument was produced "
            f"by a {activation} activation and thus does not represent logits. Was this "
            "intended?",
            UserWarning,
            stacklevel=3,
        )
    return attached
