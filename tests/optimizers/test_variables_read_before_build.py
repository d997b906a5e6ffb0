"""A compiled step whose first trace builds a layer traces once more, as TensorFlow does; an
optimizer call there with variables it was not built with fails (ValueError, as Keras 3 on
TF 2.21) instead of the compiled step replaying the first trace's shorter variable list."""

import numpy as np
import pytest

import gpuflow as tf
from gpuflow import keras


def _step_reading_weights_too_early():
    lazy = keras.layers.Dense(3)  # built by its first call, inside the trace
    head = keras.layers.Dense(1)
    head.build((None, 3))
    opt = keras.optimizers.Adam()

    @tf.function
    def step(x):
        weights = lazy.trainable_weights + head.trainable_weights  # before lazy is built
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(head(lazy(x)) ** 2)
        opt.apply_gradients(zip(tape.gradient(loss, weights), weights))
        return loss

    return step


def test_compiled_step_fails_like_eager_on_variables_the_optimizer_lacks():
    step = _step_reading_weights_too_early()
    with pytest.raises(ValueError, match="Unknown variable"):
        step(tf.ones((4, 2)))


def test_fit_with_a_custom_train_step_fails_too():
    class Model(keras.Model):
        def __init__(self):
            super().__init__()
            self.lazy = keras.Sequential([keras.layers.Dense(3)])
            self.head = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])

        def train_step(self, data):
            x, y = data
            weights = self.lazy.trainable_weights + self.head.trainable_weights
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean((self.head(self.lazy(x)) - y) ** 2)
            self.optimizer.apply_gradients(zip(tape.gradient(loss, weights), weights))
            return {"loss": loss}

    model = Model()
    model.compile(optimizer="adam")
    x, y = np.ones((8, 2), "float32"), np.ones((8, 1), "float32")
    with pytest.raises(ValueError, match="Unknown variable"):
        model.fit(x, y, batch_size=4, epochs=1, verbose=0)


def test_reading_the_weights_after_the_first_call_trains_every_layer():
    lazy = keras.layers.Dense(3)
    head = keras.layers.Dense(1)
    opt = keras.optimizers.SGD(0.1)

    @tf.function
    def step(x):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(head(lazy(x)) ** 2)
        weights = lazy.trainable_weights + head.trainable_weights
        opt.apply_gradients(zip(tape.gradient(loss, weights), weights))
        return loss

    step(tf.ones((4, 2)))
    before = lazy.kernel.numpy().copy()
    step(tf.ones((4, 2)))
    assert not np.allclose(before, lazy.kernel.numpy())  # the replay updates it too
    assert int(opt.iterations) == 2
