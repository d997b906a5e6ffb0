"""``tf.Graph`` and ``tf.Operation`` as TensorFlow 2 code reads them: a concrete
function's ``graph`` (its recorded steps), and ``with tf.Graph().as_default():``, which
records the ops run in the block into a graph of their own (no TF 1 sessions: the ops
still compute their values, and ``tf.executing_eagerly()`` is False inside, as in TF).

Operations are named as TensorFlow names them by default: after their type, ``MatMul``,
``MatMul_1``; the constants an op reads appear as ``Const`` operations before it, and
function inputs as ``Placeholder`` operations named after their parameters.
"""

from __future__ import annotations

import contextlib
import threading

from .graph_def import to_graph_def
from .steps import Const
from .trace import Trace


class _DefaultGraphs(threading.local):
    def __init__(self) -> None:
        self.stack: list = []  # the graphs entered with as_default, innermost last


_defaults = _DefaultGraphs()


class Graph:
    """A list of operations: a concrete function's recorded steps (``cf.graph``), or the
    ops run under ``with tf.Graph().as_default():``.

    Attributes:
        name: the traced function's name (empty for a ``tf.Graph()``).
        building_function: True for a function's graph, False for a ``tf.Graph()``.
    """

    def __init__(self, name: str = "", steps=None, input_slots=(), input_names=None) -> None:
        self.name = name
        self._steps = [] if steps is None else steps
        self._inputs = list(input_slots)
        self._input_names = dict(input_names or {})  # slot -> parameter name ("x")
        self.building_function = steps is not None
        self.seed = None  # the graph-level random seed (tf.compat.v1.set_random_seed)
        self.outputs: list = []  # a function's output tensors (its ConcreteFunction's)

    @contextlib.contextmanager
    def as_default(self):
        """Make this the default graph: the ops run in the block are recorded into it
        (``get_operations()`` lists them after the block)."""
        if self.building_function:
            raise RuntimeError(
                f"Graph {self.name!r} is a traced function's graph and cannot take new "
                "operations: build a new one with tf.Graph()"
            )
        builder = Trace(self.name or "graph")
        builder.fold_constants = False  # tf.matmul(const, const) is an operation here too
        _defaults.stack.append(self)
        try:
            with builder:
                yield self
        finally:
            _defaults.stack.pop()
            self._steps.extend(builder.steps)

    @property
    def operations(self) -> list[str]:
        """One line per recorded step (op or host call), in the order they run."""
        lines = []
        for step in self._steps:
            lines.append(step.describe())
            for sub in getattr(step, "sub_lines", lambda: [])():
                lines.append("    " + sub)
        return lines

    def get_tensor_by_name(self, name: str):
        """The TF 1 graph tensor called ``name`` (``"x:0"``) built in this graph
        (``tf.compat.v1.placeholder`` and the ops on it)."""
        found = self._v1_names().get(name)
        if found is None or not hasattr(found, "dtype"):
            raise KeyError(
                f"The name '{name}' refers to a Tensor which does not exist. The operation, "
                f"'{name.split(':')[0]}', does not exist in the graph."
            )
        return found

    def _v1_names(self) -> dict:
        # what gpuflow/compat/v1_collections.py records for this graph (nothing outside TF 1)
        return getattr(getattr(self, "_v1_state", None), "by_name", {})

    def get_operations(self) -> list:
        """The operations in the order they run: inputs first (type ``Placeholder``), each
        constant an op reads (``Const``) before that op, as TensorFlow lists them."""
        ops: list = []
        counts: dict = {}

        def add(kind: str, description: str, reads=()) -> str:
            n = counts.get(kind, 0)
            counts[kind] = n + 1
            name = kind if n == 0 else f"{kind}_{n}"
            ops.append(Operation(name, kind, description, reads))
            return name

        producer: dict = {}
        for i, slot in enumerate(self._inputs):
            name = self._input_names.get(slot) or f"input_{i}"
            ops.append(Operation(name, "Placeholder", f"%{slot}"))
            producer[slot] = name
        constants: dict = {}  # id(array) -> the Const operation's name
        for step in self._steps:
            fn = getattr(step, "fn", None)
            kind = fn.op_name() if fn is not None else type(step).__name__.removesuffix("Step")
            reads = []  # in the order the op takes its inputs
            for ref in getattr(step, "refs", ()):
                if ref.__class__ is Const:
                    key = id(ref.array)
                    if key not in constants:
                        constants[key] = add("Const", repr(ref))
                    reads.append(constants[key])
                elif ref.__class__ is int and ref in producer:
                    reads.append(producer[ref])
            reads += [producer[s] for s in step.uses() if s in producer]
            name = add(kind, step.describe(), dict.fromkeys(reads))
            for slot in _written_slots(step):
                producer[slot] = name
        return ops

    def as_graph_def(self, from_version=None, add_shapes=False):
        """The operations as a ``GraphDef`` protobuf: a node per operation with its
        ``name``, ``op`` (type) and ``input`` (see ``graph_def.py`` for what it omits)."""
        return to_graph_def(self.get_operations())

    def get_operation_by_name(self, name: str) -> "Operation":
        """The operation called ``name``; KeyError naming it when there is none."""
        names = self._v1_names()  # a TF 1 graph's (tf.compat.v1.placeholder and ops on it)
        if name in names or f"{name}:0" in names:
            return names[name] if name in names else names[f"{name}:0"].op
        for op in self.get_operations():
            if op.name == name:
                return op
        raise KeyError(f"The name {name!r} refers to an Operation not in the graph.")

    @staticmethod
    def gradient_override_map(op_type_map):
        """Replace the gradients of op types in the block with ``tf.RegisterGradient`` ones."""
        from ..autodiff.gradient_registry import gradient_override_map

        return gradient_override_map(op_type_map)

    def __str__(self) -> str:
        ins = ", ".join(f"%{s}" for s in self._inputs)
        body = "\n".join("  " + line for line in self.operations)
        return f"graph {self.name}({ins}):\n{body}"

    __repr__ = __str__


def _written_slots(step) -> list:
    """The slots a step writes (an op's output, a gradient's, a host call's)."""
    out = getattr(step, "out", None)
    if isinstance(out, int):
        return [out]
    outs = getattr(step, "outs", None) or ()
    return [o[1] if isinstance(o, tuple) else o for o in outs if o is not None]


class Operation:
    """One operation of a :class:`Graph`, for reading: ``name``, ``type`` (the op, as
    ``MatMul``; ``Host`` for a Python call, ``Grad`` for a gradient), its description, and
    ``input_names``, the operations whose outputs it reads."""

    __slots__ = ("name", "type", "description", "input_names")

    def __init__(self, name: str, type: str, description: str, input_names=()) -> None:
        self.name, self.type, self.description = name, type, description
        self.input_names = list(input_names)

    def __repr__(self) -> str:
        return f"<tf.Operation {self.name!r} type={self.type}>"  # as TensorFlow prints it


def default_graph() -> "Graph | None":
    """The innermost graph entered with ``as_default`` on this thread (None outside)."""
    return _defaults.stack[-1] if _defaults.stack else None
