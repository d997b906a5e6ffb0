"""``tf.saved_model``: not supported; gpuflow saves Keras files and exports ONNX instead."""

from __future__ import annotations

from .errors import UnimplementedError

_HINT = (
    'gpuflow has no SavedModel format. Save a Keras model with model.save("m.keras") '
    "(reload with keras.models.load_model), export it for serving with "
    'model.export("m.onnx", format="onnx"), or save training state with '
    "tf.train.Checkpoint"
)


def save(obj, export_dir, signatures=None, options=None) -> None:
    """Raises ``UnimplementedError`` (a ``NotImplementedError``) naming the alternatives."""
    raise UnimplementedError(None, "saved_model.save", f"tf.saved_model.save: {_HINT}")


def load(export_dir, tags=None, options=None):
    """Raises ``UnimplementedError`` (a ``NotImplementedError``) naming the alternatives."""
    raise UnimplementedError(None, "saved_model.load", f"tf.saved_model.load: {_HINT}")
