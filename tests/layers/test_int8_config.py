"""Model.quantize(config=keras.quantizers.Int8QuantizationConfig(...)): Keras' default
int8, weight-only int8 (activation_quantizer=None) and another AbsMaxQuantizer range on
the inputs, for Dense, EinsumDense and Embedding, against NumPy references."""

import numpy as np
import pytest

import gpuflow as tf
from gpuflow import keras

Q = keras.quantizers
X = np.random.RandomState(0).randn(6, 16).astype("float32")


def _model(layer):
    inp = keras.Input((16,))
    return keras.Model(inp, layer(inp))


def _dense_model(seed=3):
    keras.utils.set_random_seed(seed)
    return _model(keras.layers.Dense(5, name="d"))


def test_default_config_equals_mode_int8():
    a, b = _dense_model(), _dense_model()
    a.quantize("int8")
    b.quantize(config=Q.Int8QuantizationConfig())
    np.testing.assert_array_equal(a.predict(X, verbose=0), b.predict(X, verbose=0))
    assert isinstance(b.get_layer("d").quantization_config, Q.Int8QuantizationConfig)


def test_weight_only_int8_is_float_inputs_times_int8_kernel():
    model = _dense_model()
    kernel, bias = (w.numpy() for w in model.get_layer("d").weights)
    model.quantize(config=Q.Int8QuantizationConfig(activation_quantizer=None))
    layer = model.get_layer("d")
    q = layer._kernel.numpy().astype("float32")
    scale = layer.kernel_scale.numpy()
    np.testing.assert_allclose(scale, 127.0 / (np.abs(kernel).max(axis=0) + 1e-7), rtol=1e-6)
    np.testing.assert_allclose(model.predict(X, verbose=0), X @ q / scale + bias, rtol=1e-5)
    with tf.GradientTape() as tape:
        x = tf.constant(X)
        tape.watch(x)
        y = model(x)
    np.testing.assert_allclose(
        tape.gradient(y, x).numpy(), np.ones((6, 5)) @ (q / scale).T, rtol=1e-5
    )


def test_inputs_quantizer_range_and_epsilon_are_used():
    model = _dense_model()
    bias = model.get_layer("d").weights[1].numpy()
    quantizer = Q.AbsMaxQuantizer(value_range=(-100, 100), epsilon=1e-3)
    model.quantize(config=Q.Int8QuantizationConfig(activation_quantizer=quantizer))
    layer = model.get_layer("d")
    q, scale = layer._kernel.numpy().astype("float32"), layer.kernel_scale.numpy()
    x_scale = 100.0 / (np.abs(X).max(axis=-1, keepdims=True) + 1e-3)
    x_q = np.clip(np.round(X * x_scale), -100, 100)
    expected = (x_q @ q) / (x_scale * scale) + bias
    np.testing.assert_allclose(model.predict(X, verbose=0), expected, rtol=1e-5, atol=1e-6)


def test_einsum_dense_weight_only_matches_dense():
    keras.utils.set_random_seed(4)
    dense = _model(keras.layers.Dense(5, name="d"))
    einsum = _model(keras.layers.EinsumDense("ab,bc->ac", output_shape=5, bias_axes="c"))
    einsum.set_weights(dense.get_weights())
    config = Q.Int8QuantizationConfig(activation_quantizer=None)
    dense.quantize(config=config)
    einsum.quantize(config=config)
    np.testing.assert_allclose(
        einsum.predict(X, verbose=0), dense.predict(X, verbose=0), rtol=1e-5, atol=1e-6
    )


def test_embedding_takes_the_config():
    keras.utils.set_random_seed(5)
    inp = keras.Input((3,), dtype="int32")
    model = keras.Model(inp, keras.layers.Embedding(10, 4, name="e")(inp))
    table = model.get_layer("e").embeddings.numpy()
    model.quantize(config=Q.Int8QuantizationConfig(activation_quantizer=None))
    ids = np.array([[0, 3, 9]])
    np.testing.assert_allclose(model.predict(ids, verbose=0)[0], table[[0, 3, 9]], atol=0.02)


def test_config_survives_get_config_and_keras_files(tmp_path):
    model = _dense_model()
    model.quantize(config=Q.Int8QuantizationConfig(activation_quantizer=None))
    saved = model.get_layer("d").get_config()["quantization_config"]
    assert saved["class_name"] == "Int8QuantizationConfig"
    assert saved["config"]["activation_quantizer"] is None
    path = str(tmp_path / "m.keras")
    model.save(path)
    again = keras.models.load_model(path)
    np.testing.assert_array_equal(again.predict(X, verbose=0), model.predict(X, verbose=0))
    assert again.get_layer("d").dtype_policy.name == "int8_from_float32"


def test_errors():
    model = _dense_model()
    with pytest.raises(ValueError, match="Contradictory arguments"):
        model.quantize("int4", config=Q.Int8QuantizationConfig())
    with pytest.raises(ValueError, match="must be an instance of `QuantizationConfig`"):
        model.quantize(config={"mode": "int8"})
    with pytest.raises(ValueError, match="GPTQConfig"):
        model.quantize("gptq")
    einsum = keras.layers.EinsumDense("ab,bc->ac", output_shape=4)
    einsum.build((None, 3))
    with pytest.raises(NotImplementedError, match="weight_quantizer"):
        einsum.quantize(
            "int8", config=Q.Int8QuantizationConfig(weight_quantizer=Q.AbsMaxQuantizer(0))
        )
    assert model.get_layer("d").quantization_mode is None
    with pytest.raises(ValueError, match="either `mode` or `config`"):
        model.quantize()


def test_custom_weight_and_activation_quantizers_on_dense():
    # customizing_quantization guide: a weight quantizer with a narrower range makes the
    # int8 kernel, a user's Quantizer quantizes the inputs (called with axis=-1)
    model = _dense_model()
    kernel = model.get_layer("d").kernel.numpy()
    narrow = Q.Int8QuantizationConfig(
        weight_quantizer=Q.AbsMaxQuantizer(value_range=(-100, 100), axis=0),
        activation_quantizer=Q.AbsMaxQuantizer(value_range=(-100, 100), axis=-1),
    )
    model.quantize(config=narrow)
    dense = model.get_layer("d")
    q = dense.kernel.numpy()
    assert q.dtype == np.int8 and np.abs(q).max() == 100
    scale = 100 / (np.abs(kernel).max(axis=0) + 1e-7)
    np.testing.assert_array_equal(q, np.clip(np.round(kernel * scale), -100, 100))
    np.testing.assert_allclose(dense.kernel_scale.numpy(), scale, rtol=1e-6)
    assert isinstance(dense.inputs_quantizer, Q.AbsMaxQuantizer)
    x_scale = 100 / (np.abs(X).max(axis=-1, keepdims=True) + 1e-7)
    x_q = np.clip(np.round(X * x_scale), -100, 100)
    expected = (x_q @ q.astype("float64")) / (x_scale * scale) + dense.bias.numpy()
    np.testing.assert_allclose(model(X).numpy(), expected, rtol=1e-5, atol=1e-6)

    class Halves(Q.Quantizer):
        def __call__(self, x, axis, to_numpy=False):
            scale = tf.ones_like(tf.reduce_max(x, axis=axis, keepdims=True)) * 2.0
            return tf.cast(tf.round(x * scale), "int8"), scale

        def get_config(self):
            return {}

    model = _dense_model()
    model.quantize(config=Q.Int8QuantizationConfig(activation_quantizer=Halves()))
    dense = model.get_layer("d")
    assert isinstance(dense.inputs_quantizer, Halves)
    k_q, k_s = dense.kernel.numpy().astype("float64"), dense.kernel_scale.numpy()
    expected = (np.round(X * 2.0) @ k_q) / (2.0 * k_s) + dense.bias.numpy()
    np.testing.assert_allclose(model(X).numpy(), expected, rtol=1e-5, atol=1e-6)
    assert _dense_model().get_layer("d").inputs_quantizer is None  # a float layer
