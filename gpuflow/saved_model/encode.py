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
from .saved_objects import kind_of, rebuild, state_of


class Writer:
    """Collects the arrays, variables and state-saved objects a SavedModel's JSON refers to."""

    def __init__(self, variable_index) -> None:
        self.arrays: dict[str, np.ndarray] = {}
        self.variable_index = variable_index  # Variable -> int (adds captured ones)
        self.objects: list = []  # layers and tables host steps call (saved_objects.py)
        self._object_ids: dict = {}

    def array(self, array) -> str:
        host = _host(array)
        key = f"a{len(self.arrays)}"
        if host.dtype == object:  # strings: their bytes, and each one's length
            data = [_as_bytes(x, "a saved string array") for x in host.reshape(-1).tolist()]
            self.arrays[key] = np.array([len(b) for b in data], np.int64).reshape(host.shape)
            self.arrays[key + _BYTES] = np.frombuffer(b"".join(data), np.uint8).copy()
            return key
        self.arrays[key] = np.array(host, order="C", copy=True)
        return key

    def array_or_fill(self, array) -> dict:
        """``{"array": key}``, or for an array of one repeated value (``tf.zeros_like``
        of a traced shape) ``{"fill": key of the value, "shape": [...]}``, so that a
        trace whose constants only change shape with the batch size stays one trace; a
        short integer vector (a ``tf.shape(x)`` the trace holds) ``{"ints": [...], "dtype":
        name}``, whose numbers save.py may find to follow a None size (``size_params``)."""
        host = _host(array)
        if host.ndim == 1 and 0 < host.size <= _INLINE_INTS and host.dtype.kind in "iu":
            return {"ints": [int(v) for v in host.tolist()], "dtype": host.dtype.name}
        if host.size > 1 and host.dtype != object:
            first = host.reshape(-1)[0]
            if first != first:  # NaN
                uniform = bool(np.isnan(host).all())
            else:
                uniform = bool((host == first).all())
            if uniform:
                return {"fill": self.array(np.asarray(first)), "shape": list(host.shape)}
        return {"array": self.array(host)}

    def object_index(self, value, where: str) -> int:
        """The index of a layer or table in the SavedModel's ``objects``, saved once."""
        i = self._object_ids.get(id(value))
        if i is None:
            kind, config, arrays = state_of(value)
            where = f"{where} ({kind} {getattr(value, 'name', '')!r})"
            entry = {
                "kind": kind,
                "config": encode(config, self, where),
                "arrays": {k: self.array(v) for k, v in arrays.items()},
            }
            i = self._object_ids[id(value)] = len(self.objects)
            self.objects.append(entry)
        return i


_BYTES = ".bytes"  # the npz entry beside a string array's lengths
# The longest integer vector kept in the JSON (shapes; their sizes may follow the batch).
_INLINE_INTS = 8


def _as_bytes(value, where: str) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    raise ValueError(f"tf.saved_model.save: {where} holds a {type(value).__name__}, not a string")


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
        shape = None if value.shape.rank is None else list(value.shape)
        return {"__spec__": [shape, value.dtype.name, value.name]}
    if isinstance(value, TensorShape):
        return {"__shape__": None if value.rank is None else value.as_list()}
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
    if kind_of(value) is not None:  # a layer or table a host step calls
        return {"__object__": writer.object_index(value, where)}
    raise ValueError(
        f"tf.saved_model.save: {where} holds a {type(value).__module__}.{type(value).__qualname__} "
        f"({value!r:.80}), which gpuflow's SavedModel cannot store (it stores numbers, strings, "
        "arrays, dtypes, shapes, TensorSpecs and lists, tuples and dicts of them)"
    )


class Reader:
    """Resolves array keys, variable indices and state-saved objects while decoding."""

    def __init__(self, arrays, variables, device, objects=()) -> None:
        self.arrays, self.variables, self.device = arrays, variables, device
        self._saved_objects = list(objects)
        self._objects: dict = {}

    def array_or_fill(self, value):
        if not isinstance(value, dict):
            raise ValueError(f"tf.saved_model.load: bad array reference {value!r:.80}")
        if "ints" in value:
            dtype = np.dtype(str(value.get("dtype")))
            if dtype.kind not in "iu" or not isinstance(value["ints"], list):
                raise ValueError(f"tf.saved_model.load: bad integer constant {value!r:.80}")
            return self.device.asarray(np.array([int(v) for v in value["ints"]], dtype))
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
        if key + _BYTES in self.arrays:  # strings (on the host, as gpuflow keeps them)
            return _strings(array, self.arrays[key + _BYTES], key)
        return self.device.asarray(array) if on_device else array

    def object(self, index):
        """The layer or table the SavedModel's ``objects[index]`` describes (built once)."""
        index = int(index)
        if not 0 <= index < len(self._saved_objects):
            raise ValueError(
                f"tf.saved_model.load: the SavedModel refers to a missing object {index}"
            )
        if index not in self._objects:
            entry = self._saved_objects[index]
            arrays = {
                str(k): self.array(v, on_device=False)
                for k, v in (entry.get("arrays") or {}).items()
            }
            config = decode(entry["config"], self)
            self._objects[index] = rebuild(str(entry.get("kind")), config, arrays)
        return self._objects[index]


def _strings(lengths: np.ndarray, data: np.ndarray, key: str) -> np.ndarray:
    ends = np.cumsum(lengths.reshape(-1))
    total = ends[-1] if ends.size else 0
    if lengths.dtype != np.int64 or (lengths < 0).any() or total != data.size:
        raise ValueError(f"tf.saved_model.load: the string array {key!r} is damaged")
    raw = data.tobytes()
    out = np.empty(lengths.size, dtype=object)
    out[:] = [raw[e - n : e] for e, n in zip(ends.tolist(), lengths.reshape(-1).tolist())]
    return out.reshape(lengths.shape)


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
    if tag == "__object__":
        return reader.object(body)
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
