"""keras.applications: architectures identical to Keras' (names, order, weight shapes and
parameter counts recorded from tf.keras 3.15 in /work/tfvenv), weights from files,
preprocess_input / decode_predictions, and the errors."""

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
        "MobileNetV2",
        dict(alpha=0.35, input_shape=(96, 96, 3), include_top=False, pooling="avg"),
        "mobilenetv2_0.35_96",
        410208,
        [1280],
        155,
        "d89aa69abca5e7ef",
    ),
    (
        "MobileNet",
        dict(alpha=0.5, depth_multiplier=2, input_shape=(160, 160, 3), include_top=False),
        "mobilenet_0.50_160",
        1646672,
        [5, 5, 512],
        86,
        "8c060845c891fbbf",
    ),
    ("ResNet50", {}, "resnet50", 25636712, [1000], 177, "637ff160bb554b57"),
    (
        "ResNet50V2",
        dict(include_top=False),
        "resnet50v2",
        23564800,
        [None, None, 2048],
        190,
        "134edd9b4431917b",
    ),
    (
        "VGG16",
        dict(include_top=False, input_shape=(64, 64, 3)),
        "vgg16",
        14714688,
        [2, 2, 512],
        19,
        "e1053ff4a54bdf33",
    ),
    (
        "EfficientNetB0",
        dict(include_top=False, input_shape=(96, 96, 3), pooling="avg"),
        "efficientnetb0",
        4049571,
        [1280],
        238,
        "1bd126c45897f759",
    ),
    (
        "DenseNet121",
        dict(include_top=False, input_shape=(64, 64, 3), pooling="avg"),
        "densenet121",
        7037504,
        [1024],
        428,
        "f1535c1daf84238a",
    ),
    (
        "Xception",
        dict(include_top=False, input_shape=(71, 71, 3)),
        "xception",
        20861480,
        [3, 3, 2048],
        132,
        "b9c5b78fe7700a8f",
    ),
    (
        "InceptionV3",
        dict(input_shape=(75, 75, 3), classes=10),
        "inception_v3",
        21823274,
        [10],
        313,
        "216201d603930f56",
    ),
]


@pytest.mark.parametrize("fn,kwargs,name,params,out,n_layers,digest", KERAS_FACTS)
def test_architecture_matches_keras(fn, kwargs, name, params, out, n_layers, digest):
    check_architecture(fn, kwargs, name, params, out, n_layers, digest)


def test_default_models_params_from_keras():
    # count_params() of tf.keras' models with weights=None (Keras 3.15.1)
    assert A.MobileNetV2(weights=None).count_params() == 3538984
    assert A.MobileNet(weights=None).count_params() == 4253864
    assert A.DenseNet169(weights=None).count_params() == 14307880
    assert A.EfficientNetB0(weights=None).count_params() == 5330571
    m = A.MobileNetV2(weights=None, alpha=1.3, classes=10, classifier_activation=None)
    assert m.count_params() == 3782698 and m.get_layer("predictions").activation is (
        gf.keras.activations.get(None)
    )


def test_same_builders_share_modules():
    assert A.resnet50.ResNet50 is A.resnet.ResNet50 is A.ResNet50
    assert A.vgg19.preprocess_input is A.vgg16.preprocess_input
    for module in (
        "mobilenet",
        "mobilenet_v2",
        "resnet",
        "resnet_v2",
        "vgg16",
        "efficientnet",
        "densenet",
        "xception",
        "inception_v3",
    ):
        assert callable(getattr(A, module).preprocess_input)
        assert callable(getattr(A, module).decode_predictions)


def test_weights_from_a_file_round_trip(tmp_path):
    x = np.random.default_rng(0).uniform(0, 255, (2, 96, 96, 3)).astype("float32")
    model = A.MobileNetV2(weights=None, alpha=0.35, input_shape=(96, 96, 3), classes=5)
    rng = np.random.default_rng(1)
    model.set_weights([rng.normal(0, 0.1, w.shape).astype("float32") ** 2 for w in model.weights])
    path = tmp_path / "m.weights.h5"
    model.save_weights(path)
    again = A.MobileNetV2(weights=str(path), alpha=0.35, input_shape=(96, 96, 3), classes=5)
    np.testing.assert_allclose(
        again.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-5, atol=1e-7
    )


def test_input_tensor_and_pooling():
    inputs = gf.keras.Input((64, 64, 3))
    scaled = gf.keras.layers.Rescaling(1 / 255.0)(inputs)
    model = A.ResNet50(weights=None, include_top=False, input_tensor=scaled, pooling="max")
    assert model.inputs[0] is inputs
    assert tuple(model.output.shape) == (None, 2048)
    assert model.get_layer("max_pool") is not None
    features = A.VGG19(weights=None, include_top=False, input_shape=(32, 32, 3))
    assert tuple(features.output.shape) == (None, 1, 1, 512)
    assert [layer.name for layer in features.layers][-1] == "block5_pool"


def test_efficientnet_trains_a_small_head():
    base = A.EfficientNetB0(weights=None, include_top=False, input_shape=(32, 32, 3), pooling="avg")
    base.trainable = False
    model = gf.keras.Sequential([base, gf.keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    x = np.random.default_rng(0).uniform(0, 255, (8, 32, 32, 3)).astype("float32")
    history = model.fit(x, np.arange(8) % 2, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    assert len(model.trainable_weights) == 2  # the frozen base contributes none


# -- preprocess_input -----------------------------------------------------------------------
def _images():
    return np.random.default_rng(3).uniform(0, 255, (2, 4, 5, 3)).astype("float32")


def test_preprocess_modes_numpy():
    x = _images()
    np.testing.assert_allclose(A.mobilenet_v2.preprocess_input(x.copy()), x / 127.5 - 1.0)
    caffe = x[..., ::-1] - np.array([103.939, 116.779, 123.68], "float32")
    np.testing.assert_allclose(A.resnet50.preprocess_input(x.copy()), caffe, rtol=1e-6)
    np.testing.assert_allclose(A.vgg16.preprocess_input(x.copy()), caffe, rtol=1e-6)
    torch = (x / 255.0 - np.array([0.485, 0.456, 0.406])) / np.array([0.229, 0.224, 0.225])
    np.testing.assert_allclose(
        imagenet_utils.preprocess_input(x.copy(), mode="torch"), torch, rtol=1e-5
    )
    first = np.transpose(x, (0, 3, 1, 2))
    got = imagenet_utils.preprocess_input(first.copy(), data_format="channels_first")
    np.testing.assert_allclose(np.transpose(got, (0, 2, 3, 1)), caffe, rtol=1e-6)
    single = imagenet_utils.preprocess_input(first[0].copy(), data_format="channels_first")
    np.testing.assert_allclose(np.transpose(single, (1, 2, 0)), caffe[0], rtol=1e-6)
    assert A.efficientnet.preprocess_input(x) is x


def test_preprocess_numpy_is_in_place_for_floats_and_converts_ints():
    x = _images()
    out = A.mobilenet.preprocess_input(x)
    assert out is x  # as Keras: float arrays are written over
    ints = np.full((1, 2, 2, 3), 255, dtype="uint8")
    converted = A.mobilenet.preprocess_input(ints)
    assert converted.dtype == np.float32 and np.all(converted == 1.0)
    assert ints[0, 0, 0, 0] == 255


def test_preprocess_tensors_match_numpy():
    x = _images()
    for mode in ("caffe", "tf", "torch"):
        tensor = imagenet_utils.preprocess_input(gf.constant(x), mode=mode)
        assert isinstance(tensor, gf.Tensor)
        np.testing.assert_allclose(
            tensor.numpy(),
            imagenet_utils.preprocess_input(x.copy(), mode=mode),
            rtol=1e-5,
            atol=1e-5,
        )


def test_preprocess_errors():
    with pytest.raises(ValueError, match="mode"):
        imagenet_utils.preprocess_input(_images(), mode="keras")
    with pytest.raises(ValueError, match="data_format"):
        imagenet_utils.preprocess_input(_images(), data_format="NHWC")


# -- decode_predictions and ImageNet files ---------------------------------------------------
def test_decode_predictions_top_classes(monkeypatch):
    index = {str(i): [f"n{i:08d}", f"class_{i}"] for i in range(1000)}
    monkeypatch.setattr(imagenet_utils, "_class_index", lambda: index)
    preds = np.zeros((2, 1000), "float32")
    preds[0, [7, 3, 999]] = [0.5, 0.3, 0.2]
    preds[1, 42] = 1.0
    decoded = A.resnet50.decode_predictions(preds, top=3)
    assert [d[:2] for d in decoded[0]] == [
        ("n00000007", "class_7"),
        ("n00000003", "class_3"),
        ("n00000999", "class_999"),
    ]
    assert decoded[0][0][2] == pytest.approx(0.5)
    assert decoded[1][0][:2] == ("n00000042", "class_42")
    with pytest.raises(ValueError, match=r"\(samples, 1000\)"):
        A.mobilenet.decode_predictions(np.zeros((2, 10)))


def _offline(monkeypatch, tmp_path):
    from gpuflow.datasets import _fetch

    def fail(*args, **kwargs):
        raise _fetch.DownloadError("no network")

    monkeypatch.setattr(_fetch, "fetch", fail)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    imagenet_utils._class_index.cache_clear()


def test_offline_class_index_is_a_clear_error(monkeypatch, tmp_path):
    _offline(monkeypatch, tmp_path)
    with pytest.raises(OSError, match=r"decode_predictions.*imagenet_class_index\.json"):
        A.vgg16.decode_predictions(np.ones((1, 1000)))
    imagenet_utils._class_index.cache_clear()


def test_offline_imagenet_weights_are_a_clear_error(monkeypatch, tmp_path):
    _offline(monkeypatch, tmp_path)
    with pytest.raises(OSError, match=r"MobileNetV2.*mobilenet_v2_weights_tf_dim_ordering"):
        A.MobileNetV2(alpha=0.35, input_shape=(96, 96, 3), include_top=False)
    with pytest.raises(OSError, match=r"VGG16.*vgg16_weights_tf_dim_ordering_tf_kernels_notop"):
        A.VGG16(include_top=False, input_shape=(32, 32, 3))


# -- argument errors, as Keras ---------------------------------------------------------------
@pytest.mark.parametrize(
    "call,message",
    [
        (lambda: A.MobileNetV2(weights="/no/such/file.h5"), "weights"),
        (lambda: A.ResNet50(weights="imagenet", classes=10), "classes"),
        (lambda: A.MobileNetV2(weights=None, input_shape=(16, 16, 3)), "at least 32x32"),
        (lambda: A.VGG16(weights=None, input_shape=(None, None, 3)), "static"),
        (lambda: A.MobileNet(weights=None, input_shape=(64, 64)), "three integers"),
        (lambda: A.MobileNetV2(weights="imagenet", alpha=0.6), "alpha"),
        (lambda: A.MobileNet(weights="imagenet", depth_multiplier=2), "depth multiplier"),
        (lambda: A.ResNet50(weights=None, include_top=False, pooling="sum"), "pooling"),
        (
            lambda: A.MobileNetV2(input_tensor=np.zeros((1, 96, 96, 3)), weights=None),
            "input_tensor",
        ),
    ],
)
def test_argument_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_pretrained_top_allows_only_softmax_or_none(tmp_path):
    model = A.MobileNet(weights=None, alpha=0.25, input_shape=(128, 128, 3), classes=3)
    path = tmp_path / "w.weights.h5"
    model.save_weights(path)
    with pytest.raises(ValueError, match="classifier_activation"):
        A.MobileNet(
            weights=str(path),
            alpha=0.25,
            input_shape=(128, 128, 3),
            classes=3,
            classifier_activation="relu",
        )


def test_preprocess_input_takes_a_tensors_read_only_numpy_view():
    # the deepdream tutorial: tf.image.resize(...).numpy() then inception_v3.preprocess_input
    t = gf.constant(np.full((2, 2, 3), 255.0, np.float32))
    out = gf.keras.applications.inception_v3.preprocess_input(t.numpy())
    np.testing.assert_allclose(out, np.ones((2, 2, 3)))
    np.testing.assert_allclose(t.numpy(), np.full((2, 2, 3), 255.0))  # the tensor unchanged
