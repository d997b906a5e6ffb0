# A few optimizer steps on a tf.Variable with a fixed gradient, checked against values
# computed by hand from the update rules (Adam, AdamW, SGD with Nesterov momentum).
import math

import numpy as np
import tensorflow as tf

g = tf.constant([0.5, -1.0])

# Adam: m and v are bias-corrected; epsilon is added to sqrt(v).
w = tf.Variable([1.0, 2.0])
opt = tf.keras.optimizers.Adam(learning_rate=0.1)
for _ in range(3):
    opt.apply_gradients([(g, w)])
expected = np.array([1.0, 2.0])
m = v = np.zeros(2)
for t in range(1, 4):
    m = 0.9 * m + 0.1 * g.numpy()
    v = 0.999 * v + 0.001 * g.numpy() ** 2
    alpha = 0.1 * math.sqrt(1 - 0.999**t) / (1 - 0.9**t)
    expected = expected - alpha * m / (np.sqrt(v) + 1e-7)
np.testing.assert_allclose(w.numpy(), expected, rtol=1e-5)
assert int(opt.iterations.numpy()) == 3

# AdamW: the weights first decay by lr * weight_decay, then Adam steps.
w = tf.Variable([1.0, 2.0])
opt = tf.keras.optimizers.AdamW(learning_rate=0.1, weight_decay=0.5)
opt.apply_gradients([(g, w)])
decayed = np.array([1.0, 2.0]) * (1 - 0.1 * 0.5)
step = 0.1 * np.sign(g.numpy())  # the first Adam step is lr * m / sqrt(v) = lr * sign(g)
np.testing.assert_allclose(w.numpy(), decayed - step, rtol=1e-5)

# SGD with Nesterov momentum: m = mu * m - lr * g; w += mu * m - lr * g.
w = tf.Variable([1.0, 2.0])
opt = tf.keras.optimizers.SGD(learning_rate=0.1, momentum=0.9, nesterov=True)
expected, m = np.array([1.0, 2.0]), np.zeros(2)
for _ in range(4):
    opt.apply_gradients(zip([g], [w]))
    m = 0.9 * m - 0.1 * g.numpy()
    expected = expected + 0.9 * m - 0.1 * g.numpy()
np.testing.assert_allclose(w.numpy(), expected, rtol=1e-5)

# Gradient clipping by norm, and apply() with the Keras 3 signature.
w = tf.Variable([0.0, 0.0])
opt = tf.keras.optimizers.SGD(learning_rate=1.0, clipnorm=1.0)
opt.apply([tf.constant([3.0, 4.0])], [w])
np.testing.assert_allclose(w.numpy(), [-0.6, -0.8], rtol=1e-6)
print("optimizer numerics ok")
