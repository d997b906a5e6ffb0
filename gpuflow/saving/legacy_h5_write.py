"""Writing legacy full-model ``.h5`` files: ``model.save("m.h5")``, as Keras 3 still writes
them (tf.keras 2's layout; TensorFlow's "Save and load models" tutorial uses it).

Attributes ``model_config`` (the architecture, JSON) and ``training_config`` (loss, metrics
and optimizer config when compiled); weights in ``model_weights/<layer name>/`` with the
attribute ``weight_names`` listing their datasets in the layer's order (trainable first),
``model_weights`` listing the layers in ``layer_names``. The optimizer's state is not
written (Keras' loader then starts the optimizer fresh, as gpuflow's does). Read back by
``legacy_h5.load`` and by Keras.
"""

from __future__ import annotations

import json

import numpy as np

from . import keras_archive
from .keras_archive import atomic_write

_ATTR_LIMIT = 64512  # HDF5's object header limit: longer lists are split (Keras' rule)


def _save_names(group, name: str, values: list) -> None:
    """Keras' ``save_attributes_to_hdf5_group``: a list of bytes, in chunks past the limit."""
    data = np.asarray(values, dtype="S") if values else np.asarray([], dtype="S1")
    chunks = 1
    while data.nbytes > _ATTR_LIMIT * chunks and len(values) > chunks:
        chunks += 1
    if chunks == 1:
        group.attrs[name] = data
        return
    for i, part in enumerate(np.array_split(data, chunks)):
        group.attrs[f"{name}{i}"] = part


def _training_config(compile_config: dict) -> dict | None:
    """The ``training_config`` attribute from Keras 3's ``compile_config``."""
    optimizer = compile_config.get("optimizer")
    if not optimizer:
        return None
    return {
        "loss": compile_config.get("loss"),
        "metrics": compile_config.get("metrics"),
        "weighted_metrics": compile_config.get("weighted_metrics"),
        "loss_weights": compile_config.get("loss_weights"),
        "optimizer_config": {
            "class_name": optimizer.get("class_name"),
            "config": optimizer.get("config"),
        },
    }


def save(model, path, overwrite: bool = True, include_optimizer: bool = True) -> None:
    """``model.save("m.h5")``."""
    from .legacy_h5 import _legacy_weights

    h5py = keras_archive._h5py()
    config = keras_archive.model_config(model)
    compile_config = config.pop("compile_config", None) or {}
    training = _training_config(compile_config) if include_optimizer else None
    version = keras_archive.KERAS_VERSION.encode()

    def write(tmp):
        with h5py.File(tmp, "w") as f:
            f.attrs["keras_version"] = version
            f.attrs["backend"] = b"tensorflow"
            f.attrs["model_config"] = json.dumps(config).encode()
            if training is not None:
                f.attrs["training_config"] = json.dumps(training).encode()
            weights_group = f.create_group("model_weights")
            _save_names(
                weights_group, "layer_names", [layer.name.encode() for layer in model.layers]
            )
            weights_group.attrs["backend"] = b"tensorflow"
            weights_group.attrs["keras_version"] = version
            for layer in sorted(model.layers, key=lambda layer: layer.name):
                group = weights_group.create_group(layer.name)
                weights = _legacy_weights(layer)
                names = [f"{layer.name}/{_short(w)}_{i}".encode() for i, w in enumerate(weights)]
                _save_names(group, "weight_names", names)
                for name, weight in zip(names, weights):
                    group.create_dataset(name.decode(), data=np.asarray(weight.numpy()))

    atomic_write(path, write, overwrite)


def _short(variable) -> str:
    """A weight's name for its dataset (``kernel``, ``bias``, ...)."""
    return str(variable.name).rsplit("/", 1)[-1].split(":")[0] or "weight"
