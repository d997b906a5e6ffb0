"""Activation layers: Softmax, ReLU, LeakyReLU, PReLU, ELU, Identity (Activation is in core)."""

from __future__ import annotations

import warnings

from .. import activations, initializers
from ..ops.creation import zeros_like
from ..ops.math import exp, where
from ..ops.nn import elu, leaky_relu, relu, softmax
from ..ops.reduce import reduce_logsumexp
from ._args import non_negative, serialize_regularizer
from ._inputs import layer_regularizer
from .base import Layer


class _Elementwise(Layer):
    """An activation that keeps the input's shape and passes masks through."""

    supports_masking = True

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._build_at_init()

    def compute_output_shape(self, input_shape) -> tuple:
        return tuple(input_shape)


class Identity(_Elementwise):
    """Returns its input unchanged."""

    _cast_int_inputs = False  # Keras 3 keeps an integer input's dtype

    def call(self, inputs):
        return inputs


class Softmax(_Elementwise):
    """Softmax along ``axis`` (an int or a tuple of ints); masked positions get probability 0.

    Args:
        axis: the axis (or axes) normalized over.
    """

    def __init__(self, axis=-1, **kwargs) -> None:
        super().__init__(**kwargs)
        self.axis = list(axis) if isinstance(axis, (list, tuple)) else int(axis)

    def call(self, inputs, mask=None):
        if mask is not None:
            mask = _as_bool(mask)
            if mask.ndim > inputs.ndim or any(
                m != 1 and m != i for m, i in zip(mask.shape[::-1], inputs.shape[::-1])
            ):
                raise ValueError(
                    f"{self._where()}: the mask must be broadcastable to the inputs, "
                    f"received inputs shape {tuple(inputs.shape)}, mask shape "
                    f"{tuple(mask.shape)}"
                )
        return masked_softmax(inputs, mask, self.axis)

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}


def masked_softmax(inputs, mask=None, axis=-1, zero_masked=True):
    """Keras 3's Softmax layer: masked inputs become a large negative number, and masked
    outputs are zeros (so a row masked entirely gives zeros, not a uniform distribution).
    ``mask`` is a bool tensor broadcastable to ``inputs``; ``axis`` an int or a list.
    ``zero_masked=False`` skips the zeroing, as Keras' fused ``dot_product_attention`` (a row
    masked entirely then averages uniformly)."""
    if mask is not None:
        inputs = where(mask, inputs, _large_negative(inputs.dtype))
    if isinstance(axis, list):
        out = exp(inputs - reduce_logsumexp(inputs, axis, keepdims=True))
    else:
        out = softmax(inputs, axis=axis)
    if mask is not None and zero_masked:
        out = where(mask, out, zeros_like(out))
    return out


def _as_bool(mask):
    from ..ops._common import as_tensor

    mask = as_tensor(mask)
    if mask.dtype == "bool":
        return mask
    return mask > (0.5 if mask.dtype.is_floating else 0)  # ints meet no Python float


def _large_negative(dtype) -> float:
    return -3e4 if getattr(dtype, "name", dtype) == "float16" else -1e9


class ReLU(_Elementwise):
    """``max(x, 0)`` with Keras' optional cap, leak and threshold.

    Args:
        max_value: upper cap of the output (None: no cap), >= 0.
        negative_slope: slope below ``threshold``, >= 0.
        threshold: values below it are damped (or zeroed), >= 0.
    """

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs) -> None:
        super().__init__(**kwargs)
        where_ = self._where()
        self.max_value = None if max_value is None else non_negative(max_value, "max_value", where_)
        self.negative_slope = non_negative(negative_slope, "negative_slope", where_)
        self.threshold = non_negative(threshold, "threshold", where_)

    def call(self, inputs):
        return activations.relu(
            inputs,
            negative_slope=self.negative_slope,
            max_value=self.max_value,
            threshold=self.threshold,
        )

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "max_value": self.max_value,
            "negative_slope": self.negative_slope,
            "threshold": self.threshold,
        }


class LeakyReLU(_Elementwise):
    """``x`` for ``x >= 0``, else ``negative_slope * x`` (Keras 3's default slope 0.3).

    Args:
        negative_slope: the slope for negative inputs, >= 0 (``alpha`` is accepted too).
    """

    def __init__(self, negative_slope=0.3, **kwargs) -> None:
        if "alpha" in kwargs:  # the Keras 2 name, with Keras 3's warning
            negative_slope = kwargs.pop("alpha")
            warnings.warn("Argument `alpha` is deprecated. Use `negative_slope` instead.")
        super().__init__(**kwargs)
        self.negative_slope = non_negative(negative_slope, "negative_slope", self._where())

    def call(self, inputs):
        return leaky_relu(inputs, self.negative_slope)

    def get_config(self) -> dict:
        return {**super().get_config(), "negative_slope": self.negative_slope}


class ELU(_Elementwise):
    """``x`` for ``x > 0``, else ``alpha * (exp(x) - 1)``."""

    def __init__(self, alpha=1.0, **kwargs) -> None:
        super().__init__(**kwargs)
        self.alpha = float(alpha)

    def call(self, inputs):
        return elu(inputs, self.alpha)

    def get_config(self) -> dict:
        return {**super().get_config(), "alpha": self.alpha}


class PReLU(_Elementwise):
    """Leaky ReLU whose negative slope ``alpha`` is learned, one per input element.

    Args:
        alpha_initializer: initializer of ``alpha`` (default zeros).
        alpha_regularizer: optional penalty on ``alpha``.
        alpha_constraint: accepted for Keras compatibility; must be None.
        shared_axes: axes (1-based, batch axis excluded) along which one ``alpha`` is shared,
            e.g. ``[1, 2]`` for one slope per channel of images.
    """

    def __init__(
        self,
        alpha_initializer="Zeros",
        alpha_regularizer=None,
        alpha_constraint=None,
        shared_axes=None,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        if alpha_constraint is not None:
            raise ValueError(
                f"{self._where()}: alpha_constraint is not supported, received {alpha_constraint!r}"
            )
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = layer_regularizer(alpha_regularizer, self)
        if shared_axes is None:
            self.shared_axes = None
        else:
            axes = shared_axes if isinstance(shared_axes, (list, tuple)) else [shared_axes]
            self.shared_axes = [int(a) for a in axes]

    def build(self, input_shape) -> None:
        shape = list(input_shape[1:])
        for axis in self.shared_axes or []:
            if not 1 <= axis <= len(shape):
                raise ValueError(
                    f"{self._where()}: shared_axes holds axis {axis}, outside 1.."
                    f"{len(shape)} for input shape {tuple(input_shape)}"
                )
            shape[axis - 1] = 1
        if None in shape:
            raise ValueError(
                f"{self._where()}: every non-shared axis must be known, received "
                f"input shape {tuple(input_shape)}"
            )
        self.alpha = self._add_weight(
            "alpha", tuple(shape), self.alpha_initializer, regularizer=self.alpha_regularizer
        )
        super().build(input_shape)

    def call(self, inputs):
        return relu(inputs) - self._read(self.alpha) * relu(-inputs)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "alpha_initializer": initializers.serialize(self.alpha_initializer),
            "alpha_regularizer": serialize_regularizer(self.alpha_regularizer),
            "alpha_constraint": None,
            "shared_axes": self.shared_axes,
        }
