"""The TF 1 decay functions of tf.compat.v1.train, against TensorFlow 2.21's values."""

import numpy as np
import pytest

import gpuflow as tf

v1 = tf.compat.v1

# (function, args, {step: TF 2.21's value})
CASES = [
    (v1.train.polynomial_decay, (0.1, 4), {"cycle": True}, {0: 0.1, 5: 0.037562, 9: 0.025075}),
    (v1.train.natural_exp_decay, (0.1, 5, 0.5), {"staircase": True}, {4: 0.1, 5: 0.060653}),
    (v1.train.inverse_time_decay, (0.1, 5, 0.5), {}, {3: 0.076923, 12: 0.045455}),
    (v1.train.cosine_decay, (0.1, 10), {"alpha": 0.1}, {3: 0.08145, 11: 0.01}),
    (v1.train.cosine_decay_restarts, (0.1, 4), {"m_mul": 0.5}, {3: 0.014645, 9: 0.015433}),
    (v1.train.linear_cosine_decay, (0.1, 10), {}, {0: 0.1001, 6: 0.01392}),
]


@pytest.mark.parametrize("fn, args, kwargs, expected", CASES)
def test_decay_in_a_graph_and_eagerly(fn, args, kwargs, expected):
    with tf.Graph().as_default():
        step = v1.placeholder(tf.int64, [])
        rate = fn(args[0], step, *args[1:], **kwargs)
        with v1.Session() as sess:
            got = {s: sess.run(rate, {step: s}) for s in expected}
    np.testing.assert_allclose(list(got.values()), list(expected.values()), rtol=1e-4)
    counter = tf.Variable(0, dtype=tf.int64)
    eager = fn(args[0], counter, *args[1:], **kwargs)
    for s, value in expected.items():
        counter.assign(s)
        np.testing.assert_allclose(float(eager()), value, rtol=1e-4)


def test_piecewise_constant_decay_is_piecewise_constant_and_step_is_required():
    assert v1.train.piecewise_constant_decay is v1.train.piecewise_constant
    with pytest.raises(ValueError, match="global_step is required"):
        v1.train.cosine_decay(0.1, None, 10)
