"""Image files: encode PNGs with tf.io.encode_png, write them with tf.io.write_file, list
them with tf.io.gfile, read them back with tf.io.read_file + decode_png / decode_image, and
load the folder with keras.utils.image_dataset_from_directory."""

import numpy as np
import tensorflow as tf

rng = np.random.default_rng(0)
colors = {"cats": (200, 30, 30), "dogs": (30, 30, 200)}
tf.io.gfile.makedirs("pictures")
written = {}
for name, color in colors.items():
    tf.io.gfile.makedirs(f"pictures/{name}")
    for i in range(3):
        noise = rng.integers(0, 20, size=(6, 7, 3))
        pixels = np.clip(np.array(color) + noise, 0, 255).astype(np.uint8)
        path = f"pictures/{name}/{i}.png"
        tf.io.write_file(path, tf.io.encode_png(pixels))
        written[path] = pixels

assert tf.io.gfile.exists("pictures/cats/0.png")
assert tf.io.gfile.isdir("pictures/dogs")
assert sorted(tf.io.gfile.listdir("pictures")) == ["cats", "dogs"]
files = sorted(tf.io.gfile.glob("pictures/*/*.png"))
assert len(files) == 6, files

# decode: exact round trip, channel conversion, float output
for path, pixels in written.items():
    data = tf.io.read_file(path)
    image = tf.io.decode_png(data, channels=3)
    assert image.dtype == tf.uint8 and image.shape == (6, 7, 3)
    np.testing.assert_array_equal(image.numpy(), pixels)
    gray = tf.io.decode_png(data, channels=1)
    assert gray.shape == (6, 7, 1)
    expected = tf.image.rgb_to_grayscale(pixels)
    assert np.abs(gray.numpy().astype(int) - expected.numpy().astype(int)).max() <= 1
    floats = tf.io.decode_image(data, channels=3, dtype=tf.float32)
    np.testing.assert_allclose(floats.numpy(), pixels / 255.0, rtol=1e-6)

# JPEG is lossy: a flat colour survives within a few levels
flat = np.full((8, 8, 3), 90, np.uint8)
tf.io.write_file("flat.jpg", tf.io.encode_jpeg(flat, quality=95))
jpeg = tf.io.decode_jpeg(tf.io.read_file("flat.jpg"))
assert jpeg.shape == (8, 8, 3)
assert np.abs(jpeg.numpy().astype(int) - 90).max() <= 3
assert tf.image.decode_image(tf.io.read_file("flat.jpg")).shape == (8, 8, 3)

# GFile reads and writes text and bytes
with tf.io.gfile.GFile("labels.txt", "w") as f:
    f.write("cats\ndogs\n")
with tf.io.gfile.GFile("labels.txt") as f:
    assert f.read().split() == ["cats", "dogs"]
tf.io.gfile.remove("labels.txt")
assert not tf.io.gfile.exists("labels.txt")

# the folder as a labelled dataset
ds = tf.keras.utils.image_dataset_from_directory(
    "pictures", image_size=(6, 7), batch_size=4, shuffle=False, verbose=False
)
assert ds.class_names == ["cats", "dogs"]
batches = list(ds)
assert [tuple(x.shape) for x, _ in batches] == [(4, 6, 7, 3), (2, 6, 7, 3)]
labels = np.concatenate([y.numpy() for _, y in batches])
assert labels.tolist() == [0, 0, 0, 1, 1, 1]
first = batches[0][0].numpy()[0]
np.testing.assert_allclose(first, written["pictures/cats/0.png"], atol=1e-4)
print("ok")
