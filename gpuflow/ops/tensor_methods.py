"""Tensor methods of TensorFlow's API beyond the operators: ``get_shape``, ``set_shape``
and ``ref`` (a hashable reference, ``ref().deref()`` is the tensor); and ``round()`` of a
variable, as a Keras 3 variable has it."""

from __future__ import annotations

from .. import dtypes
from ..tensor import Tensor, TensorShape, Variable
from . import unary


class Reference:
    """A hashable reference to a tensor or variable, equal for the same object."""

    __slots__ = ("_target",)

    def __init__(self, target) -> None:
        self._target = target

    def deref(self):
        """The tensor this reference points to."""
        return self._target

    def __eq__(self, other) -> bool:
        return isinstance(other, Reference) and other._target is self._target

    def __hash__(self) -> int:
        return id(self._target)

    def __repr__(self) -> str:
        return f"<Reference wrapping {self._target!r}>"


def get_shape(self) -> TensorShape:
    """The tensor's shape (as ``tensor.shape``: None sizes of a tf.function input)."""
    return self._static_shape()


def set_shape(self, shape) -> None:
    """Check that ``shape`` (``None`` dims match anything) fits the tensor's shape; a
    ValueError naming both when it does not (an eager tensor's shape is already known)."""
    shape = None if shape is None else TensorShape(shape)
    dims = None if shape is None or shape.rank is None else shape.as_list()
    actual = tuple(self.shape)
    if dims is not None and (
        len(dims) != len(actual) or any(d is not None and d != a for d, a in zip(dims, actual))
    ):
        raise ValueError(
            f"Tensor's shape {actual} is not compatible with supplied shape {tuple(dims)}."
        )


def ref(self) -> Reference:
    """A hashable reference to this tensor, for sets and dict keys."""
    return Reference(self)


def variable_round(self, ndigits=None) -> Tensor:
    """``round(variable, ndigits)``: a Tensor rounded half to even, as a Keras 3 variable
    (the Keras LearningRateScheduler docstring does ``round(model.optimizer.learning_rate,
    5)``). A tf.Tensor keeps TensorFlow's refusal until NumPy behaviour is enabled."""
    if ndigits is not None and (isinstance(ndigits, bool) or not isinstance(ndigits, int)):
        raise TypeError(f"round: ndigits must be an int or None, received {ndigits!r}")
    value = self.read_value()
    if not dtypes.is_floating(value.dtype):
        return value
    if not ndigits:
        return unary.round(value)
    scale = 10.0**ndigits
    return unary.round(value * scale) / scale


def install() -> None:
    if "__round__" not in vars(Variable):
        Variable.__round__ = variable_round
    for name, fn in (("get_shape", get_shape), ("set_shape", set_shape), ("ref", ref)):
        if not hasattr(Tensor, name):
            setattr(Tensor, name, fn)
    if not hasattr(Tensor, "experimental_ref"):
        Tensor.experimental_ref = ref


install()
