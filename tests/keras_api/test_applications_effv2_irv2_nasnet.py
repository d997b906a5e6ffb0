"""keras.applications EfficientNetV2, InceptionResNetV2 and NASNet: architectures identical
to Keras' (names, order, weight shapes and parameter counts recorded from tf.keras 3.15 in
/work/tfvenv with weights=None), a forward pass, preprocess_input and the errors.

The default-size models (EfficientNetV2B0-B3/S/M/L, InceptionResNetV2, NASNetMobile/Large)
were compared by hand with tf.keras (all facts below equal, e.g. count_params 119027848 for
EfficientNetV2L and 88949818 for NASNetLarge); they are too slow to build here."""

from __future__ import annotations

import numpy as np
import pytest
from application_facts import check_architecture

import gpuflow as gf

A = gf.keras.applications

# (function, kwargs, model name, count_params(), output shape without batch, len(layers),
#  sha1 prefix of json([layer names, per-layer weight shapes]) without the input layer):
# all recorded from real tf.keras (Keras 3.15.1) with weights=None.
KERAS_FACTS = [
    (
        "EfficientNetV2B0",
        dict(include_top=False, input_shape=(64, 64, 3)),
        "efficientnetv2-b0",
        5919312,
        [2, 2, 1280],
        270,
        "2445970b5c470f65",
    ),
    (
        "EfficientNetV2B1",
        dict(
            include_top=False, input_shape=(64, 64, 3), pooling="avg", include_preprocessing=False
        ),
        "efficientnetv2-b1",
        6931124,
        [1280],
        333,
        "5eb4f07f1074b771",
    ),
    (
        "NASNetMobile",
        dict(include_top=False, input_shape=(96, 96, 3)),
        "nasnet_mobile",
        4269716,
        [3, 3, 1056],
        769,
        "d118984f82ffe21b",
    ),
    (
        "InceptionResNetV2",
        dict(include_top=False, input_shape=(75, 75, 3)),
        "inception_resnet_v2",
        54336736,
        [1, 1, 1536],
        780,
        "39afff6817fa99ac",
    ),
]


@pytest.mark.parametrize("fn,kwargs,name,params,out,n_layers,digest", KERAS_FACTS)
def test_architecture_matches_keras(fn, kwargs, name, params, out, n_layers, digest):
    check_architecture(fn, kwargs, name, params, out, n_layers, digest)


def test_exports_and_shared_helpers():
    assert A.EfficientNetV2S is A.efficientnet_v2.EfficientNetV2S
    assert A.InceptionResNetV2 is A.inception_resnet_v2.InceptionResNetV2
    assert A.NASNetMobile is A.nasnet.NASNetMobile and A.NASNetLarge is A.nasnet.NASNetLarge
    for module in (A.efficientnet_v2, A.inception_resnet_v2, A.nasnet):
        assert callable(module.preprocess_input) and callable(module.decode_predictions)


def test_preprocess_input_matches_keras():
    x = np.random.default_rng(0).uniform(0, 255, (2, 4, 5, 3)).astype("float32")
    # tf.keras.applications.inception_resnet_v2.preprocess_input(x)[0, 0, :2]
    keras_values = [
        [0.273923397064209, -0.4604266285896301, -0.9180529713630676],
        [-0.9669447541236877, 0.6265404224395752, 0.82551109790802],
    ]
    for module in (A.inception_resnet_v2, A.nasnet):
        got = module.preprocess_input(x.copy())
        np.testing.assert_allclose(got[0, 0, :2], keras_values, rtol=1e-6)
        np.testing.assert_allclose(got, x / 127.5 - 1.0, rtol=1e-5, atol=1e-6)
    assert A.efficientnet_v2.preprocess_input(x) is x  # the models rescale themselves


def test_include_preprocessing_layers():
    # Keras: Bx variants with 3 channels rescale to [0, 1] and normalize with ImageNet's
    # mean / variance (no weights); otherwise one Rescaling to [-1, 1].
    b0 = A.EfficientNetV2B0(weights=None, include_top=False, input_shape=(32, 32, 3))
    kinds = [type(layer).__name__ for layer in b0.layers[1:4]]
    assert kinds == ["Rescaling", "Normalization", "Conv2D"]
    assert not b0.layers[2].weights
    gray = A.EfficientNetV2B0(weights=None, include_top=False, input_shape=(32, 32, 1))
    assert [type(layer).__name__ for layer in gray.layers[1:3]] == ["Rescaling", "Conv2D"]
    assert gray.count_params() == 5918736  # tf.keras
    x = np.full((1, 32, 32, 1), 64.0, "float32")
    np.testing.assert_allclose(gf.keras.Model(gray.input, gray.layers[1].output)(x), -0.5)
    bare = A.EfficientNetV2B0(
        weights=None, include_top=False, input_shape=(32, 32, 3), include_preprocessing=False
    )
    assert type(bare.layers[1]).__name__ == "Conv2D"


def test_forward_passes_are_finite():
    rng = np.random.default_rng(1)
    model = A.EfficientNetV2B0(weights=None, input_shape=(64, 64, 3), classes=5)
    probs = np.asarray(model.predict(rng.uniform(0, 255, (2, 64, 64, 3)), verbose=0))
    assert probs.shape == (2, 5) and np.isfinite(probs).all()
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)
    nas = A.NASNetMobile(weights=None, include_top=False, input_shape=(96, 96, 3), pooling="max")
    feats = np.asarray(nas.predict(rng.uniform(-1, 1, (1, 96, 96, 3)), verbose=0))
    assert feats.shape == (1, 1056) and np.isfinite(feats).all()
    irv2 = A.InceptionResNetV2(weights=None, include_top=False, input_shape=(75, 75, 3))
    feats = np.asarray(irv2.predict(rng.uniform(-1, 1, (1, 75, 75, 3)), verbose=0))
    assert feats.shape == (1, 1, 1, 1536) and np.isfinite(feats).all() and (feats >= 0).all()


def test_efficientnetv2_fine_tunes_a_head():
    base = A.EfficientNetV2B0(
        weights=None, include_top=False, input_shape=(32, 32, 3), pooling="avg"
    )
    model = gf.keras.Sequential([base, gf.keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    x = np.random.default_rng(2).uniform(0, 255, (4, 32, 32, 3)).astype("float32")
    before = [np.array(w) for w in base.get_layer("block1a_project_conv").get_weights()]
    history = model.fit(x, np.arange(4) % 2, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    after = base.get_layer("block1a_project_conv").get_weights()
    assert not np.allclose(before[0], after[0])  # gradients reach the fused stem blocks


def test_custom_scale_layer():
    layer = A.inception_resnet_v2.CustomScaleLayer(0.5)
    assert layer.name.startswith("custom_scale_layer")
    out = layer([np.ones((1, 2), "float32"), np.full((1, 2), 2.0, "float32")])
    np.testing.assert_allclose(out, [[2.0, 2.0]])
    assert layer.get_config()["scale"] == 0.5
    again = A.inception_resnet_v2.CustomScaleLayer.from_config(layer.get_config())
    assert again.scale == 0.5


def test_nasnet_mobile_default_notop_shape():
    model = A.NASNetMobile(weights=None, include_top=False)  # Keras: input 224x224
    assert list(model.output.shape)[1:] == [7, 7, 1056]
    assert model.count_params() == 4269716  # tf.keras


def test_errors_name_the_model():
    with pytest.raises(ValueError, match="NASNet.*penultimate_filters"):
        A.nasnet.NASNet(
            input_shape=(64, 64, 3), penultimate_filters=100, weights=None, include_top=False
        )
    with pytest.raises(ValueError, match="NASNet.*static"):
        A.NASNetMobile(input_shape=(None, None, 3), include_top=False)
    with pytest.raises(ValueError, match="InceptionResNetV2.*classes"):
        A.InceptionResNetV2(weights="imagenet", classes=10)
    with pytest.raises(ValueError, match="EfficientNetV2B0.*weights"):
        A.EfficientNetV2B0(weights="no/such/file.h5")
    with pytest.raises(ValueError, match="EfficientNetV2S.*pooling"):
        A.EfficientNetV2S(weights=None, include_top=False, pooling="sum")
    with pytest.raises(ValueError, match="block35.*block7"):
        x = gf.keras.Input((8, 8, 4))
        A.inception_resnet_v2.inception_resnet_block(x, 0.1, "block7", 1)
    with pytest.raises(ValueError, match="EfficientNetV2.*blocks_args"):
        A.efficientnet_v2.EfficientNetV2(1.0, 1.0, 224, name="mine", weights=None)
