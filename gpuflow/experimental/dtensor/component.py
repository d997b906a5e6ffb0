"""The per-device pieces ``dtensor.unpack`` returns: tensors that name their logical device."""

from __future__ import annotations

from ...tensor import Tensor


class ComponentTensor(Tensor):
    """A plain tensor whose ``device`` is the mesh device that holds it (``.../CPU:3``)."""

    __slots__ = ("_logical_device",)

    @property
    def device(self) -> str:
        return self._logical_device


def component(array, device, logical_name: str) -> ComponentTensor:
    t = ComponentTensor._wrap(array, device)
    t._logical_device = logical_name
    return t
