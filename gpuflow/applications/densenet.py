"""DenseNet121 / 169 / 201 (Huang et al., 2017): Keras' architecture, layer names and
weights files."""

from __future__ import annotations

from .. import layers
from ..models import Model
from . import _common, imagenet_utils

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/densenet/"
# blocks per stage -> (name, (top file hash, no-top file hash)), as Keras
_VARIANTS = {
    (6, 12, 24, 16): (
        "densenet121",
        ("9d60b8095a5708f2dcce2bca79d332c7", "30ee3e1110167f948a6b9946edeeb738"),
    ),
    (6, 12, 32, 32): (
        "densenet169",
        ("d699b8f76981ab1b30698df4c175e90b", "b8c4d4c20dd625c148057b9ff1c1176b"),
    ),
    (6, 12, 48, 32): (
        "densenet201",
        ("1ceb130c1ea1b78c3bf6114dbdfd8807", "c13680b51ded0fb44dff2d8f86ac8bb1"),
    ),
}
_EPS = 1.001e-5


def dense_block(x, blocks, name):
    for i in range(blocks):
        x = conv_block(x, 32, name=f"{name}_block{i + 1}")
    return x


def transition_block(x, reduction, name):
    x = layers.BatchNormalization(axis=3, epsilon=_EPS, name=f"{name}_bn")(x)
    x = layers.Activation("relu", name=f"{name}_relu")(x)
    x = layers.Conv2D(int(x.shape[3] * reduction), 1, use_bias=False, name=f"{name}_conv")(x)
    return layers.AveragePooling2D(2, strides=2, name=f"{name}_pool")(x)


def conv_block(x, growth_rate, name):
    x1 = layers.BatchNormalization(axis=3, epsilon=_EPS, name=f"{name}_0_bn")(x)
    x1 = layers.Activation("relu", name=f"{name}_0_relu")(x1)
    x1 = layers.Conv2D(4 * growth_rate, 1, use_bias=False, name=f"{name}_1_conv")(x1)
    x1 = layers.BatchNormalization(axis=3, epsilon=_EPS, name=f"{name}_1_bn")(x1)
    x1 = layers.Activation("relu", name=f"{name}_1_relu")(x1)
    x1 = layers.Conv2D(growth_rate, 3, padding="same", use_bias=False, name=f"{name}_2_conv")(x1)
    return layers.Concatenate(axis=3, name=f"{name}_concat")([x, x1])


def DenseNet(  # noqa: N802
    blocks,
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="densenet",
):
    """The DenseNet family from its four stages' block counts."""
    variant = _VARIANTS.get(tuple(blocks))
    fn = f"DenseNet{variant[0][8:]}" if variant else "DenseNet"
    _common.check_weights(fn, weights, include_top, classes)
    _common.check_pooling(fn, pooling)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape,
        default_size=224,
        min_size=32,
        data_format="channels_last",
        require_flatten=include_top,
        weights=weights,
    )
    img_input, inputs = _common.model_input(fn, input_tensor, input_shape)
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)))(img_input)
    x = layers.Conv2D(64, 7, strides=2, use_bias=False, name="conv1_conv")(x)
    x = layers.BatchNormalization(axis=3, epsilon=_EPS, name="conv1_bn")(x)
    x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)))(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1")(x)
    for stage, count in enumerate(blocks):
        x = dense_block(x, count, name=f"conv{stage + 2}")
        if stage < 3:
            x = transition_block(x, 0.5, name=f"pool{stage + 2}")
    x = layers.BatchNormalization(axis=3, epsilon=_EPS, name="bn")(x)
    x = layers.Activation("relu", name="relu")(x)
    x = _common.top(
        x,
        include_top,
        pooling,
        classes,
        classifier_activation,
        weights,
        pool_names=("avg_pool", "max_pool"),
    )
    model = Model(inputs, x, name=name)
    path = None
    if weights == "imagenet":
        if variant is None:
            raise ValueError(f"{fn}: no ImageNet weights for blocks={list(blocks)}")
        stem, hashes = variant
        suffix, file_hash = ("", hashes[0]) if include_top else ("_notop", hashes[1])
        file_name = f"{stem}_weights_tf_dim_ordering_tf_kernels{suffix}.h5"
        path = _common.imagenet_file(fn, file_name, BASE_WEIGHTS_PATH + file_name, file_hash)
    _common.load_weights(model, weights, path)
    return model


def _make(blocks, default_name, fn_name):
    def build(
        include_top=True,
        weights="imagenet",
        input_tensor=None,
        input_shape=None,
        pooling=None,
        classes=1000,
        classifier_activation="softmax",
        name=default_name,
    ):
        return DenseNet(
            list(blocks),
            include_top,
            weights,
            input_tensor,
            input_shape,
            pooling,
            classes,
            classifier_activation,
            name,
        )

    build.__name__ = build.__qualname__ = fn_name
    build.__doc__ = (
        f"{fn_name} as ``keras.applications.{fn_name}`` (arguments as "
        ":func:`~gpuflow.applications.ResNet50`; inputs preprocessed with "
        "``densenet.preprocess_input``, mode ``torch``)."
    )
    return build


DenseNet121 = _make((6, 12, 24, 16), "densenet121", "DenseNet121")
DenseNet169 = _make((6, 12, 32, 32), "densenet169", "DenseNet169")
DenseNet201 = _make((6, 12, 48, 32), "densenet201", "DenseNet201")


def preprocess_input(x, data_format=None):
    """Scale to ``[0, 1]`` and normalize with ImageNet's mean and std (``mode="torch"``)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="torch")


def decode_predictions(preds, top=5):
    """See :func:`gpuflow.applications.imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)
