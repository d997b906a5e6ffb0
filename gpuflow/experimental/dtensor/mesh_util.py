"""``create_mesh`` / ``create_distributed_mesh`` for one client."""

from __future__ import annotations

import numpy as np

from . import clients
from .mesh import Mesh
from .names import full_device_name


def _devices(devices, device_type):
    if devices is None:
        kind = (device_type or "CPU").upper()
        return [f"{kind}:{i}" for i in range(clients.num_local_devices(kind))]
    return list(devices)


def create_mesh(
    mesh_dims=None, mesh_name: str = "", devices=None, device_type=None, use_xla_spmd: bool = False
) -> Mesh:
    """A mesh over ``devices`` (default: every logical device of ``device_type``, CPU).

    Args:
        mesh_dims: ``[(name, size), ...]`` or ``{name: size}``; default ``[("x", all)]``;
            one dimension of size -1 takes every device.
    """
    names = [
        full_device_name(f"/job:{clients.job_name()}/replica:0/task:0/device:{d}")
        if isinstance(d, str) and "/" not in d
        else full_device_name(d)
        for d in _devices(devices, device_type)
    ]
    if isinstance(mesh_dims, dict):
        mesh_dims = list(mesh_dims.items())
    if mesh_dims is None:
        mesh_dims = [("x", len(names))]
    mesh_dims = [tuple(d) for d in mesh_dims]
    if len(mesh_dims) == 1 and mesh_dims[0][1] == -1:
        mesh_dims[0] = (mesh_dims[0][0], len(names))
    shape = [int(d[1]) for d in mesh_dims]
    if int(np.prod(shape)) != len(names):
        raise ValueError(
            f"length of devices ({len(names)}) must be equal to total size of the mesh of "
            f"shape {shape}"
        )
    ids = np.arange(len(names)).reshape(shape)
    return Mesh(
        [d[0] for d in mesh_dims],
        ids,
        ids.ravel().tolist(),
        names,
        mesh_name,
        use_xla_spmd=use_xla_spmd,
    )


def create_distributed_mesh(
    mesh_dims, mesh_name: str = "", local_devices=None, device_type=None, use_xla_spmd: bool = False
) -> Mesh:
    """The multi-client mesh of TensorFlow; with gpuflow's one client, ``create_mesh``."""
    if isinstance(mesh_dims, dict):
        mesh_dims = list(mesh_dims.items())
    if any(int(size) < 0 for _, size in mesh_dims):
        raise ValueError("create_distributed_mesh: every mesh dimension needs a size >= 0")
    return create_mesh(mesh_dims, mesh_name, local_devices, device_type, use_xla_spmd)
