"""Variable methods that need ops (installed on the class here, as operators.py does for
Tensor): differentiable reads, sliced assignment, scatter updates."""

from __future__ import annotations

from ..tensor import Tensor, Variable
from ._common import invalid_argument
from .indexing import _device_index, _int_indices, _nd_index, getitem
from .shape import identity


def read_value(self) -> Tensor:
    """The current value as a new tensor (a differentiable read: gradients reach the
    variable; later assignments do not change it)."""
    return identity(self)


class VariableSlice(Tensor):
    """``variable[index]``: a tensor of the selected values that can also ``assign`` them."""

    __slots__ = ("_variable", "_index")

    def assign(self, value, use_locking=None, name=None, read_value=True):
        """Write ``value`` into the slice of the variable; returns the variable."""
        var = self._variable
        array = var._device.asarray(
            value._data if isinstance(value, Tensor) else value, dtype=var.dtype
        )
        target_shape = var._data[self._index].shape
        try:
            var._device.xp.broadcast_to(array, target_shape)
        except ValueError:
            raise invalid_argument(
                "Variable.assign",
                f"value of shape {tuple(array.shape)} does "
                f"not fit the slice of shape "
                f"{tuple(target_shape)}",
            ) from None
        new = var._data.copy()  # never in place: tensors read earlier keep their values
        new[self._index] = array
        var._data = new
        return var if read_value else None


def _getitem(self, index) -> Tensor:
    out = getitem(self, index)
    sliced = object.__new__(VariableSlice)
    sliced._data, sliced._device, sliced._node = out._data, out._device, out._node
    sliced._trainable, sliced._name = False, None
    sliced._variable, sliced._index = self, _device_index(index, self._device, "getitem")
    if self._trainable:  # the slice may be a view of the variable's array (Variable._update_buffer)
        self._note_reader(sliced)
    return sliced


def _scatter(mode):
    def method(self, indices, updates, name=None):
        idx = _int_indices(indices, self._device, f"Variable.scatter_nd_{mode}")
        index = _nd_index(idx, self.shape, f"Variable.scatter_nd_{mode}")
        array = self._device.asarray(
            updates._data if isinstance(updates, Tensor) else updates, dtype=self.dtype
        )
        expected = tuple(idx.shape[:-1]) + tuple(self.shape[idx.shape[-1] :])
        if tuple(array.shape) != expected:
            raise invalid_argument(
                f"Variable.scatter_nd_{mode}",
                f"updates must have shape {expected}, received {tuple(array.shape)}",
            )
        new = self._data.copy()
        if mode == "update":
            new[index] = array
        else:
            self._device.xp.add.at(new, index, array if mode == "add" else -array)
        self._data = new
        return self

    method.__name__ = f"scatter_nd_{mode}"
    method.__doc__ = f"``tensor_scatter_nd_{mode}`` applied to the variable in place; returns it."
    return method


def install() -> None:
    Variable.read_value = read_value
    Variable.value = read_value
    Variable.__getitem__ = _getitem
    Variable.scatter_nd_update = _scatter("update")
    Variable.scatter_nd_add = _scatter("add")
    Variable.scatter_nd_sub = _scatter("sub")


install()
