"""A functional model of mobile-style blocks (Conv2D + BatchNormalization + ReLU6,
DepthwiseConv2D, a residual Add, AveragePooling2D, GlobalAveragePooling2D, Concatenate,
softmax head) converted to TensorFlow Lite and run: signature runner, tensor details,
resize_tensor_input to a bigger batch, and the errors the interpreter raises."""

import numpy as np
import tensorflow as tf
from tensorflow import keras

keras.utils.set_random_seed(3)

image = keras.Input((20, 20, 3), name="image")
x = keras.layers.Conv2D(8, 3, strides=2, padding="same", use_bias=False)(image)
x = keras.layers.BatchNormalization()(x)
x = keras.layers.ReLU(6.0)(x)
y = keras.layers.DepthwiseConv2D(3, padding="same")(x)
y = keras.layers.BatchNormalization()(y)
y = keras.layers.Activation("relu6")(y)
y = keras.layers.Conv2D(8, 1, activation="tanh")(y)
x = keras.layers.Add()([x, y])
x = keras.layers.AveragePooling2D(3, strides=2, padding="valid")(x)
pooled = keras.layers.GlobalAveragePooling2D()(x)
side = keras.layers.Dense(4, activation="sigmoid")(pooled)
merged = keras.layers.Concatenate()([pooled, side])
probs = keras.layers.Dense(5, activation="softmax", name="probs")(merged)
model = keras.Model(image, probs)

# non-trivial moving statistics, as after training
rng = np.random.RandomState(1)
for layer in model.layers:
    if isinstance(layer, keras.layers.BatchNormalization):
        gamma, beta, mean, var = layer.get_weights()
        layer.set_weights([gamma + rng.rand(8), beta + rng.rand(8), rng.rand(8), 1 + rng.rand(8)])

converter = tf.lite.TFLiteConverter.from_keras_model(model)
assert converter.optimizations == set()
assert tf.lite.OpsSet.TFLITE_BUILTINS in converter.target_spec.supported_ops
tflite_model = converter.convert()

interpreter = tf.lite.Interpreter(model_content=tflite_model)
assert interpreter.get_signature_list() == {
    "serving_default": {"inputs": ["image"], "outputs": ["output_0"]}
}
runner = interpreter.get_signature_runner()
batch = rng.uniform(-1, 1, (3, 20, 20, 3)).astype("float32")
out = runner(image=batch)["output_0"]
expected = model.predict(batch, verbose=0)
np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)
np.testing.assert_allclose(out.sum(axis=1), np.ones(3), rtol=1e-5)

inp = interpreter.get_input_details()[0]
assert inp["name"] == "serving_default_image:0"
assert list(inp["shape_signature"]) == [-1, 20, 20, 3]
assert inp["dtype"] == np.float32
assert set(inp) >= {"name", "index", "shape", "shape_signature", "dtype", "quantization",
                    "quantization_parameters", "sparsity_parameters"}  # fmt: skip
out_detail = interpreter.get_output_details()[0]
assert list(out_detail["shape_signature"]) == [-1, 5]

interpreter = tf.lite.Interpreter(model_content=tflite_model)
interpreter.resize_tensor_input(inp["index"], [4, 20, 20, 3], strict=True)
interpreter.allocate_tensors()
assert list(interpreter.get_output_details()[0]["shape"]) == [4, 5]
four = rng.uniform(-1, 1, (4, 20, 20, 3)).astype("float32")
interpreter.set_tensor(inp["index"], four)
interpreter.invoke()
np.testing.assert_allclose(
    interpreter.get_tensor(out_detail["index"]), model.predict(four, verbose=0),
    rtol=1e-5, atol=1e-6,
)  # fmt: skip

# errors TF's interpreter raises
try:
    interpreter.set_tensor(inp["index"], four.astype("float64"))
    raise AssertionError("float64 accepted")
except ValueError as e:
    assert "FLOAT64" in str(e) and "FLOAT32" in str(e), e
try:
    runner(picture=batch)
    raise AssertionError("unknown input name accepted")
except ValueError as e:
    assert "picture" in str(e), e
try:
    tf.lite.Interpreter()
    raise AssertionError("no model accepted")
except ValueError:
    pass
print("ok")
