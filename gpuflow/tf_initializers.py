"""TensorFlow 2's own initializer classes, ``tf.constant_initializer``, ``tf.zeros_initializer``,
``tf.ones_initializer``, ``tf.random_normal_initializer`` and ``tf.random_uniform_initializer``
(``init_ops_v2``): callables ``init(shape, dtype=tf.float32)``.

They differ from the Keras ones in their defaults: the dtype defaults to float32 (not the
Keras floatx), ``constant_initializer`` with no dtype takes the dtype of its value, zeros and
ones accept integer and bool dtypes, and the random ones draw fresh values on every call.
"""

from __future__ import annotations

import numpy as np

from . import dtypes
from . import random as _random
from .ops import creation as _creation
from .ops._common import as_shape
from .tensor import Tensor


def _numeric_dtype(dtype, op):
    dt = dtypes.as_dtype("float32" if dtype is None else dtype, op)
    if not (dt.is_floating or dt.is_integer or dt.is_bool):
        raise ValueError(
            f"{op}: Argument `dtype` expected to be numeric or boolean. Received {dt}."
        )
    return dt


def _float_dtype(dtype, op):
    dt = dtypes.as_dtype("float32" if dtype is None else dtype, op)
    if not dt.is_floating:
        raise ValueError(
            f"{op}: Argument `dtype` is expected to be floating point. Received: {dt}."
        )
    return dt


class Initializer:
    """Base class of TF2's initializers: ``__call__(shape, dtype=None, **kwargs)``."""

    def __call__(self, shape, dtype=None, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} must implement __call__")

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict):
        config = dict(config)
        config.pop("dtype", None)
        return cls(**config)


class Zeros(Initializer):
    """All zeros (``tf.zeros_initializer``)."""

    def __call__(self, shape, dtype=None, **kwargs):
        dt = _numeric_dtype(dtype, "zeros_initializer")
        return _creation.zeros(as_shape("zeros_initializer", shape), dtype=dt)


class Ones(Initializer):
    """All ones (``tf.ones_initializer``)."""

    def __call__(self, shape, dtype=None, **kwargs):
        dt = _numeric_dtype(dtype, "ones_initializer")
        return _creation.ones(as_shape("ones_initializer", shape), dtype=dt)


class Constant(Initializer):
    """``value`` (a scalar, or a list/array with as many elements as the shape, reshaped to
    it) (``tf.constant_initializer``). Without a dtype the value's own dtype is used."""

    def __init__(self, value=0, support_partition=False) -> None:
        if isinstance(value, Tensor) or not (
            np.isscalar(value) or isinstance(value, (list, tuple, np.ndarray))
        ):
            raise TypeError(
                f"constant_initializer: Invalid type for initial value: {type(value).__name__}. "
                "Expected Python scalar, list or tuple of values, or numpy.ndarray."
            )
        self.value = value
        self.support_partition = support_partition

    def __call__(self, shape, dtype=None, **kwargs):
        shape = as_shape("constant_initializer", shape)
        if dtype is not None:
            dtype = _numeric_dtype(dtype, "constant_initializer")
        values = _creation.constant(self.value, dtype=dtype).numpy()
        count = int(np.prod(shape))
        if values.size == 1:
            values = np.full(shape, values.reshape(()), dtype=values.dtype)
        elif values.size == count:
            values = values.reshape(shape)
        else:
            raise TypeError(
                f"constant_initializer: the value has {values.size} elements, but the shape "
                f"{shape} has {count} elements"
            )
        return _creation.constant(values)

    def get_config(self) -> dict:
        value = self.value
        return {"value": value.tolist() if isinstance(value, np.ndarray) else value}


class RandomNormal(Initializer):
    """Normal samples with ``mean`` and ``stddev`` (``tf.random_normal_initializer``)."""

    def __init__(self, mean=0.0, stddev=0.05, seed=None) -> None:
        self.mean, self.stddev, self.seed = mean, stddev, seed

    def __call__(self, shape, dtype=None, **kwargs):
        dt = _float_dtype(dtype, "random_normal_initializer")
        shape = as_shape("random_normal_initializer", shape)
        return _random.normal(shape, self.mean, self.stddev, dtype=dt, seed=self.seed)

    def get_config(self) -> dict:
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


class RandomUniform(Initializer):
    """Uniform samples on ``[minval, maxval)`` (``tf.random_uniform_initializer``); integer
    dtypes draw integers."""

    def __init__(self, minval=-0.05, maxval=0.05, seed=None) -> None:
        self.minval, self.maxval, self.seed = minval, maxval, seed

    def __call__(self, shape, dtype=None, **kwargs):
        dt = _numeric_dtype(dtype, "random_uniform_initializer")
        if dt.is_bool:
            raise ValueError(
                f"random_uniform_initializer: Argument `dtype` expected to be numeric. "
                f"Received {dt}."
            )
        shape = as_shape("random_uniform_initializer", shape)
        return _random.uniform(shape, self.minval, self.maxval, dtype=dt, seed=self.seed)

    def get_config(self) -> dict:
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed}


constant_initializer = Constant
zeros_initializer = Zeros
ones_initializer = Ones
random_normal_initializer = RandomNormal
random_uniform_initializer = RandomUniform
