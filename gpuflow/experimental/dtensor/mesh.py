"""``dtensor.Mesh``: named dimensions over a grid of (logical) devices, single client.

gpuflow runs every logical device of a mesh on the one device the values live on; the
mesh is the bookkeeping that layouts and ``unpack`` use to say which device holds which
shard, with TensorFlow's names and string form.
"""

from __future__ import annotations

import itertools

import numpy as np

from .names import full_device_name


class Mesh:
    """A grid of devices with named dimensions (``tf.experimental.dtensor.Mesh``).

    Args:
        dim_names: the names of the mesh dimensions.
        global_device_ids: an ndarray of consecutive ids whose shape is the mesh's.
        local_device_ids: the ids of this client's devices (all of them: single client).
        local_devices: device names or ``tf.DeviceSpec`` s, one per local id.
        mesh_name: an optional name.
        global_devices: accepted as TensorFlow's (multi-mesh setups).
        use_xla_spmd: must be False except on TPUs (as TensorFlow).
    """

    def __init__(
        self,
        dim_names,
        global_device_ids,
        local_device_ids,
        local_devices,
        mesh_name: str = "",
        global_devices=None,
        use_xla_spmd: bool = False,
    ):
        if not isinstance(global_device_ids, np.ndarray):
            raise ValueError("Variable global_device_ids must be an ndarray.")
        if global_device_ids.size == 0:
            raise ValueError("Variable global_device_ids must be non-empty.")
        flat = global_device_ids.ravel()
        if any(int(g) - i != int(flat[0]) for i, g in enumerate(flat)):
            raise ValueError(f"global_device_ids must sequentially increase: {global_device_ids}")
        if len(dim_names) != global_device_ids.ndim:
            raise ValueError("Number of mesh dimensions does not match number of dimension names.")
        if not isinstance(local_device_ids, list):
            raise ValueError("Variable local_device_ids must be a list of integers.")
        if not isinstance(local_devices, list):
            raise ValueError("Variable local_devices must be a list of DeviceSpecs.")
        if not local_devices and not global_devices:
            raise ValueError("Empty list of devices not allowed.")
        if len(local_device_ids) != len(local_devices):
            raise ValueError("Variable local_device_ids does not have same size as local_devices.")
        if len(set(dim_names)) != len(dim_names):
            raise ValueError(f"Mesh dimension names must be unique, received {list(dim_names)}")
        devices = [full_device_name(d) for d in local_devices]
        kinds = {d.rsplit("/device:", 1)[1].split(":")[0] for d in devices}
        if len(kinds) > 1:
            raise ValueError(f"Devices containing multiple device_types : {kinds}")
        self._device_type = kinds.pop() if kinds else "CPU"
        if use_xla_spmd and self._device_type != "TPU":
            raise ValueError(
                f"XLA SPMD is not currently not supported for {self._device_type} mesh."
            )
        if len(set(devices)) != len(devices) and len(set(devices)) > 1:
            dups = [d for d in devices if devices.count(d) > 1]
            raise ValueError(f"Duplicate devices found in mesh specification {dups}.")
        self._dim_names = [str(n) for n in dim_names]
        self._shape = [int(s) for s in global_device_ids.shape]
        self._global_ids = flat.astype(np.int64).tolist()
        self._local_ids = [int(i) for i in local_device_ids]
        self._local_devices = devices
        self._name = str(mesh_name)
        self._use_xla_spmd = bool(use_xla_spmd)

    # -- TensorFlow's accessors -------------------------------------------------------
    @property
    def dim_names(self) -> list:
        return list(self._dim_names)

    @property
    def size(self) -> int:
        return len(self._global_ids)

    @property
    def name(self) -> str:
        return self._name

    @property
    def strides(self) -> list:
        out, step = [], 1
        for s in reversed(self._shape):
            out.append(step)
            step *= s
        return out[::-1]

    def shape(self) -> list:
        return list(self._shape)

    def dim_size(self, dim_name: str) -> int:
        if dim_name not in self._dim_names:
            raise ValueError(f"Mesh has no dimension {dim_name!r}; dimensions: {self._dim_names}")
        return self._shape[self._dim_names.index(dim_name)]

    def contains_dim(self, dim_name: str) -> bool:
        return dim_name in self._dim_names

    def __contains__(self, dim_name) -> bool:
        return dim_name in self._dim_names

    def __getitem__(self, dim_name: str):
        from collections import namedtuple

        return namedtuple("MeshDimension", ["name", "size"])(dim_name, self.dim_size(dim_name))

    def device_type(self) -> str:
        return self._device_type

    def global_device_ids(self) -> np.ndarray:
        return np.array(self._global_ids, dtype=np.int64).reshape(self._shape)

    def local_device_ids(self) -> list:
        return list(self._local_ids)

    def local_devices(self) -> list:
        return list(self._local_devices)

    def num_local_devices(self) -> int:
        return len(self._local_devices)

    def is_single_device(self) -> bool:
        return False

    def is_remote(self) -> bool:
        return False

    def use_xla_spmd(self) -> bool:
        return self._use_xla_spmd

    def min_global_device_id(self) -> int:
        return min(self._global_ids)

    def unravel_index(self) -> dict:
        """``{device id: {dim name: index}}`` in row-major order of the mesh."""
        ranges = [range(s) for s in self._shape]
        return {
            i: dict(zip(self._dim_names, pos)) for i, pos in enumerate(itertools.product(*ranges))
        }

    def local_device_locations(self) -> list:
        mapping = self.unravel_index()
        return [mapping[i - self.min_global_device_id()] for i in self._local_ids]

    def device_location(self, device_id: int) -> list:
        loc = self.unravel_index()[device_id]
        return [loc[n] for n in self._dim_names]

    def host_mesh(self) -> "Mesh":
        if self._device_type == "CPU":
            return self
        hosts = [
            d.rsplit("/device:", 1)[0] + f"/device:CPU:{i}"
            for i, d in enumerate(self._local_devices)
        ]
        return Mesh(
            self._dim_names, self.global_device_ids(), self.local_device_ids(), hosts, self._name
        )

    # -- string form, equality --------------------------------------------------------
    def to_string(self) -> str:
        dims = ",".join(f"{n}={s}" for n, s in zip(self._dim_names, self._shape))
        ids = ",".join(str(i) for i in self._global_ids)
        local = ",".join(str(i) for i in self._local_ids)
        return f"{self._name}|{dims}|{ids}|{local}|{','.join(self._local_devices)}"

    @classmethod
    def from_string(cls, mesh_str: str) -> "Mesh":
        parts = str(mesh_str).split("|")
        if len(parts) not in (5, 6):
            raise ValueError(f"Mesh.from_string: cannot parse {mesh_str!r}")
        name, dims, ids, local, devices = parts[:5]
        pairs = [d.split("=") for d in dims.split(",") if d]
        shape = [int(s) for _, s in pairs]
        global_ids = np.array([int(i) for i in ids.split(",") if i]).reshape(shape)
        return cls(
            [n for n, _ in pairs],
            global_ids,
            [int(i) for i in local.split(",") if i],
            [d for d in devices.split(",") if d],
            name,
        )

    def __eq__(self, other) -> bool:
        return isinstance(other, Mesh) and self.to_string() == other.to_string()

    def __ne__(self, other) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash(self.to_string())

    def __repr__(self) -> str:
        return f"Mesh.from_string({self.to_string()})"

    __str__ = __repr__

    def __reduce__(self):
        return Mesh.from_string, (self.to_string(),)
