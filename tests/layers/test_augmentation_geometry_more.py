"""Keras 3's RandomShear, RandomPerspective, RandomErasing, RandomGaussianBlur and tf.keras'
RandomHeight / RandomWidth: values against TensorFlow 2.21 where the draw is fixed, the
structure of random outputs, shapes (symbolic too), compiled steps and errors."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf
from gpuflow.ops.image_transform import affine_transform, homography

layers = gf.keras.layers
IMG = np.array(
    [[[10, 200, 30], [40, 50, 250], [0, 0, 0]], [[255, 128, 64], [90, 90, 90], [12, 34, 56]]],
    np.float32,
)[None]
X = np.random.default_rng(0).random((4, 6, 7, 3)).astype(np.float32) * 255

# keras.layers.RandomGaussianBlur(factor=(1, 1), sigma=(0.5, 0.5))(IMG), TensorFlow 2.21
TF_BLUR = [
    [[31.941, 139.81, 45.921], [36.185, 57.113, 166.256], [5.38, 8.062, 26.67]],
    [[166.769, 104.151, 52.532], [81.587, 75.78, 87.095], [15.43, 29.169, 45.063]],
]
# keras.layers.RandomHeight((0.5, 0.5))(IMG[..., :1]), TensorFlow 2.21
TF_HEIGHT = [[[10.0], [40.0], [0.0]], [[132.5], [65.0], [6.0]], [[255.0], [90.0], [12.0]]]


def test_shear_is_one_of_the_two_signed_shears():
    out = layers.RandomShear(x_factor=(0.3, 0.3), seed=1)(X).numpy()
    plus = affine_transform(X, [1.0, 0.3, 0, 0, 1, 0, 0, 0], "bilinear", "reflect").numpy()
    minus = affine_transform(X, [1.0, -0.3, 0, 0, 1, 0, 0, 0], "bilinear", "reflect").numpy()
    signs = [
        np.allclose(o, p, atol=1e-3) or np.allclose(o, m, atol=1e-3)
        for o, p, m in zip(out, plus, minus)
    ]
    assert all(signs)
    np.testing.assert_array_equal(layers.RandomShear()(X).numpy(), X)  # zero factors


def test_perspective_homography_and_identity():
    start = np.array([[[0.0, 0.0], [6.0, 0.0], [0.0, 5.0], [6.0, 5.0]]])
    end = start + np.array([[[0, 0], [1.0, 0.5], [-0.5, 1.0], [0.5, -0.5]]])
    h = homography(start, end)[0]
    for (sx, sy), (ex, ey) in zip(start[0], end[0]):
        k = h[6] * ex + h[7] * ey + 1
        np.testing.assert_allclose(
            [(h[0] * ex + h[1] * ey + h[2]) / k, (h[3] * ex + h[4] * ey + h[5]) / k],
            [sx, sy],
            atol=1e-9,
        )
    np.testing.assert_allclose(layers.RandomPerspective(scale=0.0)(X).numpy(), X, atol=1e-3)
    out = layers.RandomPerspective(factor=(1.0, 1.0), seed=2)(X).numpy()
    np.testing.assert_allclose(out[:, 0, 0], X[:, 0, 0], atol=1e-3)  # that corner stays
    assert not np.allclose(out, X)
    np.testing.assert_array_equal(layers.RandomPerspective(factor=0.0)(X).numpy(), X)


def test_erasing_boxes_and_fill_values():
    full = layers.RandomErasing(factor=(1.0, 1.0), scale=(1.0, 1.0), fill_value=7.0)(X).numpy()
    np.testing.assert_array_equal(full, 7.0)
    per_channel = layers.RandomErasing((1.0, 1.0), (1.0, 1.0), fill_value=[1, 300, -4])(X)
    np.testing.assert_array_equal(per_channel.numpy()[0, 0, 0], [1, 255, 0])  # clipped
    out = layers.RandomErasing(factor=(1.0, 1.0), fill_value=-1.0, value_range=(-1, 255), seed=3)
    out = out(X).numpy()
    for o, x in zip(out, X):
        erased = np.all(o == -1.0, axis=-1)
        assert erased.any() and np.array_equal(o[~erased], x[~erased])
        rows, cols = np.nonzero(erased)  # one axis-aligned box
        assert erased[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1].all()
    noise = layers.RandomErasing(factor=(1.0, 1.0), seed=4)(X).numpy()
    assert noise.min() >= 0 and noise.max() <= 255
    np.testing.assert_array_equal(layers.RandomErasing(factor=0.0)(X).numpy(), X)


def test_gaussian_blur_matches_tensorflow():
    out = layers.RandomGaussianBlur(factor=(1.0, 1.0), sigma=(0.5, 0.5))(IMG).numpy()
    np.testing.assert_allclose(out[0], TF_BLUR, atol=2e-3)
    np.testing.assert_array_equal(layers.RandomGaussianBlur(factor=0.0)(X).numpy(), X)


def test_random_height_and_width():
    np.testing.assert_allclose(layers.RandomHeight((0.5, 0.5))(IMG[..., :1]).numpy()[0], TF_HEIGHT)
    width = layers.RandomWidth((-0.5, -0.5), interpolation="nearest")(X)
    assert width.shape == (4, 6, 3, 3)
    heights = {layers.RandomHeight(0.4, seed=1)(X).shape[1] for _ in range(5)}
    heights |= {layers.RandomHeight(0.4)(X).shape[1] for _ in range(20)}
    assert len(heights) > 1 and all(3 <= h <= 8 for h in heights)
    inputs = gf.keras.Input((6, 7, 3))
    assert tuple(layers.RandomHeight(0.2)(inputs).shape) == (None, None, 7, 3)
    assert tuple(layers.RandomWidth(0.2)(inputs).shape) == (None, 6, None, 3)
    np.testing.assert_array_equal(layers.RandomWidth(0.3)(X, training=False).numpy(), X)
    step = gf.function(lambda x: layers.RandomHeight(0.3, seed=5)(x, training=True))
    with pytest.warns(RuntimeWarning, match="RandomHeight.*drawn at random"):
        assert step(X).shape[2:] == (7, 3)  # the compiled function runs it eagerly


GEOMETRY = [
    lambda: layers.RandomShear(0.2, 0.3, seed=1),
    lambda: layers.RandomPerspective(0.5, 0.3, seed=1),
    lambda: layers.RandomErasing(seed=1),
    lambda: layers.RandomGaussianBlur(kernel_size=(5, 3), seed=1),
    lambda: layers.RandomHeight((0.2, 0.5), seed=1),
    lambda: layers.RandomWidth(0.3, interpolation="nearest", seed=1),
]


@pytest.mark.parametrize("make", GEOMETRY)
def test_inference_seeds_single_images_and_config(make):
    layer = make()
    np.testing.assert_array_equal(layer(X, training=False).numpy(), X)
    np.testing.assert_array_equal(make()(X).numpy(), make()(X).numpy())
    assert make()(X[0]).ndim == 3
    config = layer.get_config()
    assert type(layer).from_config(config).get_config() == config
    assert type(layers.deserialize(layers.serialize(layer))) is type(layer)


def test_argument_errors():
    with pytest.raises(ValueError, match=r"RandomShear.*\[0, 1.0\]"):
        layers.RandomShear(1.5)
    with pytest.raises(NotImplementedError, match="fill_mode"):
        layers.RandomShear(0.2, fill_mode="mirror")
    with pytest.raises(ValueError, match="scale"):
        layers.RandomPerspective(scale=2.0)
    with pytest.raises(ValueError, match="fill_value"):
        layers.RandomErasing(fill_value=[1, 2])
    with pytest.raises(ValueError, match="odd number"):
        layers.RandomGaussianBlur(kernel_size=(3, 4))
    with pytest.raises(ValueError, match="sigma"):
        layers.RandomGaussianBlur(sigma=2.0)
    with pytest.raises(ValueError, match="upper bound"):
        layers.RandomHeight((0.5, 0.1))
    with pytest.raises(ValueError, match="larger than -1"):
        layers.RandomWidth((-1.5, 0.1))


def test_elastic_transform_displaces_along_one_smooth_field():
    h, w = 40, 30
    cols = np.tile(np.arange(w, dtype=np.float32)[None, :, None], (h, 1, 1))
    rows = np.tile(np.arange(h, dtype=np.float32)[:, None, None], (1, w, 1))
    grid = np.concatenate([cols, rows], -1)[None].repeat(3, 0)
    layer = layers.RandomElasticTransform(
        factor=(1.0, 1.0), scale=(1.0, 1.0), fill_mode="nearest", value_range=(-99, 99), seed=1
    )
    shift = (layer(grid).numpy() - grid)[:, 8:-8, 8:-8]
    # as Keras 3: the x and y displacements are one field; it is smooth and not zero
    np.testing.assert_allclose(shift[..., 0], shift[..., 1], atol=1e-3)
    assert shift[..., 0].std() > 0.3
    assert np.abs(np.diff(shift[..., 0], axis=1)).mean() < 0.5 * shift[..., 0].std()
    np.testing.assert_array_equal(layers.RandomElasticTransform(scale=0.0)(X).numpy(), X)
    np.testing.assert_array_equal(layers.RandomElasticTransform(factor=0.0)(X).numpy(), X)
    flat = np.full((1, 12, 12, 1), 50.0, np.float32)
    np.testing.assert_allclose(layers.RandomElasticTransform(seed=2)(flat).numpy(), 50.0)
    constant = layers.RandomElasticTransform(
        (1.0, 1.0), (1.0, 1.0), fill_mode="constant", fill_value=-5.0, value_range=(-5, 255)
    )
    assert constant(np.zeros((2, 40, 40, 1), np.float32)).numpy().min() < 0  # fill shows
    with pytest.raises(NotImplementedError, match="fill_mode"):
        layers.RandomElasticTransform(fill_mode="edge")
    with pytest.raises(ValueError, match="scale"):
        layers.RandomElasticTransform(scale=1.5)
    step = gf.function(
        lambda x, layer=layers.RandomElasticTransform(seed=4): layer(x, training=True)
    )
    assert not np.allclose(step(X).numpy(), step(X).numpy())
    config = layer.get_config()
    assert layers.RandomElasticTransform.from_config(config).get_config() == config
