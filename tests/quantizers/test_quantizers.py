"""keras.quantizers: Keras 3's quantizers, configs and helpers, against NumPy references
(ml_dtypes for float8) written from Keras' definitions."""

import ml_dtypes
import numpy as np
import pytest

import gpuflow as tf
from gpuflow import keras

Q = keras.quantizers


def _x(shape, seed=0):
    return np.random.RandomState(seed).randn(*shape).astype("float32")


def test_namespace_and_top_level_quantizer():
    assert keras.Quantizer is Q.Quantizer
    for name in Q.__all__:
        assert callable(getattr(Q, name))
    assert not hasattr(Q, "GPTQConfig")  # not implemented: not exported


@pytest.mark.parametrize("axis", [-1, 0, (0, 1)])
def test_abs_max_quantize_matches_the_definition(axis):
    x = _x((5, 6))
    q, scale = Q.abs_max_quantize(x, axis)
    ref_scale = 127.0 / (np.abs(x).max(axis=axis, keepdims=True) + 1e-7)
    ref_q = np.clip(np.round(x * ref_scale.astype("float32")), -127, 127)
    assert q.dtype == tf.int8 and scale.dtype == tf.float32
    np.testing.assert_allclose(scale.numpy(), ref_scale, rtol=1e-6)
    np.testing.assert_array_equal(q.numpy(), ref_q)
    q_host, scale_host = Q.abs_max_quantize(x, axis, to_numpy=True)
    np.testing.assert_array_equal(q_host.numpy(), q.numpy())
    np.testing.assert_allclose(scale_host.numpy(), scale.numpy(), rtol=1e-6)


def test_abs_max_quantizer_call_config_and_range_check():
    quantizer = Q.AbsMaxQuantizer(axis=-1, value_range=(-8, 7))
    assert quantizer.get_config() == {
        "value_range": (-8, 7),
        "epsilon": 1e-7,
        "output_dtype": "int8",
        "axis": (-1,),
    }
    q, scale = quantizer(_x((3, 4)))
    assert q.numpy().max() <= 7 and q.numpy().min() >= -8 and scale.shape == (3, 1)
    with pytest.raises(ValueError, match="within the interval"):
        Q.AbsMaxQuantizer(value_range=(-200, 127))
    with pytest.raises(NotImplementedError):
        Q.Quantizer().get_config()


def test_grouped_with_zero_point_gives_keras_numbers():
    x = _x((5, 3))  # expected values: Keras 3.15.1 on TensorFlow for this input
    q, scale, zero = Q.abs_max_quantize_grouped_with_zero_point(x, block_size=2)
    assert q.dtype == tf.int8 and zero.dtype == tf.int8 and scale.shape == (3, 3)
    np.testing.assert_array_equal(
        q.numpy(), [[7, -4, 7], [7, 7, -8], [7, -8, -8], [3, 7, 7], [7, 7, 7]]
    )
    np.testing.assert_allclose(
        scale.numpy(),
        [
            [0.0317893885076046, 0.09782672673463821, 0.13040105998516083],
            [0.03596600145101547, 0.019693391397595406, 0.10383282601833344],
            [0.05073585361242294, 0.008111674338579178, 0.02959088794887066],
        ],
        rtol=1e-6,
    )
    np.testing.assert_array_equal(zero.numpy(), [[-8, -8, -1], [-8, 0, -7], [-8, -8, -8]])


def test_grouped_constant_group_widens_unless_on_host():
    x = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 2.0]], "float32")
    _, scale, zero = Q.abs_max_quantize_grouped_with_zero_point(x, 2)
    np.testing.assert_allclose(scale.numpy()[0], [2.0 / 15] * 2, rtol=1e-6)
    np.testing.assert_array_equal(zero.numpy()[0], [-1, -1])
    _, scale_host, zero_host = Q.abs_max_quantize_grouped_with_zero_point(x, 2, to_numpy=True)
    np.testing.assert_allclose(scale_host.numpy()[0], [1e-7 / 15] * 2, rtol=1e-5)
    np.testing.assert_array_equal(zero_host.numpy()[0], [-8, -8])
    with pytest.raises(ValueError, match="2D"):
        Q.abs_max_quantize_grouped_with_zero_point(_x((2, 2, 2)), 2)


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_pack_and_unpack_int4(axis):
    values = np.random.RandomState(1).randint(-8, 8, size=(5, 3)).astype("int8")
    packed, shape, n = Q.pack_int4(values, axis=axis)
    assert packed.dtype == tf.int8 and tuple(packed.shape) == shape
    assert n == values.shape[axis] and shape[axis] == (n + 1) // 2
    np.testing.assert_array_equal(Q.unpack_int4(packed, n, axis=axis).numpy(), values)


def test_pack_int4_layout_and_errors():
    values = np.array([[-3, 7], [2, -8], [1, 0]], np.int8)
    packed, _, _ = Q.pack_int4(values)
    np.testing.assert_array_equal(packed.numpy(), [[45, -121], [1, 0]])  # low nibble first
    np.testing.assert_array_equal(
        Q.unpack_int4(packed, 3, dtype="uint8").numpy(), [[13, 7], [2, 8], [1, 0]]
    )
    with pytest.raises(TypeError, match="Expected int8 tensor"):
        Q.pack_int4(values.astype("int32"))
    with pytest.raises(ValueError, match="'int8' or 'uint8'"):
        Q.pack_int4(values, dtype="int16")


@pytest.mark.parametrize("fmt", ["float8_e4m3fn", "float8_e5m2"])
def test_quantize_and_dequantize_is_a_float8_round_trip(fmt):
    x = np.concatenate(
        [_x((2000,)) * 300, _x((200,), 1) * 1e-3, [0.0, 2.0**-9, 3 * 2.0**-10, 1.0625, 1e9]]
    ).astype("float32")
    largest = float(ml_dtypes.finfo(fmt).max)
    ref = np.clip(x / 0.5, -largest, largest).astype(fmt).astype("float32") * 0.5
    got = Q.quantize_and_dequantize(x, 0.5, fmt, "float32")
    np.testing.assert_array_equal(got.numpy(), ref)


def test_quantize_and_dequantize_gradient_passes_inside_the_range():
    x = tf.constant([1.3, 500.0, -0.2])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = Q.quantize_and_dequantize(x, 1.0, "float8_e4m3fn", "float32")
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [1.0, 0.0, 1.0])
    with pytest.raises(ValueError, match="quantized_dtype"):
        Q.quantize_and_dequantize(x, 1.0, "int8", "float32")


def test_compute_float8_scale_and_amax_history():
    amax = tf.constant([2.0, 0.0, np.inf])
    scale = tf.constant([0.5, 0.25, 4.0])
    np.testing.assert_allclose(
        Q.compute_float8_scale(amax, scale, 448.0, margin=1).numpy(),
        [1.0 / (448.0 / 2.0 / 2.0), 0.25, 4.0],
        rtol=1e-6,
    )
    history = Q.compute_float8_amax_history(
        tf.constant([[-3.0, 1.0]]), tf.constant([1.0, 2.0, 5.0])
    )
    np.testing.assert_array_equal(history.numpy(), [3.0, 5.0, 1.0])


def test_fake_quant_per_channel_on_any_axis_equals_last_axis():
    x = _x((3, 4))
    low, high = np.array([-1.0, -0.5, -2.0], "float32"), np.array([1.0, 0.5, 2.0], "float32")
    got = Q.fake_quant_with_min_max_vars(x, low, high, axis=0)
    ref = tf.quantization.fake_quant_with_min_max_vars_per_channel(x.T, low, high)
    np.testing.assert_array_equal(got.numpy(), ref.numpy().T)
    per_tensor = Q.fake_quant_with_min_max_vars(x, -1.0, 1.0, num_bits=4)
    ref = tf.quantization.fake_quant_with_min_max_vars(x, -1.0, 1.0, num_bits=4)
    np.testing.assert_array_equal(per_tensor.numpy(), ref.numpy())


def test_configs_serialize_round_trip_and_validate():
    config = Q.Int8QuantizationConfig()
    assert config.mode == "int8"
    assert isinstance(config.activation_quantizer, Q.AbsMaxQuantizer)
    saved = Q.serialize(config)
    assert saved["module"] == "keras.quantizers"
    assert saved["config"]["activation_quantizer"]["class_name"] == "AbsMaxQuantizer"
    again = Q.deserialize(saved)
    assert isinstance(again, Q.Int8QuantizationConfig)
    assert again.activation_quantizer.value_range == (-127, 127)
    int4 = Q.deserialize(Q.serialize(Q.Int4QuantizationConfig(block_size=64)))
    assert (int4.mode, int4.block_size, int4.activation_quantizer) == ("int4", 64, None)
    assert Q.deserialize(Q.serialize(Q.Float8QuantizationConfig())).mode == "float8"
    with pytest.raises(ValueError, match="sub-channel"):
        Q.Int4QuantizationConfig(weight_quantizer=Q.AbsMaxQuantizer(value_range=(-8, 7)))
    with pytest.raises(ValueError, match="value_range"):
        Q.Int4QuantizationConfig(
            weight_quantizer=Q.AbsMaxQuantizer(value_range=(-127, 127)), block_size=None
        )
    with pytest.raises(NotImplementedError, match="Do not instantiate"):
        Q.QuantizationConfig().mode


def test_get():
    assert Q.get(None) is None
    assert isinstance(Q.get("AbsMaxQuantizer"), Q.AbsMaxQuantizer)
    assert Q.get("abs_max_quantizer", value_range=(-8, 7)).value_range == (-8, 7)
    quantizer = Q.AbsMaxQuantizer()
    assert Q.get(quantizer) is quantizer
    assert isinstance(Q.get(Q.serialize(quantizer)), Q.AbsMaxQuantizer)
    with pytest.raises(ValueError, match="Could not interpret"):
        Q.get("no_such_quantizer")


def test_fake_quant_on_a_functional_models_tensor(tmp_path):
    inputs = keras.Input((4,))
    model = keras.Model(inputs, Q.fake_quant_with_min_max_vars(inputs, -1.0, 1.0))
    x = np.array([[0.3, 2.0, -2.0, 0.0]], "float32")
    expected = tf.quantization.fake_quant_with_min_max_vars(x, -1.0, 1.0).numpy()
    np.testing.assert_array_equal(model.predict(x, verbose=0), expected)
    path = str(tmp_path / "fq.keras")
    model.save(path)
    np.testing.assert_array_equal(keras.models.load_model(path).predict(x, verbose=0), expected)
