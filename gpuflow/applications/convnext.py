"""ConvNeXt Tiny, Small, Base, Large and XLarge (Liu et al., 2022): Keras' architecture, layer
names and weights files, with its ``LayerScale`` and ``StochasticDepth`` layers. The models
include their input normalization unless ``include_preprocessing=False``, so
:func:`preprocess_input` passes the input through.

Ported from Keras 3.15 (``keras/src/applications/convnext.py``, Apache License 2.0).
"""

from __future__ import annotations

import numpy as np

from .. import initializers, layers
from .. import random as _random
from ..layers.base import Layer
from ..layers.naming import get_uid
from ..models import Model, Sequential
from ..ops.math import cast
from . import _common, imagenet_utils

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/convnext/"
WEIGHTS_HASHES = {
    "convnext_tiny": (
        "8ae6e78ce2933352b1ef4008e6dd2f17bc40771563877d156bc6426c7cf503ff",
        "d547c096cabd03329d7be5562c5e14798aa39ed24b474157cef5e85ab9e49ef1",
    ),
    "convnext_small": (
        "ce1277d8f1ee5a0ef0e171469089c18f5233860ceaf9b168049cb9263fd7483c",
        "6fc8009faa2f00c1c1dfce59feea9b0745eb260a7dd11bee65c8e20843da6eab",
    ),
    "convnext_base": (
        "52cbb006d3dadd03f6e095a8ca1aca47aecdd75acb4bc74bce1f5c695d0086e6",
        "40a20c5548a5e9202f69735ecc06c990e6b7c9d2de39f0361e27baeb24cb7c45",
    ),
    "convnext_large": (
        "070c5ed9ed289581e477741d3b34beffa920db8cf590899d6d2c67fba2a198a6",
        "96f02b6f0753d4f543261bc9d09bed650f24dd6bc02ddde3066135b63d23a1cd",
    ),
    "convnext_xlarge": (
        "c1f5ccab661354fc3a79a10fa99af82f0fbf10ec65cb894a3ae0815f17a889ee",
        "de3f8a54174130e0cecdc71583354753d557fcf1f4487331558e2a16ba0cfe05",
    ),
}

MODEL_CONFIGS = {
    "tiny": {"depths": [3, 3, 9, 3], "projection_dims": [96, 192, 384, 768], "default_size": 224},
    "small": {
        "depths": [3, 3, 27, 3],
        "projection_dims": [96, 192, 384, 768],
        "default_size": 224,
    },
    "base": {
        "depths": [3, 3, 27, 3],
        "projection_dims": [128, 256, 512, 1024],
        "default_size": 224,
    },
    "large": {
        "depths": [3, 3, 27, 3],
        "projection_dims": [192, 384, 768, 1536],
        "default_size": 224,
    },
    "xlarge": {
        "depths": [3, 3, 27, 3],
        "projection_dims": [256, 512, 1024, 2048],
        "default_size": 224,
    },
}


class StochasticDepth(Layer):
    """Drops the whole residual branch of a sample with probability ``drop_path_rate`` in
    training (scaling kept ones by ``1 / (1 - drop_path_rate)``); the identity otherwise."""

    def __init__(self, drop_path_rate, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= float(drop_path_rate) < 1:
            raise ValueError(
                f"StochasticDepth: drop_path_rate must be in [0, 1), received {drop_path_rate}"
            )
        self.drop_path_rate = drop_path_rate

    def call(self, x, training=None):
        if not training or not self.drop_path_rate:
            return x
        keep_prob = 1 - self.drop_path_rate
        shape = (x.shape[0],) + (1,) * (len(x.shape) - 1)
        # floor(keep_prob + u) for u ~ U[0, 1), as Keras: 1 exactly when u >= drop rate
        uniform = _random.uniform(shape, dtype="float32", device=x.device)
        keep = cast(uniform >= self.drop_path_rate, x.dtype)
        return (x / keep_prob) * keep

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "drop_path_rate": self.drop_path_rate}


class LayerScale(Layer):
    """Multiplies the last axis by a trainable ``gamma`` of ``projection_dim`` values that
    start at ``init_values`` (Touvron et al., 2021)."""

    def __init__(self, init_values, projection_dim, **kwargs):
        super().__init__(**kwargs)
        self.init_values = init_values
        self.projection_dim = projection_dim

    def build(self, input_shape):
        if input_shape[-1] is not None and input_shape[-1] != self.projection_dim:
            raise ValueError(
                f"LayerScale {self.name!r}: expected inputs with {self.projection_dim} "
                f"features on the last axis, received shape {tuple(input_shape)}"
            )
        self.gamma = self.add_weight(
            shape=(self.projection_dim,),
            initializer=initializers.Constant(self.init_values),
            trainable=True,
        )
        super().build(input_shape)

    def call(self, x):
        return x * self.gamma

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {
            **super().get_config(),
            "init_values": self.init_values,
            "projection_dim": self.projection_dim,
        }


def ConvNeXtBlock(  # noqa: N802
    projection_dim, drop_path_rate=0.0, layer_scale_init_value=1e-6, name=None
):
    """A ConvNeXt block: 7x7 depthwise convolution, LayerNorm, pointwise MLP (Dense layers),
    layer scale and the residual (through StochasticDepth when ``drop_path_rate``)."""
    if name is None:
        name = f"prestem{get_uid('prestem')}"

    def apply(inputs):
        x = layers.Conv2D(
            filters=projection_dim,
            kernel_size=7,
            padding="same",
            groups=projection_dim,
            name=f"{name}_depthwise_conv",
        )(inputs)
        x = layers.LayerNormalization(epsilon=1e-6, name=f"{name}_layernorm")(x)
        x = layers.Dense(4 * projection_dim, name=f"{name}_pointwise_conv_1")(x)
        x = layers.Activation("gelu", name=f"{name}_gelu")(x)
        x = layers.Dense(projection_dim, name=f"{name}_pointwise_conv_2")(x)
        if layer_scale_init_value is not None:
            x = LayerScale(layer_scale_init_value, projection_dim, name=f"{name}_layer_scale")(x)
        if drop_path_rate:
            layer = StochasticDepth(drop_path_rate, name=f"{name}_stochastic_depth")
        else:
            layer = layers.Activation("linear", name=f"{name}_identity")
        return inputs + layer(x)

    return apply


def PreStem(name=None):  # noqa: N802
    """Normalizes ``[0, 255]`` inputs with ImageNet-1k's mean and standard deviation."""
    if name is None:
        name = f"prestem{get_uid('prestem')}"

    def apply(x):
        return layers.Normalization(
            mean=[0.485 * 255, 0.456 * 255, 0.406 * 255],
            variance=[(0.229 * 255) ** 2, (0.224 * 255) ** 2, (0.225 * 255) ** 2],
            name=f"{name}_prestem_normalization",
        )(x)

    return apply


def Head(num_classes=1000, classifier_activation=None, name=None):  # noqa: N802
    """The classification head: global average pooling, LayerNorm, Dense."""
    if name is None:
        name = str(get_uid("head"))

    def apply(x):
        x = layers.GlobalAveragePooling2D(name=f"{name}_head_gap")(x)
        x = layers.LayerNormalization(epsilon=1e-6, name=f"{name}_head_layernorm")(x)
        return layers.Dense(
            num_classes, activation=classifier_activation, name=f"{name}_head_dense"
        )(x)

    return apply


def ConvNeXt(  # noqa: N802
    depths,
    projection_dims,
    drop_path_rate=0.0,
    layer_scale_init_value=1e-6,
    default_size=224,
    name="convnext",
    include_preprocessing=True,
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    weights_name=None,
):
    """The ConvNeXt family from its stage depths and widths (``MODEL_CONFIGS``)."""
    fn = "ConvNeXt" + (weights_name or "").replace("convnext_", "").capitalize()
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
    x, inputs = _common.model_input(fn, input_tensor, input_shape)
    if input_tensor is not None:
        inputs = inputs[0]
    if include_preprocessing and input_shape[-1] == 3:
        x = PreStem(name=name)(x)

    stem = Sequential(
        [
            layers.Conv2D(projection_dims[0], kernel_size=4, strides=4, name=f"{name}_stem_conv"),
            layers.LayerNormalization(epsilon=1e-6, name=f"{name}_stem_layernorm"),
        ],
        name=f"{name}_stem",
    )
    downsample_layers = [stem]
    for i in range(3):
        downsample_layers.append(
            Sequential(
                [
                    layers.LayerNormalization(
                        epsilon=1e-6, name=f"{name}_downsampling_layernorm_{i}"
                    ),
                    layers.Conv2D(
                        projection_dims[i + 1],
                        kernel_size=2,
                        strides=2,
                        name=f"{name}_downsampling_conv_{i}",
                    ),
                ],
                name=f"{name}_downsampling_block_{i}",
            )
        )

    # the stochastic depth schedule of the original ConvNeXt code
    depth_drop_rates = [float(r) for r in np.linspace(0.0, drop_path_rate, sum(depths))]
    cur = 0
    for i in range(4):
        x = downsample_layers[i](x)
        for j in range(depths[i]):
            x = ConvNeXtBlock(
                projection_dim=projection_dims[i],
                drop_path_rate=depth_drop_rates[cur + j],
                layer_scale_init_value=layer_scale_init_value,
                name=f"{name}_stage_{i}_block_{j}",
            )(x)
        cur += depths[i]

    if include_top:
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = Head(num_classes=classes, classifier_activation=classifier_activation, name=name)(x)
    else:
        if pooling == "avg":
            x = layers.GlobalAveragePooling2D()(x)
        elif pooling == "max":
            x = layers.GlobalMaxPooling2D()(x)
        x = layers.LayerNormalization(epsilon=1e-6)(x)
    model = Model(inputs=inputs, outputs=x, name=name)

    path = None
    if weights == "imagenet":
        expected = MODEL_CONFIGS[weights_name.split("convnext_")[-1]]
        if (
            list(depths) != expected["depths"]
            or list(projection_dims) != (expected["projection_dims"])
        ):
            raise ValueError(
                f"{fn}: Architecture configuration does not match {weights_name} variant. "
                "When using pre-trained weights, the model architecture must match the "
                f"pre-trained configuration exactly. Expected depths: {expected['depths']}, "
                f"got: {depths}. Expected projection_dims: {expected['projection_dims']}, "
                f"got: {projection_dims}."
            )
        if weights_name not in name:
            raise ValueError(
                f'{fn}: Model name "{name}" does not match weights variant "{weights_name}". '
                "When using imagenet weights, model name must contain the weights variant "
                f'(e.g., "{weights_name}").'
            )
        suffix, file_hash = (
            (".h5", WEIGHTS_HASHES[weights_name][0])
            if include_top
            else ("_notop.h5", WEIGHTS_HASHES[weights_name][1])
        )
        file_name = name + suffix
        path = _common.imagenet_file(fn, file_name, BASE_WEIGHTS_PATH + file_name, file_hash)
    _common.load_weights(model, weights, path)
    return model


def _make(variant):
    config = MODEL_CONFIGS[variant]
    title = f"ConvNeXt{'XLarge' if variant == 'xlarge' else variant.capitalize()}"

    def build(
        include_top=True,
        include_preprocessing=True,
        weights="imagenet",
        input_tensor=None,
        input_shape=None,
        pooling=None,
        classes=1000,
        classifier_activation="softmax",
        name=f"convnext_{variant}",
    ):
        return ConvNeXt(
            weights_name=f"convnext_{variant}",
            depths=config["depths"],
            projection_dims=config["projection_dims"],
            drop_path_rate=0.0,
            layer_scale_init_value=1e-6,
            default_size=config["default_size"],
            name=name,
            include_top=include_top,
            include_preprocessing=include_preprocessing,
            weights=weights,
            input_tensor=input_tensor,
            input_shape=input_shape,
            pooling=pooling,
            classes=classes,
            classifier_activation=classifier_activation,
        )

    build.__name__ = build.__qualname__ = title
    build.__doc__ = (
        f"{title} as ``keras.applications.{title}`` (default input 224x224; arguments as "
        ":func:`~gpuflow.applications.ResNet50`). With ``include_preprocessing`` (default) "
        "inputs are pixels in ``[0, 255]`` that the model normalizes itself; without the top, "
        "the (pooled) features end with a LayerNormalization, as Keras'."
    )
    return build


ConvNeXtTiny = _make("tiny")
ConvNeXtSmall = _make("small")
ConvNeXtBase = _make("base")
ConvNeXtLarge = _make("large")
ConvNeXtXLarge = _make("xlarge")


def preprocess_input(x, data_format=None):
    """A pass-through: ConvNeXt models preprocess their inputs themselves (Keras keeps this
    function for backward compatibility)."""
    return x


def decode_predictions(preds, top=5):
    """See :func:`gpuflow.applications.imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)
