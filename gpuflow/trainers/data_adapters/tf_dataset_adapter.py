"""The adapter for ``gpuflow.data.Dataset`` (Keras 3's ``TFDatasetAdapter``)."""

from __future__ import annotations

from ... import nest
from ...data import Dataset, structure
from ...data.dataset import INFINITE
from .data_adapter import DataAdapter
from .data_adapter_utils import apply_class_weight, standardize_batch


class TFDatasetAdapter(DataAdapter):
    """Iterates a Dataset whose elements are batches: x, (x, y) or (x, y, sample_weight).

    Args:
        dataset: the batched Dataset.
        class_weight: ``{class: weight}``, turned into each batch's sample weights.
    """

    def __init__(self, dataset: Dataset, class_weight=None) -> None:
        if not isinstance(dataset, Dataset):
            raise ValueError(f"Expected a gpuflow.data.Dataset, received {type(dataset).__name__}")
        self._dataset = dataset
        self._class_weight = class_weight
        # ragged or sparse components reach the model as RaggedTensors / SparseTensors
        self._composites = structure.has_composites(dataset.element_spec)

    def get_iterator(self):
        elements = self._dataset._host_iterator()
        try:
            for element in elements:
                if self._composites:
                    element = structure.host_composites(element)
                batch = standardize_batch(element, "the Dataset")
                if self._class_weight is not None:
                    batch = apply_class_weight(batch, self._class_weight, "the Dataset")
                yield batch
        finally:  # a pass stopped early ends its prefetch thread and map pool now
            close = getattr(elements, "close", None)
            if close is not None:
                close()

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
        shape = getattr(first, "shape", None)
        return None if shape is None or not shape or shape.rank == 0 else shape[0]

    @property
    def has_partial_batch(self) -> None:
        return None

    @property
    def partial_batch_size(self) -> None:
        return None
