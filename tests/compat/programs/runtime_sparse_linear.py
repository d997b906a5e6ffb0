"""Sparse bag-of-words features into a linear model: SparseTensor, sparse_dense_matmul."""

import numpy as np
import tensorflow as tf

vocab, n = 20, 48
rng = np.random.default_rng(0)
docs = [rng.choice(vocab, size=rng.integers(1, 5), replace=False) for _ in range(n)]
indices = [[i, int(w)] for i, doc in enumerate(docs) for w in sorted(doc)]
values = np.ones(len(indices), "float32")
features = tf.sparse.SparseTensor(indices=indices, values=values, dense_shape=[n, vocab])
assert features.shape == (n, vocab)
assert features.indices.dtype == tf.int64

true_w = rng.normal(size=(vocab, 1)).astype("float32")
dense = tf.sparse.to_dense(features).numpy()
labels = dense @ true_w

# sparse_dense_matmul equals the dense product
w = tf.Variable(tf.zeros([vocab, 1]))
b = tf.Variable(tf.zeros([1]))
np.testing.assert_allclose(
    tf.sparse.sparse_dense_matmul(features, true_w).numpy(), labels, rtol=1e-5, atol=1e-6
)

# per-document counts through sparse reductions
counts = tf.sparse.reduce_sum(features, axis=1).numpy()
np.testing.assert_array_equal(counts, [len(d) for d in docs])

optimizer = tf.keras.optimizers.SGD(learning_rate=0.5)
losses = []
for step in range(200):
    with tf.GradientTape() as tape:
        pred = tf.sparse.sparse_dense_matmul(features, w) + b
        loss = tf.reduce_mean(tf.square(pred - labels))
    grads = tape.gradient(loss, [w, b])
    optimizer.apply_gradients(zip(grads, [w, b]))
    losses.append(float(loss))
assert losses[-1] < 0.01 * losses[0], (losses[0], losses[-1])

# The gradient of the weights equals the dense computation's.
with tf.GradientTape(persistent=True) as tape:
    sparse_loss = tf.reduce_sum(tf.sparse.sparse_dense_matmul(features, w) ** 2)
    dense_loss = tf.reduce_sum(tf.matmul(tf.constant(dense), w) ** 2)
np.testing.assert_allclose(
    tape.gradient(sparse_loss, w).numpy(),
    tape.gradient(dense_loss, w).numpy(),
    rtol=1e-4,
    atol=1e-5,
)

# A Keras Dense layer takes the SparseTensor as it is.
layer = tf.keras.layers.Dense(3)
out = layer(features)
np.testing.assert_allclose(
    out.numpy(), dense @ layer.kernel.numpy() + layer.bias.numpy(), rtol=1e-5, atol=1e-5
)

# Other sparse ops on the same features.
first_rows = tf.sparse.slice(features, [0, 0], [2, vocab])
np.testing.assert_array_equal(tf.sparse.to_dense(first_rows).numpy(), dense[:2])
both = tf.sparse.concat(axis=0, sp_inputs=[first_rows, first_rows])
assert both.shape == (4, vocab)
indicator = tf.sparse.to_indicator(
    tf.sparse.SparseTensor([[0, 0], [0, 1], [1, 0]], tf.constant([3, 7, 2], tf.int64), [2, 2]),
    vocab_size=vocab,
)
assert indicator.numpy()[0, [3, 7]].all() and indicator.numpy().sum() == 3
print("final loss", losses[-1])
