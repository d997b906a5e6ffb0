"""Data adapters: every kind of input ``fit``/``evaluate``/``predict`` accept, as one interface.

:func:`get_data_adapter` picks the adapter for ``x``: arrays, a ``gpuflow.data.Dataset``, a
``keras.utils.PyDataset`` or a Python generator. Another input kind plugs in by
subclassing :class:`DataAdapter` and adding its case here, before the final error.
"""

from __future__ import annotations

import types
import warnings

from ...data import Dataset
from ...utils.py_dataset import PyDataset
from .array_data_adapter import ArrayDataAdapter, can_convert_arrays
from .data_adapter import DataAdapter
from .data_adapter_utils import (
    check_batch_size,
    check_data,
    class_weight_to_sample_weights,
    pack_x_y_sample_weight,
    train_validation_split,
    unpack_x_y_sample_weight,
)
from .generator_data_adapter import GeneratorDataAdapter
from .py_dataset_adapter import PyDatasetAdapter
from .tf_dataset_adapter import TFDatasetAdapter

__all__ = [
    "ArrayDataAdapter",
    "DataAdapter",
    "GeneratorDataAdapter",
    "PyDatasetAdapter",
    "TFDatasetAdapter",
    "can_convert_arrays",
    "check_batch_size",
    "check_data",
    "class_weight_to_sample_weights",
    "get_data_adapter",
    "is_pipeline_input",
    "pack_x_y_sample_weight",
    "train_validation_split",
    "unpack_x_y_sample_weight",
]


def is_pipeline_input(x) -> bool:
    """Whether ``x`` is a Dataset, a PyDataset, a generator or an adapter (not arrays)."""
    return isinstance(x, (Dataset, PyDataset, DataAdapter, types.GeneratorType))


def get_data_adapter(
    x,
    y=None,
    sample_weight=None,
    batch_size=None,
    steps_per_epoch=None,
    shuffle=False,
    class_weight=None,
    device=None,
    x_dtype=None,
    op="fit",
):
    """The DataAdapter for ``x`` (and ``y``, ``sample_weight``).

    Args:
        x: a DataAdapter (returned as is), or arrays/Tensors (one, or a list/tuple/dict).
        y, sample_weight: arrays (or structures) for array ``x``.
        batch_size, steps_per_epoch, shuffle, class_weight: as ``fit``'s arguments.
        device: the model's device; array data moves there once.
        x_dtype: the model's compute dtype; numeric array ``x`` is cast to it once.
        op: the calling method's name, for error messages.

    Raises:
        ValueError: for data no adapter accepts, naming its type.
    """
    if isinstance(x, DataAdapter):
        return x
    if can_convert_arrays((x, y, sample_weight)):
        return ArrayDataAdapter(
            x,
            y,
            sample_weight=sample_weight,
            batch_size=batch_size,
            steps=steps_per_epoch,
            shuffle=shuffle,
            class_weight=class_weight,
            device=device,
            x_dtype=x_dtype,
            op=op,
        )
    if isinstance(x, (Dataset, PyDataset, types.GeneratorType)):
        return _pipeline_adapter(x, y, sample_weight, shuffle, class_weight, op)
    if _has_ragged((x, y, sample_weight)):
        return _ragged_adapter(
            x, y, sample_weight, batch_size, steps_per_epoch, shuffle, class_weight
        )
    raise ValueError(
        f"{op}: unrecognized data type: x={type(x).__name__} (of type "
        f"{type(x)!r}); expected NumPy arrays, gpuflow Tensors, or lists/dicts of "
        "them"
    )


def _has_ragged(structure) -> bool:
    from ...nest import flatten
    from ...ragged.ragged_tensor import RaggedTensor

    return any(isinstance(leaf, RaggedTensor) for leaf in flatten(structure))


def _ragged_adapter(x, y, sample_weight, batch_size, steps, shuffle, class_weight):
    """RaggedTensor data (with arrays): batches of its rows, as Keras slices
    ``tf.RaggedTensor`` inputs on TensorFlow (batch_size 32 by default)."""
    parts = tuple(v for v in (x, y, sample_weight) if v is not None)
    dataset = Dataset.from_tensor_slices(parts if len(parts) > 1 else parts[0])
    if shuffle:
        dataset = dataset.shuffle(max(int(dataset._cardinality()), 1))
    dataset = dataset.batch(batch_size or 32)
    if steps is not None:
        dataset = dataset.repeat().take(int(steps))
    return TFDatasetAdapter(dataset, class_weight=class_weight)


def _unsupported(arg: str, what: str, kind: str) -> ValueError:
    return ValueError(
        f"When providing `x` as a {kind}, `{arg}` should not be passed. "
        f"Instead, {what} should be included as part of the {kind}."
    )


def _pipeline_adapter(x, y, sample_weight, shuffle, class_weight, op):
    """The adapter of a Dataset, PyDataset or generator, with Keras' argument checks.

    fit's ``batch_size`` does not reach here: as Keras 3.15, it is ignored for these
    inputs, which yield whole batches (the keras.io guide passes
    ``fit(py_dataset, batch_size=64, ...)``)."""
    kind = (
        "tf.data.Dataset"  # Keras' wording
        if isinstance(x, Dataset)
        else "PyDataset"
        if isinstance(x, PyDataset)
        else "generator"
    )
    if y is not None:
        raise _unsupported("y", "the targets", kind)
    if sample_weight is not None:
        raise _unsupported("sample_weights", "the sample weights", kind)
    if isinstance(x, Dataset):
        if shuffle and op == "fit":  # as Keras 3.15, though fit's shuffle defaults to True
            warnings.warn(
                "`shuffle=True` was passed, but will be ignored since the data `x` "
                "was provided as a tf.data.Dataset. The Dataset is expected to already be "
                "shuffled (via `.shuffle(buffer_size)`).",
                stacklevel=5,
            )
        return TFDatasetAdapter(x, class_weight=class_weight)
    if isinstance(x, PyDataset):
        if shuffle and op == "fit" and x.num_batches is None:
            warnings.warn(
                "`shuffle=True` was passed, but will be ignored since the data `x` "
                "was provided as an infinite PyDataset. The PyDataset is expected "
                "to already be shuffled.",
                stacklevel=5,
            )
        return PyDatasetAdapter(x, class_weight=class_weight, shuffle=shuffle and op == "fit")
    if class_weight is not None:
        raise ValueError(
            "Argument `class_weight` is not supported for Python generator "
            f"inputs. Received: class_weight={class_weight}"
        )
    return GeneratorDataAdapter(x)
