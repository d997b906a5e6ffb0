# Custom training loop with weight EMA and gradient accumulation, checked by hand.
import numpy as np
import tensorflow as tf

g = tf.constant([1.0, -2.0])

# Gradient accumulation: the variable moves every 2nd call, by the mean gradient.
w = tf.Variable([0.0, 0.0])
opt = tf.keras.optimizers.SGD(learning_rate=0.5, gradient_accumulation_steps=2)
opt.apply_gradients([(g, w)])
np.testing.assert_allclose(w.numpy(), [0.0, 0.0])
opt.apply_gradients([(3.0 * g, w)])
np.testing.assert_allclose(w.numpy(), -0.5 * 2.0 * g.numpy(), rtol=1e-6)
assert int(opt.iterations.numpy()) == 1

# EMA: the average follows the weights; finalize_variable_values() swaps it in.
w = tf.Variable([1.0, 1.0])
opt = tf.keras.optimizers.SGD(learning_rate=0.1, use_ema=True, ema_momentum=0.5)
values, average = [], None
for _ in range(3):
    opt.apply_gradients([(g, w)])
    values.append(w.numpy().copy())
    average = values[-1] if average is None else 0.5 * average + 0.5 * values[-1]
np.testing.assert_allclose(w.numpy(), np.array([1.0, 1.0]) - 0.3 * g.numpy(), rtol=1e-6)
opt.finalize_variable_values([w])
np.testing.assert_allclose(w.numpy(), average, rtol=1e-6)

# Weight decay skips the variables excluded by name.
kernel = tf.Variable([1.0, 1.0], name="kernel")
bias = tf.Variable([1.0], name="bias")
opt = tf.keras.optimizers.SGD(learning_rate=0.1, weight_decay=0.5)
opt.exclude_from_weight_decay(var_names=["bias"])
opt.apply_gradients([(tf.zeros(2), kernel), (tf.zeros(1), bias)])
np.testing.assert_allclose(kernel.numpy(), [0.95, 0.95], rtol=1e-6)
np.testing.assert_allclose(bias.numpy(), [1.0])
print("ema and accumulation ok")
