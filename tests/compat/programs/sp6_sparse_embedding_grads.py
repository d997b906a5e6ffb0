# Gradients of embedding tables as TensorFlow hands them out: tf.IndexedSlices from
# tf.gather, tf.nn.embedding_lookup and a Keras Embedding layer; what one can do with them
# (densify, clip, cast, add to a tensor) and an optimizer step on them, eager and compiled.
import numpy as np
import tensorflow as tf

table = tf.Variable(np.arange(18, dtype=np.float32).reshape(6, 3) / 6.0)

# One lookup with a repeated id: the rows are listed once per lookup, summed when densified.
with tf.GradientTape() as tape:
    picked = tf.gather(table, tf.constant([4, 1, 4]))
    loss = tf.reduce_sum(picked * tf.constant([[1.0], [2.0], [3.0]]))
grad = tape.gradient(loss, table)
assert isinstance(grad, tf.IndexedSlices)
assert grad.indices.numpy().tolist() == [4, 1, 4]
assert grad.dense_shape.numpy().tolist() == [6, 3]
assert grad.indices.dtype == tf.int32 and grad.dense_shape.dtype == tf.int32
assert grad.values.shape == (3, 3) and grad.dtype == tf.float32
assert tuple(grad.shape) == (6, 3)
dense = tf.convert_to_tensor(grad).numpy()
assert dense[4].tolist() == [4.0, 4.0, 4.0] and dense[1].tolist() == [2.0, 2.0, 2.0]
assert float(dense.sum()) == 18.0

# Two lookups of one table: their slices are concatenated, not summed row by row.
with tf.GradientTape() as tape:
    first = tf.nn.embedding_lookup(table, [[0, 5]])
    second = tf.gather(table, [5])
    loss = tf.reduce_sum(first) + 2.0 * tf.reduce_sum(second)
grad = tape.gradient(loss, table)
assert isinstance(grad, tf.IndexedSlices)
assert sorted(grad.indices.numpy().tolist()) == [0, 5, 5]
assert tf.convert_to_tensor(grad).numpy()[5].tolist() == [3.0, 3.0, 3.0]

# A dense read of the same table makes the whole gradient a dense tensor.
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(tf.gather(table, [2])) + tf.reduce_sum(table * 0.5)
mixed = tape.gradient(loss, table)
assert not isinstance(mixed, tf.IndexedSlices)
assert mixed.numpy()[2].tolist() == [1.5, 1.5, 1.5]

# Clipping keeps the slices (the norm counts each listed row); cast keeps them too;
# adding a dense tensor gives a dense tensor.
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(tf.gather(table, [3, 3]) * 2.0)
grad = tape.gradient(loss, table)
clipped = tf.clip_by_norm(grad, 1.0)
assert isinstance(clipped, tf.IndexedSlices)
np.testing.assert_allclose(np.linalg.norm(clipped.values.numpy()), 1.0, rtol=1e-6)
(by_global,), norm = tf.clip_by_global_norm([grad], 2.0)
assert isinstance(by_global, tf.IndexedSlices)
np.testing.assert_allclose(float(norm), np.sqrt(24.0), rtol=1e-6)
assert isinstance(tf.cast(grad, tf.float64), tf.IndexedSlices)
plus = grad + tf.zeros((6, 3))
assert not isinstance(plus, tf.IndexedSlices) and plus.numpy()[3].tolist() == [4.0] * 3

# A Keras Embedding layer: its gradient is an IndexedSlices of the looked-up ids.
emb = tf.keras.layers.Embedding(8, 2, embeddings_initializer="ones")
ids = tf.constant([[1, 6], [6, 6]])
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(emb(ids))
(emb_grad,) = tape.gradient(loss, emb.trainable_variables)
assert isinstance(emb_grad, tf.IndexedSlices)
assert emb_grad.indices.numpy().tolist() == [1, 6, 6, 6]
assert tf.convert_to_tensor(emb_grad).numpy()[6].tolist() == [3.0, 3.0]


# Plain SGD updates only the looked-up rows; eager and tf.function steps agree.
def train(compiled):
    weights = tf.Variable(np.linspace(-1.0, 1.0, 20, dtype=np.float32).reshape(10, 2))
    start = weights.numpy()
    opt = tf.keras.optimizers.SGD(learning_rate=0.1)

    def step(batch):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.square(tf.nn.embedding_lookup(weights, batch)))
        grads = tape.gradient(loss, [weights])
        opt.apply_gradients(zip(grads, [weights]))

    run = tf.function(step) if compiled else step
    for batch in ([[0, 3], [3, 7]], [[7, 7], [1, 0]]):
        run(tf.constant(batch))
    return start, weights.numpy()


start, eager = train(False)
_, compiled = train(True)
np.testing.assert_allclose(eager, compiled, rtol=1e-6)
for row in (2, 4, 5, 6, 8, 9):
    assert eager[row].tolist() == start[row].tolist()
# row 3: two lookups in the first step, none in the second
np.testing.assert_allclose(eager[3], start[3] * (1 - 0.2 * 2), rtol=1e-6)
print("sp6_sparse_embedding_grads: ok")
