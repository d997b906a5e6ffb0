"""Which elements pass, decided element by element: ``take_while``, ``unique`` and
``ignore_errors``; and ``rebatch``, which regroups batches into batches of other sizes."""

from __future__ import annotations

import numpy as np

from .. import nest
from ..errors import OpError
from ..logger import get_logger
from . import functions, structure
from .arguments import as_int
from .dataset import INFINITE, UNKNOWN, Dataset
from .structure import stack as _stack


class TakeWhileDataset(Dataset):
    """The elements up to (not including) the first for which ``predicate`` is False."""

    def __init__(self, dataset, predicate) -> None:
        if not callable(predicate):
            raise TypeError(
                "Dataset.take_while: predicate must be callable, received "
                f"{type(predicate).__name__}"
            )
        super().__init__((dataset,))
        self._predicate = functions.bound_now(predicate)

    def _compute_spec(self):
        return self._inputs[0].element_spec

    def _cardinality(self) -> int:
        return UNKNOWN  # as TensorFlow

    def _elements(self, ctx):
        for index, element in enumerate(self._inputs[0]._elements(ctx)):
            keep = functions.call(self._predicate, element, ctx, "Dataset.take_while", index)
            if not functions.predicate_value(keep, "Dataset.take_while"):
                return
            yield element


_UNIQUE_KINDS = ("i", "O", "S", "U")  # int32/int64 and strings, as TensorFlow


class UniqueDataset(Dataset):
    """Each distinct element once, in the order of first appearance."""

    def __init__(self, dataset) -> None:
        spec = dataset.element_spec
        if nest.is_nested(spec) or structure.has_composites(spec):
            raise TypeError(
                "Dataset.unique: only datasets with a single component, a dense tensor, "
                f"are supported, received element_spec {spec!r}"
            )
        dtype = np.dtype(spec.dtype.as_numpy_dtype) if spec.dtype != "string" else np.dtype("O")
        if dtype.kind not in _UNIQUE_KINDS or (dtype.kind == "i" and dtype.itemsize < 4):
            raise TypeError(
                f"Dataset.unique: elements of type {spec.dtype.name} are not supported; only "
                "int32, int64 and string are"
            )
        super().__init__((dataset,))

    def _compute_spec(self):
        return self._inputs[0].element_spec

    def _cardinality(self) -> int:
        return UNKNOWN  # as TensorFlow

    def _elements(self, ctx):
        seen = set()
        for element in self._inputs[0]._elements(ctx):
            key = (
                element.shape,
                repr(element.tolist()) if element.dtype == object else element.tobytes(),
            )
            if key in seen:
                continue
            seen.add(key)
            yield element


class IgnoreErrorsDataset(Dataset):
    """The input's elements, dropping those whose computation raised an op error
    (``tf.errors.OpError``: a failed ``check_numerics`` in ``map``, ...). The functions of
    ``map`` and ``filter`` upstream drop their element and the pass goes on; a source that
    raised (a generator) has ended, so the pass ends there."""

    def __init__(self, dataset, log_warning: bool) -> None:
        super().__init__((dataset,))
        self._log = bool(log_warning)

    def _compute_spec(self):
        return self._inputs[0].element_spec

    def _cardinality(self) -> int:
        return UNKNOWN  # as TensorFlow

    def _elements(self, ctx):
        skipping = ctx.skipping_errors("log" if self._log else True)
        source = self._inputs[0]._elements(skipping)
        while True:
            try:
                element = next(source)
            except StopIteration:
                return
            except OpError as exc:
                if self._log:
                    get_logger().warning("Dataset.ignore_errors: the pass ended on: %s", exc)
                return
            yield element


class RebatchDataset(Dataset):
    """The input's batches regrouped into batches of ``batch_size`` rows (a list of sizes
    is used in turn), as if unbatched and batched again."""

    def __init__(self, dataset, batch_size, drop_remainder) -> None:
        spec = dataset.element_spec
        structure.unbatched_spec(spec, "Dataset.rebatch")
        sizes = batch_size.numpy().tolist() if hasattr(batch_size, "numpy") else batch_size
        if isinstance(sizes, (list, tuple)):
            if not sizes:
                raise ValueError("Dataset.rebatch: batch_size must not be an empty list")
            self._sizes = [as_int(s, "Dataset.rebatch", "batch_size", minimum=1) for s in sizes]
        else:
            self._sizes = [as_int(sizes, "Dataset.rebatch", "batch_size", minimum=1)]
        super().__init__((dataset,))
        self._drop = bool(drop_remainder)

    def _compute_spec(self):
        fixed = len(self._sizes) == 1 and self._drop
        return structure.batched_spec(
            structure.unbatched_spec(self._inputs[0].element_spec, "Dataset.rebatch"),
            self._sizes[0] if fixed else None,
        )

    def _cardinality(self) -> int:
        n = self._inputs[0]._cardinality()
        return INFINITE if n == INFINITE else UNKNOWN

    def _elements(self, ctx):
        turn = 0
        rows: list = []
        for element in self._inputs[0]._elements(ctx):
            for row in structure.unstack(element, "Dataset.rebatch"):
                rows.append(row)
                if len(rows) == self._sizes[turn]:
                    yield _stack(rows, "Dataset.rebatch")
                    rows = []
                    turn = (turn + 1) % len(self._sizes)
        if rows and not self._drop:
            yield _stack(rows, "Dataset.rebatch")


def take_while(self, predicate, name=None) -> Dataset:
    """The elements while ``predicate(element)`` (a scalar bool tensor) is True; stops at
    the first False."""
    return TakeWhileDataset(self, predicate)


def unique(self, name=None) -> Dataset:
    """Each distinct element once, in order of first appearance (int32, int64 or string
    elements of one component, as TensorFlow)."""
    return UniqueDataset(self)


def ignore_errors(self, log_warning=False, name=None) -> Dataset:
    """Drop the elements whose computation raised a ``tf.errors.OpError`` (as a failed
    ``tf.debugging.check_numerics`` in ``map``) instead of stopping the pass."""
    return IgnoreErrorsDataset(self, log_warning)


def rebatch(self, batch_size, drop_remainder=False, name=None) -> Dataset:
    """Regroup batched elements into batches of ``batch_size`` rows (an int, or a list of
    sizes used in turn); ``drop_remainder`` drops a last, smaller batch."""
    return RebatchDataset(self, batch_size, drop_remainder)
