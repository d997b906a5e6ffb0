"""``Dataset.window``: elements grouped into windows, each window a (nested) Dataset."""

from __future__ import annotations

from .. import nest
from . import structure
from .arguments import as_int
from .dataset import INFINITE, Dataset
from .sources import TensorSliceDataset
from .structure import DatasetSpec


def _positive(value, name: str) -> int:
    return as_int(value, "Dataset.window", name, minimum=1)


def _variant(window: Dataset) -> Dataset:
    window._tf_name = "_VariantDataset"  # as TensorFlow shows a window
    return window


class WindowDataset(Dataset):
    """Windows of ``size`` elements (every ``stride``-th), a new one every ``shift``."""

    def __init__(self, dataset, size, shift, stride, drop_remainder) -> None:
        super().__init__((dataset,))
        self._size = _positive(size, "size")
        self._shift = self._size if shift is None else _positive(shift, "shift")
        self._stride = _positive(stride, "stride")
        self._drop = bool(drop_remainder)

    def _compute_spec(self):
        return nest.map_structure(DatasetSpec, self._inputs[0].element_spec)

    def _cardinality(self) -> int:
        n = self._inputs[0]._cardinality()
        if n < 0:
            return n if n == INFINITE or not self._drop else n
        if self._drop:
            span = (self._size - 1) * self._stride + 1
            return 0 if n < span else (n - span) // self._shift + 1
        return -(-n // self._shift)

    def _window(self, elements: list):
        stacked = nest.flatten(structure.stack(elements, "Dataset.window"))
        return nest.pack_sequence_as(
            elements[0], [_variant(TensorSliceDataset(c)) for c in stacked]
        )

    def _elements(self, ctx):
        size, shift, stride = self._size, self._shift, self._stride
        span = (size - 1) * stride + 1
        buffer: list = []
        base = start = 0  # positions of buffer[0] and of the next window's first element

        def trim():
            nonlocal base
            drop = min(start - base, len(buffer))
            del buffer[:drop]
            base += drop

        for element in self._inputs[0]._elements(ctx):
            buffer.append(element)
            while len(buffer) >= start - base + span:
                offset = start - base
                yield self._window(buffer[offset : offset + span : stride])
                start += shift
                trim()
        if not self._drop:
            while start - base < len(buffer):
                offset = start - base
                yield self._window(buffer[offset : offset + span : stride])
                start += shift
                trim()


def window(self, size, shift=None, stride=1, drop_remainder=False, name=None) -> Dataset:
    """Group elements into windows; each window is a structure of datasets like an element.

    Args:
        size: elements per window.
        shift: elements between the starts of two windows (default ``size``).
        stride: take every ``stride``-th element inside a window.
        drop_remainder: drop the last windows when they hold fewer than ``size`` elements.
        name: unused; accepted for TensorFlow's signature.

    Example:
        >>> ds = gpuflow.data.Dataset.range(7).window(3, shift=1, drop_remainder=True)
        >>> ds = ds.flat_map(lambda w: w.batch(3))  # [0 1 2], [1 2 3], ... [4 5 6]
    """
    return WindowDataset(self, size, shift, stride, drop_remainder)
