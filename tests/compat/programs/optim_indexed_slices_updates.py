"""Sparse gradients: tf.IndexedSlices (rows of a variable) from custom code, applied by
Keras optimizers and converted to dense tensors; the rows of repeated indices add up
(TensorFlow 2.21)."""

import numpy as np
import tensorflow as tf

table = tf.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]])

# a hand-made sparse gradient touching rows 3 and 0
grad = tf.IndexedSlices(
    values=tf.constant([[1.0, 2.0], [3.0, -1.0]]),
    indices=tf.constant([3, 0]),
    dense_shape=tf.constant([4, 2]),
)
assert grad.shape.as_list() == [4, 2]
dense = tf.convert_to_tensor(grad)
assert dense.numpy().tolist() == [[3.0, -1.0], [0.0, 0.0], [0.0, 0.0], [1.0, 2.0]]

# repeated indices add up
repeated = tf.IndexedSlices(tf.ones([3, 2]), tf.constant([1, 1, 2]), tf.constant([4, 2]))
assert tf.convert_to_tensor(repeated).numpy()[:, 0].tolist() == [0.0, 2.0, 1.0, 0.0]

sgd = tf.keras.optimizers.SGD(learning_rate=0.1)
sgd.apply_gradients([(repeated, table)])
np.testing.assert_allclose(table.numpy()[1], [2.8, 3.8], atol=1e-6)
np.testing.assert_allclose(table.numpy()[0], [1.0, 2.0])  # untouched rows stay

results = {}
for name, make in (
    ("momentum", lambda: tf.keras.optimizers.SGD(0.1, momentum=0.9)),
    ("adam", lambda: tf.keras.optimizers.Adam(0.1)),
    ("rmsprop", lambda: tf.keras.optimizers.RMSprop(0.1)),
):
    var = tf.Variable(tf.zeros([4, 2]))
    opt = make()
    for _ in range(3):
        opt.apply_gradients([(grad, var)])
    results[name] = var.numpy()
    # rows without a gradient keep their value
    assert results[name][1:3].tolist() == [[0.0, 0.0], [0.0, 0.0]], name
np.testing.assert_allclose(results["momentum"][3], [-0.561, -1.122], atol=1e-5)
np.testing.assert_allclose(results["adam"][0], [-0.3, 0.3], atol=1e-5)
np.testing.assert_allclose(results["rmsprop"][3], [-0.73774, -0.73774], atol=1e-4)


# inside a tf.function training step
emb = tf.Variable(tf.ones([5, 3]))
opt = tf.keras.optimizers.SGD(0.5)


@tf.function
def step(ids, target):
    rows = tf.gather(emb, ids)
    loss = tf.reduce_sum((rows - target) ** 2)
    sparse = tf.IndexedSlices(2.0 * (rows - target), ids, tf.shape(emb, out_type=tf.int64))
    opt.apply_gradients([(sparse, emb)])
    return loss


loss = step(tf.constant([0, 4]), tf.zeros([2, 3]))
assert float(loss) == 6.0
assert emb.numpy()[[0, 4]].tolist() == [[0.0] * 3, [0.0] * 3]
assert emb.numpy()[1].tolist() == [1.0, 1.0, 1.0]
print("optim_indexed_slices_updates: ok")
