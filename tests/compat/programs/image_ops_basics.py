"""tf.image basics: dtype conversion, flips and rotations, crops and pads, resizing, colour
adjustments, standardization and image quality measures."""

import numpy as np
import tensorflow as tf

rng = np.random.default_rng(0)
pixels = (rng.random((2, 8, 10, 3)) * 255).astype(np.uint8)
images = tf.image.convert_image_dtype(tf.constant(pixels), tf.float32)
assert images.dtype == tf.float32
np.testing.assert_allclose(images.numpy(), pixels / 255.0, rtol=1e-6)
back = tf.image.convert_image_dtype(images, tf.uint8)
assert back.dtype == tf.uint8 and np.abs(back.numpy().astype(int) - pixels).max() <= 1

# flips, rotations, transpose
np.testing.assert_array_equal(tf.image.flip_left_right(images).numpy(), images.numpy()[:, :, ::-1])
np.testing.assert_array_equal(tf.image.flip_up_down(images[0]).numpy(), images.numpy()[0, ::-1])
rotated = tf.image.rot90(images, k=1)
assert rotated.shape == (2, 10, 8, 3)
np.testing.assert_array_equal(rotated.numpy(), np.rot90(images.numpy(), 1, axes=(1, 2)))
np.testing.assert_array_equal(tf.image.rot90(rotated, k=3).numpy(), images.numpy())
assert tf.image.transpose(images).shape == (2, 10, 8, 3)

# crops, pads and resizing
crop = tf.image.crop_to_bounding_box(images, 2, 3, 4, 5)
np.testing.assert_array_equal(crop.numpy(), images.numpy()[:, 2:6, 3:8])
padded = tf.image.pad_to_bounding_box(images[0], 1, 2, 12, 14)
assert padded.shape == (12, 14, 3)
assert np.isclose(float(tf.reduce_sum(padded)), float(tf.reduce_sum(images[0])), rtol=1e-5)
assert tf.image.central_crop(images, 0.5).shape == (2, 4, 6, 3)
assert tf.image.resize_with_crop_or_pad(images, 6, 12).shape == (2, 6, 12, 3)
small = tf.image.resize(images, [4, 5])
assert small.shape == (2, 4, 5, 3) and small.dtype == tf.float32
np.testing.assert_allclose(
    small.numpy(), images.numpy().reshape(2, 4, 2, 5, 2, 3).mean((2, 4)), atol=1e-6
)
nearest = tf.image.resize(pixels, [16, 20], method="nearest")
assert nearest.dtype == tf.uint8
np.testing.assert_array_equal(nearest.numpy()[:, ::2, ::2], pixels)
fitted = tf.image.resize_with_pad(images, 10, 10)
assert fitted.shape == (2, 10, 10, 3)

# colour
gray = tf.image.rgb_to_grayscale(images)
assert gray.shape == (2, 8, 10, 1)
np.testing.assert_allclose(gray.numpy()[..., 0], images.numpy() @ [0.2989, 0.587, 0.114], rtol=1e-5)
assert tf.image.grayscale_to_rgb(gray).shape == (2, 8, 10, 3)
hsv = tf.image.rgb_to_hsv(images)
np.testing.assert_allclose(tf.image.hsv_to_rgb(hsv).numpy(), images.numpy(), atol=1e-5)
brighter = tf.image.adjust_brightness(images, 0.1)
np.testing.assert_allclose(brighter.numpy(), images.numpy() + 0.1, atol=1e-6)
contrast = tf.image.adjust_contrast(images, 2.0)
means = images.numpy().mean(axis=(1, 2), keepdims=True)
np.testing.assert_allclose(contrast.numpy(), (images.numpy() - means) * 2 + means, atol=1e-5)
gamma = tf.image.adjust_gamma(images, gamma=2.0)
np.testing.assert_allclose(gamma.numpy(), images.numpy() ** 2, atol=1e-6)
same_hue = tf.image.adjust_hue(images, 0.0)
np.testing.assert_allclose(same_hue.numpy(), images.numpy(), atol=1e-5)
gray_like = tf.image.adjust_saturation(images, 0.0)
spread = gray_like.numpy().max(axis=-1) - gray_like.numpy().min(axis=-1)
assert spread.max() < 1e-5

# standardization and quality measures
std = tf.image.per_image_standardization(images)
np.testing.assert_allclose(std.numpy().mean(axis=(1, 2, 3)), 0.0, atol=1e-5)
np.testing.assert_allclose(std.numpy().std(axis=(1, 2, 3)), 1.0, atol=1e-4)
noisy = tf.clip_by_value(images + 0.05, 0.0, 1.0)
psnr = tf.image.psnr(images, noisy, max_val=1.0)
mse = ((images.numpy() - noisy.numpy()) ** 2).mean(axis=(1, 2, 3))
np.testing.assert_allclose(psnr.numpy(), 10 * np.log10(1.0 / mse), rtol=1e-4)
big = tf.image.resize(images, [16, 16])
assert np.allclose(tf.image.ssim(big, big, max_val=1.0).numpy(), 1.0)
ssim = tf.image.ssim(big, tf.clip_by_value(big + 0.1, 0.0, 1.0), max_val=1.0).numpy()
assert ssim.shape == (2,) and np.all(ssim < 1.0) and np.all(ssim > 0.5)
tv = tf.image.total_variation(images).numpy()
x = images.numpy()
expected = np.abs(np.diff(x, axis=1)).sum((1, 2, 3)) + np.abs(np.diff(x, axis=2)).sum((1, 2, 3))
np.testing.assert_allclose(tv, expected, rtol=1e-4)
dy, dx = tf.image.image_gradients(images)
np.testing.assert_allclose(dx.numpy()[:, :, :-1], np.diff(x, axis=2), atol=1e-6)
edges = tf.image.sobel_edges(images)
assert edges.shape == (2, 8, 10, 3, 2)
boxes = tf.constant([[0, 0, 1, 1], [0, 0.05, 1, 1.05], [2, 2, 3, 3]], tf.float32)
keep = tf.image.non_max_suppression(boxes, tf.constant([0.9, 0.8, 0.7]), max_output_size=3)
assert keep.numpy().tolist() == [0, 2]
print("ok")
