"""keras.ops.image.rgb_to_hsv / hsv_to_rgb / affine_transform / perspective_transform /
gaussian_blur: values printed by Keras 3.15 on TensorFlow 2.21 (tfvenv) for the same calls,
round trips, gradients and errors."""

import numpy as np
import pytest

import gpuflow as gf
from gpuflow.keras import ops

IMG = np.arange(12, dtype="float32").reshape(1, 3, 4, 1)
RGB = np.array([[[[0.9, 0.2, 0.1], [0.1, 0.5, 0.7]]]], "float32")
START = np.array([[0.0, 0.0], [3.0, 0.0], [0.0, 2.0], [3.0, 2.0]], "float32")
END = START + np.array([[0.5, 0.0], [0.0, 0.5], [0.0, 0.0], [-0.5, 0.0]], "float32")
KERAS_HSV = [[0.02083, 0.88889, 0.9], [0.55556, 0.85714, 0.7]]
KERAS_PERSPECTIVE = [  # fill_value=-1.0
    [-0.2086, 0.3132, 0.7161, 0.5985],
    [2.8907, 4.2772, 4.9231, 3.7919],
    [8.0, 9.0105, 10.2588, 0.92],
]
KERAS_BLUR = [  # kernel_size=(3, 3), sigma=(1.0, 0.5)
    [0.5541, 1.3195, 2.213, 2.0102],
    [3.1778, 5.0, 6.0, 4.8075],
    [5.1245, 7.6154, 8.5089, 6.5806],
]


def test_values_match_keras():
    np.testing.assert_allclose(ops.image.rgb_to_hsv(RGB).numpy()[0, 0], KERAS_HSV, atol=1e-4)
    out = ops.image.perspective_transform(IMG, START, END, fill_value=-1.0).numpy()
    np.testing.assert_allclose(out[0, :, :, 0], KERAS_PERSPECTIVE, atol=1e-3)
    blur = ops.image.gaussian_blur(IMG, kernel_size=(3, 3), sigma=(1.0, 0.5)).numpy()
    np.testing.assert_allclose(blur[0, :, :, 0], KERAS_BLUR, atol=1e-3)


def test_round_trips_identities_and_single_images():
    x = np.random.default_rng(0).random((2, 5, 6, 3)).astype("float32")
    np.testing.assert_allclose(ops.image.hsv_to_rgb(ops.image.rgb_to_hsv(x)).numpy(), x, atol=1e-5)
    same = ops.image.perspective_transform(x, START, START).numpy()
    np.testing.assert_allclose(same, x, atol=1e-5)
    identity = np.array([1, 0, 0, 0, 1, 0, 0, 0], "float32")
    np.testing.assert_allclose(ops.image.affine_transform(x, identity).numpy(), x, atol=1e-6)
    shift = np.array([[1, 0, 1, 0, 1, 0, 0, 0]] * 2, "float32")  # input x + 1: one pixel left
    moved = ops.image.affine_transform(x, shift, interpolation="nearest", fill_value=0.5)
    np.testing.assert_array_equal(moved.numpy()[:, :, :-1], x[:, :, 1:])
    np.testing.assert_array_equal(moved.numpy()[:, :, -1], 0.5)
    assert ops.image.gaussian_blur(x[0]).shape == x[0].shape
    flat = np.full((1, 6, 6, 1), 3.0, "float32")  # a normalised kernel keeps the interior
    np.testing.assert_allclose(ops.image.gaussian_blur(flat).numpy()[0, 1:-1, 1:-1], 3.0, 1e-5)


def test_gradients_reach_the_images():
    x = gf.Variable(np.random.default_rng(1).random((1, 4, 5, 3)).astype("float32"))
    with gf.GradientTape() as tape:
        y = ops.image.gaussian_blur(ops.image.perspective_transform(x, START, END))
        loss = gf.reduce_sum(ops.image.rgb_to_hsv(y) ** 2)
    assert tape.gradient(loss, x).shape == x.shape


def test_errors_name_the_op():
    with pytest.raises(ValueError, match="rgb_to_hsv.*float dtype"):
        ops.image.rgb_to_hsv(np.zeros((2, 2, 3), "int32"))
    with pytest.raises(ValueError, match="perspective_transform.*start_points shape"):
        ops.image.perspective_transform(IMG, START[:3], END[:3])
    with pytest.raises(ValueError, match="affine_transform.*fill_mode"):
        ops.image.affine_transform(IMG, np.ones(8, "float32"), fill_mode="mirror")
    with pytest.raises(ValueError, match="gaussian_blur.*kernel_size"):
        ops.image.gaussian_blur(IMG, kernel_size=(3,))
    with pytest.raises(ValueError, match="hsv_to_rgb: The `data_format` argument must be one"):
        ops.image.hsv_to_rgb(RGB, data_format="nchw")


@pytest.mark.parametrize(
    "call",
    [
        lambda x, **f: ops.image.resize(x, (4, 5), **f),
        lambda x, **f: ops.image.resize(x, (9, 3), interpolation="nearest", **f),
        lambda x, **f: ops.image.rgb_to_grayscale(x, **f),
        lambda x, **f: ops.image.rgb_to_hsv(x, **f),
        lambda x, **f: ops.image.hsv_to_rgb(x, **f),
        lambda x, **f: ops.image.affine_transform(
            x, np.array([1, 0.1, 1, 0, 1, -1, 0, 0], "float32"), **f
        ),
        lambda x, **f: ops.image.perspective_transform(x, START, END, **f),
        lambda x, **f: ops.image.gaussian_blur(x, sigma=(1.0, 0.5), **f),
        lambda x, **f: ops.image.pad_images(x, 1, 2, target_height=9, target_width=9, **f),
        lambda x, **f: ops.image.crop_images(x, 1, 2, target_height=3, target_width=4, **f),
    ],
)
@pytest.mark.parametrize("batched", [True, False])
def test_channels_first_is_channels_last_transposed(call, batched):
    # Keras 3 takes data_format="channels_first" ([batch, channels, height, width]) in every
    # keras.ops.image function (the docstrings' examples use it)
    x = np.random.default_rng(1).random((2, 5, 6, 3)).astype("float32")
    if not batched:
        x = x[0]
    last = call(x).numpy()
    axes = (0, 3, 1, 2) if batched else (2, 0, 1)
    first = call(np.transpose(x, axes), data_format="channels_first").numpy()
    np.testing.assert_allclose(first, np.transpose(last, axes), rtol=1e-6, atol=1e-6)


def test_symbolic_calls_become_layers_that_save(tmp_path):
    inputs = gf.keras.Input((6, 6, 3))
    hsv = ops.image.rgb_to_hsv(ops.image.gaussian_blur(inputs, sigma=(0.8, 0.8)))
    model = gf.keras.Model(inputs, hsv)
    x = np.random.default_rng(0).random((2, 6, 6, 3)).astype("float32")
    expected = model.predict(x, verbose=0)
    model.save(tmp_path / "m.keras")
    again = gf.keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(again.predict(x, verbose=0), expected, atol=1e-6)


# keras.ops.image.map_coordinates(GRID, COORDS, order, fill_mode=mode, fill_value=-1.0),
# Keras 3.15 on TensorFlow 2.21: (order 1, order 0) per mode
GRID = np.arange(12, dtype="float32").reshape(3, 4)
COORDS = np.array([[-0.5, 0.25, 1.5, 2.75, 3.2], [-1.0, 0.5, 2.25, 3.5, 4.6]], "float32")
KERAS_MAP = {
    "constant": ([-1.0, 1.5, 8.25, 0.5, -1.0], [-1.0, 0.0, 10.0, -1.0, -1.0]),
    "nearest": ([0.0, 1.5, 8.25, 11.0, 11.0], [0.0, 0.0, 10.0, 11.0, 11.0]),
    "wrap": ([7.0, 1.5, 8.25, 3.5, 1.4], [3.0, 0.0, 10.0, 0.0, 1.0]),
    "reflect": ([3.0, 1.5, 8.25, 11.0, 9.6], [1.0, 0.0, 10.0, 11.0, 10.0]),
}


@pytest.mark.parametrize("mode", sorted(KERAS_MAP))
def test_map_coordinates_matches_keras(mode):
    linear, nearest = KERAS_MAP[mode]
    out = ops.image.map_coordinates(GRID, COORDS, 1, fill_mode=mode, fill_value=-1.0)
    np.testing.assert_allclose(out.numpy(), linear, atol=1e-5)
    out = ops.image.map_coordinates(GRID, COORDS, 0, fill_mode=mode, fill_value=-1.0)
    np.testing.assert_allclose(out.numpy(), nearest, atol=1e-5)


def test_map_coordinates_shapes_dtypes_gradients_and_errors():
    volume = np.random.default_rng(0).random((3, 4, 5)).astype("float32")
    points = np.array([[0, 1, 2], [1, 2, 3], [4, 0, 1]], "float32")  # exact grid points
    np.testing.assert_allclose(
        ops.image.map_coordinates(volume, points, 1).numpy(),
        volume[[0, 1, 2], [1, 2, 3], [4, 0, 1]],
    )
    ints = np.arange(16, dtype="int32").reshape(4, 4)
    halfway = ops.image.map_coordinates(ints, np.array([[0.5], [0.5]], "float32"), 1)
    assert halfway.dtype == gf.int32 and halfway.numpy().tolist() == [2]  # 2.5 rounds to even
    grid = gf.Variable(GRID)
    with gf.GradientTape() as tape:
        loss = gf.reduce_sum(ops.image.map_coordinates(grid, COORDS, 1, fill_mode="reflect"))
    assert float(gf.reduce_sum(tape.gradient(loss, grid))) == pytest.approx(5.0)
    with pytest.raises(ValueError, match="First dim of `coordinates`"):
        ops.image.map_coordinates(GRID, COORDS[:1], 1)
    with pytest.raises(NotImplementedError, match="order<=1"):
        ops.image.map_coordinates(GRID, COORDS, 3)


def test_elastic_transform_seeds_and_identity():
    x = np.random.default_rng(1).random((2, 16, 12, 3)).astype("float32")
    a = ops.image.elastic_transform(x, alpha=10.0, sigma=2.0, seed=3).numpy()
    np.testing.assert_array_equal(ops.image.elastic_transform(x, 10.0, 2.0, seed=3).numpy(), a)
    assert not np.allclose(a, x)
    np.testing.assert_allclose(ops.image.elastic_transform(x, alpha=0.0, sigma=2.0).numpy(), x)
    assert ops.image.elastic_transform(x[0], seed=1).shape == x[0].shape
    pixels = (x * 255).astype("uint8")
    assert ops.image.elastic_transform(pixels, seed=1).dtype == gf.uint8
    with pytest.raises(ValueError, match="elastic_transform.*fill_mode"):
        ops.image.elastic_transform(x, fill_mode="mirror")  # as Keras: not for this op


def test_pad_and_crop_images():
    x = np.random.default_rng(2).random((2, 5, 6, 3)).astype("float32")
    padded = ops.image.pad_images(x, 1, 2, target_height=8, target_width=9).numpy()
    assert padded.shape == (2, 8, 9, 3)
    np.testing.assert_array_equal(padded[:, 1:6, 2:8], x)
    assert padded.sum() == pytest.approx(x.sum(), rel=1e-5)  # zeros around
    single = ops.image.pad_images(
        x[0], top_padding=0, bottom_padding=2, left_padding=1, right_padding=0
    )
    assert single.shape == (7, 7, 3)
    cropped = ops.image.crop_images(x, 1, 2, target_height=3, target_width=2).numpy()
    np.testing.assert_array_equal(cropped, x[:, 1:4, 2:4])
    sides = ops.image.crop_images(
        x[0], top_cropping=1, bottom_cropping=2, left_cropping=0, right_cropping=3
    )
    np.testing.assert_array_equal(sides.numpy(), x[0, 1:3, 0:3])
    with pytest.raises(ValueError, match="exactly two of top_padding"):
        ops.image.pad_images(x, 1, 2, 3, target_height=9, target_width=9)
    with pytest.raises(ValueError, match="top_padding must be >= 0"):
        ops.image.pad_images(x, -1, 2, target_height=8, target_width=9)
    with pytest.raises(ValueError, match="crop_images.*does not fit"):
        ops.image.crop_images(x, 1, 2, target_height=30, target_width=2)


def test_sobel_edges_and_ssim_match_keras():
    step = np.zeros((1, 6, 6, 1), "float32")
    step[0, :, 3:] = 1.0
    edges = ops.image.sobel_edges(step).numpy()
    assert edges.shape == (1, 6, 6, 1, 2)
    np.testing.assert_array_equal(edges[..., 0], 0.0)  # no vertical change
    np.testing.assert_array_equal(edges[0, :, :, 0, 1][:, 2:4], 4.0)  # the step, across x
    a = (np.arange(144, dtype="float32").reshape(1, 12, 12, 1) % 17) / 16.0
    # keras.ops.image.ssim on TensorFlow 2.21: 0.9216197 and 0.6413413
    assert float(ops.image.ssim(a, np.sqrt(a), filter_size=5)[0]) == pytest.approx(
        0.9216197, abs=1e-5
    )
    half = ops.image.ssim(a[0], a[0] * 0.5, filter_size=7, filter_sigma=1.0)
    assert half.shape == () and float(half) == pytest.approx(0.6413413, abs=1e-5)
    np.testing.assert_allclose(ops.image.ssim(a, a, filter_size=5).numpy(), 1.0, rtol=1e-5)
    with pytest.raises(ValueError, match="ssim.*same shape"):
        ops.image.ssim(a, a[:, :10])


def test_extract_patches_3d_orders_depth_row_column_channel():
    volumes = np.arange(2 * 4 * 4 * 4 * 2, dtype="float32").reshape(2, 4, 4, 4, 2)
    patches = ops.image.extract_patches_3d(volumes, 2).numpy()
    assert patches.shape == (2, 2, 2, 2, 16)
    np.testing.assert_array_equal(patches[1, 1, 0, 1], volumes[1, 2:4, 0:2, 2:4].reshape(-1))
    same = ops.image.extract_patches_3d(volumes[0], (3, 2, 2), strides=(2, 3, 1), padding="same")
    assert same.shape == (2, 2, 4, 24)  # as Keras 3.15 on TensorFlow
    dilated = ops.image.extract_patches_3d(volumes, 2, strides=1, dilation_rate=2).numpy()
    np.testing.assert_array_equal(dilated[0, 0, 0, 0], volumes[0, ::2, ::2, ::2].reshape(-1))
    with pytest.raises(TypeError, match="size"):
        ops.image.extract_patches_3d(volumes, (2, 2))


# keras.ops.image.scale_and_translate(ROW, (1, 3), [0.6], [0.2], (1,), method, antialias)
# on TensorFlow 2.21 (Keras 3.15.1)
ROW = np.array([[0.0, 1.0, 4.0, 9.0, 16.0]], "float32")
KERAS_SCALED = {
    ("linear", True): [0.28571, 3.5, 11.0],
    ("cubic", False): [0.0, 2.77778, 11.60714],
    ("lanczos3", True): [0.0, 2.30219, 12.06229],
}


@pytest.mark.parametrize("method,antialias", sorted(KERAS_SCALED))
def test_scale_and_translate_matches_keras(method, antialias):
    out = ops.image.scale_and_translate(
        ROW, (1, 3), np.array([0.6], "float32"), np.array([0.2], "float32"), (1,), method, antialias
    )
    np.testing.assert_allclose(out.numpy()[0], KERAS_SCALED[(method, antialias)], atol=1e-4)


def test_scale_and_translate_identity_gradients_and_errors():
    x = gf.Variable(np.random.default_rng(3).random((2, 6, 5, 3)).astype("float32"))
    same = ops.image.scale_and_translate(x, (2, 6, 5, 3), [1.0, 1.0], [0.0, 0.0], (1, 2), "linear")
    np.testing.assert_allclose(same.numpy(), x.numpy(), atol=1e-6)
    with gf.GradientTape() as tape:
        y = ops.image.scale_and_translate(x, (2, 12, 3, 3), [2.0, 0.6], [0.0, 0.1], (1, 2), "cubic")
        loss = gf.reduce_sum(y)
    assert y.shape == (2, 12, 3, 3) and tape.gradient(loss, x).shape == x.shape
    with pytest.raises(ValueError, match="method"):
        ops.image.scale_and_translate(x, (2, 6, 5, 3), [1.0], [0.0], (1,), "area")


def test_resize_aspect_ratio_antialias_and_dtypes():
    x = (np.random.default_rng(5).random((2, 9, 14, 3)) * 255).astype("float32")
    cropped = ops.image.resize(x, (6, 6), crop_to_aspect_ratio=True).numpy()
    np.testing.assert_allclose(cropped, gf.image.resize(x[:, :, 2:11], (6, 6)).numpy(), atol=1e-4)
    padded = ops.image.resize(x[0], (13, 14), pad_to_aspect_ratio=True, fill_value=3.0).numpy()
    np.testing.assert_allclose(padded[:2], 3.0)  # (13 - 9) / 2 rows of fill on each side
    np.testing.assert_allclose(padded[11:], 3.0)
    np.testing.assert_allclose(padded[2:11], x[0], atol=1e-3)
    smooth = ops.image.resize(x, (4, 5), antialias=True).numpy()
    np.testing.assert_allclose(smooth, gf.image.resize(x, (4, 5), antialias=True).numpy())
    pixels = x.astype("uint8")
    small = ops.image.resize(pixels, (5, 6))
    assert small.dtype == gf.uint8  # Keras rounds integer images back
    np.testing.assert_array_equal(
        small.numpy(), np.round(gf.image.resize(pixels, (5, 6)).numpy()).astype("uint8")
    )
    with pytest.raises(ValueError, match="Only one of `crop_to_aspect_ratio`"):
        ops.image.resize(x, (4, 4), crop_to_aspect_ratio=True, pad_to_aspect_ratio=True)
    with pytest.raises(ValueError, match="fill_mode"):
        ops.image.resize(x, (4, 4), pad_to_aspect_ratio=True, fill_mode="reflect")


def test_affine_transform_image_gradient_matches_finite_differences():
    # the weighted gather's backward: each input pixel collects the weights it was mixed with
    from gpuflow.ops.image_transform import affine_matrix, affine_transform

    rng = np.random.default_rng(3)
    images = rng.normal(size=(2, 5, 6, 2))
    probe = rng.normal(size=(2, 5, 6, 2))
    transform = affine_matrix(
        np.array([17.0, -30.0]),
        np.array([0.3, -0.6]),
        np.zeros(2),
        np.array([1.1, 0.9]),
        np.zeros(2),
        np.zeros(2),
        5,
        6,
    )
    x = gf.Variable(images)
    with gf.GradientTape() as tape:
        loss = gf.reduce_sum(affine_transform(x, transform, fill_mode="reflect") * probe)
    grad = tape.gradient(loss, x).numpy()

    def value(arr):
        return float(gf.reduce_sum(affine_transform(arr, transform, fill_mode="reflect") * probe))

    eps = 1e-6
    for index in [(0, 0, 0, 0), (0, 2, 3, 1), (1, 4, 5, 0), (1, 1, 2, 1)]:
        up, down = images.copy(), images.copy()
        up[index] += eps
        down[index] -= eps
        assert abs((value(up) - value(down)) / (2 * eps) - grad[index]) < 1e-6
