"""tf.compat.v1.make_template: a layer function whose get_variable calls share one set of
variables across calls, in a TF 1 graph and eagerly."""

import numpy as np
import tensorflow as tf

v1 = tf.compat.v1


def affine(x, units):
    kernel = v1.get_variable("kernel", [x.shape[-1], units], initializer=v1.ones_initializer())
    bias = v1.get_variable("bias", [units], initializer=v1.constant_initializer(0.5))
    return tf.matmul(x, kernel) + bias


with tf.Graph().as_default():
    shared = v1.make_template("affine", affine, units=2)
    assert shared.variable_scope_name is None and shared.name == "affine"
    x = v1.placeholder(tf.float32, [None, 3])
    once, twice = shared(x), shared(x * 2.0)
    assert shared.variable_scope_name == "affine/"
    assert [v.name for v in shared.variables] == ["affine/kernel:0", "affine/bias:0"]
    assert [v.name for v in v1.trainable_variables()] == ["affine/kernel:0", "affine/bias:0"]

    second = v1.make_template("affine", affine, units=1)
    second(x)
    assert second.variable_scope_name == "affine_1/"
    assert [v.name for v in second.trainable_variables] == ["affine_1/kernel:0", "affine_1/bias:0"]

    early = v1.make_template("early", affine, create_scope_now_=True, units=1)
    assert early.variable_scope_name == "early/"
    with v1.variable_scope("elsewhere"):
        early(x)  # the scope made at creation, not elsewhere/early
    assert [v.name for v in early.variables] == ["early/kernel:0", "early/bias:0"]

    def careless(x):
        return x * tf.Variable(2.0)

    wrong = v1.make_template("careless", careless)
    wrong(x)
    try:
        wrong(x)
        raise AssertionError("a second tf.Variable passed")
    except ValueError as err:
        assert "Trainable variable created when calling a template" in str(err)

    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        a, b = sess.run([once, twice], {x: np.ones((2, 3), np.float32)})
    np.testing.assert_allclose(a, np.full((2, 2), 3.5))
    np.testing.assert_allclose(b, np.full((2, 2), 6.5))

eager = v1.make_template("eager_affine", affine, units=2)
first = eager(tf.ones([1, 3]))
again = eager(tf.ones([1, 3]) * 3.0)
assert [v.name for v in eager.variables] == ["eager_affine/bias:0", "eager_affine/kernel:0"]
np.testing.assert_allclose(first.numpy(), [[3.5, 3.5]])
np.testing.assert_allclose(again.numpy(), [[9.5, 9.5]])
print("ok")
