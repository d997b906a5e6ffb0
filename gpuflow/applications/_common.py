"""What every application builder shares: argument checks, the input, the classifier top,
and weights (a file path, or Keras' ImageNet files through ``get_file``)."""

from __future__ import annotations

from pathlib import Path

from .. import layers
from . import imagenet_utils


def check_weights(fn: str, weights, include_top: bool, classes) -> None:
    """``weights`` is None, ``"imagenet"`` or an existing file; ImageNet tops have 1000
    classes."""
    if not (weights in {"imagenet", None} or Path(str(weights)).exists()):
        raise ValueError(
            f"{fn}: The `weights` argument should be either `None` (random initialization), "
            "`imagenet` (pre-training on ImageNet), or the path to the weights file to be "
            f"loaded.  Received `weights={weights}`"
        )
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError(
            f"{fn}: If using `weights='imagenet'` with `include_top=True`, `classes` should "
            f"be 1000.  Received classes={classes}"
        )


def check_pooling(fn: str, pooling) -> None:
    if pooling not in (None, "avg", "max"):
        raise ValueError(
            f"{fn}: pooling must be None, 'avg' or 'max', received pooling={pooling!r}"
        )


def model_input(fn: str, input_tensor, input_shape):
    """``(image input, model inputs)``: a new ``Input(input_shape)``, or ``input_tensor`` (a
    symbolic tensor from ``keras.Input`` or a layer) and the inputs it comes from."""
    from ..layers.keras_tensor import KerasTensor
    from ..utils.source_inputs import get_source_inputs

    if input_tensor is None:
        img = layers.Input(shape=input_shape)
        return img, img
    if not isinstance(input_tensor, KerasTensor):
        raise ValueError(
            f"{fn}: input_tensor must be a symbolic tensor (keras.Input(...) or a layer's "
            f"output), received {type(input_tensor).__name__}"
        )
    return input_tensor, get_source_inputs(input_tensor)


def top(x, include_top, pooling, classes, classifier_activation, weights, pool_names=None):
    """Global average pooling + the ``predictions`` Dense layer, or ``pooling`` alone."""
    avg, mx = pool_names or (None, None)
    if include_top:
        x = layers.GlobalAveragePooling2D(name=avg)(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        return layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    if pooling == "avg":
        return layers.GlobalAveragePooling2D(name=avg)(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D(name=mx)(x)
    return x


def imagenet_file(fn: str, file_name: str, origin: str, file_hash=None) -> str:
    """Keras' ImageNet weights file from the cache (``~/.keras/models``), downloaded once."""
    from ..utils.file_utils import get_file

    try:
        return get_file(file_name, origin, cache_subdir="models", file_hash=file_hash)
    except OSError as exc:
        raise OSError(
            f"{fn}: weights='imagenet' needs Keras' file {file_name}, which could not be "
            f"downloaded ({exc}). Use weights=None, or pass the path of a downloaded copy as "
            "weights=..."
        ) from exc


def load_weights(model, weights, imagenet_path=None) -> None:
    """Load ``weights`` (a path) or the ImageNet file into ``model``."""
    if weights == "imagenet":
        model.load_weights(imagenet_path)
    elif weights is not None:
        model.load_weights(str(weights))
