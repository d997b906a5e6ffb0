"""The optimizer's learning rate as Keras 3 has it: a variable that custom loops and
callbacks read and assign; schedules called directly give tensors."""

import numpy as np
import tensorflow as tf

opt = tf.keras.optimizers.SGD(learning_rate=0.5)
lr = opt.learning_rate
assert np.isclose(lr.numpy(), 0.5) and lr.dtype == tf.float32
w = tf.Variable([1.0, 2.0])
opt.apply_gradients([(tf.constant([1.0, 1.0]), w)])
np.testing.assert_allclose(w.numpy(), [0.5, 1.5])

opt.learning_rate.assign(0.25)  # what warm-up loops do
opt.apply_gradients([(tf.constant([2.0, 2.0]), w)])
np.testing.assert_allclose(w.numpy(), [0.0, 1.0])
assert opt.learning_rate is lr  # the same variable throughout

opt.learning_rate = 0.1  # what LearningRateScheduler does
assert np.isclose(float(opt.learning_rate), 0.1)

schedule = tf.keras.optimizers.schedules.ExponentialDecay(1.0, decay_steps=1, decay_rate=0.5)
value = schedule(2)
assert np.isclose(value.numpy(), 0.25) and value.dtype == tf.float32
opt = tf.keras.optimizers.Adam(schedule)
assert np.isclose(float(opt.learning_rate), 1.0)
opt.apply_gradients([(tf.constant([1.0, 1.0]), w)])
assert np.isclose(float(opt.learning_rate), 0.5)


class Halving(tf.keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        self.model.optimizer.learning_rate.assign(self.model.optimizer.learning_rate * 0.5)


model = tf.keras.Sequential([tf.keras.Input((2,)), tf.keras.layers.Dense(1)])
model.compile(tf.keras.optimizers.SGD(0.1), "mse")
model.fit(np.ones((8, 2)), np.ones((8, 1)), epochs=3, verbose=0, callbacks=[Halving()])
assert np.isclose(float(model.optimizer.learning_rate), 0.0125)
assert tf.constant(1.0) != None  # noqa: E711 (a tensor never equals None, as in TF)
print("ok")
