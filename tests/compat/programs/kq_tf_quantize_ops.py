"""tf.quantization: quantize / dequantize in the three documented modes, the
quantize-and-dequantize ops with their straight-through gradients, and the FakeQuant
gradient ops."""

import numpy as np
import tensorflow as tf

x = tf.constant([-1.0, -0.5, 0.0, 0.3, 0.7, 1.0, 2.0])


def ints(t):
    return np.asarray(t.numpy()).astype(np.int64)


# MIN_COMBINED to quint8: [0, 6] spread over [0, 255]
six = tf.constant([0.0, 1.5, 3.0, 6.0])
out = tf.quantization.quantize(six, 0.0, 6.0, tf.quint8)
np.testing.assert_array_equal(ints(out.output), [0, 64, 128, 255])
back = tf.quantization.dequantize(out.output, out.output_min, out.output_max)
np.testing.assert_allclose(back.numpy(), six.numpy(), atol=6.0 / 255)

# MIN_COMBINED to qint8 shifts by 128
out = tf.quantization.quantize(x, -1.0, 1.0, tf.qint8)
np.testing.assert_array_equal(ints(out.output), [-128, -64, -1, 38, 89, 127, 127])

# MIN_FIRST rounds the range minimum first
out = tf.quantization.quantize(x, -1.0, 1.0, tf.qint8, mode="MIN_FIRST")
np.testing.assert_array_equal(ints(out.output), [-128, -64, 0, 38, 89, 127, 127])
back = tf.quantization.dequantize(out.output, out.output_min, out.output_max, mode="MIN_FIRST")
np.testing.assert_allclose(back.numpy()[2], 2.0 / 255, rtol=1e-4)

# SCALED: symmetric, the range adjusted so that [min, max] fits
out = tf.quantization.quantize(x, -10.0, 9.0, tf.qint8, mode="SCALED")
np.testing.assert_allclose(out.output_min.numpy(), -10.0)
np.testing.assert_allclose(out.output_max.numpy(), 127 / 12.8, rtol=1e-6)
np.testing.assert_array_equal(ints(out.output), np.round(np.abs(x.numpy()) * 12.8) * np.sign(x))
back = tf.quantization.dequantize(out.output, out.output_min, out.output_max, mode="SCALED")
np.testing.assert_allclose(back.numpy(), x.numpy(), atol=0.5 / 12.8)

# per channel (axis) in SCALED mode
m = tf.constant([[0.5, 0.5], [-2.0, -2.0]])
out = tf.quantization.quantize(m, [-1.0, -4.0], [1.0, 4.0], tf.qint8, mode="SCALED", axis=1)
np.testing.assert_array_equal(ints(out.output), [[64, 16], [-128, -64]])

# quantize-and-dequantize: v2's gradient stops outside [input_min, input_max]
y = tf.constant([-2.0, -0.7, 0.0, 0.33, 1.2])
with tf.GradientTape(persistent=True) as tape:
    tape.watch(y)
    v1 = tf.quantization.quantize_and_dequantize(y, -1.0, 1.0, range_given=True)
    v2 = tf.quantization.quantize_and_dequantize_v2(y, -1.0, 1.0, range_given=True)
expected = [-128 / 127, -89 / 127, 0.0, 42 / 127, 1.0]
np.testing.assert_allclose(v1.numpy(), expected, rtol=1e-6)
np.testing.assert_allclose(v2.numpy(), expected, rtol=1e-6)
np.testing.assert_array_equal(tape.gradient(v1, y).numpy(), [1, 1, 1, 1, 1])
np.testing.assert_array_equal(tape.gradient(v2, y).numpy(), [0, 1, 1, 1, 0])
own_range = tf.quantization.quantize_and_dequantize_v2(y, 0.0, 0.0, range_given=False, num_bits=4)
np.testing.assert_allclose(own_range.numpy()[0], -2.0, rtol=1e-6)

# the FakeQuant backward pass as ops
grads = tf.constant([1.0, 2.0, 3.0, 4.0])
inputs = tf.constant([-2.0, 0.0, 0.5, 3.0])
back = tf.quantization.fake_quant_with_min_max_vars_gradient(grads, inputs, -1.0, 1.0)
np.testing.assert_array_equal(back.backprops_wrt_input.numpy(), [0.0, 2.0, 3.0, 0.0])
np.testing.assert_allclose(back.backprop_wrt_min.numpy(), 1.0)
np.testing.assert_allclose(back.backprop_wrt_max.numpy(), 4.0)
args = tf.quantization.fake_quant_with_min_max_args_gradient(grads, inputs, min=-1.0, max=1.0)
np.testing.assert_array_equal(args.numpy(), [0.0, 2.0, 3.0, 0.0])
print("tf.quantization ops ok")
