"""The adapter for Python generators of batches (Keras 3's ``GeneratorDataAdapter``)."""

from __future__ import annotations

import itertools

from .data_adapter import DataAdapter
from .data_adapter_utils import standardize_batch


class GeneratorDataAdapter(DataAdapter):
    """Iterates a generator of batches. A generator runs once: a second pass continues it
    (and finds it empty once it ended), as in Keras."""

    def __init__(self, generator) -> None:
        first = list(itertools.islice(generator, 1))
        if not first:
            raise ValueError(
                "When passing a Python generator to a Keras model, the generator "
                "must yield at least one batch. Received an empty generator."
            )
        if not isinstance(first[0], tuple):
            raise ValueError(
                f"When passing a Python generator to a Keras model, the generator "
                f"must return a tuple, either (input,) or (inputs, targets) or "
                f"(inputs, targets, sample_weights). Received: "
                f"{str(first[0])[:100]}"
            )
        self._iterator = itertools.chain(first, generator)

    def get_iterator(self):
        for batch in self._iterator:
            yield standardize_batch(batch, "the generator")

    @property
    def num_batches(self) -> None:
        return None

    @property
    def batch_size(self) -> None:
        return None

    @property
    def has_partial_batch(self) -> None:
        return None

    @property
    def partial_batch_size(self) -> None:
        return None
