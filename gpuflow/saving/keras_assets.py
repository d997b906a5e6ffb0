"""The vocabularies Keras 3 keeps as assets of a ``.keras`` archive
(``assets/layers/<layer>/vocabulary.txt``, one token a line, special tokens first; tf-idf
weights in the layer's ``vars/idf_weights``): given to the text layers when a model is
loaded. gpuflow's own archives keep the vocabulary in the layer config instead."""

from __future__ import annotations

import io

import numpy as np

from . import keras_h5
from .limits import MAX_JSON_BYTES

ASSET = "vocabulary.txt"


def restore_vocabularies(archive, h5, model, path, read_member) -> None:
    """Give each layer with ``_restore_keras_assets`` (StringLookup, TextVectorization) the
    vocabulary (and idf weights) Keras saved for it; ``read_member(archive, name, path,
    limit, out)`` copies one checked zip member (keras_archive's)."""
    names = set(archive.namelist())
    for group, layer, _ in keras_h5.model_entries(model):
        restore = getattr(layer, "_restore_keras_assets", None)
        if restore is None:
            continue
        prefix = group[: -len("/vars")]
        name = f"assets/{prefix}/{ASSET}"
        if name not in names:
            continue
        buffer = io.BytesIO()
        read_member(archive, name, path, MAX_JSON_BYTES, buffer)
        lines = buffer.getvalue().decode("utf-8").splitlines()
        while lines and lines[-1] == "":
            lines.pop()
        key = f"{prefix}/vars/idf_weights"
        idf = np.asarray(keras_h5.read_dataset(h5, key, path)) if key in h5 else None
        restore(lines, idf)
