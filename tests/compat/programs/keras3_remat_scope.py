"""keras.RematScope and keras.remat: rematerialized layers give the same values and
gradients; the scope's modes and settings; an invalid mode is refused."""

import keras
import numpy as np
import tensorflow as tf
from keras import layers

rng = np.random.RandomState(0)
x = tf.constant(rng.rand(4, 6).astype("float32"))


def build(scope=None):
    keras.utils.set_random_seed(1)
    if scope is None:
        return [layers.Dense(8, activation="relu", name="dense_a"), layers.Dense(3, name="dense_b")]
    with scope:
        return [layers.Dense(8, activation="relu", name="dense_a"), layers.Dense(3, name="dense_b")]


def run(stack):
    with tf.GradientTape() as tape:
        y = stack[1](stack[0](x))
        loss = tf.reduce_sum(y**2)
    variables = stack[0].trainable_weights + stack[1].trainable_weights
    return y, tape.gradient(loss, variables)


ref_y, ref_grads = run(build())
for scope in (
    keras.RematScope(mode="full"),
    keras.RematScope(mode="activations"),
    keras.RematScope(mode="larger_than", output_size_threshold=10),
    keras.RematScope(mode="list_of_layers", layer_names=["dense_a"]),
    keras.RematScope(mode=None),
):
    y, grads = run(build(scope))
    np.testing.assert_allclose(y, ref_y, rtol=1e-6)
    for g, r in zip(grads, ref_grads):
        np.testing.assert_allclose(g, r, rtol=1e-5, atol=1e-7)

# The scope keeps its settings; they nest.
scope = keras.RematScope(mode="larger_than", output_size_threshold=2048)
assert scope.mode == "larger_than" and scope.output_size_threshold == 2048
assert keras.RematScope(mode="list_of_layers").layer_names == []
with keras.RematScope(mode="full"):
    with keras.RematScope(mode="list_of_layers", layer_names=["x"]):
        inner = layers.Dense(2, name="x")
    outer = layers.Dense(2)
np.testing.assert_allclose(
    inner(np.ones((1, 2), "float32")).shape, outer(np.ones((1, 2), "float32")).shape
)

message = ""
try:
    keras.RematScope(mode="everything")
except ValueError as err:
    message = str(err)
assert "Invalid mode" in message, message


# A model whose layers were made under a RematScope learns as one without it.
def train(scope, run_eagerly):
    keras.utils.set_random_seed(2)
    if scope is None:
        hidden = [layers.Dense(8, activation="tanh"), layers.Dense(1)]
    else:
        with scope:
            hidden = [layers.Dense(8, activation="tanh"), layers.Dense(1)]
    model = keras.Sequential([keras.Input((6,))] + hidden)
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse", run_eagerly=run_eagerly)
    y = np.ones((4, 1), "float32")
    model.fit(x.numpy(), y, epochs=3, batch_size=2, shuffle=False, verbose=0)
    return model.get_weights()


# (eagerly: Keras 3.15 on TensorFlow cannot trace a rematerialized call that takes
# keyword arguments)
for a, b in zip(train(None, False), train(keras.RematScope(mode="full"), True)):
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)

# keras.remat wraps a function or a layer directly.
dense = layers.Dense(3)
dense.build((None, 6))
remat_dense = keras.remat(dense)
np.testing.assert_allclose(remat_dense(x), dense(x), rtol=1e-6)

print("keras3_remat_scope: OK")
