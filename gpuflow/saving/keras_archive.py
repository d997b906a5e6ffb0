"""Keras 3 ``.keras`` archives: a zip of ``config.json``, ``metadata.json``, ``model.weights.h5``.

Written so that real Keras 3 loads them, and read from files real Keras 3 wrote. No pickle and
no code run from the file (a Lambda layer is refused in safe mode); every zip member's size is
checked against its declared size and the limits of :mod:`gpuflow.saving.errors` while it is
read, so a zip bomb stops at its declared size.
"""

from __future__ import annotations

import datetime
import json
import os
import tempfile
import warnings
import zipfile
from pathlib import Path

from . import keras_assets, keras_config, keras_h5, keras_user_assets
from .errors import FileFormatError, UnknownObjectError, raised_in_user_code
from .keras_objects import serialize_keras_object
from .limits import MAX_JSON_BYTES, MAX_TOTAL_BYTES, check_json_depth, weight_budget
from .object_registration import custom_object_scope, user_module

CONFIG, METADATA, WEIGHTS = "config.json", "metadata.json", "model.weights.h5"
KERAS_VERSION = "3.15.1"  # the Keras version whose layout this writes
_CHUNK = 1 << 20


def _h5py():
    try:
        import h5py
    except ImportError:
        raise ImportError(
            "Keras files (.keras, .weights.h5, .h5) need h5py: pip install 'gpuflow[keras]'"
        ) from None
    return h5py


# -- atomic writing ---------------------------------------------------------------------------
def atomic_write(path, write, overwrite: bool) -> None:
    """Call ``write(tmp_path)``, then rename the temporary file over ``path``."""
    path = Path(path)
    if path.exists() and not overwrite:
        raise FileExistsError(f"save: {path} exists and overwrite=False")
    if path.is_dir():
        raise IsADirectoryError(f"save: {path} is a folder; give a file path")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


# -- configs -----------------------------------------------------------------------------------
def model_config(model) -> dict:
    """``config.json`` for ``model``, in Keras 3's layout."""
    from ..layers.serialization import serialize

    name = type(model).__name__
    if name in ("Sequential", "Functional"):
        out = keras_config.model_config_to_keras(name, model.get_config())
    else:
        spec = serialize(model)
        out = {
            "module": getattr(type(model), "_keras_module", user_module(type(model))),
            "class_name": name,
            "config": spec["config"],
            "registered_name": spec.get("registered_name", name),
        }
        shape = getattr(model, "_build_input_shape", None)
        out["build_config"] = {"input_shape": list(shape) if isinstance(shape, tuple) else None}
        if _overrides(model, "get_build_config"):  # e.g. FeatureSpace: its preprocessors'
            out["build_config"] = model.get_build_config()
    if not hasattr(model, "get_compile_config"):  # a plain layer (FeatureSpace.save)
        out["compile_config"] = None
    elif _user_defined(model, "get_compile_config"):
        # the user's own form, its objects (a loss function, an optimizer) serialized as
        # Keras' serialize_dict does; compile_from_config deserializes them
        out["compile_config"] = serialize_keras_object(model.get_compile_config())
    else:
        out["compile_config"] = keras_config.compile_to_keras(model.get_compile_config())
    return out


def _overrides(model, method: str) -> bool:
    """Whether ``model``'s class overrides Layer's ``method`` (gpuflow's own or a user's)."""
    from ..layers.base import Layer

    return getattr(type(model), method, None) is not getattr(Layer, method)


_user_defined = keras_h5.user_defines


def save(model, path, overwrite: bool = True, include_optimizer: bool = True) -> None:
    """``model.save("m.keras")``: the archive Keras 3 writes."""
    h5py = _h5py()
    config = model_config(model)
    if not include_optimizer:
        config["compile_config"] = {}
    metadata = {
        "keras_version": KERAS_VERSION,
        "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
    }

    def write(tmp):
        with tempfile.TemporaryFile() as weights:
            with h5py.File(weights, "w") as h5:
                keras_h5.write(h5, model, include_optimizer)
            weights.seek(0)
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.writestr(METADATA, json.dumps(metadata))
                archive.writestr(CONFIG, json.dumps(config))
                with archive.open(WEIGHTS, "w", force_zip64=True) as member:
                    while chunk := weights.read(_CHUNK):
                        member.write(chunk)
                keras_user_assets.write(archive, model)

    atomic_write(path, write, overwrite)


# -- reading ------------------------------------------------------------------------------------
def _member(archive: zipfile.ZipFile, name: str, path, limit: int, out) -> None:
    """Copy one member into ``out``, never past its declared size or ``limit``."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise FileFormatError(
            path, name, "missing from the archive; is this a Keras 3 .keras file?"
        ) from None
    if info.file_size > limit:
        raise FileFormatError(
            path, name, f"declares {info.file_size} bytes, over the limit of {limit}"
        )
    read = 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(min(_CHUNK, info.file_size - read + 1)):
                read += len(chunk)
                if read > info.file_size:
                    raise FileFormatError(path, name, "inflates past its declared size")
                out.write(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        if isinstance(exc, FileFormatError):
            raise
        raise FileFormatError(path, name, f"damaged ({type(exc).__name__}: {exc})") from None
    if read != info.file_size:
        raise FileFormatError(path, name, f"holds {read} bytes, declares {info.file_size}")


def _json(archive, name: str, path):
    import io

    buffer = io.BytesIO()
    _member(archive, name, path, MAX_JSON_BYTES, buffer)
    try:
        value = json.loads(buffer.getvalue().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise FileFormatError(path, name, f"not valid JSON ({type(exc).__name__})") from None
    check_json_depth(path, name, value)
    if not isinstance(value, dict):
        raise FileFormatError(path, name, "expected a JSON object")
    return value


def open_archive(path):
    """``(zipfile, config)`` of a ``.keras`` file; FileFormatError for anything else."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"load_model: no such file: {path}")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileFormatError(
            path, "archive", f"not a Keras .keras archive (zip): {type(exc).__name__}"
        ) from None
    try:
        return archive, _json(archive, CONFIG, path)
    except BaseException:
        archive.close()
        raise


def build_model(config: dict, path, custom_objects=None, op: str = "load_model"):
    """The model ``config.json`` describes, built, with fresh weights."""
    from ..layers import deserialize  # the layer registry: saving never imports model classes
    from ..layers.base import BUILTIN_LAYERS
    from ..saving.object_registration import lookup

    name = config.get("class_name")
    if name in ("Sequential", "Functional", "Model"):
        kind, inner = keras_config.model_from_keras(config, path, custom_objects)
        try:
            model = deserialize({"class_name": kind, "config": inner}, custom_objects)
            if kind == "Sequential" and inner.get("input_shape") and not model.built:
                model._build_for(tuple(inner["input_shape"][1:]), op)
        except FileFormatError:
            raise
        except (ValueError, TypeError, KeyError, IndexError) as exc:
            if raised_in_user_code(exc):
                raise  # the user's own from_config/build_from_config: theirs, as in Keras
            error = UnknownObjectError if isinstance(exc, TypeError) else FileFormatError
            raise error(path, CONFIG, f"cannot rebuild the model: {exc}") from None
        return model
    cls = lookup([config.get("registered_name"), name], custom_objects)
    if cls is None and _saved_on_its_own(name):
        cls = BUILTIN_LAYERS[name]
    if cls is None:
        raise UnknownObjectError(
            path,
            CONFIG,
            f"holds a subclassed model {name!r}; register its "
            "class with @keras.saving.register_keras_serializable() or pass "
            f"custom_objects={{{name!r}: {name}}}",
        )
    build_config = config.get("build_config") or {}
    try:
        model = cls.from_config(dict(config.get("config") or {}))
        if _overrides(model, "build_from_config"):  # its own form (FeatureSpace's)
            model.build_from_config(build_config)
            return model
    except (ValueError, TypeError, KeyError) as exc:
        if raised_in_user_code(exc):
            raise
        raise FileFormatError(path, CONFIG, f"cannot rebuild the {name}: {exc}") from None
    shape = build_config.get("input_shape")
    if isinstance(shape, list) and len(shape) > 1:
        model._build_for(tuple(shape[1:]), op)
    return model


def _saved_on_its_own(name) -> bool:
    """Whether ``name`` is a gpuflow layer that saves to a ``.keras`` file by itself, as
    Keras' FeatureSpace does (other layers are saved inside a model)."""
    return name == "FeatureSpace"


def read_weights_member(archive, path):
    """The ``model.weights.h5`` member as an open ``h5py.File`` over a temporary copy."""
    h5py = _h5py()
    tmp = tempfile.TemporaryFile()
    _member(archive, WEIGHTS, path, MAX_TOTAL_BYTES, tmp)
    tmp.seek(0)
    try:
        return h5py.File(tmp, "r"), tmp
    except (OSError, ValueError) as exc:
        tmp.close()
        raise FileFormatError(path, WEIGHTS, f"not an HDF5 file ({exc})") from None


def _resolved(spec, deserialize, custom_objects):
    """``spec`` (a loss or metrics entry of a compile config: names, configs, and lists or
    per-output dicts of them) with each ``{"class_name", "config"}`` rebuilt."""
    if isinstance(spec, dict) and "class_name" in spec:
        return deserialize(spec, custom_objects=custom_objects)
    if isinstance(spec, dict):
        return {key: _resolved(value, deserialize, custom_objects) for key, value in spec.items()}
    if isinstance(spec, (list, tuple)):
        return [_resolved(value, deserialize, custom_objects) for value in spec]
    return spec


def restore_optimizer(model, compile_config: dict, arrays, path, custom_objects=None) -> None:
    """Compile ``model`` as Keras' ``compile_config`` says, and restore the optimizer state."""
    from .. import losses, optimizers
    from .. import metrics as metrics_module

    cfg = keras_config.compile_from_keras(compile_config, path)
    try:
        optimizer = (
            optimizers.get(cfg["optimizer"])
            if isinstance(cfg["optimizer"], str)
            else optimizers.deserialize(cfg["optimizer"], custom_objects=custom_objects)
        )
        # Rebuilt now, while custom_objects is known (a config left for compile to resolve
        # later would no longer find the user's Loss or Metric classes).
        loss = _resolved(cfg["loss"], losses.deserialize, custom_objects)
        metrics = _resolved(cfg["metrics"], metrics_module.deserialize, custom_objects)
        weighted = _resolved(cfg["weighted_metrics"], metrics_module.deserialize, custom_objects)
        model.compile(
            optimizer=optimizer,
            loss=loss,
            loss_weights=cfg["loss_weights"],
            metrics=metrics or None,
            weighted_metrics=weighted or None,
        )
    except (ValueError, TypeError, KeyError) as exc:
        raise FileFormatError(path, f"{CONFIG} compile_config", str(exc)) from None
    if arrays:
        state = keras_h5.optimizer_state(model.optimizer, model.trainable_variables, arrays, path)
        # built on the model's variables first, as Keras loads it: optimizer.variables
        # lists the restored slots at once
        model.optimizer.build(model.trainable_variables)
        model.optimizer.set_state(model.trainable_variables, state)


def load(path, custom_objects=None, compile: bool = True, safe_mode: bool = True):
    """``keras.models.load_model("m.keras")`` for an archive Keras 3 (or gpuflow) wrote."""
    from ..backend import rng_untouched
    from ..layers.safe_mode import SafeModeScope

    archive, config = open_archive(path)
    with archive:
        _json(archive, METADATA, path)
        h5, tmp = read_weights_member(archive, path)
        with tmp, h5:
            with (
                rng_untouched(),
                SafeModeScope(safe_mode),
                weight_budget(keras_h5.stored_bytes(h5, path), path, "load_model"),
            ):
                model = build_model(config, path, custom_objects)
            keras_h5.restore(h5, model, path)
            keras_assets.restore_vocabularies(archive, h5, model, path, _member)
            keras_user_assets.read(archive, model, path, _member)
            arrays = keras_h5.read_optimizer(h5, path) if compile else None
    compile_config = config.get("compile_config")
    if not (compile and isinstance(compile_config, dict) and compile_config):
        return model
    if _user_defined(model, "compile_from_config"):
        with custom_object_scope(custom_objects):
            model.compile_from_config(compile_config)
    elif _user_defined(model, "compile"):
        warnings.warn(
            f"load_model: compile() was not called as part of loading {path}: "
            f"{type(model).__name__} has its own compile(); define compile_from_config() "
            "(and get_compile_config()) to restore it, as in Keras",
            stacklevel=2,
        )
    elif compile_config.get("optimizer"):
        restore_optimizer(model, compile_config, arrays, path, custom_objects)
    return model
