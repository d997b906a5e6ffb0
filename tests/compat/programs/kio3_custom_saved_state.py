"""A layer that keeps extra state through save_own_variables / load_own_variables, a
subclassed model whose compile settings (a registered loss function) survive load_model,
and the Keras 3 rule that a plain tf.Variable attribute is not one of a layer's weights."""

import os
import tempfile

import keras
import numpy as np
import tensorflow as tf

folder = tempfile.mkdtemp()


@keras.saving.register_keras_serializable(package="kio3")
class GainDense(keras.layers.Dense):
    """A Dense whose output is scaled per unit by a tf.Variable it saves itself."""

    def __init__(self, units, **kwargs):
        super().__init__(units, **kwargs)
        self.gain = tf.Variable(tf.ones((units,)), name="gain")

    def call(self, inputs):
        return super().call(inputs) * self.gain

    def save_own_variables(self, store):
        super().save_own_variables(store)
        store["gain"] = self.gain.numpy()

    def load_own_variables(self, store):
        self.restored_keys = sorted(store.keys())
        self.gain.assign(store["gain"])
        for index, variable in enumerate(self.weights):
            variable.assign(store[str(index)])


model = keras.Sequential([keras.Input((4,)), GainDense(3)])
layer = model.layers[0]
# the tf.Variable is not a layer weight in Keras 3: kernel and bias only
assert [w.name for w in layer.weights] == ["kernel", "bias"]
assert len(model.trainable_variables) == 2
layer.gain.assign([0.5, 2.0, -1.0])
x = np.linspace(-1.0, 1.0, 20, dtype="float32").reshape(5, 4)
expected = model(x).numpy()

model.compile(optimizer="sgd", loss="mse")
model.fit(x, np.zeros((5, 3), "float32"), epochs=1, verbose=0)
# fit trained the kernel but not the untracked gain
np.testing.assert_array_equal(layer.gain.numpy(), [0.5, 2.0, -1.0])
expected = model(x).numpy()

path = os.path.join(folder, "gain.keras")
model.save(path)
restored = keras.models.load_model(path)
assert restored.layers[0].restored_keys == ["0", "1", "gain"]
np.testing.assert_array_equal(restored.layers[0].gain.numpy(), [0.5, 2.0, -1.0])
np.testing.assert_allclose(restored(x).numpy(), expected, rtol=1e-6)

weights_path = os.path.join(folder, "gain.weights.h5")
model.save_weights(weights_path)
fresh = keras.Sequential([keras.Input((4,)), GainDense(3)])
fresh.load_weights(weights_path)
np.testing.assert_allclose(fresh(x).numpy(), expected, rtol=1e-6)


# --- get_compile_config / compile_from_config with a registered loss function ------------
@keras.saving.register_keras_serializable(package="kio3")
def tenth_squared_error(y_true, y_pred):
    return tf.reduce_sum(tf.math.squared_difference(y_pred, y_true) / 10.0, axis=1)


@keras.saving.register_keras_serializable(package="kio3")
class TwoLayer(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden = keras.layers.Dense(6, activation="relu")
        self.head = keras.layers.Dense(2)

    def call(self, inputs):
        return self.head(self.hidden(inputs))

    def compile(self, optimizer, loss_fn):
        super().compile(optimizer=optimizer, loss=loss_fn)
        self.chosen = (optimizer, loss_fn)

    def get_compile_config(self):
        return {"optimizer": self.chosen[0], "loss_fn": self.chosen[1]}

    def compile_from_config(self, config):
        self.seen_config = config
        self.compile(
            optimizer=keras.utils.deserialize_keras_object(config["optimizer"]),
            loss_fn=keras.utils.deserialize_keras_object(config["loss_fn"]),
        )


two = TwoLayer()
two.compile(optimizer="sgd", loss_fn=tenth_squared_error)
two.fit(x, np.ones((5, 2), "float32"), verbose=0)
path = os.path.join(folder, "two.keras")
two.save(path)
back = keras.models.load_model(path)
# the function was written as Keras serializes it, and comes back as the same function
assert back.seen_config["loss_fn"]["config"] == "kio3>tenth_squared_error"
assert back.seen_config["optimizer"] == "sgd"
assert back.chosen == ("sgd", tenth_squared_error)
np.testing.assert_allclose(back(x).numpy(), two(x).numpy(), rtol=1e-6)

# --- ModelCheckpoint every few batches: {batch} counts the epoch's batches from 1 ---------
pattern = os.path.join(folder, "step-{epoch}-{batch}.weights.h5")
small = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
small.compile(optimizer="sgd", loss="mse")
every_two = keras.callbacks.ModelCheckpoint(pattern, save_freq=2, save_weights_only=True)
small.fit(np.ones((8, 4)), np.ones((8, 2)), batch_size=2, verbose=0, callbacks=[every_two])
saved = sorted(name for name in os.listdir(folder) if name.startswith("step-"))
assert saved == ["step-1-2.weights.h5", "step-1-4.weights.h5"], saved
print("kio3_custom_saved_state: OK")
