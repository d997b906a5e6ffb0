# Gradient accumulation in a custom train_step (the keras.io / community recipe): the model
# keeps one non-trainable accumulator variable per trainable weight, adds each batch's
# gradients into them, and every n-th step applies their mean with tf.cond and zeroes them.
# Checked: n accumulated batches of 4 move the weights exactly as one SGD step on the batch
# of 4n does, the step counter wraps, and the metrics still follow every batch.
import numpy as np
import tensorflow as tf
from tensorflow import keras

keras.utils.set_random_seed(11)
rng = np.random.default_rng(11)
x = rng.normal(size=(16, 3)).astype("float32")
y = (x @ np.array([[1.0], [-2.0], [0.5]], "float32") + 0.3).astype("float32")


class AccumulatingModel(keras.Model):
    def __init__(self, n_gradients, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.n_gradients = tf.constant(n_gradients, dtype=tf.int32)
        self.n_acum_step = tf.Variable(0, dtype=tf.int32, trainable=False)
        self.gradient_accumulation = [
            tf.Variable(tf.zeros_like(v), trainable=False) for v in self.trainable_variables
        ]

    def train_step(self, data):
        x, y = data
        self.n_acum_step.assign_add(1)
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred)
        gradients = tape.gradient(loss, self.trainable_variables)
        for acc, g in zip(self.gradient_accumulation, gradients):
            acc.assign_add(g)
        tf.cond(
            tf.equal(self.n_acum_step, self.n_gradients),
            self.apply_accu_gradients,
            lambda: None,
        )
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}

    def apply_accu_gradients(self):
        n = tf.cast(self.n_gradients, tf.float32)
        self.optimizer.apply_gradients(
            zip([a / n for a in self.gradient_accumulation], self.trainable_variables)
        )
        self.n_acum_step.assign(0)
        for acc in self.gradient_accumulation:
            acc.assign(tf.zeros_like(acc))


def layers_graph():
    inputs = keras.Input(shape=(3,))
    h = keras.layers.Dense(5, activation="tanh")(inputs)
    return inputs, keras.layers.Dense(1)(h)


acc_model = AccumulatingModel(4, *layers_graph())
plain = keras.Model(*layers_graph())
for target, source in zip(plain.trainable_variables, acc_model.trainable_variables):
    target.assign(source)


def weights(model):
    return [v.numpy() for v in model.trainable_variables]


start = weights(acc_model)
for m in (acc_model, plain):
    m.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse", metrics=["mae"])
# build the optimizer's slots outside the tf.cond branch
acc_model.optimizer.build(acc_model.trainable_variables)

# 3 batches of 4: no update yet, the accumulators hold the sum of the batch gradients
acc_model.fit(x[:12], y[:12], batch_size=4, epochs=1, shuffle=False, verbose=0)
for a, b in zip(weights(acc_model), start):
    np.testing.assert_array_equal(a, b)
assert int(acc_model.n_acum_step.numpy()) == 3
assert int(acc_model.optimizer.iterations.numpy()) == 0
assert any(np.abs(a.numpy()).sum() > 0 for a in acc_model.gradient_accumulation)

# the 4th batch applies the mean of the 4 gradients: one full-batch step of 16
acc_model.fit(x[12:], y[12:], batch_size=4, epochs=1, shuffle=False, verbose=0)
plain.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0)
assert int(acc_model.n_acum_step.numpy()) == 0
assert int(acc_model.optimizer.iterations.numpy()) == 1
for a, b in zip(weights(acc_model), weights(plain)):
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
for acc in acc_model.gradient_accumulation:
    np.testing.assert_array_equal(acc.numpy(), np.zeros(acc.shape))

# longer runs keep matching: 2 epochs of 16 = 2 full-batch steps; the loss goes down
h = acc_model.fit(x, y, batch_size=4, epochs=6, shuffle=False, verbose=0)
plain.fit(x, y, batch_size=16, epochs=6, shuffle=False, verbose=0)
for a, b in zip(weights(acc_model), weights(plain)):
    np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
assert int(acc_model.optimizer.iterations.numpy()) == 7
assert h.history["loss"][-1] < h.history["loss"][0]
assert set(h.history) == {"loss", "mae"}, h.history.keys()

# Keras 3's built-in alternative: an optimizer with gradient_accumulation_steps=4 under the
# default train_step moves the weights as the custom step does
builtin = keras.Model(*layers_graph())
custom = AccumulatingModel(4, *layers_graph())
for target, source in zip(builtin.trainable_variables, custom.trainable_variables):
    target.assign(source)
builtin.compile(optimizer=keras.optimizers.SGD(0.05, gradient_accumulation_steps=4), loss="mse")
custom.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
custom.optimizer.build(custom.trainable_variables)
builtin.fit(x, y, batch_size=4, epochs=3, shuffle=False, verbose=0)
custom.fit(x, y, batch_size=4, epochs=3, shuffle=False, verbose=0)
for a, b in zip(weights(builtin), weights(custom)):
    np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
print("ok")
