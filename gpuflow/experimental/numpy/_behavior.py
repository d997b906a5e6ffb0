"""``tnp.experimental_enable_numpy_behavior``: NumPy's methods on tensors and the choice of
float32 for Python floats."""

from __future__ import annotations

from ...tensor import Tensor
from . import _dtypes


def _ravel(self):
    from ...ops.shape import reshape

    return reshape(self, (-1,))


def _transpose(self, *axes):
    from ...ops.shape import transpose

    if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (list, tuple))):
        axes = axes[0]
    return transpose(self, axes or None)


def _clip(self, a_min, a_max):
    from ._table import TABLE

    return TABLE["clip"](self, a_min, a_max)


def _tolist(self):
    return self.numpy().tolist()


def _round(self, ndigits=None):
    from ._table import TABLE

    return TABLE["around"](self, ndigits or 0)


# Methods TensorFlow adds to tf.Tensor; gpuflow's Tensor has T, ndim, size, astype,
# reshape, max, mean and min already and keeps its own.
_METHODS = {
    "ravel": _ravel,
    "flatten": _ravel,
    "transpose": _transpose,
    "clip": _clip,
    "tolist": _tolist,
    "__pos__": lambda self: self,
    "__round__": _round,
    "data": property(lambda self: self),
}


def experimental_enable_numpy_behavior(prefer_float32=False, dtype_conversion_mode="legacy"):
    """Add NumPy's methods to tensors (``t.ravel()``, ``t.transpose()``, ``t.clip``,
    ``t.tolist()``, ...) and make Python floats float32 in ``tnp`` when ``prefer_float32``.

    Mixed dtypes then promote as NumPy in operators and binary ops (``int32 + float32``
    tensors give float64; a Python float with an int tensor gives float64), as TensorFlow's
    ``"legacy"`` ``dtype_conversion_mode``; the other modes are accepted and act alike,
    except that ``"safe"`` and ``"all"`` let ``Variable.assign``/``assign_add``/``assign_sub``
    take a tensor of a dtype that promotes to the variable's (an int16 tensor into an int32
    variable), as TensorFlow's new type promotion does.
    """
    if dtype_conversion_mode not in ("off", "legacy", "safe", "all"):
        raise ValueError(
            "experimental_enable_numpy_behavior: dtype_conversion_mode must be one of "
            f"'off', 'legacy', 'safe', 'all', received {dtype_conversion_mode!r}"
        )
    for name, method in _METHODS.items():
        if name not in vars(Tensor):
            setattr(Tensor, name, method)
    _dtypes.config.prefer_float32 = bool(prefer_float32)
    _dtypes.config.enabled = True  # operators now promote mixed dtypes as NumPy
    _dtypes.config.conversion_mode = dtype_conversion_mode
