"""tf.quantization.fake_quant_with_min_max_args / _vars / _vars_per_channel against
TensorFlow 2.21's outputs and gradients (values equal to float32 rounding)."""

import numpy as np
import pytest

import gpuflow as tf

X = [[1.2, -0.3, 0.7], [2.1, 0.5, -1.0]]


def test_vars_docstring_example_and_gradients():
    out = tf.quantization.fake_quant_with_min_max_vars(
        inputs=tf.constant(X), min=-0.5, max=0.8, num_bits=8, narrow_range=False
    )
    expected = [[0.8003921, -0.3007843, 0.6984313], [0.8003921, 0.4996078, -0.4996078]]
    np.testing.assert_allclose(out.numpy(), expected, atol=1e-6)
    low, high, x = tf.Variable(-0.5), tf.Variable(0.8), tf.Variable(X)
    with tf.GradientTape() as tape:
        y = tf.quantization.fake_quant_with_min_max_vars(x, low, high)
        loss = tf.reduce_sum(y * tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]))
    gx, glow, ghigh = tape.gradient(loss, [x, low, high])
    assert gx.numpy().tolist() == [[0, 2, 3], [0, 5, 0]]  # straight through inside the range
    assert float(glow) == 6.0 and float(ghigh) == 5.0  # below / above it


def test_args_nudges_the_range_onto_the_grid():
    xs = tf.constant(np.random.default_rng(0).normal(size=[50]) * 3, tf.float32)
    cases = {  # (min, max, num_bits, narrow_range): TF's first outputs and sum(|out|)
        (-6.0, 6.0, 8, False): (
            [0.376471, -0.376471, 1.929412, 0.329412, -1.6, 1.082353],
            110.1177,
        ),
        (-0.37, 2.9, 4, True): (
            [0.467143, -0.467143, 1.868571, 0.233571, -0.467143, 1.167857],
            60.495,
        ),
        (0.3, 1.7, 8, False): ([0.378824, 0.0, 1.4, 0.312941, 0.0, 1.087059], 30.0369),
        (-2.5, -0.2, 3, False): ([0.0, -0.328571, 0.0, 0.0, -1.642857, 0.0], 35.4857),
    }
    for (low, high, bits, narrow), (first, total) in cases.items():
        out = tf.quantization.fake_quant_with_min_max_args(xs, low, high, bits, narrow).numpy()
        np.testing.assert_allclose(out[:6], first, atol=2e-6)
        np.testing.assert_allclose(np.abs(out).sum(), total, rtol=1e-5)
        same = tf.quantization.fake_quant_with_min_max_vars(xs, low, high, bits, narrow)
        np.testing.assert_array_equal(same.numpy(), out)
    per_channel = tf.quantization.fake_quant_with_min_max_vars_per_channel(
        tf.reshape(xs[:12], [4, 3]), [-1.0, -2.0, 0.0], [1.0, 2.0, 3.0]
    )
    np.testing.assert_allclose(per_channel.numpy()[0], [0.376471, -0.392157, 1.917647], atol=2e-6)


def test_bad_arguments_name_the_op():
    with pytest.raises(ValueError, match="fake_quant_with_min_max_args: min has to be smaller"):
        tf.quantization.fake_quant_with_min_max_args(tf.constant(X), 1.0, 1.0)
    with pytest.raises(ValueError, match="fake_quant_with_min_max_vars: num_bits must be"):
        tf.quantization.fake_quant_with_min_max_vars(tf.constant(X), -1.0, 1.0, num_bits=1)
    with pytest.raises(ValueError, match="_per_channel: min and max must be vectors of the 3"):
        tf.quantization.fake_quant_with_min_max_vars_per_channel(tf.constant(X), [-1.0], [1.0])
