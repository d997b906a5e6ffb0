"""What Keras 3 changed for tf.keras code, as TensorFlow 2.21 behaves: ops on symbolic
inputs keep an unknown batch, positional call arguments, None entries in nested inputs,
removed arguments and features, keras.utils.normalize, and int8 quantization configs."""

import os
import tempfile

import keras
import numpy as np
import tensorflow as tf


def raises(kind, fn, text=""):
    try:
        fn()
    except kind as error:
        assert text in str(error), (text, str(error))
        return
    raise AssertionError(f"{fn} did not raise {kind.__name__}")


# --- keras.ops on a KerasTensor keep the batch axis unknown -------------------------------
image = keras.Input((2, 2, 1))
assert keras.ops.squeeze(image).shape == (None, 2, 2)
assert keras.ops.squeeze(keras.Input((None, 1))).shape == (None, None)
assert image[:, 0].shape == (None, 2, 1) and image[0].shape == (2, 2, 1)
squeezer = keras.Model(image, keras.ops.squeeze(image))
assert tuple(squeezer(np.ones((3, 2, 2, 1), "float32")).shape) == (3, 2, 2)
assert tuple(squeezer(np.ones((1, 2, 2, 1), "float32")).shape) == (2, 2)  # eager squeeze


# --- positional arguments after the inputs -------------------------------------------------
ones = np.ones((2, 3), "float32")
drop = keras.layers.Dropout(0.5)
raises(ValueError, lambda: drop(ones, True), "Only input tensors may be passed as positional")
raises(TypeError, lambda: drop(ones, ones), "multiple values for argument 'training'")
inp = keras.Input((3,))
functional = keras.Model(inp, keras.layers.Dropout(0.5)(inp))
raises(TypeError, lambda: functional(ones, True), "multiple values for argument 'training'")
np.testing.assert_array_equal(functional(ones, training=False).numpy(), ones)


# --- None entries of nested inputs reach call ----------------------------------------------
class PickFoo(keras.layers.Layer):
    def call(self, inputs):
        self.bar = inputs["bar"]["baz"]
        return inputs["foo"] + 1.0


pick = PickFoo()
out = pick({"foo": np.zeros((2, 1), "float32"), "bar": {"baz": None}})
assert pick.bar is None
np.testing.assert_array_equal(out.numpy(), [[1.0], [1.0]])
assert pick({"foo": keras.Input((1,)), "bar": {"baz": None}}).shape == (None, 1)


# --- removed arguments and features ---------------------------------------------------------
small = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
small.compile(optimizer="sgd", loss="mse")
raises(TypeError, lambda: small.train_on_batch(np.ones((2, 2)), np.ones((2, 1)), reset_metrics=0))
raises(TypeError, lambda: small.test_on_batch(np.ones((2, 2)), np.ones((2, 1)), reset_metrics=0))
loss = small.train_on_batch(np.ones((2, 2)), np.ones((2, 1)))
assert isinstance(loss, float)
dense_out = keras.layers.Dense(1)(inp)
raises(NotImplementedError, lambda: keras.Model(inp, dense_out).add_loss(keras.ops.mean(dense_out)))
folder = tempfile.mkdtemp()
tf.saved_model.save(small, os.path.join(folder, "exported"))
raises(ValueError, lambda: keras.models.load_model(os.path.join(folder, "exported")), "TFSMLayer")
reloaded = keras.layers.TFSMLayer(os.path.join(folder, "exported"), call_endpoint="serving_default")
assert [tuple(v.shape) for v in reloaded.trainable_weights] == [(2, 1), (1,)]
probe = np.array([[1.0, -1.0]], "float32")
np.testing.assert_allclose(
    reloaded(probe)["output_0"].numpy(), small(probe).numpy(), rtol=1e-6, atol=1e-7
)


# --- tf.Variable attributes are not tracked; add_weight ones are ---------------------------
class PlainVariables(keras.layers.Layer):
    def build(self, input_shape):
        self.w = tf.Variable(tf.zeros([input_shape[-1], 2]))

    def call(self, inputs):
        return keras.ops.matmul(inputs, self.w)


class AddedWeights(keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(shape=[input_shape[-1], 2], initializer="zeros")

    def call(self, inputs):
        return keras.ops.matmul(inputs, self.w)


plain, added = PlainVariables(), AddedWeights()
plain(ones)
added(ones)
assert plain.trainable_variables == [] and len(added.trainable_variables) == 1


# --- keras.utils.normalize keeps the input's kind ------------------------------------------
pair = np.array([[3.0, 4.0], [0.0, 0.0]])
assert isinstance(keras.utils.normalize(pair), np.ndarray)
as_tensor = keras.utils.normalize(tf.constant(pair, tf.float32))
assert tf.is_tensor(as_tensor) and as_tensor.dtype == tf.float32
np.testing.assert_allclose(as_tensor.numpy(), [[0.6, 0.8], [0.0, 0.0]], rtol=1e-6)


# --- int8 quantization with custom weight / activation quantizers --------------------------
quant = keras.quantizers
rng = np.random.default_rng(5)
net = keras.Sequential([keras.Input((6,)), keras.layers.Dense(4)])
net.set_weights([rng.normal(size=w.shape).astype("float32") for w in net.get_weights()])
kernel = net.layers[0].kernel.numpy()
net.quantize(
    config=quant.Int8QuantizationConfig(
        weight_quantizer=quant.AbsMaxQuantizer(value_range=(-90, 90), axis=0),
        activation_quantizer=quant.AbsMaxQuantizer(value_range=(-90, 90), axis=-1),
    )
)
q = net.layers[0].kernel.numpy()
assert net.layers[0].kernel.dtype == "int8" and np.abs(q).max() == 90
column_scale = 90 / (np.abs(kernel).max(axis=0) + keras.config.epsilon())
np.testing.assert_array_equal(q, np.clip(np.round(kernel * column_scale), -90, 90))


class FixedScale(quant.Quantizer):
    def __call__(self, x, axis, to_numpy=False):
        scale = keras.ops.ones_like(keras.ops.max(x, axis=axis, keepdims=True)) * 4.0
        return keras.ops.cast(keras.ops.round(x * scale), "int8"), scale

    def get_config(self):
        return {}


net2 = keras.Sequential([keras.Input((6,)), keras.layers.Dense(4)])
net2.set_weights([rng.normal(size=w.shape).astype("float32") for w in net2.get_weights()])
net2.quantize(config=quant.Int8QuantizationConfig(activation_quantizer=FixedScale()))
assert isinstance(net2.layers[0].inputs_quantizer, FixedScale)
xs = rng.uniform(-1, 1, (3, 6)).astype("float32")
k_q = net2.layers[0].kernel.numpy().astype("float64")
k_s = net2.layers[0].kernel_scale.numpy()
manual = (np.round(xs * 4.0) @ k_q) / (4.0 * k_s) + net2.layers[0].bias.numpy()
np.testing.assert_allclose(net2(xs).numpy(), manual, rtol=1e-5, atol=1e-6)

# --- model.export(format="litert"): a .tflite file the TFLite interpreter runs -------------
lite_path = os.path.join(folder, "small.tflite")
small.export(lite_path, format="litert", verbose=False)
interpreter = tf.lite.Interpreter(model_path=lite_path)
interpreter.allocate_tensors()
assert list(interpreter.get_signature_list()) == ["serving_default"]
detail = interpreter.get_input_details()[0]
sample = np.array([[0.5, -2.0]], "float32")
interpreter.set_tensor(detail["index"], sample)
interpreter.invoke()
lite_out = interpreter.get_tensor(interpreter.get_output_details()[0]["index"])
np.testing.assert_allclose(lite_out, small(sample).numpy(), rtol=1e-5, atol=1e-6)
raises(ValueError, lambda: small.export(os.path.join(folder, "small.bin"), format="litert"))
print("kio3_keras3_migration: OK")
