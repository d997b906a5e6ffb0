"""Keras-style layers (``gpuflow.layers.Dense``, ...): the Layer base, built-in layers, serialization."""
from .base import InputSpec, Layer, reset_name_counters
from .conv import Conv2D
from .core import Activation, Dense, Dropout, Flatten, Reshape
from .dtype_policy import DTypePolicy
from .input_layer import Input, InputLayer
from .merging import (
                      Add,
                      Average,
                      Concatenate,
                      Dot,
                      Maximum,
                      Minimum,
                      Multiply,
                      Subtract,
                      add,
                      average,
                      concatenate,
                      dot,
                      maximum,
                      minimum,
                      multiply,
                      subtract,
)
from .normalization import BatchNormalization
from .op_lambda import TFOpLambda
from .pooling import AveragePooling2D, AvgPool2D, MaxPool2D, MaxPooling2D
from .serialization import deserialize, get, serialize

Convolution2D = Conv2D

__all__ = [
           "Activation",
           "AveragePooling2D",
           "AvgPool2D",
           "BatchNormalization",
           "Conv2D",
           "Convolution2D",
           "DTypePolicy",
           "Dense",
           "Dropout",
           "Flatten",
           "Input",
           "InputLayer",
           "InputSpec",
           "Layer",
           "MaxPool2D",
           "MaxPooling2D",
           "Reshape",
           "deserialize",
           "get",
           "reset_name_counters",
           "serialize",
           "Add", "Average", "Concatenate", "Dot", "Maximum", "Minimum", "Multiply", "Subtract",
           "add", "average", "concatenate", "dot", "maximum", "minimum", "multiply", "subtract",
           "TFOpLambda",
]
