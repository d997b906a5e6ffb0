"""Saving and loading models: one file, no code executed on load, written atomically.

The file is an uncompressed NumPy ``.npz`` (a zip of ``.npy`` arrays, read with
``allow_pickle=False``) holding a JSON header (architecture, compile settings, the
name, shape, dtype and SHA-256 of every array) and the weights and optimizer state.
A temporary file in the same folder is renamed over the target only once fully
written, so a crash mid-save leaves the previous file intact.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from ..backend import rng_untouched
from ..saving.errors import FileFormatError, allocation_budget

FORMAT = "gpuflow"
VERSION = 1
_META = "__meta__"


def _digest(array: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()


def write_file(path, meta: dict, arrays: dict, overwrite: bool = True) -> None:
    """Write ``meta`` and ``arrays`` to ``path`` atomically."""
    path = Path(path)
    if path.exists() and not overwrite:
        raise FileExistsError(f"save: {path} exists and overwrite=False")
    if path.is_dir():
        raise IsADirectoryError(f"save: {path} is a folder; give a file path such as {path / 'model.gpuflow'}")
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = dict(meta, format=FORMAT, version=VERSION,
                arrays={k: {"shape": list(a.shape), "dtype": a.dtype.str, "sha256": _digest(a)}
                        for k, a in arrays.items()})
    header = np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **{_META: header}, **arrays)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _check_member_sizes(archive, path) -> None:
    """Zip members declared over the limits, or inflating past their declared size, refused
    before NumPy allocates (the same limits as Keras files: gpuflow.saving.errors)."""
    from ..saving.errors import MAX_JSON_BYTES, check_array_size

    total = [0]
    for info in archive.zip.infolist():
        limit_field = info.filename
        if info.filename == f"{_META}.npy" and info.file_size > MAX_JSON_BYTES + 128:
            raise FileFormatError(path, limit_field, "header over the size limit")
        check_array_size(path, limit_field, [info.file_size], 1, total)


def read_file(path, op: str) -> tuple[dict, dict]:
    """``(meta, arrays)`` from ``path``, verified; a clear error for anything else."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{op}: no such file: {path}")
    try:
        with np.load(path, allow_pickle=False) as archive:
            _check_member_sizes(archive, path)
            meta = json.loads(bytes(archive[_META]).decode("utf-8"))
            arrays = {k: archive[k] for k in archive.files if k != _META}
    except (zipfile.BadZipFile, ValueError, KeyError, OSError, EOFError, UnicodeDecodeError,
            RecursionError) as exc:
        if isinstance(exc, FileFormatError):
            raise
        raise FileFormatError(path, "archive", f"{op}: not a readable gpuflow file (truncated "
                              f"or corrupt: {type(exc).__name__}: {exc})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        found = meta.get("format") if isinstance(meta, dict) else "?"
        raise FileFormatError(path, "header format", f"{op}: not a gpuflow file (format {found!r})")
    version = meta.get("version", 0)
    if not isinstance(version, int):
        raise FileFormatError(path, "header version", f"{op}: not an integer: {version!r}")
    if version > VERSION:
        raise FileFormatError(path, "header version", f"{op}: written by a newer gpuflow (file "
                              f"version {version}, this gpuflow reads up to {VERSION}); upgrade")
    expected = meta.get("arrays", {})
    if not isinstance(expected, dict) or set(expected) != set(arrays):
        raise FileFormatError(path, "header arrays", f"{op}: damaged: its arrays differ from "
                              "those its header lists")
    for key, array in arrays.items():
        entry = expected[key]
        if not isinstance(entry, dict) or _digest(array) != entry.get("sha256"):
            raise FileFormatError(path, f"array {key}", f"{op}: damaged or was modified: array "
                                  f"{key!r} fails its SHA-256 check")
    return meta, arrays


# -- models -------------------------------------------------------------------------------
def _weight_arrays(model) -> dict:
    return {f"weight.{i}": v.numpy() for i, v in enumerate(model.weights)}


def file_format(path) -> str:
    """The format a model or weights file is written in, chosen from its name, as Keras 3.

    ``"keras"`` for ``*.keras`` (Keras 3's zip archive), ``"h5"`` for ``*.weights.h5`` (Keras 3's
    HDF5 weights) and ``"legacy_h5"`` for other ``*.h5``/``*.hdf5`` (tf.keras 2's full-model
    file; read only). Anything else is ``"gpuflow"``, gpuflow's own checked format, which also
    holds what Keras' files cannot (see docs/saving.md).
    """
    name = str(path).lower()
    if name.endswith(".keras"):
        return "keras"
    if name.endswith(".weights.h5"):
        return "h5"
    if name.endswith((".h5", ".hdf5")):
        return "legacy_h5"
    return FORMAT


def _input_shape(model):
    shape = getattr(model, "_data_shape", None)
    if shape is None:  # built by a call, not by fit/predict: the sample shape of that call
        built = getattr(model, "_build_input_shape", None)
        plain = isinstance(built, tuple) and all(n is None or isinstance(n, int) for n in built)
        if plain and built:
            shape = built[1:]
    return list(shape) if shape is not None else None


def _check_format(path, op: str = "save") -> None:
    if file_format(path) == "legacy_h5":
        raise ValueError(f"{op}: gpuflow does not write the legacy HDF5 format ({path}); use "
                         "a '.keras' file (Keras 3's format) or '.weights.h5' for weights")


def save_model(model, path, overwrite: bool = True, include_optimizer: bool = True) -> None:
    from ..saving.object_registration import get_registered_name

    _check_format(path)
    if file_format(path) == "keras":
        from ..saving import keras_archive

        return keras_archive.save(model, path, overwrite, include_optimizer)
    meta = {
        "kind": "model",
        "class_name": type(model).__name__,
        "registered_name": get_registered_name(type(model)),
        "config": model.get_config(),
        "input_shape": _input_shape(model),
        "weight_names": [v.name for v in model.weights],
        "compile": model._compile_config,
    }
    arrays = _weight_arrays(model)
    if include_optimizer and model.optimizer is not None:
        for key, value in model.optimizer.get_state(model.trainable_variables).items():
            arrays[f"optimizer.{key}"] = np.asarray(value)
    write_file(path, meta, arrays, overwrite)


def load_model(path, custom_objects=None, compile: bool = True, safe_mode: bool = True):
    """Rebuild a model saved by ``model.save(path)``: architecture, weights, optimizer state.

    Args:
        custom_objects: ``{"ClassName": cls}`` for custom layers and subclassed models.
        compile: also restore the optimizer (with its state), loss and metrics.
        safe_mode: refuse to run code stored in the file (a Lambda layer's lambda), as Keras.
    """
    from ..layers.safe_mode import SafeModeScope

    kind = file_format(path)
    if kind in ("keras", "legacy_h5"):
        from ..saving import keras_archive, legacy_h5

        loader = keras_archive.load if kind == "keras" else legacy_h5.load
        return loader(path, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode)
    if kind == "h5":
        raise FileFormatError(path, "file name", "a '.weights.h5' file holds weights only; "
                              "build the model and call model.load_weights")
    meta, arrays = read_file(path, "load_model")
    # The initial weights are overwritten: don't advance the seeded streams. The model may
    # allocate no more than the file's arrays hold (a crafted header cannot ask for more).
    stored = sum(int(a.nbytes) for a in arrays.values())
    with rng_untouched(), SafeModeScope(safe_mode), allocation_budget(path, stored):
        model = _rebuild(meta, path, custom_objects)
    _assign_weights(model, meta, arrays, path, "load_model")
    if compile and meta.get("compile"):
        from .. import losses, optimizers

        cfg = meta["compile"]
        model.compile(optimizer=optimizers.deserialize(cfg["optimizer"], custom_objects=custom_objects),
                      loss=losses.deserialize(cfg["loss"], custom_objects=custom_objects) if cfg.get("loss") else None,
                      metrics=cfg.get("metrics") or None)
        state = {k[len("optimizer."):]: v for k, v in arrays.items() if k.startswith("optimizer.")}
        if state:
            model.optimizer.set_state(model.trainable_variables, state)
    return model


def _rebuild(meta, path, custom_objects):
    from .sequential import Sequential

    if meta.get("kind") != "model":
        raise ValueError(f"load_model: {path} holds weights only; build the model and call "
                         f"model.load_weights({str(path)!r})")
    from ..saving.object_registration import lookup
    from .functional import Functional

    name = meta["class_name"]
    custom_objects = dict(custom_objects or {})
    if name == "Sequential":
        model = Sequential.from_config(meta["config"], custom_objects=custom_objects)
    elif name == "Functional":
        model = Functional.from_config(meta["config"], custom_objects=custom_objects)
    else:
        cls = lookup([meta.get("registered_name"), name], custom_objects)
        if cls is None:
            raise ValueError(f"load_model: {path} holds a subclassed model {name!r}; register its "
                             "class with @keras.saving.register_keras_serializable() or pass "
                             f"custom_objects={{{name!r}: {name}}}")
        model = cls.from_config(meta["config"])
    if meta.get("input_shape"):
        model._build_for(tuple(meta["input_shape"]), "load_model")
    return model


def _assign_weights(model, meta, arrays, path, op) -> None:
    count = len([k for k in arrays if k.startswith("weight.")])
    weights = [arrays[f"weight.{i}"] for i in range(count)]
    if len(weights) != len(model.weights):
        raise ValueError(f"{op}: {path} holds {len(weights)} weight arrays but model {model.name!r} has "
                         f"{len(model.weights)}; was it saved from a different architecture?")
    model.set_weights(weights)


def save_weights(model, path, overwrite: bool = True) -> None:
    _check_format(path, "save_weights")
    if file_format(path) == "keras":
        raise ValueError(f"save_weights: {path} is a model file name; weights files end in "
                         "'.weights.h5' (Keras' format) or another suffix (gpuflow's format)")
    if file_format(path) == "h5":
        from ..saving import keras_weights

        return keras_weights.save_weights(model, path, overwrite)
    meta = {"kind": "weights", "class_name": type(model).__name__, "input_shape": _input_shape(model),
            "weight_names": [v.name for v in model.weights]}
    write_file(path, meta, _weight_arrays(model), overwrite)


def load_weights(model, path) -> None:
    if file_format(path) in ("h5", "legacy_h5"):
        from ..saving import keras_weights

        return keras_weights.load_weights(model, path)
    if file_format(path) == "keras":
        from ..saving import keras_archive

        archive, _ = keras_archive.open_archive(path)
        with archive:
            h5, tmp = keras_archive.read_weights_member(archive, path)
            with tmp, h5:
                from ..saving import keras_h5

                model.set_weights(keras_h5.read(h5, model, path))
        return
    meta, arrays = read_file(path, "load_weights")
    if not model.built and meta.get("input_shape"):
        with rng_untouched():
            model._build_for(tuple(meta["input_shape"]), "load_weights")
    _assign_weights(model, meta, arrays, path, "load_weights")
