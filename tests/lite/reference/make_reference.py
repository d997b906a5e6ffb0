"""Writes the reference TFLite files of tests/lite with REAL TensorFlow (not gpuflow).

Run from this folder with TensorFlow installed: ``python make_reference.py``. Each model is
converted by ``tf.lite.TFLiteConverter.from_keras_model``; ``expected.npz`` holds an input
batch of 2 and the output of TF's own ``tf.lite.Interpreter`` on it."""

import keras
import numpy as np
import tensorflow as tf


def cnn():  # the image classification tutorial's model, small
    return keras.Sequential([
        keras.Input((16, 16, 3)),
        keras.layers.Rescaling(1.0 / 255),
        keras.layers.Conv2D(4, 3, padding="same", activation="relu"),
        keras.layers.MaxPooling2D(),
        keras.layers.Dropout(0.2),
        keras.layers.Flatten(),
        keras.layers.Dense(8, activation="relu"),
        keras.layers.Dense(3),
    ])  # fmt: skip


def functional():
    i = keras.Input((12, 12, 2), name="img")
    x = keras.layers.Conv2D(4, 3, strides=2, padding="valid")(i)
    x = keras.layers.BatchNormalization()(x)
    x = keras.layers.Activation("relu6")(x)
    y = keras.layers.DepthwiseConv2D(3, padding="same", activation="tanh")(x)
    z = keras.layers.AveragePooling2D(2, padding="same")(keras.layers.Add()([x, y]))
    g = keras.layers.GlobalAveragePooling2D()(z)
    c = keras.layers.Concatenate()([g, keras.layers.Dense(3, activation="sigmoid")(g)])
    return keras.Model(i, keras.layers.Dense(2, activation="softmax", name="probs")(c))


def flatten_shape_ops():  # Flatten without a known batch: SHAPE, STRIDED_SLICE, PACK
    return keras.Sequential([
        keras.layers.Rescaling(1.0 / 255, offset=0.5, input_shape=(4, 4, 3)),
        keras.layers.Flatten(),
        keras.layers.BatchNormalization(),
        keras.layers.Dense(2),
    ])  # fmt: skip


def pad_transpose_tensordot():  # PAD, TRANSPOSE, GATHER, REDUCE_PROD, 3-D Dense
    return keras.Sequential([
        keras.Input((4, 4, 3)),
        keras.layers.ZeroPadding2D(1),
        keras.layers.Permute((2, 1, 3)),
        keras.layers.Reshape((-1, 3)),
        keras.layers.Dense(2, activation="relu"),
    ])  # fmt: skip


def float16_dense():  # converted with float16 quantization: DEQUANTIZE of float16 weights
    return keras.Sequential([
        keras.Input((8,)),
        keras.layers.Dense(6, activation="relu"),
        keras.layers.Dense(3),
    ])  # fmt: skip


def main():
    keras.utils.set_random_seed(0)
    expected = {}
    for name, build in [("cnn", cnn), ("functional", functional),
                        ("flatten_shape_ops", flatten_shape_ops),
                        ("pad_transpose_tensordot", pad_transpose_tensordot),
                        ("float16_dense", float16_dense)]:  # fmt: skip
        model = build()
        for layer in model.layers:  # non-trivial moving statistics
            if isinstance(layer, keras.layers.BatchNormalization):
                layer.set_weights([w + np.random.rand(*w.shape) for w in layer.get_weights()])
        converter = tf.lite.TFLiteConverter.from_keras_model(model)
        if name == "float16_dense":
            converter.optimizations = [tf.lite.Optimize.DEFAULT]
            converter.target_spec.supported_types = [tf.float16]
        content = converter.convert()
        with open(f"tf_{name}.tflite", "wb") as f:
            f.write(content)
        interpreter = tf.lite.Interpreter(model_content=content)
        detail = interpreter.get_input_details()[0]
        x = np.random.RandomState(0).uniform(-2, 2, (2, *detail["shape"][1:])).astype("float32")
        key = interpreter.get_signature_list()["serving_default"]["inputs"][0]
        runner = interpreter.get_signature_runner("serving_default")
        expected[f"{name}_x"] = x
        expected[f"{name}_y"] = runner(**{key: x})["output_0"]
    np.savez("expected.npz", **expected)


if __name__ == "__main__":
    main()
