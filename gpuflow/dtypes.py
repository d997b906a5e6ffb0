"""Data types: names, conversion, promotion and the accumulation dtype.

gpuflow's dtypes are NumPy dtype objects (``gpuflow.float32 == np.dtype("float32")``),
so they compare equal to NumPy's, CuPy's and their string names.
"""
from __future__ import annotations

import numpy as np

from . import config

float16 = np.dtype("float16")
float32 = np.dtype("float32")
float64 = np.dtype("float64")
int8 = np.dtype("int8")
uint8 = np.dtype("uint8")
int16 = np.dtype("int16")
int32 = np.dtype("int32")
int64 = np.dtype("int64")
bool_ = np.dtype("bool")

FLOAT_TYPES = (float16, float32, float64)
SUPPORTED = (float16, float32, float64, int8, uint8, int16, int32, int64, bool_)
_ALIASES = {"bool": bool_, "half": float16, "float": float32, "double": float64}


def as_dtype(value, where: str = "dtype") -> np.dtype:
    """Normalize ``value`` (a name, NumPy/CuPy dtype or type, torch-like ``.name``) to a dtype.

    Raises:
        TypeError: naming ``where`` and the value, when it is not a supported dtype.
    """
    if isinstance(value, np.dtype) and value in SUPPORTED:
        return value
    if isinstance(value, str) and value in _ALIASES:
        return _ALIASES[value]
    try:
        dtype = np.dtype(getattr(value, "name", value) if not isinstance(value, type) else value)
    except TypeError:
        dtype = None
    if dtype is None or dtype not in SUPPORTED:
        names = ", ".join(d.name for d in SUPPORTED)
        raise TypeError(f"{where}: expected one of {names}, received {value!r}")
    return dtype


def floatx() -> np.dtype:
    """The default float dtype (``gpuflow.config.set_floatx`` changes it)."""
    return np.dtype(config.floatx())


def is_floating(dtype) -> bool:
    return np.dtype(dtype).kind == "f"


def is_integer(dtype) -> bool:
    return np.dtype(dtype).kind in "iu"


def accumulation_dtype(dtype) -> np.dtype:
    """The dtype sums and matmuls accumulate in: float32 for float16, else the dtype itself."""
    dtype = np.dtype(dtype)
    return float32 if dtype == float16 else dtype


def promote(*dtypes) -> np.dtype:
    """The dtype of an op on tensors of ``dtypes`` (NumPy's promotion between tensors)."""
    return np.result_type(*dtypes)


def scalar_dtype(value, partner: np.dtype | None) -> np.dtype:
    """The dtype a Python scalar takes next to a tensor of ``partner`` dtype.

    Python scalars never upcast a tensor (``x_f16 * 2.0`` stays float16), as in
    TensorFlow and NumPy 2; a float scalar next to an integer tensor makes the
    result the default float type, and a lone scalar takes the defaults.
    """
    if isinstance(value, (bool, np.bool_)):
        return partner if partner is not None else bool_
    if isinstance(value, (int, np.integer)):
        return partner if partner is not None and partner != bool_ else int32
    if isinstance(value, (float, np.floating)):
        return partner if partner is not None and is_floating(partner) else floatx()
    raise TypeError(f"expected a number, received {type(value).__name__}")
