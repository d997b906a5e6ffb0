"""tf.compat.v1.make_template shares the variables of its first call (TF 2.21's names)."""

import numpy as np
import pytest

import gpuflow as tf

v1 = tf.compat.v1


def _scale(x):
    w = v1.get_variable("w", [], initializer=v1.constant_initializer(3.0))
    return x * w


def test_calls_share_one_scope_and_a_second_template_gets_a_new_one():
    with tf.Graph().as_default():
        first = v1.make_template("scale", _scale)
        a, b = first(tf.constant(1.0)), first(tf.constant(2.0))
        second = v1.make_template("scale", _scale)
        second(tf.constant(1.0))
        assert first.variable_scope_name == "scale/" and second.variable_scope_name == "scale_1/"
        assert [v.name for v in v1.global_variables()] == ["scale/w:0", "scale_1/w:0"]
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            assert sess.run([a, b]) == [3.0, 6.0]


def test_a_new_trainable_variable_on_a_later_call_is_an_error():
    with tf.Graph().as_default():
        t = v1.make_template("free", lambda x: x * tf.Variable(1.0))
        t(tf.constant(1.0))
        with pytest.raises(ValueError, match="Trainable variable created when calling a template"):
            t(tf.constant(1.0))
    with pytest.raises(ValueError, match="name cannot be None"):
        v1.make_template(None, _scale)


def test_create_scope_now_and_bound_kwargs_eagerly():
    t = v1.make_template("eager_scale", lambda x, k: _scale(x) * k, create_scope_now_=True, k=2.0)
    assert t.variable_scope_name == "eager_scale/"
    np.testing.assert_allclose(t(tf.constant(1.0)).numpy(), 6.0)
    np.testing.assert_allclose(t(tf.constant(2.0)).numpy(), 12.0)
    assert [v.name for v in t.trainable_variables] == ["eager_scale/w:0"]
