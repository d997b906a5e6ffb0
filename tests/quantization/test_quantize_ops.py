"""tf.quantization.quantize / dequantize / quantize_and_dequantize(_v2) and the FakeQuant
gradient ops. Expected numbers: TensorFlow 2.21's for the same calls (recorded), and the
formulas of TensorFlow's documentation."""

import numpy as np
import pytest

import gpuflow as tf

X = tf.constant([-1.0, -0.5, 0.0, 0.3, 0.7, 1.0, 2.0])


@pytest.mark.parametrize(
    "mode,T,q,low,back",
    [
        ("MIN_COMBINED", "qint8", [-128, -64, -1, 38, 89, 127, 127], -1.0,
         [-1.0, -0.4980392, -0.00392151, 0.30196083, 0.7019609, 1.0, 1.0]),
        ("MIN_COMBINED", "quint8", [0, 64, 128, 166, 217, 255, 255], -1.0,
         [-1.0, -0.4980392, 0.00392163, 0.30196083, 0.7019609, 1.0, 1.0]),
        ("MIN_FIRST", "qint8", [-128, -64, 0, 38, 89, 127, 127], -1.0,
         [-0.9960785, -0.49411768, 0.00784314, 0.30588236, 0.7058824, 1.0039216, 1.0039216]),
        ("SCALED", "qint8", [-127, -64, 0, 38, 89, 127, 127], -1.007874,
         [-1.0, -0.503937, 0.0, 0.2992126, 0.7007874, 1.0, 1.0]),
        ("SCALED", "quint8", [0, 0, 0, 77, 179, 255, 255], 0.0,
         [0.0, 0.0, 0.0, 0.3019608, 0.7019608, 1.0, 1.0]),
    ],
)  # fmt: skip
def test_quantize_and_dequantize_modes_match_tensorflow(mode, T, q, low, back):
    out = tf.quantization.quantize(X, -1.0, 1.0, getattr(tf, T), mode=mode)
    assert out.output.dtype == getattr(tf, T)
    np.testing.assert_array_equal(out.output.numpy(), q)
    np.testing.assert_allclose(out.output_min.numpy(), low, rtol=1e-6)
    np.testing.assert_allclose(out.output_max.numpy(), 1.0)
    again = tf.quantization.dequantize(out.output, out.output_min, out.output_max, mode=mode)
    assert again.dtype == tf.float32
    np.testing.assert_allclose(again.numpy(), back, rtol=1e-5, atol=1e-6)


def test_quantized_dtypes_are_the_plain_integers():
    assert tf.qint8 is tf.int8 and tf.quint8 is tf.uint8 and tf.qint32 is tf.int32
    assert tf.as_dtype("qint16") == tf.int16 and tf.dtypes.quint16 is tf.uint16


def test_scaled_per_axis_and_narrow_range():
    x = np.array([[-3.0, -3.0], [-1.25, -1.25], [1.5, 1.5]], "float32")
    out = tf.quantization.quantize(x, [-1.0, -2.0], [1.0, 2.0], tf.qint8, mode="SCALED", axis=1)
    np.testing.assert_array_equal(out.output.numpy(), [[-128, -128], [-128, -79], [127, 95]])
    np.testing.assert_allclose(out.output_min.numpy(), [-1.007874, -2.015748], rtol=1e-6)
    narrow = tf.quantization.quantize(x, -1.0, 1.0, tf.qint8, mode="SCALED", narrow_range=True)
    np.testing.assert_array_equal(narrow.output.numpy()[:, 0], [-127, -127, 127])
    even = tf.quantization.quantize(
        tf.constant([0.5 / 127, 1.5 / 127]), -1.0, 1.0, tf.qint8, mode="SCALED",
        round_mode="HALF_TO_EVEN",
    )  # fmt: skip
    np.testing.assert_array_equal(even.output.numpy(), [0, 2])


def test_ensure_minimum_range_widens_an_empty_range():
    out = tf.quantization.quantize(tf.constant([0.0, 1.0]), 0.0, 0.0, tf.quint8)
    np.testing.assert_allclose(out.output_max.numpy(), 0.01)
    np.testing.assert_array_equal(out.output.numpy(), [0, 255])


def test_quantize_errors_as_tensorflow():
    with pytest.raises(tf.errors.InvalidArgumentError, match="HALF_TO_EVEN"):
        tf.quantization.quantize(X, -1.0, 1.0, tf.qint8, round_mode="HALF_TO_EVEN")
    with pytest.raises(tf.errors.InvalidArgumentError, match="Mode string"):
        tf.quantization.quantize(X, -1.0, 1.0, tf.qint8, mode="NOPE")
    with pytest.raises(tf.errors.UnimplementedError, match="MIN_FIRST"):
        tf.quantization.quantize(tf.ones([2, 2]), [0.0, 0], [1.0, 1], tf.qint8, "MIN_FIRST", axis=0)
    with pytest.raises(TypeError, match="T must be one of"):
        tf.quantization.quantize(X, -1.0, 1.0, tf.float32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="vectors of the 2 slices"):
        tf.quantization.quantize(tf.ones([3, 2]), [0.0], [1.0], tf.qint8, axis=1)


Y = tf.constant([-2.0, -0.7, -0.1, 0.0, 0.33, 0.5, 1.2, 3.0])


@pytest.mark.parametrize(
    "kwargs,expected",
    [
        (dict(range_given=True),
         [-1.007874, -0.7007874, -0.1023622, 0.0, 0.33070865, 0.503937, 1.0, 1.0]),
        (dict(range_given=False),
         [-2.007874, -0.70866144, -0.09448819, 0.0, 0.33070865, 0.496063, 1.2047244, 3.0]),
        (dict(range_given=True, signed_input=False),
         [0.0, 0.0, 0.0, 0.0, 0.32941177, 0.5019608, 1.0, 1.0]),
        (dict(range_given=True, num_bits=4, narrow_range=True),
         [-1.0, -0.71428573, -0.14285715, 0.0, 0.2857143, 0.5714286, 1.0, 1.0]),
    ],
)  # fmt: skip
def test_quantize_and_dequantize_values_and_gradients(kwargs, expected):
    for fn, grad in [
        (tf.quantization.quantize_and_dequantize, [1.0] * 8),
        (tf.quantization.quantize_and_dequantize_v2, [0, 1, 1, 1, 1, 1, 0, 0]),
    ]:
        with tf.GradientTape() as tape:
            tape.watch(Y)
            out = fn(Y, -1.0, 1.0, **kwargs)
        np.testing.assert_allclose(out.numpy(), expected, rtol=1e-6)
        np.testing.assert_array_equal(tape.gradient(out, Y).numpy(), grad)


def test_quantize_and_dequantize_round_modes_and_errors():
    x = tf.constant([0.5 / 127, 1.5 / 127])
    even = tf.quantization.quantize_and_dequantize_v2(x, -1.0, 1.0, range_given=True)
    up = tf.quantization.quantize_and_dequantize_v2(
        x, -1.0, 1.0, range_given=True, round_mode="HALF_UP"
    )
    np.testing.assert_allclose(even.numpy() * 127, [0.0, 2.0], atol=1e-5)
    np.testing.assert_allclose(up.numpy() * 127, [1.0, 2.0], atol=1e-5)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Invalid range"):
        tf.quantization.quantize_and_dequantize_v2(Y, 1.0, -1.0, range_given=True)
    with pytest.raises(tf.errors.InvalidArgumentError, match="round_mode"):
        tf.quantization.quantize_and_dequantize_v2(Y, -1.0, 1.0, round_mode="UP")


def test_fake_quant_gradient_ops():
    grads, x = tf.constant([1.0, 2.0, 3.0, 4.0]), tf.constant([-2.0, 0.0, 0.5, 3.0])
    back = tf.quantization.fake_quant_with_min_max_args_gradient(grads, x, min=-1.0, max=1.0)
    np.testing.assert_array_equal(back.numpy(), [0.0, 2.0, 3.0, 0.0])
    out = tf.quantization.fake_quant_with_min_max_vars_gradient(grads, x, -1.0, 1.0)
    np.testing.assert_array_equal(out.backprops_wrt_input.numpy(), [0.0, 2.0, 3.0, 0.0])
    assert float(out.backprop_wrt_min) == 1.0 and float(out.backprop_wrt_max) == 4.0
    per = tf.quantization.fake_quant_with_min_max_vars_per_channel_gradient(
        tf.ones([2, 2]), tf.constant([[-2.0, 0.0], [0.5, 3.0]]), [-1.0, -1.0], [1.0, 1.0]
    )
    np.testing.assert_array_equal(per.backprops_wrt_input.numpy(), [[0.0, 1.0], [1.0, 0.0]])
    np.testing.assert_array_equal(per.backprop_wrt_min.numpy(), [1.0, 0.0])
    np.testing.assert_array_equal(per.backprop_wrt_max.numpy(), [0.0, 1.0])
