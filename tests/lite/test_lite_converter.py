"""tf.lite.TFLiteConverter: gpuflow Keras models to TFLite flatbuffers, run by gpuflow's
interpreter against model.predict; the ops written are those TF's converter emits.
(That TF's own interpreter runs these files was checked by hand with tensorflow 2.21.)"""

from pathlib import Path

import numpy as np
import pytest

import gpuflow as tf
from gpuflow import keras
from gpuflow.lite.read import read_model
from gpuflow.lite.write import write_model

REFERENCE = Path(__file__).parent / "reference"


def _cnn():
    return keras.Sequential([
        keras.Input((16, 16, 3)),
        keras.layers.RandomFlip("horizontal"),
        keras.layers.Rescaling(1.0 / 255),
        keras.layers.Conv2D(4, 3, padding="same", activation="relu"),
        keras.layers.MaxPooling2D(),
        keras.layers.Dropout(0.2),
        keras.layers.Flatten(),
        keras.layers.Dense(8, activation="relu"),
        keras.layers.Dense(3),
    ])  # fmt: skip


def _functional():
    i = keras.Input((12, 12, 2), name="img")
    x = keras.layers.Conv2D(4, 3, strides=2, padding="valid")(i)
    x = keras.layers.BatchNormalization()(x)
    x = keras.layers.ReLU(max_value=6.0)(x)
    y = keras.layers.DepthwiseConv2D(3, padding="same", activation="tanh", depth_multiplier=2)(x)
    y = keras.layers.Conv2D(4, 1, dilation_rate=1)(y)
    z = keras.layers.AveragePooling2D(2, padding="same")(keras.layers.Add()([x, y]))
    z = keras.layers.ZeroPadding2D(1)(z)
    z = keras.layers.MaxPooling2D(2, strides=1, padding="same")(z)
    g = keras.layers.GlobalAveragePooling2D()(z)
    c = keras.layers.Concatenate()([g, keras.layers.Dense(3, activation="sigmoid")(g)])
    c = keras.layers.Subtract()([c, keras.layers.Dense(7, activation="swish")(c)])
    c = keras.layers.Average()([c, keras.layers.Multiply()([c, c])])
    return keras.Model(i, keras.layers.Dense(2, activation="softmax", name="probs")(c))


def _sequence():
    return keras.Sequential([
        keras.layers.Rescaling(1.0 / 255, offset=0.5, input_shape=(4, 4, 3)),
        keras.layers.Permute((2, 1, 3)),
        keras.layers.Reshape((-1, 3)),
        keras.layers.Dense(5, activation="tanh"),
        keras.layers.BatchNormalization(),
        keras.layers.Flatten(),
        keras.layers.Dense(2),
        keras.layers.Activation("sigmoid"),
    ])  # fmt: skip


def _separable():
    return keras.Sequential([
        keras.Input((9, 9, 3)),
        keras.layers.SeparableConv2D(4, 3, depth_multiplier=2, padding="same",
                                     activation="relu", strides=2),
        keras.layers.LeakyReLU(),
        keras.layers.SeparableConv2D(2, 3, use_bias=False),
        keras.layers.Flatten(),
        keras.layers.Dense(3, activation="leaky_relu"),
    ])  # fmt: skip


def _randomize_batch_norm(model):
    rng = np.random.RandomState(1)
    for layer in model.layers:
        if type(layer).__name__ == "BatchNormalization":
            weights = layer.get_weights()
            layer.set_weights([w + rng.rand(*w.shape).astype("float32") for w in weights])


@pytest.mark.parametrize("build", [_cnn, _functional, _sequence, _separable])
def test_converted_model_matches_predict(build, tmp_path):
    keras.utils.set_random_seed(0)
    model = build()
    _randomize_batch_norm(model)
    content = tf.lite.TFLiteConverter.from_keras_model(model).convert()
    path = tmp_path / "model.tflite"
    path.write_bytes(content)
    x = np.random.RandomState(0).uniform(-2, 2, (3,) + tuple(model.input_shape[1:]))
    x = x.astype("float32")
    expected = model.predict(x, verbose=0)
    interpreter = tf.lite.Interpreter(model_path=str(path))
    (key,) = interpreter.get_signature_list()["serving_default"]["inputs"]
    runner = interpreter.get_signature_runner("serving_default")
    np.testing.assert_allclose(runner(**{key: x})["output_0"], expected, rtol=1e-5, atol=1e-5)
    interpreter = tf.lite.Interpreter(model_content=content)
    inp, out = interpreter.get_input_details()[0], interpreter.get_output_details()[0]
    assert inp["shape_signature"][0] == -1 and out["shape_signature"][0] == -1
    interpreter.allocate_tensors()
    interpreter.set_tensor(inp["index"], x[:1])
    interpreter.invoke()
    y = interpreter.get_tensor(out["index"])
    np.testing.assert_allclose(y, expected[:1], rtol=1e-5, atol=1e-5)


def test_cnn_ops_are_tensorflows():
    keras.utils.set_random_seed(0)
    sub = read_model(tf.lite.TFLiteConverter.from_keras_model(_cnn()).convert()).subgraphs[0]
    assert [op.op for op in sub.operators] == [
        "MUL", "CONV_2D", "MAX_POOL_2D", "RESHAPE", "FULLY_CONNECTED", "FULLY_CONNECTED",
    ]  # fmt: skip
    conv, dense = sub.operators[1], sub.operators[4]
    assert conv.options["fused_activation_function"] == 1  # RELU, fused as TF fuses it
    assert conv.options["padding"] == 0  # SAME
    assert sub.tensors[conv.inputs[1]].shape == (4, 3, 3, 3)  # OHWI filter
    assert sub.tensors[dense.inputs[1]].shape == (8, 256)  # (out, in) weights
    assert sub.tensors[sub.outputs[0]].name == "StatefulPartitionedCall:0"
    assert sub.tensors[sub.outputs[0]].shape_signature == (-1, 3)


def test_writer_round_trip_of_a_tensorflow_file():
    expected = np.load(REFERENCE / "expected.npz")
    model = read_model((REFERENCE / "tf_functional.tflite").read_bytes())
    interpreter = tf.lite.Interpreter(model_content=write_model(model))
    out = interpreter.get_signature_runner()(img=expected["functional_x"])["output_0"]
    np.testing.assert_allclose(out, expected["functional_y"], rtol=1e-5, atol=1e-6)


def test_quantization_requests_raise():
    converter = tf.lite.TFLiteConverter.from_keras_model(_cnn())
    assert converter.optimizations == set()
    assert converter.target_spec.supported_ops == {tf.lite.OpsSet.TFLITE_BUILTINS}
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    with pytest.raises(NotImplementedError, match="float32 models only"):
        converter.convert()
    converter.optimizations = []
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    with pytest.raises(NotImplementedError, match="TFLITE_BUILTINS_INT8"):
        converter.convert()
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
    converter.inference_input_type = tf.int8
    with pytest.raises(NotImplementedError, match="inference_input_type"):
        converter.convert()


def test_unmapped_layer_and_subclassed_model_are_named():
    model = keras.Sequential([keras.Input((4, 3)), keras.layers.LayerNormalization()])
    with pytest.raises(NotImplementedError, match="LayerNormalization"):
        tf.lite.TFLiteConverter.from_keras_model(model).convert()

    class Net(keras.Model):
        def call(self, x):
            return x

    with pytest.raises(NotImplementedError, match="subclassed"):
        tf.lite.TFLiteConverter.from_keras_model(Net()).convert()
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, activation="gelu")])
    with pytest.raises(NotImplementedError, match="activation 'gelu'"):
        tf.lite.TFLiteConverter.from_keras_model(model).convert()


def test_unbuilt_model_is_refused():
    with pytest.raises(ValueError, match="input shapes have not been set"):
        tf.lite.TFLiteConverter.from_keras_model(
            keras.Sequential([keras.layers.Dense(2)])
        ).convert()


def test_enum_names_as_tensorflow():
    assert [o.name for o in tf.lite.Optimize] == [
        "DEFAULT", "OPTIMIZE_FOR_SIZE", "OPTIMIZE_FOR_LATENCY", "EXPERIMENTAL_SPARSITY",
    ]  # fmt: skip
    assert str(tf.lite.OpsSet.SELECT_TF_OPS) == "SELECT_TF_OPS"
    assert "TFLITE_BUILTINS_INT8" in tf.lite.OpsSet.get_options()
    spec = tf.lite.TargetSpec()
    assert spec.supported_ops == {tf.lite.OpsSet.TFLITE_BUILTINS} and spec.supported_types == set()


def test_two_inputs_two_outputs():
    keras.utils.set_random_seed(0)
    zeta, alpha = keras.Input((3,), name="zeta"), keras.Input((4,), name="alpha")
    h = keras.layers.Concatenate()([zeta, alpha])
    score = keras.layers.Dense(2, name="score")(h)
    aux = keras.layers.Dense(1, activation="sigmoid", name="aux")(h)
    model = keras.Model([zeta, alpha], [score, aux])
    interpreter = tf.lite.Interpreter(
        model_content=tf.lite.TFLiteConverter.from_keras_model(model).convert()
    )
    assert interpreter.get_signature_list() == {
        "serving_default": {"inputs": ["alpha", "zeta"], "outputs": ["output_0", "output_1"]}
    }  # names sorted, as TF's interpreter lists them
    names = [d["name"] for d in interpreter.get_input_details()]
    assert names == ["serving_default_zeta:0", "serving_default_alpha:0"]  # model order
    rng = np.random.RandomState(0)
    z, a = rng.rand(2, 3).astype("float32"), rng.rand(2, 4).astype("float32")
    out = interpreter.get_signature_runner()(zeta=z, alpha=a)
    expected = model.predict([z, a], verbose=0)
    np.testing.assert_allclose(out["output_0"], expected[0], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out["output_1"], expected[1], rtol=1e-5, atol=1e-6)


def test_from_concrete_functions_of_a_keras_model():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="relu")])
    spec = tf.TensorSpec([None, 3], tf.float32)
    func = tf.function(lambda x: model(x)).get_concrete_function(spec)
    content = tf.lite.TFLiteConverter.from_concrete_functions([func], model).convert()
    interpreter = tf.lite.Interpreter(model_content=content)
    assert interpreter.get_signature_list() == {
        "serving_default": {"inputs": ["x"], "outputs": ["output_0"]}
    }
    assert list(interpreter.get_input_details()[0]["shape_signature"]) == [-1, 3]
    x = np.random.RandomState(0).uniform(-1, 1, (5, 3)).astype("float32")
    out = interpreter.get_signature_runner()(x=x)["output_0"]
    np.testing.assert_allclose(out, model.predict(x, verbose=0), rtol=1e-5, atol=1e-6)
    other = tf.function(lambda x: model(x) * 2.0).get_concrete_function(spec)
    with pytest.raises(NotImplementedError, match="something other than a call"):
        tf.lite.TFLiteConverter.from_concrete_functions([other], model).convert()
    with pytest.raises(NotImplementedError, match="trackable_obj"):
        tf.lite.TFLiteConverter.from_concrete_functions([func])


def test_rescaling_per_channel():
    model = keras.Sequential(
        [keras.Input((2, 2, 3)), keras.layers.Rescaling([0.5, 1.0, 2.0], offset=[0.0, 1.0, -1.0])]
    )
    interpreter = tf.lite.Interpreter(
        model_content=tf.lite.TFLiteConverter.from_keras_model(model).convert()
    )
    (key,) = interpreter.get_signature_list()["serving_default"]["inputs"]
    x = np.random.RandomState(0).rand(2, 2, 2, 3).astype("float32")
    out = interpreter.get_signature_runner()(**{key: x})["output_0"]
    np.testing.assert_allclose(out, x * [0.5, 1.0, 2.0] + [0.0, 1.0, -1.0], rtol=1e-6)


def test_sequential_signature_takes_its_keras_tensor_name_and_converting_names_nothing():
    # As TF 2.21: the tutorial's `classify_lite(keras_tensor_15=img)` works by this name
    keras.backend.clear_session()
    model = _sequence()  # built from input_shape=: its input is keras_tensor
    x = np.random.default_rng(3).uniform(0, 255, (2, 4, 4, 3)).astype("float32")
    expected = model.predict(x, verbose=0)
    flatbuffer = tf.lite.TFLiteConverter.from_keras_model(model).convert()
    interpreter = tf.lite.Interpreter(model_content=flatbuffer)
    assert interpreter.get_signature_list() == {
        "serving_default": {"inputs": ["keras_tensor"], "outputs": ["output_0"]}
    }
    runner = interpreter.get_signature_runner("serving_default")
    assert runner.get_input_details()["keras_tensor"]["name"] == "serving_default_keras_tensor:0"
    out = runner(keras_tensor=x)["output_0"]
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)
    with pytest.raises(ValueError, match="Invalid Input name"):
        runner(input_layer=x)
    # eight layers made keras_tensor_1..8; conversion took none
    assert keras.Input((1,)).name == "keras_tensor_9"
