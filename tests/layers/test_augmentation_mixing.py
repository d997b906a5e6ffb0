"""Keras 3's MixUp, CutMix, RandAugment and AugMix, and the ``{"images", "labels"}`` dict
inputs of the augmentation layers: how images and labels are mixed (recovered from one-hot
labels), compiled steps against eager runs, Dataset.map, fit, config and errors."""

from __future__ import annotations

import random
import warnings

import numpy as np
import pytest

import gpuflow as gf

layers = gf.keras.layers
X = np.random.default_rng(0).random((6, 8, 9, 3)).astype(np.float32) * 255
LABELS = np.eye(6, dtype=np.float32)  # example i has label e_i: its mix shows in its row


def partners(mixed_labels):
    """(own weight, partner index) of each example from its mixed one-hot row."""
    out = []
    for i, row in enumerate(mixed_labels):
        others = np.delete(np.arange(len(row)), i)
        j = others[np.argmax(row[others])]
        out.append((row[i], j if row[j] > 0 else i))
    return out


def test_mixup_mixes_images_and_labels_with_one_weight():
    data = layers.MixUp(alpha=0.8, seed=3)({"images": X, "labels": LABELS})
    images, labels = data["images"].numpy(), data["labels"].numpy()
    np.testing.assert_allclose(labels.sum(-1), 1.0, rtol=1e-6)
    mixed = 0
    for i, (w, j) in enumerate(partners(labels)):
        np.testing.assert_allclose(images[i], w * X[i] + (1 - w) * X[j], rtol=1e-4, atol=1e-3)
        mixed += j != i and 0.01 < w < 0.99
    assert mixed >= 2
    assert sorted(j for _, j in partners(labels)) == list(range(6))  # a permutation


def test_cutmix_pastes_a_box_and_weights_labels_by_its_area():
    data = layers.CutMix(seed=5)({"images": X, "labels": LABELS})
    images, labels = data["images"].numpy(), data["labels"].numpy()
    np.testing.assert_allclose(labels.sum(-1), 1.0, rtol=1e-6)
    for i, (w, j) in enumerate(partners(labels)):
        pasted = np.all(images[i] == X[j], axis=-1) & ~np.all(images[i] == X[i], axis=-1)
        assert np.all(np.all(images[i] == X[i], -1) | np.all(images[i] == X[j], -1))
        if j != i:  # the box's pixel share is close to Keras' continuous area 1 - w
            assert abs(pasted.mean() - (1 - w)) <= 0.25
    single = layers.CutMix(seed=1)(X[0])  # one image: nothing to mix with
    np.testing.assert_array_equal(single.numpy(), X[0])


def test_mixing_in_dataset_map_and_at_inference():
    ds = gf.data.Dataset.from_tensor_slices((X, LABELS)).batch(3)
    mix = layers.MixUp(seed=1)
    ds = ds.map(lambda x, y: mix({"images": x, "labels": y}, training=True))
    ds = ds.map(lambda d: (d["images"], d["labels"]))
    for images, labels in ds:
        assert images.shape == (3, 8, 9, 3)
        np.testing.assert_allclose(labels.numpy().sum(-1), 1.0, rtol=1e-6)
    same = layers.CutMix(seed=1)({"images": X, "labels": LABELS}, training=False)
    np.testing.assert_array_equal(same["images"].numpy(), X)
    np.testing.assert_array_equal(same["labels"].numpy(), LABELS)
    with pytest.raises(NotImplementedError, match="bounding_boxes"):
        layers.MixUp()({"images": X, "bounding_boxes": {"boxes": X[:, :1, :4, 0]}})


def test_colour_layers_leave_dict_labels_alone():
    data = layers.RandomInvert(seed=1)({"images": X, "labels": LABELS})
    np.testing.assert_array_equal(data["labels"].numpy(), LABELS)
    masks = np.zeros((6, 8, 9, 1), np.float32)
    masks[:, :4] = 1.0
    turned = layers.RandomRotation((0.5, 0.5), seed=1)({"images": X, "segmentation_masks": masks})
    np.testing.assert_allclose(turned["segmentation_masks"].numpy(), masks[:, ::-1, ::-1])


@pytest.mark.parametrize("make", [lambda: layers.RandAugment(num_ops=3, seed=7)])
def test_rand_augment_compiled_step_matches_the_eager_choice(make):
    # the compiled step blends every candidate with where(); eager runs only the chosen
    eager = make()(X).numpy()
    compiled = gf.function(lambda x, layer=make(): layer(x, training=True))
    np.testing.assert_allclose(compiled(X).numpy(), eager, rtol=1e-4, atol=1e-2)
    out = layers.RandAugment(value_range=(0, 1), seed=2)(X / 255.0).numpy()
    assert out.shape == X.shape and np.isfinite(out).all()
    zero = layers.RandAugment(num_ops=0)(X).numpy()
    np.testing.assert_array_equal(zero, X)


def test_aug_mix_stays_in_range_and_uses_python_random():
    random.seed(0)
    a = layers.AugMix(seed=3)(X).numpy()
    random.seed(0)
    b = layers.AugMix(seed=3)(X).numpy()
    np.testing.assert_array_equal(a, b)
    assert a.min() >= 0 and a.max() <= 255 and not np.allclose(a, X)
    small = layers.AugMix(value_range=(0, 1), all_ops=False, num_chains=2, seed=1)
    assert not hasattr(small, "random_sharpness") and hasattr(small, "equalization")
    out = small(X / 255.0).numpy()
    assert out.min() >= 0 and out.max() <= 1


def test_policies_train_in_a_model():
    gf.keras.utils.set_random_seed(0)
    model = gf.keras.Sequential(
        [
            gf.keras.Input((8, 9, 3)),
            layers.RandAugment(seed=1),
            layers.AugMix(num_chains=2, chain_depth=2, seed=2),
            layers.Rescaling(1 / 255.0),
            layers.GlobalAveragePooling2D(),
            layers.Dense(6),
        ]
    )
    model.compile("sgd", "mse")
    model.fit(X, LABELS, epochs=2, batch_size=3, verbose=0)
    np.testing.assert_array_equal(model.predict(X, verbose=0), model.predict(X, verbose=0))


MAKERS = [
    lambda: layers.MixUp(alpha=0.4, seed=1),
    lambda: layers.CutMix(0.5, seed=1),
    lambda: layers.RandAugment(num_ops=1, factor=0.3, seed=1),
    lambda: layers.AugMix(num_chains=2, chain_depth=1, all_ops=False, seed=1),
]


@pytest.mark.parametrize("make", MAKERS)
def test_config_round_trip(make):
    layer = make()
    config = layer.get_config()
    assert type(layer).from_config(config).get_config() == config
    assert type(layers.deserialize(layers.serialize(layer))) is type(layer)
    np.testing.assert_array_equal(layer(X, training=False).numpy(), X)


def test_argument_errors():
    with pytest.raises(ValueError, match=r"CutMix.*\[0, 1\]"):
        layers.CutMix(2.0)
    with pytest.raises(ValueError, match="alpha"):
        layers.MixUp(alpha=0.0)
    with pytest.raises(ValueError, match=r"RandAugment.*factor"):
        layers.RandAugment(factor=2.0)
    with pytest.raises(ValueError, match="num_chains"):
        layers.AugMix(num_chains=0)


def test_bounding_box_format_is_accepted_and_boxes_are_refused_clearly():
    flip = layers.RandomFlip(bounding_box_format="xyxy", seed=1)
    config = flip.get_config()
    assert config["bounding_box_format"] == "xyxy"
    assert layers.RandomFlip.from_config(config).bounding_box_format == "xyxy"
    assert "bounding_box_format" not in layers.RandomFlip().get_config()  # as Keras 3
    boxes = {"boxes": np.zeros((6, 1, 4), np.float32), "labels": np.zeros((6, 1), np.float32)}
    with pytest.raises(NotImplementedError, match="RandomFlip.*bounding_boxes"):
        flip({"images": X, "bounding_boxes": boxes})


def test_rand_augment_compiles_in_training_steps():
    # input batches: a cond chain under no_grad (fit compiles, no eager fallback)
    model = gf.keras.Sequential(
        [gf.keras.Input((8, 9, 3)), layers.RandAugment(seed=1), layers.Flatten(), layers.Dense(2)]
    )
    model.compile("sgd", "mse")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "the train step runs eagerly" would be a warning
        model.fit(X, np.zeros((6, 2)), epochs=1, batch_size=3, verbose=0)
    # images that carry gradients: every candidate is blended, gradients reach the variable
    layer, scale = layers.RandAugment(num_ops=2, seed=3), gf.Variable(np.ones((1, 1, 1, 3), "f"))

    @gf.function
    def step(x):
        with gf.GradientTape() as tape:
            loss = gf.reduce_sum(layer(x * scale, training=True))
        return tape.gradient(loss, scale)

    assert step(X).shape == (1, 1, 1, 3)
