"""tf.keras.preprocessing.image: ImageDataGenerator, its iterators and the affine helpers.

Literals marked "real tf.keras" were printed by tensorflow 2.21 / keras 3.15 (with scipy)
in /work/tfvenv for the same inputs. The NumPy resampler is also checked against plain
per-pixel references here, and against scipy.ndimage when scipy happens to be installed.
"""

import os

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.keras.preprocessing._affine import affine_transform_2d

image = tf.keras.preprocessing.image

X = np.arange(20, dtype="float32").reshape(4, 5, 1) * 3
FIXED = {"theta": 30.0, "tx": 0.6, "ty": -1.3, "zx": 1.2, "zy": 0.9, "shear": 8.0}
# real tf.keras: ImageDataGenerator(fill_mode=m, cval=-1).apply_transform(X, FIXED)
KERAS_FIXED = {
    "constant": [[-1.0, -1.0, -1.0, -1.0, -1.0], [-1.0, 10.5866, 22.7043, -1.0, -1.0],
                 [7.4448, 19.5625, 31.6802, -1.0, -1.0],
                 [16.4207, 28.5384, 40.6561, 52.7737, -1.0]],
    "nearest": [[6.6569, 9.7746, 12.8362, 21.8362, 30.8362], [4.9946, 10.5866, 22.7043, 32.4744,
                41.4744], [7.4448, 19.5625, 31.6802, 43.1125, 52.1125],
                [16.4207, 28.5384, 40.6561, 52.7737, 57.0]],
    "reflect": [[8.8207, 9.7746, 12.8362, 20.8263, 26.7086], [4.9946, 10.5866, 22.7043, 32.4744,
                39.009], [7.4448, 19.5625, 31.6802, 43.1125, 51.3094],
                [16.4207, 28.5384, 40.6561, 52.7737, 57.0]],
    "wrap": [[34.4931, 46.6108, 1.7285, 13.8462, 25.9639], [43.469, 10.5866, 22.7043, 22.822,
             34.9397], [7.4448, 19.5625, 31.6802, 31.7979, 43.9156],
             [16.4207, 28.5384, 40.6561, 52.7737, 7.8914]],
}  # fmt: skip


@pytest.mark.parametrize("mode", sorted(KERAS_FIXED))
def test_apply_transform_matches_keras(mode):
    g = image.ImageDataGenerator(fill_mode=mode, cval=-1.0)
    out = g.apply_transform(X, FIXED)
    assert out.shape == X.shape and out.dtype == np.float32
    np.testing.assert_allclose(out[..., 0], KERAS_FIXED[mode], atol=1e-4)


def test_random_parameters_match_keras():
    g = image.ImageDataGenerator(
        rotation_range=30, width_shift_range=0.2, height_shift_range=[1, 2], zoom_range=0.3,
        shear_range=5, horizontal_flip=True, channel_shift_range=4.0, brightness_range=(0.5, 1.5),
    )  # fmt: skip
    p = g.get_random_transform((4, 5, 1), seed=42)  # want: real tf.keras
    want = {"theta": -7.527593, "tx": -1.0, "ty": 0.463988, "shear": 0.986585, "zx": 0.793611,
            "zy": 0.793597, "flip_horizontal": 1.0, "flip_vertical": 0.0,
            "channel_shift_intensity": 0.80892, "brightness": 1.208073}  # fmt: skip
    assert {k: round(float(v), 6) for k, v in p.items()} == want


def _bilinear_reference(img, matrix, offset, cval):
    """Per-pixel bilinear sampling, 'constant' outside [0, n-1] (scipy's constant mode)."""
    h, w = img.shape
    out = np.empty((h, w))
    for i in range(h):
        for j in range(w):
            r = matrix[0][0] * i + matrix[0][1] * j + offset[0]
            c = matrix[1][0] * i + matrix[1][1] * j + offset[1]
            if r < 0 or r > h - 1 or c < 0 or c > w - 1:
                out[i, j] = cval
                continue
            r0, c0 = min(int(np.floor(r)), h - 2), min(int(np.floor(c)), w - 2)
            fr, fc = r - r0, c - c0
            top = img[r0, c0] * (1 - fc) + img[r0, c0 + 1] * fc
            bottom = img[r0 + 1, c0] * (1 - fc) + img[r0 + 1, c0 + 1] * fc
            out[i, j] = top * (1 - fr) + bottom * fr
    return out


def test_resampler_against_per_pixel_reference():
    rng = np.random.RandomState(3)
    for _ in range(20):
        img = rng.rand(7, 9)
        m, off = rng.randn(2, 2), rng.randn(2) * 3
        np.testing.assert_allclose(
            affine_transform_2d(img, m, off, 1, "constant", -2.0),
            _bilinear_reference(img, m, off, -2.0),
            atol=1e-12,
        )


def test_resampler_simple_cases():
    img = np.arange(12.0).reshape(3, 4)
    np.testing.assert_array_equal(affine_transform_2d(img, np.eye(2), [0, 0]), img)
    # a shift by one column: nearest repeats the edge, constant fills, reflect mirrors
    shifted = affine_transform_2d(img, np.eye(2), [0, 1], mode="nearest")
    np.testing.assert_array_equal(shifted, np.concatenate([img[:, 1:], img[:, -1:]], 1))
    shifted = affine_transform_2d(img, np.eye(2), [0, -1], mode="constant", cval=9)
    np.testing.assert_array_equal(shifted, np.concatenate([np.full((3, 1), 9.0), img[:, :-1]], 1))
    shifted = affine_transform_2d(img, np.eye(2), [0, -2], mode="reflect")
    np.testing.assert_array_equal(shifted[:, :2], img[:, [1, 0]])
    # scipy's wrap repeats with period n - 1 (first and last column overlap)
    shifted = affine_transform_2d(img, np.eye(2), [0, 1], mode="wrap")
    np.testing.assert_array_equal(shifted[:, 3], img[:, 1])
    # a 90 degree rotation of a square about its centre is rot90
    sq = np.arange(16.0).reshape(4, 4)
    np.testing.assert_allclose(
        image.apply_affine_transform(sq[..., None], theta=90, row_axis=0, col_axis=1,
                                     channel_axis=2)[..., 0],
        np.rot90(sq), atol=1e-9,  # positive angles turn counter-clockwise, as Keras
    )  # fmt: skip
    u8 = affine_transform_2d(np.array([[0, 255], [10, 20]], np.uint8), np.eye(2) * 0.5, [0, 0])
    assert u8.dtype == np.uint8 and u8[0, 1] == 128  # 127.5 rounds half up, as scipy


def test_resampler_against_scipy_when_installed():
    ndimage = pytest.importorskip("scipy.ndimage")
    rng = np.random.RandomState(0)
    for trial in range(60):
        h, w = rng.randint(1, 10, 2)
        img = (rng.rand(h, w) * 200).astype(np.float32)
        m, off = rng.randn(2, 2) * 1.5, rng.randn(2) * 4
        for order in (0, 1):
            for mode in ("constant", "nearest", "reflect", "wrap"):
                np.testing.assert_allclose(
                    affine_transform_2d(img, m, off, order, mode, 3.0),
                    ndimage.affine_transform(img, m, off, order=order, mode=mode, cval=3.0),
                    rtol=1e-6, atol=1e-4,
                )  # fmt: skip


def test_flow_batches_and_shuffle():
    rng = np.random.RandomState(0)
    x = rng.rand(10, 4, 4, 3).astype("float32")
    y = np.arange(10)
    it = image.ImageDataGenerator(rescale=2.0).flow(x, y, batch_size=4, shuffle=False)
    assert isinstance(it, tf.keras.utils.PyDataset) and len(it) == 3
    bx, by = it[2]
    np.testing.assert_allclose(bx, x[8:] * 2.0, rtol=1e-6)
    np.testing.assert_array_equal(by, y[8:])
    it = image.ImageDataGenerator().flow(x, y, batch_size=5, seed=1)
    seen = np.concatenate([it[0][1], it[1][1]])
    assert sorted(seen) == list(range(10)) and list(seen) != list(range(10))
    first = it[0]
    again = image.ImageDataGenerator().flow(x, y, batch_size=5, seed=1)[0]
    np.testing.assert_array_equal(first[1], again[1])
    with pytest.raises(ValueError, match="retrieve element 2"):
        it[2]


def test_flow_sample_weight_extra_inputs_and_subset():
    x = np.random.RandomState(1).rand(8, 3, 3, 1)
    y = np.array([0, 1] * 4)
    g = image.ImageDataGenerator(validation_split=0.25)
    x_out, y_out, w_out = g.flow(x, y, batch_size=8, shuffle=False, sample_weight=np.arange(8.0))[0]
    np.testing.assert_array_equal(w_out, np.arange(8.0))
    (imgs, extra), _ = g.flow((x, np.arange(8) * 10), y, batch_size=3, shuffle=False)[1]
    np.testing.assert_array_equal(extra, [30, 40, 50])
    val = g.flow(x, y, batch_size=10, shuffle=False, subset="validation")
    train = g.flow(x, y, batch_size=10, shuffle=False, subset="training")
    np.testing.assert_allclose(val[0][0], x[:2], rtol=1e-6)
    np.testing.assert_allclose(train[0][0], x[2:], rtol=1e-6)
    with pytest.raises(ValueError, match="different number of classes"):
        g.flow(x, np.array([0, 0, 1, 1, 1, 1, 1, 1]), subset="validation")
    with pytest.raises(ValueError, match="rank 4"):
        g.flow(x[0])
    with pytest.raises(ValueError, match="same length"):
        g.flow(x, y[:3])


def test_fit_and_standardize():
    rng = np.random.RandomState(2)
    x = rng.rand(6, 5, 5, 3).astype("float32") * 10
    g = image.ImageDataGenerator(featurewise_center=True, featurewise_std_normalization=True)
    g.fit(x)
    mean = x.astype(np.float64).mean(axis=(0, 1, 2))
    std = (x - x.mean(axis=(0, 1, 2))).std(axis=(0, 1, 2))
    np.testing.assert_allclose(g.mean.reshape(-1), mean, rtol=1e-5)
    np.testing.assert_allclose(g.std.reshape(-1), std, rtol=1e-4)
    np.testing.assert_allclose(
        g.standardize(x[0].copy()), (x[0] - mean) / (std + 1e-6), rtol=1e-4, atol=1e-5
    )
    s = image.ImageDataGenerator(
        samplewise_center=True,
        samplewise_std_normalization=True,
        rescale=0.5,
        preprocessing_function=lambda a: a + 1,
    )
    z = x[1] + 1
    z = z * 0.5
    z = (z - z.mean()) / (z.std() + 1e-6)
    np.testing.assert_allclose(s.standardize(x[1].copy()), z, rtol=1e-4, atol=1e-5)
    with pytest.warns(UserWarning, match="hasn't been fit"):
        image.ImageDataGenerator(featurewise_center=True).standardize(x[0].copy())
    with pytest.raises(ValueError, match="rank 4"):
        g.fit(x[0])


def test_flips_channel_shift_and_brightness():
    x = np.arange(24, dtype="float32").reshape(2, 4, 3)
    g = image.ImageDataGenerator()
    np.testing.assert_array_equal(g.apply_transform(x, {"flip_horizontal": True}), x[:, ::-1])
    np.testing.assert_array_equal(g.apply_transform(x, {"flip_vertical": True}), x[::-1])
    np.testing.assert_array_equal(
        g.apply_transform(x, {"channel_shift_intensity": 5.0}), np.clip(x + 5, 0, 23)
    )
    same = image.apply_brightness_shift(x * 10, 1.0, scale=False)
    np.testing.assert_allclose(same, np.floor(x * 10), atol=0)
    brighter = image.apply_brightness_shift(x * 10, 1.5, scale=False)
    np.testing.assert_allclose(brighter, np.minimum(255, np.floor(x * 10 * 1.5 + 0.5)), atol=1)


def test_channels_first():
    x = np.random.RandomState(4).rand(3, 3, 5, 6).astype("float32")
    g = image.ImageDataGenerator(data_format="channels_first", horizontal_flip=True)
    out = g.apply_transform(x[0], {"flip_horizontal": True, "theta": 0})
    np.testing.assert_array_equal(out, x[0][:, :, ::-1])
    assert g.flow(x, batch_size=3)[0].shape == (3, 3, 5, 6)


def test_constructor_errors():
    with pytest.raises(ValueError, match="fill_mode"):
        image.ImageDataGenerator(fill_mode="mirror")
    with pytest.raises(ValueError, match="zoom_range"):
        image.ImageDataGenerator(zoom_range=[1, 2, 3])
    with pytest.raises(ValueError, match="brightness_range"):
        image.ImageDataGenerator(brightness_range=0.5)
    with pytest.raises(ValueError, match="data_format"):
        image.ImageDataGenerator(data_format="nhwc")
    with pytest.raises(ValueError, match="validation_split"):
        image.ImageDataGenerator(validation_split=1.5)
    with pytest.raises(ValueError, match="width_shift_range"):
        image.ImageDataGenerator(width_shift_range="wide")
    with pytest.raises(ValueError, match="interpolation_order"):
        image.ImageDataGenerator(interpolation_order=3)


@pytest.fixture
def image_dir(tmp_path):
    pil = pytest.importorskip("PIL.Image")
    rng = np.random.RandomState(0)
    arrays = {}
    for cls in ("cat", "dog"):
        os.makedirs(tmp_path / cls)
        for i in range(4):
            a = (rng.rand(6, 5, 3) * 255).astype("uint8")
            pil.fromarray(a).save(tmp_path / cls / f"{i}.png")
            arrays[f"{cls}/{i}.png"] = a
        (tmp_path / cls / "readme.txt").write_text("not an image")
    return tmp_path, arrays


def test_flow_from_directory(image_dir):
    root, arrays = image_dir
    g = image.ImageDataGenerator(rescale=1 / 255.0, validation_split=0.25)
    it = g.flow_from_directory(str(root), target_size=(6, 5), batch_size=3, shuffle=False)
    assert it.class_indices == {"cat": 0, "dog": 1} and it.samples == 8 and len(it) == 3
    assert it.filenames[0] == os.path.join("cat", "0.png")
    bx, by = it[0]
    assert bx.shape == (3, 6, 5, 3) and by.shape == (3, 2)
    np.testing.assert_allclose(bx[1], arrays["cat/1.png"] / 255.0, rtol=1e-6)
    np.testing.assert_array_equal(by, [[1, 0], [1, 0], [1, 0]])
    sparse = g.flow_from_directory(
        str(root),
        target_size=(3, 3),
        class_mode="sparse",
        color_mode="grayscale",
        batch_size=8,
        shuffle=False,
    )
    bx, by = sparse[0]
    assert bx.shape == (8, 3, 3, 1)
    np.testing.assert_array_equal(by, [0, 0, 0, 0, 1, 1, 1, 1])
    val = g.flow_from_directory(str(root), target_size=(6, 5), subset="validation", batch_size=8)
    assert val.samples == 2 and sorted(val.filenames) == [
        os.path.join("cat", "0.png"),
        os.path.join("dog", "0.png"),
    ]
    assert g.flow_from_directory(str(root), class_mode=None, batch_size=8)[0].shape == (
        8, 256, 256, 3)  # fmt: skip
    with pytest.raises(ValueError, match="class_mode"):
        g.flow_from_directory(str(root), class_mode="onehot")
    with pytest.raises(FileNotFoundError, match="not a directory"):
        g.flow_from_directory(str(root / "nope"))


def test_flow_from_dataframe_when_pandas(image_dir):
    pd = pytest.importorskip("pandas")
    root, arrays = image_dir
    df = pd.DataFrame({"filename": ["cat/0.png", "dog/1.png", "gone.png"],
                       "class": ["a", "b", "a"], "t": [0.5, 1.5, 2.5]})  # fmt: skip
    with pytest.warns(UserWarning, match="invalid image filename"):
        it = image.ImageDataGenerator().flow_from_dataframe(
            df, directory=str(root), target_size=(6, 5), class_mode="raw", y_col="t",
            shuffle=False,
        )  # fmt: skip
    bx, by = it[0]
    np.testing.assert_array_equal(by, [0.5, 1.5])
    np.testing.assert_allclose(bx[1], arrays["dog/1.png"])


def test_iterators_train_with_fit(image_dir):
    root, _ = image_dir
    model = tf.keras.Sequential([tf.keras.Input((6, 5, 3)), tf.keras.layers.Flatten(),
                                 tf.keras.layers.Dense(2, activation="softmax")])  # fmt: skip
    model.compile("sgd", "categorical_crossentropy")
    g = image.ImageDataGenerator(rescale=1 / 255.0, rotation_range=10, horizontal_flip=True)
    hist = model.fit(g.flow_from_directory(str(root), target_size=(6, 5), batch_size=4, seed=0),
                     epochs=2, verbose=0)  # fmt: skip
    assert len(hist.history["loss"]) == 2 and np.isfinite(hist.history["loss"]).all()
    x = np.random.RandomState(0).rand(6, 6, 5, 3).astype("float32")
    y = np.eye(2)[[0, 1, 0, 1, 0, 1]]
    hist = model.fit(g.flow(x, y, batch_size=4, seed=1), epochs=2, verbose=0)
    assert len(hist.history["loss"]) == 2


def test_random_helpers_shapes_and_seed():
    x = np.random.RandomState(5).rand(3, 6, 7)
    np.random.seed(0)
    a = image.random_rotation(x, 30)
    np.random.seed(0)
    b = image.random_rotation(x, 30)
    np.testing.assert_array_equal(a, b)
    for fn, args in ((image.random_shift, (0.2, 0.2)), (image.random_shear, (20,)),
                     (image.random_zoom, ((0.8, 1.2),)), (image.random_channel_shift, (0.1,)),
                     (image.random_rotation, (10,))):  # fmt: skip
        assert fn(x, *args).shape == x.shape
    with pytest.raises(ValueError, match="zoom_range"):
        image.random_zoom(x, (0.5,))
    with pytest.raises(ValueError, match="rank|multi-channel"):
        image.apply_affine_transform(x[0], theta=10)
