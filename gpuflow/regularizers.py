"""Weight and activity penalties, as ``tf.keras.regularizers``.

A regularizer is a callable from a weight (or a layer's output) to a scalar Tensor; layers
take them as ``kernel_regularizer=``, ``bias_regularizer=``, ``activity_regularizer=`` and
``add_weight(regularizer=...)``, and their values appear in ``model.losses``.
"""

from __future__ import annotations

import math

from .ops import linalg
from .ops import math as ops_math
from .ops._common import as_tensor
from .ops.creation import eye
from .ops.reduce import reduce_sum
from .ops.shape import transpose
from .saving import simple_objects


def _non_negative(value, arg: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not number >= 0 or math.isinf(number):
        raise ValueError(
            f"Invalid value for argument {arg}: expected a non-negative float. "
            f"Received: {arg}={value!r}"
        )
    return number


class Regularizer:
    """Base class: subclasses implement ``__call__(x)`` (a scalar) and ``get_config()``."""

    def __call__(self, x):
        return as_tensor(0.0)

    def get_config(self) -> dict:
        raise NotImplementedError(f"{type(self).__name__} must implement get_config() to be saved")

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)


class L1(Regularizer):
    """``l1 * sum(abs(x))``.

    Args:
        l1: the factor (default 0.01).
    """

    def __init__(self, l1: float = 0.01) -> None:
        self.l1 = _non_negative(l1, "l1")

    def __call__(self, x):
        return self.l1 * reduce_sum(ops_math.abs(as_tensor(x)))

    def get_config(self) -> dict:
        return {"l1": self.l1}


class L2(Regularizer):
    """``l2 * sum(square(x))``.

    Args:
        l2: the factor (default 0.01).
    """

    def __init__(self, l2: float = 0.01) -> None:
        self.l2 = _non_negative(l2, "l2")

    def __call__(self, x):
        return self.l2 * reduce_sum(ops_math.square(as_tensor(x)))

    def get_config(self) -> dict:
        return {"l2": self.l2}


class L1L2(Regularizer):
    """``l1 * sum(abs(x)) + l2 * sum(square(x))``.

    Args:
        l1, l2: the factors (default 0: no penalty).
    """

    def __init__(self, l1: float = 0.0, l2: float = 0.0) -> None:
        self.l1 = _non_negative(l1, "l1")
        self.l2 = _non_negative(l2, "l2")

    def __call__(self, x):
        x = as_tensor(x)
        total = as_tensor(0.0, dtype=x.dtype)
        if self.l1:
            total = total + self.l1 * reduce_sum(ops_math.abs(x))
        if self.l2:
            total = total + self.l2 * reduce_sum(ops_math.square(x))
        return total

    def get_config(self) -> dict:
        return {"l1": self.l1, "l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    """Pushes the rows (or columns) of a rank-2 weight towards orthogonality, as Keras.

    ``factor * 0.5 * sum(|off-diagonal of W_n W_n^T|) / (n (n - 1) / 2)`` where ``W_n`` has
    L2-normalized rows (``mode="rows"``) or columns (``mode="columns"``).

    Args:
        factor: the factor (default 0.01).
        mode: ``"rows"`` or ``"columns"``.
    """

    def __init__(self, factor: float = 0.01, mode: str = "rows") -> None:
        self.factor = _non_negative(factor, "factor")
        if mode not in ("rows", "columns"):
            raise ValueError(
                f"Invalid value for argument mode. Expected one of "
                f"{{'rows', 'columns'}}. Received: mode={mode!r}"
            )
        self.mode = mode

    def __call__(self, x):
        x = as_tensor(x)
        if x.ndim != 2:
            raise ValueError(
                f"OrthogonalRegularizer: inputs must have rank 2, received shape {tuple(x.shape)}"
            )
        if self.mode == "columns":
            x = transpose(x)
        norm = ops_math.sqrt(ops_math.maximum(reduce_sum(x * x, 1, keepdims=True), 1e-12))
        x = x / norm
        size = int(x.shape[0])
        product = linalg.matmul(x, transpose(x)) * (1.0 - eye(size, dtype=x.dtype))
        pairs = size * (size - 1.0) / 2.0
        return self.factor * 0.5 * reduce_sum(ops_math.abs(product)) / pairs

    def get_config(self) -> dict:
        return {"factor": self.factor, "mode": self.mode}


# Keras' lowercase aliases are the classes themselves: `l2(0.01)` is `L2(0.01)`.
l1 = L1
l2 = L2
l1_l2 = L1L2
orthogonal_regularizer = OrthogonalRegularizer

_BUILTIN = {
    "L1": L1,
    "L2": L2,
    "L1L2": L1L2,
    "OrthogonalRegularizer": OrthogonalRegularizer,
    "l1": L1,
    "l2": L2,
    "l1_l2": L1L2,
    "orthogonal_regularizer": OrthogonalRegularizer,
}


def serialize(regularizer) -> dict | str | None:
    """Keras 3's ``{"module", "class_name", "config", "registered_name"}``."""
    return simple_objects.serialize(regularizer, "keras.regularizers")


def deserialize(config, custom_objects: dict | None = None):
    """The regularizer :func:`serialize` described (ValueError for an unknown name)."""
    return simple_objects.deserialize(config, custom_objects, _BUILTIN, "regularizer")


def get(identifier):
    """A regularizer from None, a Regularizer or callable, a name (``"l2"``) or a config dict."""
    return simple_objects.get(identifier, _BUILTIN, "regularizer")
