"""``Dataset.save`` and ``Dataset.load`` in gpuflow's own dataset format.

This is not TensorFlow's snapshot format: TensorFlow cannot read what gpuflow saves, and
gpuflow cannot read what TensorFlow saves (``load`` says so). A saved dataset is a
directory with

- ``gpuflow_dataset.json``: the format name and version, the element spec (tuples, dicts
  and tensor specs), and the shard files with their element counts;
- ``shard-NNNNN.npz``: one file per shard (``shard_func``'s value; one shard by default),
  each element's components stored as arrays keyed ``e<element>_<component>`` (NumPy's
  .npz, gzip-compressed with ``compression="GZIP"``; strings, ragged and sparse
  components as plain arrays, see ``saved_leaves.py``). Loading never unpickles anything.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from .. import nest
from ..backend import current_device
from ..errors import NotFoundError
from ..tensor_spec import RaggedTensorSpec, TensorSpec
from ..type_specs import SparseTensorSpec
from . import functions, saved_leaves, structure
from .dataset import Dataset, IterContext

FORMAT = "gpuflow-dataset"
VERSION = 1
_INDEX = "gpuflow_dataset.json"


def _shape_json(shape):
    return None if shape is None or shape.rank is None else list(shape)


def _spec_to_json(spec):
    if isinstance(spec, RaggedTensorSpec):
        return {
            "kind": "ragged",
            "shape": _shape_json(spec.shape),
            "dtype": spec.dtype.name,
            "ragged_rank": int(spec.ragged_rank),
        }
    if isinstance(spec, SparseTensorSpec):
        return {"kind": "sparse", "shape": _shape_json(spec.shape), "dtype": spec.dtype.name}
    if isinstance(spec, TensorSpec):
        return {"kind": "tensor", "shape": _shape_json(spec.shape), "dtype": spec.dtype.name}
    if isinstance(spec, Mapping):
        return {"kind": "dict", "items": {str(k): _spec_to_json(v) for k, v in spec.items()}}
    if isinstance(spec, tuple) and not hasattr(spec, "_fields"):
        return {"kind": "tuple", "items": [_spec_to_json(s) for s in spec]}
    raise TypeError(
        f"Dataset.save: elements of {type(spec).__name__} ({spec!r}) cannot be saved; "
        "gpuflow saves tensors, RaggedTensors and SparseTensors in tuples and dicts"
    )


def _spec_from_json(data):
    kind = data.get("kind")
    if kind == "tensor":
        return TensorSpec(data["shape"], data["dtype"])
    if kind == "ragged":
        return RaggedTensorSpec(data["shape"], data["dtype"], data["ragged_rank"])
    if kind == "sparse":
        return SparseTensorSpec(data["shape"], data["dtype"])
    if kind == "dict":
        return {k: _spec_from_json(v) for k, v in data["items"].items()}
    if kind == "tuple":
        return tuple(_spec_from_json(s) for s in data["items"])
    raise ValueError(f"Dataset.load: unknown element spec entry {data!r}")


def save(self, path, compression=None, shard_func=None, checkpoint_args=None) -> None:
    """Write the dataset's elements to the directory ``path`` (gpuflow's own format; see
    the module docstring).

    Args:
        path: a directory (created; an existing gpuflow dataset there is replaced).
        compression: None or "GZIP".
        shard_func: ``element -> int`` choosing each element's shard file (default 0).
        checkpoint_args: not supported (must be None).
    """
    if compression not in (None, "GZIP", ""):
        raise ValueError(f"Dataset.save: compression must be None or 'GZIP', got {compression!r}")
    if checkpoint_args is not None:
        raise NotImplementedError("Dataset.save: checkpoint_args is not supported by gpuflow")
    spec_json = _spec_to_json(self.element_spec)
    root = Path(os.fspath(path))
    root.mkdir(parents=True, exist_ok=True)
    ctx = IterContext(current_device())
    shards: dict = {}
    for index, element in enumerate(self._elements(ctx)):
        shard = 0
        if shard_func is not None:
            value = functions.call(shard_func, element, ctx, "Dataset.save", index)
            shard = int(np.asarray(value.numpy() if hasattr(value, "numpy") else value))
            if shard < 0:
                raise ValueError(f"Dataset.save: shard_func returned {shard}, expected >= 0")
        shards.setdefault(shard, []).append(nest.flatten(element))
    for old in root.glob("shard-*.npz"):
        old.unlink()
    writer = np.savez_compressed if compression == "GZIP" else np.savez
    files = []
    for shard in sorted(shards):
        name = f"shard-{shard:05d}.npz"
        arrays: dict = {}
        for i, leaves in enumerate(shards[shard]):
            for j, leaf in enumerate(leaves):
                saved_leaves.put(arrays, f"e{i}_{j}", leaf)
        with open(root / name, "wb") as f:
            writer(f, **arrays)
        files.append({"file": name, "elements": len(shards[shard])})
    index = {"format": FORMAT, "version": VERSION, "element_spec": spec_json, "shards": files}
    (root / _INDEX).write_text(json.dumps(index, indent=1))


class LoadedDataset(Dataset):
    """The elements of a directory written by ``Dataset.save``."""

    def __init__(self, path: Path, index: dict, element_spec) -> None:
        super().__init__()
        self._path = path
        self._shards = index["shards"]
        self._spec = element_spec
        self._leaf_specs = nest.flatten(element_spec)

    def _compute_spec(self):
        return self._spec

    def _cardinality(self) -> int:
        return sum(int(s["elements"]) for s in self._shards)

    def _elements(self, ctx):
        pack = structure.packer(self._spec)
        for shard in self._shards:
            with np.load(self._path / shard["file"], allow_pickle=False) as data:
                for i in range(int(shard["elements"])):
                    yield pack(
                        [
                            saved_leaves.get(data, f"e{i}_{j}", spec)
                            for j, spec in enumerate(self._leaf_specs)
                        ]
                    )


class _ReadDataset(Dataset):
    """What ``reader_func`` returned, reporting the saved number of elements as its
    cardinality, as TensorFlow's loaded dataset does (an interleave of the shards alone
    would not know it)."""

    def __init__(self, dataset: Dataset, count: int) -> None:
        super().__init__((dataset,))
        self._count = count

    def _compute_spec(self):
        return self._inputs[0].element_spec

    def _cardinality(self) -> int:
        return self._count

    def _elements(self, ctx):
        return self._inputs[0]._elements(ctx)


def load(path, element_spec=None, compression=None, reader_func=None, wait=False) -> Dataset:
    """A dataset of the elements ``Dataset.save`` wrote to ``path``.

    ``reader_func``, as TensorFlow's, receives a dataset whose elements are the datasets of
    the shards (in shard order) and returns the dataset to read, e.g.
    ``lambda shards: shards.interleave(lambda d: d, cycle_length=2)``; without it the
    shards are read one after another.

    Raises:
        NotFoundError: ``path`` holds no dataset gpuflow saved (TensorFlow's own saved
            datasets cannot be read by gpuflow).
        ValueError: ``element_spec`` differs from the saved one.
        TypeError: ``reader_func`` is not callable or does not return a Dataset.
    """
    if reader_func is not None and not callable(reader_func):
        raise TypeError(f"Dataset.load: reader_func must be callable, received {reader_func!r}")
    root = Path(os.fspath(path))
    index_file = root / _INDEX
    if not index_file.is_file():
        hint = (
            " (it looks like TensorFlow's saved-dataset format, which gpuflow cannot read)"
            if (root / "dataset_spec.pb").exists() or (root / "snapshot.metadata").exists()
            else ""
        )
        raise NotFoundError(
            None, "Dataset.load", f"Dataset.load: no dataset saved by gpuflow at {root}{hint}"
        )
    index = json.loads(index_file.read_text())
    if index.get("format") != FORMAT or index.get("version") != VERSION:
        raise ValueError(f"Dataset.load: {index_file} is not a {FORMAT} version {VERSION} index")
    saved_spec = _spec_from_json(index["element_spec"])
    if element_spec is not None and (
        not structure.same_structure(element_spec, saved_spec)
        or [s.dtype for s in nest.flatten(element_spec)]
        != [s.dtype for s in nest.flatten(saved_spec)]
    ):
        raise ValueError(
            f"Dataset.load: element_spec {element_spec!r} does not match the saved {saved_spec!r}"
        )
    spec = saved_spec if element_spec is None else element_spec
    if reader_func is None:
        return LoadedDataset(root, index, spec)
    from .sources import range_

    shards = index["shards"]
    datasets = range_(len(shards)).map(
        lambda i: LoadedDataset(root, {**index, "shards": [shards[int(i)]]}, spec)
    )
    out = reader_func(datasets)
    if not isinstance(out, Dataset):
        raise TypeError(
            f"Dataset.load: reader_func must return a Dataset, received {type(out).__name__}"
        )
    return _ReadDataset(out, sum(int(s["elements"]) for s in shards))
