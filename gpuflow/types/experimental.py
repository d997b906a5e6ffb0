"""``tf.types.experimental``: abstract base classes for isinstance checks.

``TensorLike`` is TensorFlow's union of what converts to a tensor (tensors and variables,
objects with ``__tf_tensor__``, Python numbers, strings, lists, tuples and NumPy values).
``PolymorphicFunction`` (alias ``GenericFunction``) holds ``tf.function`` objects,
including those restored by ``tf.saved_model.load``; ``ConcreteFunction`` holds their
concrete functions; both are ``Callable``s.
"""

from __future__ import annotations

import abc
import inspect
import typing

import numpy as np

from ..graph.concrete import ConcreteFunction as _GraphConcreteFunction
from ..graph.function import Function as _GraphFunction
from ..tensor import Tensor


@typing.runtime_checkable
class TensorProtocol(typing.Protocol):
    """Objects that give a tensor through ``__tf_tensor__(dtype=None, name=None)``."""

    def __tf_tensor__(self, dtype=None, name=None): ...


TensorLike = typing.Union[
    Tensor,
    TensorProtocol,
    int,
    float,
    bool,
    str,
    bytes,
    complex,
    tuple,
    list,
    np.ndarray,
    np.generic,
]


class Callable(metaclass=abc.ABCMeta):
    """Base of the function types: something called with tensors."""


class ConcreteFunction(Callable):
    """A function traced for one input signature (``f.get_concrete_function(...)``)."""


class PolymorphicFunction(Callable):
    """A ``tf.function``: traces one concrete function per input signature."""


GenericFunction = PolymorphicFunction


class AtomicFunction(Callable):
    """A single traced graph as a callable (TensorFlow's lowest function level)."""


class TraceType(metaclass=abc.ABCMeta):
    """The type ``tf.function`` traces a value as (a shape and dtype, a Python value)."""


@typing.runtime_checkable
class SupportsTracingProtocol(typing.Protocol):
    """Objects that say how ``tf.function`` traces them (``__tf_tracing_type__``)."""

    def __tf_tracing_type__(self, context): ...


class FunctionType(inspect.Signature):
    """The signature of a traced function, as an ``inspect.Signature``."""


PolymorphicFunction.register(_GraphFunction)
ConcreteFunction.register(_GraphConcreteFunction)

__all__ = [
    "AtomicFunction",
    "Callable",
    "ConcreteFunction",
    "FunctionType",
    "GenericFunction",
    "PolymorphicFunction",
    "SupportsTracingProtocol",
    "TensorLike",
    "TraceType",
]
