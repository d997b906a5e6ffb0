# Indices that change from call to call inside tf.function: gather, gather_nd, and an
# Embedding model trained by fit (compiled) against the same model run eagerly.
import numpy as np
import tensorflow as tf

params = tf.constant(np.arange(12.0).reshape(3, 4))


@tf.function
def pick(p, ids):
    return tf.gather(p, ids)


@tf.function
def pick_nd(p, coords):
    return tf.gather_nd(p, coords)


for ids in ([0, 2], [1, 1], [2, 0]):
    np.testing.assert_array_equal(pick(params, tf.constant(ids)).numpy(), params.numpy()[ids])
for coords in ([[0, 1], [2, 3]], [[1, 1], [0, 0]]):
    expected = [params.numpy()[i, j] for i, j in coords]
    np.testing.assert_array_equal(pick_nd(params, tf.constant(coords)).numpy(), expected)
assert pick.experimental_get_tracing_count() == 1

table = tf.Variable(tf.zeros([4, 2]))


@tf.function
def grad_of(ids):
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.gather(table, ids))
    return tf.convert_to_tensor(tape.gradient(loss, table))


for ids in ([0, 0, 3], [1, 2, 2]):
    expected = np.zeros((4, 2))
    np.add.at(expected, ids, 1.0)
    np.testing.assert_array_equal(grad_of(tf.constant(ids)).numpy(), expected)

rng = np.random.default_rng(0)
tokens = rng.integers(0, 10, size=(64, 5))
labels = (tokens[:, 0] > 4).astype("int64")


def train(run_eagerly):
    tf.keras.utils.set_random_seed(2)
    model = tf.keras.Sequential(
        [
            tf.keras.Input((5,), dtype="int32"),
            tf.keras.layers.Embedding(10, 4),
            tf.keras.layers.GlobalAveragePooling1D(),
            tf.keras.layers.Dense(2),
        ]
    )
    model.compile(
        optimizer=tf.keras.optimizers.SGD(0.5),
        loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        run_eagerly=run_eagerly,
    )
    history = model.fit(tokens, labels, batch_size=16, epochs=5, shuffle=False, verbose=0)
    return history.history["loss"], model.get_weights()


compiled_loss, compiled_weights = train(False)
eager_loss, eager_weights = train(True)
np.testing.assert_allclose(compiled_loss, eager_loss, rtol=1e-5)
for a, b in zip(compiled_weights, eager_weights):
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
assert compiled_loss[-1] < compiled_loss[0]
print("ok")
