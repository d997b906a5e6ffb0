"""``keras.applications.imagenet_utils``: ImageNet input preprocessing and decoding of
predictions, as Keras 3 does them."""

from __future__ import annotations

import functools
import json
import warnings

import numpy as np

from .. import activations

CLASS_INDEX_PATH = (
    "https://storage.googleapis.com/download.tensorflow.org/data/imagenet_class_index.json"
)
_CLASS_INDEX_HASH = "c2c37ea517e94d9795004a39431a14cb"

_CAFFE_MEAN = [103.939, 116.779, 123.68]  # BGR
_TORCH_MEAN = [0.485, 0.456, 0.406]
_TORCH_STD = [0.229, 0.224, 0.225]


def preprocess_input(x, data_format=None, mode="caffe"):
    """Preprocess a batch of images (or one image) with values in ``[0, 255]``.

    Args:
        x: a float NumPy array (preprocessed in place, as Keras does; an integer array is
            converted to float32 first) or a tensor, 3-D or 4-D with 3 color channels.
        data_format: ``"channels_last"`` (default) or ``"channels_first"``.
        mode: ``"caffe"`` (RGB to BGR, then subtract the ImageNet mean per channel),
            ``"tf"`` (scale to ``[-1, 1]``) or ``"torch"`` (scale to ``[0, 1]``, then
            normalize each channel with ImageNet's mean and standard deviation).

    Raises:
        ValueError: for an unknown ``mode`` or ``data_format``.
    """
    if mode not in {"caffe", "tf", "torch"}:
        raise ValueError(
            f"Expected mode to be one of `caffe`, `tf` or `torch`. Received: mode={mode}"
        )
    if data_format is None:
        data_format = "channels_last"
    elif data_format not in {"channels_first", "channels_last"}:
        raise ValueError(
            "Expected data_format to be one of `channels_first` or `channels_last`. "
            f"Received: data_format={data_format}"
        )
    if isinstance(x, np.ndarray):
        return _preprocess_numpy_input(x, data_format, mode)
    return _preprocess_tensor_input(x, data_format, mode)


def _preprocess_numpy_input(x, data_format, mode):
    if not issubclass(x.dtype.type, np.floating):
        x = x.astype("float32", copy=False)
    elif not x.flags.writeable:  # a tensor's .numpy() view: Keras scales in place
        x = x.copy()
    if mode == "tf":
        x /= 127.5
        x -= 1.0
        return x
    if mode == "torch":
        x /= 255.0
        mean, std = _TORCH_MEAN, _TORCH_STD
    else:
        if data_format == "channels_first":
            x = x[::-1, ...] if x.ndim == 3 else x[:, ::-1, ...]
        else:
            x = x[..., ::-1]
        mean, std = _CAFFE_MEAN, None
    for channel in range(3):
        if data_format == "channels_first":
            index = (channel,) if x.ndim == 3 else (slice(None), channel)
        else:
            index = (Ellipsis, channel)
        x[index] -= mean[channel]
        if std is not None:
            x[index] /= std[channel]
    return x


def _preprocess_tensor_input(x, data_format, mode):
    import gpuflow as gf  # the public ops: they also record layers on symbolic inputs

    from ..layers.keras_tensor import KerasTensor

    if not isinstance(x, KerasTensor):
        x = gf.convert_to_tensor(x)
    if not gf.as_dtype(x.dtype).is_floating:
        x = gf.cast(x, "float32")
    as_tensor, reshape, stack = gf.constant, gf.reshape, gf.stack
    ndim = len(x.shape)
    if mode == "tf":
        return x / 127.5 - 1.0
    if mode == "torch":
        x = x / 255.0
        mean, std = _TORCH_MEAN, _TORCH_STD
    else:
        if data_format == "channels_first":
            if ndim == 3:
                x = stack([x[i] for i in (2, 1, 0)], axis=0)
            else:
                x = stack([x[:, i] for i in (2, 1, 0)], axis=1)
        else:
            x = stack([x[..., i] for i in (2, 1, 0)], axis=-1)
        mean, std = _CAFFE_MEAN, None
    if data_format == "channels_first":
        shape = (3, 1, 1) if ndim == 3 else (1, 3) + (1,) * (ndim - 2)
    else:
        shape = (1,) * (ndim - 1) + (3,)
    dtype = gf.as_dtype(x.dtype).name
    x = x + reshape(as_tensor(-np.array(mean), dtype=dtype), shape)
    if std is not None:
        x = x / reshape(as_tensor(np.array(std), dtype=dtype), shape)
    return x


@functools.lru_cache(maxsize=1)
def _class_index() -> dict:
    from ..utils.file_utils import get_file

    try:
        path = get_file(
            "imagenet_class_index.json",
            CLASS_INDEX_PATH,
            cache_subdir="models",
            file_hash=_CLASS_INDEX_HASH,
        )
    except OSError as exc:
        raise OSError(
            "decode_predictions needs ImageNet's class index (imagenet_class_index.json), "
            f"which could not be downloaded: {exc}"
        ) from exc
    with open(path) as f:
        return json.load(f)


def decode_predictions(preds, top=5):
    """The ``top`` ImageNet classes of each prediction, as ``(class_id, name, score)`` tuples.

    The class index is downloaded once (``~/.keras/models/imagenet_class_index.json``).

    Raises:
        ValueError: when ``preds`` is not ``[samples, 1000]``.
        OSError: when the class index is not cached and cannot be downloaded.
    """
    preds = np.asarray(preds)
    if len(preds.shape) != 2 or preds.shape[1] != 1000:
        raise ValueError(
            "`decode_predictions` expects a batch of predictions (i.e. a 2D array of shape "
            f"(samples, 1000)). Received array with shape: {preds.shape}"
        )
    index = _class_index()
    results = []
    for pred in preds:
        top_indices = pred.argsort()[-top:][::-1]
        result = [tuple(index[str(i)]) + (pred[i],) for i in top_indices]
        result.sort(key=lambda r: r[2], reverse=True)
        results.append(result)
    return results


def obtain_input_shape(
    input_shape, default_size, min_size, data_format, require_flatten, weights=None
):
    """The model's input shape from the user's ``input_shape`` and the architecture's
    defaults, checked as Keras does."""
    if weights != "imagenet" and input_shape and len(input_shape) == 3:
        if data_format == "channels_first":
            if input_shape[0] not in {1, 3}:
                warnings.warn(
                    "This model usually expects 1 or 3 input channels. However, it was "
                    f"passed an input_shape with {input_shape[0]} input channels.",
                    stacklevel=3,
                )
            default_shape = (input_shape[0], default_size, default_size)
        else:
            if input_shape[-1] not in {1, 3}:
                warnings.warn(
                    "This model usually expects 1 or 3 input channels. However, it was "
                    f"passed an input_shape with {input_shape[-1]} input channels.",
                    stacklevel=3,
                )
            default_shape = (default_size, default_size, input_shape[-1])
    elif data_format == "channels_first":
        default_shape = (3, default_size, default_size)
    else:
        default_shape = (default_size, default_size, 3)
    if weights == "imagenet" and require_flatten:
        if input_shape is not None and tuple(input_shape) != default_shape:
            raise ValueError(
                "When setting `include_top=True` and loading `imagenet` weights, "
                f"`input_shape` should be {default_shape}.  Received: "
                f"input_shape={input_shape}"
            )
        return default_shape
    if input_shape:
        input_shape = tuple(input_shape)
        if len(input_shape) != 3:
            raise ValueError("`input_shape` must be a tuple of three integers.")
        if data_format == "channels_first":
            channels, rows, cols = input_shape
        else:
            rows, cols, channels = input_shape
        if channels != 3 and weights == "imagenet":
            raise ValueError(
                f"The input must have 3 channels; Received `input_shape={input_shape}`"
            )
        if (rows is not None and rows < min_size) or (cols is not None and cols < min_size):
            raise ValueError(
                f"Input size must be at least {min_size}x{min_size}; Received: "
                f"input_shape={input_shape}"
            )
    elif require_flatten:
        input_shape = default_shape
    elif data_format == "channels_first":
        input_shape = (3, None, None)
    else:
        input_shape = (None, None, 3)
    if require_flatten and None in input_shape:
        raise ValueError(
            "If `include_top` is True, you should specify a static `input_shape`. "
            f"Received: input_shape={input_shape}"
        )
    return input_shape


def correct_pad(inputs, kernel_size):
    """The ``ZeroPadding2D`` padding that makes a stride-2 'valid' convolution match TF's
    original 'same' padding of these models."""
    input_size = tuple(inputs.shape[1:3])
    if isinstance(kernel_size, int):
        kernel_size = (kernel_size, kernel_size)
    adjust = (1, 1) if input_size[0] is None else (1 - input_size[0] % 2, 1 - input_size[1] % 2)
    correct = (kernel_size[0] // 2, kernel_size[1] // 2)
    return ((correct[0] - adjust[0], correct[0]), (correct[1] - adjust[1], correct[1]))


def validate_activation(classifier_activation, weights):
    """With pretrained weights only ``None`` and ``"softmax"`` may top the classifier."""
    if weights is None:
        return
    fn = activations.get(classifier_activation)
    if fn not in {activations.get("softmax"), activations.get(None)}:
        raise ValueError(
            "Only `None` and `softmax` activations are allowed for the "
            "`classifier_activation` argument when using pretrained weights, with "
            f"`include_top=True`; Received: classifier_activation={classifier_activation}"
        )
