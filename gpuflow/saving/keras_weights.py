"""``save_weights("w.weights.h5")`` / ``load_weights`` in Keras 3's HDF5 layout, and weights
from legacy full-model ``.h5`` files (matched by layer name)."""

from __future__ import annotations

import warnings
from pathlib import Path

from . import keras_h5, legacy_h5
from .errors import FileFormatError
from .keras_archive import _h5py, atomic_write


def save_weights(model, path, overwrite: bool = True) -> None:
    """``model.save_weights("w.weights.h5")`` in Keras 3's layout."""
    h5py = _h5py()

    def write(tmp):
        with h5py.File(tmp, "w") as h5:
            keras_h5.write(h5, model, include_optimizer=True)

    atomic_write(path, write, overwrite)


def load_weights(model, path) -> None:
    """``model.load_weights("w.weights.h5")`` for a file Keras 3 (or gpuflow) wrote."""
    h5py = _h5py()
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"load_weights: no such file: {path}")
    try:
        h5 = h5py.File(path, "r")
    except (OSError, ValueError) as exc:
        raise FileFormatError(path, "file", f"not an HDF5 weights file ({exc})") from None
    with h5:
        if "model_weights" in h5 or "layer_names" in h5.attrs:
            model.set_weights(legacy_h5.read_weights(h5, model, path))
            return
        if not model.built:
            raise ValueError(
                f"load_weights: model {model.name!r} is not built; call it on "
                "data or give it an Input before loading Keras weights"
            )
        keras_h5.restore(h5, model, path)
        arrays = keras_h5.read_optimizer(h5, path)
    if arrays is not None:
        _restore_optimizer(model, arrays, path)


def _restore_optimizer(model, arrays: list, path) -> None:
    """As Keras 3's ``Optimizer.load_own_variables``: the saved iterations and slots when the
    model's optimizer holds as many variables (it has taken a step), else a warning and the
    optimizer left as it is (a fresh one starts from scratch)."""
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None:
        return
    have = len(optimizer.variables)
    if have != len(arrays):
        message = (
            f"Skipping variable loading for optimizer '{optimizer.name}', because it has "
            f"{have} variables whereas the saved optimizer has {len(arrays)} variables. "
        )
        if have == 0:
            message += "This is likely because the optimizer has not been called/built yet."
        warnings.warn(message, stacklevel=4)
        return
    state = keras_h5.optimizer_state(optimizer, model.trainable_variables, arrays, path)
    optimizer.set_state(model.trainable_variables, state)
