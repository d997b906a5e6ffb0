"""Tensors leaked out of a trace: made while ``gpuflow.function`` traced, kept by the user
(in a list, on an attribute) and used after the trace. As TensorFlow, whose graph tensors
are out of scope once their function is traced, using one raises a TypeError that says so;
its shape and dtype stay readable, and it has no ``numpy()`` (an AttributeError).
"""

from __future__ import annotations

import sys
import weakref

from .. import dtypes, nest
from ..tensor import Tensor
from ..tensor_shape import TensorShape

_RAW_DATA = Tensor._data  # the slot's own descriptor (the subclass hides it)

# Modules whose recorded steps keep the trace's tensors and read them on each replay.
_REPLAYERS = ("gpuflow.graph.", "gpuflow.autodiff.backprop")

_HELP = (
    "Use return values, explicit Python locals or TensorFlow collections to access it.\n"
    "Please see https://www.tensorflow.org/guide/function"
    "#all_outputs_of_a_tffunction_must_be_return_values for more information."
)


# id(tensor) -> its static shape (None sizes), for a ConcreteFunction's structured_outputs
_STATIC: dict = {}


def set_static_shape(t, shape: TensorShape) -> None:
    """Let ``t`` (out of scope) show ``shape``: its static shape in the trace."""
    if type(t) is OutOfScopeTensor and id(t) not in _STATIC:
        _STATIC[id(t)] = shape
        weakref.finalize(t, _STATIC.pop, id(t), None)


def _text(t) -> str:
    name = "" if t._name is None else f"'{t._name}' "
    return f"<tf.Tensor {name}shape={t.shape} dtype={t.dtype.name}>"


class OutOfScopeTensor(Tensor):
    """A tensor of a finished trace (see the module's docstring)."""

    __slots__ = ()

    def _out_of_scope(self):
        raise TypeError(f"{_text(self)} is out of scope and cannot be used here. {_HELP}")

    @property
    def _data(self):
        if sys._getframe(1).f_globals.get("__name__", "").startswith(_REPLAYERS):
            return _RAW_DATA.__get__(self)  # a recorded step replaying (a gradient's sources)
        self._out_of_scope()

    @_data.setter
    def _data(self, value):
        _RAW_DATA.__set__(self, value)

    @property
    def shape(self) -> TensorShape:
        static = _STATIC.get(id(self))
        return TensorShape(_RAW_DATA.__get__(self).shape) if static is None else static

    def _static_shape(self) -> TensorShape:
        return self.shape

    def _array(self):
        """The trace-time array (for gpuflow's ConcreteFunction, never for user code)."""
        return _RAW_DATA.__get__(self)

    @property
    def dtype(self) -> dtypes.DType:
        return dtypes.of(_RAW_DATA.__get__(self).dtype)

    def numpy(self):
        raise AttributeError(
            f"{_text(self)} was made while tracing a tf.function and is out of scope: a "
            f"graph tensor has no numpy(). {_HELP}"
        )

    def __repr__(self) -> str:
        return _text(self)

    __str__ = __repr__


def fresh(outputs):
    """``outputs`` with each plain tensor (one no tape recorded) in a new Tensor around the
    same array: the caller's values, while the trace's own tensors go out of scope."""

    def leaf(t):
        if type(t) is Tensor and t._node is None:
            return Tensor._wrap(_RAW_DATA.__get__(t), t._device)
        return t

    return nest.map_structure(leaf, outputs, expand_composites=nest.EXTENSION_TYPES)


class Made:
    """The tensors a trace makes, noted weakly (``note``); ``close`` marks those still
    alive, other than the function's outputs, out of scope."""

    def __init__(self) -> None:
        self._refs: list = []

    def note(self, tensor) -> None:
        if type(tensor) is Tensor:
            self._refs.append(weakref.ref(tensor))

    def close(self, outputs) -> None:
        """Mark the noted tensors out of scope, except ``outputs``' (the caller's)."""
        kept = set()
        for leaf in nest.flatten(outputs, expand_composites=nest.EXTENSION_TYPES):
            # a composite (RaggedTensor, SparseTensor) keeps its component tensors
            parts = [leaf] + list(getattr(leaf, "__dict__", {}).values())
            kept.update(id(t) for t in parts if isinstance(t, Tensor))
        for ref in self._refs:
            t = ref()
            if t is not None and type(t) is Tensor and id(t) not in kept:
                t.__class__ = OutOfScopeTensor
        self._refs = []
