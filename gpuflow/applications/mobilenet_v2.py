"""MobileNetV2 (Sandler et al., 2018): Keras' architecture, layer names and weights files."""

from __future__ import annotations

import warnings

from .. import layers
from ..models import Model
from . import _common, imagenet_utils

BASE_WEIGHT_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v2/"


def MobileNetV2(  # noqa: N802
    input_shape=None,
    alpha=1.0,
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name=None,
):
    """MobileNetV2 as ``keras.applications.MobileNetV2``.

    Args:
        input_shape: ``(rows, cols, 3)``; default ``(224, 224, 3)`` (with ``include_top``) or
            ``(None, None, 3)``; at least 32x32.
        alpha: width multiplier of every layer's filters.
        include_top: end with global pooling and the ``predictions`` Dense layer.
        weights: None (random), ``"imagenet"`` (Keras' file, downloaded once) or the path of
            a Keras ``.h5`` / ``.weights.h5`` file.
        input_tensor: a symbolic tensor to build the model on.
        pooling: without the top: None (4-D output), ``"avg"`` or ``"max"``.
        classes, classifier_activation: of the top.
        name: the model's name (default ``mobilenetv2_{alpha:.2f}_{rows}``).
    """
    fn = "MobileNetV2"
    _common.check_weights(fn, weights, include_top, classes)
    _common.check_pooling(fn, pooling)
    default_size = 224
    shape_source = input_shape
    if shape_source is None and input_tensor is not None:
        shape_source = tuple(input_tensor.shape[1:])
    if shape_source is not None and len(shape_source) >= 2:
        rows, cols = shape_source[0], shape_source[1]
        if rows == cols and rows in (96, 128, 160, 192, 224):
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
        if alpha not in (0.35, 0.5, 0.75, 1.0, 1.3, 1.4):
            raise ValueError(
                f"{fn}: If imagenet weights are being loaded, alpha must be one of `0.35`, "
                f"`0.50`, `0.75`, `1.0`, `1.3` or `1.4` only; Received `alpha={alpha}`"
            )
        if rows != cols or rows not in (96, 128, 160, 192, 224):
            rows = 224
            warnings.warn(
                "`input_shape` is undefined or non-square, or `rows` is not in [96, 128, "
                "160, 192, 224]. Weights for input shape (224, 224) will be loaded as the "
                "default.",
                stacklevel=2,
            )
    img_input, inputs = _common.model_input(fn, input_tensor, input_shape)

    first_block_filters = _make_divisible(32 * alpha, 8)
    x = layers.Conv2D(
        first_block_filters,
        kernel_size=3,
        strides=(2, 2),
        padding="same",
        use_bias=False,
        name="Conv1",
    )(img_input)
    x = layers.BatchNormalization(axis=-1, epsilon=1e-3, momentum=0.999, name="bn_Conv1")(x)
    x = layers.ReLU(6.0, name="Conv1_relu")(x)
    blocks = [
        (16, 1, 1),
        (24, 2, 6),
        (24, 1, 6),
        (32, 2, 6),
        (32, 1, 6),
        (32, 1, 6),
        (64, 2, 6),
        (64, 1, 6),
        (64, 1, 6),
        (64, 1, 6),
        (96, 1, 6),
        (96, 1, 6),
        (96, 1, 6),
        (160, 2, 6),
        (160, 1, 6),
        (160, 1, 6),
        (320, 1, 6),
    ]
    for block_id, (filters, stride, expansion) in enumerate(blocks):
        x = _inverted_res_block(
            x, filters=filters, alpha=alpha, stride=stride, expansion=expansion, block_id=block_id
        )
    last_block_filters = _make_divisible(1280 * alpha, 8) if alpha > 1.0 else 1280
    x = layers.Conv2D(last_block_filters, kernel_size=1, use_bias=False, name="Conv_1")(x)
    x = layers.BatchNormalization(axis=-1, epsilon=1e-3, momentum=0.999, name="Conv_1_bn")(x)
    x = layers.ReLU(6.0, name="out_relu")(x)
    x = _common.top(x, include_top, pooling, classes, classifier_activation, weights)
    if name is None:
        name = f"mobilenetv2_{alpha:0.2f}_{rows}"
    model = Model(inputs, x, name=name)
    path = None
    if weights == "imagenet":
        suffix = "" if include_top else "_no_top"
        file_name = (
            f"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_{float(alpha)}_{rows}{suffix}.h5"
        )
        path = _common.imagenet_file(fn, file_name, BASE_WEIGHT_PATH + file_name)
    _common.load_weights(model, weights, path)
    return model


def _inverted_res_block(inputs, expansion, stride, alpha, filters, block_id):
    in_channels = inputs.shape[-1]
    pointwise_filters = _make_divisible(int(filters * alpha), 8)
    x = inputs
    prefix = f"block_{block_id}_"
    if block_id:
        x = layers.Conv2D(
            expansion * in_channels,
            kernel_size=1,
            padding="same",
            use_bias=False,
            activation=None,
            name=f"{prefix}expand",
        )(x)
        x = layers.BatchNormalization(
            axis=-1, epsilon=1e-3, momentum=0.999, name=f"{prefix}expand_BN"
        )(x)
        x = layers.ReLU(6.0, name=f"{prefix}expand_relu")(x)
    else:
        prefix = "expanded_conv_"
    if stride == 2:
        x = layers.ZeroPadding2D(padding=imagenet_utils.correct_pad(x, 3), name=f"{prefix}pad")(x)
    x = layers.DepthwiseConv2D(
        kernel_size=3,
        strides=stride,
        activation=None,
        use_bias=False,
        padding="same" if stride == 1 else "valid",
        name=f"{prefix}depthwise",
    )(x)
    x = layers.BatchNormalization(
        axis=-1, epsilon=1e-3, momentum=0.999, name=f"{prefix}depthwise_BN"
    )(x)
    x = layers.ReLU(6.0, name=f"{prefix}depthwise_relu")(x)
    x = layers.Conv2D(
        pointwise_filters,
        kernel_size=1,
        padding="same",
        use_bias=False,
        activation=None,
        name=f"{prefix}project",
    )(x)
    x = layers.BatchNormalization(
        axis=-1, epsilon=1e-3, momentum=0.999, name=f"{prefix}project_BN"
    )(x)
    if in_channels == pointwise_filters and stride == 1:
        return layers.Add(name=f"{prefix}add")([inputs, x])
    return x


def _make_divisible(v, divisor, min_value=None):
    if min_value is None:
        min_value = divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:  # round down by no more than 10%
        new_v += divisor
    return new_v


def preprocess_input(x, data_format=None):
    """Scale pixels from ``[0, 255]`` to ``[-1, 1]`` (``mode="tf"``)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


def decode_predictions(preds, top=5):
    """See :func:`gpuflow.applications.imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)
