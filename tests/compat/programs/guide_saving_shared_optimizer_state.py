"""Serialization & saving: shared layers in configs, optimizer state in .keras files,
compile arguments restored, custom functions registered, clone_model, and resuming."""

import keras
import numpy as np
from keras import layers, ops

keras.utils.set_random_seed(6)
rng = np.random.RandomState(0)


@keras.saving.register_keras_serializable(package="guide", name="scaled_mse")
def scaled_mse(y_true, y_pred):
    return 0.5 * ops.mean(ops.square(y_true - y_pred), axis=-1)


@keras.saving.register_keras_serializable(package="guide")
def leaky(x):
    return ops.where(x > 0, x, 0.1 * x)


# A model with a shared layer: one layer object called twice.
shared = layers.Dense(4, activation=leaky, name="shared")
a = keras.Input((3,), name="a")
b = keras.Input((3,), name="b")
merged = layers.Concatenate(name="cat")([shared(a), shared(b)])
out = layers.Dense(1, name="out")(merged)
model = keras.Model([a, b], out, name="siamese")
assert len(model.layers) == 5  # a, b, shared, cat, out
assert len(model.weights) == 4

config = model.get_config()
shared_cfg = [lyr for lyr in config["layers"] if lyr["name"] == "shared"]
assert len(shared_cfg) == 1
assert len(shared_cfg[0]["inbound_nodes"]) == 2  # called twice: two nodes
rebuilt = keras.Model.from_config(config)
assert len(rebuilt.weights) == 4
assert rebuilt.get_layer("shared") is rebuilt.get_layer("shared")
rebuilt_cfg = [lyr for lyr in rebuilt.get_config()["layers"] if lyr["name"] == "shared"]
assert len(rebuilt_cfg[0]["inbound_nodes"]) == 2

# Train with a stateful optimizer and a registered loss, then save everything.
xa = rng.rand(32, 3).astype("float32")
xb = rng.rand(32, 3).astype("float32")
y = (xa.sum(1, keepdims=True) - xb.sum(1, keepdims=True)).astype("float32")
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss=scaled_mse, metrics=["mae"])
model.fit([xa, xb], y, epochs=2, batch_size=8, verbose=0)
assert int(model.optimizer.iterations.numpy()) == 8
model.save("siamese.keras")

loaded = keras.models.load_model("siamese.keras")
saved_pred = model.predict([xa, xb], verbose=0)
np.testing.assert_allclose(
    loaded.predict([xa, xb], verbose=0), model.predict([xa, xb], verbose=0), rtol=1e-6
)
# The compile arguments and optimizer state came back.
assert isinstance(loaded.optimizer, keras.optimizers.Adam)
np.testing.assert_allclose(float(loaded.optimizer.learning_rate), 0.01, rtol=1e-6)
assert int(loaded.optimizer.iterations.numpy()) == 8
orig_vars = {v.path: v.numpy() for v in model.optimizer.variables}
load_vars = {v.path: v.numpy() for v in loaded.optimizer.variables}
assert set(orig_vars) == set(load_vars), (sorted(orig_vars), sorted(load_vars))
for path, value in orig_vars.items():
    np.testing.assert_allclose(load_vars[path], value, rtol=1e-6, err_msg=path)
assert loaded.loss is scaled_mse or getattr(loaded.loss, "__name__", "") == "scaled_mse"

# Resuming: one more epoch on each gives the same weights (same optimizer state).
model.fit([xa, xb], y, epochs=1, batch_size=8, shuffle=False, verbose=0)
loaded.fit([xa, xb], y, epochs=1, batch_size=8, shuffle=False, verbose=0)
for w1, w2 in zip(model.get_weights(), loaded.get_weights()):
    np.testing.assert_allclose(w1, w2, rtol=1e-5, atol=1e-6)

# The shared activation is the registered function.
assert loaded.get_layer("shared").activation is leaky
assert keras.saving.get_registered_name(leaky) == "guide>leaky"
assert keras.saving.get_registered_name(scaled_mse) == "guide>scaled_mse"

# Weights-only saving keeps no optimizer state.
model.save_weights("siamese.weights.h5")
fresh = keras.Model.from_config(model.get_config())
fresh.load_weights("siamese.weights.h5")
np.testing.assert_allclose(
    fresh.predict([xa, xb], verbose=0), model.predict([xa, xb], verbose=0), rtol=1e-6
)
assert getattr(fresh, "optimizer", None) is None

# clone_model: a new model with new weights but the same shared structure.
clone = keras.models.clone_model(model)
assert len(clone.weights) == 4
assert clone.get_layer("shared") is not model.get_layer("shared")
clone_cfg = [lyr for lyr in clone.get_config()["layers"] if lyr["name"] == "shared"]
assert len(clone_cfg[0]["inbound_nodes"]) == 2
clone.set_weights(model.get_weights())
np.testing.assert_allclose(
    clone.predict([xa, xb], verbose=0), model.predict([xa, xb], verbose=0), rtol=1e-6
)

# compile=False loads a model without its training configuration.
bare = keras.models.load_model("siamese.keras", compile=False)
assert getattr(bare, "optimizer", None) is None
np.testing.assert_allclose(bare.predict([xa, xb], verbose=0), saved_pred, rtol=1e-6)

print("guide_saving_shared_optimizer_state: OK")
