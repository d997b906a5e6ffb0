"""Layer.__call__/__init__ input plumbing: conversion, shapes, Keras shape kwargs, regularizers."""

from __future__ import annotations

import numpy as np

from ..ops._common import as_tensor
from ..tensor import Tensor


def batch_input_shape(kwargs) -> tuple | None:
    if kwargs.get("batch_input_shape") is not None:
        return tuple(None if n is None else int(n) for n in kwargs["batch_input_shape"])
    batch = kwargs.get("batch_size")
    if kwargs.get("input_shape") is not None:
        shape = kwargs["input_shape"]
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        return (batch,) + tuple(None if n is None else int(n) for n in shape)
    if kwargs.get("input_dim") is not None:
        return (batch, int(kwargs["input_dim"]))
    return None


def layer_regularizer(identifier, layer):
    """What a layer keeps in its ``*_regularizer`` attribute, as Keras 3: None, or the
    regularizer (an object for a name or a config, so ``layer.kernel_regularizer.l2`` works
    and ``get_config`` writes it in Keras's form)."""
    return None if identifier is None else resolve_regularizer(identifier, type(layer).__name__)


def resolve_regularizer(identifier, where: str):
    if isinstance(identifier, (str, dict)):
        try:
            from .. import regularizers
        except ImportError:
            raise ValueError(
                f"{where}: regularizer {identifier!r} given by name, but gpuflow.regularizers "
                "is not available; pass a callable"
            ) from None
        return regularizers.get(identifier)
    if not callable(identifier):
        raise TypeError(f"{where}: regularizer must be callable, received {identifier!r}")
    return identifier


def to_tensors(inputs):
    if isinstance(inputs, Tensor) or getattr(inputs, "_is_composite_tensor", False):
        return inputs  # tf.SparseTensor / tf.RaggedTensor reach call() as they are
    if (
        isinstance(inputs, (list, tuple))
        and any(x is not None for x in inputs)
        and all(
            x is None or isinstance(x, (Tensor, np.ndarray)) or _holds_tensor(x) for x in inputs
        )
    ):  # a structure of tensors ([t, [r0, r1]] into a Lambda) stays one, as Keras 3
        return type(inputs)(_nested(x) for x in inputs)
    if isinstance(inputs, dict):
        return {k: _nested(v) for k, v in inputs.items()}
    return as_tensor(inputs)


def _holds_tensor(value) -> bool:
    """A list, tuple or dict with a Tensor somewhere inside (not a list of numbers)."""
    if isinstance(value, Tensor):
        return True
    if isinstance(value, dict):
        return any(_holds_tensor(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_holds_tensor(v) for v in value)
    return False


def _nested(value):
    """An entry of a list or dict of inputs: a None entry reaches call() as None (Keras 3)."""
    return None if value is None else to_tensors(value)


def first_tensor(inputs):
    if isinstance(inputs, Tensor) or getattr(inputs, "_is_composite_tensor", False):
        return inputs
    items = inputs.values() if isinstance(inputs, dict) else inputs
    for x in items:
        if isinstance(x, Tensor):
            return x
    return None


def shape_of(inputs):
    if isinstance(inputs, Tensor) or getattr(inputs, "_is_composite_tensor", False):
        return tuple(inputs.shape)
    if inputs is None:  # a None entry of nested inputs
        return None
    if isinstance(inputs, dict):
        return {k: shape_of(v) for k, v in inputs.items()}
    return [shape_of(x) for x in inputs]


def as_shape(shape):
    if isinstance(shape, list) and shape and isinstance(shape[0], (list, tuple)):
        return [as_shape(s) for s in shape]
    if isinstance(shape, dict):
        return {k: as_shape(v) for k, v in shape.items()}
    if shape is None:  # a None entry of nested inputs
        return None
    return tuple(None if n is None else int(n) for n in shape)


def check_input_count(layer, inputs) -> None:
    """A layer of one input (one InputSpec) called on a list: Keras' error with both counts."""
    if len(inputs) != 1:
        raise ValueError(
            f"Layer '{layer.name}' ({type(layer).__name__}) expects 1 input(s), but "
            f"it received {len(inputs)} input tensors. Inputs received: "
            + ", ".join(f"shape {tuple(getattr(x, 'shape', ()))}" for x in inputs)
        )
