"""Label and array helpers on NumPy arrays (and Tensors)."""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..tensor import Tensor


def to_categorical(y, num_classes: int | None = None, dtype=None):
    """One-hot encode integer class ids, as ``tf.keras.utils.to_categorical``.

    Args:
        y: class ids in ``[0, num_classes)``: a list, NumPy array or Tensor, of integer dtype
            or integral floats. A trailing axis of size 1 is dropped: ``(N, 1) -> (N, C)``.
        num_classes: the number of classes (default ``max(y) + 1``).
        dtype: the output dtype (tf.keras 2's argument; Keras 3 has none). Default as Keras
            3: float64 for array-like ``y`` (NumPy's default), the default float type
            (``keras.config.floatx()``) for a Tensor.

    Returns:
        A NumPy array of shape ``y.shape + (num_classes,)`` (a Tensor on ``y``'s device when
        ``y`` is a Tensor).

    Raises:
        ValueError: for negative ids, ids ``>= num_classes``, or non-integer values.
    """
    device = y._device if isinstance(y, Tensor) else None
    labels = np.asarray(y.numpy() if isinstance(y, Tensor) else y)
    if dtype is None:
        dtype = dtypes.floatx() if device is not None else "float64"
    out_dtype = dtypes.as_dtype(dtype, "to_categorical(dtype=...)")
    if labels.dtype.kind == "b" or labels.dtype.kind not in "iuf":
        raise ValueError(
            f"to_categorical: expected integer class ids, received dtype {labels.dtype.name}"
        )
    if labels.dtype.kind == "f" and not (
        np.all(np.isfinite(labels)) and np.all(labels == np.round(labels))
    ):
        raise ValueError(
            "to_categorical: expected integer class ids, received non-integer "
            "values (e.g. " + _first_bad(labels) + ")"
        )
    if labels.ndim >= 2 and labels.shape[-1] == 1:
        labels = labels.reshape(labels.shape[:-1])
    ids = labels.astype(np.int64)
    if ids.size and ids.min() < 0:
        raise ValueError(f"to_categorical: class ids must be >= 0, received min {int(ids.min())}")
    if num_classes is None:
        num_classes = int(ids.max()) + 1 if ids.size else 0
    elif int(num_classes) != num_classes or num_classes < 1:
        raise ValueError(
            f"to_categorical: num_classes must be a positive integer, received {num_classes!r}"
        )
    num_classes = int(num_classes)
    if ids.size and ids.max() >= num_classes:
        raise ValueError(
            f"to_categorical: class ids must be in [0, {num_classes}), received max "
            f"{int(ids.max())}; pass a larger num_classes"
        )
    out = np.zeros(ids.shape + (num_classes,), dtype=out_dtype)
    np.put_along_axis(out, ids[..., None], 1, axis=-1)
    return out if device is None else Tensor(out, device=device)


def _first_bad(labels: np.ndarray) -> str:
    flat = labels.reshape(-1)
    bad = ~np.isfinite(flat) | (flat != np.round(np.nan_to_num(flat)))
    return repr(float(flat[np.argmax(bad)]))


def normalize(x, axis: int = -1, order: int = 2):
    """``x`` divided by its ``order``-norm along ``axis`` (zero vectors stay zero).

    As Keras 3: a NumPy array gives a NumPy array; anything else (a Tensor, a Variable, a
    list) goes through ``keras.ops.normalize`` and gives a Tensor, differentiable under a
    GradientTape.

    Args:
        x: a NumPy array (a NumPy array comes back) or a tensor or array-like (a tensor
            comes back, as Keras 3's ``ops.normalize``).
        axis: the axis to normalize along.
        order: the norm order (2 for L2).
    """
    if not isinstance(x, np.ndarray):
        from ..keras.ops import nn

        return nn.normalize(x, axis=axis, order=order)
    norm = np.atleast_1d(np.linalg.norm(x, order, axis))
    norm[norm == 0] = 1
    return x / np.expand_dims(norm, axis or -1)
