"""``tf.lite``: TensorFlow Lite flatbuffers, read and run by :class:`Interpreter` (NumPy
kernels of the float builtin ops) and written from Keras models by :class:`TFLiteConverter`."""

from __future__ import annotations

from .interpreter import Interpreter
from .options import OpsSet, Optimize, TargetSpec
from .tflite_converter import TFLiteConverter

__all__ = ["Interpreter", "Optimize", "OpsSet", "TFLiteConverter", "TargetSpec"]
