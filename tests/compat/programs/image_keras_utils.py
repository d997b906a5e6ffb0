"""keras.utils image helpers: save_img, load_img (colour modes, target size),
img_to_array and array_to_img, then a prediction on the loaded image."""

import numpy as np
import tensorflow as tf

rng = np.random.default_rng(1)
array = (rng.random((12, 16, 3)) * 255).astype("float32").round()
tf.keras.utils.save_img("photo.png", array, scale=False)

img = tf.keras.utils.load_img("photo.png")
assert img.size == (16, 12)  # PIL: (width, height)
as_array = tf.keras.utils.img_to_array(img)
assert as_array.shape == (12, 16, 3) and as_array.dtype == np.float32
np.testing.assert_array_equal(as_array, array)

small = tf.keras.utils.load_img("photo.png", target_size=(6, 8))
assert tf.keras.utils.img_to_array(small).shape == (6, 8, 3)
square = tf.keras.utils.load_img("photo.png", target_size=(8, 8), keep_aspect_ratio=True)
assert square.size == (8, 8)
gray = tf.keras.utils.load_img("photo.png", color_mode="grayscale")
assert tf.keras.utils.img_to_array(gray).shape == (12, 16, 1)
rgba = tf.keras.utils.load_img("photo.png", color_mode="rgba")
assert tf.keras.utils.img_to_array(rgba).shape == (12, 16, 4)

scaled = tf.keras.utils.array_to_img(np.linspace(0, 1, 12).reshape(3, 4, 1))
pixels = np.asarray(scaled)
assert pixels.shape == (3, 4) and pixels.min() == 0 and pixels.max() == 255

# the tutorial's single-image prediction
tf.keras.utils.set_random_seed(0)
model = tf.keras.Sequential(
    [
        tf.keras.Input(shape=(6, 8, 3)),
        tf.keras.layers.Rescaling(1.0 / 255),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(3, activation="softmax"),
    ]
)
batch = tf.expand_dims(tf.keras.utils.img_to_array(small), 0)
probabilities = model.predict(batch, verbose=0)
assert probabilities.shape == (1, 3)
np.testing.assert_allclose(probabilities.sum(), 1.0, rtol=1e-5)
print("ok")
