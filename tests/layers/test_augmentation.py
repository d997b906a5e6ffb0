"""Keras 3 image augmentation layers: training vs inference, seeds, what each transform
does (checked on images where the answer is known), the affine sampling against values of
TensorFlow 2.21's ImageProjectiveTransformV3, config round trips, use in fit and
Dataset.map, and errors."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf
from gpuflow.ops.image_transform import affine_transform

layers = gf.keras.layers
X = np.random.default_rng(0).random((4, 6, 7, 3)).astype(np.float32) * 255

ALL = [
    lambda: layers.RandomFlip(seed=1),
    lambda: layers.RandomRotation(0.2, seed=2),
    lambda: layers.RandomZoom(0.3, 0.2, seed=3),
    lambda: layers.RandomTranslation(0.2, (-0.1, 0.3), fill_mode="wrap", seed=4),
    lambda: layers.RandomContrast(0.4, seed=5),
    lambda: layers.RandomBrightness((-0.2, 0.1), seed=6),
    lambda: layers.RandomCrop(4, 5, seed=7),
]


@pytest.mark.parametrize("make", ALL)
def test_identity_at_inference_and_seeded_in_training(make):
    layer = make()
    np.testing.assert_array_equal(layer(X, training=False).numpy(), X)
    a = make()(X).numpy()  # training defaults to True when called directly, as Keras 3
    b = make()(X).numpy()
    np.testing.assert_array_equal(a, b)  # same seed, same draws
    assert not np.array_equal(layer(X).numpy(), layer(X).numpy()) or a.shape != X.shape
    single = make()(X[0]).numpy()
    assert single.ndim == 3


@pytest.mark.parametrize("make", ALL)
def test_config_round_trip(make):
    layer = make()
    config = layer.get_config()
    again = type(layer).from_config(config)
    assert again.get_config() == config
    restored = gf.keras.layers.deserialize(gf.keras.layers.serialize(layer))
    assert type(restored) is type(layer)


def test_flip_modes():
    out = layers.RandomFlip("horizontal", seed=3)(X).numpy()
    for o, x in zip(out, X):
        assert np.array_equal(o, x) or np.array_equal(o, x[:, ::-1])
    both = layers.RandomFlip(seed=3)(X).numpy()
    for o, x in zip(both, X):
        assert np.array_equal(o, x) or np.array_equal(o, x[::-1, ::-1])
    with pytest.raises(ValueError, match="unknown mode"):
        layers.RandomFlip("diagonal")


def test_rotation_by_half_turn_and_translation_by_whole_pixels():
    turn = layers.RandomRotation((0.5, 0.5), interpolation="nearest")
    np.testing.assert_allclose(turn(X).numpy(), X[:, ::-1, ::-1], atol=1e-3)
    shift = layers.RandomTranslation((0.5, 0.5), (0.0, 0.0), fill_mode="constant", fill_value=-1)
    img = np.arange(16.0, dtype=np.float32).reshape(1, 4, 4, 1)
    out = shift(img).numpy()[0, :, :, 0]
    np.testing.assert_array_equal(out[2:], img[0, :2, :, 0])
    np.testing.assert_array_equal(out[:2], -1)


def test_zoom_and_color_layers():
    flat = np.full((2, 5, 5, 1), 7.0, np.float32)
    np.testing.assert_allclose(layers.RandomZoom(0.5, seed=1)(flat).numpy(), 7.0, rtol=1e-6)
    out = layers.RandomBrightness(0.3, value_range=(0, 10), seed=1)(flat).numpy()
    assert np.all(out >= 4.0) and np.all(out <= 10.0)
    assert np.allclose(out, out[:, :1, :1])  # one delta per image
    contrast = layers.RandomContrast((0.5, 0.5), value_range=(0, 255), seed=2)(X).numpy()
    mean = X.mean(axis=(1, 2), keepdims=True)
    factor = (contrast - mean) / (X - mean)
    unclipped = (contrast > 0) & (contrast < 255)
    assert np.all((factor[unclipped] > 0.5 - 1e-3) & (factor[unclipped] < 1.5 + 1e-3))
    with pytest.raises(ValueError, match="factor"):
        layers.RandomContrast(1.5)
    with pytest.raises(ValueError, match="value_range"):
        layers.RandomBrightness(0.1, value_range=(0, 1, 2))
    with pytest.raises(ValueError, match="height_factor"):
        layers.RandomZoom(-1.0)
    with pytest.raises(NotImplementedError, match="fill_mode"):
        layers.RandomRotation(0.1, fill_mode="mirror")
    with pytest.raises(ValueError, match="rank 3"):
        layers.RandomFlip()(np.zeros((2, 3), np.float32))


def test_random_crop_small_images_and_shape():
    crop = layers.RandomCrop(3, 4, seed=1)
    out = crop(X).numpy()
    assert out.shape == (4, 3, 4, 3)
    hits = [
        (i, j)
        for i in range(4)
        for j in range(4)
        if np.array_equal(X[:, i : i + 3, j : j + 4], out)
    ]
    assert len(hits) == 1
    assert layers.RandomCrop(8, 8)(X).shape == (4, 8, 8, 3)  # centre crop and resize
    assert crop.compute_output_shape((None, 6, 7, 3)) == (None, 3, 4, 3)


def test_affine_transform_matches_tensorflow():
    img = np.arange(12.0, dtype=np.float32).reshape(1, 3, 4, 1)
    transform = [1.0, 0.2, -1.5, 0.1, 1.0, 0.5, 0.0, 0.0]
    # tf.raw_ops.ImageProjectiveTransformV3 on img (TensorFlow 2.21), bilinear
    expected = {
        "reflect": [[2.5, 2.4, 3.3, 4.7], [6.3, 6.4, 7.5, 8.9], [8.1, 8.0, 8.9, 9.9]],
        "constant": [[0.0, 1.2, 3.3, 4.7], [0.0, 4.48, 7.5, 8.9], [0.0, 2.88, 2.67, 1.98]],
    }
    for mode, values in expected.items():
        out = affine_transform(img, transform, "bilinear", mode).numpy()[0, :, :, 0]
        np.testing.assert_allclose(out, values, atol=1e-5, err_msg=mode)


def test_gradients_flow_through_the_transform():
    img = gf.Variable(X[:1] / 255.0)
    with gf.GradientTape() as tape:
        loss = gf.reduce_sum(layers.RandomRotation(0.3, seed=1)(img) ** 2)
    assert tape.gradient(loss, img).shape == img.shape


def test_augmentation_redraws_in_compiled_steps_and_in_dataset_map():
    flip = layers.RandomRotation(0.4, seed=1)
    step = gf.function(lambda x: flip(x, training=True))
    assert not np.array_equal(step(X).numpy(), step(X).numpy())
    ds = gf.data.Dataset.from_tensor_slices(X).batch(2)
    ds = ds.map(lambda x: layers.RandomCrop(3, 3, seed=2)(x, training=True))
    assert [tuple(b.shape) for b in ds] == [(2, 3, 3, 3), (2, 3, 3, 3)]


def test_inside_sequential_fit_and_predict():
    gf.keras.utils.set_random_seed(0)
    model = gf.keras.Sequential(
        [
            gf.keras.Input((6, 7, 3)),
            layers.RandomFlip("horizontal", seed=1),
            layers.RandomRotation(0.1, seed=2),
            layers.Flatten(),
            layers.Dense(1),
        ]
    )
    model.compile("sgd", "mse")
    model.fit(X / 255.0, np.ones((4, 1)), epochs=2, verbose=0)
    np.testing.assert_array_equal(
        model.predict(X / 255.0, verbose=0), model.predict(X / 255.0, verbose=0)
    )


def test_random_crop_in_a_functional_graph_takes_the_crop_shape():
    inputs = gf.keras.Input((6, 7, 3))
    cropped = layers.RandomCrop(4, 5, seed=1)(inputs)
    assert tuple(cropped.shape) == (None, 4, 5, 3)  # as Keras 3's symbolic shape
    pooled = layers.GlobalAveragePooling2D()(layers.Conv2D(2, 3)(cropped))
    model = gf.keras.Model(inputs, layers.Dense(1)(pooled))
    model.compile("sgd", "mse")
    model.fit(X / 255.0, np.ones((4, 1)), epochs=1, verbose=0)
    assert model.predict(X / 255.0, verbose=0).shape == (4, 1)  # uncropped at inference


def test_flip_and_crop_take_dict_inputs_with_masks_and_labels():
    masks = np.arange(4 * 6 * 7, dtype=np.float32).reshape(4, 6, 7, 1)
    labels = np.eye(4, dtype=np.float32)
    images = np.concatenate([masks] * 3, axis=-1)  # masks must follow the images exactly
    flipped = layers.RandomFlip(seed=2)(
        {"images": images, "segmentation_masks": masks, "labels": labels}
    )
    np.testing.assert_array_equal(flipped["segmentation_masks"].numpy(), flipped["images"][..., :1])
    np.testing.assert_array_equal(flipped["labels"].numpy(), labels)
    assert not np.array_equal(flipped["images"].numpy(), images)
    cropped = layers.RandomCrop(3, 4, seed=3)({"images": images, "segmentation_masks": masks})
    assert cropped["images"].shape == (4, 3, 4, 3)
    np.testing.assert_array_equal(cropped["segmentation_masks"].numpy(), cropped["images"][..., :1])
    same = layers.RandomCrop(3, 4)({"images": images}, training=False)
    np.testing.assert_array_equal(same["images"].numpy(), images)
