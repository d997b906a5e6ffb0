"""keras.distribution as Keras 3 on the TensorFlow backend: devices, meshes, layouts and
distributions are descriptions; the JAX-only functions raise AttributeError."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.keras import distribution as dist


@pytest.fixture(autouse=True)
def _no_distribution():
    yield
    dist.set_distribution(None)


def test_list_devices_names_logical_devices():
    cpus = dist.list_devices("cpu")
    assert cpus == [f"cpu:{d.name.split(':')[-1]}" for d in tf.config.list_logical_devices("CPU")]
    gpus = dist.list_devices("gpu")
    assert dist.list_devices() == (gpus or cpus)


def test_list_devices_prefers_gpus_and_never_mixes(monkeypatch):
    from gpuflow.config.devices import LogicalDevice
    from gpuflow.keras.distribution import devices

    found = [
        LogicalDevice("/device:CPU:0", "CPU"),
        LogicalDevice("/device:GPU:0", "GPU"),
        LogicalDevice("/device:GPU:1", "GPU"),
    ]

    def fake(device_type=None):
        return [d for d in found if device_type in (None, d.device_type)]

    monkeypatch.setattr(devices._config_devices, "list_logical_devices", fake)
    assert dist.list_devices() == ["gpu:0", "gpu:1"]
    assert dist.list_devices("cpu") == ["cpu:0"]
    assert dist.list_devices("GPU") == ["gpu:0", "gpu:1"]
    assert dist.DataParallel().num_model_replicas == 2


@pytest.mark.parametrize(
    "call",
    [
        lambda: dist.get_device_count(),
        lambda: dist.initialize(),
        lambda: dist.distribute_tensor(np.ones(2), None),
    ],
)
def test_jax_only_functions_raise_attribute_error(call):
    with pytest.raises(AttributeError, match="not available on the TensorFlow backend"):
        call()


def test_distribute_tensor_returns_keras_tensors_unchanged():
    x = tf.keras.Input((3,))
    assert dist.distribute_tensor(x, None) is x


def test_device_mesh_and_errors():
    mesh = dist.DeviceMesh((1,), ["batch"])
    assert mesh.shape == (1,) and mesh.axis_names == ["batch"]
    assert mesh.devices.tolist() == dist.list_devices()[:1]
    assert repr(mesh) == "<DeviceMesh shape=(1,), axis_names=['batch']>"
    grid = dist.DeviceMesh((2, 2), ["batch", "model"], devices=["a", "b", "c", "d"])
    assert grid.devices.tolist() == [["a", "b"], ["c", "d"]]
    with pytest.raises(ValueError, match="cannot be empty"):
        dist.DeviceMesh((), [])
    with pytest.raises(ValueError, match="should have same size"):
        dist.DeviceMesh((2,), ["a", "b"], devices=["x", "y"])
    with pytest.raises(ValueError, match="does not match the number of devices"):
        dist.DeviceMesh((3,), ["batch"], devices=["x", "y"])


def test_tensor_layout_validates_axes_and_mesh_is_set_once():
    mesh = dist.DeviceMesh((2,), ["batch"], devices=["x", "y"])
    layout = dist.TensorLayout(("batch", None))
    layout.device_mesh = mesh
    assert layout.axes == ("batch", None) and layout.device_mesh is mesh
    with pytest.raises(ValueError, match="Cannot override device mesh"):
        layout.device_mesh = mesh
    with pytest.raises(ValueError, match="Invalid axis names"):
        dist.TensorLayout(("model",), mesh)


def test_layout_map_regex_lookup():
    mesh = dist.DeviceMesh((2, 2), ["batch", "model"], devices=list("abcd"))
    layout_map = dist.LayoutMap(mesh)
    layout_map[".*dense.*kernel"] = (None, "model")
    layout_map["exact/bias"] = dist.TensorLayout(("model",))
    assert layout_map["model/dense_1/kernel"].axes == (None, "model")
    assert layout_map["model/dense_1/kernel"].device_mesh is mesh
    assert layout_map["exact/bias"].axes == ("model",)
    assert layout_map["conv/kernel"] is None
    assert len(layout_map) == 2 and list(layout_map) == [".*dense.*kernel", "exact/bias"]
    with pytest.raises(ValueError, match="already exist"):
        layout_map["exact/bias"] = ("model",)
    with pytest.raises(ValueError, match="should be a TensorLayout"):
        layout_map["other"] = "model"
    layout_map[".*kernel"] = ("model", None)
    with pytest.raises(ValueError, match="matches multiple layout"):
        layout_map["dense/kernel"]
    del layout_map[".*kernel"]
    assert layout_map["dense/kernel"].axes == (None, "model")


def test_data_parallel_layouts_and_scope():
    dp = dist.DataParallel()
    assert dp.batch_dim_name == "batch"
    assert dp.num_model_replicas == len(dist.list_devices())
    assert dp.num_processes == 1 and dp.data_shard_id == 0
    assert dp.get_data_layout((8, 3)).axes == ("batch", None)
    var = tf.Variable(np.ones((3, 2), "float32"))
    assert dp.get_variable_layout(var).axes == (None, None)
    assert dp.get_tensor_layout("dense/output") is None
    data = [1, 2]
    assert dp.distribute_dataset(data) is data
    assert dist.distribution() is None
    with dp.scope():
        assert dist.distribution() is dp
    assert dist.distribution() is None
    dist.set_distribution(dp)
    seen = []
    thread = threading.Thread(target=lambda: seen.append(dist.distribution()))
    thread.start()
    thread.join()
    assert dist.distribution() is dp and seen == [None]  # thread-local, as Keras


def test_data_parallel_from_mesh_or_devices():
    mesh = dist.DeviceMesh((2,), ["data"], devices=["x", "y"])
    assert dist.DataParallel(device_mesh=mesh).batch_dim_name == "data"
    assert dist.DataParallel(devices=["x", "y"]).device_mesh.shape == (2,)
    with pytest.raises(ValueError, match="instance of `DeviceMesh`"):
        dist.DataParallel(device_mesh="mesh")
    grid = dist.DeviceMesh((2, 2), ["batch", "model"], devices=list("abcd"))
    with pytest.warns(UserWarning, match="Expect the input mesh to be 1D"):
        dist.DataParallel(device_mesh=grid)


def test_model_parallel_uses_the_layout_map():
    mesh = dist.DeviceMesh((2, 2), ["batch", "model"], devices=list("abcd"))
    layout_map = dist.LayoutMap(mesh)
    layout_map[".*kernel"] = (None, "model")
    mp = dist.ModelParallel(layout_map=layout_map, batch_dim_name="batch")
    assert mp.num_model_replicas == 2 and mp.device_mesh is mesh
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(4)])
    kernel, bias = model.layers[0].kernel, model.layers[0].bias
    assert mp.get_variable_layout(kernel).axes == (None, "model")
    assert mp.get_variable_layout(bias).axes == (None,)
    with pytest.raises(ValueError, match="must specify a layout_map"):
        dist.ModelParallel()
    with pytest.raises(ValueError, match="must be a `LayoutMap` instance"):
        dist.ModelParallel(layout_map={})


def test_fit_under_data_parallel_equals_fit_without():
    x = np.random.default_rng(0).normal(size=(16, 3)).astype("float32")
    y = x @ np.array([[1.0], [-2.0], [0.5]], "float32")

    def train():
        tf.keras.utils.set_random_seed(3)
        model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(1)])
        model.compile("sgd", "mse")
        model.fit(x, y, epochs=2, batch_size=8, verbose=0)
        return model.get_weights()

    plain = train()
    with dist.DataParallel().scope():
        under = train()
    for a, b in zip(plain, under):
        np.testing.assert_array_equal(a, b)
