"""ResNet50V2 / 101V2 / 152V2 (He et al., 2016, pre-activation): Keras' architecture, layer
names and weights files."""

from __future__ import annotations

from . import imagenet_utils
from .resnet import _DOC, ResNet, stack_residual_blocks_v2


def _v2(depths):
    def stack_fn(x):
        x = stack_residual_blocks_v2(x, 64, depths[0], name="conv2")
        x = stack_residual_blocks_v2(x, 128, depths[1], name="conv3")
        x = stack_residual_blocks_v2(x, 256, depths[2], name="conv4")
        return stack_residual_blocks_v2(x, 512, depths[3], stride1=1, name="conv5")

    return stack_fn


def _make(depths, weights_name, default_name):
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
        return ResNet(
            _v2(depths),
            True,
            True,
            include_top,
            weights,
            input_tensor,
            input_shape,
            pooling,
            classes,
            classifier_activation,
            name,
            weights_name,
        )

    return build


ResNet50V2 = _make((3, 4, 6, 3), "resnet50v2", "resnet50v2")
ResNet101V2 = _make((3, 4, 23, 3), "resnet101v2", "resnet101v2")
ResNet152V2 = _make((3, 8, 36, 3), "resnet152v2", "resnet152v2")
for _fn, _name in (
    (ResNet50V2, "ResNet50V2"),
    (ResNet101V2, "ResNet101V2"),
    (ResNet152V2, "ResNet152V2"),
):
    _fn.__name__ = _fn.__qualname__ = _name
    _fn.__doc__ = _DOC.format(name=_name)


def preprocess_input(x, data_format=None):
    """Scale pixels from ``[0, 255]`` to ``[-1, 1]`` (``mode="tf"``)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


def decode_predictions(preds, top=5):
    """See :func:`gpuflow.applications.imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)
