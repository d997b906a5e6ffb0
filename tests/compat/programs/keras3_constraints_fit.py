"""Weight constraints (keras.constraints) hold after every optimizer step in fit: MaxNorm,
NonNeg, UnitNorm, MinMaxNorm and a custom Constraint subclass; configs round-trip and a
saved model keeps them."""

import keras
import numpy as np
from keras import layers, ops

keras.utils.set_random_seed(3)


@keras.saving.register_keras_serializable(package="compat")
class CenterAround(keras.constraints.Constraint):
    """Constrains weight tensors to be centered around `ref_value`."""

    def __init__(self, ref_value):
        self.ref_value = ref_value

    def __call__(self, w):
        mean = ops.mean(w)
        return w - mean + self.ref_value

    def get_config(self):
        return {"ref_value": self.ref_value}


rng = np.random.default_rng(0)
x = rng.normal(size=(256, 10)).astype("float32")
y = (x @ rng.normal(size=(10, 3)) * 4).astype("float32")

model = keras.Sequential(
    [
        keras.Input((10,)),
        layers.Dense(
            16,
            activation="relu",
            kernel_constraint=keras.constraints.MaxNorm(max_value=0.8),
            bias_constraint=keras.constraints.NonNeg(),
        ),
        layers.Dense(8, kernel_constraint=keras.constraints.UnitNorm(axis=0)),
        layers.Dense(3, kernel_constraint=CenterAround(0.25)),
    ]
)
model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
history = model.fit(x, y, epochs=3, batch_size=32, verbose=0)
assert np.isfinite(history.history["loss"]).all()

first, second, third = model.layers
kernel_norms = np.linalg.norm(first.kernel.numpy(), axis=0)
assert (kernel_norms <= 0.8 + 1e-5).all(), kernel_norms
assert (first.bias.numpy() >= 0).all()
np.testing.assert_allclose(np.linalg.norm(second.kernel.numpy(), axis=0), 1.0, rtol=1e-5)
np.testing.assert_allclose(third.kernel.numpy().mean(), 0.25, atol=1e-5)

# The constraint is what the optimizer applies, not the forward pass: before any update,
# a weight set by hand may break it.
first.kernel.assign(np.full((10, 16), 2.0, dtype="float32"))
assert np.linalg.norm(first.kernel.numpy(), axis=0).max() > 6
model.fit(x[:32], y[:32], epochs=1, batch_size=32, verbose=0)
assert np.linalg.norm(first.kernel.numpy(), axis=0).max() <= 0.8 + 1e-5

# Projections as functions of a tensor, against NumPy.
w = rng.normal(size=(4, 3)).astype("float32") * 3
norms = np.sqrt((w**2).sum(axis=0, keepdims=True))
desired = 0.5 * np.clip(norms, 1.0, 2.0) + 0.5 * norms
projected = keras.constraints.MinMaxNorm(1.0, 2.0, rate=0.5)(ops.convert_to_tensor(w))
np.testing.assert_allclose(
    ops.convert_to_numpy(projected),
    w * desired / (keras.config.epsilon() + norms),
    rtol=1e-5,
)
assert isinstance(keras.constraints.get("non_neg"), keras.constraints.NonNeg)
config = keras.constraints.serialize(keras.constraints.MaxNorm(0.8))
assert config["class_name"] == "MaxNorm" and config["config"] == {"max_value": 0.8, "axis": 0}

layer_config = first.get_config()
assert layer_config["kernel_constraint"]["class_name"] == "MaxNorm"
assert layer_config["kernel_constraint"]["config"]["max_value"] == 0.8
clone = layers.Dense.from_config(layer_config)
assert isinstance(clone.kernel_constraint, keras.constraints.MaxNorm)
assert isinstance(clone.bias_constraint, keras.constraints.NonNeg)

model.save("constrained.keras")
restored = keras.models.load_model("constrained.keras")
np.testing.assert_allclose(
    restored.predict(x[:8], verbose=0), model.predict(x[:8], verbose=0), rtol=1e-5, atol=1e-5
)
assert isinstance(restored.layers[2].kernel_constraint, CenterAround)
assert restored.layers[2].kernel_constraint.ref_value == 0.25
print("keras3_constraints_fit: ok", [round(v, 3) for v in history.history["loss"]])
