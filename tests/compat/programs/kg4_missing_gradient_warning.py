"""Variables that get no gradient are skipped with Keras' warning naming them (their
Keras paths; a tf.Variable by its name), in a custom loop and in fit() with a loss left
out for one output; no gradient at all is a ValueError."""

import warnings

import keras
import numpy as np
import tensorflow as tf


def gradient_warnings(fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn()
    return [str(w.message) for w in caught if "Gradients do not exist" in str(w.message)]


encoder = keras.layers.Dense(3, name="encoder")
side = keras.layers.Dense(3, name="side")
encoder.build((None, 2))
side.build((None, 2))
opt = keras.optimizers.SGD(0.1)
x = tf.ones((4, 2))
variables = encoder.trainable_weights + side.trainable_weights


def step():
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(encoder(x))
    grads = tape.gradient(loss, variables)
    assert grads[2] is None and grads[3] is None
    opt.apply_gradients(zip(grads, variables))


before = side.kernel.numpy().copy()
messages = gradient_warnings(step)
assert len(messages) == 1, messages
assert "['side/kernel', 'side/bias']" in messages[0], messages[0]
assert "did you forget to provide a `loss` argument?" in messages[0]
np.testing.assert_array_equal(side.kernel.numpy(), before)
assert int(opt.iterations.numpy()) == 1

plain = tf.Variable(np.ones(2, "float32"), name="offset")
scale = keras.Variable(np.ones(2, "float32"), name="scale")
messages = gradient_warnings(
    lambda: keras.optimizers.Adam().apply([tf.ones(2), None], [scale, plain])
)
assert messages and "['offset:0']" in messages[0], messages

try:
    keras.optimizers.SGD().apply_gradients([(None, scale)])
    raise AssertionError("a step without any gradient was accepted")
except ValueError:
    pass

inputs = keras.Input((4,))
main = keras.layers.Dense(1, name="main")(inputs)
aux = keras.layers.Dense(2, name="aux")(inputs)
model = keras.Model(inputs, [main, aux])
model.compile(optimizer="sgd", loss=["mse", None])
data = np.ones((8, 4), "float32")
aux_before = model.get_layer("aux").kernel.numpy().copy()
messages = gradient_warnings(
    lambda: model.fit(data, [np.zeros((8, 1)), np.zeros((8, 2))], batch_size=4, verbose=0)
)
assert messages and "['aux/kernel', 'aux/bias']" in messages[0], messages
np.testing.assert_array_equal(model.get_layer("aux").kernel.numpy(), aux_before)

print("kg4_missing_gradient_warning OK")
