"""Augmentation written with keras.ops.image (Keras 3's backend-agnostic image ops), as a
custom layer and in a functional model: affine and perspective warps, Gaussian blur,
elastic deformation, map_coordinates, padding/cropping, Sobel edges and SSIM, each
checked against what it must compute."""

import numpy as np
import tensorflow as tf

keras = tf.keras

ops = keras.ops
rng = np.random.default_rng(4)
images = rng.random((4, 12, 10, 3)).astype("float32")

# affine_transform: a whole-pixel shift (input x + 2) moves the image two columns left
shift = np.array([1, 0, 2, 0, 1, 0, 0, 0], "float32")
moved = ops.image.affine_transform(images, shift, interpolation="nearest", fill_value=-1.0)
np.testing.assert_allclose(moved[:, :, :-2], images[:, :, 2:])
np.testing.assert_allclose(moved[:, :, -2:], -1.0)
# perspective_transform with identical corners is the identity
corners = np.array([[0, 0], [9, 0], [0, 11], [9, 11]], "float32")
np.testing.assert_allclose(
    ops.image.perspective_transform(images, corners, corners), images, atol=1e-5
)
# gaussian_blur keeps a flat image's interior and its kernel sums to one
flat = np.full((1, 9, 9, 1), 0.5, "float32")
np.testing.assert_allclose(
    ops.image.gaussian_blur(flat, (5, 5), (1.0, 1.0))[0, 2:-2, 2:-2], 0.5, rtol=1e-5
)
# map_coordinates at grid points reads the pixels; between them it interpolates linearly
grid = np.arange(20, dtype="float32").reshape(4, 5)
points = np.array([[0, 3, 1.5], [4, 2, 2.5]], "float32")
np.testing.assert_allclose(ops.image.map_coordinates(grid, points, 1), [4.0, 17.0, 10.0])
# elastic_transform: an integer seed repeats the field; alpha 0 leaves the images
warped = ops.image.elastic_transform(images, alpha=8.0, sigma=2.0, seed=5)
np.testing.assert_allclose(ops.image.elastic_transform(images, 8.0, 2.0, seed=5), warped)
assert not np.allclose(warped, images)
np.testing.assert_allclose(
    ops.image.elastic_transform(images, alpha=0.0, sigma=2.0), images, atol=1e-6
)
# pad then crop back; HSV round trip
padded = ops.image.pad_images(images, 2, 1, target_height=16, target_width=13)
assert tuple(padded.shape) == (4, 16, 13, 3)
back = ops.image.crop_images(padded, 2, 1, target_height=12, target_width=10)
np.testing.assert_allclose(back, images)
np.testing.assert_allclose(ops.image.hsv_to_rgb(ops.image.rgb_to_hsv(images)), images, atol=1e-5)
# Sobel responds across a vertical step only in x; SSIM of an image with itself is 1
step = np.zeros((1, 6, 6, 1), "float32")
step[..., 3:, :] = 1.0
edges = np.asarray(ops.image.sobel_edges(step))
assert edges.shape == (1, 6, 6, 1, 2) and np.all(edges[..., 0] == 0) and edges[..., 1].max() == 4.0
np.testing.assert_allclose(ops.image.ssim(images, images, filter_size=5), 1.0, rtol=1e-5)
assert float(ops.image.ssim(images, images * 0.5, filter_size=5)[0]) < 0.9
# scale_and_translate by 2 along x with linear weights doubles the width
scaled = ops.image.scale_and_translate(
    images, (4, 12, 20, 3), np.array([2.0], "float32"), np.array([0.0], "float32"), (2,), "linear"
)
assert tuple(scaled.shape) == (4, 12, 20, 3)


class RandomBlurShear(keras.layers.Layer):
    """A user's augmentation layer: blur, then a fixed shear, only while training."""

    def call(self, x, training=False):
        if not training:
            return x
        x = ops.image.gaussian_blur(x, (3, 3), (0.8, 0.8))
        shear = np.array([1, 0.2, 0, 0, 1, 0, 0, 0], "float32")
        return ops.image.affine_transform(x, shear, fill_mode="reflect")


layer = RandomBlurShear()
np.testing.assert_allclose(layer(images), images)
out = layer(images, training=True)
assert tuple(out.shape) == images.shape and not np.allclose(out, images)

# ops.image on symbolic inputs: a functional model that saves and loads
inputs = keras.Input((12, 10, 3))
hsv = ops.image.rgb_to_hsv(ops.image.gaussian_blur(inputs, (3, 3), (1.0, 1.0)))
model = keras.Model(inputs, keras.layers.Dense(2)(keras.layers.GlobalAveragePooling2D()(hsv)))
model.compile("adam", "mse")
model.fit(images, np.zeros((4, 2), "float32"), epochs=1, verbose=0)
model.save("ops_image.keras")
again = keras.models.load_model("ops_image.keras")
np.testing.assert_allclose(
    again.predict(images, verbose=0), model.predict(images, verbose=0), atol=1e-5
)
print("keras.ops.image ok")
