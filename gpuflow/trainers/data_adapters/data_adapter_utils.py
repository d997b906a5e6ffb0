"""Packing, checking and splitting the ``(x, y, sample_weight)`` data given to the Trainer.

``x``, ``y`` and ``sample_weight`` may each be one array or a list/tuple/dict of arrays
(multi-input and multi-output models); ``gpuflow.nest`` decides what a structure is.
Every check here runs before any training step, so bad data fails before work starts.
"""

from __future__ import annotations

import warnings

import numpy as np

from ... import dtypes, nest
from ..._string_arrays import bytes_array, looks_like_strings
from ...sparse import SparseTensor, take_rows
from ...tensor import Tensor


def unpack_x_y_sample_weight(data):
    """``(x, y, sample_weight)`` from ``x``, ``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)``.

    For ``train_step``/``test_step``/``predict_step`` overrides, as
    ``keras.utils.unpack_x_y_sample_weight``: missing parts come back as None.

    Raises:
        ValueError: for a tuple of more than three elements.
    """
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) == 1:
        return data[0], None, None
    if len(data) == 2:
        return data[0], data[1], None
    if len(data) == 3:
        return data[0], data[1], data[2]
    raise ValueError(
        "Data is expected to be in format `x`, `(x,)`, `(x, y)`, or "
        f"`(x, y, sample_weight)`, found a tuple of {len(data)} elements"
    )


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """The inverse of :func:`unpack_x_y_sample_weight` (``keras.utils.pack_x_y_sample_weight``)."""
    if y is None:
        return x if not isinstance(x, (tuple, list)) else (x,)
    if sample_weight is None:
        return x, y
    return x, y, sample_weight


def is_array_like(value) -> bool:
    """Whether ``value`` is one array (NumPy, Tensor, SparseTensor, or a list of numbers),
    not a structure."""
    if isinstance(value, (np.ndarray, Tensor, SparseTensor)) or np.isscalar(value):
        return True
    if isinstance(value, dict):
        return False
    if isinstance(value, (list, tuple)):
        # A list of arrays is several inputs (or outputs), as in Keras; a list of numbers
        # (or of lists of numbers) is one array.
        return all(
            np.isscalar(v) or (isinstance(v, (list, tuple)) and is_array_like(v)) for v in value
        )
    return hasattr(value, "__array__")


def as_structure(value, what: str, op: str):
    """``value`` with each array leaf as a checked NumPy array (or device Tensor).

    A one-element list of arrays is unwrapped to its array (a single-input model given
    ``[x]``). Tensors stay Tensors: they may already live on the model's device.
    """
    if value is None:
        return None
    if isinstance(value, (list, tuple)) and len(value) == 1 and not is_array_like(value):
        value = value[0]
    if is_array_like(value):
        return to_array(value, what, op)
    if not nest.is_nested(value):
        raise TypeError(
            f"{op}: {what} must be an array, a Tensor, or a list/tuple/dict of them, "
            f"received {type(value).__name__}"
        )
    if isinstance(value, dict):
        return {key: as_structure(v, f"{what}[{key!r}]", op) for key, v in value.items()}
    return type(value)(as_structure(v, f"{what}[{i}]", op) for i, v in enumerate(value))


def _is_pandas_series(value) -> bool:
    """A pandas Series, told by its type (gpuflow does not import pandas)."""
    kind = type(value)
    return kind.__name__ == "Series" and kind.__module__.split(".")[0] == "pandas"


def to_array(value, what: str, op: str):
    """One leaf as a NumPy array (a Tensor or SparseTensor is kept), refusing non-numeric
    and complex data."""
    if isinstance(value, SparseTensor):
        if value.ndim == 0:
            raise ValueError(f"{op}: {what} must have a batch axis, received a scalar SparseTensor")
        return value
    if isinstance(value, Tensor):
        if value.ndim == 0:
            raise ValueError(f"{op}: {what} must have a batch axis, received a scalar Tensor")
        return value
    if _is_pandas_series(value):  # as Keras 3: a Series is one column, shape (n, 1)
        value = np.expand_dims(value.to_numpy(), -1)
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as exc:  # ragged lists: a ValueError, as Keras 3's
        raise ValueError(
            f"{op}: {what} must be an array-like, received {type(value).__name__} ({exc})"
        ) from None
    if array.dtype.kind in "US" or (array.dtype == object and looks_like_strings(array)):
        return bytes_array(array, f"{op}: {what}")  # text (a string model input): bytes
    if array.dtype == object:  # Keras 3: ValueError("Invalid dtype: object")
        raise ValueError(
            f"{op}: {what} must be a numeric array, received ragged or non-numeric data "
            "(Invalid dtype: object)"
        )
    if dtypes.kind(array.dtype) not in "biuf":  # bfloat16 (kind 'V') is a float
        raise TypeError(
            f"{op}: {what} must be a numeric (bool, int or float) array, received "
            f"dtype {array.dtype.name}"
        )
    return array


def num_samples(structure, what: str, op: str) -> int:
    """The common first-axis length of every leaf of ``structure``."""
    sizes = {
        leaf.shape[0] if leaf.ndim else 0 for leaf in nest.flatten(structure) if leaf is not None
    }
    if len(sizes) > 1:
        raise ValueError(f"{op}: the arrays of {what} have different lengths: {sorted(sizes)}")
    return sizes.pop() if sizes else 0


def check_data(x, y, sample_weight, op: str) -> int:
    """Validate ``x``, ``y`` and ``sample_weight`` (already leaf-converted): lengths, finiteness.

    Returns:
        The number of samples.
    """
    n = num_samples(x, "x", op)
    leaves = nest.flatten(x)
    if not leaves or any(leaf.ndim == 0 for leaf in leaves) or n == 0:
        shape = tuple(leaves[0].shape) if leaves else ()
        raise ValueError(f"{op}: received no data (x has shape {shape}); pass at least one sample")
    for part, what in ((x, "x"), (y, "y"), (sample_weight, "sample_weight")):
        if part is None:
            continue
        if part is not x:
            m = num_samples(part, what, op)
            if m != n:
                raise ValueError(
                    f"{op}: x and {what} have different lengths: x has {n} samples, {what} has {m}"
                )
        for leaf in nest.flatten(part):
            _check_finite(leaf, what, op)
    return n


def rows(array, index):
    """Rows ``index`` (a slice or an index vector) of one leaf: a SparseTensor's through
    ``gpuflow.sparse.take_rows``, any other's by indexing."""
    if isinstance(array, SparseTensor):
        return take_rows(array, index)
    return array[index]


def _check_finite(leaf, what: str, op: str) -> None:
    if isinstance(leaf, SparseTensor):
        leaf = leaf.values
    if isinstance(leaf, Tensor):
        if not dtypes.is_floating(leaf.dtype):
            return
        leaf = leaf.numpy()  # once per fit, before training
    if dtypes.kind(leaf.dtype) == "f" and not np.isfinite(leaf).all():
        bad = np.argwhere(~np.isfinite(leaf))[0]
        # Keras trains on it (a loss may mask missing values; TerminateOnNaN may stop the
        # run), so this is a warning, not an error.
        warnings.warn(
            f"{op}: {what} contains NaN or Inf (first at index "
            f"{tuple(int(i) for i in bad)}); what is computed from them will be NaN "
            "unless the model or the loss masks them",
            RuntimeWarning,
            stacklevel=4,
        )


def class_weight_to_sample_weights(y, class_weight: dict, op: str = "fit") -> np.ndarray:
    """Per-sample weights ``class_weight[label]`` (1.0 for classes not listed), as Keras.

    One-hot ``y`` (last axis > 1) is read by argmax; ``(N, 1)`` labels are squeezed.
    """
    if not isinstance(class_weight, dict):
        raise TypeError(
            f"{op}: class_weight must be a dict {{class index: weight}}, received "
            f"{type(class_weight).__name__}"
        )
    labels = y.numpy() if isinstance(y, Tensor) else np.asarray(y)
    if labels.ndim > 1:
        labels = labels.argmax(axis=-1) if labels.shape[-1] != 1 else labels[..., 0]
    labels = np.round(labels).astype("int64").reshape(len(labels), -1)[:, 0]
    weights = np.ones(len(labels), dtype=dtypes.floatx())
    for cls, weight in class_weight.items():
        weights[labels == int(cls)] = float(weight)
    return weights


def train_validation_split(arrays, validation_split: float):
    """Keras' ``validation_split``: the last fraction of the samples, taken before shuffling.

    Args:
        arrays: the ``(x, y, sample_weight)`` structure (None entries allowed).
        validation_split: a float in (0, 1).

    Returns:
        ``(train, validation)``, each of ``arrays``' structure.
    """
    if not 0 < validation_split < 1:
        raise ValueError(f"fit: validation_split must be in (0, 1), received {validation_split}")
    leaves = [leaf for leaf in nest.flatten(arrays) if leaf is not None]
    n = leaves[0].shape[0]
    cut = int(n * (1 - validation_split))
    if cut == 0 or cut == n:
        raise ValueError(
            f"fit: validation_split={validation_split} leaves an empty training or "
            f"validation set with {n} samples"
        )

    def part(sl):
        return nest.map_structure(lambda a: None if a is None else rows(a, sl), arrays)

    return part(slice(0, cut)), part(slice(cut, None))


def check_batch_size(batch_size, op: str):
    """``batch_size`` as a positive int, or None (the adapter's default)."""
    if batch_size is None:
        return None
    if (
        isinstance(batch_size, bool)
        or not isinstance(batch_size, (int, np.integer))
        or batch_size < 1
    ):
        raise ValueError(f"{op}: batch_size must be a positive int, received {batch_size!r}")
    return int(batch_size)


def standardize_batch(batch, source: str):
    """A batch a Dataset, PyDataset or generator gave, as ``(x,)``, ``(x, y)`` or
    ``(x, y, sample_weight)``, as Keras unpacks it.

    A tuple (or list) of one to three parts is ``x``, ``y``, ``sample_weight``; anything else
    (an array, a dict of inputs, a namedtuple) is ``x`` alone. Leaves become NumPy arrays,
    except gpuflow Tensors, which are kept (they may already be on the model's device).

    Raises:
        ValueError: for a tuple of more than three parts, naming ``source``.
    """
    if isinstance(batch, list):
        batch = tuple(batch)
    if isinstance(batch, tuple) and not hasattr(type(batch), "_fields"):
        if not 1 <= len(batch) <= 3:
            raise ValueError(
                f"{source} must yield x, (x,), (x, y) or (x, y, sample_weight); "
                f"received a tuple of {len(batch)} parts"
            )
        return tuple(_leaves_as_arrays(part) for part in batch)
    return (_leaves_as_arrays(batch),)


def _leaves_as_arrays(value):
    if value is None or isinstance(value, (np.ndarray, Tensor)):
        return value
    if getattr(value, "_is_composite_tensor", False):  # a SparseTensor or RaggedTensor
        return value
    if isinstance(value, dict):
        return type(value)((k, _leaves_as_arrays(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)) and value and not is_array_like(value):
        # several inputs or outputs (a list of numbers is one array)
        return type(value)(_leaves_as_arrays(v) for v in value)
    if hasattr(value, "numpy"):  # another framework's tensor
        return np.asarray(value.numpy())
    return np.asarray(value)


def apply_class_weight(batch: tuple, class_weight: dict, source: str) -> tuple:
    """``(x, y)`` as ``(x, y, sample_weight)`` with ``class_weight`` per sample, as Keras'
    PyDataset and Dataset adapters do (a single-output ``y`` only)."""
    if len(batch) == 3:
        raise ValueError("You cannot `class_weight` and `sample_weight` at the same time.")
    if len(batch) == 1:
        raise ValueError(f"class_weight needs targets, but {source} yields only inputs x")
    if nest.is_nested(batch[1]):
        raise ValueError("`class_weight` is only supported for Models with a single output.")
    return batch + (class_weight_to_sample_weights(batch[1], class_weight),)
