"""tf.image geometry ops against NumPy and values from TensorFlow 2.21; gradients; errors."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf
from gpuflow.testing import gradcheck as _gradcheck


def gradcheck(fn, inputs, device):
    """The ops compute in float32 (as TensorFlow): finite differences with a float32 step."""
    return _gradcheck(fn, inputs, eps=1e-3, atol=2e-3, rtol=1e-2, device=device)


X = np.random.default_rng(1).random((2, 6, 7, 3)).astype(np.float32)


def test_flips_transpose_rot90():
    np.testing.assert_array_equal(gf.image.flip_left_right(X).numpy(), X[:, :, ::-1])
    np.testing.assert_array_equal(gf.image.flip_up_down(X[0]).numpy(), X[0, ::-1])
    np.testing.assert_array_equal(gf.image.transpose(X).numpy(), X.transpose(0, 2, 1, 3))
    for k in range(-1, 5):
        np.testing.assert_array_equal(
            gf.image.rot90(X, k).numpy(), np.rot90(X, k, axes=(1, 2)), err_msg=f"k={k}"
        )
        np.testing.assert_array_equal(gf.image.rot90(X[0], k).numpy(), np.rot90(X[0], k))
    with pytest.raises(ValueError, match="3 or 4 dimensions"):
        gf.image.rot90(np.zeros((2, 2)))


def test_crop_and_pad_to_bounding_box():
    np.testing.assert_array_equal(
        gf.image.crop_to_bounding_box(X, 1, 2, 4, 3).numpy(), X[:, 1:5, 2:5]
    )
    padded = gf.image.pad_to_bounding_box(X[0], 1, 2, 9, 10).numpy()
    assert padded.shape == (9, 10, 3)
    np.testing.assert_array_equal(padded[1:7, 2:9], X[0])
    assert padded.sum() == pytest.approx(X[0].sum(), rel=1e-5)
    with pytest.raises(ValueError, match="target"):
        gf.image.crop_to_bounding_box(X, 3, 0, 4, 3)
    with pytest.raises(ValueError, match="offset_width must be >= 0"):
        gf.image.pad_to_bounding_box(X, 0, -1, 8, 8)
    with pytest.raises(ValueError, match="target"):
        gf.image.pad_to_bounding_box(X, 0, 0, 5, 8)


def test_central_crop_and_resize_with_crop_or_pad():
    np.testing.assert_array_equal(gf.image.central_crop(X, 0.5).numpy(), X[:, 1:5, 1:6])
    with pytest.raises(ValueError, match=r"\(0, 1\]"):
        gf.image.central_crop(X, 0.0)
    grid = np.arange(12.0, dtype=np.float32).reshape(3, 4, 1)
    # TensorFlow 2.21: tf.image.resize_with_crop_or_pad(grid, 4, 3)[..., 0]
    expect = [[0, 1, 2], [4, 5, 6], [8, 9, 10], [0, 0, 0]]
    np.testing.assert_array_equal(
        gf.image.resize_with_crop_or_pad(grid, 4, 3).numpy()[..., 0], expect
    )


def test_resize_with_pad_and_resize():
    # TensorFlow 2.21: tf.image.resize_with_pad(tf.ones((5, 7, 1)), 4, 4)[..., 0]
    out = gf.image.resize_with_pad(np.ones((5, 7, 1), np.float32), 4, 4).numpy()[..., 0]
    np.testing.assert_array_equal(out, [[1, 1, 1, 1], [1, 1, 1, 1], [0, 0, 0, 0], [0, 0, 0, 0]])
    assert gf.image.resize(X, (4, 4), preserve_aspect_ratio=True).shape == (2, 3, 4, 3)
    assert gf.image.resize(X.astype(np.float64), (3, 3)).dtype == gf.float32
    near = gf.image.resize(
        (X * 255).astype(np.uint8), (3, 3), gf.image.ResizeMethod.NEAREST_NEIGHBOR
    )
    assert near.dtype == gf.uint8
    assert gf.image.resize(X, (3, 3), "bicubic").shape == (2, 3, 3, 3)
    with pytest.raises(ValueError, match="'bilinear' or 'nearest'"):
        gf.image.resize_with_pad(X, 3, 3, "lanczos3")


def test_extract_patches_matches_tensorflow():
    grid = np.arange(25.0, dtype=np.float32).reshape(1, 5, 5, 1)
    # TensorFlow 2.21: extract_patches(grid, [1,3,3,1], [1,2,2,1], [1,2,2,1], 'SAME')[0,:,:,4]
    out = gf.image.extract_patches(grid, [1, 3, 3, 1], [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    assert out.shape == (1, 3, 3, 9)
    np.testing.assert_array_equal(out.numpy()[0, :, :, 4], [[0, 2, 4], [10, 12, 14], [20, 22, 24]])
    two = np.arange(32.0, dtype=np.float32).reshape(1, 4, 4, 2)
    first = gf.image.extract_patches(two, [1, 2, 2, 1], [1, 2, 2, 1], [1, 1, 1, 1], "VALID")
    np.testing.assert_array_equal(first.numpy()[0, 0, 0], [0, 1, 2, 3, 8, 9, 10, 11])
    with pytest.raises(ValueError, match=r"\[1, rows, cols, 1\]"):
        gf.image.extract_patches(two, [2, 2], [1, 1, 1, 1], [1, 1, 1, 1], "VALID")


def test_geometry_gradcheck(device):
    x = np.random.default_rng(2).standard_normal((1, 4, 5, 2))
    assert gradcheck(lambda a: gf.image.rot90(a, 3), [x], device=device)
    assert gradcheck(lambda a: gf.image.resize_with_crop_or_pad(a, 6, 3), [x], device=device)
    assert gradcheck(lambda a: gf.image.resize_with_pad(a, 3, 3), [x], device=device)
    assert gradcheck(
        lambda a: gf.image.extract_patches(a, [1, 2, 3, 1], [1, 1, 2, 1], [1, 2, 1, 1], "SAME"),
        [x],
        device=device,
    )


def test_image_ops_on_keras_inputs_build_layers():
    inputs = gf.keras.Input((8, 8, 3))
    x = gf.image.flip_left_right(gf.image.resize(inputs, (4, 4)))
    model = gf.keras.Model(inputs, x)
    assert model.output_shape == (None, 4, 4, 3)
    images = np.random.default_rng(5).random((2, 8, 8, 3)).astype(np.float32)
    expect = gf.image.flip_left_right(gf.image.resize(images, (4, 4))).numpy()
    np.testing.assert_allclose(model.predict(images, verbose=0), expect, rtol=1e-6)


# tf.image.resize(ROW7, (1, 3), method, antialias)[0, 0, :, 0], TensorFlow 2.21
ROW7 = np.array([0.0, 1.0, 4.0, 9.0, 16.0, 25.0, 36.0], np.float32).reshape(1, 1, 7, 1)
TF_KERNEL_RESIZE = {
    ("bilinear", True): [1.2857, 9.9412, 27.0],
    ("bicubic", True): [0.6774, 9.3639, 28.0645],
    ("lanczos3", False): [0.4708, 9.0, 29.6485],
    ("lanczos5", True): [0.595, 8.8081, 28.7653],
    ("gaussian", True): [1.8251, 10.3313, 25.8618],
    ("mitchellcubic", False): [0.5654, 9.1111, 29.008],
}


@pytest.mark.parametrize("method,antialias", sorted(TF_KERNEL_RESIZE))
def test_kernel_and_antialiased_resize_match_tensorflow(method, antialias):
    out = gf.image.resize(ROW7, (1, 3), method=method, antialias=antialias)
    assert out.dtype == gf.float32
    np.testing.assert_allclose(
        out.numpy()[0, 0, :, 0], TF_KERNEL_RESIZE[(method, antialias)], atol=2e-4
    )


def test_kernel_resize_single_images_integers_and_gradients():
    pixels = (X[0] * 255).astype(np.uint8)
    out = gf.image.resize(pixels, (7, 5), "lanczos3")
    np.testing.assert_allclose(
        out.numpy(), gf.image.resize(pixels.astype(np.float32), (7, 5), "lanczos3").numpy()
    )
    same = gf.image.resize(X, X.shape[1:3], "gaussian", antialias=True).numpy()
    assert same.shape == X.shape
    image = gf.Variable(X)
    with gf.GradientTape() as tape:
        loss = gf.reduce_sum(gf.image.resize(image, (2, 3), antialias=True))
    assert tape.gradient(loss, image).shape == X.shape
    # TensorFlow ignores antialias for nearest and area
    for method in ("nearest", "area"):
        np.testing.assert_array_equal(
            gf.image.resize(X, (3, 3), method, antialias=True).numpy(),
            gf.image.resize(X, (3, 3), method).numpy(),
        )
    with pytest.raises(ValueError, match="resize: method must be one of"):
        gf.image.resize(X, (3, 3), "cubic")


# tf.image.resize (TF 2.21) of (arange(12) ** 1.5).reshape(1, 3, 4, 1)
TF_BICUBIC_5x3 = [
    [-0.5276, 0.99268, 3.95099],
    [2.32303, 4.98189, 8.77317],
    [8.32414, 12.89845, 18.12278],
    [18.26378, 24.02374, 30.29888],
    [24.1895, 30.51821, 37.3279],
]
TF_AREA_2x3 = [[3.09836, 5.58902, 8.92429], [18.7454, 23.8538, 29.36671]]


def test_bicubic_and_area_resize_match_tensorflow(device):
    # bicubic without antialias (ResizeBicubic, half-pixel Keys cubic) and area (ResizeArea);
    # the keras.ops.saturate_cast docstring resizes with method="bicubic"
    x = (np.arange(12, dtype=np.float32) ** 1.5).reshape(1, 3, 4, 1)
    bicubic = gf.image.resize(x, (5, 3), method="bicubic")
    assert bicubic.dtype == gf.float32
    np.testing.assert_allclose(bicubic.numpy()[0, :, :, 0], TF_BICUBIC_5x3, atol=1e-4)
    area = gf.image.resize(x[0].astype(np.uint8), (2, 3), method="area")
    assert area.dtype == gf.float32 and tuple(area.shape) == (2, 3, 1)
    np.testing.assert_allclose(
        gf.image.resize(x, (2, 3), method="area").numpy()[0, :, :, 0], TF_AREA_2x3, atol=1e-4
    )
    # same size: the identity
    np.testing.assert_allclose(gf.image.resize(X, (6, 7), "bicubic").numpy(), X, atol=1e-6)
    np.testing.assert_allclose(gf.image.resize(X, (6, 7), "area").numpy(), X, atol=1e-6)
    # ResizeBicubic has a gradient in TensorFlow; ResizeArea has none (its LookupError is
    # tested in test_image_color.py)
    assert gradcheck(lambda t: gf.image.resize(t, (4, 9), "bicubic"), [X[:1, :4, :5, :2]], device)


def test_bilinear_resize_gradient_matches_finite_differences():
    import gpuflow as gf

    rng = np.random.default_rng(4)
    images = rng.normal(size=(1, 5, 7, 2))
    probe = rng.normal(size=(1, 3, 11, 2))
    x = gf.Variable(images)
    with gf.GradientTape() as tape:
        loss = gf.reduce_sum(gf.image.resize(x, (3, 11)) * probe)
    grad = tape.gradient(loss, x).numpy()

    def value(arr):
        return float(gf.reduce_sum(gf.image.resize(arr, (3, 11)) * probe))

    eps = 1e-3  # the resize computes in float32
    for index in [(0, 0, 0, 0), (0, 2, 3, 1), (0, 4, 6, 0)]:
        up, down = images.copy(), images.copy()
        up[index] += eps
        down[index] -= eps
        assert abs((value(up) - value(down)) / (2 * eps) - grad[index]) < 1e-3


def test_bilinear_resize_equals_tensorflow_to_one_ulp():
    import gpuflow as gf

    # tf.image.resize(x, (3, 4)) on TensorFlow 2.21: its float32 weights and lerp order
    x = (np.arange(7 * 9, dtype=np.float32).reshape(1, 7, 9, 1) ** 1.5) / 7
    expected = [
        [2.8763554096221924, 4.131763458251953, 5.610199928283691, 7.268096923828125],
        [20.74462127685547, 23.32834243774414, 26.012605667114258, 28.793752670288086],
        [48.57733917236328, 51.97400665283203, 55.4478759765625, 58.99725341796875],
    ]
    got = gf.image.resize(x, (3, 4)).numpy()[0, :, :, 0]
    # TF's own result moves by one float32 ulp between CPUs (whether its lerp fuses the
    # multiply-add): the same weights and order stay within that ulp
    np.testing.assert_array_max_ulp(got, np.array(expected, dtype=np.float32), maxulp=1)
