"""More ``keras.ops`` NumPy functions (Keras 3.15): ``angle``, ``fabs``, ``i0``,
``logaddexp2``, ``nextafter``, ``correlate``, ``view`` (reinterpret the bytes) and
``vectorize`` (NumPy's, with gufunc ``signature``), with Keras's result dtypes."""

from __future__ import annotations

import functools
import math as _math
import re

import numpy as np

from ... import dtypes as _dtypes
from ...config import settings as _settings
from ...ops import complex_ops as _cx
from ...ops import math as _m
from ...ops import nn_conv1d as _conv
from ...ops import rearrange as _re
from ...ops import shape as _sh
from ...ops import special as _special
from ...ops import special_more as _special_more
from ...ops import unary as _u
from ...ops.cast import cast as _cast
from ...ops.select import where as _where
from ._dtypes import convert_to_tensor, result_type, standardize_dtype, tensors


def _floatx() -> str:
    return standardize_dtype(_settings.floatx())


def angle(x):
    """The argument of each (complex) element; for reals pi where negative, else 0."""
    t = convert_to_tensor(x)
    name = standardize_dtype(t.dtype)
    if t.dtype.is_complex:  # Keras' result_type(complex128, float) is complex64 too
        return _cx.angle(_cast(t, "complex64"))
    dtype = _floatx() if name == "int64" else result_type(t, float)
    return _cx.angle(_cast(t, dtype))


def fabs(x):
    """``|x|`` as a float (ints and bools go to the default float)."""
    t = convert_to_tensor(x)
    if t.dtype.kind in "iub":
        t = _cast(t, _floatx())
    return _u.abs(t)


def i0(x):
    """The modified Bessel function of the first kind, order 0 (int64/float64 give
    float64, half floats stay, others the default float)."""
    t = convert_to_tensor(x)
    name = standardize_dtype(t.dtype)
    if name in ("int64", "float64"):
        dtype = "float64"
    elif name in ("bfloat16", "float16"):
        dtype = name
    else:
        dtype = _floatx()
    return _special.bessel_i0(_cast(t, dtype))


def logaddexp2(x1, x2):
    """``log2(2**x1 + 2**x2)`` without overflow."""
    a, b = tensors(x1, x2)
    dtype = result_type(a, b, float)
    a, b = _cast(a, dtype), _cast(b, dtype)
    delta = a - b
    ln2 = _math.log(2.0)
    out = _m.maximum(a, b) + _u.log1p(_u.exp(-_u.abs(delta) * ln2)) / ln2
    return _where(_u.is_nan(delta), a + b, out)


def nextafter(x1, x2):
    """The next representable value after ``x1`` towards ``x2`` (computed in float64, as
    Keras's TensorFlow backend, then cast to the result dtype)."""
    a, b = convert_to_tensor(x1), convert_to_tensor(x2)
    dtype = result_type(a, b, float)
    out = _special_more.nextafter(_cast(a, "float64"), _cast(b, "float64"))
    return _cast(out, dtype)


def correlate(x1, x2, mode="valid"):
    """The cross-correlation of two 1-D sequences (``mode``: "valid", "same" or "full")."""
    if mode not in ("valid", "same", "full"):
        raise ValueError(
            f"correlate: invalid mode: '{mode}'. Mode must be one of: 'full', 'same', 'valid'."
        )
    a, b = convert_to_tensor(x1), convert_to_tensor(x2)
    if a.ndim != 1 or b.ndim != 1:
        raise ValueError(
            f"correlate: x1 and x2 must be 1-D, received shapes {tuple(a.shape)} and "
            f"{tuple(b.shape)}"
        )
    dtype = result_type(a, b)
    if dtype == "int64":
        dtype = "float64"
    elif dtype not in ("bfloat16", "float16", "float64"):
        dtype = "float32"
    a, b = _cast(a, dtype), _cast(b, dtype)
    n, m = a.shape[0], b.shape[0]
    if mode != "valid":
        a = _re.pad(a, [[max(m - 1, 0), max(m - 1, 0)]])
    elif m > n:
        raise ValueError(f"correlate: with mode='valid' x2 ({m}) may not be longer than x1 ({n})")
    out = _conv.conv1d(_sh.reshape(a, [1, -1, 1]), _sh.reshape(b, [m, 1, 1]), 1, "VALID")
    out = _sh.reshape(out, [-1])
    if mode == "same":
        size = max(n, m)
        start = (n + m - 1 - size) // 2
        out = out[start : start + size]
    return out


def view(x, dtype=None):
    """``x``'s bytes read as ``dtype`` (the last axis grows or shrinks by the ratio of the
    item sizes)."""
    from ...tf_extras import bitcast

    t = convert_to_tensor(x)
    new_name = standardize_dtype(dtype if dtype is not None else t.dtype)
    old_size = t.dtype.size
    new_size = _dtypes.as_dtype(new_name).size
    shape = list(t.shape)
    last = shape[-1] if shape else -1
    if (last == -1 and old_size != new_size) or (last * old_size) % new_size:
        raise ValueError(
            f"view: cannot view array of shape {tuple(t.shape)} and dtype "
            f"{standardize_dtype(t.dtype)} as dtype {new_name} because the total number of "
            "bytes is not divisible by the new itemsize."
        )
    if old_size == new_size:
        return bitcast(t, new_name)
    if old_size > new_size:
        shape[-1] *= old_size // new_size
        return _sh.reshape(bitcast(_sh.reshape(t, [-1]), new_name), shape)
    ratio = new_size // old_size
    return bitcast(_sh.reshape(t, shape[:-1] + [last // ratio, ratio]), new_name)


# -- vectorize ----------------------------------------------------------------------------

_DIMS = r"\w+"
_ARG = rf"\((?:{_DIMS}(?:,{_DIMS})*)?\)"
_ARGS = rf"{_ARG}(?:,{_ARG})*"
_SIGNATURE = rf"^{_ARGS}->{_ARGS}$"


def _parse_signature(signature: str):
    text = signature.replace(" ", "")
    if not re.match(_SIGNATURE, text):
        raise ValueError(f"vectorize: not a valid gufunc signature: {signature!r}")
    inputs, outputs = text.split("->")

    def dims(part):
        return [tuple(re.findall(_DIMS, arg)) for arg in re.findall(_ARG, part)]

    return dims(inputs), dims(outputs)


def vectorize(pyfunc, *, excluded=None, signature=None):
    """``pyfunc`` applied elementwise (or, with a gufunc ``signature`` such as
    ``"(m,n),(n)->(m)"``, over core sub-arrays) across the broadcast leading axes of its
    tensor arguments; ``excluded`` positions / keywords pass through unchanged."""
    if not callable(pyfunc):
        raise TypeError(f"vectorize: pyfunc must be callable, received {pyfunc!r}")
    excluded = set(excluded or ())
    parsed = _parse_signature(signature) if signature is not None else None

    @functools.wraps(pyfunc)
    def wrapped(*args, **kwargs):
        static = {i: a for i, a in enumerate(args) if i in excluded or a is None}
        static_kw = {k: v for k, v in kwargs.items() if k in excluded}
        dynamic_kw = {k: v for k, v in kwargs.items() if k not in excluded}
        if dynamic_kw:
            raise TypeError(
                "vectorize: keyword arguments must be listed in `excluded`, received "
                f"{sorted(dynamic_kw)}"
            )
        positions = [i for i in range(len(args)) if i not in static]
        values = [convert_to_tensor(args[i]) for i in positions]
        if parsed is None:
            core_in, core_out = [()] * len(values), None
        else:
            core_in, core_out = parsed
            if len(core_in) != len(values):
                raise TypeError(
                    f"vectorize: wrong number of positional arguments: expected "
                    f"{len(core_in)}, got {len(values)}"
                )
        sizes: dict = {}
        loop_shapes = []
        for value, core in zip(values, core_in):
            if value.ndim < len(core):
                raise ValueError(
                    f"vectorize: input with shape {tuple(value.shape)} does not have enough "
                    f"dimensions for its core dimensions {core}"
                )
            core_shape = value.shape[value.ndim - len(core) :]
            for name, size in zip(core, core_shape):
                if sizes.setdefault(name, size) != size:
                    raise ValueError(
                        f"vectorize: inconsistent size for core dimension {name!r}: {size} "
                        f"vs {sizes[name]}"
                    )
            loop_shapes.append(tuple(value.shape[: value.ndim - len(core)]))
        loop = tuple(np.broadcast_shapes(*loop_shapes)) if loop_shapes else ()
        count = int(np.prod(loop)) if loop else 1
        flat = [
            _sh.reshape(
                _sh.broadcast_to(value, list(loop) + list(value.shape[len(shape) :])),
                [count] + list(value.shape[len(shape) :]),
            )
            for value, shape in zip(values, loop_shapes)
        ]

        def call(k):
            full = dict(static)
            for pos, t in zip(positions, flat):
                full[pos] = t[k]
            return pyfunc(*[full[i] for i in range(len(args))], **static_kw)

        results = [call(k) for k in range(count)]
        multi = isinstance(results[0], tuple) if results else False
        columns = list(zip(*results)) if multi else [results]
        if core_out is not None and len(core_out) != len(columns):
            raise TypeError(
                f"vectorize: wrong number of output arguments: expected {len(core_out)}, "
                f"got {len(columns)}"
            )
        outs = []
        for column in columns:
            column = [convert_to_tensor(c) for c in column]
            inner = list(column[0].shape) if column else []
            stacked = _sh.stack(column) if column else convert_to_tensor(np.zeros([0]))
            outs.append(_sh.reshape(stacked, list(loop) + inner))
        return tuple(outs) if multi else outs[0]

    return wrapped
