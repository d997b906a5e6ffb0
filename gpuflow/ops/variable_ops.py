"""Variable methods that need ops (installed on the class here, as operators.py does for
Tensor): differentiable reads, sliced assignment, scatter updates."""

from __future__ import annotations

from types import MethodType
from typing import NamedTuple

from .. import dtypes
from .._tracing import host_call, returns_first
from ..indexed_slices import IndexedSlices
from ..tensor import Tensor, Variable
from ._common import invalid_argument
from .indexing import _device_index, _int_indices, _nd_index, gather, getitem
from .indexing import gather_nd as _gather_nd
from .shape import identity


def read_value(self) -> Tensor:
    """The current value as a new tensor (a differentiable read: gradients reach the
    variable; later assignments do not change it)."""
    return identity(self)


def _value(self):
    """``variable.value``: for a Keras variable (a layer weight, ``keras.Variable``, any
    Variable with a Keras path) Keras 3's property, the variable as a tensor; for a
    ``tf.Variable`` its ``value()`` method (a read, as :func:`read_value`)."""
    if self._path is not None:
        return self
    return MethodType(read_value, self)


class _SliceKey(NamedTuple):
    """A ``slice`` inside a variable index, as a structure whose tensor bounds a compiled
    function's replay can substitute (a ``slice`` object is opaque to it)."""

    start: object
    stop: object
    step: object


def _portable(index):
    if isinstance(index, tuple):
        return tuple(_portable(i) for i in index)
    if isinstance(index, slice):
        return _SliceKey(index.start, index.stop, index.step)
    return index


def _restored(key):
    if isinstance(key, _SliceKey):
        return slice(*(int(v) if isinstance(v, Tensor) else v for v in key))
    if isinstance(key, tuple):
        return tuple(_restored(i) for i in key)
    return key


@host_call(dry_result=returns_first)
def _assign_slice(var, key, value, read_value=True):
    """``var[key] = value`` (a fresh array: tensors read earlier keep their values)."""
    index = _device_index(_restored(key), var._device, "Variable.assign")
    array = var._device.asarray(
        value._data if isinstance(value, Tensor) else value, dtype=var.dtype
    )
    target_shape = var._data[index].shape
    try:
        var._device.xp.broadcast_to(array, target_shape)
    except ValueError:
        raise invalid_argument(
            "Variable.assign",
            f"value of shape {tuple(array.shape)} does not fit the slice of shape "
            f"{tuple(target_shape)}",
        ) from None
    new = var._data.copy()
    new[index] = array
    var._data = new
    return var if read_value else None


class VariableSlice(Tensor):
    """``variable[index]``: a tensor of the selected values that can also ``assign`` them."""

    __slots__ = ("_variable", "_index")

    def assign(self, value, use_locking=None, name=None, read_value=True):
        """Write ``value`` into the slice of the variable; returns the variable (also
        inside ``tf.function``, where each call writes with that call's values)."""
        return _assign_slice(self._variable, self._index, value, read_value)


def _getitem(self, index) -> Tensor:
    out = getitem(self, index)
    sliced = object.__new__(VariableSlice)
    sliced._data, sliced._device, sliced._node = out._data, out._device, out._node
    sliced._trainable, sliced._name = False, None
    _device_index(index, self._device, "getitem")  # bad index types fail here, as getitem
    sliced._variable, sliced._index = self, _portable(index)
    if self._trainable:  # the slice may be a view of the variable's array (Variable._update_buffer)
        self._note_reader(sliced)
    return sliced


_MODES = ("update", "add", "sub", "max", "min", "mul", "div")


def _apply_at(xp, new, index, array, mode) -> None:
    """``new[index] <mode>= array`` in place, each repeated index applied in turn."""
    if mode == "update":
        new[index] = array
    elif mode in ("add", "sub"):
        xp.add.at(new, index, array if mode == "add" else -array)
    elif mode in ("max", "min"):
        getattr(xp, "maximum" if mode == "max" else "minimum").at(new, index, array)
    else:  # mul, div: by the product of the index's factors (div truncates integers, as TF)
        factors = xp.ones_like(new)
        xp.multiply.at(factors, index, array)
        if mode == "mul":
            new *= factors
        elif dtypes.kind(new.dtype) in "fc":
            new /= factors
        else:
            new[...] = xp.sign(new) * xp.sign(factors) * (xp.abs(new) // xp.abs(factors))


def _scatter_into(var, idx, updates, mode: str, op: str):
    """Apply ``updates`` at gather_nd-style integer ``idx`` ``[..., k]`` of ``var``."""
    index = _nd_index(idx, var.shape, op)
    array = var._device.asarray(
        updates._data if isinstance(updates, Tensor) else updates, dtype=var.dtype
    )
    expected = tuple(idx.shape[:-1]) + tuple(var.shape[idx.shape[-1] :])
    if tuple(array.shape) != expected:
        raise invalid_argument(
            op, f"updates must have shape {expected}, received {tuple(array.shape)}"
        )
    new = var._data.copy()  # never in place: tensors read earlier keep their values
    _apply_at(var._device.xp, new, index, array, mode)
    var._data = new
    return var


def _scatter_nd(mode):
    op = f"Variable.scatter_nd_{mode}"

    @host_call(dry_result=returns_first)
    def method(self, indices, updates, name=None):
        return _scatter_into(self, _int_indices(indices, self._device, op), updates, mode, op)

    method.__name__ = f"scatter_nd_{mode}"
    method.__doc__ = f"``tensor_scatter_nd_{mode}`` applied to the variable in place; returns it."
    return method


@host_call(dry_result=returns_first)
def _scatter_rows(var, indices, values, mode: str, op: str):
    idx = _int_indices(indices, var._device, op)
    return _scatter_into(var, idx[:, None], values, mode, op)


def _scatter(mode):
    op = f"Variable.scatter_{mode}"

    def method(self, sparse_delta, use_locking=False, name=None):
        if not isinstance(sparse_delta, IndexedSlices):
            raise TypeError(
                f"{op}: argument `sparse_delta` must be a `tf.IndexedSlices`, received "
                f"{type(sparse_delta).__name__}"
            )
        return _scatter_rows(self, sparse_delta.indices, sparse_delta.values, mode, op)

    method.__name__ = f"scatter_{mode}"
    method.__doc__ = (
        f"Rows ``sparse_delta.indices`` of the variable {mode}d with "
        "``sparse_delta.values`` (a ``tf.IndexedSlices``), in place; returns the variable."
    )
    return method


def sparse_read(self, indices, name=None) -> Tensor:
    """The rows ``indices`` of the variable (``tf.gather(variable, indices)``)."""
    return gather(self, indices)


def gather_nd(self, indices, name=None) -> Tensor:
    """``tf.gather_nd(variable, indices)``."""
    return _gather_nd(self, indices)


def install() -> None:
    Variable.sparse_read = sparse_read
    Variable.gather_nd = gather_nd
    Variable.read_value = read_value
    Variable.value = property(_value)
    Variable.__getitem__ = _getitem
    for mode in _MODES:
        if mode not in ("mul", "div"):
            setattr(Variable, f"scatter_nd_{mode}", _scatter_nd(mode))
        setattr(Variable, f"scatter_{mode}", _scatter(mode))


install()
