"""keras.backend settings and keras.utils helpers: floatx, epsilon, clear_session, encoders,
Progbar, custom objects, get_file from a local cache."""

import os

import numpy as np
from tensorflow import keras

backend = keras.backend
assert backend.floatx() == "float32"
backend.set_floatx("float64")
assert keras.layers.Dense(2).dtype == "float64"
assert keras.Input(shape=(3,)).dtype == "float64"
backend.set_floatx("float32")
assert abs(backend.epsilon() - 1e-7) < 1e-12
backend.set_epsilon(1e-4)
assert abs(backend.epsilon() - 1e-4) < 1e-12
backend.set_epsilon(1e-7)
assert backend.image_data_format() == "channels_last"

backend.clear_session()
first = keras.layers.Dense(1).name
backend.clear_session()
assert keras.layers.Dense(1).name == first  # names count afresh

onehot = keras.utils.to_categorical([0, 2, 1], num_classes=3)
np.testing.assert_array_equal(onehot, [[1, 0, 0], [0, 0, 1], [0, 1, 0]])
np.testing.assert_allclose(keras.utils.normalize(np.array([[3.0, 4.0]]), axis=-1), [[0.6, 0.8]])

bar = keras.utils.Progbar(target=3, verbose=0)
for step in range(3):
    bar.update(step + 1, values=[("loss", 1.0 / (step + 1))])


class Doubler(keras.layers.Layer):
    def call(self, inputs):
        return inputs * 2.0


with keras.utils.custom_object_scope({"Doubler": Doubler}):
    layer = keras.layers.deserialize({"class_name": "Doubler", "config": {"name": "double"}})
assert isinstance(layer, Doubler)
np.testing.assert_allclose(layer(np.ones((1, 2), dtype="float32")).numpy(), [[2.0, 2.0]])

# get_file finds a file already in the cache without going to the network.
cache = os.path.abspath("cache")
os.makedirs(os.path.join(cache, "datasets"))
with open(os.path.join(cache, "datasets", "numbers.txt"), "w") as f:
    f.write("1 2 3")
path = keras.utils.get_file(
    "numbers.txt", origin="https://example.invalid/numbers.txt", cache_dir=cache
)
with open(path) as f:
    assert f.read() == "1 2 3"
print("ok")
