"""TFOpLambda: a gpuflow op applied to symbolic tensors, wrapped as a layer (as TF's Keras does).

``x + y`` or ``x[:, 0]`` on KerasTensors, and ``tf.concat([a, b], 1)`` or
``tf.reduce_mean(x, 1)`` called with KerasTensors, become a TFOpLambda layer in the graph.
The op is kept by name (``"math.add"``: module under ``gpuflow.ops`` and function), so that
the model's config stays JSON and loading never runs code from a file.
"""

from __future__ import annotations

import importlib

import numpy as np

from ..tensor import Tensor
from .base import Layer
from .keras_tensor import KerasTensor, is_symbolic
from .naming import unique_name


def _resolve(module: str, function: str):
    package = "gpuflow.ops"
    if module.startswith("keras.ops."):  # a keras.ops function called on KerasTensors
        package, module = "gpuflow.keras.ops", module[len("keras.ops.") :]
    elif module.startswith("keras.quantizers."):  # keras.quantizers.fake_quant_* on them
        package, module = "gpuflow.quantizers", module[len("keras.quantizers.") :]
    elif module == "keras.activations":  # keras.activations.swish(x) on a KerasTensor
        package, module = "gpuflow", "activations"
    if not module.replace("_", "").isalnum() or not function.replace("_", "").isalnum():
        raise ValueError(f"TFOpLambda: invalid op name {module}.{function}")
    try:
        fn = getattr(importlib.import_module(f"{package}.{module}"), function)
    except (ImportError, AttributeError):
        raise ValueError(f"TFOpLambda: gpuflow has no op {module}.{function}") from None
    if not callable(fn):
        raise ValueError(f"TFOpLambda: {module}.{function} is not an op")
    return fn


def _encode(value):
    """Slices, Ellipsis and None (slicing keys) as JSON-friendly dicts."""
    if isinstance(value, slice):
        return {"__slice__": [value.start, value.stop, value.step]}
    if value is Ellipsis:
        return {"__ellipsis__": True}
    if isinstance(value, tuple):
        return {"__tuple__": [_encode(v) for v in value]}
    return value


def _decode(value):
    if isinstance(value, dict):
        if "__slice__" in value:
            return slice(*value["__slice__"])
        if "__ellipsis__" in value:
            return Ellipsis
        if "__tuple__" in value:
            return tuple(_decode(v) for v in value["__tuple__"])
    return value


class TFOpLambda(Layer):
    """Applies the gpuflow op ``gpuflow.ops.<module>.<function>`` to its arguments.

    Args:
        module: the op's module under ``gpuflow.ops`` (``"math"``, ``"shape"``, ...).
        function: the op's name in that module (``"add"``, ``"getitem"``, ...).
    """

    _allow_constant_args = True  # `x * 2`, `x + np.ones(3)`: constants are arguments of the op
    _probe_batch_twice = True  # see node._probe_runs: squeeze must keep an unknown batch

    def __init__(self, module: str, function: str, name: str | None = None, **kwargs) -> None:
        self.module, self.function = str(module), str(function)
        self._fn = _resolve(self.module, self.function)
        super().__init__(name=name or unique_name(f"tf.{self.function}"), **kwargs)
        self.built = True

    def __call__(self, *args, **kwargs):
        if is_symbolic(list(args)) or is_symbolic(kwargs):
            from .node import symbolic_call

            return symbolic_call(self, args, kwargs)
        kwargs.pop("training", None)
        return self._fn(*self._keras_dtypes(args), **kwargs)

    def call(self, *args, **kwargs):
        return self._fn(*self._keras_dtypes(args), **kwargs)

    def _keras_dtypes(self, args: tuple) -> tuple:
        """KerasTensor operators are Keras ops (``x * mask_bool`` is float in Keras 3): two
        tensors of different dtypes, or a Python float next to an integer tensor, take Keras'
        common dtype, where TensorFlow's own ops refuse them."""
        if len(args) != 2 or (self.module, self.function) not in _KERAS_PROMOTED:
            return args
        a, b = args
        both = isinstance(a, Tensor) and isinstance(b, Tensor)
        if both and a.dtype == b.dtype:
            return args
        float_into_ints = any(
            isinstance(t, Tensor)
            and t.dtype.kind in "iub"
            and isinstance(v, float)
            and not isinstance(v, np.generic)
            for t, v in ((a, b), (b, a))
        )
        if not both and not float_into_ints:
            return args
        from ..keras.ops._dtypes import tensors

        return tuple(tensors(a, b))

    def _data_dependent_axes(self, args: tuple, kwargs: dict):
        """The output axes whose size depends on the values, not the shapes (None in the
        graph, as in Keras: the probe's zeros would give a fixed size): ``"all"``, a tuple
        of axes, or ``()``."""
        name = self.function
        if name in ("nonzero", "unique", "unique_with_counts", "argwhere"):
            return (0,) if name == "argwhere" else "all"
        if name == "bincount":
            return (-1,)
        if name == "where" and len(args) + len(kwargs) == 1:  # the indices of True
            return (0,)
        return ()

    # Slicing keys travel through configs as JSON: the functional config calls these.
    encode_argument = staticmethod(_encode)
    decode_argument = staticmethod(_decode)

    def get_config(self) -> dict:
        return {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": self._dtype_policy.name,
            "module": self.module,
            "function": self.function,
        }


# KerasTensor's operators (`x + y`, `x[:, 0]`) build TFOpLambda layers. They are installed
# here, not in keras_tensor.py, because the Layer base imports keras_tensor (arrows point
# down); gpuflow/layers/__init__.py imports this module, so they are always in place.
def _op(module: str, name: str, swap: bool = False):
    def method(self, *args):
        args = (args[0], self) if swap else (self,) + args
        return TFOpLambda(module, name)(*args)

    method.__name__ = name
    return method


# the ops of KerasTensor operators whose mixed dtypes promote as Keras' (see _keras_dtypes)
_KERAS_PROMOTED = frozenset(
    [("linalg", "matmul")]
    + [
        ("math", f)
        for f in ("add", "subtract", "multiply", "divide", "pow", "less", "less_equal")
        + ("greater", "greater_equal")
    ]
)

_OPERATORS = {
    "__add__": ("math", "add", False),
    "__radd__": ("math", "add", True),
    "__sub__": ("math", "subtract", False),
    "__rsub__": ("math", "subtract", True),
    "__mul__": ("math", "multiply", False),
    "__rmul__": ("math", "multiply", True),
    "__truediv__": ("math", "divide", False),
    "__rtruediv__": ("math", "divide", True),
    "__pow__": ("math", "pow", False),
    "__rpow__": ("math", "pow", True),
    "__matmul__": ("linalg", "matmul", False),
    "__rmatmul__": ("linalg", "matmul", True),
    "__neg__": ("math", "negative", False),
    "__abs__": ("math", "abs", False),
    "__lt__": ("math", "less", False),
    "__le__": ("math", "less_equal", False),
    "__gt__": ("math", "greater", False),
    "__ge__": ("math", "greater_equal", False),
    "__getitem__": ("indexing", "getitem", False),
}
for _name, (_module, _fn, _swap) in _OPERATORS.items():
    setattr(KerasTensor, _name, _op(_module, _fn, _swap))
