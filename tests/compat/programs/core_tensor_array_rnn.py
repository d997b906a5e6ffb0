# TensorArray: accumulate per-step outputs of a hand-written RNN inside tf.function, and
# train it with GradientTape through TensorArray.stack().
import numpy as np
import tensorflow as tf

tf.random.set_seed(0)
rng = np.random.default_rng(0)
steps, batch, features, units = 6, 4, 3, 5
x = tf.constant(rng.standard_normal((steps, batch, features)), tf.float32)
w_x = tf.Variable(rng.standard_normal((features, units)) * 0.3, dtype=tf.float32)
w_h = tf.Variable(rng.standard_normal((units, units)) * 0.3, dtype=tf.float32)


@tf.function
def run_rnn(inputs):
    outputs = tf.TensorArray(tf.float32, size=inputs.shape[0])
    state = tf.zeros([inputs.shape[1], units])
    for t in tf.range(inputs.shape[0]):
        state = tf.tanh(tf.matmul(inputs[t], w_x) + tf.matmul(state, w_h))
        outputs = outputs.write(t, state)
    return outputs.stack()


def numpy_rnn(inputs):
    state = np.zeros((inputs.shape[1], units), np.float32)
    out = []
    for t in range(inputs.shape[0]):
        state = np.tanh(inputs[t] @ w_x.numpy() + state @ w_h.numpy())
        out.append(state)
    return np.stack(out)


for scale in (1.0, 0.5):  # the second call replays the traced function
    got = run_rnn(x * scale)
    assert got.shape == (steps, batch, units)
    np.testing.assert_allclose(got.numpy(), numpy_rnn(x.numpy() * scale), rtol=1e-5, atol=1e-6)

# read(), size(), dynamic_size and gather()
ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True, clear_after_read=False)
for i in range(4):
    ta = ta.write(i, tf.fill([2], float(i)))
assert int(ta.size()) == 4
np.testing.assert_array_equal(ta.read(2).numpy(), [2.0, 2.0])
np.testing.assert_array_equal(ta.gather([3, 0]).numpy(), [[3.0, 3.0], [0.0, 0.0]])
unstacked = tf.TensorArray(tf.float32, size=3).unstack(tf.constant([[1.0], [2.0], [3.0]]))
np.testing.assert_array_equal(unstacked.concat().numpy(), [1.0, 2.0, 3.0])

# training through the TensorArray: the loss goes down
target = tf.constant(rng.standard_normal((steps, batch, units)) * 0.5, tf.float32)
opt = tf.keras.optimizers.SGD(learning_rate=0.1)
losses = []
for _ in range(20):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean((run_rnn(x) - target) ** 2)
    grads = tape.gradient(loss, [w_x, w_h])
    assert all(g is not None for g in grads)
    opt.apply_gradients(zip(grads, [w_x, w_h]))
    losses.append(float(loss))
assert losses[-1] < losses[0] * 0.9, losses
print("TensorArray RNN ok", losses[0], losses[-1])
