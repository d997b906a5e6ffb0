"""The output of a symbolic call on a layer that declares its own output shape.

Keras 3 (``Layer.compute_output_spec``): when a layer class overrides
``compute_output_shape``, a call on ``keras.Input`` tensors takes the shape that method
declares, with the layer's compute dtype, and does not run ``call``. gpuflow's own layers
keep their probe runs (which also carry masks and dtypes); this is for the layers users
write.
"""

from __future__ import annotations

import inspect
import numbers

from .. import nest
from .keras_tensor import KerasTensor


def _user_defined(layer, method: str) -> bool:
    """Whether ``method`` of ``layer`` comes from a class outside gpuflow."""
    for klass in type(layer).__mro__:
        if method in klass.__dict__:
            module = klass.__module__ or ""
            return not (module == "gpuflow" or module.startswith("gpuflow."))
    return False


def _one_required_argument(method) -> bool:
    try:
        params = list(inspect.signature(method).parameters.values())
    except (TypeError, ValueError):
        return False
    required = [
        p
        for p in params
        if p.default is inspect.Parameter.empty
        and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    return len(required) == 1


def _shape_of(value):
    """The shape structure of the first call argument (KerasTensors only), or None."""
    if isinstance(value, KerasTensor):
        return tuple(value.shape)
    if isinstance(value, (list, tuple)) and all(isinstance(x, KerasTensor) for x in value):
        return [tuple(x.shape) for x in value]
    if isinstance(value, dict) and all(isinstance(x, KerasTensor) for x in value.values()):
        return {k: tuple(x.shape) for k, x in value.items()}
    return None


def _is_dim(d) -> bool:
    """None or an integer (Python's or NumPy's, as Keras's ``standardize_shape`` casts)."""
    return d is None or (isinstance(d, numbers.Integral) and not isinstance(d, bool))


def _dims(shape) -> tuple:
    return tuple(None if d is None else int(d) for d in shape)


def _tensors(shape, layer):
    if isinstance(shape, dict):
        return {k: _tensors(v, layer) for k, v in shape.items()}
    if isinstance(shape, (list, tuple)):
        if (isinstance(shape, tuple) or shape) and all(_is_dim(d) for d in shape):
            return KerasTensor(_dims(shape), layer.compute_dtype)
        return type(shape)(_tensors(s, layer) for s in shape)
    try:
        return KerasTensor(tuple(shape), layer.compute_dtype)
    except TypeError:
        raise ValueError(
            f"Method `compute_output_shape()` of layer {type(layer).__name__} is returning "
            "a type that cannot be interpreted as a shape. It should return a shape tuple. "
            f"Received: {shape}"
        ) from None


def declared_outputs(layer, args: tuple, kwargs: dict):
    """KerasTensors of the shape ``layer.compute_output_shape`` declares for a call on
    ``args``, or None when gpuflow's probe runs decide (gpuflow's own layers, calls on
    several symbolic arguments, a ``compute_output_shape`` of several arguments, a masked
    input to a layer with its own ``compute_mask``)."""
    if not args or not _user_defined(layer, "compute_output_shape"):
        return None
    mask = getattr(args[0], "_keras_mask", None)
    if mask is not None and _user_defined(layer, "compute_mask"):
        return None  # the probe runs compute the mask the layer makes
    if any(isinstance(x, KerasTensor) for x in nest.flatten([list(args[1:]), dict(kwargs)])):
        return None
    shape = _shape_of(args[0])
    if shape is None or not _one_required_argument(layer.compute_output_shape):
        return None
    declared = layer.compute_output_shape(shape)
    if isinstance(declared, list) and declared and _is_dim(declared[0]):
        declared = tuple(declared)
    outputs = _tensors(declared, layer)
    if mask is not None and layer.supports_masking:  # Keras 3: the mask passes through
        for output in nest.flatten(outputs):
            output._keras_mask = mask
    return outputs
