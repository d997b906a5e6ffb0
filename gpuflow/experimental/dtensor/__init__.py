"""``tf.experimental.dtensor`` for one client: meshes of the logical devices ``tf.config``
lists, layouts, and DTensors whose ops give the global values of plain tensors.

A DTensor holds its global value (on gpuflow's one device) and a :class:`Layout`; its
per-device components are the slices ``unpack`` returns. Layouts of op results follow
TensorFlow's simple rules (:mod:`.propagate`).
"""

from __future__ import annotations

from ... import _api_dispatch
from .api import (
    call_with_layout,
    check_layout,
    copy_to_mesh,
    default_mesh,
    device_name,
    fetch_layout,
    get_default_mesh,
    is_dtensor,
    pack,
    relayout,
    relayout_like,
    run_on,
    unpack,
)
from .clients import (
    barrier,
    client_id,
    full_job_name,
    heartbeat_enabled,
    initialize_accelerator_system,
    job_name,
    jobs,
    local_devices,
    num_clients,
    num_global_devices,
    num_local_devices,
    preferred_device_type,
    shutdown_accelerator_system,
)
from .dvariable import DVariable
from .layout import MATCH, UNSHARDED, Layout
from .mesh import Mesh
from .mesh_util import create_distributed_mesh, create_mesh
from .operators import install as _install_operators
from .propagate import check_operands as _check_operands
from .propagate import gradients_with_layouts as _gradients_with_layouts
from .propagate import with_layouts as _with_layouts
from .tensor import DTensor

_install_operators(DTensor)
_install_operators(DVariable)


def _run_op(fn, name, args, kwargs):
    _check_operands(name, args, kwargs)
    return _with_layouts(name, args, kwargs, fn(*args, **kwargs))


_api_dispatch.register_type_handler((DTensor, DVariable), _run_op)
if _gradients_with_layouts not in _api_dispatch.GRADIENT_HOOKS:
    _api_dispatch.GRADIENT_HOOKS.append(_gradients_with_layouts)

__all__ = [
    "DTensor",
    "DVariable",
    "Layout",
    "MATCH",
    "Mesh",
    "UNSHARDED",
    "barrier",
    "call_with_layout",
    "check_layout",
    "client_id",
    "copy_to_mesh",
    "create_distributed_mesh",
    "create_mesh",
    "default_mesh",
    "device_name",
    "fetch_layout",
    "full_job_name",
    "get_default_mesh",
    "heartbeat_enabled",
    "initialize_accelerator_system",
    "is_dtensor",
    "job_name",
    "jobs",
    "local_devices",
    "num_clients",
    "num_global_devices",
    "num_local_devices",
    "pack",
    "preferred_device_type",
    "relayout",
    "relayout_like",
    "run_on",
    "shutdown_accelerator_system",
    "unpack",
]
