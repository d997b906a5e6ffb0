"""TF 1 graph mode: ``tf.compat.v1.placeholder`` and the ops built on it, run later by
``Session.run(fetches, feed_dict)``.

Graph mode is on after ``tf.compat.v1.disable_eager_execution()`` and inside a
``with tf.Graph().as_default():`` block. There, placeholders and v1 variables are
:class:`GraphTensor` objects: an op called with one (``tf.matmul(x, W)``, ``x + 1``) records
a node and returns a GraphTensor instead of computing (``_symbolic_dispatch`` sends such
calls to :func:`record`). Each GraphTensor carries two small *probe* values, the op run on
inputs whose unknown sizes are 2 and then 3, from which its static shape and dtype come
(and TF's build-time shape errors). v1_run.py evaluates the nodes with the fed values.
"""

from __future__ import annotations

import contextlib
import itertools
import threading

import numpy as np

from .. import dtypes
from .._tracing import tracing
from ..tensor import Tensor
from ..tensor_shape import TensorShape


class _State(threading.local):
    def __init__(self) -> None:
        self.running = 0  # > 0 while Session.run computes nodes: ops run eagerly there


STATE = _State()


@contextlib.contextmanager
def computing():
    """Ops run eagerly inside (a node's value, a probe, a variable's value): graph mode
    and any ``tf.Graph().as_default()`` trace are set aside."""
    saved = tracing.trace, tracing.eager_disabled
    tracing.trace, tracing.eager_disabled = None, False
    STATE.running += 1
    try:
        yield
    finally:
        STATE.running -= 1
        tracing.trace, tracing.eager_disabled = saved


_PROBE_SIZES = (2, 3)


def graph_mode() -> bool:
    """Whether TF 1 graph construction is on: eager execution disabled, or inside a
    ``tf.Graph().as_default()`` block (not a traced function's graph)."""
    if STATE.running:
        return False
    if tracing.eager_disabled:
        return True
    from ..graph.graph_view import default_graph

    graph = default_graph()
    return graph is not None and not graph.building_function


class Node:
    """One recorded operation: ``compute(run)`` gives its value, ``inputs`` the nodes it
    reads (and ``control`` the ones that must run first)."""

    _ids = itertools.count()
    lazy: tuple = ()  # nodes computed only when chosen (a cond's branches)

    def __init__(self, op_type: str, name: str | None, inputs=(), control=()) -> None:
        from .v1_scopes import unique_op_name

        self.type = op_type
        self.name = unique_op_name(name or op_type)
        self.inputs = tuple(inputs)
        self.control = tuple(control) + current_control_inputs()
        self.id = next(Node._ids)

    def compute(self, run):
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<tf.Operation '{self.name}' type={self.type}>"


class OpNode(Node):
    """``fn(*args, **kwargs)`` with the GraphTensors among the arguments replaced by values."""

    def __init__(self, fn, args, kwargs, op_type: str, name=None) -> None:
        self.fn, self.args, self.kwargs = fn, args, kwargs
        super().__init__(op_type, name, graph_nodes((args, kwargs)))

    def compute(self, run):
        args, kwargs = run.substitute((self.args, self.kwargs))
        return self.fn(*args, **kwargs)


class CallNode(Node):
    """A host action (an assignment, an optimizer step, an initializer): ``action(run)``
    after its ``inputs`` are computed."""

    def __init__(self, action, op_type: str, name=None, inputs=()) -> None:
        self.action = action
        super().__init__(op_type, name, graph_nodes(inputs))

    def compute(self, run):
        return self.action(run)


class PlaceholderNode(Node):
    def __init__(self, dtype, shape, name=None, default=None) -> None:
        self.dtype, self.shape, self.default = dtype, shape, default
        kind = "Placeholder" if default is None else "PlaceholderWithDefault"
        super().__init__(kind, name, graph_nodes(default))

    def compute(self, run):
        if self.default is not None:
            return run.substitute(self.default)
        from ..errors import InvalidArgumentError

        dims = (
            "unknown" if self.shape.rank is None else [-1 if d is None else d for d in self.shape]
        )
        raise InvalidArgumentError(
            None,
            None,
            f"You must feed a value for placeholder tensor '{self.name}' with dtype "
            f"{self.dtype.name} and shape {dims}",
        )


def graph_nodes(value) -> list:
    """The nodes of the GraphTensors in ``value`` (lists, tuples and dicts looked into)."""
    found: list = []

    def walk(v):
        if isinstance(v, (GraphTensor, GraphOperation)):
            found.append(v._node)
        elif isinstance(v, (list, tuple)):
            for item in v:
                walk(item)
        elif isinstance(v, dict):
            for item in v.values():
                walk(item)

    walk(value)
    return found


def has_graph_tensor(value) -> bool:
    if isinstance(value, GraphTensor):
        return True
    if isinstance(value, (list, tuple)):
        return any(has_graph_tensor(v) for v in value)
    if isinstance(value, dict):
        return any(has_graph_tensor(v) for v in value.values())
    return False


def substitute(value, lookup):
    """``value`` with each GraphTensor replaced by ``lookup(tensor)``."""
    if isinstance(value, GraphTensor):
        return lookup(value)
    if isinstance(value, GraphOperation):
        return None
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return type(value)(*(substitute(v, lookup) for v in value))
    if isinstance(value, (list, tuple)):
        return type(value)(substitute(v, lookup) for v in value)
    if isinstance(value, dict):
        return {k: substitute(v, lookup) for k, v in value.items()}
    return value


class GraphOperation:
    """``tf.Operation`` of a v1 graph: run for its effect (``Session.run`` gives None)."""

    def __init__(self, node: Node) -> None:
        self._node = node
        from .v1_collections import state

        state().by_name.setdefault(node.name, self)

    @property
    def name(self) -> str:
        return self._node.name

    @property
    def type(self) -> str:
        return self._node.type

    @property
    def op(self):
        return self

    @property
    def control_inputs(self) -> list:
        return [GraphOperation(n) for n in self._node.control]

    def run(self, feed_dict=None, session=None) -> None:
        from .v1_default_session import default_session_for

        default_session_for("Operation.run", session).run(self, feed_dict)

    def __repr__(self) -> str:
        return repr(self._node)


class GraphTensor:
    """A tensor of a TF 1 graph: shape, dtype and name now, a value in ``Session.run``."""

    _symbolic_kind = "v1"  # how _symbolic_dispatch recognizes it without importing
    __array_priority__ = 2000  # `np_array + graph_tensor` defers to __radd__

    def __init__(self, node: Node, path: tuple, probes: tuple, shape=None, dtype=None) -> None:
        self._node, self._path, self._probes = node, path, probes
        first = probes[0]
        self._dtype = dtypes.as_dtype(dtype if dtype is not None else first.dtype)
        if shape is None:
            shape = _shape_of(probes)
        self._shape = TensorShape(shape)
        from .v1_collections import state

        state().by_name.setdefault(self.name, self)

    # -- static facts ---------------------------------------------------------------------
    @property
    def shape(self) -> TensorShape:
        return self._shape

    def get_shape(self) -> TensorShape:
        return self._shape

    def set_shape(self, shape) -> None:
        shape = TensorShape(shape)
        if not self._shape.is_compatible_with(shape):
            raise ValueError(
                f"Tensor's shape {self._shape} is not compatible with supplied shape {shape}."
            )
        self._shape = self._shape.merge_with(shape)

    @property
    def dtype(self):
        return self._dtype

    @property
    def ndim(self):
        return self._shape.rank

    @property
    def name(self) -> str:
        index = self._path[0] if self._path and isinstance(self._path[0], int) else 0
        return f"{self._node.name}:{index}"

    @property
    def op(self) -> GraphOperation:
        return GraphOperation(self._node)

    @property
    def graph(self):
        from .v1_collections import default_graph

        return default_graph()

    @property
    def device(self) -> str:
        return ""

    def eval(self, feed_dict=None, session=None):
        from .v1_default_session import default_session_for

        return default_session_for("Tensor.eval", session).run(self, feed_dict)

    def ref(self):
        return self

    def __repr__(self) -> str:
        return f"<tf.Tensor '{self.name}' shape={self._shape} dtype={self._dtype.name}>"

    def __str__(self) -> str:
        return f'Tensor("{self.name}", shape={self._shape}, dtype={self._dtype.name})'

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other):  # TF 1 graph tensors compare by identity (usable as dict keys)
        return self is other

    def __ne__(self, other):
        return self is not other

    def __len__(self) -> int:
        if self._shape.rank is None or not self._shape.rank or self._shape[0] is None:
            raise TypeError(f"len is not well defined for symbolic Tensors ({self.name})")
        return self._shape[0]

    def __iter__(self):
        if self._shape.rank is None or not self._shape.rank or self._shape[0] is None:
            raise TypeError(f"Cannot iterate over a tensor with unknown first dimension: {self}")
        return iter([self[i] for i in range(self._shape[0])])

    def __bool__(self) -> bool:
        raise TypeError(
            "Using a `tf.Tensor` as a Python `bool` is not allowed in Graph execution "
            f"({self.name}). Use tf.cond to branch on its value."
        )

    def __array__(self, dtype=None, copy=None):
        raise NotImplementedError(
            f"Cannot convert a symbolic tf.Tensor ({self.name}) to a numpy array. Run it in a "
            "tf.compat.v1.Session to get its value."
        )


def _shape_of(probes) -> tuple:
    shapes = [tuple(p.shape) for p in probes]
    if len(shapes) == 1 or shapes[1] is None or len(shapes[0]) != len(shapes[1]):
        return shapes[0]
    return tuple(a if a == b else None for a, b in zip(shapes[0], shapes[1]))


def probe_value(dtype, shape: TensorShape, size: int):
    """A value standing for a fed tensor: ones, unknown sizes set to ``size``."""
    from ..ops.creation import constant

    # an unknown rank: most often a scalar fed each run (keep_prob, a learning rate)
    dims = [] if shape.rank is None else [size if d is None else d for d in shape]
    if dtype.name == "string":
        return constant(np.full(dims, b"a", dtype=object))
    return constant(np.ones(dims, dtype=dtype.as_numpy_dtype))


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


def record(fn, args, kwargs, op_name: str, name=None):
    """Record ``fn(*args, **kwargs)`` (GraphTensors among the arguments) as a node; its
    output GraphTensors have the static shapes the probe runs give."""
    name = kwargs.get("name") if isinstance(kwargs.get("name"), str) else name
    node = OpNode(fn, args, kwargs, _op_type(op_name), name)
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
                raise
            probes.append(None)
            break
    if len(probes) > 1 and probes[1] is None:
        probes = [probes[0], _unknown_like(probes[0])]
    return wrap_outputs(node, tuple(probes))


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


# -- control dependencies -------------------------------------------------------------------
class _Control(threading.local):
    def __init__(self) -> None:
        self.stack: list = []


_control = _Control()


def current_control_inputs() -> tuple:
    return tuple(n for frame in _control.stack for n in frame)


class control_dependencies:  # noqa: N801 - TensorFlow's name
    """``with tf.control_dependencies([op, ...]):`` the nodes recorded inside run after
    ``op``; None clears the enclosing ones (as TF)."""

    def __init__(self, control_inputs) -> None:
        self._nodes = [] if control_inputs is None else graph_nodes(list(control_inputs))
        self._clear = control_inputs is None

    def __enter__(self):
        self._saved = list(_control.stack)
        if self._clear:
            _control.stack.clear()
        _control.stack.append(self._nodes)
        return self

    def __exit__(self, *exc) -> None:
        _control.stack[:] = self._saved


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


def graph_call(fn, *args, **kwargs):
    """``fn(*args, **kwargs)``, recorded as a node when a GraphTensor is among the arguments
    (for the functions that ``_symbolic_dispatch`` does not wrap, such as stop_gradient)."""
    if has_graph_tensor((args, kwargs)):
        return record(fn, args, kwargs, getattr(fn, "__name__", "op"))
    return fn(*args, **kwargs)


def graph_cond(pred, true_fn, false_fn, name=None):
    """``tf.cond`` on a graph predicate: both branches are built now (as TF 1 builds them);
    ``Session.run`` computes the predicate, then only the branch it selects."""
    from ..ops.creation import convert_to_tensor

    branches = []
    for fn in (true_fn, false_fn):
        out = fn()
        single = None if not isinstance(out, (list, tuple)) else type(out)
        flat = [out] if single is None else list(out)
        with computing():
            flat = [t if isinstance(t, GraphTensor) else convert_to_tensor(t) for t in flat]
        branches.append((single, flat))
    if len(branches[0][1]) != len(branches[1][1]):
        raise ValueError(
            "cond: true_fn and false_fn must return the same number of tensors, received "
            f"{len(branches[0][1])} and {len(branches[1][1])}"
        )

    def action(run):
        chosen = branches[0][1] if bool(run.value(pred)) else branches[1][1]
        return tuple(run.value(t) if isinstance(t, GraphTensor) else t for t in chosen)

    node = CallNode(action, "If", name or "cond", [pred])
    node.lazy = tuple(graph_nodes(branches[0][1] + branches[1][1]))
    outputs = []
    for i, (a, b) in enumerate(zip(branches[0][1], branches[1][1])):
        probes = a._probes if isinstance(a, GraphTensor) else (a, a)
        other = b._probes if isinstance(b, GraphTensor) else (b, b)
        shape = _shape_of((probes[0], other[1]))  # sizes that differ by branch: unknown
        shape = tuple(x if x == y else None for x, y in zip(shape, _shape_of(probes)))
        outputs.append(GraphTensor(node, (i,), probes, shape=shape))
    kind = branches[0][0]
    return outputs[0] if kind is None else kind(outputs)


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
