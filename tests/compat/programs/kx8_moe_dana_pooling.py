# keras.io "MoE for MNIST" and "Dimension-Adaptive Neural Architecture for Multivariate
# Sensor Data", shrunk: a mixture-of-experts layer whose gate picks the top-k experts with
# tf.math.top_k, counts their use in a tf.Variable made in __init__ (updated with
# tf.tensor_scatter_nd_add; only calls on real data count, not the symbolic build) and
# gathers the chosen expert outputs with tf.gather_nd, inside a subclassed model whose
# train_step adds a balancing loss; then an adaptive pooling layer that keeps its grid in a
# NumPy array (compute_output_shape returns NumPy integers), fed windows of several lengths
# and sensor subsets resized with tf.image.resize under a GradientTape that sums the losses
# of a few batches before one update.
import keras
import numpy as np
import tensorflow as tf
from keras import layers

keras.utils.set_random_seed(3)
rng = np.random.default_rng(3)


class TopKExperts(layers.Layer):
    def __init__(self, units, num_experts=4, top_k=2):
        super().__init__()
        self.experts = [layers.Dense(units) for _ in range(num_experts)]
        self.gate = layers.Dense(num_experts)
        self.top_k = top_k
        self.usage = tf.Variable(tf.zeros((num_experts,), dtype=tf.float32))

    def call(self, x):
        gate = tf.nn.softmax(self.gate(x))
        self.entropy = -tf.reduce_mean(tf.reduce_sum(gate * tf.math.log(gate + 1e-9), axis=1))
        weights, chosen = tf.math.top_k(gate, k=self.top_k)
        ones = tf.ones_like(tf.reshape(chosen, [-1]), dtype=tf.float32)
        self.usage.assign(tf.tensor_scatter_nd_add(self.usage, tf.reshape(chosen, [-1, 1]), ones))
        outputs = tf.stack([expert(x) for expert in self.experts], axis=1)
        rows = tf.tile(tf.expand_dims(tf.range(tf.shape(x)[0]), 1), [1, self.top_k])
        picked = tf.gather_nd(outputs, tf.stack([rows, chosen], axis=2))
        return tf.reduce_sum(picked * tf.expand_dims(weights, -1), axis=1)


class ExpertClassifier(keras.Model):
    def __init__(self):
        super().__init__()
        self.body = keras.Sequential([layers.Flatten(), layers.Dense(8, activation="relu")])
        self.moe = TopKExperts(3)
        self.softmax = layers.Softmax()

    def call(self, inputs, training=False):
        return self.softmax(self.moe(self.body(inputs)))

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            balance = 0.01 * -self.moe.entropy
            loss = self.compute_loss(x, y, y_pred) + balance
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        for metric in self.metrics:
            if metric.name != "loss":
                metric.update_state(y, y_pred)
        return {"loss": loss, "balance": balance}


images = rng.random((24, 4, 4, 1)).astype("float32")
labels = keras.utils.to_categorical(rng.integers(0, 3, 24), 3)
model = ExpertClassifier()
model.compile(optimizer=keras.optimizers.Adam(0.01), loss=keras.losses.CategoricalCrossentropy())
history = model.fit(images, labels, batch_size=8, epochs=2, verbose=0)
assert sorted(history.history) == ["balance", "loss"], history.history
assert all(np.isfinite(v) for v in history.history["loss"])
# 2 epochs x 24 rows x top_k 2: the build pass and the target check count nothing
assert float(tf.reduce_sum(model.moe.usage)) == 96.0, model.moe.usage.numpy()
assert model.moe.usage.dtype == tf.float32 and model.moe.usage.shape == (4,)
assert len(model.moe.weights) == 10  # the experts' and the gate's kernels and biases
before = float(tf.reduce_sum(model.moe.usage))
probs = model.predict(images[:5], verbose=0)
assert probs.shape == (5, 3) and np.allclose(probs.sum(axis=1), 1.0, atol=1e-5)
assert float(tf.reduce_sum(model.moe.usage)) == before + 10.0

# a layer called on keras.Input counts nothing until it sees data
counter = TopKExperts(2)
inp = keras.Input((5,))
functional = keras.Model(inp, counter(inp))
assert functional.output_shape == (None, 2)
assert float(tf.reduce_sum(counter.usage)) == 0.0
functional(np.ones((3, 5), "float32"))
assert float(tf.reduce_sum(counter.usage)) == 6.0


class AdaptivePool(layers.Layer):
    """Max-pools a (time, sensors, maps) input of any size onto a fixed grid."""

    def __init__(self, grid, **kwargs):
        super().__init__(**kwargs)
        self.grid = np.array(grid)  # NumPy integers, as the example keeps them

    def build(self, input_shape):
        self.maps = input_shape[-1]

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.grid[0], self.grid[1] * self.maps)

    def call(self, x):
        size = tf.shape(x)
        step_t = tf.cast(size[1], tf.float32) / float(self.grid[0])
        step_s = tf.cast(size[2], tf.float32) / float(self.grid[1])
        cells = []
        for i in range(self.grid[0]):
            for j in range(self.grid[1]):
                t0 = tf.cast(tf.round(i * step_t), tf.int32)
                t1 = tf.cast(tf.round((i + 1) * step_t), tf.int32)
                s0 = tf.cast(tf.round(j * step_s), tf.int32)
                s1 = tf.cast(tf.round((j + 1) * step_s), tf.int32)
                cells.append(tf.reduce_max(x[:, t0:t1, s0:s1, :], axis=(1, 2)))
        pooled = tf.concat(cells, axis=-1)
        return tf.reshape(pooled, (size[0], self.grid[0], self.grid[1] * self.maps))


inp = keras.Input((None, None, 1))
x = layers.Conv2D(4, (3, 1), padding="same", activation="relu")(inp)
pooled = AdaptivePool((4, 3), name="dap")(x)
assert pooled.shape == (None, 4, 12), pooled.shape
assert all(d is None or type(d) is int for d in pooled.shape)
x = layers.LSTM(6)(pooled)
adaptive = keras.Model(inp, layers.Dense(3)(x))
assert adaptive.get_layer("dap").output.shape == (None, 4, 12)

windows = rng.normal(size=(16, 24, 6, 1)).astype("float32")
targets = rng.integers(0, 3, 16)
loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
optimizer = keras.optimizers.Adam(0.01)
lengths, sensors = [8, 16, 24], [[0, 1, 2], [3, 4, 5], [0, 1, 2, 3, 4, 5]]
batches = iter(tf.data.Dataset.from_tensor_slices((windows, targets)).batch(4))
with tf.GradientTape() as tape:
    total = tf.Variable(0.0)
    for k in range(3):
        xb, yb = next(batches)
        xb = xb.numpy()[:, :, sensors[k], :]
        xb = tf.image.resize(xb, (lengths[k], len(sensors[k])))
        assert xb.shape == (4, lengths[k], len(sensors[k]), 1)
        logits = adaptive(xb)
        assert logits.shape == (4, 3)
        total = total + loss_fn(yb, logits)
grads = tape.gradient(total, adaptive.trainable_weights)
assert all(g is not None for g in grads)
optimizer.apply_gradients(zip([g / 3.0 for g in grads], adaptive.trainable_weights))
assert int(optimizer.iterations) == 1
for length, chosen in zip(lengths, sensors):
    resized = tf.image.resize(windows[:, :, chosen, :], (length, len(chosen)))
    out = adaptive(resized, training=False)
    assert out.shape == (16, 3) and np.all(np.isfinite(out.numpy()))
print("kx8_moe_dana_pooling OK")
