# Image files in a tf.data pipeline (tf.io's PNG/JPEG codecs as the "Load and preprocess
# images" tutorial uses them): encode images to files, list and decode them, resize, and
# check channels, dtypes, is_jpeg and extract_jpeg_shape.
import numpy as np
import tensorflow as tf

tf.io.gfile.makedirs("images")
for i in range(3):
    pixels = tf.cast(tf.fill([4 + i, 6, 3], 40 * (i + 1)), tf.uint8)
    tf.io.write_file(f"images/img{i}.png", tf.io.encode_png(pixels))
gray = tf.reshape(tf.cast(tf.range(12) * 20, tf.uint8), [3, 4, 1])
tf.io.write_file("images/gray.png", tf.io.encode_png(gray, compression=9))
photo = tf.cast(tf.fill([16, 8, 3], 128), tf.uint8)
jpeg = tf.io.encode_jpeg(photo, quality=95)
tf.io.write_file("images/photo.jpg", jpeg)

# PNG is lossless: decoding gives the pixels back, with channel conversions on request.
decoded = tf.io.decode_png(tf.io.read_file("images/gray.png"))
assert decoded.dtype == tf.uint8 and decoded.shape == (3, 4, 1)
assert np.array_equal(decoded.numpy(), gray.numpy())
rgb = tf.io.decode_png(tf.io.read_file("images/gray.png"), channels=3)
assert rgb.shape == (3, 4, 3) and np.array_equal(rgb.numpy()[..., 2], gray.numpy()[..., 0])
rgba = tf.io.decode_image(tf.io.read_file("images/img0.png"), channels=4)
assert rgba.shape == (4, 6, 4) and int(tf.reduce_min(rgba[..., 3])) == 255

# JPEG is lossy; its header tells the shape without decoding.
assert bool(tf.io.is_jpeg(jpeg)) and not bool(tf.io.is_jpeg(tf.io.encode_png(photo)))
assert tf.io.extract_jpeg_shape(jpeg).numpy().tolist() == [16, 8, 3]
back = tf.io.decode_jpeg(tf.io.read_file("images/photo.jpg"))
assert back.shape == (16, 8, 3)
assert int(tf.reduce_max(tf.abs(tf.cast(back, tf.int32) - 128))) <= 3

# decode_image with a float dtype scales to [0, 1].
as_float = tf.io.decode_image(tf.io.read_file("images/img1.png"), dtype=tf.float32)
assert as_float.dtype == tf.float32
np.testing.assert_allclose(as_float.numpy(), 80 / 255, rtol=1e-6)


def load(path):
    image = tf.io.decode_png(tf.io.read_file(path), channels=3)
    image = tf.image.resize(image, [8, 8])  # float32
    label = tf.strings.to_number(tf.strings.substr(path, -5, 1), tf.int32)
    return image / 255.0, label


files = tf.data.Dataset.list_files("images/img*.png", shuffle=False)
ds = files.map(load, num_parallel_calls=tf.data.AUTOTUNE).batch(3)
assert ds.element_spec[0].shape.as_list() == [None, 8, 8, 3]
images, labels = next(iter(ds))
assert labels.numpy().tolist() == [0, 1, 2]
np.testing.assert_allclose(
    tf.reduce_mean(images, axis=[1, 2, 3]).numpy(), [40 / 255, 80 / 255, 120 / 255], rtol=1e-5
)

try:
    tf.io.decode_png(tf.constant(b"not an image"))
    raise AssertionError("expected InvalidArgumentError")
except tf.errors.InvalidArgumentError:
    pass
print("decoded batch:", images.shape)
