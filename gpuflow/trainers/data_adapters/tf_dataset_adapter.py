"""The adapter for ``gpuflow.data.Dataset`` (Keras 3's ``TFDatasetAdapter``)."""
from __future__ import annotations

from ... import nest
from ...data import Dataset
from ...data.dataset import INFINITE
from .data_adapter import DataAdapter, standardize_batch


class TFDatasetAdapter(DataAdapter):
    """Iterates a Dataset whose elements are batches: x, (x, y) or (x, y, sample_weight)."""

    def __init__(self, dataset: Dataset) -> None:
        if not isinstance(dataset, Dataset):
            raise ValueError(f"Expected a gpuflow.data.Dataset, received "
                             f"{type(dataset).__name__}")
        self._dataset = dataset

    def get_numpy_iterator(self):
        for batch in self._dataset._host_iterator():
            yield standardize_batch(batch, "the Dataset")

    @property
    def is_infinite(self) -> bool:
        return self._dataset._cardinality() == INFINITE

    @property
    def num_batches(self) -> int | None:
        n = self._dataset._cardinality()
        return n if n >= 0 else None

    @property
    def batch_size(self) -> int | None:
        """The leading dimension of the first component's spec (None unless known)."""
        first = nest.flatten(self._dataset.element_spec)[0]
        return None if first.shape is None or not first.shape else first.shape[0]

    @property
    def has_partial_batch(self) -> None:
        return None

    @property
    def partial_batch_size(self) -> None:
        return None
