"""``tf.lite``: TensorFlow Lite flatbuffers, read and run by :class:`Interpreter` (NumPy
kernels of the float builtin ops) and written from Keras models by :class:`TFLiteConverter`."""

from __future__ import annotations

from .interpreter import Interpreter

__all__ = ["Interpreter"]
