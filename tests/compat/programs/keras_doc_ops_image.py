"""Examples from the Keras 3 docstrings of keras.ops / keras.ops.image: channels_first
images, 3D patches through extract_patches, bicubic and area resizing, unique with an
axis, and complex numbers in isreal / real / imag."""

import numpy as np
import tensorflow as tf

ops = tf.keras.ops
rng = np.random.default_rng(0)

# data_format="channels_first": the channels-last result, transposed
x = rng.random((2, 3, 16, 20)).astype("float32")
to_last, to_first = (0, 2, 3, 1), (0, 3, 1, 2)
for name, call in [
    ("resize", lambda im, **f: ops.image.resize(im, (8, 5), **f)),
    ("rgb_to_grayscale", lambda im, **f: ops.image.rgb_to_grayscale(im, **f)),
    ("rgb_to_hsv", lambda im, **f: ops.image.rgb_to_hsv(im, **f)),
    ("hsv_to_rgb", lambda im, **f: ops.image.hsv_to_rgb(im, **f)),
    ("gaussian_blur", lambda im, **f: ops.image.gaussian_blur(im, **f)),
    (
        "affine_transform",
        lambda im, **f: ops.image.affine_transform(
            im, np.array([1, 0.2, 2, 0.1, 1, -1, 0, 0], "float32"), **f
        ),
    ),
    ("pad_images", lambda im, **f: ops.image.pad_images(im, 2, 1, 20, 24, **f)),
    ("crop_images", lambda im, **f: ops.image.crop_images(im, 2, 1, 10, 12, **f)),
]:
    first = np.asarray(call(x, data_format="channels_first"))
    last = np.asarray(call(np.transpose(x, to_last), data_format="channels_last"))
    np.testing.assert_allclose(first, np.transpose(last, to_first), atol=1e-5, err_msg=name)
assert ops.image.resize(x, (2, 2), data_format="channels_first").shape == (2, 3, 2, 2)
assert ops.image.rgb_to_grayscale(x, data_format="channels_first").shape == (2, 1, 16, 20)

# extract_patches with three sizes takes volume patches
volumes = rng.random((2, 10, 10, 10, 3)).astype("float32")
patches = ops.image.extract_patches(volumes, (3, 3, 3))
assert patches.shape == (2, 3, 3, 3, 81)
np.testing.assert_allclose(np.asarray(patches)[1, 2, 0, 1], volumes[1, 6:9, 0:3, 3:6].ravel())
assert ops.image.extract_patches(volumes[0], (3, 3, 3)).shape == (3, 3, 3, 81)
assert ops.image.extract_patches(
    rng.random((20, 20, 3)).astype("float32"), (3, 3), (1, 1)
).shape == (
    18,
    18,
    27,
)

# tf.image.resize / keras.ops.image.resize bicubic (values TF 2.21 prints) and area (the
# saturate_cast docstring resizes with bicubic)
image2x2 = np.array([-0.5, 0.5, 1.5, 2.5], "float32").reshape(1, 2, 2, 1) * 100
image4x4 = tf.image.resize(image2x2, (4, 4), method="bicubic")
assert image4x4.dtype == tf.float32
np.testing.assert_allclose(
    np.asarray(image4x4)[0, :, :, 0],
    [
        [-76.4706, -46.93278, 11.63866, 41.17648],
        [-17.39496, 12.14286, 70.71429, 100.25211],
        [99.74791, 129.28572, 187.85716, 217.39499],
        [158.82355, 188.36136, 246.93277, 276.4706],
    ],
    atol=2e-3,
)
small = rng.random((1, 6, 9, 2)).astype("float32")
area = ops.image.resize(small, (2, 3), interpolation="area")
np.testing.assert_allclose(
    np.asarray(area), small.reshape(1, 2, 3, 3, 3, 2).mean(axis=(2, 4)), rtol=1e-5
)
same = tf.image.resize(small, (6, 9), method="bicubic")
np.testing.assert_allclose(np.asarray(same), small, atol=1e-6)

# keras.ops.unique with an axis, and in order of first appearance
rows = np.array([[0, 1, 0], [1, 0, 0], [0, 1, 0]], "int32")
np.testing.assert_array_equal(np.asarray(ops.unique(rows, axis=0)), [[0, 1, 0], [1, 0, 0]])
values, inverse, counts = ops.unique(rows, axis=0, return_inverse=True, return_counts=True)
np.testing.assert_array_equal(np.asarray(inverse), [0, 1, 0])
np.testing.assert_array_equal(np.asarray(counts), [2, 1])
values, inverse = ops.unique(np.array([3, 1, 3, 2]), sorted=False, return_inverse=True)
np.testing.assert_array_equal(np.asarray(values), [3, 1, 2])
np.testing.assert_array_equal(np.asarray(inverse), [0, 1, 0, 2])

# keras.ops.isreal / real / imag / conj of complex tensors
z = ops.array([1 + 1j, 1 + 0j, 4.5, 3, 2, 2j], dtype="complex64")
np.testing.assert_array_equal(np.asarray(ops.isreal(z)), [False, True, True, True, True, False])
np.testing.assert_allclose(np.asarray(ops.real(z)), [1, 1, 4.5, 3, 2, 0])
np.testing.assert_allclose(np.asarray(ops.imag(z)), [1, 0, 0, 0, 0, 2])
np.testing.assert_allclose(np.asarray(ops.conj(z)), np.conj(np.asarray(z)))
assert ops.real(z).dtype == tf.float32
print("ok")
