"""MobileNetV3 Small and Large (Howard et al., 2019): Keras' architecture, layer names and
weights files. The models include their input preprocessing (a Rescaling layer to ``[-1, 1]``)
unless ``include_preprocessing=False``, so :func:`preprocess_input` passes the input through.

Ported from Keras 3.15 (``keras/src/applications/mobilenet_v3.py``, Apache License 2.0).
"""

from __future__ import annotations

import warnings

from .. import layers
from ..models import Model
from . import _common, imagenet_utils

BASE_WEIGHT_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v3/"
WEIGHTS_HASHES = {
    "large_224_0.75_float": (
        "765b44a33ad4005b3ac83185abf1d0eb",
        "40af19a13ebea4e2ee0c676887f69a2e",
    ),
    "large_224_1.0_float": (
        "59e551e166be033d707958cf9e29a6a7",
        "07fb09a5933dd0c8eaafa16978110389",
    ),
    "large_minimalistic_224_1.0_float": (
        "675e7b876c45c57e9e63e6d90a36599c",
        "ec5221f64a2f6d1ef965a614bdae7973",
    ),
    "small_224_0.75_float": (
        "cb65d4e5be93758266aa0a7f2c6708b7",
        "ebdb5cc8e0b497cd13a7c275d475c819",
    ),
    "small_224_1.0_float": (
        "8768d4c2e7dee89b9d02b2d03d65d862",
        "d3e8ec802a04aa4fc771ee12a9a9b836",
    ),
    "small_minimalistic_224_1.0_float": (
        "99cd97fb2fcdad2bf028eb838de69e37",
        "cde8136e733e811080d9fcd8a252f7e4",
    ),
}

# (expansion, filters, kernel ("k": 5, or 3 when minimalistic), stride, squeeze-excite,
#  activation ("relu", or "act": hard swish / relu when minimalistic)) per block.
_SMALL_BLOCKS = [
    (1, 16, 3, 2, True, "relu"),
    (72.0 / 16, 24, 3, 2, False, "relu"),
    (88.0 / 24, 24, 3, 1, False, "relu"),
    (4, 40, "k", 2, True, "act"),
    (6, 40, "k", 1, True, "act"),
    (6, 40, "k", 1, True, "act"),
    (3, 48, "k", 1, True, "act"),
    (3, 48, "k", 1, True, "act"),
    (6, 96, "k", 2, True, "act"),
    (6, 96, "k", 1, True, "act"),
    (6, 96, "k", 1, True, "act"),
]
_LARGE_BLOCKS = [
    (1, 16, 3, 1, False, "relu"),
    (4, 24, 3, 2, False, "relu"),
    (3, 24, 3, 1, False, "relu"),
    (3, 40, "k", 2, True, "relu"),
    (3, 40, "k", 1, True, "relu"),
    (3, 40, "k", 1, True, "relu"),
    (6, 80, 3, 2, False, "act"),
    (2.5, 80, 3, 1, False, "act"),
    (2.3, 80, 3, 1, False, "act"),
    (2.3, 80, 3, 1, False, "act"),
    (6, 112, 3, 1, True, "act"),
    (6, 112, 3, 1, True, "act"),
    (6, 160, "k", 2, True, "act"),
    (6, 160, "k", 1, True, "act"),
    (6, 160, "k", 1, True, "act"),
]


def MobileNetV3(  # noqa: N802
    blocks,
    last_point_ch,
    input_shape=None,
    alpha=1.0,
    model_type="large",
    minimalistic=False,
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    classes=1000,
    pooling=None,
    dropout_rate=0.2,
    classifier_activation="softmax",
    include_preprocessing=True,
    name=None,
):
    """The MobileNetV3 family from its block table (see ``_SMALL_BLOCKS``)."""
    fn = f"MobileNetV3{model_type.capitalize()}"
    _common.check_weights(fn, weights, include_top, classes)
    _common.check_pooling(fn, pooling)
    input_shape = _input_shape(fn, input_shape, input_tensor)
    rows, cols = input_shape[0], input_shape[1]
    if rows and cols and (rows < 32 or cols < 32):
        raise ValueError(
            f"{fn}: Input size must be at least 32x32; Received `input_shape={input_shape}`"
        )
    if weights == "imagenet":
        if (not minimalistic and alpha not in (0.75, 1.0)) or (minimalistic and alpha != 1.0):
            raise ValueError(
                f"{fn}: If imagenet weights are being loaded, alpha can be one of `0.75`, "
                f"`1.0` for non minimalistic or `1.0` for minimalistic only; received "
                f"alpha={alpha}, minimalistic={minimalistic}"
            )
        if rows != cols or rows != 224:
            warnings.warn(
                "`input_shape` is undefined or non-square, or `rows` is not 224. Weights for "
                "input shape (224, 224) will be loaded as the default.",
                stacklevel=3,
            )
    img_input, inputs = _common.model_input(fn, input_tensor, input_shape)

    if minimalistic:
        kernel, activation, se_ratio = 3, _relu, None
    else:
        kernel, activation, se_ratio = 5, _hard_swish, 0.25

    x = img_input
    if include_preprocessing:
        x = layers.Rescaling(scale=1.0 / 127.5, offset=-1.0)(x)
    x = layers.Conv2D(
        16, kernel_size=3, strides=(2, 2), padding="same", use_bias=False, name="conv"
    )(x)
    x = layers.BatchNormalization(axis=-1, epsilon=1e-3, momentum=0.999, name="conv_bn")(x)
    x = activation(x)
    for block_id, (expansion, filters, size, stride, se, act) in enumerate(blocks):
        x = _inverted_res_block(
            x,
            expansion,
            _depth(filters * alpha),
            kernel if size == "k" else size,
            stride,
            se_ratio if se else None,
            activation if act == "act" else _relu,
            block_id,
        )

    last_conv_ch = _depth(x.shape[-1] * 6)
    if alpha > 1.0:  # a width multiplier above 1 widens the last layer too
        last_point_ch = _depth(last_point_ch * alpha)
    x = layers.Conv2D(last_conv_ch, kernel_size=1, padding="same", use_bias=False, name="conv_1")(x)
    x = layers.BatchNormalization(axis=-1, epsilon=1e-3, momentum=0.999, name="conv_1_bn")(x)
    x = activation(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Conv2D(
            last_point_ch, kernel_size=1, padding="same", use_bias=True, name="conv_2"
        )(x)
        x = activation(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate)(x)
        x = layers.Conv2D(classes, kernel_size=1, padding="same", name="logits")(x)
        x = layers.Flatten()(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Activation(activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D(name="max_pool")(x)
    model = Model(inputs, x, name=name)

    path = None
    if weights == "imagenet":
        model_name = "{}{}_224_{}_float".format(
            model_type, "_minimalistic" if minimalistic else "", str(float(alpha))
        )
        if include_top:
            file_name = f"weights_mobilenet_v3_{model_name}.h5"
            file_hash = WEIGHTS_HASHES[model_name][0]
        else:
            file_name = f"weights_mobilenet_v3_{model_name}_no_top_v2.h5"
            file_hash = WEIGHTS_HASHES[model_name][1]
        path = _common.imagenet_file(fn, file_name, BASE_WEIGHT_PATH + file_name, file_hash)
    _common.load_weights(model, weights, path)
    return model


def _input_shape(fn, input_shape, input_tensor):
    """Keras' rule: ``input_shape``, else the input tensor's ``(cols, rows, 3)``, else
    ``(None, None, 3)``; with both, their widths must agree."""
    if input_shape is not None:
        input_shape = tuple(input_shape)
        if len(input_shape) != 3:
            raise ValueError(
                f"{fn}: input_shape must be (rows, cols, channels), received "
                f"input_shape={input_shape}"
            )
        if input_tensor is not None and hasattr(input_tensor, "shape"):
            if len(input_tensor.shape) != 4 or input_tensor.shape[2] != input_shape[1]:
                raise ValueError(
                    f"{fn}: input_shape[1] must equal input_tensor.shape[2].  Received "
                    f"input_shape={input_shape}, input_tensor.shape={tuple(input_tensor.shape)}"
                )
        return input_shape
    if input_tensor is not None and hasattr(input_tensor, "shape"):
        if len(input_tensor.shape) != 4:
            raise ValueError(
                f"{fn}: input_tensor must be a 4-D image batch (batch, rows, cols, channels), "
                f"received shape {tuple(input_tensor.shape)}"
            )
        return (input_tensor.shape[2], input_tensor.shape[1], 3)
    return (None, None, 3)


def _make(model_type, blocks, last_point_ch):
    def build(
        input_shape=None,
        alpha=1.0,
        minimalistic=False,
        include_top=True,
        weights="imagenet",
        input_tensor=None,
        classes=1000,
        pooling=None,
        dropout_rate=0.2,
        classifier_activation="softmax",
        include_preprocessing=True,
        name=f"MobileNetV3{model_type.capitalize()}",
    ):
        return MobileNetV3(
            blocks,
            last_point_ch,
            input_shape,
            alpha,
            model_type,
            minimalistic,
            include_top,
            weights,
            input_tensor,
            classes,
            pooling,
            dropout_rate,
            classifier_activation,
            include_preprocessing,
            name=name,
        )

    title = f"MobileNetV3{model_type.capitalize()}"
    build.__name__ = build.__qualname__ = title
    build.__doc__ = f"""{title} as ``keras.applications.{title}``.

    Args:
        input_shape: ``(rows, cols, 3)``; default that of ``input_tensor``, else
            ``(None, None, 3)``; at least 32x32.
        alpha: width multiplier of every block's filters (ImageNet weights: 0.75 or 1.0, and
            1.0 when ``minimalistic``).
        minimalistic: 3x3 kernels, ReLU activations and no squeeze-and-excite blocks.
        include_top: end with the pooled 1x1 convolutions ``conv_2`` and ``logits``.
        weights: None (random), ``"imagenet"`` (Keras' file, downloaded once) or the path of
            a Keras ``.h5`` / ``.weights.h5`` file.
        input_tensor: a symbolic tensor to build the model on.
        classes, classifier_activation: of the top.
        pooling: without the top: None (4-D output), ``"avg"`` or ``"max"``.
        dropout_rate: of the dropout before ``logits``.
        include_preprocessing: start with a Rescaling layer from ``[0, 255]`` to ``[-1, 1]``.
        name: the model's name.
    """
    return build


MobileNetV3Small = _make("small", _SMALL_BLOCKS, 1024)
MobileNetV3Large = _make("large", _LARGE_BLOCKS, 1280)


def _relu(x):
    return layers.ReLU()(x)


def _hard_sigmoid(x):
    return layers.ReLU(6.0)(x + 3.0) * (1.0 / 6.0)


def _hard_swish(x):
    return layers.Activation("hard_swish")(x)


def _depth(v, divisor=8, min_value=None):
    """``v`` rounded to a multiple of ``divisor``, by no more than 10% down."""
    if min_value is None:
        min_value = divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


def _se_block(inputs, filters, se_ratio, prefix):
    x = layers.GlobalAveragePooling2D(keepdims=True, name=f"{prefix}squeeze_excite_avg_pool")(
        inputs
    )
    x = layers.Conv2D(
        _depth(filters * se_ratio),
        kernel_size=1,
        padding="same",
        name=f"{prefix}squeeze_excite_conv",
    )(x)
    x = layers.ReLU(name=f"{prefix}squeeze_excite_relu")(x)
    x = layers.Conv2D(
        filters, kernel_size=1, padding="same", name=f"{prefix}squeeze_excite_conv_1"
    )(x)
    x = _hard_sigmoid(x)
    return layers.Multiply(name=f"{prefix}squeeze_excite_mul")([inputs, x])


def _inverted_res_block(x, expansion, filters, kernel_size, stride, se_ratio, activation, block_id):
    shortcut = x
    prefix = "expanded_conv_"
    infilters = x.shape[-1]
    if block_id:
        prefix = f"expanded_conv_{block_id}_"
        x = layers.Conv2D(
            _depth(infilters * expansion),
            kernel_size=1,
            padding="same",
            use_bias=False,
            name=f"{prefix}expand",
        )(x)
        x = layers.BatchNormalization(
            axis=-1, epsilon=1e-3, momentum=0.999, name=f"{prefix}expand_bn"
        )(x)
        x = activation(x)
    if stride == 2:
        x = layers.ZeroPadding2D(
            padding=imagenet_utils.correct_pad(x, kernel_size), name=f"{prefix}depthwise_pad"
        )(x)
    x = layers.DepthwiseConv2D(
        kernel_size,
        strides=stride,
        padding="same" if stride == 1 else "valid",
        use_bias=False,
        name=f"{prefix}depthwise",
    )(x)
    x = layers.BatchNormalization(
        axis=-1, epsilon=1e-3, momentum=0.999, name=f"{prefix}depthwise_bn"
    )(x)
    x = activation(x)
    if se_ratio:
        x = _se_block(x, _depth(infilters * expansion), se_ratio, prefix)
    x = layers.Conv2D(
        filters, kernel_size=1, padding="same", use_bias=False, name=f"{prefix}project"
    )(x)
    x = layers.BatchNormalization(
        axis=-1, epsilon=1e-3, momentum=0.999, name=f"{prefix}project_bn"
    )(x)
    if stride == 1 and infilters == filters:
        x = layers.Add(name=f"{prefix}add")([shortcut, x])
    return x


def preprocess_input(x, data_format=None):
    """A pass-through: MobileNetV3 models preprocess their inputs themselves (Keras keeps this
    function for backward compatibility)."""
    return x


def decode_predictions(preds, top=5):
    """See :func:`gpuflow.applications.imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)
