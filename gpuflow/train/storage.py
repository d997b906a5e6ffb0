"""Checkpoint files on disk: TensorFlow's layout in gpuflow's own safe encoding.

A checkpoint ``prefix`` is two files, as TensorFlow names them:

- ``prefix.data-00000-of-00001``: the values, an uncompressed NumPy ``.npz`` written by
  gpuflow's model-file writer (no pickle, SHA-256 of every array, written to a temporary
  file and renamed into place);
- ``prefix.index``: the object graph and the key, shape and dtype of every value, written
  the same way, after the data file, so a checkpoint is never visible half-written.

Not TensorFlow's binary format: TensorFlow cannot read these files, nor gpuflow
TensorFlow's. Reading checks each array's ``.npy`` header (dtype, shape) and stored size
against the index before allocating it, then its SHA-256.

The ``checkpoint`` state file of a directory lists the latest and all kept checkpoints in
TensorFlow's text format (``model_checkpoint_path: "ckpt-3"``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import zipfile
from pathlib import Path

import numpy as np

from ..errors import DataLossError, NotFoundError
from ..models.saving import read_file, write_file
from ..saving.archive import BF16_BITS, header_dtype, read_meta
from ..saving.atomic import atomic_write
from ..saving.errors import FileFormatError

DATA_SUFFIX = ".data-00000-of-00001"
INDEX_SUFFIX = ".index"
STATE_FILE = "checkpoint"
_FORMAT = "gpuflow-checkpoint"
_VERSION = 1
_SAFE_KINDS = "biuf"  # bool, ints, floats: no object arrays, ever


class CheckpointFormatError(DataLossError, FileFormatError):
    """A damaged or malformed checkpoint file: TensorFlow's ``DataLossError``, and the
    ``gpuflow.saving.FileFormatError`` every malformed gpuflow file raises."""

    def __init__(self, path, field: str, problem: str, op: str | None = None) -> None:
        DataLossError.__init__(self, None, op, problem)
        self.path, self.field, self.problem = str(path), field, problem

    def __reduce__(self):
        return type(self), (self.path, self.field, self.problem, self._op)


def _format_error(path, op, message) -> CheckpointFormatError:
    return CheckpointFormatError(path, "checkpoint", message, op)


def write_checkpoint(prefix: str, values: dict, graph: list) -> None:
    """Write ``values`` (``{key: array}``) and the serialized ``graph`` under ``prefix``."""
    keys = sorted(values)
    # np.asarray(order="C"), not ascontiguousarray: that one turns scalars into shape (1,)
    arrays = {f"t{i}": np.asarray(values[k], order="C") for i, k in enumerate(keys)}
    write_file(prefix + DATA_SUFFIX, {"kind": "checkpoint-data"}, arrays)
    index = {
        "kind": "checkpoint-index",
        "checkpoint_format": _FORMAT,
        "checkpoint_version": _VERSION,
        "graph": graph,
        "values": {
            k: {
                "array": f"t{i}",
                "shape": list(arrays[f"t{i}"].shape),
                "dtype": header_dtype(arrays[f"t{i}"]),
            }
            for i, k in enumerate(keys)
        },
    }
    write_file(prefix + INDEX_SUFFIX, index, {})


def read_index(prefix: str, op: str) -> dict:
    """The index of checkpoint ``prefix`` (graph and value table), verified."""
    path = Path(prefix + INDEX_SUFFIX)
    if not path.is_file():
        raise NotFoundError(
            None,
            op,
            f"{op}: no checkpoint at {prefix!r} (no file {path}); "
            "save one with checkpoint.save(prefix) first",
        )
    try:
        meta, _ = read_file(path, op)
    except ValueError as exc:
        raise _format_error(path, op, str(exc)) from None
    if meta.get("checkpoint_format") != _FORMAT:
        raise _format_error(path, op, f"{op}: {path} is not a gpuflow checkpoint index")
    if meta.get("checkpoint_version", 0) > _VERSION:
        raise _format_error(path, op, f"{op}: {path} was written by a newer gpuflow; upgrade")
    return meta


def read_values(prefix: str, index: dict, keys, op: str) -> dict:
    """``{key: array}`` for ``keys`` of checkpoint ``prefix``, each checked before allocation."""
    path = Path(prefix + DATA_SUFFIX)
    if not path.is_file():
        raise NotFoundError(None, op, f"{op}: checkpoint {prefix!r} has no data file {path}")
    table = index["values"]
    out = {}
    try:
        with zipfile.ZipFile(path) as archive:
            infos = {info.filename: info for info in archive.infolist()}
            try:  # the header alone: arrays are read below, only those asked for
                meta = read_meta(archive, infos, path, op, "gpuflow", 1)
            except FileFormatError as exc:
                raise _format_error(path, op, str(exc)) from None
            digests = meta["arrays"]
            for key in keys:
                entry = table[key]
                out[key] = _read_array(archive, entry, digests.get(entry["array"]), path, op)
    except (
        zipfile.BadZipFile,
        KeyError,
        OSError,
        EOFError,
        UnicodeDecodeError,
        TypeError,
        ValueError,
        RecursionError,
    ) as exc:  # a damaged file or a crafted index
        if isinstance(exc, CheckpointFormatError):
            raise
        raise _format_error(
            path, op, f"{op}: {path} is truncated or corrupt ({type(exc).__name__}: {exc})"
        ) from None
    return out


def _read_array(archive, entry, digest, path, op) -> np.ndarray:
    name = entry["array"]
    shape, dtype = tuple(entry["shape"]), np.dtype(entry["dtype"])
    bfloat16 = entry["dtype"] == "bfloat16"  # stored as its uint16 bit patterns
    if (dtype.kind not in _SAFE_KINDS and not bfloat16) or digest is None:
        raise _format_error(path, op, f"{op}: {path}: array {name} has dtype {dtype} or no digest")
    value_dtype, dtype = dtype, (BF16_BITS if bfloat16 else dtype)
    info = archive.getinfo(name + ".npy")
    with archive.open(info) as f:
        version = np.lib.format.read_magic(f)
        read_header = (
            np.lib.format.read_array_header_1_0
            if version == (1, 0)
            else np.lib.format.read_array_header_2_0
        )
        stored_shape, fortran, stored_dtype = read_header(f)
        nbytes = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
        if (
            stored_shape != shape
            or stored_dtype != dtype
            or fortran
            or info.file_size != f.tell() + nbytes
        ):
            raise _format_error(
                path,
                op,
                f"{op}: {path}: array {name} holds {stored_dtype} "
                f"{stored_shape} in {info.file_size} bytes, the index "
                f"declares {dtype} {shape}",
            )
        array = np.frombuffer(f.read(nbytes), dtype=dtype).reshape(shape)
    if hashlib.sha256(array.tobytes()).hexdigest() != digest["sha256"]:
        raise _format_error(path, op, f"{op}: {path}: array {name} fails its SHA-256 check")
    return array.copy().view(value_dtype)  # writable, owning its memory


# -- the `checkpoint` state file ---------------------------------------------------------------
def _atomic_write_text(path: Path, text: str) -> None:
    with atomic_write(path, "w") as f:
        f.write(text)


def write_state(
    directory, latest: str, all_paths: list, timestamps: list, last_preserved: float
) -> None:
    """Write ``directory/checkpoint`` in TensorFlow's text format (paths relative when inside)."""
    directory = Path(directory)

    def rel(p):
        p = str(p)
        return (
            os.path.relpath(p, directory) if Path(p).parent.resolve() == directory.resolve() else p
        )

    lines = [f"model_checkpoint_path: {json.dumps(rel(latest))}"]
    lines += [f"all_model_checkpoint_paths: {json.dumps(rel(p))}" for p in all_paths]
    lines += [f"all_model_checkpoint_timestamps: {t!r}" for t in timestamps]
    lines.append(f"last_preserved_timestamp: {last_preserved!r}")
    _atomic_write_text(directory / STATE_FILE, "\n".join(lines) + "\n")


def record_latest(directory, path: str) -> None:
    """Add checkpoint ``path`` to ``directory``'s state file as the latest (``Checkpoint.save``)."""
    import time

    state = read_state(directory) or {}
    paths = state.get("all_model_checkpoint_paths", [])
    stamps = state.get("all_model_checkpoint_timestamps", [])
    now = time.time()
    if len(stamps) != len(paths):  # a state file written by other means: no reliable times
        stamps = [now] * len(paths)
    kept = [(p, t) for p, t in zip(paths, stamps) if p != path] + [(path, now)]
    write_state(
        directory,
        path,
        [p for p, _ in kept],
        [t for _, t in kept],
        state.get("last_preserved_timestamp") or now,
    )


_LINE = re.compile(r'^\s*(\w+)\s*:\s*(".*"|[-+0-9.eE]+)\s*$')


def read_state(directory) -> "dict | None":
    """The state file of ``directory`` as a dict (paths joined to ``directory``); None if absent."""
    str_dir = os.fspath(directory)
    directory = Path(directory)
    path = directory / STATE_FILE
    if not path.is_file():
        return None
    state = {
        "model_checkpoint_path": None,
        "all_model_checkpoint_paths": [],
        "all_model_checkpoint_timestamps": [],
        "last_preserved_timestamp": None,
    }
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _LINE.match(line)
        if not match:
            continue
        key, raw = match.groups()
        value = json.loads(raw) if raw.startswith('"') else float(raw)
        if key in ("model_checkpoint_path", "all_model_checkpoint_paths"):
            # joined as TensorFlow does, keeping the caller's spelling ("./ckpts/ckpt-3")
            value = value if os.path.isabs(value) else os.path.join(str_dir, value)
        if isinstance(state.get(key), list):
            state[key].append(value)
        elif key in state:
            state[key] = value
    return state


def exists(prefix: str) -> bool:
    """Whether checkpoint ``prefix`` has its index file."""
    return Path(str(prefix) + INDEX_SUFFIX).is_file()


def delete(prefix: str) -> None:
    """Remove both files of checkpoint ``prefix`` (missing files are fine)."""
    for suffix in (INDEX_SUFFIX, DATA_SUFFIX):
        try:
            os.unlink(str(prefix) + suffix)
        except FileNotFoundError:
            pass
