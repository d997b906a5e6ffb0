"""Activation functions by name, as ``tf.keras.activations``.

Each function takes a Tensor (or array-like) and returns a Tensor, differentiable
through the ops in :mod:`gpuflow.ops.nn`. Layers accept them as callables or by
name string (``Dense(10, activation="softmax")``).
"""

from __future__ import annotations

import functools

from .ops import math as _math
from .ops import nn as _nn
from .ops._common import as_tensor


def relu(x, negative_slope: float = 0.0, max_value=None, threshold: float = 0.0, alpha=None):
    """Rectified linear unit, with Keras' optional leak, cap and threshold.

    Args:
        x: input tensor.
        negative_slope: slope below ``threshold`` (Keras 3's name).
        max_value: upper cap of the output (None: no cap).
        threshold: values below it are damped (or zeroed when ``negative_slope`` is 0).
        alpha: tf.keras 2's name for ``negative_slope``; give one of the two.
    """
    if alpha is not None:
        if negative_slope != 0.0:
            raise TypeError(
                "relu: pass negative_slope (Keras 3) or alpha (tf.keras 2), not both; "
                f"received negative_slope={negative_slope!r}, alpha={alpha!r}"
            )
        negative_slope = alpha
    alpha = negative_slope
    x = as_tensor(x)
    if threshold == 0 and alpha == 0:
        y = _nn.relu(x)
    elif threshold == 0:
        y = _nn.leaky_relu(x, alpha)
    else:
        y = _math.where(x > threshold, x, (x - threshold) * alpha)
    if max_value is not None:
        y = _math.minimum(y, max_value)
    return y


def sigmoid(x):
    """``1 / (1 + exp(-x))``, stable for large ``|x|``.

    The output carries its logits as ``_keras_logits`` (as in Keras), so that
    ``binary_crossentropy`` on it takes the stable from-logits path, tape or not.
    """
    x = as_tensor(x)
    output = _nn.sigmoid(x)
    output._keras_logits = x
    return output


def tanh(x):
    """Hyperbolic tangent."""
    return _nn.tanh(as_tensor(x))


def softmax(x, axis: int = -1):
    """Softmax along ``axis`` (float16 inputs are computed in float32).

    A softmax over the last axis carries its logits as ``_keras_logits`` (as in Keras), so
    that the cross-entropies on it take the stable from-logits path, tape or not.
    """
    x = as_tensor(x)
    output = _nn.softmax(x, axis=axis)
    if axis == -1 or axis == x.ndim - 1:
        output._keras_logits = x
    return output


def linear(x):
    """The identity (the activation of a layer given ``activation=None``)."""
    return as_tensor(x)


def leaky_relu(x, negative_slope: float = 0.2, alpha=None):
    """``x`` for positive ``x``, else ``negative_slope * x`` (Keras 3's name; ``alpha`` is
    tf.keras 2's, give one of the two)."""
    if alpha is not None:
        if negative_slope != 0.2:
            raise TypeError(
                "leaky_relu: pass negative_slope (Keras 3) or alpha (tf.keras 2), not both; "
                f"received negative_slope={negative_slope!r}, alpha={alpha!r}"
            )
        negative_slope = alpha
    return _nn.leaky_relu(as_tensor(x), negative_slope)


def elu(x, alpha: float = 1.0):
    """Exponential linear unit: ``x`` for positive ``x``, else ``alpha * (exp(x) - 1)``."""
    return _nn.elu(as_tensor(x), alpha)


def gelu(x, approximate: bool = False):
    """Gaussian error linear unit (exact erf form by default, as Keras)."""
    return _nn.gelu(as_tensor(x), approximate)


def softplus(x):
    """``log(1 + exp(x))``, stable for large ``|x|``."""
    return _nn.softplus(as_tensor(x))


def swish(x):
    """``x * sigmoid(x)`` (also called SiLU)."""
    x = as_tensor(x)
    return x * _nn.sigmoid(x)


swish.__name__ = swish.__qualname__ = "silu"  # Keras 3's name for it (swish is the alias)


def selu(x):
    """Scaled exponential linear unit with the constants of Klambauer et al. (2017)."""
    return _nn.elu(as_tensor(x), 1.6732632423543772) * 1.0507009873554805


_BY_NAME = {
    "relu": relu,
    "sigmoid": sigmoid,
    "tanh": tanh,
    "softmax": softmax,
    "linear": linear,
    "leaky_relu": leaky_relu,
    "elu": elu,
    "gelu": gelu,
    "softplus": softplus,
    "silu": swish,  # first: Keras serializes this function as "silu"
    "swish": swish,
    "selu": selu,
}
_NAME_OF = {fn: name for name, fn in reversed(list(_BY_NAME.items()))}


def get(identifier):
    """The activation function for ``identifier``.

    Args:
        identifier: None (linear), a name such as ``"relu"``, or a callable (returned as is).

    Raises:
        ValueError: for an unknown name, listing the valid ones.
        TypeError: for anything else.
    """
    if identifier is None:
        return linear
    if isinstance(identifier, str):
        return deserialize(identifier)
    if isinstance(identifier, dict) and "class_name" in identifier:
        if identifier["class_name"] == "function":  # Keras 3's form of a custom function
            return deserialize(identifier["config"])
        return deserialize(identifier["class_name"])
    if callable(identifier):
        return identifier
    raise TypeError(f"activations.get: expected a name or a callable, received {identifier!r}")


def deserialize(name: str, custom_objects: dict | None = None):
    """The activation called ``name``: in ``custom_objects``, a built-in, or registered
    (``keras.saving.register_keras_serializable``, ``custom_object_scope``)."""
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    fn = _BY_NAME.get(name)
    if fn is None:
        from .saving.object_registration import get_registered_object

        fn = get_registered_object(name, custom_objects)
    if fn is None:
        raise ValueError(
            f"unknown activation {name!r}; expected one of {', '.join(sorted(_BY_NAME))} "
            "or a callable"
        )
    return fn


def serialize(activation):
    """How Keras 3 stores ``activation`` in a config: a built-in by its name; a custom
    function as ``{"class_name": "function", "config": name, ...}``, ``name`` being its
    registered ``"package>name"`` (``register_keras_serializable``) or its ``__name__``
    (pass it in ``custom_objects`` to load it)."""
    if activation is None:
        return "linear"
    name = _NAME_OF.get(activation)
    if name is not None:
        return name
    from .saving.object_registration import get_registered_name

    return {
        "module": "builtins",
        "class_name": "function",
        "config": get_registered_name(activation),
        "registered_name": "function",
    }


__all__ = [
    "deserialize",
    "elu",
    "gelu",
    "get",
    "leaky_relu",
    "linear",
    "relu",
    "selu",
    "serialize",
    "sigmoid",
    "softmax",
    "softplus",
    "swish",
    "tanh",
]

# Keras 3's further activations (mish, hard_sigmoid, relu6, ...), by name too.
from . import activations_more as _more  # noqa: E402

globals().update(_more.BY_NAME)
_BY_NAME.update({k: v for k, v in _more.BY_NAME.items() if k not in _BY_NAME})
_NAME_OF.update({fn: name for name, fn in reversed(_more.BY_NAME.items()) if fn not in _NAME_OF})
__all__ += sorted(_more.BY_NAME)

silu = swish  # keras.activations.silu is keras.activations.swish


def _symbolic_aware(fn, name: str):
    """``fn``, or on a KerasTensor (``x = keras.activations.swish(x)`` in a functional model,
    as Keras 3 allows) the output of a layer that applies it."""

    @functools.wraps(fn)
    def activation(x, *args, **kwargs):
        if getattr(type(x), "_is_keras_tensor", False):
            from .layers.op_lambda import TFOpLambda

            return TFOpLambda("keras.activations", name)(x, *args, **kwargs)
        return fn(x, *args, **kwargs)

    activation.__wrapped_op__ = fn
    return activation


def _wrap_all() -> None:
    wrapped = {}
    for name in __all__:
        fn = globals()[name]
        if name in ("deserialize", "get", "serialize") or not callable(fn):
            continue
        if fn not in wrapped:
            wrapped[fn] = _symbolic_aware(fn, name)
        globals()[name] = wrapped[fn]
    for name, fn in list(_BY_NAME.items()):
        _BY_NAME[name] = wrapped.get(fn, fn)
    for fn, name in list(_NAME_OF.items()):  # a raw function someone kept serializes too
        _NAME_OF.setdefault(wrapped.get(fn, fn), name)


_wrap_all()
silu = swish  # the wrapped one
