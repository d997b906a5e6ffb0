"""MobileNet (Howard et al., 2017): Keras' architecture, layer names and weights files."""

from __future__ import annotations

import warnings

from .. import layers
from ..models import Model
from . import _common, imagenet_utils

BASE_WEIGHT_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet/"


def MobileNet(  # noqa: N802
    input_shape=None,
    alpha=1.0,
    depth_multiplier=1,
    dropout=1e-3,
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name=None,
):
    """MobileNet as ``keras.applications.MobileNet``.

    Args:
        input_shape, include_top, weights, input_tensor, pooling, classes,
        classifier_activation: as :func:`~gpuflow.applications.MobileNetV2`.
        alpha: width multiplier; depth_multiplier: of the depthwise convolutions.
        dropout: rate before the classifier.
        name: default ``mobilenet_{alpha:.2f}_{rows}``.
    """
    fn = "MobileNet"
    _common.check_weights(fn, weights, include_top, classes)
    _common.check_pooling(fn, pooling)
    default_size = 224
    if input_shape is not None:
        rows, cols = input_shape[0], input_shape[1]
        if rows == cols and rows in (128, 160, 192, 224):
            default_size = rows
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape,
        default_size=default_size,
        min_size=32,
        data_format="channels_last",
        require_flatten=include_top,
        weights=weights,
    )
    rows, cols = input_shape[0], input_shape[1]
    if weights == "imagenet":
        if depth_multiplier != 1:
            raise ValueError(
                f"{fn}: If imagenet weights are being loaded, depth multiplier must be 1.  "
                f"Received depth_multiplier={depth_multiplier}"
            )
        if alpha not in (0.25, 0.50, 0.75, 1.0):
            raise ValueError(
                f"{fn}: If imagenet weights are being loaded, alpha can be one of`0.25`, "
                f"`0.50`, `0.75` or `1.0` only.  Received alpha={alpha}"
            )
        if rows != cols or rows not in (128, 160, 192, 224):
            rows = 224
            warnings.warn(
                "`input_shape` is undefined or non-square, or `rows` is not in [128, 160, "
                "192, 224]. Weights for input shape (224, 224) will be loaded as the default.",
                stacklevel=2,
            )
    img_input, inputs = _common.model_input(fn, input_tensor, input_shape)

    x = _conv_block(img_input, 32, alpha, strides=(2, 2))
    plan = [
        (64, 1),
        (128, 2),
        (128, 1),
        (256, 2),
        (256, 1),
        (512, 2),
        (512, 1),
        (512, 1),
        (512, 1),
        (512, 1),
        (512, 1),
        (1024, 2),
        (1024, 1),
    ]
    for block_id, (filters, stride) in enumerate(plan, start=1):
        x = _depthwise_conv_block(
            x, filters, alpha, depth_multiplier, strides=(stride, stride), block_id=block_id
        )
    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Dropout(dropout, name="dropout")(x)
        x = layers.Conv2D(classes, (1, 1), padding="same", name="conv_preds")(x)
        x = layers.Reshape((classes,), name="reshape_2")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Activation(activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D()(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D()(x)
    if name is None:
        name = f"mobilenet_{alpha:0.2f}_{rows}"
    model = Model(inputs, x, name=name)
    path = None
    if weights == "imagenet":
        alpha_text = {1.0: "1_0", 0.75: "7_5", 0.5: "5_0"}.get(alpha, "2_5")
        suffix = "" if include_top else "_no_top"
        file_name = f"mobilenet_{alpha_text}_{rows}_tf{suffix}.h5"
        path = _common.imagenet_file(fn, file_name, BASE_WEIGHT_PATH + file_name)
    _common.load_weights(model, weights, path)
    return model


def _conv_block(inputs, filters, alpha, kernel=(3, 3), strides=(1, 1)):
    filters = int(filters * alpha)
    x = layers.Conv2D(
        filters, kernel, padding="same", use_bias=False, strides=strides, name="conv1"
    )(inputs)
    x = layers.BatchNormalization(axis=-1, name="conv1_bn")(x)
    return layers.ReLU(6.0, name="conv1_relu")(x)


def _depthwise_conv_block(
    inputs, pointwise_conv_filters, alpha, depth_multiplier=1, strides=(1, 1), block_id=1
):
    pointwise_conv_filters = int(pointwise_conv_filters * alpha)
    if strides == (1, 1):
        x = inputs
    else:
        x = layers.ZeroPadding2D(((0, 1), (0, 1)), name=f"conv_pad_{block_id}")(inputs)
    x = layers.DepthwiseConv2D(
        (3, 3),
        padding="same" if strides == (1, 1) else "valid",
        depth_multiplier=depth_multiplier,
        strides=strides,
        use_bias=False,
        name=f"conv_dw_{block_id}",
    )(x)
    x = layers.BatchNormalization(axis=-1, name=f"conv_dw_{block_id}_bn")(x)
    x = layers.ReLU(6.0, name=f"conv_dw_{block_id}_relu")(x)
    x = layers.Conv2D(
        pointwise_conv_filters,
        (1, 1),
        padding="same",
        use_bias=False,
        strides=(1, 1),
        name=f"conv_pw_{block_id}",
    )(x)
    x = layers.BatchNormalization(axis=-1, name=f"conv_pw_{block_id}_bn")(x)
    return layers.ReLU(6.0, name=f"conv_pw_{block_id}_relu")(x)


def preprocess_input(x, data_format=None):
    """Scale pixels from ``[0, 255]`` to ``[-1, 1]`` (``mode="tf"``)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


def decode_predictions(preds, top=5):
    """See :func:`gpuflow.applications.imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)
