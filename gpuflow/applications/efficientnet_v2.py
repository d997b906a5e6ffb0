"""EfficientNetV2 B0 - B3, S, M, L (Tan and Le, 2021): Keras' architecture, layer names and
weights files. Ported from Keras 3.15 (``keras/src/applications/efficientnet_v2.py``,
Apache-2.0). The models include their input preprocessing (``include_preprocessing=True``),
so :func:`preprocess_input` passes the input through."""

from __future__ import annotations

import copy
import math

from .. import layers
from ..models import Model
from . import _common, imagenet_utils

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/efficientnet_v2/"
WEIGHTS_HASHES = {
    "b0": ("21ecbf6da12460d5c40bb2f29ceb2188", "893217f2bb855e2983157299931e43ff"),
    "b1": ("069f0534ff22adf035c89e2d9547a9dc", "0e80663031ca32d657f9caa404b6ec37"),
    "b2": ("424e49f28180edbde1e94797771950a7", "1dfe2e7a5d45b6632553a8961ea609eb"),
    "b3": ("1f1fc43bd98a6e4fd8fdfd551e02c7a0", "f6abf7b5849ac99a89b50dd3fd532856"),
    "-s": ("e1d88a8495beba45748fedd0cecbe016", "af0682fb74e8c54910f2d4393339c070"),
    "-m": ("a3bf6aa3276309f4fc6a34aa114c95cd", "1b8dc055df72dde80d614482840fe342"),
    "-l": ("27e6d408b53c7ebc868fefa357689935", "b0b66b5c863aef5b46e8608fe1711615"),
}


def _stages(rows):
    """Block arguments from ``(conv_type, repeats, filters in, filters out, expand ratio,
    se ratio, strides)`` rows (kernel size 3 throughout)."""
    keys = (
        "conv_type",
        "num_repeat",
        "input_filters",
        "output_filters",
        "expand_ratio",
        "se_ratio",
        "strides",
    )
    return [dict(zip(keys, row), kernel_size=3) for row in rows]


_B_STAGES = _stages(
    [
        (1, 1, 32, 16, 1, 0, 1),
        (1, 2, 16, 32, 4, 0, 2),
        (1, 2, 32, 48, 4, 0, 2),
        (0, 3, 48, 96, 4, 0.25, 2),
        (0, 5, 96, 112, 6, 0.25, 1),
        (0, 8, 112, 192, 6, 0.25, 2),
    ]
)
DEFAULT_BLOCKS_ARGS = {
    "efficientnetv2-s": _stages(
        [
            (1, 2, 24, 24, 1, 0, 1),
            (1, 4, 24, 48, 4, 0, 2),
            (1, 4, 48, 64, 4, 0, 2),
            (0, 6, 64, 128, 4, 0.25, 2),
            (0, 9, 128, 160, 6, 0.25, 1),
            (0, 15, 160, 256, 6, 0.25, 2),
        ]
    ),
    "efficientnetv2-m": _stages(
        [
            (1, 3, 24, 24, 1, 0, 1),
            (1, 5, 24, 48, 4, 0, 2),
            (1, 5, 48, 80, 4, 0, 2),
            (0, 7, 80, 160, 4, 0.25, 2),
            (0, 14, 160, 176, 6, 0.25, 1),
            (0, 18, 176, 304, 6, 0.25, 2),
            (0, 5, 304, 512, 6, 0.25, 1),
        ]
    ),
    "efficientnetv2-l": _stages(
        [
            (1, 4, 32, 32, 1, 0, 1),
            (1, 7, 32, 64, 4, 0, 2),
            (1, 7, 64, 96, 4, 0, 2),
            (0, 10, 96, 192, 4, 0.25, 2),
            (0, 19, 192, 224, 6, 0.25, 1),
            (0, 25, 224, 384, 6, 0.25, 2),
            (0, 7, 384, 640, 6, 0.25, 1),
        ]
    ),
    "efficientnetv2-b0": _B_STAGES,
    "efficientnetv2-b1": _B_STAGES,
    "efficientnetv2-b2": _B_STAGES,
    "efficientnetv2-b3": _B_STAGES,
}

CONV_KERNEL_INITIALIZER = {
    "class_name": "VarianceScaling",
    "config": {"scale": 2.0, "mode": "fan_out", "distribution": "truncated_normal"},
}
DENSE_KERNEL_INITIALIZER = {
    "class_name": "VarianceScaling",
    "config": {"scale": 1.0 / 3.0, "mode": "fan_out", "distribution": "uniform"},
}


def round_filters(filters, width_coefficient, min_depth, depth_divisor):
    """The number of filters scaled by ``width_coefficient``, rounded to ``depth_divisor``."""
    filters *= width_coefficient
    minimum_depth = min_depth or depth_divisor
    new_filters = max(
        minimum_depth, int(filters + depth_divisor / 2) // depth_divisor * depth_divisor
    )
    return int(new_filters)


def round_repeats(repeats, depth_coefficient):
    """The number of repeats scaled by ``depth_coefficient``, rounded up."""
    return int(math.ceil(depth_coefficient * repeats))


def _conv(filters, kernel_size, name, strides=1, activation=None, use_bias=False):
    return layers.Conv2D(
        filters,
        kernel_size,
        strides=strides,
        padding="same",
        activation=activation,
        use_bias=use_bias,
        kernel_initializer=CONV_KERNEL_INITIALIZER,
        name=name,
    )


def _bn(name, momentum):
    return layers.BatchNormalization(axis=3, momentum=momentum, name=name)


def _squeeze_excite(x, filters, input_filters, se_ratio, activation, name):
    filters_se = max(1, int(input_filters * se_ratio))
    se = layers.GlobalAveragePooling2D(name=f"{name}se_squeeze")(x)
    se = layers.Reshape((1, 1, filters), name=f"{name}se_reshape")(se)
    se = _conv(filters_se, 1, f"{name}se_reduce", activation=activation, use_bias=True)(se)
    se = _conv(filters, 1, f"{name}se_expand", activation="sigmoid", use_bias=True)(se)
    return layers.multiply([x, se], name=f"{name}se_excite")


def _residual(x, inputs, strides, input_filters, output_filters, survival_probability, name):
    if strides == 1 and input_filters == output_filters:
        if survival_probability:
            x = layers.Dropout(
                survival_probability, noise_shape=(None, 1, 1, 1), name=f"{name}drop"
            )(x)
        x = layers.add([x, inputs], name=f"{name}add")
    return x


def MBConvBlock(  # noqa: N802
    input_filters,
    output_filters,
    expand_ratio=1,
    kernel_size=3,
    strides=1,
    se_ratio=0.0,
    bn_momentum=0.9,
    activation="swish",
    survival_probability=0.8,
    name=None,
):
    """MBConv block (mobile inverted residual bottleneck): a function of the block input."""
    name = name or "block0"

    def apply(inputs):
        filters = input_filters * expand_ratio
        x = inputs
        if expand_ratio != 1:
            x = _conv(filters, 1, f"{name}expand_conv")(x)
            x = _bn(f"{name}expand_bn", bn_momentum)(x)
            x = layers.Activation(activation, name=f"{name}expand_activation")(x)
        x = layers.DepthwiseConv2D(
            kernel_size,
            strides=strides,
            depthwise_initializer=CONV_KERNEL_INITIALIZER,
            padding="same",
            use_bias=False,
            name=f"{name}dwconv2",
        )(x)
        x = _bn(f"{name}bn", bn_momentum)(x)
        x = layers.Activation(activation, name=f"{name}activation")(x)
        if 0 < se_ratio <= 1:
            x = _squeeze_excite(x, filters, input_filters, se_ratio, activation, name)
        x = _conv(output_filters, 1, f"{name}project_conv")(x)
        x = _bn(f"{name}project_bn", bn_momentum)(x)
        return _residual(
            x, inputs, strides, input_filters, output_filters, survival_probability, name
        )

    return apply


def FusedMBConvBlock(  # noqa: N802
    input_filters,
    output_filters,
    expand_ratio=1,
    kernel_size=3,
    strides=1,
    se_ratio=0.0,
    bn_momentum=0.9,
    activation="swish",
    survival_probability=0.8,
    name=None,
):
    """Fused MBConv block (the expansion and depthwise convolutions as one Conv2D)."""
    name = name or "block0"

    def apply(inputs):
        filters = input_filters * expand_ratio
        x = inputs
        if expand_ratio != 1:
            x = _conv(filters, kernel_size, f"{name}expand_conv", strides=strides)(x)
            x = _bn(f"{name}expand_bn", bn_momentum)(x)
            x = layers.Activation(activation, name=f"{name}expand_activation")(x)
        if 0 < se_ratio <= 1:
            x = _squeeze_excite(x, filters, input_filters, se_ratio, activation, name)
        fused = expand_ratio == 1
        x = _conv(
            output_filters,
            kernel_size if fused else 1,
            f"{name}project_conv",
            strides=strides if fused else 1,
        )(x)
        x = _bn(f"{name}project_bn", bn_momentum)(x)
        if fused:
            x = layers.Activation(activation, name=f"{name}project_activation")(x)
        return _residual(
            x, inputs, strides, input_filters, output_filters, survival_probability, name
        )

    return apply


def EfficientNetV2(  # noqa: N802
    width_coefficient,
    depth_coefficient,
    default_size,
    dropout_rate=0.2,
    drop_connect_rate=0.2,
    depth_divisor=8,
    min_depth=8,
    bn_momentum=0.9,
    activation="swish",
    blocks_args="default",
    name="efficientnetv2",
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    include_preprocessing=True,
    weights_name=None,
):
    """The EfficientNetV2 family from its width and depth coefficients."""
    fn = f"EfficientNetV2{(weights_name or '').lstrip('-').upper()}"
    if blocks_args == "default":
        if name not in DEFAULT_BLOCKS_ARGS:
            raise ValueError(
                f"{fn}: blocks_args='default' needs name to be one of "
                f"{sorted(DEFAULT_BLOCKS_ARGS)}, received name={name!r}"
            )
        blocks_args = DEFAULT_BLOCKS_ARGS[name]
    _common.check_weights(fn, weights, include_top, classes)
    _common.check_pooling(fn, pooling)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape,
        default_size=default_size,
        min_size=32,
        data_format="channels_last",
        require_flatten=include_top,
        weights=weights,
    )
    img_input, inputs = _common.model_input(fn, input_tensor, input_shape)

    def filters_for(n):
        return round_filters(n, width_coefficient, min_depth, depth_divisor)

    x = img_input
    if include_preprocessing:
        # Bx variants keep EfficientNet (V1)'s preprocessing when the input has 3 channels.
        if name.split("-")[-1].startswith("b") and input_shape[2] == 3:
            x = layers.Rescaling(scale=1.0 / 255)(x)
            x = layers.Normalization(
                mean=[0.485, 0.456, 0.406],
                variance=[0.229**2, 0.224**2, 0.225**2],
                axis=3,
            )(x)
        else:
            x = layers.Rescaling(scale=1.0 / 128.0, offset=-1)(x)

    x = _conv(filters_for(blocks_args[0]["input_filters"]), 3, "stem_conv", strides=2)(x)
    x = _bn("stem_bn", bn_momentum)(x)
    x = layers.Activation(activation, name="stem_activation")(x)

    blocks_args = copy.deepcopy(blocks_args)
    b = 0
    blocks = float(sum(args["num_repeat"] for args in blocks_args))
    for i, args in enumerate(blocks_args):
        if args["num_repeat"] <= 0:
            raise ValueError(
                f"{fn}: The number of repeats in `EfficientNetV2` must be > 0. "
                f"Received: num_repeat={args['num_repeat']}"
            )
        args["input_filters"] = filters_for(args["input_filters"])
        args["output_filters"] = filters_for(args["output_filters"])
        block = {0: MBConvBlock, 1: FusedMBConvBlock}[args.pop("conv_type")]
        for j in range(round_repeats(args.pop("num_repeat"), depth_coefficient)):
            if j > 0:  # only the first block of a stage strides and changes the width
                args["strides"] = 1
                args["input_filters"] = args["output_filters"]
            x = block(
                activation=activation,
                bn_momentum=bn_momentum,
                survival_probability=drop_connect_rate * b / blocks,
                name=f"block{i + 1}{chr(j + 97)}_",
                **args,
            )(x)
            b += 1

    x = _conv(filters_for(1280), 1, "top_conv")(x)
    x = _bn("top_bn", bn_momentum)(x)
    x = layers.Activation(activation, name="top_activation")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate, name="top_dropout")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(
            classes,
            activation=classifier_activation,
            kernel_initializer=DENSE_KERNEL_INITIALIZER,
            bias_initializer="zeros",
            name="predictions",
        )(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D(name="max_pool")(x)
    model = Model(inputs, x, name=name)
    path = None
    if weights == "imagenet":
        suffix, file_hash = (
            (".h5", WEIGHTS_HASHES[weights_name][0])
            if include_top
            else ("_notop.h5", WEIGHTS_HASHES[weights_name][1])
        )
        file_name = name + suffix
        path = _common.imagenet_file(fn, file_name, BASE_WEIGHTS_PATH + file_name, file_hash)
    _common.load_weights(model, weights, path)
    return model


# variant: (width, depth, default size)
_SCALES = {
    "b0": (1.0, 1.0, 224),
    "b1": (1.0, 1.1, 240),
    "b2": (1.1, 1.2, 260),
    "b3": (1.2, 1.4, 300),
    "-s": (1.0, 1.0, 384),
    "-m": (1.0, 1.0, 480),
    "-l": (1.0, 1.0, 480),
}


def _make(variant):
    width, depth, size = _SCALES[variant]
    public = f"EfficientNetV2{variant.lstrip('-').upper()}"

    def build(
        include_top=True,
        weights="imagenet",
        input_tensor=None,
        input_shape=None,
        pooling=None,
        classes=1000,
        classifier_activation="softmax",
        include_preprocessing=True,
        name=f"efficientnetv2-{variant.lstrip('-')}",
    ):
        return EfficientNetV2(
            width_coefficient=width,
            depth_coefficient=depth,
            default_size=size,
            name=name,
            include_top=include_top,
            weights=weights,
            input_tensor=input_tensor,
            input_shape=input_shape,
            pooling=pooling,
            classes=classes,
            classifier_activation=classifier_activation,
            include_preprocessing=include_preprocessing,
            weights_name=variant,
        )

    build.__name__ = build.__qualname__ = public
    build.__doc__ = (
        f"{public} as ``keras.applications.{public}`` (default input {size}x{size}; "
        "arguments as :func:`~gpuflow.applications.ResNet50`, plus "
        "``include_preprocessing``). With ``include_preprocessing=True`` inputs are pixels "
        "in ``[0, 255]`` (the model rescales them itself); without it, values in ``[-1, 1]``."
    )
    return build


EfficientNetV2B0 = _make("b0")
EfficientNetV2B1 = _make("b1")
EfficientNetV2B2 = _make("b2")
EfficientNetV2B3 = _make("b3")
EfficientNetV2S = _make("-s")
EfficientNetV2M = _make("-m")
EfficientNetV2L = _make("-l")


def preprocess_input(x, data_format=None):
    """A pass-through: EfficientNetV2 models preprocess their inputs themselves."""
    return x


def decode_predictions(preds, top=5):
    """See :func:`gpuflow.applications.imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)
