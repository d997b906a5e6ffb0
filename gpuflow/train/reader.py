"""Reading a checkpoint's values by key: ``tf.train.load_checkpoint``, ``list_variables``."""

from __future__ import annotations

import json
import os

import numpy as np

from .. import dtypes
from ..errors import NotFoundError
from . import storage

GRAPH_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH"


def _resolve(ckpt_dir_or_file, op) -> str:
    path = os.fspath(ckpt_dir_or_file)
    if os.path.isdir(path):
        from .manager import latest_checkpoint

        latest = latest_checkpoint(path)
        if latest is None:
            raise NotFoundError(None, op, f"{op}: no checkpoint in directory {path!r}")
        return latest
    return path


class CheckpointReader:
    """The values of one checkpoint, read on demand (``tf.train.load_checkpoint``'s result)."""

    def __init__(self, prefix: str) -> None:
        self._prefix = prefix
        self._index = storage.read_index(prefix, "load_checkpoint")
        # tf.train.Checkpoint's files hold their object graph; a TF 1 Saver's only values
        self._object_based = bool(self._index["graph"])

    def has_tensor(self, key: str) -> bool:
        return key in self._index["values"] or (key == GRAPH_KEY and self._object_based)

    def get_tensor(self, key: str):
        """The saved value of ``key`` as a NumPy array.

        Raises:
            NotFoundError: for a key the checkpoint does not hold.
        """
        if key == GRAPH_KEY and self._object_based:
            return json.dumps(self._index["graph"]).encode("utf-8")
        if key not in self._index["values"]:
            raise NotFoundError(
                None, "get_tensor", f"Key {key} not found in checkpoint {self._prefix!r}"
            )
        return storage.read_values(self._prefix, self._index, [key], "get_tensor")[key]

    def get_variable_to_shape_map(self) -> dict:
        out = {k: list(v["shape"]) for k, v in self._index["values"].items()}
        if self._object_based:
            out[GRAPH_KEY] = []
        return out

    def get_variable_to_dtype_map(self) -> dict:
        out = {k: dtypes.as_dtype(np.dtype(v["dtype"])) for k, v in self._index["values"].items()}
        if self._object_based:
            out[GRAPH_KEY] = np.dtype(object)
        return out


def load_checkpoint(ckpt_dir_or_file) -> CheckpointReader:
    """A reader of a checkpoint prefix, or of the latest checkpoint in a directory."""
    return CheckpointReader(_resolve(ckpt_dir_or_file, "load_checkpoint"))


def list_variables(ckpt_dir_or_file) -> list:
    """``[(key, shape)]`` of every value in the checkpoint, sorted by key (as TensorFlow)."""
    reader = load_checkpoint(ckpt_dir_or_file)
    return sorted(reader.get_variable_to_shape_map().items())


def load_variable(ckpt_dir_or_file, name: str):
    """The saved value of key ``name`` as a NumPy array."""
    return load_checkpoint(ckpt_dir_or_file).get_tensor(name)
