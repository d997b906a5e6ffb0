"""``keras.distribution``'s ``DataParallel`` / ``ModelParallel`` and the current
distribution (thread-local, as Keras's global state).

As Keras 3 on the TensorFlow backend, a distribution is a description: setting one
changes no variable placement and ``fit`` trains as without it (Keras distributes only on
JAX). Multi-device training in gpuflow is ``tf.distribute``'s strategies."""

from __future__ import annotations

import contextlib
import threading
import warnings

import numpy as np

from .devices import list_devices
from .mesh import DeviceMesh, LayoutMap, TensorLayout

DEFAULT_BATCH_DIM_NAME = "batch"
_state = threading.local()


def distribution():
    """Returns the current distribution (None when none was set)."""
    return getattr(_state, "distribution", None)


def set_distribution(value):
    """Sets the current distribution (a ``Distribution``, or None to clear it)."""
    _state.distribution = value


class Distribution:
    """Base class: a device mesh, the mesh axis that shards batches, and the layouts of
    data, variables and intermediate tensors. One process here (no multi-host setup)."""

    def __init__(self, device_mesh, batch_dim_name=None, auto_shard_dataset=True):
        self._device_mesh = device_mesh
        self._batch_dim_name = batch_dim_name
        self._auto_shard_dataset = auto_shard_dataset
        self._num_processes = 1
        self._process_id = 0
        self._is_multi_process = False

    @property
    def num_processes(self):
        return self._num_processes

    @property
    def num_model_replicas(self):
        raise NotImplementedError()

    @property
    def data_shard_id(self):
        num_model_replicas = self.num_model_replicas
        if num_model_replicas >= self.num_processes:
            return self._process_id
        return self._process_id // (self.num_processes // num_model_replicas)

    def get_data_layout(self, data_shape):
        raise NotImplementedError()

    def get_variable_layout(self, variable):
        raise NotImplementedError()

    def get_tensor_layout(self, path):
        raise NotImplementedError()

    @contextlib.contextmanager
    def scope(self):
        """Makes this distribution current inside the ``with`` block."""
        original = distribution()
        set_distribution(self)
        try:
            yield
        finally:
            set_distribution(original)

    @property
    def device_mesh(self):
        return self._device_mesh

    @property
    def batch_dim_name(self):
        return self._batch_dim_name

    @property
    def auto_shard_dataset(self):
        return self._auto_shard_dataset

    @auto_shard_dataset.setter
    def auto_shard_dataset(self, auto_shard_dataset):
        self._auto_shard_dataset = auto_shard_dataset

    def distribute_dataset(self, dataset):
        """Returns ``dataset`` itself: with one process there is nothing to shard."""
        return dataset

    def _batch_layout(self, data_shape):
        spec = [None] * len(data_shape)
        spec[0] = self.batch_dim_name
        return TensorLayout(spec, self.device_mesh)

    def __repr__(self):
        return f"<{self.__class__.__name__} device_mesh={self.device_mesh}>"

    __str__ = __repr__


class DataParallel(Distribution):
    """Replicated variables, batches sharded along the mesh's first axis.

    Args:
        device_mesh: a ``DeviceMesh`` (its first axis is the batch axis), or
        devices: a list of devices for a 1D mesh named ``"batch"``; with neither, all of
            ``list_devices()``.
        auto_shard_dataset: shard datasets across processes (multi-process only).
    """

    def __init__(self, device_mesh=None, devices=None, auto_shard_dataset=True):
        if device_mesh:
            if not isinstance(device_mesh, DeviceMesh):
                raise ValueError(
                    "Expect `mesh` to be an instance of `DeviceMesh`. "
                    f"Received: mesh={device_mesh} (of type {type(device_mesh)})"
                )
            super().__init__(device_mesh, device_mesh.axis_names[0], auto_shard_dataset)
            if device_mesh.devices.ndim != 1:
                warnings.warn(
                    "Expect the input mesh to be 1D, but received "
                    f"mesh.devices.ndim={device_mesh.devices.ndim}. "
                    "The first axis will be used for data-parallel sharding.",
                    stacklevel=2,
                )
            return
        devices = np.array(devices if devices else list_devices())
        mesh = DeviceMesh(shape=devices.shape, axis_names=[DEFAULT_BATCH_DIM_NAME], devices=devices)
        super().__init__(mesh, DEFAULT_BATCH_DIM_NAME, auto_shard_dataset)

    @property
    def num_model_replicas(self):
        return self.device_mesh.devices.size

    def get_data_layout(self, data_shape):
        return self._batch_layout(data_shape)

    def get_variable_layout(self, variable):
        if getattr(variable, "_layout", None) is not None:
            return variable._layout
        return TensorLayout([None] * len(variable.shape), self.device_mesh)

    def get_tensor_layout(self, path):
        return None


class ModelParallel(Distribution):
    """Variables sharded by a ``LayoutMap`` (regex of variable path -> layout), batches
    sharded along ``batch_dim_name`` (default: the mesh's first axis).

    Args:
        layout_map: the ``LayoutMap`` (its mesh is the distribution's).
        batch_dim_name: the mesh axis that shards batches.
        auto_shard_dataset: shard datasets across processes (multi-process only).
    """

    def __init__(self, *, layout_map=None, batch_dim_name=None, auto_shard_dataset=True, **kwargs):
        kwargs.pop("device_mesh", None)
        if layout_map is None:
            raise ValueError("You must specify a layout_map argument.")
        if not isinstance(layout_map, LayoutMap):
            raise ValueError(
                "Argument `layout_map` must be a `LayoutMap` instance. "
                f"Received: layout_map={layout_map}"
            )
        device_mesh = layout_map.device_mesh
        batch_dim_name = batch_dim_name or device_mesh.axis_names[0]
        super().__init__(device_mesh, batch_dim_name, auto_shard_dataset)
        self._layout_map = layout_map

    @property
    def num_model_replicas(self):
        index = self.device_mesh.axis_names.index(self.batch_dim_name)
        return self.device_mesh.shape[index]

    def get_data_layout(self, data_shape):
        return self._batch_layout(data_shape)

    def get_variable_layout(self, variable):
        if getattr(variable, "_layout", None) is not None:
            return variable._layout
        layout = self._layout_map[variable.path]
        if layout is not None:
            return layout
        return TensorLayout([None] * len(variable.shape), self.device_mesh)

    def get_tensor_layout(self, path):
        return self._layout_map[path]
