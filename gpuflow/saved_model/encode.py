"""Values in a SavedModel's JSON: Python scalars, containers, dtypes, specs, slices as JSON;
arrays as keys into the ``.npz`` beside it; Variables as indices into its variable list.

Only these kinds are written and read back, so reading a file builds data, never code.
"""

from __future__ import annotations

import math
import sys

import numpy as np

from .. import dtypes
from ..tensor import Tensor, TensorShape, Variable
from ..tensor_spec import TensorSpec
from .layer_state import is_layer, layer_state, rebuild_layer


class Writer:
    """Collects the arrays and variables a SavedModel's JSON refers to."""

    def __init__(self, variable_index) -> None:
        self.arrays: dict[str, np.ndarray] = {}
        self.variable_index = variable_index  # Variable -> int (adds captured ones)
        self.layers: list = []  # layers host steps call (layer_state.py), once each
        self._layer_ids: dict = {}

    def layer_index(self, layer, where: str) -> int:
        i = self._layer_ids.get(id(layer))
        if i is None:
            config, variables = layer_state(layer)
            where = f"{where} (layer {layer.name!r})"
            entry = {
                "config": encode(config, self, where),
                "variables": {k: self.array(v) for k, v in variables.items()},
            }
            i = self._layer_ids[id(layer)] = len(self.layers)
            self.layers.append(entry)
        return i

    def array(self, array) -> str:
        host = _host(array)
        if host.dtype == object:
            raise ValueError(
                "tf.saved_model.save: string tensors inside a saved function are not "
                "supported by gpuflow's SavedModel"
            )
        key = f"a{len(self.arrays)}"
        self.arrays[key] = np.array(host, order="C", copy=True)
        return key

    def array_or_fill(self, array) -> dict:
        """``{"array": key}``, or for an array of one repeated value (``tf.zeros_like``
        of a traced shape) ``{"fill": key of the value, "shape": [...]}``, so that a
        trace whose constants only change shape with the batch size stays one trace."""
        host = _host(array)
        if host.size > 1 and host.dtype != object:
            first = host.reshape(-1)[0]
            if first != first:  # NaN
                uniform = bool(np.isnan(host).all())
            else:
                uniform = bool((host == first).all())
            if uniform:
                return {"fill": self.array(np.asarray(first)), "shape": list(host.shape)}
        return {"array": self.array(host)}


def _host(array) -> np.ndarray:
    if isinstance(array, np.ndarray):
        return array
    get = getattr(array, "get", None)  # a CuPy array
    return get() if get is not None else np.asarray(array)


def encode(value, writer: Writer, where: str):
    """``value`` as JSON; a ValueError naming ``where`` for a value a file cannot hold."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"__float__": repr(value)}
    if isinstance(value, complex):
        return {
            "__complex__": [encode(value.real, writer, where), encode(value.imag, writer, where)]
        }
    if isinstance(value, Variable):
        return {"__var__": writer.variable_index(value)}
    if isinstance(value, Tensor):
        return {"__tensor__": writer.array(value._data)}
    if is_layer(value):
        return {"__layer__": writer.layer_index(value, where)}
    if isinstance(value, np.generic):
        return {"__npscalar__": writer.array(np.asarray(value))}
    if hasattr(value, "__array_interface__") or hasattr(value, "__cuda_array_interface__"):
        return {"__array__": writer.array_or_fill(value)}
    if isinstance(value, dtypes.DType):
        return {"__dtype__": value.name}
    if isinstance(value, np.dtype):
        return {"__npdtype__": value.str}
    if isinstance(value, type) and issubclass(value, np.generic):
        return {"__nptype__": np.dtype(value).str}
    if isinstance(value, TensorSpec):
        shape = None if value.shape is None else list(value.shape)
        return {"__spec__": [shape, value.dtype.name, value.name]}
    if isinstance(value, TensorShape):
        return {"__shape__": list(value)}
    if isinstance(value, slice):
        return {
            "__slice__": [encode(v, writer, where) for v in (value.start, value.stop, value.step)]
        }
    if value is Ellipsis:
        return {"__ellipsis__": True}
    if value is sys.stdout or value is sys.stderr:
        return {"__stream__": "stdout" if value is sys.stdout else "stderr"}
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return {"__tuple__": [encode(v, writer, where) for v in value]}
    if isinstance(value, list):
        return [encode(v, writer, where) for v in value]
    if isinstance(value, dict) and type(value) is dict:
        return {
            "__dict__": [
                [encode(k, writer, where), encode(v, writer, where)] for k, v in value.items()
            ]
        }
    raise ValueError(
        f"tf.saved_model.save: {where} holds a {type(value).__module__}.{type(value).__qualname__} "
        f"({value!r:.80}), which gpuflow's SavedModel cannot store (it stores numbers, strings, "
        "arrays, dtypes, shapes, TensorSpecs and lists, tuples and dicts of them)"
    )


class Reader:
    """Resolves array keys, variable indices and saved layers while decoding."""

    def __init__(self, arrays, variables, device, layers=()) -> None:
        self.arrays, self.variables, self.device = arrays, variables, device
        self._saved_layers = list(layers)
        self._layers: dict = {}

    def layer(self, index):
        index = int(index)
        if not 0 <= index < len(self._saved_layers):
            raise ValueError(
                f"tf.saved_model.load: the SavedModel refers to a missing layer {index}"
            )
        if index not in self._layers:
            entry = self._saved_layers[index]
            variables = {
                str(k): self.array(v, on_device=False)
                for k, v in (entry.get("variables") or {}).items()
            }
            self._layers[index] = rebuild_layer(decode(entry["config"], self), variables)
        return self._layers[index]

    def array_or_fill(self, value):
        if not isinstance(value, dict):
            raise ValueError(f"tf.saved_model.load: bad array reference {value!r:.80}")
        if "fill" in value:
            scalar = self.array(value["fill"], on_device=False)
            shape = tuple(int(d) for d in value["shape"])
            return self.device.asarray(np.full(shape, scalar, dtype=scalar.dtype))
        return self.array(value.get("array"))

    def array(self, key, on_device: bool = True):
        if key not in self.arrays:
            raise ValueError(
                f"tf.saved_model.load: the SavedModel refers to a missing array {key!r}"
            )
        array = self.arrays[key]
        return self.device.asarray(array) if on_device else array


_SIMPLE = {
    "__float__": lambda v, r: float(v),
    "__dtype__": lambda v, r: dtypes.as_dtype(v),
    "__npdtype__": lambda v, r: np.dtype(v),
    "__nptype__": lambda v, r: np.dtype(v).type,
    "__ellipsis__": lambda v, r: Ellipsis,
    "__stream__": lambda v, r: sys.stdout if v == "stdout" else sys.stderr,
    "__shape__": lambda v, r: TensorShape(v),
    "__spec__": lambda v, r: TensorSpec(
        None if v[0] is None else tuple(v[0]), dtypes.as_dtype(v[1]), v[2]
    ),
    "__array__": lambda v, r: r.array_or_fill(v),
    "__npscalar__": lambda v, r: r.array(v, on_device=False)[()],
    "__tensor__": lambda v, r: Tensor._wrap(r.array(v), r.device),
}


def decode(value, reader: Reader):
    """The value ``encode`` wrote."""
    if isinstance(value, list):
        return [decode(v, reader) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) != 1:
        raise ValueError(f"tf.saved_model.load: unexpected value {value!r:.80} in the SavedModel")
    ((tag, body),) = value.items()
    if tag in _SIMPLE:
        return _SIMPLE[tag](body, reader)
    if tag == "__var__":
        return reader.variables[int(body)]
    if tag == "__layer__":
        return reader.layer(body)
    if tag == "__complex__":
        return complex(decode(body[0], reader), decode(body[1], reader))
    if tag == "__slice__":
        return slice(*[decode(v, reader) for v in body])
    if tag == "__tuple__":
        return tuple(decode(v, reader) for v in body)
    if tag == "__dict__":
        return {_hashable(decode(k, reader)): decode(v, reader) for k, v in body}
    raise ValueError(f"tf.saved_model.load: unknown tag {tag!r} in the SavedModel")


def _hashable(key):
    return tuple(key) if isinstance(key, list) else key
