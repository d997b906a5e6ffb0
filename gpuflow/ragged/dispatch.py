"""TensorFlow's ragged dispatch for elementwise ops: ``tf.add(rt, 3)``, ``tf.math.square(rt)``,
``tf.where(rt > 2, rt, 0)``, ``tf.cast(rt, tf.float32)`` return RaggedTensors.

``gpuflow._symbolic_dispatch`` sends an op here when it failed on a RaggedTensor argument;
an elementwise op runs on the flat values (RaggedTensors of one partition, dense
operands as the ragged operators broadcast them); any other op raises an error that
names it and the ways out.
"""

from __future__ import annotations

from ..errors import InvalidArgumentError
from .dynamic_shape import DynamicRaggedShape
from .math import _dense_operand, _same_partition
from .ragged_tensor import RaggedTensor

# ops applied value by value (the first argument is the tensor; the rest are options)
UNARY = frozenset(
    """abs negative exp expm1 log log1p sqrt rsqrt square sin cos tan asin acos atan sinh cosh
    tanh asinh acosh atanh sigmoid relu relu6 elu selu gelu softplus softsign silu swish
    round floor ceil sign logical_not cast saturate_cast is_nan is_finite is_inf reciprocal
    erf erfc erfinv lgamma digamma identity stop_gradient bitwise_invert invert
    clip_by_value zeros_like ones_like""".split()
)
# ops of two tensors, value by value
BINARY = frozenset(
    """add subtract multiply divide truediv floordiv floormod mod pow maximum minimum
    squared_difference equal not_equal less less_equal greater greater_equal logical_and
    logical_or logical_xor divide_no_nan multiply_no_nan xdivy xlogy atan2 realdiv
    bitwise_and bitwise_or bitwise_xor left_shift right_shift""".split()
)

# ops that look up rows of a dense tensor by ragged ids: the result keeps the ids' rows
LOOKUP = frozenset(["embedding_lookup", "gather", "gather_v2"])  # tf.gather is gather_v2


def _is_ragged(value) -> bool:
    return isinstance(value, RaggedTensor)


def _is_ragged_shape(value) -> bool:
    return isinstance(value, DynamicRaggedShape)


def has_ragged(args, kwargs) -> bool:
    values = (*args, *kwargs.values())
    return any(map(_is_ragged, values)) or any(map(_is_ragged_shape, values))


def call(fn, name: str, args: tuple, kwargs: dict, error: Exception):
    """``fn(*args, **kwargs)`` with RaggedTensor arguments, as TensorFlow dispatches it;
    ``error``: what the op raised on them (raised again when it is the op's own message)."""
    if name in UNARY and args and _is_ragged(args[0]):
        rt = args[0]
        return rt.with_flat_values(fn(rt.flat_values, *args[1:], **kwargs))
    if name in BINARY and len(args) >= 2:
        x, y = args[0], args[1]
        base = x if _is_ragged(x) else y
        fx, fy = (_flat(base, v, name) for v in (x, y))
        return base.with_flat_values(fn(fx, fy, *args[2:], **kwargs))
    if name == "where" and len(args) == 3 and all(v is not None for v in args):
        base = next(v for v in args if _is_ragged(v))
        return base.with_flat_values(fn(*[_flat(base, v, name) for v in args], **kwargs))
    if name in LOOKUP and len(args) >= 2 and _is_ragged(args[1]) and not _is_ragged(args[0]):
        if not (kwargs.keys() - {"name", "max_norm"}) and len(args) == 2:
            ids = args[1]
            return ids.with_flat_values(fn(args[0], ids.flat_values, **kwargs))
    if name in ("size", "rank") and args and _is_ragged(args[0]):
        from ..ops.creation import constant

        rt = args[0]
        value = rt.ndim if name == "rank" else int(rt.flat_values.size)
        return constant(value, dtype=kwargs.get("out_type", "int32"))
    if name == "shape" and args and _is_ragged(args[0]):
        from .dynamic_shape import DynamicRaggedShape

        return DynamicRaggedShape.from_tensor(args[0], dtype=kwargs.get("out_type", "int32"))
    if name in ("gather", "gather_v2") and args and _is_ragged(args[0]) and not _is_ragged(args[1]):
        if not (kwargs.keys() - {"name", "axis"}) and kwargs.get("axis", 0) == 0:
            from .indexing import _take_rows

            return _take_rows(args[0], _row_ids(args[0], args[1], "gather"))
    shape_arg = args[1] if name == "reshape" and len(args) > 1 else (args[0] if args else None)
    shape_arg = kwargs.get("shape", kwargs.get("dims", shape_arg))
    if name in ("reshape", "zeros", "ones", "fill") and _is_ragged_shape(shape_arg):
        from . import shape_fill

        return getattr(shape_fill, name)(*args, **kwargs)
    if name == "reverse" and args and _is_ragged(args[0]):
        from .reverse import reverse

        return reverse(*args, **kwargs)
    if name == "tile" and args and _is_ragged(args[0]):
        from .tile import tile

        return tile(*args, **kwargs)
    if not str(error).startswith("Tensor()"):  # the op's own message about ragged input
        raise error
    raise InvalidArgumentError(
        None,
        name,
        f"{name}: RaggedTensor arguments are not supported by this op; apply it to the "
        "values with tf.ragged.map_flat_values, or pad first with rt.to_tensor()",
    )


def _row_ids(rt: RaggedTensor, indices, name: str):
    """Integer row ``indices`` (1-D) as a host int64 vector, checked against ``rt``'s rows."""
    import numpy as np

    ids = np.asarray(indices.numpy() if hasattr(indices, "numpy") else indices)
    n = rt.nrows_int()
    if ids.ndim != 1 or ids.dtype.kind not in "iu":
        raise InvalidArgumentError(
            None, name, f"{name}: row indices of a RaggedTensor must be a 1-D integer vector"
        )
    if ids.size and (ids.min() < -n or ids.max() >= n):
        raise InvalidArgumentError(
            None, name, f"{name}: row indices must be in [0, {n}), received {ids.tolist()}"
        )
    return (ids % max(n, 1)).astype(np.int64)


def _flat(base: RaggedTensor, value, name: str):
    """``value`` lined up with ``base.flat_values``."""
    if _is_ragged(value):
        _same_partition(base, value, name)
        return value.flat_values
    return _dense_operand(base, value, name)
