"""``pickle`` and ``copy.deepcopy`` of a model, as Keras 3: through the Keras file format
(architecture, weights, compile and optimizer state), never by copying the objects' Python
state (locks, device buffers, weak references cannot be pickled)."""

from __future__ import annotations

import os
import tempfile


def model_bytes(model) -> bytes:
    """The model as the bytes of a ``.keras`` file."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.keras")
        model.save(path)
        with open(path, "rb") as f:
            return f.read()


def unpickle_model(data: bytes):
    """The model of :func:`model_bytes`, compiled as it was (Keras 3 loads pickles with
    ``safe_mode=False``: a pickle runs code anyway)."""
    from .saving import load_model

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.keras")
        with open(path, "wb") as f:
            f.write(data)
        return load_model(path, compile=True, safe_mode=False)
