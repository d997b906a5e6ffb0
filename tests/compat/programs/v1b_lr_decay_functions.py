"""The TF 1 learning-rate decay functions of tf.compat.v1.train (polynomial, natural_exp,
inverse_time, cosine, cosine with restarts, linear_cosine, piecewise_constant_decay) on a
graph's global step, and eagerly as callables."""

import math

import numpy as np
import tensorflow as tf

v1 = tf.compat.v1
train = v1.train

with tf.Graph().as_default():
    step = v1.train.get_or_create_global_step()
    rates = {
        "poly": train.polynomial_decay(0.1, step, 10, end_learning_rate=0.01, power=2.0),
        "poly_cycle": train.polynomial_decay(0.1, step, 4, cycle=True),
        "natural": train.natural_exp_decay(0.1, step, 5, 0.5),
        "natural_stair": train.natural_exp_decay(0.1, step, 5, 0.5, staircase=True),
        "inverse": train.inverse_time_decay(0.1, step, 5, 0.5),
        "cosine": train.cosine_decay(0.1, step, 10, alpha=0.1),
        "restarts": train.cosine_decay_restarts(0.1, step, 4, t_mul=2.0, m_mul=0.5),
        "linear_cosine": train.linear_cosine_decay(0.1, step, 10),
        "piecewise": train.piecewise_constant_decay(step, [3, 6], [1.0, 0.5, 0.1]),
    }
    assert all(r.dtype == tf.float32 and r.shape == () for r in rates.values())
    advance = step.assign_add(1)
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        history = []
        for _ in range(13):
            history.append(sess.run(rates))
            sess.run(advance)


def column(name):
    return np.array([row[name] for row in history])


t = np.arange(13, dtype=np.float64)
capped = np.minimum(t, 10)
close = dict(rtol=1e-4, atol=1e-6)
np.testing.assert_allclose(column("poly"), 0.09 * (1 - capped / 10) ** 2 + 0.01, **close)
cycle_len = 4 * np.maximum(np.ceil(t / 4), 1)
expected_cycle = (0.1 - 0.0001) * (1 - t / cycle_len) + 0.0001
np.testing.assert_allclose(column("poly_cycle"), expected_cycle, **close)
np.testing.assert_allclose(column("natural"), 0.1 * np.exp(-0.5 * t / 5), **close)
np.testing.assert_allclose(column("natural_stair"), 0.1 * np.exp(-0.5 * np.floor(t / 5)), **close)
np.testing.assert_allclose(column("inverse"), 0.1 / (1 + 0.5 * t / 5), **close)
cosine = 0.5 * (1 + np.cos(np.pi * capped / 10))
np.testing.assert_allclose(column("cosine"), 0.1 * (0.9 * cosine + 0.1), **close)
linear = (10 - capped) / 10
lin_cos = (linear * 0.5 * (1 + np.cos(np.pi * capped / 10)) + 0.001) * 0.1
np.testing.assert_allclose(column("linear_cosine"), lin_cos, **close)
restarts = column("restarts")
# periods of 4, 8, 16 steps starting at 0.1, 0.05, 0.025
np.testing.assert_allclose(restarts[[0, 4, 12]], [0.1, 0.05, 0.025], **close)
np.testing.assert_allclose(restarts[2], 0.1 * 0.5 * (1 + math.cos(math.pi * 0.5)), **close)
np.testing.assert_allclose(column("piecewise"), [1.0] * 4 + [0.5] * 3 + [0.1] * 6, rtol=1e-6)

# eagerly, the functions return a callable read at each step
counter = tf.Variable(3)
decayed = train.cosine_decay(0.1, counter, 10)
assert callable(decayed)
np.testing.assert_allclose(float(decayed()), 0.1 * 0.5 * (1 + math.cos(math.pi * 0.3)), rtol=1e-5)
counter.assign(10)
np.testing.assert_allclose(float(decayed()), 0.0, atol=1e-7)
print("ok")
