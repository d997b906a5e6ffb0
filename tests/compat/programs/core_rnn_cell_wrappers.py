"""tf.nn.RNNCellDropoutWrapper / RNNCellResidualWrapper / RNNCellDeviceWrapper around
Keras cells, stepped by hand over a sequence as TF1-style code does (TensorFlow 2.21's
keras.layers.RNN does not take these wrappers, so the loop is written out)."""

import numpy as np
import tensorflow as tf

batch, steps, features = 2, 4, 3
sequence = tf.constant(
    np.linspace(-1.0, 1.0, batch * steps * features).reshape(batch, steps, features), tf.float32
)

# Residual: a cell with zero weights outputs zeros, so the wrapper gives back its input
zero_cell = tf.keras.layers.SimpleRNNCell(
    features, kernel_initializer="zeros", recurrent_initializer="zeros"
)
residual = tf.nn.RNNCellResidualWrapper(zero_cell)
assert residual.state_size == features and residual.output_size == features
state = [tf.zeros([batch, features])]
for t in range(steps):
    out, state = residual(sequence[:, t], state)
    np.testing.assert_allclose(out.numpy(), sequence[:, t].numpy(), atol=1e-7)

fresh_cell = tf.keras.layers.SimpleRNNCell(features)  # a cell is wrapped once
custom = tf.nn.RNNCellResidualWrapper(fresh_cell, residual_fn=lambda inputs, outputs: inputs * 3.0)
out, _ = custom(sequence[:, 0], [tf.zeros([batch, features])])
np.testing.assert_allclose(out.numpy(), 3.0 * sequence[:, 0].numpy(), rtol=1e-6)

# Dropout: keep probabilities of 1.0 change nothing; output dropout scales kept values
lstm = tf.keras.layers.LSTMCell(5)
plain = tf.nn.RNNCellDropoutWrapper(lstm)
assert plain.state_size == [5, 5] and plain.output_size == 5
states = [tf.zeros([batch, 5]), tf.zeros([batch, 5])]
wrapped_out, wrapped_states = plain(sequence[:, 0], states)
direct_out, direct_states = lstm(sequence[:, 0], states)
np.testing.assert_allclose(wrapped_out.numpy(), direct_out.numpy(), rtol=1e-6)
assert len(wrapped_states) == 2

ones_cell = tf.keras.layers.SimpleRNNCell(
    400, kernel_initializer="ones", use_bias=False, activation=None
)
dropped = tf.nn.RNNCellDropoutWrapper(ones_cell, output_keep_prob=0.5, seed=7)
out, _ = dropped(tf.ones([1, 1]), [tf.zeros([1, 400])])
values = np.round(out.numpy().ravel(), 4)
assert set(values.tolist()) <= {0.0, 2.0}, set(values.tolist())
assert 100 < int((values == 0).sum()) < 300
try:
    tf.nn.RNNCellDropoutWrapper(lstm, state_keep_prob=-0.5)
    raise AssertionError("a keep probability must be in [0, 1]")
except ValueError:
    pass

# Device: the same results as the bare cell
gru = tf.keras.layers.GRUCell(4)
on_cpu = tf.nn.RNNCellDeviceWrapper(gru, "/cpu:0")
a, _ = on_cpu(sequence[:, 1], [tf.zeros([batch, 4])])
b, _ = gru(sequence[:, 1], [tf.zeros([batch, 4])])
np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6)
print("RNN cell wrappers: ok")
