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

from .. import dtypes
from .._tracing import tracing
from ..tensor_shape import TensorShape


class _State(threading.local):
    def __init__(self) -> None:
        self.running = 0  # > 0 while Session.run computes nodes: ops run eagerly there


STATE = _State()


@contextlib.contextmanager
def computing():
    """Ops run eagerly inside (a node's value, a probe, a variable's value): graph mode
    and any ``tf.Graph().as_default()`` trace are set aside."""
    saved = tracing.trace
    tracing.trace = None
    tracing.eager_suspended += 1
    STATE.running += 1
    try:
        yield
    finally:
        STATE.running -= 1
        tracing.eager_suspended -= 1
        tracing.trace = saved


def graph_mode() -> bool:
    """Whether TF 1 graph construction is on: eager execution disabled, or inside a
    ``tf.Graph().as_default()`` block (not a traced function's graph)."""
    if STATE.running or tracing.data_functions:  # a tf.data function runs on values
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
        if self._shape.rank is None:  # TF leaves an unknown shape out
            return f'Tensor("{self.name}", dtype={self._dtype.name})'
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


def _tf2_scope_in_graph(name):
    """``tf.name_scope(name)`` in a TF 1 graph names the ops recorded inside, as TF's: the
    graph's name scope, entered (None outside graph mode)."""
    if not graph_mode():
        return None
    from .v1_scopes import name_scope

    scope = name_scope(name)
    scope.__enter__()
    return scope


def install_name_scope_hook() -> None:
    from ..name_scopes import GRAPH_HOOK

    GRAPH_HOOK[0] = _tf2_scope_in_graph
