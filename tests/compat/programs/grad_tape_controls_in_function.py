# GradientTape controls from "Introduction to gradients" / "Advanced automatic
# differentiation", inside tf.function: choosing what the tape watches, stop_recording,
# reset, unconnected gradients, sources that give None (integers, a variable's assign),
# output_gradients and a jacobian; each compiled result equals the eager one.
import numpy as np
import tensorflow as tf

w = tf.Variable([[1.0, -2.0], [0.5, 3.0]], name="w")
b = tf.Variable([0.1, -0.1], name="b")
counter = tf.Variable(2.0, name="counter")


def controls(x):
    # only b is watched: w is read but not recorded
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(b)
        y = tf.reduce_sum(tf.matmul(x, w) + b)
    only_b = tape.gradient(y, [w, b])

    # stop_recording: the second term is a constant for the tape
    with tf.GradientTape() as tape:
        first = tf.reduce_sum(tf.square(tf.matmul(x, w)))
        with tape.stop_recording():
            second = tf.reduce_sum(tf.matmul(x, w) * 10.0)
        total = first + second
    stopped = tape.gradient(total, w)

    # reset: only what was recorded after it counts
    with tf.GradientTape() as tape:
        discarded = tf.reduce_sum(w * 100.0)
        tape.reset()
        kept = tf.reduce_sum(w * 3.0) + 0.0 * discarded
    after_reset = tape.gradient(kept, w)

    # unconnected sources: None, or zeros with UnconnectedGradients.ZERO
    with tf.GradientTape(persistent=True) as tape:
        z = tf.reduce_sum(b * 2.0)
    none_grad = tape.gradient(z, w)
    zero_grad = tape.gradient(z, w, unconnected_gradients=tf.UnconnectedGradients.ZERO)

    # an integer source, and a value that went through assign: no gradient
    k = tf.constant(3)
    with tf.GradientTape() as tape:
        tape.watch(k)
        counter.assign_add(1.0)
        y = tf.cast(k, tf.float32) * counter
    int_grad = tape.gradient(y, k)

    # output_gradients weight each output element; a jacobian of a vector function
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        h = tf.tanh(tf.matmul(x, w))
    weighted = tape.gradient(h, x, output_gradients=tf.constant([[1.0, -1.0]]))
    jac = tape.jacobian(h, x)
    return only_b, stopped, after_reset, none_grad, zero_grad, int_grad, weighted, jac


def check(results, x):
    only_b, stopped, after_reset, none_grad, zero_grad, int_grad, weighted, jac = results
    xs, ws = x.numpy(), w.numpy()
    assert only_b[0] is None
    np.testing.assert_allclose(only_b[1].numpy(), [1.0, 1.0])
    np.testing.assert_allclose(stopped.numpy(), xs.T @ (2 * (xs @ ws)), rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(after_reset.numpy(), np.full((2, 2), 3.0))
    assert none_grad is None
    np.testing.assert_array_equal(zero_grad.numpy(), np.zeros((2, 2)))
    assert int_grad is None
    d = 1 - np.tanh(xs @ ws) ** 2  # (1, 2)
    np.testing.assert_allclose(weighted.numpy(), (d * [[1.0, -1.0]]) @ ws.T, rtol=1e-4, atol=1e-6)
    assert jac.shape == (1, 2, 1, 2)
    expected = np.einsum("j,ij->ji", d[0], ws)  # dh_j / dx_i = d_j * w_ij
    np.testing.assert_allclose(jac.numpy()[0, :, 0, :], expected, rtol=1e-4, atol=1e-6)


compiled = tf.function(controls)
for row in ([[1.0, 2.0]], [[-0.5, 0.25]]):
    x = tf.constant(row)
    check(controls(x), x)
    check(compiled(x), x)
assert compiled.experimental_get_tracing_count() == 1
# both the eager and the compiled calls ran the assignment
np.testing.assert_allclose(counter.numpy(), 6.0)

print("tape controls in tf.function: ok")
