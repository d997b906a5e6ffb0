"""tf.RegisterGradient with gradient_override_map, as TensorFlow inside tf.function."""

from __future__ import annotations

import pytest

import gpuflow as tf


@tf.RegisterGradient("TestClipSquare")
def _clip_square_grad(op, grad):
    (x,) = op.inputs
    assert op.type == "Square" and op.outputs[0].shape == x.shape
    return tf.clip_by_value(2.0 * x * grad, -1.0, 1.0)


def test_override_map_replaces_an_ops_gradient_inside_a_function():
    @tf.function
    def f(x):
        with tf.compat.v1.get_default_graph().gradient_override_map({"Square": "TestClipSquare"}):
            y = tf.square(x)
        return y + tf.square(x)  # outside the block: the op's own gradient

    x = tf.Variable([0.25, 3.0])
    with tf.GradientTape() as tape:
        y = f(x)
    assert tape.gradient(y, x).numpy().tolist() == [1.0, 7.0]  # clipped 0.5 / 6 -> 1, + 2x


def test_overridden_gradient_can_be_differentiated_again():
    x = tf.Variable(0.2)
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            with tf.compat.v1.get_default_graph().gradient_override_map(
                {"Square": "TestClipSquare"}
            ):
                y = tf.square(x)
        g = inner.gradient(y, x)
    assert abs(float(g) - 0.4) < 1e-6 and abs(float(outer.gradient(g, x)) - 2.0) < 1e-6


def test_registration_errors():
    with pytest.raises(KeyError, match="Registering two gradient with name 'TestClipSquare'"):
        tf.RegisterGradient("TestClipSquare")(lambda op, grad: grad)
    with pytest.raises(TypeError, match="op_type must be a string"):
        tf.RegisterGradient(3)
    with pytest.raises(TypeError, match="op_type_map must be a dictionary"):
        with tf.compat.v1.get_default_graph().gradient_override_map({"Square": 1}):
            pass
    x = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        with tf.compat.v1.get_default_graph().gradient_override_map({"Square": "NotRegistered"}):
            with pytest.raises(LookupError, match="no gradient registered as 'NotRegistered'"):
                tf.square(x)
    assert tf.compat.v1.RegisterGradient is tf.RegisterGradient
    del tape
