"""The ``tnp`` functions that are ``keras.ops`` functions under NumPy's dtype rules.

Each name maps to the ``keras.ops`` function that computes it and a rule saying how
``tnp`` treats dtypes, as TensorFlow's NumPy API does: inputs promote as in NumPy
(Python floats to float64 unless ``prefer_float32``), math on integers returns the default
float type, ``sum`` of int32 is int64, ``argmax`` is int64, ... The rule casts the inputs
before the op and the result after it, so the op itself runs unchanged.
"""

from __future__ import annotations

import numpy as np

from ...keras import ops as _ops
from ...ops.cast import cast
from ...ops.math import logical_and, logical_or
from ...tensor import Tensor
from ._convert import as_float, asarray, promote_all

# rule -> names. A name "tnp=keras" computes tnp's name with keras.ops' function.
_RULES = {
    # one array, dtype kept
    "keep": "abs absolute=abs negative square sign conj conjugate=conj reciprocal positive "
    "fabs=abs flip fliplr flipud roll rot90 transpose reshape ravel squeeze expand_dims "
    "swapaxes moveaxis tile repeat sort diagonal trace tril triu "
    "broadcast_to amax amin max min ptp clip around=round "
    "round pad",
    # one array, integers and bools as the default float type first
    "float": "sqrt exp exp2 expm1 log log2 log10 log1p sin cos tan sinh cosh tanh arcsin "
    "arccos arctan arcsinh arccosh arctanh ceil floor cbrt deg2rad rad2deg sinc isnan "
    "isfinite isinf isneginf isposinf signbit mean nanmean std var average",
    # arrays promoted together
    "binary": "add subtract multiply maximum minimum power mod remainder=mod floor_divide "
    "equal not_equal less less_equal greater greater_equal logical_and logical_or "
    "logical_xor bitwise_and bitwise_or bitwise_xor left_shift right_shift gcd lcm "
    "matmul dot inner outer tensordot kron cross vdot where float_power=power",
    # arrays promoted together, integers as the default float type
    "binary_float": "divide true_divide arctan2 hypot logaddexp copysign heaviside",
    # integer and bool inputs accumulate in int64 (NumPy's sum on int32)
    "accumulate": "sum prod nansum nanprod cumsum cumprod",
    # int64 indices or counts
    "index": "argmax argmin argsort count_nonzero nonzero",
    # bool answers
    "bool": "all any isclose allclose logical_not",
    # a sequence of arrays promoted together
    "sequence": "concatenate stack hstack vstack dstack append",
    # one array, the op's own result
    "array": "split array_split hsplit vsplit dsplit diff bitwise_not invert flatnonzero argwhere",
}
_INT64 = np.dtype(np.int64)
_RESULT = {"index": _INT64, "bool": np.dtype(bool)}
_ORDERED = frozenset({"amax", "amin", "max", "min", "sort", "argmax", "argmin", "argsort"})
_BOOL_OPS = {
    "add": logical_or,
    "maximum": logical_or,
    "multiply": logical_and,
    "minimum": logical_and,
}


def _fix(result, dtype):
    """``result`` (a tensor, list or tuple of them) cast to ``dtype`` where it differs."""
    if isinstance(result, (list, tuple)):
        return type(result)(_fix(r, dtype) for r in result)
    if dtype is not None and isinstance(result, Tensor) and result._data.dtype != dtype:
        return cast(result, dtype)
    return result


def _accumulated(dtype):
    if dtype.kind == "b" or (dtype.kind == "i" and dtype.itemsize < 8):
        return _INT64
    if dtype.kind == "u" and dtype.itemsize < 8:
        return np.dtype(np.uint64)
    return dtype


def _make(name: str, fn, rule: str):
    if rule in ("keep", "array", "index", "bool"):

        def op(a, *args, **kwargs):
            x = asarray(a)
            if x._data.dtype.kind == "b" and name in _ORDERED:  # order bools as 0 and 1
                out = fn(cast(x, np.uint8), *args, **kwargs)
                return _fix(out, x._data.dtype if rule == "keep" else _RESULT.get(rule))
            out = fn(x, *args, **kwargs)
            if rule == "keep":
                return _fix(out, x._data.dtype)
            if isinstance(out, tuple):  # split, nonzero: a list, as TensorFlow's
                out = list(out)
            return _fix(out, _RESULT.get(rule))

    elif rule == "float":

        def op(a, *args, dtype=None, **kwargs):
            x = as_float(a) if dtype is None else asarray(a, dtype)
            return fn(x, *args, **kwargs)

    elif rule == "accumulate":

        def op(a, *args, dtype=None, **kwargs):
            x = asarray(a, dtype)
            target = x._data.dtype if dtype is not None else _accumulated(x._data.dtype)
            x = cast(x, target) if target != x._data.dtype else x
            return _fix(fn(x, *args, **kwargs), target)

    elif rule in ("binary", "binary_float"):

        def op(x1, x2=None, *args, **kwargs):
            if name == "where" and x2 is None:  # the indices per axis: a list, as TF's
                out = fn(asarray(x1), *args, **kwargs)
                return _fix(list(out) if isinstance(out, tuple) else out, _INT64)
            if name == "where":
                x2, y = promote_all([x2, args[0]])
                return fn(asarray(x1, bool), x2, y)
            a, b = promote_all([x1, x2], float_result=rule == "binary_float")
            if a._data.dtype.kind == "b" and name in _BOOL_OPS:
                return _BOOL_OPS[name](a, b)
            out = fn(a, b, *args, **kwargs)
            return _fix(out, None if out._data.dtype.kind == "b" else a._data.dtype)

    else:  # sequence

        def op(arrays, *args, **kwargs):
            if name == "append":  # both become arrays first: a Python float is float64
                arrays, args = [asarray(arrays), asarray(args[0])], args[1:]
                out = promote_all(arrays)
                axis = kwargs.pop("axis", args[0] if args else None)
                if axis is None:
                    return _ops.concatenate([_ops.ravel(t) for t in out], axis=0)
                return _ops.concatenate(out, axis=axis)
            tensors = promote_all(list(arrays))
            return _fix(fn(tensors, *args, **kwargs), tensors[0]._data.dtype)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"``np.{name}`` on tensors (TensorFlow's ``tnp.{name}``), by ``keras.ops``."
    return op


def build() -> dict:
    """``{tnp name: function}`` for every name of the table."""
    table = {}
    for rule, names in _RULES.items():
        for entry in names.split():
            name, _, source = entry.partition("=")
            fn = getattr(_ops, source or name, None)
            if fn is None:
                continue  # keras.ops lacks it; tnp's own module may define it
            table[name] = _make(name, fn, rule)
    return table


TABLE = build()
