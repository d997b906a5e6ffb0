"""TF 1 initializers (``tf.compat.v1.random_normal_initializer``, ``glorot_uniform_initializer``,
``tf.compat.v1.initializers.*``): TF 1's defaults (``stddev=1.0``, ``maxval=1``), a ``dtype``
given when made, and ``init(shape, dtype=None, partition_info=None)``; the values come from
the Keras initializer of the same kind."""

from __future__ import annotations

import sys
import types

from .. import dtypes


def _keras():
    return sys.modules["gpuflow"].keras.initializers


class Initializer:
    """A TF 1 initializer: calls ``make()`` (a Keras initializer) for the values."""

    def __init__(self, dtype="float32", **config) -> None:
        self.dtype = dtypes.as_dtype(dtype)
        self._config = config
        for key, value in config.items():  # init.stddev, init.seed, as TensorFlow's
            setattr(self, key, value)

    def _make(self):
        raise NotImplementedError

    def __call__(self, shape, dtype=None, partition_info=None):
        dtype = dtypes.as_dtype(dtype or self.dtype)
        return self._make()(list(shape), dtype=dtype.name)

    def get_config(self) -> dict:
        return {**self._config, "dtype": self.dtype.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _kind(name: str, keras_name: str, defaults: dict, rename=None):
    rename = rename or {}

    def __init__(self, *args, dtype="float32", **kwargs):
        config = dict(defaults)
        config.update(zip(defaults, args))
        config.update(kwargs)
        Initializer.__init__(self, dtype, **config)

    def _make(self):
        kwargs = {rename.get(k, k): v for k, v in self._config.items() if rename.get(k, k)}
        return getattr(_keras(), keras_name)(**kwargs)

    return type(name, (Initializer,), {"__init__": __init__, "_make": _make})


Zeros = _kind("Zeros", "Zeros", {})
Ones = _kind("Ones", "Ones", {})
Constant = _kind("Constant", "Constant", {"value": 0, "verify_shape": False}, {"verify_shape": ""})
RandomNormal = _kind("RandomNormal", "RandomNormal", {"mean": 0.0, "stddev": 1.0, "seed": None})
TruncatedNormal = _kind(
    "TruncatedNormal", "TruncatedNormal", {"mean": 0.0, "stddev": 1.0, "seed": None}
)
RandomUniform = _kind(
    "RandomUniform", "RandomUniform", {"minval": 0.0, "maxval": 1.0, "seed": None}
)
GlorotUniform = _kind("GlorotUniform", "GlorotUniform", {"seed": None})
GlorotNormal = _kind("GlorotNormal", "GlorotNormal", {"seed": None})
Orthogonal = _kind("Orthogonal", "Orthogonal", {"gain": 1.0, "seed": None})
Identity = _kind("Identity", "Identity", {"gain": 1.0})
VarianceScaling = _kind(
    "VarianceScaling",
    "VarianceScaling",
    {"scale": 1.0, "mode": "fan_in", "distribution": "truncated_normal", "seed": None},
)


def _fixed(keras_name: str, scale: float, mode: str, distribution: str):
    def make(seed=None, dtype="float32"):
        return VarianceScaling(scale, mode, distribution, seed, dtype=dtype)

    make.__name__ = keras_name
    return make


NAMES = {
    "zeros_initializer": Zeros,
    "ones_initializer": Ones,
    "constant_initializer": Constant,
    "random_normal_initializer": RandomNormal,
    "truncated_normal_initializer": TruncatedNormal,
    "random_uniform_initializer": RandomUniform,
    "glorot_uniform_initializer": GlorotUniform,
    "glorot_normal_initializer": GlorotNormal,
    "orthogonal_initializer": Orthogonal,
    "variance_scaling_initializer": VarianceScaling,
}


def initializers_namespace():
    """``tf.compat.v1.initializers``."""
    from . import v1_variables

    return types.SimpleNamespace(
        zeros=Zeros,
        ones=Ones,
        constant=Constant,
        random_normal=RandomNormal,
        truncated_normal=TruncatedNormal,
        random_uniform=RandomUniform,
        glorot_uniform=GlorotUniform,
        glorot_normal=GlorotNormal,
        orthogonal=Orthogonal,
        identity=Identity,
        variance_scaling=VarianceScaling,
        he_normal=_fixed("he_normal", 2.0, "fan_in", "truncated_normal"),
        he_uniform=_fixed("he_uniform", 2.0, "fan_in", "uniform"),
        lecun_normal=_fixed("lecun_normal", 1.0, "fan_in", "truncated_normal"),
        lecun_uniform=_fixed("lecun_uniform", 1.0, "fan_in", "uniform"),
        global_variables=v1_variables.global_variables_initializer,
        local_variables=v1_variables.local_variables_initializer,
        variables=v1_variables.variables_initializer,
        tables_initializer=v1_variables.tables_initializer,
    )
