"""``Dataset.counter`` (``tf.data.experimental.Counter``): start, start + step, ... forever."""

from __future__ import annotations

import itertools

import numpy as np

from .. import dtypes
from ..tensor_spec import TensorSpec
from .arguments import as_int
from .dataset import INFINITE, Dataset


class CounterDataset(Dataset):
    """An infinite dataset of scalars ``start + i * step`` in ``dtype``."""

    def __init__(self, start, step, dtype) -> None:
        super().__init__()
        self._start = as_int(start, "Dataset.counter", "start")
        self._step = as_int(step, "Dataset.counter", "step")
        self._dtype = np.dtype(dtypes.as_dtype(dtype, "Dataset.counter").as_numpy_dtype)
        if self._dtype.kind not in "iu":
            raise TypeError(
                f"Dataset.counter: dtype must be an integer dtype, received {self._dtype.name}"
            )

    def _compute_spec(self):
        return TensorSpec((), self._dtype)

    def _cardinality(self) -> int:
        return INFINITE

    def _elements(self, ctx):
        dtype = self._dtype
        for value in itertools.count(self._start, self._step):
            yield np.asarray(value, dtype=dtype)


def counter(start=0, step=1, dtype="int64", name=None) -> Dataset:
    """An infinite dataset counting from ``start`` by ``step``, as ``tf.data.Dataset.counter``.

    Example:
        >>> list(gpuflow.data.Dataset.counter(3, 2).take(3).as_numpy_iterator())
        [3, 5, 7]
    """
    return CounterDataset(start, step, dtype)


def Counter(start=0, step=1, dtype="int64", name=None) -> Dataset:  # noqa: N802 - TF's name
    """``tf.data.experimental.Counter``: the same as ``Dataset.counter``."""
    return CounterDataset(start, step, dtype)


class AssertCardinalityDataset(Dataset):
    """The input dataset, declaring ``expected`` elements; iterating a different number is
    a ``FailedPreconditionError``, as in TensorFlow."""

    def __init__(self, dataset, expected: int) -> None:
        super().__init__((dataset,))
        self._expected = expected

    def _compute_spec(self):
        return self._inputs[0].element_spec

    def _cardinality(self) -> int:
        return self._expected

    def _elements(self, ctx):
        count = 0
        for element in self._inputs[0]._elements(ctx):
            count += 1
            if 0 <= self._expected < count:
                raise _mismatch(self._expected, "at least", count)
            yield element
        if self._expected != INFINITE and count != self._expected:
            raise _mismatch(self._expected, "only", count)


def _mismatch(expected: int, qualifier: str, count: int) -> Exception:
    from ..errors import FailedPreconditionError

    found = f"{qualifier} {count}".strip()
    return FailedPreconditionError(
        None,
        "assert_cardinality",
        f"Input dataset was expected to contain {expected} elements but contained {found} "
        "elements.",
    )


def assert_cardinality(expected_cardinality):
    """``tf.data.experimental.assert_cardinality``: for ``dataset.apply(...)``, declares the
    number of elements (a generator's, say), so that ``len`` and ``fit`` know it."""
    expected = as_int(expected_cardinality, "assert_cardinality", "expected_cardinality")
    return lambda dataset: AssertCardinalityDataset(dataset, expected)
