"""The base of the random image augmentation layers (Keras 3's image preprocessing layers):
a seeded private random stream, the ``factor`` and ``value_range`` rules, ``training``
handling, and (``ImageAugmentation``) Keras' split of a call into
``get_random_transformation`` and ``transform_images`` with dict inputs.

As Keras 3, an augmentation layer's ``call`` defaults to ``training=True``: called on its
own it augments; inside a model, ``fit`` passes ``training=True`` and ``predict`` /
``evaluate`` pass ``False`` (then the layer returns its input). A ``seed`` gives the layer
its own stream; without one it draws from the global host stream, which
``keras.utils.set_random_seed`` restarts. The numbers differ from Keras' generator.
"""

from __future__ import annotations

import numpy as np

from ... import random as _random
from ..._tracing import host_call
from ...ops.math import cast
from ...ops.shape import expand_dims, squeeze
from ...tensor import Tensor
from ..base import Layer
from ..channels_first import ChannelsFirst, data_format_arg


def factor_error(layer, bounds, factor) -> ValueError:
    return ValueError(
        f"{layer._where()}: The `factor` argument should be a number (or a list of two numbers) "
        f"in the range [{bounds[0]}, {bounds[1]}]. Received: factor={factor}"
    )


def symmetric_factor(layer, factor, bounds=(-1, 1), name="factor") -> tuple:
    """Keras' ``_set_factor``: a number ``f`` gives ``(max(-|f|, low), |f|)``, a pair is sorted."""
    if isinstance(factor, (tuple, list)):
        if len(factor) != 2 or factor[0] > bounds[1] or factor[1] < bounds[0]:
            raise factor_error(layer, bounds, factor)
        lower, upper = sorted(float(f) for f in factor)
        return lower, upper
    if isinstance(factor, (int, float)) and not isinstance(factor, bool):
        if factor < bounds[0] or factor > bounds[1]:
            raise factor_error(layer, bounds, factor)
        factor = abs(float(factor))
        return max(-factor, bounds[0]), factor
    raise factor_error(layer, bounds, factor)


def unit_factor(layer, factor, name: str, message: str, single) -> tuple:
    """A factor in ``[0, 1]`` as a range: a pair, sorted; a number ``f``, ``single(f)``.
    Errors are Keras' ``message`` with what was received (the argument, or the number out
    of range)."""

    def error(received):
        return ValueError(f"{layer._where()}: {message} Received: {received}")

    def check(value):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise error(f"{name}={factor}")
        if value > 1.0 or value < 0.0:
            raise error(f"input_number={value}")

    if isinstance(factor, (tuple, list)):
        if len(factor) != 2:
            raise error(f"{name}={factor}")
        check(factor[0])
        check(factor[1])
        return tuple(sorted(factor))
    check(factor)
    return single(factor)


def check_rank(layer, shape) -> None:
    if len(tuple(shape)) not in (3, 4):
        raise ValueError(
            f"{layer._where()}: expected images of rank 3 ([height, width, channels]) or 4 "
            f"([batch, height, width, channels]), received shape {tuple(shape)}"
        )


class RandomImageLayer(ChannelsFirst, Layer):
    """Common state of the augmentation layers: ``seed``, ``data_format`` and draws."""

    _allow_non_tensor_positional_args = True  # as Keras' data layers: lists, strings

    def __init__(self, seed=None, data_format=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.seed = seed
        self._rng = None
        self.data_format = data_format_arg(data_format, self._where())

    def _generator(self) -> np.random.Generator:
        """This layer's stream (from ``seed``), or the global host stream without one."""
        if self.seed is None:
            return _random.host_rng()
        if self._rng is None:
            self._rng = np.random.default_rng(self.seed)
        return self._rng

    @host_call(effect=False, droppable=False)  # a fresh draw on each compiled step
    def _sample(self, kind, shape, device, a=0.0, b=1.0) -> Tensor:
        """Draws of ``shape`` from this layer's stream: ``uniform`` in ``[a, b)``, ``normal``
        (mean ``a``, stddev ``b``), ``beta(a, b)``, ``gamma(a)`` (float32), ``integers`` in
        ``[a, b)`` or a ``permutation`` of ``range(shape[0])`` (int64)."""
        rng, shape = self._generator(), tuple(shape)
        if kind == "integers":
            return Tensor(rng.integers(int(a), int(b), size=shape).astype(np.int64), device=device)
        if kind == "permutation":
            return Tensor(rng.permutation(shape[0]).astype(np.int64), device=device)
        draw = {
            "uniform": lambda: rng.uniform(a, b, size=shape),
            "normal": lambda: rng.normal(a, b, size=shape),
            "beta": lambda: rng.beta(a, b, size=shape),
            "gamma": lambda: rng.gamma(a, size=shape),
        }[kind]
        return Tensor(draw().astype(np.float32), device=device)

    def _uniform(self, shape, low, high, device) -> Tensor:
        """Uniform draws in ``[low, high)`` (float32), from this layer's stream."""
        return self._sample("uniform", shape, device, float(low), float(high))

    def _images(self, inputs):
        check_rank(self, inputs.shape)
        if inputs.dtype != self.compute_dtype:
            return cast(inputs, self.compute_dtype)
        return inputs

    @staticmethod
    def _batch_shape(x) -> tuple:
        """``(batch, height, width)`` of images ``[N, H, W, C]`` or ``[H, W, C]`` (batch 1)."""
        if x.ndim == 4:
            return x.shape[0], x.shape[1], x.shape[2]
        return 1, x.shape[0], x.shape[1]

    def compute_output_shape(self, input_shape) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format}


def to_range(images, source, target):
    """``images`` mapped linearly from the value range ``source`` to ``target`` (Keras'
    ``_transform_value_range``; unchanged when the two are equal)."""
    (s0, s1), (t0, t1) = (float(v) for v in source), (float(v) for v in target)
    if (s0, s1) == (t0, t1):
        return images
    return (images - s0) / (s1 - s0) * (t1 - t0) + t0


def value_range_arg(layer, value_range, sort: bool = True):
    """Keras' ``_set_value_range``: a list of two numbers (sorted unless ``sort`` is False)."""
    if not isinstance(value_range, (tuple, list)) or len(value_range) != 2:
        raise ValueError(
            f"{layer._where()}: The `value_range` argument should be a list of two numbers. "
            f"Received: value_range={value_range}"
        )
    return sorted(value_range) if sort else value_range


class ImageAugmentation(RandomImageLayer):
    """Keras 3's ``BaseImagePreprocessingLayer`` protocol: ``get_random_transformation``
    draws the parameters of one call, ``transform_images`` applies them to a batch
    ``[N, H, W, C]`` (a single image is run as a batch of one), ``transform_labels`` to
    the labels of a ``{"images": ..., "labels": ...}`` input. When not training the images
    pass unchanged (cast to the compute dtype), unless ``_applies_at_inference``.
    RandAugment and AugMix drive their sub-layers through the same two methods."""

    _applies_at_inference = False

    def __init__(self, seed=None, data_format=None, bounding_box_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        # accepted and saved as Keras 3; dicts with bounding_boxes are refused in call
        self.bounding_box_format = bounding_box_format

    def get_config(self) -> dict:
        config = super().get_config()
        if self.bounding_box_format is not None:
            config["bounding_box_format"] = self.bounding_box_format
        return config

    def get_random_transformation(self, images, training=True, seed=None):
        return None

    def transform_images(self, images, transformation, training=True):
        raise NotImplementedError

    def transform_labels(self, labels, transformation, training=True):
        return labels

    def transform_segmentation_masks(self, masks, transformation, training=True):
        return masks

    def _chosen(self, n: int, device) -> Tensor:
        """``[N]`` booleans: each image is chosen with a probability drawn from
        ``self.factor`` (Keras' ``random_threshold < probability``)."""
        probability = self._uniform((n,), self.factor[0], self.factor[1], device)
        return self._uniform((n,), 0.0, 1.0, device) < probability

    def _active(self, training) -> bool:
        return bool(training) or self._applies_at_inference

    def call(self, inputs, training=True):
        if isinstance(inputs, dict):
            return self._call_dict(inputs, training)
        images = self._images(inputs)
        if not self._active(training):
            return images
        batch = images if images.ndim == 4 else expand_dims(images, 0)
        transformation = self.get_random_transformation(batch, training=True)
        out = self.transform_images(batch, transformation)
        return out if images.ndim == 4 else squeeze(out, 0)

    def _call_dict(self, data, training):
        if "images" not in data:
            raise ValueError(
                f"{self._where()}: a dict input needs an 'images' entry, received keys "
                f"{sorted(data)}"
            )
        if "bounding_boxes" in data:
            raise NotImplementedError(
                f"{self._where()}: bounding_boxes inputs are not supported by gpuflow's "
                "augmentation layers (images, labels and segmentation_masks are)"
            )
        images = self._images(data["images"])
        out = dict(data)
        if not self._active(training):
            out["images"] = images
            return out
        single = images.ndim == 3
        batch = expand_dims(images, 0) if single else images
        transformation = self.get_random_transformation(batch, training=True)
        result = self.transform_images(batch, transformation)
        out["images"] = squeeze(result, 0) if single else result
        for key, method in (
            ("labels", self.transform_labels),
            ("segmentation_masks", self.transform_segmentation_masks),
        ):
            if key in data:
                value = data[key]
                value = expand_dims(value, 0) if single else value
                value = method(value, transformation)
                out[key] = squeeze(value, 0) if single else value
        return out
