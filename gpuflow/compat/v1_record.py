"""Recording ops on TF 1 graph tensors: :func:`record` runs the op on the inputs' two
probes (unknown sizes 2 and 3) for the output's static shape and dtype, and keeps a node
that ``Session.run`` computes; the Python operators of GraphTensor (``x + 1``) record the
op TensorFlow would add (installed on import, before any graph tensor is made: v1.py's
placeholder, v1_variables.py and _symbolic_dispatch import this module)."""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor
from .v1_graph import (
    GraphOperation,
    GraphTensor,
    Node,
    OpNode,
    computing,
    graph_mode,
    has_graph_tensor,
    substitute,
)

_PROBE_SIZES = (2, 3)


def probe_value(dtype, shape, size: int):
    """A value standing for a fed tensor: ones, unknown sizes set to ``size``."""
    from ..ops.creation import constant

    # an unknown rank: most often a scalar fed each run (keep_prob, a learning rate)
    dims = [] if shape.rank is None else [size if d is None else d for d in shape]
    if dtype.name == "string":
        return constant(np.full(dims, b"a", dtype=object))
    return constant(np.ones(dims, dtype=dtype.as_numpy_dtype))


def make_placeholder(dtype, shape, name, default):
    """A placeholder's GraphTensor (``default``: the value it takes when not fed)."""
    from .. import dtypes
    from ..tensor_shape import TensorShape
    from .v1_graph import PlaceholderNode

    dtype = dtypes.as_dtype(dtype)
    shape = TensorShape(shape)
    node = PlaceholderNode(dtype, shape, name, default)
    probes = tuple(probe_value(dtype, shape, n) for n in _PROBE_SIZES)
    return GraphTensor(node, (), probes, shape=shape, dtype=dtype)


def wrap_outputs(node: Node, probes: tuple):
    """GraphTensors for the structure ``fn`` returned (a tensor, or tuples/lists of them)."""

    def build(values, path):
        first = values[0]
        if isinstance(first, Tensor) or hasattr(first, "dtype") and hasattr(first, "shape"):
            try:
                tensors = tuple(
                    v if isinstance(v, (Tensor, _NoShape)) else _as_tensor(v) for v in values
                )
            except Exception:  # noqa: BLE001 - not a tensor after all: kept as it came
                return first
            return GraphTensor(node, path, tensors)
        if isinstance(first, tuple) and hasattr(first, "_fields"):
            return type(first)(
                *(build([v[i] for v in values], path + (i,)) for i in range(len(first)))
            )
        if isinstance(first, (list, tuple)):
            return type(first)(
                build([v[i] for v in values], path + (i,)) for i in range(len(first))
            )
        return first

    if probes[0] is None:
        return GraphOperation(node)
    return build(list(probes), ())


def _as_tensor(value):
    from ..ops.creation import convert_to_tensor

    return convert_to_tensor(value)


# TensorFlow's op type names where they differ from the function's name in CamelCase
_OP_TYPES = {
    "matmul": "MatMul",
    "add": "AddV2",
    "multiply": "Mul",
    "subtract": "Sub",
    "divide": "RealDiv",
    "reduce_sum": "Sum",
    "reduce_mean": "Mean",
    "reduce_max": "Max",
    "reduce_min": "Min",
    "reduce_prod": "Prod",
    "getitem": "StridedSlice",
    "bias_add": "BiasAdd",
    "radd": "AddV2",
    "rsub": "Sub",
    "rmul": "Mul",
    "truediv": "RealDiv",
    "rtruediv": "RealDiv",
    "rmatmul": "MatMul",
}


def _op_type(name: str) -> str:
    return _OP_TYPES.get(name) or "".join(p[:1].upper() + p[1:] for p in name.split("_"))


def record(fn, args, kwargs, op_name: str, name=None, node_type=OpNode):
    """Record ``fn(*args, **kwargs)`` (GraphTensors among the arguments) as a node (of
    ``node_type``, an OpNode); its output GraphTensors have the static shapes the probe
    runs give."""
    name = kwargs.get("name") if isinstance(kwargs.get("name"), str) else name
    node = node_type(fn, args, kwargs, _op_type(op_name), name)
    probes = []
    for k in range(len(_PROBE_SIZES)):

        def lookup(t, k=k):
            return t._probes[k]

        a, kw = substitute((args, kwargs), lookup)
        try:
            with computing():
                probes.append(fn(*a, **kw))
        except Exception:
            if k == 0:
                broadcast = _broadcast_probes(fn, args, kwargs)
                if broadcast is None:
                    raise
                return wrap_outputs(node, broadcast)
            probes.append(None)
            break
    if len(probes) > 1 and probes[1] is None:
        probes = [probes[0], _unknown_like(probes[0])]
    return wrap_outputs(node, tuple(probes))


def _broadcast_probes(fn, args, kwargs):
    """The probes of an op that the sizes 2 and 3 cannot run, as TF infers its shape: the
    op run with every unknown size of its inputs set to 1 (so ``x * tf.constant([1., 2.,
    1., 1.])`` for ``x`` of shape ``[None]`` is ``(4,)``); the output sizes that are 1 stay
    unknown (their probes sized 2 and 3). None when that does not run either."""

    def narrowed(t):
        value = t._probes[0]
        if not isinstance(value, Tensor) or t.shape.rank is None:
            raise ValueError("no probe")
        index = tuple(slice(0, 1) if d is None else slice(None) for d in t.shape)
        return value[index] if index else value

    try:
        a, kw = substitute((args, kwargs), narrowed)
        with computing():
            out = fn(*a, **kw)
    except Exception:  # noqa: BLE001 - the caller raises the op's own error
        return None
    return tuple(_widened(out, size) for size in _PROBE_SIZES)


def _widened(value, size: int):
    """``value`` (a structure of tensors) with each axis of size 1 repeated to ``size``."""
    if isinstance(value, Tensor):
        from ..ops.creation import constant

        array = value.numpy()
        for axis, n in enumerate(array.shape):
            if n == 1:
                array = np.repeat(array, size, axis=axis)
        return constant(array)
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return type(value)(*(_widened(v, size) for v in value))
    if isinstance(value, (list, tuple)):
        return type(value)(_widened(v, size) for v in value)
    return value


class _NoShape:
    """The second probe when only the first ran: every size unknown."""

    def __init__(self, rank: int) -> None:
        self.shape = (None,) * rank


def _unknown_like(value):
    if isinstance(value, Tensor):
        return _NoShape(len(value.shape))
    if isinstance(value, (list, tuple)) and not hasattr(value, "_fields"):
        return type(value)(_unknown_like(v) for v in value)
    return value


# -- operators: ``x + 1``, ``x @ W``, ``x[:, 0]`` record the op as tf.add etc. would -------
# the names TensorFlow gives the ops of Python operators (``x + y`` is ``add``)
_OPERATOR_NAMES = {
    "__add__": "add",
    "__sub__": "sub",
    "__mul__": "mul",
    "__truediv__": "truediv",
    "__floordiv__": "floordiv",
    "__mod__": "mod",
    "__pow__": "pow",
    "__matmul__": "matmul",
    "__getitem__": "strided_slice",
    "__neg__": "Neg",
    "__abs__": "Abs",
    "__lt__": "Less",
    "__le__": "LessEqual",
    "__gt__": "Greater",
    "__ge__": "GreaterEqual",
    "__and__": "LogicalAnd",
    "__or__": "LogicalOr",
    "__xor__": "LogicalXor",
    "__invert__": "LogicalNot",
}


def _install_operators() -> None:
    from ..ops.operators import _METHODS

    def make(name, fn):
        op_name = getattr(fn, "__name__", name.strip("_"))
        op_name = name.strip("_") if op_name == "<lambda>" else op_name

        node_name = _OPERATOR_NAMES.get(name.replace("__r", "__"), op_name)

        def method(self, *args):
            return record(fn, (self, *args), {}, op_name, node_name)

        method.__name__ = name
        return method

    for name, fn in _METHODS.items():
        if name.startswith("__") and name not in ("__eq__", "__ne__"):
            setattr(GraphTensor, name, make(name, fn))
    GraphTensor.T = property(lambda self: record(_METHODS["T"].fget, (self,), {}, "transpose"))


_install_operators()


def as_graph_tensor(value):
    """``value`` as a GraphTensor in graph mode (a constant node for a value that is not
    one), so that what is built on it is recorded and runs in ``Session.run``; as it is
    outside graph mode."""
    if not graph_mode() or isinstance(value, GraphTensor):
        return value
    from ..ops.creation import convert_to_tensor

    with computing():
        tensor = convert_to_tensor(value)
    node = OpNode(lambda: tensor, (), {}, "Const")
    return GraphTensor(node, (), (tensor, tensor))


def _graph_constant(tensor, name):
    """``tf.constant(...)`` in graph mode: a Const node of the graph (named under its name
    scopes, ``s/c:0``) holding ``tensor``; ``tensor`` itself outside graph mode and in a
    ``tf.Graph().as_default()`` block of eager execution (whose graph records its ops)."""
    from .._tracing import tracing

    if not (tracing.eager_disabled and graph_mode()):
        return tensor
    node = OpNode(lambda: tensor, (), {}, "Const", name if isinstance(name, str) else None)
    return GraphTensor(node, (), (tensor, tensor))


def install_constant_hook() -> None:
    from ..ops.public_constant import GRAPH_HOOK

    GRAPH_HOOK[0] = _graph_constant


def graph_call(fn, *args, **kwargs):
    """``fn(*args, **kwargs)``, recorded as a node when a GraphTensor is among the arguments
    (for the functions that ``_symbolic_dispatch`` does not wrap, such as stop_gradient)."""
    if has_graph_tensor((args, kwargs)):
        return record(fn, args, kwargs, getattr(fn, "__name__", "op"))
    return fn(*args, **kwargs)


# TF 2 functions that take callables or make contexts: they handle graph tensors
# themselves (or refuse them) and are never recorded whole
_NOT_RECORDED = frozenset(
    {"cond", "while_loop", "case", "switch_case", "control_dependencies", "group", "no_op",
     "gradients", "tuple", "function", "map_fn", "scan", "foldl", "foldr", "name_scope",
     "device", "custom_gradient", "py_function", "numpy_function", "init_scope",
     "variable_creator_scope", "print", "Assert", "recompute_grad", "is_tensor"}
)  # fmt: skip
_GRAPH_AWARE: dict = {}


def graph_aware(fn):
    """``fn`` (a TF 2 function that ``_symbolic_dispatch`` does not wrap, such as
    ``tf.random.normal``) as tf.compat.v1 gives it: recorded as one node when called with
    graph tensors; the same function otherwise."""
    import types

    if (
        not isinstance(fn, types.FunctionType)
        or hasattr(fn, "__wrapped_op__")
        or fn.__name__ in _NOT_RECORDED
    ):
        return fn
    found = _GRAPH_AWARE.get(fn)
    if found is None:
        import functools

        @functools.wraps(fn)
        def found(*args, **kwargs):
            return graph_call(fn, *args, **kwargs)

        _GRAPH_AWARE[fn] = found
    return found
