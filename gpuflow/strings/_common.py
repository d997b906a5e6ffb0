"""What every ``tf.strings`` op does first: take text (a string tensor, Python str/bytes,
lists of them, or a RaggedTensor of strings) and apply a function to each element.

Strings live on the host (NumPy object arrays of ``bytes``); numeric results (lengths,
numbers, hash buckets) go to the current device, as any new tensor does.
"""

from __future__ import annotations

import numpy as np

from .._string_arrays import OBJECT, bytes_array, to_bytes  # noqa: F401  (re-exported)
from ..backend import current_device, get_device
from ..errors import InvalidArgumentError
from ..ragged.ragged_tensor import RaggedTensor
from ..tensor import Tensor


def invalid(op: str, message: str) -> InvalidArgumentError:
    return InvalidArgumentError(None, op, f"{op}: {message}")


def strings_tensor(op: str, value, name: str = "input", converting: bool = False) -> Tensor:
    """``value`` as a dense tf.string Tensor, or (as TensorFlow) an InvalidArgumentError
    naming ``op``; ``converting``: the ops whose TensorFlow wrapper converts the input to
    tf.string first (``split``, ``bytes_split``, ``ngrams``) raise that ValueError."""
    if isinstance(value, Tensor):
        if value._data.dtype is not OBJECT:
            if converting:
                raise ValueError(
                    f"{op}: {name}: Tensor conversion requested dtype string for Tensor "
                    f"with dtype {value.dtype.name}"
                )
            raise invalid(op, f"{name} must be a string tensor, received dtype {value.dtype.name}")
        return value
    try:
        return Tensor(value, dtype="string")
    except (TypeError, ValueError) as exc:
        raise invalid(op, f"{name} must be strings, received {_short(value)} ({exc})") from None


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def is_ragged(value) -> bool:
    return isinstance(value, RaggedTensor)


def host_tensor(array: np.ndarray) -> Tensor:
    """A host tensor around ``array`` (strings, or the flat values of a host RaggedTensor)."""
    return Tensor._wrap(array, get_device("cpu"))


def result(array: np.ndarray, host: bool = False) -> Tensor:
    """A numeric result on the current device (on the host with ``host``, as the flat
    values of a RaggedTensor whose row splits are there); strings stay on the host."""
    if array.dtype is OBJECT or host:
        return host_tensor(array)
    device = current_device()
    return Tensor._wrap(device.asarray(array), device)


def map_elements(op: str, value, fn, out_dtype=None, host: bool = False):
    """``fn`` applied to each bytes element of ``value`` (dense or ragged), keeping its
    shape; ``out_dtype`` (a NumPy dtype) for numeric results, else strings."""
    if is_ragged(value):
        flat = map_elements(op, value.flat_values, fn, out_dtype, host=True)
        return value.with_flat_values(flat)
    x = strings_tensor(op, value)
    flat = [fn(v) for v in x._data.ravel().tolist()]
    if out_dtype is None:
        out = np.empty(len(flat), dtype=OBJECT)
        out[:] = flat
    else:
        out = np.asarray(flat, dtype=out_dtype)
    return result(out.reshape(x._data.shape), host)
