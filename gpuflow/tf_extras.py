"""More of TensorFlow's top-level names: ``tf.Assert``, ``tf.edit_distance``,
``tf.as_string``, ``tf.bitcast``, ``tf.fingerprint``, ``tf.grad_pass_through``,
``tf.extract_volume_patches``, ``tf.parallel_stack``, ``tf.get_current_name_scope``,
``tf.is_symbolic_tensor``, the enums ``tf.VariableAggregation`` /
``tf.VariableSynchronization`` / ``tf.AggregationMethod``, ``tf.DeviceSpec``, and
``tf.debugging.assert_proper_iterable``."""

from __future__ import annotations

import functools
import re
import struct

import numpy as np

from . import dtypes
from ._tracing import host_call, tracing
from .errors import InvalidArgumentError, invalid_argument
from .ops._common import as_tensor
from .strings._farmhash import fingerprint64
from .tensor import Tensor
from .variable_enums import VariableAggregation, VariableSynchronization  # noqa: F401

# -- assertions ----------------------------------------------------------------------------


def _summarize(item, summarize) -> str:
    if isinstance(item, (str, bytes)):
        return repr(item.encode() if isinstance(item, str) else item)
    t = as_tensor(item)
    flat = t.numpy().reshape(-1)
    if t.dtype == dtypes.string and flat.size == 1:
        return repr(flat[0])
    n = 3 if summarize is None else int(summarize)
    shown = ", ".join(str(v) for v in (flat if n < 0 else flat[:n]).tolist())
    return shown + (", ..." if 0 <= n < flat.size else "")


def Assert(condition, data, summarize=None, name=None):  # noqa: N802 - TensorFlow's name
    """Raise ``InvalidArgumentError`` listing ``data`` (the first ``summarize`` entries of
    each tensor, default 3) when the boolean scalar ``condition`` is False; else None."""
    cond = as_tensor(condition)
    if cond.dtype != dtypes.bool_ or cond.size != 1:
        raise invalid_argument(
            "Assert",
            f"condition must be a boolean scalar, received dtype {cond.dtype.name} and shape "
            f"{tuple(cond.shape)}",
        )
    if not isinstance(data, (list, tuple)):
        raise TypeError(f"Assert: data must be a list of tensors, received {type(data).__name__}")
    _assert_holds(cond, list(data), summarize)
    return None


@host_call(effect=True)  # inside tf.function: a host step checking every call's condition
def _assert_holds(cond, data, summarize) -> None:
    if bool(cond.numpy().reshape(())):
        return
    lines = "\n".join(_summarize(d, summarize) for d in data)
    raise InvalidArgumentError(
        None, "Assert", f"Expected '{cond!r}' to be true. Summarized data: {lines}"
    )


def assert_proper_iterable(values):
    """Raise ``TypeError`` unless ``values`` is an iterable of values, not a tensor, array or
    string (whose iteration would be by element or character)."""
    unintentional = (Tensor, np.ndarray, bytes, str)
    from .sparse import SparseTensor

    if isinstance(values, unintentional + (SparseTensor,)):
        raise TypeError(
            f'Expected argument "values" to be a "proper" iterable.  Found: {type(values)}'
        )
    if not hasattr(values, "__iter__"):
        raise TypeError(f'Expected argument "values" to be iterable.  Found: {type(values)}')


# -- sequences -----------------------------------------------------------------------------


def _levenshtein(a: list, b: list) -> int:
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        cur = [i] + [0] * len(b)
        for j, y in enumerate(b, start=1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y))
        prev = cur
    return prev[-1]


def _sequences(sp, name):
    from .sparse import SparseTensor

    if not isinstance(sp, SparseTensor):
        raise TypeError(
            f"edit_distance: {name} must be a SparseTensor, received {type(sp).__name__}"
        )
    idx = sp.indices.numpy()
    vals = sp.values.numpy()
    out: dict = {}
    order = np.lexsort(idx.T[::-1]) if idx.size else np.zeros(0, int)
    for i in order:
        out.setdefault(tuple(int(v) for v in idx[i, :-1]), []).append(vals[i])
    return [int(n) for n in sp.shape], out, sp.dtype


def edit_distance(hypothesis, truth, normalize=True, name="edit_distance") -> Tensor:
    """Levenshtein distance between the sequences (last dimension) of two SparseTensors,
    float32 of shape ``max(hypothesis, truth).dense_shape[:-1]``; divided by the truth's
    length when ``normalize`` (``inf`` for an empty truth, 0 when both are empty)."""
    h_shape, h_rows, h_dtype = _sequences(hypothesis, "hypothesis")
    t_shape, t_rows, t_dtype = _sequences(truth, "truth")
    if h_dtype != t_dtype:
        raise invalid_argument(
            "edit_distance",
            f"hypothesis and truth must have one dtype, received {h_dtype.name} and {t_dtype.name}",
        )
    if len(h_shape) != len(t_shape) or len(h_shape) < 2:
        raise invalid_argument(
            "edit_distance",
            f"hypothesis and truth must have one rank >= 2, received shapes {h_shape} and "
            f"{t_shape}",
        )
    shape = [max(a, b) for a, b in zip(h_shape[:-1], t_shape[:-1])]
    out = np.zeros(shape, dtype=np.float32)
    for key in set(h_rows) | set(t_rows):
        hyp, ref = h_rows.get(key, []), t_rows.get(key, [])
        d = float(_levenshtein(hyp, ref))
        if normalize:
            d = d / len(ref) if ref else (np.inf if hyp else 0.0)
        out[key] = d
    return Tensor(out)


# -- conversions ---------------------------------------------------------------------------


def as_string(
    input,
    precision=-1,
    scientific=False,
    shortest=False,
    width=-1,
    fill="",
    name=None,  # noqa: A002
) -> Tensor:
    """Each element formatted as a string (``printf`` rules, as TensorFlow): floats as
    ``%f`` (``precision`` digits, ``%e`` when ``scientific``, ``%g`` when ``shortest``),
    integers as ``%d``, bools as ``true``/``false``, complex as ``(re,im)``; right-aligned
    to ``width`` with spaces or ``fill`` (``"0"`` pads after the sign)."""
    op = "as_string"
    x = as_tensor(input)
    data = np.asarray(x.numpy())
    if scientific and shortest:
        raise invalid_argument(op, "cannot select both scientific and shortest notation")
    if len(fill) > 1:
        raise invalid_argument(op, f"fill must be at most one character, received {fill!r}")
    kind = data.dtype.kind
    if kind == "O":
        raise invalid_argument(op, "input is already a string tensor")
    flags = "0" if fill == "0" else ""
    w = "" if width < 0 else str(int(width))
    if kind == "f" or kind == "c":
        p = "" if precision < 0 else f".{int(precision)}"
        conv = "e" if scientific else ("g" if shortest else "f")
        fmt = f"%{flags}{w}{p}{conv}"
    elif kind in "iu":
        if scientific or shortest or precision >= 0:
            raise invalid_argument(op, "precision, scientific and shortest apply to floats only")
        fmt = f"%{flags}{w}d"
    elif kind == "b":
        fmt = f"%{w}s"
    else:
        raise TypeError(f"{op}: unsupported dtype {x.dtype.name}")

    def one(v):
        if kind == "b":
            s = fmt % ("true" if v else "false")
        elif kind == "c":
            s = "(" + (fmt % float(np.real(v))) + "," + (fmt % float(np.imag(v))) + ")"
        elif kind == "f":
            # C's printf formats the value at its own precision (float32 stays float32)
            s = fmt % float(v)
        else:
            s = fmt % int(v)
        if fill and fill not in " 0" and w:
            s = s.strip().rjust(int(w), fill)
        return s.encode()

    out = np.empty(data.shape, dtype=object)
    for index in np.ndindex(*data.shape):
        out[index] = one(data[index])
    return Tensor(out) if data.ndim else Tensor(np.asarray(one(data[()]), dtype=object))


def bitcast(input, type, name=None) -> Tensor:  # noqa: A002
    """The same bytes read as ``type``: a narrower type adds a last dimension of
    ``size_in / size_out``, a wider one consumes a last dimension of that size."""
    op = "bitcast"
    x = as_tensor(input)
    target = dtypes.as_dtype(type)
    src = np.asarray(x.numpy())
    if src.dtype.kind in "Ob" or np.dtype(target.as_numpy_dtype).kind in "Ob":
        raise TypeError(f"{op}: cannot bitcast {x.dtype.name} to {target.name}")
    nd = np.dtype(target.as_numpy_dtype)
    a, b = src.dtype.itemsize, nd.itemsize
    if a == b:
        out = src.view(nd)
    elif a > b:
        out = np.ascontiguousarray(src).view(nd).reshape(src.shape + (a // b,))
    else:
        if not src.ndim or src.shape[-1] != b // a:
            raise invalid_argument(
                op,
                f"cannot bitcast shape {src.shape} of {x.dtype.name} to {target.name}: the last "
                f"dimension must be {b // a}",
            )
        out = np.ascontiguousarray(src).view(nd).reshape(src.shape[:-1])
    return Tensor(out.copy())


def fingerprint(data, method="farmhash64", name=None) -> Tensor:
    """A stable 8-byte fingerprint (uint8 ``[batch, 8]``) of each row of ``data``: FarmHash
    Fingerprint64 of its bytes, as TensorFlow's (strings: of the row's elements'
    fingerprints, or of the string itself for 1-D input)."""
    if method != "farmhash64":
        raise invalid_argument("fingerprint", f"unsupported method {method!r} (only 'farmhash64')")
    x = as_tensor(data)
    arr = np.asarray(x.numpy())
    if arr.ndim < 1:
        raise invalid_argument("fingerprint", "data must have rank >= 1")
    rows = []
    for row in arr.reshape(arr.shape[0], -1) if arr.size else arr.reshape(arr.shape[0], 0):
        if arr.dtype.kind == "O":
            parts = [struct.pack("<Q", fingerprint64(_bytes(v))) for v in row]
            blob = parts[0] if arr.ndim == 1 else b"".join(parts)
            value = struct.unpack("<Q", blob)[0] if arr.ndim == 1 else fingerprint64(blob)
        else:
            value = fingerprint64(np.ascontiguousarray(row).tobytes())
        rows.append(list(struct.pack("<Q", value)))
    return Tensor(np.asarray(rows, dtype=np.uint8).reshape(arr.shape[0], 8))


def _bytes(v) -> bytes:
    return v if isinstance(v, bytes) else str(v).encode()


# -- graph-building helpers ----------------------------------------------------------------


def grad_pass_through(f):
    """Wrap ``f`` so that its gradient is the identity: ``y = f(x)`` forward, ``dy/dx = 1``
    (a straight-through estimator, e.g. around ``tf.round`` or an assignment)."""
    from .autodiff.custom_gradient import custom_gradient

    @custom_gradient
    def _through(*args, **kwargs):
        def grad(*upstream, variables=None):
            if variables is not None:
                return upstream, [None] * len(variables)
            return upstream if len(upstream) > 1 else upstream[0]

        return as_tensor(f(*args, **kwargs)), grad

    return functools.wraps(f)(_through)


def extract_volume_patches(input, ksizes, strides, padding, name=None) -> Tensor:  # noqa: A002
    """3-D patches of ``input [N, D, H, W, C]``: each ``kd x kh x kw`` box (every
    ``strides``) flattened in depth, row, column, channel order into the last axis."""
    from .backend.geometry import conv_geometry
    from .ops.conv3d import padding_mode
    from .ops.rearrange import pad
    from .ops.shape import concat

    op = "extract_volume_patches"
    x = as_tensor(input)
    if x.ndim != 5:
        raise invalid_argument(op, f"input must be 5-D [N, D, H, W, C], received {tuple(x.shape)}")
    k, s = list(ksizes), list(strides)
    if len(k) != 5 or len(s) != 5 or k[0] != 1 or k[4] != 1 or s[0] != 1 or s[4] != 1:
        raise invalid_argument(
            op, f"ksizes and strides must be [1, d, h, w, 1], received {ksizes} and {strides}"
        )
    mode = padding_mode(padding, op)
    out, pads = [], []
    for size, kk, ss in zip(x.shape[1:4], k[1:4], s[1:4]):
        o, before, after = conv_geometry(size, kk, ss, mode)
        if o < 1:
            raise invalid_argument(op, f"ksizes {ksizes} do not fit the input {tuple(x.shape)}")
        out.append(o)
        pads.append([before, after])
    if any(a or b for a, b in pads):
        x = pad(x, [[0, 0]] + pads + [[0, 0]])
    taps = []
    for i in range(k[1]):
        for j in range(k[2]):
            for m in range(k[3]):
                taps.append(
                    x[
                        :,
                        i : i + s[1] * (out[0] - 1) + 1 : s[1],
                        j : j + s[2] * (out[1] - 1) + 1 : s[2],
                        m : m + s[3] * (out[2] - 1) + 1 : s[3],
                    ]
                )
    return concat(taps, axis=-1)


def parallel_stack(values, name="parallel_stack") -> Tensor:
    """``tf.stack(values)`` in a traced function; like TensorFlow, not in eager code."""
    from .ops.shape import stack

    if tracing.trace is None:
        raise RuntimeError(
            "parallel_stack: not compatible with eager execution, as in TensorFlow; call it "
            "inside a tf.function (or use tf.stack)"
        )
    return stack(values, 0)


def get_current_name_scope() -> str:
    """The names of the active ``tf.name_scope``s joined with ``/`` (``""`` outside any)."""
    from .name_scopes import current_name_scope

    return current_name_scope().rstrip("/")


def is_symbolic_tensor(tensor) -> bool:
    """Whether ``tensor`` is a graph tensor with no value. gpuflow traces functions on real
    tensors (every Tensor has its value), so this is False for all of them, as for TF's
    eager tensors."""
    return bool(getattr(tensor, "_is_graph_tensor", False))


# -- enums and device names ----------------------------------------------------------------


class AggregationMethod:
    """How gradients of one tensor from several paths are summed (``tf.AggregationMethod``);
    every method gives the same sum."""

    ADD_N = 0
    DEFAULT = ADD_N
    EXPERIMENTAL_TREE = 1
    EXPERIMENTAL_ACCUMULATE_N = 2


_DEVICE_FIELD = re.compile(r"^(job|replica|task|device):(.*)$")


class DeviceSpec:
    """A device name's parts (``/job:<j>/replica:<r>/task:<t>/device:<TYPE>:<i>``), as
    ``tf.DeviceSpec``; immutable, ``replace`` and ``make_merged_spec`` give new specs."""

    __slots__ = ("_job", "_replica", "_task", "_device_type", "_device_index")

    def __init__(self, job=None, replica=None, task=None, device_type=None, device_index=None):
        self._job = None if job is None else str(job)
        self._replica = None if replica is None else int(replica)
        self._task = None if task is None else int(task)
        self._device_type = None
        if device_type is not None:
            dt = str(device_type)
            self._device_type = dt.upper() if dt.lower() in ("cpu", "gpu") else dt
        self._device_index = None if device_index is None else int(device_index)

    job = property(lambda self: self._job)
    replica = property(lambda self: self._replica)
    task = property(lambda self: self._task)
    device_type = property(lambda self: self._device_type)
    device_index = property(lambda self: self._device_index)

    @classmethod
    def from_string(cls, spec: str) -> "DeviceSpec":
        """Parse ``"/job:w/replica:0/task:1/device:GPU:2"`` (also ``/cpu:0``, ``GPU:1``)."""
        fields: dict = {}
        for part in str(spec).split("/"):
            if not part:
                continue
            m = _DEVICE_FIELD.match(part)
            if m is not None and m.group(1) != "device":
                key = m.group(1)
                fields[key] = m.group(2) if key == "job" else int(m.group(2))
                continue
            device = m.group(2) if m is not None else part
            pieces = device.split(":")
            if len(pieces) == 2 and pieces[1] not in ("", "*"):
                fields["device_type"], fields["device_index"] = pieces[0], int(pieces[1])
            elif pieces[0] and pieces[0] != "*":
                fields["device_type"] = pieces[0]
            else:
                raise ValueError(f"Unknown attribute: '{part}' in '{spec}'")
        return cls(**fields)

    def to_string(self) -> str:
        out = ""
        if self._job is not None:
            out += f"/job:{self._job}"
        if self._replica is not None:
            out += f"/replica:{self._replica}"
        if self._task is not None:
            out += f"/task:{self._task}"
        if self._device_type is not None:  # an index without a type is not printed (as TF)
            index = "*" if self._device_index is None else str(self._device_index)
            out += f"/device:{self._device_type}:{index}"
        return out

    def replace(self, **kwargs) -> "DeviceSpec":
        fields = dict(
            job=self._job,
            replica=self._replica,
            task=self._task,
            device_type=self._device_type,
            device_index=self._device_index,
        )
        unknown = set(kwargs) - set(fields)
        if unknown:
            raise TypeError(f"DeviceSpec.replace: unknown fields {sorted(unknown)}")
        fields.update(kwargs)
        return DeviceSpec(**fields)

    def make_merged_spec(self, dev: "DeviceSpec") -> "DeviceSpec":
        """This spec with ``dev``'s set fields taking precedence."""
        merged = {
            k: getattr(dev, k) if getattr(dev, k) is not None else getattr(self, k)
            for k in ("job", "replica", "task", "device_type", "device_index")
        }
        return DeviceSpec(**merged)

    def __eq__(self, other) -> bool:
        return isinstance(other, DeviceSpec) and self.to_string() == other.to_string()

    def __hash__(self) -> int:
        return hash(self.to_string())

    def __repr__(self) -> str:
        return (
            f"<DeviceSpec(job={self._job}, replica={self._replica}, task={self._task}, "
            f"device_type={self._device_type}, device_index={self._device_index})>"
        )


__all__ = [
    "AggregationMethod",
    "Assert",
    "DeviceSpec",
    "VariableAggregation",
    "VariableSynchronization",
    "as_string",
    "bitcast",
    "edit_distance",
    "extract_volume_patches",
    "fingerprint",
    "get_current_name_scope",
    "grad_pass_through",
    "is_symbolic_tensor",
    "parallel_stack",
]
