"""keras.distribution on the TensorFlow backend: listing devices, describing a device mesh,
tensor layouts and a regex layout map, and training a model with a DataParallel
distribution set (which, on this backend, trains exactly as without one)."""

import keras
import numpy as np
from keras import distribution

devices = distribution.list_devices()
cpus = distribution.list_devices("cpu")
assert cpus and all(name.startswith("cpu:") for name in cpus), cpus
assert devices == (distribution.list_devices("gpu") or cpus), devices

# a one-axis mesh over every device, and a 2 x 2 grid described by names
mesh = distribution.DeviceMesh(shape=(len(devices),), axis_names=["batch"], devices=devices)
assert mesh.devices.tolist() == devices and mesh.axis_names == ["batch"]
grid = distribution.DeviceMesh((2, 2), ["batch", "model"], devices=["d0", "d1", "d2", "d3"])
assert grid.devices.shape == (2, 2) and grid.devices[1, 0] == "d2"
try:
    distribution.DeviceMesh((3,), ["batch"], devices=["d0", "d1"])
    raise AssertionError("a mesh larger than its devices must be refused")
except ValueError as error:
    assert "does not match the number of devices" in str(error)

layout_map = distribution.LayoutMap(grid)
layout_map[".*dense.*kernel"] = (None, "model")
layout_map[".*dense.*bias"] = ("model",)
kernel_layout = layout_map["sequential/dense_1/kernel"]
assert kernel_layout.axes == (None, "model") and kernel_layout.device_mesh is grid
assert layout_map["sequential/conv2d/kernel"] is None
model_parallel = distribution.ModelParallel(layout_map=layout_map, batch_dim_name="batch")
assert model_parallel.num_model_replicas == 2
assert model_parallel.get_data_layout((32, 10)).axes == ("batch", None)

data_parallel = distribution.DataParallel(devices=devices)
assert data_parallel.batch_dim_name == "batch"
assert data_parallel.num_model_replicas == len(devices)
assert data_parallel.get_data_layout((32, 10)).axes == ("batch", None)
assert distribution.distribution() is None

rng = np.random.default_rng(0)
x = rng.normal(size=(64, 4)).astype("float32")
y = (x @ np.array([[1.0], [-1.0], [2.0], [0.5]], "float32")).astype("float32")


def train():
    keras.utils.set_random_seed(11)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
    history = model.fit(x, y, epochs=20, batch_size=16, verbose=0)
    return model, history.history["loss"]


plain_model, plain_loss = train()
with data_parallel.scope():
    assert distribution.distribution() is data_parallel
    variable_layout = data_parallel.get_variable_layout(plain_model.layers[0].kernel)
    assert variable_layout.axes == (None, None)  # data parallel replicates variables
    dp_model, dp_loss = train()
assert distribution.distribution() is None

assert dp_loss[-1] < 0.05 * dp_loss[0], dp_loss
np.testing.assert_allclose(dp_loss, plain_loss, rtol=1e-5)
for a, b in zip(dp_model.get_weights(), plain_model.get_weights()):
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
print("devices", devices, "final loss", round(dp_loss[-1], 5))
