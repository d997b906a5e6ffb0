"""RandAugment and AugMix (Keras 3): augmentation policies that draw from a fixed set of
augmentation layers (shear, translation, rotation, posterization, solarization,
auto-contrast, equalization, brightness, colour degeneration, contrast, sharpness)."""

from __future__ import annotations

import random as py_random

from ..._tracing import tracing
from ...autodiff.state import is_tracked
from ...autodiff.state import state as tape_state
from ...autodiff.tape import no_grad
from ...graph.control_flow import cond
from ...ops.math import cast, maximum, minimum, where
from ...ops.reduce import reduce_sum
from ._augment import ImageAugmentation, symmetric_factor
from .auto_tone import AutoContrast, Equalization
from .random_color import RandomBrightness, RandomContrast
from .random_geometry import RandomRotation, RandomTranslation
from .random_tone import RandomColorDegeneration, RandomPosterization, RandomSharpness, Solarization
from .random_warp import RandomShear

_GEOMETRY = ["random_shear", "random_translation", "random_rotation"]
_TONE = ["random_posterization", "solarization", "auto_contrast", "equalization"]
_COLOR = ["random_brightness", "random_color_degeneration", "random_contrast", "random_sharpness"]


def _make_layers(owner, names, factor, value_range, interpolation, seed, data_format) -> dict:
    """The policy's augmentation layers (Keras' constructor arguments for each)."""
    colour = {"value_range": value_range, "seed": seed, "data_format": data_format}
    geometry = {"interpolation": interpolation, "seed": seed, "data_format": data_format}
    makers = {
        "random_shear": lambda: RandomShear(x_factor=factor, y_factor=factor, **geometry),
        "random_translation": lambda: RandomTranslation(factor, factor, **geometry),
        "random_rotation": lambda: RandomRotation(factor, **geometry),
        "random_brightness": lambda: RandomBrightness(factor, **colour),
        "random_color_degeneration": lambda: RandomColorDegeneration(factor, **colour),
        "random_contrast": lambda: RandomContrast(factor, **colour),
        "random_sharpness": lambda: RandomSharpness(factor, **colour),
        "solarization": lambda: Solarization(factor, factor, **colour),
        "random_posterization": lambda: RandomPosterization(max(1, int(8 * factor[1])), **colour),
        "auto_contrast": lambda: AutoContrast(value_range, data_format=data_format),
        "equalization": lambda: Equalization(value_range, data_format=data_format),
    }
    made = {}
    for name in names:
        made[name] = makers[name]()
        setattr(owner, name, made[name])
    return made


class RandAugment(ImageAugmentation):
    """Applies ``num_ops`` augmentations chosen at random (one choice per batch) from eleven,
    each with magnitude ``factor`` (a number ``f`` gives ``[0, f]``)."""

    _AUGMENT_LAYERS = _GEOMETRY + _COLOR + _TONE  # Keras 3's order

    def __init__(
        self,
        value_range=(0, 255),
        num_ops=2,
        factor=0.5,
        interpolation="bilinear",
        seed=None,
        data_format=None,
        **kwargs,
    ) -> None:
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        if isinstance(num_ops, bool) or not isinstance(num_ops, int) or num_ops < 0:
            raise ValueError(
                f"{self._where()}: `num_ops` must be a non-negative integer, received {num_ops!r}"
            )
        self.value_range, self.num_ops, self.interpolation = value_range, num_ops, interpolation
        self.factor = symmetric_factor(self, factor, bounds=(0, 1))
        self._augmenters = _make_layers(
            self, self._AUGMENT_LAYERS, self.factor, value_range, interpolation, seed, data_format
        )

    def get_random_transformation(self, images, training=True, seed=None):
        count = len(self._AUGMENT_LAYERS)
        indices = self._sample("integers", (self.num_ops,), images.device, 0, count)
        transforms = {
            name: self._augmenters[name].get_random_transformation(images)
            for name in self._AUGMENT_LAYERS
        }
        return {"transforms": transforms, "layer_idxes": indices}

    def transform_images(self, images, transformation, training=True):
        indices, transforms = transformation["layer_idxes"], transformation["transforms"]
        if tracing.trace is None:  # eager: run only the chosen layers (the same result)
            for i in indices.numpy().tolist():
                name = self._AUGMENT_LAYERS[i]
                images = self._augmenters[name].transform_images(images, transforms[name])
            return images
        if tape_state.recording and is_tracked(images):
            # gradients must reach the images, and a traced cond has none: blend them all
            for i in range(self.num_ops):
                for j, name in enumerate(self._AUGMENT_LAYERS):
                    out = self._augmenters[name].transform_images(images, transforms[name])
                    images = where(indices[i] == j, out, images)
            return images
        # compiled: a chain of conds, so each call runs only the layer it drew
        with no_grad():  # nothing to differentiate (e.g. input batches in fit)
            for i in range(self.num_ops):
                images = self._select(images, indices[i], transforms, 0)
        return images

    def _select(self, images, index, transforms, j):
        name = self._AUGMENT_LAYERS[j]
        if j == len(self._AUGMENT_LAYERS) - 1:
            return self._augmenters[name].transform_images(images, transforms[name])
        return cond(
            index == j,
            lambda: self._augmenters[name].transform_images(images, transforms[name]),
            lambda: self._select(images, index, transforms, j + 1),
        )

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "value_range": self.value_range,
            "num_ops": self.num_ops,
            "factor": self.factor,
            "interpolation": self.interpolation,
            "seed": self.seed,
        }


class AugMix(ImageAugmentation):
    """Mixes ``num_chains`` chains of up to ``chain_depth`` random augmentations with
    Dirichlet(``alpha``) weights, then blends the mix with the image by a Beta(``alpha``,
    ``alpha``) weight; clipped to ``value_range``. As Keras 3 the chains' layers are picked
    with Python's ``random`` when the transformation is drawn (``all_ops=False`` leaves out
    the colour layers)."""

    def __init__(
        self,
        value_range=(0, 255),
        num_chains=3,
        chain_depth=3,
        factor=0.3,
        alpha=1.0,
        all_ops=True,
        interpolation="bilinear",
        seed=None,
        data_format=None,
        **kwargs,
    ) -> None:
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        for name, value in (("num_chains", num_chains), ("chain_depth", chain_depth)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(
                    f"{self._where()}: `{name}` must be a positive integer, received {value!r}"
                )
        self.value_range, self.num_chains, self.chain_depth = value_range, num_chains, chain_depth
        self.factor = symmetric_factor(self, factor, bounds=(0, 1))
        self.alpha, self.all_ops, self.interpolation = alpha, all_ops, interpolation
        self._names = _GEOMETRY + _TONE + (_COLOR if all_ops else [])
        self._augmenters = _make_layers(
            self, self._names, self.factor, value_range, interpolation, seed, data_format
        )

    def get_random_transformation(self, images, training=True, seed=None):
        device = images.device
        gamma = self._sample("gamma", (self.num_chains,), device, float(self.alpha))
        weights = gamma / reduce_sum(gamma, axis=-1, keepdims=True)
        alpha = float(self.alpha)
        blend = self._sample("beta", (), device, alpha, alpha)
        chains = []
        for _ in range(self.num_chains):
            chain = []
            for _ in range(self.chain_depth):
                name = py_random.choice(self._names + [None])
                if name is not None:
                    layer = self._augmenters[name]
                    chain.append((name, layer.get_random_transformation(images)))
            chains.append(chain)
        return {"chain_mixing_weights": weights, "weight_sample": blend, "chain_transforms": chains}

    def transform_images(self, images, transformation, training=True):
        weights = cast(transformation["chain_mixing_weights"], images.dtype)
        blend = cast(transformation["weight_sample"], images.dtype)
        mixed = images * 0.0
        for index, chain in enumerate(transformation["chain_transforms"]):
            chained = images
            for name, layer_transform in chain:
                chained = self._augmenters[name].transform_images(chained, layer_transform)
            mixed = mixed + chained * weights[index]
        out = blend * images + (1.0 - blend) * mixed
        low, high = (float(v) for v in self.value_range)
        return minimum(maximum(out, low), high)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "value_range": self.value_range,
            "num_chains": self.num_chains,
            "chain_depth": self.chain_depth,
            "factor": self.factor,
            "alpha": self.alpha,
            "all_ops": self.all_ops,
            "interpolation": self.interpolation,
            "seed": self.seed,
        }
