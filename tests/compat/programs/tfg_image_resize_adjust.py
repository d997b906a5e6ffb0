"""tf.image: resize methods, crops, standardization, colour adjustments, metrics, patches."""

import numpy as np
import tensorflow as tf

img = tf.reshape(tf.range(16, dtype=tf.float32), [1, 4, 4, 1])

# Resize: every method returns float32 (nearest keeps the input dtype).
near = tf.image.resize(img, [2, 2], method="nearest")
assert near.dtype == tf.float32
np.testing.assert_array_equal(near[0, :, :, 0], [[5.0, 7.0], [13.0, 15.0]])
bil = tf.image.resize(img, [2, 2])
np.testing.assert_allclose(bil[0, :, :, 0], [[2.5, 4.5], [10.5, 12.5]])
area = tf.image.resize(img, [2, 2], method=tf.image.ResizeMethod.AREA)
np.testing.assert_allclose(area[0, :, :, 0], [[2.5, 4.5], [10.5, 12.5]])
up = tf.image.resize(img, [8, 8], method="bicubic")
assert up.shape == (1, 8, 8, 1)
assert tf.image.resize(tf.ones([4, 4, 3], tf.uint8), [2, 2]).dtype == tf.float32
assert tf.image.resize(tf.ones([4, 4, 3], tf.uint8), [2, 2], "nearest").dtype == tf.uint8
for m in ["lanczos3", "lanczos5", "gaussian", "mitchellcubic"]:
    r = tf.image.resize(tf.ones([1, 6, 6, 2]), [3, 5], method=m)
    assert r.shape == (1, 3, 5, 2)
    np.testing.assert_allclose(r, 1.0, atol=1e-5)
keep = tf.image.resize(tf.zeros([10, 20, 3]), [8, 8], preserve_aspect_ratio=True)
assert keep.shape == (4, 8, 3)
pad = tf.image.resize_with_pad(tf.ones([10, 20, 1]), 8, 8)
assert pad.shape == (8, 8, 1)
np.testing.assert_allclose(pad[:, :, 0].numpy().sum(axis=1), [0, 0, 8, 8, 8, 8, 0, 0])
crop_pad = tf.image.resize_with_crop_or_pad(tf.ones([3, 5, 1]), 5, 3)
assert crop_pad.shape == (5, 3, 1) and float(tf.reduce_sum(crop_pad)) == 9.0

# crop_and_resize: normalized boxes, box_indices pick the batch image.
imgs = tf.stack([img[0], img[0] + 100.0])
boxes = tf.constant([[0.0, 0.0, 1.0, 1.0], [0.0, 0.0, 0.0, 0.0]])
crops = tf.image.crop_and_resize(imgs, boxes, box_indices=[1, 0], crop_size=[2, 2])
assert crops.shape == (2, 2, 2, 1)
np.testing.assert_allclose(crops[0, :, :, 0], [[100.0, 103.0], [112.0, 115.0]])
np.testing.assert_allclose(crops[1], 0.0)
np.testing.assert_array_equal(tf.image.central_crop(img[0], 0.5)[:, :, 0], [[5, 6], [9, 10]])
cropped = tf.image.crop_to_bounding_box(img, 1, 2, 2, 2)
np.testing.assert_array_equal(cropped[0, :, :, 0], [[6, 7], [10, 11]])
padded = tf.image.pad_to_bounding_box(img, 1, 0, 6, 5)
assert padded.shape == (1, 6, 5, 1) and float(padded[0, 0, 0, 0]) == 0.0
try:
    tf.image.crop_to_bounding_box(img, 3, 3, 2, 2)
except (ValueError, tf.errors.InvalidArgumentError):
    pass
else:
    raise AssertionError("crop past the image should raise")

# per_image_standardization: zero mean, unit variance, stddev floored at 1/sqrt(N).
x = tf.random.stateless_uniform([2, 5, 5, 3], seed=[1, 2]) * 255.0
std = tf.image.per_image_standardization(x)
np.testing.assert_allclose(tf.reduce_mean(std, axis=[1, 2, 3]), 0.0, atol=1e-5)
np.testing.assert_allclose(tf.math.reduce_std(std, axis=[1, 2, 3]), 1.0, atol=1e-4)
flat = tf.image.per_image_standardization(tf.fill([2, 2, 1], 7.0))
np.testing.assert_allclose(flat, 0.0)
assert tf.image.per_image_standardization(tf.ones([2, 2, 1], tf.uint8)).dtype == tf.float32

# Colour adjustments.
rgb = tf.constant([[[0.2, 0.4, 0.6], [0.9, 0.1, 0.5]]])
np.testing.assert_allclose(tf.image.adjust_brightness(rgb, 0.1), rgb + 0.1, rtol=1e-6)
mean = tf.reduce_mean(rgb, axis=[0, 1], keepdims=True)
np.testing.assert_allclose(tf.image.adjust_contrast(rgb, 2.0), (rgb - mean) * 2 + mean, rtol=1e-5)
np.testing.assert_allclose(tf.image.adjust_gamma(rgb, 2.0, 1.0), rgb**2, rtol=1e-6)
gray = tf.image.adjust_saturation(rgb, 0.0)
np.testing.assert_allclose(gray[..., 0], gray[..., 1], atol=1e-6)
np.testing.assert_allclose(tf.image.adjust_hue(rgb, 0.0), rgb, atol=1e-6)
np.testing.assert_allclose(tf.image.adjust_hue(tf.image.adjust_hue(rgb, 0.3), -0.3), rgb, atol=1e-5)
hsv = tf.image.rgb_to_hsv(rgb)
np.testing.assert_allclose(tf.image.hsv_to_rgb(hsv), rgb, atol=1e-6)
u8 = tf.image.convert_image_dtype(tf.constant([[[0.0, 0.5, 1.2]]]), tf.uint8, saturate=True)
assert u8.numpy().tolist() == [[[0, 127, 255]]]
back = tf.image.convert_image_dtype(tf.constant([[[0, 255]]], tf.uint8), tf.float32)
np.testing.assert_allclose(back, [[[0.0, 1.0]]])

# Edges, metrics and patches.
ramp = tf.tile(tf.reshape(tf.range(5, dtype=tf.float32), [1, 1, 5, 1]), [1, 5, 1, 1])
edges = tf.image.sobel_edges(ramp)
assert edges.shape == (1, 5, 5, 1, 2)
np.testing.assert_allclose(edges[0, 2, 2, 0], [0.0, 8.0])
a = tf.random.stateless_uniform([1, 16, 16, 1], seed=[3, 4])
np.testing.assert_allclose(tf.image.ssim(a, a, max_val=1.0), [1.0], atol=1e-6)
noisy = tf.clip_by_value(a + 0.1, 0.0, 1.0)
assert float(tf.image.ssim(a, noisy, 1.0)[0]) < 1.0
mse = tf.reduce_mean(tf.square(a - noisy))
np.testing.assert_allclose(tf.image.psnr(a, noisy, 1.0), [-10 * np.log10(mse)], rtol=1e-4)
assert np.isinf(tf.image.psnr(a, a, 1.0).numpy()[0])
patches = tf.image.extract_patches(
    img, sizes=[1, 2, 2, 1], strides=[1, 2, 2, 1], rates=[1, 1, 1, 1], padding="VALID"
)
assert patches.shape == (1, 2, 2, 4)
np.testing.assert_array_equal(patches[0, 0, 1], [2, 3, 6, 7])
same = tf.image.extract_patches(img, [1, 3, 3, 1], [1, 1, 1, 1], [1, 1, 1, 1], "SAME")
assert same.shape == (1, 4, 4, 9) and float(same[0, 0, 0, 0]) == 0.0
dil = tf.image.extract_patches(img, [1, 2, 2, 1], [1, 1, 1, 1], [1, 2, 2, 1], "VALID")
assert dil.shape == (1, 2, 2, 4)
np.testing.assert_array_equal(dil[0, 0, 0], [0, 2, 8, 10])
print("ok")
