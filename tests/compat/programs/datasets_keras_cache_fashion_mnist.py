"""keras.datasets.fashion_mnist reads its files from the Keras cache (KERAS_HOME/datasets)."""

import gzip
import os
import struct

import numpy as np

os.environ["KERAS_HOME"] = os.path.abspath("keras_home")  # before TensorFlow reads it
folder = os.path.join("keras_home", "datasets", "fashion-mnist")
os.makedirs(folder, exist_ok=True)

rng = np.random.RandomState(0)
arrays = {
    "train-images-idx3-ubyte.gz": rng.randint(0, 256, (5, 28, 28)).astype(np.uint8),
    "train-labels-idx1-ubyte.gz": rng.randint(0, 10, 5).astype(np.uint8),
    "t10k-images-idx3-ubyte.gz": rng.randint(0, 256, (3, 28, 28)).astype(np.uint8),
    "t10k-labels-idx1-ubyte.gz": rng.randint(0, 10, 3).astype(np.uint8),
}
for name, a in arrays.items():  # the IDX format: magic 0x0801 / 0x0803, sizes, bytes
    header = struct.pack(">I", 0x0800 | a.ndim) + struct.pack(f">{a.ndim}I", *a.shape)
    with gzip.open(os.path.join(folder, name), "wb") as f:
        f.write(header + a.tobytes())

import tensorflow as tf  # noqa: E402

(x_train, y_train), (x_test, y_test) = tf.keras.datasets.fashion_mnist.load_data()
assert x_train.shape == (5, 28, 28) and x_train.dtype == np.uint8
assert y_train.shape == (5,) and y_test.shape == (3,) and y_test.dtype == np.uint8
np.testing.assert_array_equal(x_train, arrays["train-images-idx3-ubyte.gz"])
np.testing.assert_array_equal(y_test, arrays["t10k-labels-idx1-ubyte.gz"])

model = tf.keras.Sequential(
    [
        tf.keras.Input((28, 28)),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(10, activation="softmax"),
    ]
)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x_train / 255.0, y_train, epochs=1, verbose=0)
assert model.predict(x_test / 255.0, verbose=0).shape == (3, 10)
print("ok")
