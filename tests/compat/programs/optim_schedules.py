# Learning-rate schedules on their own and inside an optimizer.
import math

import numpy as np
import tensorflow as tf

schedules = tf.keras.optimizers.schedules

decay = schedules.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5, staircase=True)
assert math.isclose(float(decay(9)), 0.1, rel_tol=1e-6)
assert math.isclose(float(decay(10)), 0.05, rel_tol=1e-6)

cosine = schedules.CosineDecay(0.0, decay_steps=100, warmup_target=1.0, warmup_steps=10)
assert math.isclose(float(cosine(5)), 0.5, rel_tol=1e-6)
assert math.isclose(float(cosine(10)), 1.0, rel_tol=1e-6)
assert math.isclose(float(cosine(60)), 0.5, rel_tol=1e-5)

poly = schedules.PolynomialDecay(1.0, decay_steps=4, end_learning_rate=0.2, power=2.0)
assert math.isclose(float(poly(2)), 0.8 * 0.25 + 0.2, rel_tol=1e-6)
assert math.isclose(float(poly(40)), 0.2, rel_tol=1e-6)

restarts = schedules.CosineDecayRestarts(1.0, first_decay_steps=10, t_mul=1.0, m_mul=0.5)
assert math.isclose(float(restarts(10)), 0.5, rel_tol=1e-6)

piecewise = schedules.PiecewiseConstantDecay([2, 4], [1.0, 0.5, 0.1])
np.testing.assert_allclose([float(piecewise(s)) for s in (2, 3, 5)], [1.0, 0.5, 0.1], rtol=1e-6)

config = schedules.serialize(cosine)
again = schedules.deserialize(config)
assert math.isclose(float(again(60)), float(cosine(60)), rel_tol=1e-6)

# Inside SGD the schedule is evaluated at the step count before each update.
w = tf.Variable(0.0)
opt = tf.keras.optimizers.SGD(learning_rate=schedules.InverseTimeDecay(1.0, 1, 1.0))
for _ in range(3):
    opt.apply_gradients([(tf.constant(1.0), w)])
np.testing.assert_allclose(w.numpy(), -(1.0 + 1 / 2 + 1 / 3), rtol=1e-6)
print("schedules ok")
