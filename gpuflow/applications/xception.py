"""Xception (Chollet, 2017): Keras' architecture, layer names and weights files."""

from __future__ import annotations

from .. import layers
from ..models import Model
from . import _common, imagenet_utils

WEIGHTS_PATH = (
    "https://storage.googleapis.com/tensorflow/keras-applications/"
    "xception/xception_weights_tf_dim_ordering_tf_kernels.h5"
)
WEIGHTS_PATH_NO_TOP = (
    "https://storage.googleapis.com/tensorflow/keras-applications/"
    "xception/xception_weights_tf_dim_ordering_tf_kernels_notop.h5"
)
_HASHES = ("0a58e3b7378bc2990ea3b43d5981f1f6", "b0042744bf5b25fce3cb969f33bebb97")


def _sep(x, filters, name, act_name=None):
    """[ReLU] -> SeparableConv2D 3x3 -> BatchNormalization, named as Keras."""
    if act_name:
        x = layers.Activation("relu", name=act_name)(x)
    x = layers.SeparableConv2D(filters, (3, 3), padding="same", use_bias=False, name=name)(x)
    return layers.BatchNormalization(axis=-1, name=f"{name}_bn")(x)


def _shortcut(x, filters):
    residual = layers.Conv2D(filters, (1, 1), strides=(2, 2), padding="same", use_bias=False)(x)
    return layers.BatchNormalization(axis=-1)(residual)


def Xception(  # noqa: N802
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="xception",
):
    """Xception as ``keras.applications.Xception`` (default input 299x299, at least 71x71;
    arguments as :func:`~gpuflow.applications.ResNet50`)."""
    fn = "Xception"
    _common.check_weights(fn, weights, include_top, classes)
    _common.check_pooling(fn, pooling)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape,
        default_size=299,
        min_size=71,
        data_format="channels_last",
        require_flatten=include_top,
        weights=weights,
    )
    img_input, inputs = _common.model_input(fn, input_tensor, input_shape)
    x = layers.Conv2D(32, (3, 3), strides=(2, 2), use_bias=False, name="block1_conv1")(img_input)
    x = layers.BatchNormalization(axis=-1, name="block1_conv1_bn")(x)
    x = layers.Activation("relu", name="block1_conv1_act")(x)
    x = layers.Conv2D(64, (3, 3), use_bias=False, name="block1_conv2")(x)
    x = layers.BatchNormalization(axis=-1, name="block1_conv2_bn")(x)
    x = layers.Activation("relu", name="block1_conv2_act")(x)

    residual = _shortcut(x, 128)
    x = _sep(x, 128, "block2_sepconv1")
    x = _sep(x, 128, "block2_sepconv2", "block2_sepconv2_act")
    x = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="same", name="block2_pool")(x)
    x = layers.add([x, residual])
    for block, filters in ((3, 256), (4, 728)):
        residual = _shortcut(x, filters)
        x = _sep(x, filters, f"block{block}_sepconv1", f"block{block}_sepconv1_act")
        x = _sep(x, filters, f"block{block}_sepconv2", f"block{block}_sepconv2_act")
        x = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="same", name=f"block{block}_pool")(
            x
        )
        x = layers.add([x, residual])
    for i in range(8):  # the middle flow
        residual = x
        prefix = f"block{i + 5}"
        for j in (1, 2, 3):
            x = _sep(x, 728, f"{prefix}_sepconv{j}", f"{prefix}_sepconv{j}_act")
        x = layers.add([x, residual])
    residual = _shortcut(x, 1024)
    x = _sep(x, 728, "block13_sepconv1", "block13_sepconv1_act")
    x = _sep(x, 1024, "block13_sepconv2", "block13_sepconv2_act")
    x = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="same", name="block13_pool")(x)
    x = layers.add([x, residual])
    x = _sep(x, 1536, "block14_sepconv1")
    x = layers.Activation("relu", name="block14_sepconv1_act")(x)
    x = _sep(x, 2048, "block14_sepconv2")
    x = layers.Activation("relu", name="block14_sepconv2_act")(x)
    if include_top:
        x = _common.top(x, True, None, classes, classifier_activation, weights, ("avg_pool", None))
    else:
        x = _common.top(x, False, pooling, classes, classifier_activation, weights)
    model = Model(inputs, x, name=name)
    path = None
    if weights == "imagenet":
        origin, file_hash = (
            (WEIGHTS_PATH, _HASHES[0]) if include_top else (WEIGHTS_PATH_NO_TOP, _HASHES[1])
        )
        path = _common.imagenet_file(fn, origin.rsplit("/", 1)[1], origin, file_hash)
    _common.load_weights(model, weights, path)
    return model


def preprocess_input(x, data_format=None):
    """Scale pixels from ``[0, 255]`` to ``[-1, 1]`` (``mode="tf"``)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


def decode_predictions(preds, top=5):
    """See :func:`gpuflow.applications.imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)
