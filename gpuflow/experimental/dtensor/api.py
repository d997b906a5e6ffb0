"""``tf.experimental.dtensor``'s functions: pack/unpack, layouts of tensors, relayout,
copy_to_mesh, call_with_layout and the default mesh."""

from __future__ import annotations

import contextlib
import threading

import numpy as np

from ...errors import InvalidArgumentError
from ...tensor import Tensor
from .component import component
from .layout import MATCH, UNSHARDED, Layout
from .mesh import Mesh
from .tensor import DTensor, component_arrays

_state = threading.local()


def is_dtensor(tensor) -> bool:
    """Whether ``tensor`` is a DTensor (or a DVariable with a layout)."""
    return isinstance(tensor, Tensor) and getattr(tensor, "_layout", None) is not None


def _require(tensor, op: str):
    layout = getattr(tensor, "_layout", None) if isinstance(tensor, Tensor) else None
    if layout is None:
        raise InvalidArgumentError(
            None,
            op,
            f"{op} expects a DTensor (made by dtensor.pack, copy_to_mesh, relayout or "
            f"call_with_layout), received {type(tensor).__name__}",
        )
    return layout


def fetch_layout(tensor) -> Layout:
    """The layout of a DTensor or DVariable."""
    return _require(tensor, "FetchLayout")


def check_layout(tensor, layout: Layout) -> None:
    """Raise ``ValueError`` unless ``tensor``'s layout is ``layout``."""
    if fetch_layout(tensor) != layout:
        raise ValueError(
            f"Layout of tensor: {fetch_layout(tensor)!r}, did not match expected layout: {layout!r}"
        )


def unpack(tensor) -> list:
    """The component of each local device of the mesh (mesh order), each a tensor whose
    ``device`` is that device."""
    layout = _require(tensor, "DTensorUnpack")
    array = tensor._data
    return [
        component(a, tensor._device, d)
        for a, d in zip(component_arrays(array, layout), layout.mesh.local_devices())
    ]


def pack(tensors, layout: Layout) -> DTensor:
    """A DTensor of ``layout`` from one component per local device of its mesh.

    The global value is assembled from the components of the shards (the first device
    holding each shard gives it).
    """
    from ...ops.creation import convert_to_tensor as to_tensor

    if not isinstance(layout, Layout):
        raise TypeError(f"pack: layout must be a dtensor.Layout, received {type(layout).__name__}")
    mesh = layout.mesh
    tensors = list(tensors)
    if len(tensors) != mesh.num_local_devices():
        raise InvalidArgumentError(
            None,
            "DTensorPack",
            f"DTensorPack: the mesh has {mesh.num_local_devices()} devices, expected "
            f"{mesh.num_local_devices()} components, received {len(tensors)}",
        )
    parts = [to_tensor(t) for t in tensors]
    shape = tuple(parts[0].shape)
    for p in parts:
        if tuple(p.shape) != shape or p.dtype != parts[0].dtype:
            raise InvalidArgumentError(
                None,
                "DTensorPack",
                f"DTensorPack: components must share shape and dtype; received "
                f"{shape} {parts[0].dtype.name} and {tuple(p.shape)} {p.dtype.name}",
            )
    if len(shape) != layout.rank:
        raise InvalidArgumentError(
            None,
            "DTensorPack",
            f"DTensorPack: components of rank {len(shape)} for a layout of rank {layout.rank}",
        )
    xp = parts[0]._device.xp
    blocks = {}
    for p, loc in zip(parts, mesh.local_device_locations()):
        key = tuple(0 if s == UNSHARDED else loc[s] for s in layout.sharding_specs)
        blocks.setdefault(key, p._data)
    counts = [layout.num_shards(i) for i in range(layout.rank)]
    grid = np.empty(counts, dtype=object) if counts else None
    if grid is None:
        whole = blocks[()]
    else:
        for key, block in blocks.items():
            grid[key] = block
        whole = xp.block(grid.tolist()) if layout.rank else grid[()]
    return DTensor._of(Tensor._wrap(whole, parts[0]._device), layout)


def relayout(tensor, layout: Layout, name=None) -> DTensor:
    """``tensor`` (a DTensor, or a plain tensor taken as replicated) with ``layout``;
    ``MATCH`` entries keep the current sharding of their axis."""
    from ...ops.creation import convert_to_tensor as to_tensor

    if not isinstance(layout, Layout):
        raise TypeError(
            f"relayout: layout must be a dtensor.Layout, received {type(layout).__name__}"
        )
    if not isinstance(tensor, Tensor):
        tensor = to_tensor(tensor)
    current = getattr(tensor, "_layout", None)
    if MATCH in layout.sharding_specs:
        if current is None:
            raise ValueError("relayout: a MATCH sharding spec needs a DTensor input")
        specs = [
            c if s == MATCH else s for s, c in zip(layout.sharding_specs, current.sharding_specs)
        ]
        layout = Layout(specs, layout.mesh)
    if tensor.ndim != layout.rank:
        raise ValueError(
            f"relayout: layout of rank {layout.rank} for a tensor of shape {tuple(tensor.shape)}"
        )
    return DTensor._of(tensor, layout)


def relayout_like(tensor, layout_tensor, name=None) -> DTensor:
    """``tensor`` with the layout of ``layout_tensor``."""
    return relayout(tensor, fetch_layout(layout_tensor), name)


def copy_to_mesh(tensor, layout: Layout, source_layout=None) -> DTensor:
    """A plain tensor copied onto ``layout``'s mesh."""
    return relayout(tensor, layout)


def call_with_layout(fn, layout, *args, **kwargs):
    """``fn(*args, **kwargs)`` (e.g. ``tf.ones``) with its result given ``layout``.

    With ``layout`` None, the plain call.
    """
    if layout is None:
        return fn(*args, **kwargs)
    with default_mesh(layout.mesh):
        out = fn(*args, **kwargs)
    if isinstance(out, (list, tuple)):
        return type(out)(relayout(o, layout) for o in out)
    return relayout(out, layout)


@contextlib.contextmanager
def default_mesh(mesh: Mesh):
    """Scope in which ``get_default_mesh()`` is ``mesh``."""
    if not isinstance(mesh, Mesh):
        raise ValueError(f"default_mesh expects a dtensor.Mesh, received {type(mesh).__name__}")
    stack = getattr(_state, "stack", None)
    if stack is None:
        stack = _state.stack = []
    stack.append(mesh)
    try:
        yield
    finally:
        stack.pop()


run_on = default_mesh


def get_default_mesh():
    """The mesh of the innermost ``default_mesh`` scope, or None."""
    stack = getattr(_state, "stack", None)
    return stack[-1] if stack else None


def device_name() -> str:
    """The name of the DTensor device (TensorFlow's custom device)."""
    return "/job:localhost/replica:0/task:0/device:CUSTOM:0"
