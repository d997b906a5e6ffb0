"""An integer variable among a graph's trainable ones (a step counter made with
tf.Variable(0)): tf.gradients gives None for it and minimize skips it, without warnings."""

import warnings

import gpuflow as tf

v1 = tf.compat.v1


def test_gradients_and_minimize_skip_an_integer_variable():
    with tf.Graph().as_default():
        w, step = tf.Variable(2.0), tf.Variable(0)
        x = v1.placeholder(tf.float32, [])
        loss = tf.square(w * x)
        grads = v1.gradients(loss, [w, step])
        train = v1.train.GradientDescentOptimizer(0.1).minimize(loss)
        assert grads[1] is None
        with v1.Session() as sess, warnings.catch_warnings():
            warnings.simplefilter("error")
            sess.run(v1.global_variables_initializer())
            assert sess.run(grads[0], {x: 1.0}) == 4.0
            sess.run(train, {x: 1.0})
            assert abs(sess.run(w) - 1.6) < 1e-6 and sess.run(step) == 0
