"""``Dataset.cache``: keep the first full pass in memory or in a file; later passes read it.

The file is a NumPy ``.npz`` archive (no pickle): one stacked array per component when all
elements share its shape, else the raveled values and each element's shape; a ragged or
sparse component is stored as its parts (flat values and row splits; indices, values and
dense shape).
"""

from __future__ import annotations

import os
import tempfile

import numpy as np

from .. import nest
from . import composite, structure
from .dataset import Dataset, IndexPlan


def _stack_components(elements: list, structure_of):
    """The elements as stacked arrays per component, or None if some component's shape varies."""
    flat = [nest.flatten(e) for e in elements]
    columns = list(zip(*flat))
    if structure.has_composites(elements[0]):  # ragged or sparse: kept element by element
        return None
    if any(len({a.shape for a in column}) > 1 for column in columns):
        return None
    return nest.pack_sequence_as(structure_of, [np.stack(column) for column in columns])


class CacheDataset(Dataset):
    """Reads the input once; a pass stopped early leaves nothing cached (as TensorFlow)."""

    _fingerprint_skip = ("_stacked", "_elements_list")  # what a pass filled in: state

    def __init__(self, dataset, filename) -> None:
        super().__init__((dataset,))
        if not isinstance(filename, (str, os.PathLike)):
            raise TypeError(f"Dataset.cache: filename must be a str, received {filename!r}")
        self._path = os.fspath(filename) + ".npz" if os.fspath(filename) else None
        self._stacked = None  # the cached elements, stacked per component
        self._elements_list = None  # the cached elements, when shapes vary

    def _compute_spec(self):
        return self._inputs[0].element_spec

    def _cardinality(self) -> int:
        return self._inputs[0]._cardinality()

    def _index_plan(self):
        if self._stacked is None and self._path is not None and os.path.exists(self._path):
            self._load()
        if self._stacked is None:
            return None
        n = len(nest.flatten(self._stacked)[0])
        return IndexPlan(self._stacked, lambda ctx: iter((np.arange(n, dtype=np.int64),)))

    def _elements(self, ctx):
        if (
            self._stacked is None
            and self._elements_list is None
            and self._path is not None
            and os.path.exists(self._path)
        ):
            self._load()
        if self._stacked is not None:
            flat = nest.flatten(self._stacked)
            pack = structure.packer(self._stacked)
            for i in range(len(flat[0])):
                yield pack([a[i, ...] for a in flat])
            return
        if self._elements_list is not None:
            yield from self._elements_list
            return
        collected = []
        for element in self._inputs[0]._elements(ctx):
            collected.append(element)
            yield element
        self._store(collected)  # reached only when the pass ran to its end

    def _store(self, elements: list) -> None:
        structure_of = self.element_spec if not elements else elements[0]
        stacked = _stack_components(elements, structure_of) if elements else None
        if stacked is not None:
            self._stacked = stacked
        else:
            self._elements_list = elements
        if self._path is not None:
            _write(self._path, [_components(e) for e in elements])

    def _load(self) -> None:
        with np.load(self._path, allow_pickle=False) as archive:
            count = int(archive["count"])
            specs = nest.flatten(self.element_spec)
            sizes = [composite.component_count(s) for s in specs]
            columns = []
            for i in range(sum(sizes) if count else 0):
                if f"c{i}" in archive:
                    columns.append(list(archive[f"c{i}"]))
                else:
                    values, shapes = archive[f"c{i}_values"], archive[f"c{i}_shapes"]
                    sizes = [int(np.prod(s)) for s in shapes]
                    starts = np.cumsum([0] + sizes)
                    columns.append(
                        [values[starts[j] : starts[j + 1]].reshape(shapes[j]) for j in range(count)]
                    )
        bounds = np.cumsum([0] + sizes)
        elements = [
            nest.pack_sequence_as(
                self.element_spec,
                [
                    composite.from_components(s, [c[j] for c in columns[lo:hi]])
                    for s, lo, hi in zip(specs, bounds[:-1], bounds[1:])
                ],
            )
            for j in range(count)
        ]
        stacked = _stack_components(elements, self.element_spec) if elements else None
        if stacked is not None:
            self._stacked = stacked
        else:
            self._elements_list = elements


def _components(element) -> list:
    """An element's leaves as plain arrays (a ragged or sparse leaf as its parts)."""
    return [a for leaf in nest.flatten(element) for a in composite.components(leaf)]


def _write(path: str, flat_elements: list) -> None:
    """Write atomically (a temporary file renamed), so a crash never leaves half a cache."""
    arrays = {"count": np.asarray(len(flat_elements))}
    for i, column in enumerate(zip(*flat_elements)):
        if len({a.shape for a in column}) == 1:
            arrays[f"c{i}"] = np.stack(column)
        else:
            arrays[f"c{i}_values"] = np.concatenate([a.ravel() for a in column])
            arrays[f"c{i}_shapes"] = np.asarray([a.shape for a in column], dtype=np.int64)
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise FileNotFoundError(
            f"Dataset.cache: cannot write the cache {path}: the folder {folder} does not exist"
        )
    fd, tmp = tempfile.mkstemp(suffix=".npz", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            np.savez(handle, **arrays)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def cache(self, filename="", name=None) -> Dataset:
    """Cache the elements of the first complete pass.

    Args:
        filename: "" to cache in memory; else a path prefix: the cache is written to
            ``filename + ".npz"`` and later datasets with the same filename read it instead
            of their input.
        name: unused; accepted for TensorFlow's signature.
    """
    return CacheDataset(self, filename)
