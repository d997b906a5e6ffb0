"""A functional graph keeps its own copies of the lists a layer call took and gave back:
editing them afterwards (``x = backbone(inp); x[-1] = head(x[-1])``) rewires nothing."""

import numpy as np

import gpuflow as tf


def _two_output_backbone():
    inp = tf.keras.Input((4,))
    first = tf.keras.layers.Dense(3, name="a")(inp)
    second = tf.keras.layers.Dense(2, name="b")(inp)
    return tf.keras.Model(inp, [first, second])


def test_replacing_an_item_of_a_returned_output_list_keeps_the_graph():
    backbone = _two_output_backbone()
    inp = tf.keras.Input((4,))
    x = backbone(inp)
    x[-1] = tf.keras.layers.Dense(5, name="head")(x[-1])
    model = tf.keras.Model(inp, x)
    data = np.arange(8, dtype="float32").reshape(2, 4)
    first, second = model(data)
    assert first.shape == (2, 3) and second.shape == (2, 5)
    a, b = backbone(data)
    np.testing.assert_allclose(first.numpy(), a.numpy(), rtol=1e-6)
    head = model.get_layer("head")
    np.testing.assert_allclose(second.numpy(), head(b).numpy(), rtol=1e-5)


def test_editing_the_input_list_after_the_call_keeps_the_graph():
    inp = tf.keras.Input((4,))
    parts = [tf.keras.layers.Dense(2)(inp), tf.keras.layers.Dense(3)(inp)]
    joined = tf.keras.layers.Concatenate()(parts)
    parts.append(tf.keras.layers.Dense(7)(inp))
    parts[0] = inp
    model = tf.keras.Model(inp, joined)
    out = model(np.ones((2, 4), "float32"))
    assert out.shape == (2, 5)
