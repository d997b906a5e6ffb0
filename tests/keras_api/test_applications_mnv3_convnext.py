"""keras.applications MobileNetV3Small/Large and ConvNeXtTiny..XLarge: architectures identical
to Keras' (names, order, weight shapes and parameter counts recorded from tf.keras 3.15 in
/work/tfvenv), a forward pass, preprocess_input, LayerScale / StochasticDepth, and errors.

ConvNeXtSmall/Base/Large/XLarge take 5-15 s each to build here, so they are not built in
these tests; their count_params() were checked by hand against tf.keras (50223688,
88591464, 197767336, 350196968)."""

from __future__ import annotations

import numpy as np
import pytest
from application_facts import check_architecture

import gpuflow as gf
from gpuflow.applications import imagenet_utils

A = gf.keras.applications

# (function, kwargs, model name, count_params(), output shape without batch, len(layers),
#  sha1 prefix of json([layer names, per-layer weight shapes]) without the input layer):
# all recorded from real tf.keras (Keras 3.15.1) with weights=None.
KERAS_FACTS = [
    (
        "MobileNetV3Small",
        dict(alpha=0.75, input_shape=(96, 96, 3)),
        "MobileNetV3Small",
        2051552,
        [1000],
        164,
        "45382b8a43299628",
    ),
    (
        "MobileNetV3Small",
        dict(minimalistic=True, include_top=False, input_shape=(64, 64, 3), pooling="avg"),
        "MobileNetV3Small",
        441000,
        [576],
        104,
        "527e3ab4c29ef275",
    ),
    (
        "MobileNetV3Large",
        dict(include_top=False, input_shape=(64, 64, 3), pooling="max"),
        "MobileNetV3Large",
        2996352,
        [960],
        188,
        "d7cc29059a992a26",
    ),
    (
        "MobileNetV3Large",
        dict(
            alpha=1.25,
            input_shape=(64, 64, 3),
            classes=10,
            include_preprocessing=False,
            dropout_rate=0.0,
        ),
        "MobileNetV3Large",
        6701770,
        [10],
        191,
        "11c6595c31e0f2ab",
    ),
    (
        "ConvNeXtTiny",
        dict(include_top=False, input_shape=(64, 64, 3)),
        "convnext_tiny",
        27820128,
        [2, 2, 768],
        133,
        "4e9960efbf2be0e6",
    ),
    (
        "ConvNeXtTiny",
        dict(input_shape=(32, 32, 3), classes=7, include_preprocessing=False),
        "convnext_tiny",
        27825511,
        [7],
        134,
        "126fa9b9f3742a35",
    ),
    (
        "ConvNeXtTiny",
        dict(include_top=False, input_shape=(32, 32, 3), pooling="avg"),
        "convnext_tiny",
        27820128,
        [768],
        134,
        "3546964985344158",
    ),
]


@pytest.mark.parametrize("fn,kwargs,name,params,out,n_layers,digest", KERAS_FACTS)
def test_architecture_matches_keras(fn, kwargs, name, params, out, n_layers, digest):
    check_architecture(fn, kwargs, name, params, out, n_layers, digest)


@pytest.mark.parametrize(
    "fn,params",
    # Keras' default models' count_params() (Keras 3.15.1, weights=None); the count does
    # not depend on the input size, so 32x32 builds them faster
    [("MobileNetV3Small", 2554968), ("MobileNetV3Large", 5507432), ("ConvNeXtTiny", 28589128)],
)
def test_default_models_params_from_keras(fn, params):
    assert getattr(A, fn)(weights=None, input_shape=(32, 32, 3)).count_params() == params


def test_exports_and_modules():
    assert A.MobileNetV3Small is A.mobilenet_v3.MobileNetV3Small
    assert A.ConvNeXtXLarge is A.convnext.ConvNeXtXLarge
    assert gf.keras.applications.convnext.ConvNeXtTiny is A.ConvNeXtTiny
    for module in (A.mobilenet_v3, A.convnext):
        assert callable(module.preprocess_input) and callable(module.decode_predictions)


def test_mobilenet_v3_forward_pass():
    model = A.MobileNetV3Small(weights=None, alpha=0.75, input_shape=(96, 96, 3), classes=5)
    x = np.random.default_rng(0).uniform(0, 255, (2, 96, 96, 3)).astype("float32")
    y = model.predict(x, verbose=0)
    assert y.shape == (2, 5)
    assert np.all(np.isfinite(y))
    np.testing.assert_allclose(y.sum(axis=1), 1.0, rtol=1e-5)  # softmax top
    assert model.get_layer("predictions").activation is gf.keras.activations.get("softmax")


def test_convnext_forward_pass():
    model = A.ConvNeXtTiny(weights=None, include_top=False, input_shape=(64, 64, 3))
    x = np.random.default_rng(1).uniform(0, 255, (2, 64, 64, 3)).astype("float32")
    y = model.predict(x, verbose=0)
    assert y.shape == (2, 2, 2, 768)
    assert np.all(np.isfinite(y))
    # the features end with a LayerNormalization (gamma 1, beta 0 at initialization)
    np.testing.assert_allclose(y.mean(axis=-1), 0.0, atol=1e-4)
    np.testing.assert_allclose(y.std(axis=-1), 1.0, rtol=1e-2)


def test_preprocess_input_passes_through_as_keras():
    # Keras' mobilenet_v3 / convnext preprocess_input return their argument itself
    x = np.random.default_rng(2).uniform(0, 255, (2, 4, 5, 3)).astype("float32")
    before = x.copy()
    for module in (A.mobilenet_v3, A.convnext):
        assert module.preprocess_input(x) is x
        assert module.preprocess_input(x, data_format="channels_last") is x
    np.testing.assert_array_equal(x, before)
    tensor = gf.constant(x)
    assert A.convnext.preprocess_input(tensor) is tensor


def test_models_preprocess_their_inputs():
    # MobileNetV3 rescales [0, 255] to [-1, 1]; ConvNeXt normalizes with ImageNet's statistics
    mnv3 = A.MobileNetV3Small(weights=None, input_shape=(32, 32, 3), include_top=False)
    rescale = mnv3.layers[1]
    assert isinstance(rescale, gf.keras.layers.Rescaling)
    np.testing.assert_allclose(
        rescale(np.array([[[[0.0, 127.5, 255.0]]]], "float32")).numpy(), [[[[-1.0, 0.0, 1.0]]]]
    )
    convnext = A.ConvNeXtTiny(weights=None, input_shape=(32, 32, 3), include_top=False)
    norm = convnext.get_layer("convnext_tiny_prestem_normalization")
    pixel = np.array([[[[0.485 * 255, 0.456 * 255, 0.406 * 255]]]], "float32")
    np.testing.assert_allclose(norm(pixel).numpy(), 0.0, atol=1e-5)
    plain = A.MobileNetV3Small(
        weights=None, input_shape=(32, 32, 3), include_top=False, include_preprocessing=False
    )
    assert not any(isinstance(layer, gf.keras.layers.Rescaling) for layer in plain.layers)


def test_input_tensor():
    inputs = gf.keras.Input((48, 48, 3))
    model = A.MobileNetV3Large(weights=None, input_tensor=inputs, include_top=False, pooling="avg")
    assert model.inputs[0] is inputs and tuple(model.output.shape) == (None, 960)
    feats = A.ConvNeXtTiny(weights=None, input_tensor=inputs, include_top=False, pooling="max")
    assert feats.inputs[0] is inputs and tuple(feats.output.shape) == (None, 768)


# -- LayerScale and StochasticDepth -----------------------------------------------------------
def test_layer_scale():
    layer = A.convnext.LayerScale(0.5, 3, name="scale")
    x = np.arange(6, dtype="float32").reshape(2, 3)
    np.testing.assert_allclose(layer(x).numpy(), x * 0.5)
    assert [tuple(w.shape) for w in layer.trainable_weights] == [(3,)]
    config = layer.get_config()
    assert config["init_values"] == 0.5 and config["projection_dim"] == 3
    again = A.convnext.LayerScale.from_config(config)
    assert again.projection_dim == 3 and again.name == "scale"
    with pytest.raises(ValueError, match="LayerScale.*4 features"):
        A.convnext.LayerScale(1e-6, 4)(x)


def test_stochastic_depth_drops_whole_samples_in_training():
    layer = A.convnext.StochasticDepth(0.5)
    x = np.ones((64, 2, 2, 3), "float32")
    np.testing.assert_array_equal(layer(x).numpy(), x)  # inference: the identity
    y = layer(x, training=True).numpy()
    per_sample = y.reshape(64, -1)
    kept = np.all(per_sample == 2.0, axis=1)  # kept samples scaled by 1 / (1 - rate)
    dropped = np.all(per_sample == 0.0, axis=1)
    assert np.all(kept | dropped)
    assert 10 < kept.sum() < 54
    np.testing.assert_array_equal(A.convnext.StochasticDepth(0.0)(x, training=True).numpy(), x)
    assert A.convnext.StochasticDepth(0.25).get_config()["drop_path_rate"] == 0.25
    with pytest.raises(ValueError, match="StochasticDepth.*drop_path_rate"):
        A.convnext.StochasticDepth(1.5)


def test_convnext_block_with_stochastic_depth():
    inputs = gf.keras.Input((8, 8, 16))
    outputs = A.convnext.ConvNeXtBlock(16, drop_path_rate=0.3, name="blk")(inputs)
    model = gf.keras.Model(inputs, outputs)
    assert isinstance(model.get_layer("blk_stochastic_depth"), A.convnext.StochasticDepth)
    assert tuple(model.get_layer("blk_depthwise_conv").kernel.shape) == (7, 7, 1, 16)
    x = np.random.default_rng(3).normal(size=(2, 8, 8, 16)).astype("float32")
    assert model(x).shape == (2, 8, 8, 16)


# -- ImageNet weights and argument errors, as Keras ----------------------------------------
def _offline(monkeypatch, tmp_path):
    from gpuflow.datasets import _fetch

    def fail(*args, **kwargs):
        raise _fetch.DownloadError("no network")

    monkeypatch.setattr(_fetch, "fetch", fail)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    imagenet_utils._class_index.cache_clear()


def test_offline_imagenet_weights_name_keras_files(monkeypatch, tmp_path):
    _offline(monkeypatch, tmp_path)
    with pytest.raises(OSError, match=r"weights_mobilenet_v3_small_224_0\.75_float_no_top_v2"):
        with pytest.warns(UserWarning, match="224"):
            A.MobileNetV3Small(alpha=0.75, input_shape=(32, 32, 3), include_top=False)
    with pytest.raises(OSError, match=r"ConvNeXtTiny.*convnext_tiny_notop\.h5"):
        A.ConvNeXtTiny(input_shape=(32, 32, 3), include_top=False)


@pytest.mark.parametrize(
    "call,message",
    [
        (lambda: A.MobileNetV3Small(weights="/no/such.h5"), "weights"),
        (lambda: A.MobileNetV3Large(weights="imagenet", classes=10), "classes"),
        (lambda: A.MobileNetV3Small(weights=None, input_shape=(16, 16, 3)), "at least 32x32"),
        (lambda: A.MobileNetV3Small(weights="imagenet", alpha=0.5), "alpha"),
        (lambda: A.MobileNetV3Large(weights="imagenet", minimalistic=True, alpha=0.75), "alpha"),
        (lambda: A.MobileNetV3Small(weights=None, input_shape=(64, 64)), "input_shape"),
        (
            lambda: A.MobileNetV3Small(
                weights=None, input_shape=(64, 64, 3), input_tensor=gf.keras.Input((64, 32, 3))
            ),
            "input_tensor.shape",
        ),
        (lambda: A.ConvNeXtTiny(weights=None, input_shape=(16, 16, 3)), "at least 32x32"),
        (lambda: A.ConvNeXtSmall(weights="imagenet", classes=5), "classes"),
        (lambda: A.ConvNeXtTiny(weights=None, include_top=False, pooling="sum"), "pooling"),
        (
            lambda: A.ConvNeXtTiny(
                weights="imagenet", include_top=False, input_shape=(32, 32, 3), name="mine"
            ),
            "does not match weights variant",
        ),
    ],
)
def test_argument_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()
