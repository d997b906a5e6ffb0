# keras.io "Keras debugging tips": test a custom layer alone (shape, gradients reaching
# every weight) before the whole model; extract every intermediate output with a feature
# model; run fit eagerly (run_eagerly=True) so a train_step can print and inspect NumPy
# values; find a layer that kills gradients; catch NaNs with tf.debugging.check_numerics.
import keras
import numpy as np
import tensorflow as tf

keras.utils.set_random_seed(29)
rng = np.random.default_rng(29)


class MyAntirectifier(keras.layers.Layer):
    def build(self, input_shape):
        output_dim = input_shape[-1]
        self.kernel = self.add_weight(
            shape=(output_dim * 2, output_dim), initializer="he_normal", name="kernel"
        )

    def call(self, inputs):
        pos = keras.ops.relu(inputs)
        neg = keras.ops.relu(-inputs)
        return keras.ops.matmul(keras.ops.concatenate([pos, neg], axis=-1), self.kernel)


# 1. the layer alone: output shape and a gradient for its kernel
x = tf.random.normal(shape=(2, 5), seed=1)
layer = MyAntirectifier()
with tf.GradientTape() as tape:
    y = layer(x)
    loss = tf.reduce_sum(y)
assert tuple(y.shape) == (2, 5)
grad = tape.gradient(loss, layer.trainable_weights)
assert grad[0] is not None and tuple(grad[0].shape) == (10, 5)
# d sum(y)/d kernel[i, j] = sum over the batch of the concatenated input i
concat = np.concatenate([np.maximum(x.numpy(), 0), np.maximum(-x.numpy(), 0)], axis=-1)
np.testing.assert_allclose(grad[0].numpy(), np.tile(concat.sum(0)[:, None], (1, 5)), rtol=1e-5)

# 2. every intermediate output at once
model = keras.Sequential(
    [
        keras.Input((8,)),
        keras.layers.Dense(6, activation="relu", name="d1"),
        MyAntirectifier(name="anti"),
        keras.layers.Dense(3, name="d2"),
    ]
)
extractor = keras.Model(inputs=model.inputs, outputs=[layer.output for layer in model.layers])
xs = rng.normal(size=(4, 8)).astype("float32")
outs = extractor(xs)
assert [tuple(o.shape) for o in outs] == [(4, 6), (4, 6), (4, 3)]
assert np.all(outs[0].numpy() >= 0)  # relu output
np.testing.assert_allclose(outs[-1].numpy(), model(xs).numpy(), rtol=1e-5, atol=1e-6)


# 3. run_eagerly: train_step sees concrete values and can print them
class DebugModel(keras.Sequential):
    seen = []

    def train_step(self, data):
        assert tf.executing_eagerly()
        x, y = data
        with tf.GradientTape() as tape:
            pred = self(x, training=True)
            loss = self.compute_loss(x=x, y=y, y_pred=pred)
        grads = tape.gradient(loss, self.trainable_weights)
        self.seen.append([float(tf.norm(g).numpy()) for g in grads])
        self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
        return {"loss": loss}


dbg = DebugModel(
    [keras.Input((8,)), keras.layers.Dense(4, activation="relu"), keras.layers.Dense(1)]
)
dbg.compile(optimizer="adam", loss="mse", run_eagerly=True)
assert dbg.run_eagerly
ys = rng.normal(size=(4, 1)).astype("float32")
dbg.fit(xs, ys, epochs=3, batch_size=2, verbose=0)
assert len(DebugModel.seen) == 6 and all(len(s) == 4 for s in DebugModel.seen)
assert all(np.isfinite(v) for s in DebugModel.seen for v in s)

# 4. a dead layer shows up as zero gradients for everything below it
dead = keras.Sequential(
    [
        keras.Input((8,)),
        keras.layers.Dense(4, name="below"),
        keras.layers.Dense(4, activation="relu", bias_initializer="zeros", name="dead"),
        keras.layers.Dense(1, name="top"),
    ]
)
dead.get_layer("dead").bias.assign(tf.fill((4,), -100.0))  # every unit stuck at 0
with tf.GradientTape() as tape:
    loss = tf.reduce_mean((dead(xs) - 1.0) ** 2)
grads = tape.gradient(loss, dead.trainable_weights)
norms = [float(tf.norm(g)) for g in grads]
below = dead.get_layer("below")
assert norms[0] == 0.0 and norms[1] == 0.0 and norms[5] > 0.0, norms
assert below.kernel is dead.trainable_weights[0]

# 5. check_numerics names the bad tensor
bad = tf.constant([1.0, np.nan])
try:
    tf.debugging.check_numerics(bad, message="activations of d1")
    raise AssertionError("check_numerics let a NaN through")
except tf.errors.InvalidArgumentError as err:
    assert "activations of d1" in str(err)
print("gradient norms per step", DebugModel.seen[0])
