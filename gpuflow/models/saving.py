"""Saving and loading models: one file, no code executed on load, written atomically.

The file is an uncompressed NumPy ``.npz`` (a zip of ``.npy`` arrays, read with
``allow_pickle=False``) holding a JSON header (architecture, compile settings, the
name, shape, dtype and SHA-256 of every array) and the weights and optimizer state.
A temporary file in the same folder is renamed over the target only once fully
written, so a crash mid-save leaves the previous file intact.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import numpy as np

from .. import dtypes, random_state
from ..backend import rng_untouched
from ..layers import deserialize
from ..saving.archive import read_archive, write_archive
from ..saving.errors import FileFormatError
from ..saving.limits import check_input_shape, weight_budget

FORMAT = "gpuflow"
VERSION = 1


def write_file(path, meta: dict, arrays: dict, overwrite: bool = True) -> None:
    """Write ``meta`` and ``arrays`` to ``path`` atomically (see :mod:`gpuflow.saving.archive`)."""
    path = Path(path)
    if path.exists() and not overwrite:
        raise FileExistsError(f"save: {path} exists and overwrite=False")
    if path.is_dir():
        raise IsADirectoryError(
            f"save: {path} is a folder; give a file path such as {path / 'model.gpuflow'}"
        )
    write_archive(path, dict(meta, format=FORMAT, version=VERSION), arrays)


def read_file(path, op: str) -> tuple[dict, dict]:
    """``(meta, arrays)`` from ``path``, verified; :class:`FileFormatError` for anything else."""
    return read_archive(path, op, FORMAT, VERSION)


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


def save_kwargs(path, kwargs: dict) -> bool:
    """``include_optimizer`` from ``model.save``'s keyword arguments, checked as Keras 3:
    ``save_format`` only with a ``.keras``/``.h5`` path, nothing else (ValueError)."""
    include_optimizer = kwargs.pop("include_optimizer", True)
    save_format = kwargs.pop("save_format", False)
    if save_format and not str(path).endswith((".h5", ".hdf5", ".keras")):
        raise ValueError(
            "The `save_format` argument is deprecated in Keras 3. Please remove this argument "
            "and pass a file path with either `.keras` or `.h5` extension."
            f"Received: save_format={save_format}"
        )
    if kwargs:
        raise ValueError(f"The following argument(s) are not supported: {list(kwargs.keys())}")
    return include_optimizer


def save_model(model, path, overwrite: bool = True, include_optimizer: bool = True) -> None:
    if Path(path).is_dir():  # a SavedModel folder, as TF 2's model.save wrote: Keras 3's error
        raise ValueError(
            "Invalid filepath extension for saving. Please add either a `.keras` extension "
            "for the native Keras format (recommended) or a `.h5` extension. Use "
            "`model.export(filepath)` if you want to export a SavedModel for use with "
            f"TFLite/TFServing/etc. Received: filepath={path}."
        )
    from ..saving.object_registration import get_registered_name

    if file_format(path) == "legacy_h5":  # tf.keras 2's full-model .h5, as Keras 3 writes it
        from ..saving import legacy_h5_write

        return legacy_h5_write.save(model, path, overwrite, include_optimizer)
    if file_format(path) == "keras":
        from ..saving import keras_archive

        return keras_archive.save(model, path, overwrite, include_optimizer)
    meta = {
        "kind": "model",
        "class_name": type(model).__name__,
        "registered_name": get_registered_name(type(model)),
        "config": model.get_config(),
        "input_shape": _input_shape(model),
        "weight_names": [v.path for v in model.weights],
        "compile": model.get_compile_config(),
        "random_state": random_state.capture(model),  # for an exact resume of fit
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

    if Path(path).is_dir():  # a SavedModel folder, as model.save wrote it in Keras 2
        raise ValueError(
            f"File format not supported: filepath={path}. Keras 3 only supports V3 `.keras` "
            "files, legacy H5 format files (`.h5` extension) (and gpuflow's own files). Note "
            "that the legacy SavedModel format is not supported by `load_model()` in Keras 3. "
            "In order to reload a TensorFlow SavedModel as an inference-only layer in Keras 3, "
            f"use `keras.layers.TFSMLayer({path}, call_endpoint='serving_default')` (note that "
            "your `call_endpoint` might have a different name)."
        )
    kind = file_format(path)
    if kind == "keras" and not Path(path).is_file():
        # Keras 3's load_model: a ValueError, not an OSError (a missing .h5 file raises
        # FileNotFoundError there, as here)
        raise ValueError(
            f"File not found: filepath={path}. Please ensure the file is an accessible "
            "`.keras` zip file."
        )
    if kind in ("keras", "legacy_h5"):
        from ..saving import keras_archive, legacy_h5

        loader = keras_archive.load if kind == "keras" else legacy_h5.load
        return loader(path, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode)
    if kind == "h5":
        raise FileFormatError(
            path,
            "file name",
            "a '.weights.h5' file holds weights only; build the model and call model.load_weights",
        )
    meta, arrays = read_file(path, "load_model")
    if meta.get("kind") == "weights":
        raise ValueError(
            f"load_model: {path} holds weights only; build the model and call "
            f"model.load_weights({str(path)!r})"
        )
    if meta.get("kind") != "model":
        raise FileFormatError(
            path, "header.kind", f"expected 'model', found {meta.get('kind')!r}", "load_model"
        )
    with _malformed_as(path, "load_model"):
        # The initial weights are overwritten: don't advance the seeded streams.
        with rng_untouched(), SafeModeScope(safe_mode), _budget(meta, arrays, path, "load_model"):
            model = _rebuild(meta, path, custom_objects)
        _assign_weights(model, meta, arrays, path, "load_model")
        if compile and meta.get("compile"):
            _compile(model, meta["compile"], arrays, custom_objects, path)
        if meta.get("random_state") is not None:
            random_state.stash_for_resume(model, meta["random_state"], path, "load_model")
    return model


def _compile(model, cfg, arrays, custom_objects, path) -> None:
    from .. import losses, optimizers

    if not isinstance(cfg, dict):
        raise FileFormatError(
            path, "header.compile", f"expected a table, found {type(cfg).__name__}", "load_model"
        )

    def loss_spec(spec):  # one loss, or a list/dict of them (one per output)
        if isinstance(spec, list):
            return [loss_spec(s) for s in spec]
        if isinstance(spec, dict) and "class_name" not in spec:
            return {k: loss_spec(s) for k, s in spec.items()}
        return None if spec is None else losses.deserialize(spec, custom_objects=custom_objects)

    model.compile(
        optimizer=optimizers.deserialize(cfg["optimizer"], custom_objects=custom_objects),
        loss=loss_spec(cfg.get("loss")),
        loss_weights=cfg.get("loss_weights"),
        metrics=cfg.get("metrics") or None,
        weighted_metrics=cfg.get("weighted_metrics") or None,
    )
    state = {k[len("optimizer.") :]: v for k, v in arrays.items() if k.startswith("optimizer.")}
    if state:
        steps = state.get("iterations")
        if steps is None or steps.shape != () or steps.dtype.kind not in "iu" or int(steps) < 0:
            raise FileFormatError(
                path,
                "arrays.optimizer.iterations",
                f"expected a non-negative integer scalar, found {steps!r}"[:200],
                "load_model",
            )
        model.optimizer.set_state(model.trainable_variables, state)


@contextlib.contextmanager
def _malformed_as(path, op):
    """Whatever a crafted header makes the rebuild raise becomes one :class:`FileFormatError`."""
    try:
        yield
    except FileFormatError:
        raise
    except (
        ValueError,
        KeyError,
        AttributeError,
        TypeError,
        IndexError,
        RecursionError,
        MemoryError,
        NotImplementedError,
        OverflowError,
    ) as exc:
        raise FileFormatError(
            path,
            "header",
            f"the stored model cannot be rebuilt: {type(exc).__name__}: {exc}"[:2000],
            op,
        ) from None


def _budget(meta, arrays, path, op):
    """Rebuilding may create no more weight bytes than the file's weight arrays hold."""
    held = sum(a.nbytes for k, a in arrays.items() if k.startswith("weight."))
    shape = meta.get("input_shape")
    if shape is not None:
        check_input_shape(shape, held + (64 << 20), path, op)
    return weight_budget(held, path, op)


def _rebuild(meta, path, custom_objects):
    if meta.get("kind") != "model":
        raise ValueError(
            f"load_model: {path} holds weights only; build the model and call "
            f"model.load_weights({str(path)!r})"
        )
    name = meta["class_name"]
    custom_objects = dict(custom_objects or {})
    # Through the layer registry, as any layer: saving never imports the model classes.
    spec = {"class_name": name, "config": meta["config"]}
    if meta.get("registered_name"):
        spec["registered_name"] = meta["registered_name"]
    try:
        model = deserialize(spec, custom_objects)
    except ValueError as exc:
        if not str(exc).startswith("unknown layer"):
            raise
        raise ValueError(
            f"load_model: {path} holds a subclassed model {name!r}; register its "
            "class with @keras.saving.register_keras_serializable() or pass "
            f"custom_objects={{{name!r}: {name}}}"
        ) from None
    if meta.get("input_shape"):
        model._build_for(tuple(meta["input_shape"]), "load_model")
    return model


def _assign_weights(model, meta, arrays, path, op) -> None:
    count = len([k for k in arrays if k.startswith("weight.")])
    try:
        weights = [arrays[f"weight.{i}"] for i in range(count)]
    except KeyError as exc:
        raise FileFormatError(
            path, "arrays", f"weight arrays are not numbered 0..{count - 1} (missing {exc})", op
        ) from None
    for i, w in enumerate(weights):
        if dtypes.kind(w.dtype) not in "fiu":  # bool or complex weights are no gpuflow model's
            raise FileFormatError(
                path,
                f"arrays.weight.{i}",
                f"dtype {w.dtype.name} is not a weight dtype (float or integer)",
                op,
            )
    if len(weights) != len(model.weights):
        raise ValueError(
            f"{op}: {path} holds {len(weights)} weight arrays but model {model.name!r} has "
            f"{len(model.weights)}; was it saved from a different architecture?"
        )
    model.set_weights(_in_model_order(weights, meta.get("weight_names"), model))


def _in_model_order(weights: list, names, model) -> list:
    """The arrays in ``model.weights``' order, matched by the saved weight paths when they
    name exactly the model's weights (files written before functional models listed their
    weights layer by layer hold another order); else in the saved order."""
    paths = [v.path for v in model.weights]
    if not names or len(set(names)) != len(names) or sorted(names) != sorted(paths):
        return weights
    by_name = dict(zip(names, weights))
    return [by_name[p] for p in paths]


def save_weights(model, path, overwrite: bool = True) -> None:
    if file_format(path) == "legacy_h5":
        raise ValueError(
            f"save_weights: the filename must end in `.weights.h5` for Keras' weights file "
            f"(received {path}); model.save({str(path)!r}) writes the whole model as legacy HDF5"
        )
    if file_format(path) == "keras":
        raise ValueError(
            f"save_weights: {path} is a model file name; weights files end in "
            "'.weights.h5' (Keras' format) or another suffix (gpuflow's format)"
        )
    if file_format(path) == "h5":
        from ..saving import keras_weights

        return keras_weights.save_weights(model, path, overwrite)
    meta = {
        "kind": "weights",
        "class_name": type(model).__name__,
        "input_shape": _input_shape(model),
        "weight_names": [v.path for v in model.weights],
        "random_state": random_state.capture(model),
    }
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
        held = sum(a.nbytes for k, a in arrays.items() if k.startswith("weight."))
        shape = check_input_shape(meta["input_shape"], held + (64 << 20), path, "load_weights")
        with rng_untouched():
            model._build_for(shape, "load_weights")
    _assign_weights(model, meta, arrays, path, "load_weights")
    if meta.get("random_state") is not None:
        try:
            random_state.stash_for_resume(model, meta["random_state"], path, "load_weights")
        except FileFormatError:
            # weights load into any model with the same weights, e.g. one with an extra
            # Dropout: its random state then does not apply, and the weights still do
            model._resume_random_state = None
