"""Legacy full-model ``.h5`` files (tf.keras 2, and Keras 3's ``model.save("m.h5")``).

The architecture is the JSON attribute ``model_config``; weights live in
``model_weights/<layer name>/`` and the attribute ``weight_names`` lists their datasets in the
layer's order. Read lazily and checked as the ``.keras`` loader does; no pickle.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

from . import keras_archive, keras_h5
from .errors import FileFormatError
from .keras_h5 import read_dataset
from .limits import MAX_JSON_BYTES, check_json_depth, weight_budget


def _text(value) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _json_attr(h5, name: str, path):
    raw = h5.attrs.get(name)
    if raw is None:
        return None
    text = _text(raw)
    if len(text) > MAX_JSON_BYTES:
        raise FileFormatError(path, f"attribute {name}", "over the JSON size limit")
    try:
        value = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise FileFormatError(path, f"attribute {name}", "not valid JSON") from None
    check_json_depth(path, name, value)
    return value


def read_weights(h5, model, path) -> list:
    """Values for ``model.weights`` from a legacy file's weight groups, by layer name.

    As Keras, each top-level layer with weights has one group; a nested model's group holds
    all its weights (trainable, then non-trainable), as Keras' ConvNeXt ImageNet files do.
    Files with a group per innermost layer load too."""
    root = h5["model_weights"] if "model_weights" in h5 else h5
    top = [(layer.name, _legacy_weights(layer)) for layer in model.layers if layer.weights]
    flat = [(layer.name, _legacy_weights(layer)) for layer in _flat_layers(model) if layer.weights]
    same = [name for name, _ in flat] == [name for name, _ in top]
    for units in (top,) if same else (top, flat):
        groups = _by_name(root, units) or _pair_in_order(root, units)
        if groups:
            break
    else:  # report against the layout the file's group names follow
        units = top if all(name in root for name, _ in top) else flat
        groups = {name: name for name, _ in units}
    total = [0]
    values = {}
    for layer_name, weights in units:
        name = groups[layer_name]
        if name not in root:
            raise FileFormatError(
                path,
                f"model_weights/{layer_name}",
                f"missing: the file has no weights for layer {layer_name!r}",
            )
        group = root[name]
        names = [_text(n) for n in group.attrs.get("weight_names", [])]
        if len(names) != len(weights):
            raise FileFormatError(
                path,
                f"{group.name}",
                f"{len(names)} weights, but layer {layer_name!r} has {len(weights)}",
            )
        for name, var in zip(names, weights):
            values[id(var)] = read_dataset(group, name, path, var.shape, total)
    return [values[id(v)] for v in model.weights]


def _legacy_weights(layer) -> list:
    return list(layer.trainable_weights) + list(layer.non_trainable_weights)


def _fits(group, weights) -> bool:
    weight_names = [_text(n) for n in group.attrs.get("weight_names", [])]
    return len(weight_names) == len(weights) and all(
        w in group and tuple(group[w].shape) == tuple(v.shape)
        for w, v in zip(weight_names, weights)
    )


def _by_name(root, units) -> dict | None:
    """``{layer name: group name}`` when every layer has a fitting group of its name."""
    if all(name in root and _fits(root[name], weights) for name, weights in units):
        return {name: name for name, _ in units}
    return None


def _pair_in_order(root, units) -> dict | None:
    """``{model layer name: file layer name}`` pairing the layers with weights in order, when
    the file lists as many such layers (``layer_names``) with matching weight shapes: Keras'
    own loader does so (by_name=False), and auto-generated names (normalization_1, ...)
    differ from process to process."""
    stored = [
        _text(n)
        for n in root.attrs.get("layer_names", [])
        if _text(n) in root and len(root[_text(n)].attrs.get("weight_names", [])) > 0
    ]
    if len(stored) != len(units):
        return None
    if not all(_fits(root[name], weights) for name, (_, weights) in zip(stored, units)):
        return None
    return {unit_name: name for (unit_name, _), name in zip(units, stored)}


def _flat_layers(model):
    for layer in model.layers:
        if type(layer).__name__ in ("Sequential", "Functional"):
            yield from _flat_layers(layer)
        else:
            yield layer


def load(path, custom_objects=None, compile: bool = True, safe_mode: bool = True):
    """``load_model("m.h5")``: architecture and weights, compiled as the file's training config."""
    from ..backend import rng_untouched
    from ..layers.safe_mode import SafeModeScope

    h5py = keras_archive._h5py()
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"load_model: no such file: {path}")
    try:
        h5 = h5py.File(path, "r")
    except (OSError, ValueError) as exc:
        raise FileFormatError(path, "file", f"not an HDF5 model file ({exc})") from None
    with h5:
        config = _json_attr(h5, "model_config", path)
        if not isinstance(config, dict):
            raise FileFormatError(
                path,
                "attribute model_config",
                "missing: this .h5 file holds weights only; build the model and call load_weights",
            )
        with (
            rng_untouched(),
            SafeModeScope(safe_mode),
            weight_budget(keras_h5.stored_bytes(h5, path), path, "load_model"),
        ):
            model = keras_archive.build_model(config, path, custom_objects)
        model.set_weights(read_weights(h5, model, path))
        training = _json_attr(h5, "training_config", path)
    if compile and isinstance(training, dict) and training.get("optimizer_config"):
        compile_config = {
            "optimizer": training["optimizer_config"],
            "loss": training.get("loss"),
            "metrics": training.get("metrics"),
            "weighted_metrics": training.get("weighted_metrics"),
            "loss_weights": training.get("loss_weights"),
        }
        try:
            keras_archive.restore_optimizer(model, compile_config, None, path, custom_objects)
        except FileFormatError as exc:
            if not (compile_config["metrics"] or compile_config["weighted_metrics"]):
                raise
            # tf.keras 2 files describe metrics in forms Keras 3 no longer reads either
            warnings.warn(
                f"load_model({path}): the metrics of the file's training_config could not be "
                f"rebuilt ({exc}); the model is compiled with its optimizer and loss only",
                stacklevel=2,
            )
            compile_config.update(metrics=None, weighted_metrics=None)
            keras_archive.restore_optimizer(model, compile_config, None, path, custom_objects)
        # Keras builds the loaded optimizer on the model's own variables, an empty list for
        # a Sequential or functional model: summary() then counts "Optimizer params: 2"
        # (iteration and learning_rate); the first step builds it on the real variables
        if model.optimizer is not None and not model.optimizer.built:
            model.optimizer.build([])
    return model
