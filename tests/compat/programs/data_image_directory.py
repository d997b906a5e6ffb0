"""keras.utils.image_dataset_from_directory on a few tiny PNG files, then fit."""

import os
import struct
import zlib

import numpy as np
import tensorflow as tf


def write_png(path, width, height, rgb):
    """A solid-colour 8-bit RGB PNG, written by hand (no imaging library needed)."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(
            b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b"")
        )


colors = {"red": (200, 10, 10), "blue": (10, 10, 200)}
for name, color in colors.items():
    os.makedirs(os.path.join("images", name), exist_ok=True)
    for i in range(4):
        write_png(os.path.join("images", name, f"{i}.png"), 6, 5, color)

ds = tf.keras.utils.image_dataset_from_directory(
    "images", image_size=(5, 6), batch_size=3, shuffle=False, verbose=False
)
assert ds.class_names == ["blue", "red"]
images, labels = next(iter(ds))
assert images.shape == (3, 5, 6, 3) and images.dtype == tf.float32
assert labels.numpy().tolist() == [0, 0, 0]
np.testing.assert_allclose(images.numpy()[0, 0, 0], [10, 10, 200])
assert sum(int(y.shape[0]) for _, y in ds) == 8

train, val = tf.keras.utils.image_dataset_from_directory(
    "images",
    image_size=(5, 6),
    batch_size=4,
    validation_split=0.25,
    subset="both",
    seed=4,
    label_mode="categorical",
    verbose=False,
)
assert sum(int(y.shape[0]) for _, y in train) == 6
assert sum(int(y.shape[0]) for _, y in val) == 2
assert next(iter(val))[1].shape[1] == 2

tf.keras.utils.set_random_seed(0)
model = tf.keras.Sequential(
    [
        tf.keras.Input(shape=(5, 6, 3)),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(2, activation="softmax"),
    ]
)
model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
scaled = train.map(lambda x, y: (x / 255.0, y))
history = model.fit(
    scaled, validation_data=val.map(lambda x, y: (x / 255.0, y)), epochs=2, verbose=0
)
assert "val_accuracy" in history.history
