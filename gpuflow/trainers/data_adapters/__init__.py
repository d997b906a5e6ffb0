"""Data adapters: Dataset, PyDataset and generator inputs as one iterator of batches.

Array inputs still go through ``gpuflow/models/training.py``'s own loop; the Trainer's
array adapter takes them over when it lands.
"""
from __future__ import annotations

import types
import warnings

from ...data import Dataset
from ...utils.py_dataset import PyDataset
from .data_adapter import DataAdapter, standardize_batch  # noqa: F401
from .generator_data_adapter import GeneratorDataAdapter
from .py_dataset_adapter import PyDatasetAdapter
from .tf_dataset_adapter import TFDatasetAdapter


def is_pipeline_input(x) -> bool:
    """Whether ``x`` is a Dataset, a PyDataset, a generator or an adapter (not arrays)."""
    return isinstance(x, (Dataset, PyDataset, DataAdapter, types.GeneratorType))


def _unsupported(arg: str, what: str, kind: str) -> ValueError:
    return ValueError(f"When providing `x` as a {kind}, `{arg}` should not be passed. "
                      f"Instead, {what} should be included as part of the {kind}.")


def get_data_adapter(x, y=None, sample_weight=None, batch_size=None, shuffle=False,
                     op: str = "fit") -> DataAdapter:
    """The adapter for a Dataset, PyDataset or generator ``x``, with Keras' argument checks.

    Raises:
        ValueError: ``y`` or ``sample_weight`` given beside the data, or ``batch_size``
            given with data that is already batched (saying why).
    """
    if isinstance(x, DataAdapter):
        return x
    kind = ("Dataset" if isinstance(x, Dataset) else
            "PyDataset" if isinstance(x, PyDataset) else "generator")
    if y is not None:
        raise _unsupported("y", "the targets", kind)
    if sample_weight is not None:
        raise _unsupported("sample_weight", "the sample weights", kind)
    if batch_size is not None:
        raise ValueError(f"{op}: the `batch_size` argument must not be specified when x is a "
                         f"{kind} (received batch_size={batch_size!r}): a {kind} yields whole "
                         f"batches; set the batch size where the batches are made"
                         + (" (dataset.batch(...))" if kind == "Dataset" else ""))
    if isinstance(x, Dataset):
        if shuffle and op == "fit":
            warnings.warn("`shuffle=True` was passed, but will be ignored since the data `x` "
                          "was provided as a Dataset. The Dataset is expected to already be "
                          "shuffled (via `.shuffle(buffer_size)`).", stacklevel=3)
        return TFDatasetAdapter(x)
    if isinstance(x, PyDataset):
        return PyDatasetAdapter(x, shuffle=shuffle)
    return GeneratorDataAdapter(x)
