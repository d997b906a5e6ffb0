"""ConcreteFunction: one trace of a ``gpuflow.function`` (fixed input shapes and dtypes),
replayed on new inputs; and ``Graph``, the printable list of its steps."""

from __future__ import annotations

from .. import nest
from ..backend import buffers
from ..backend.buffers import BufferPool
from ..tensor import Tensor, Variable
from . import fused_update
from .steps import Const, VarRef, finalize, resolve, run_steps


class Graph:
    """The recorded steps of a trace, for reading: ``print(concrete.graph)``."""

    def __init__(self, name: str, steps: list, input_slots: list) -> None:
        self.name = name
        self._steps = steps
        self._inputs = input_slots

    @property
    def operations(self) -> list[str]:
        """One line per recorded step (op or host call), in the order they run."""
        lines = []
        for step in self._steps:
            lines.append(step.describe())
            for sub in getattr(step, "sub_lines", lambda: [])():
                lines.append("    " + sub)
        return lines

    def get_operations(self) -> list:
        """The recorded steps as :class:`Operation` objects (``name``, ``type``), in the
        order they run: the inputs first (type ``Placeholder``), as TensorFlow lists them."""
        ops = [Operation(f"input_{i}", "Placeholder", f"%{s}") for i, s in enumerate(self._inputs)]
        producer = {s: f"input_{i}" for i, s in enumerate(self._inputs)}
        counts: dict = {}
        for step in self._steps:
            fn = getattr(step, "fn", None)
            kind = fn.op_name() if fn is not None else type(step).__name__.removesuffix("Step")
            n = counts.get(kind, 0)
            counts[kind] = n + 1
            name = kind.lower() if n == 0 else f"{kind.lower()}_{n}"
            reads = [producer[s] for s in dict.fromkeys(step.uses()) if s in producer]
            ops.append(Operation(name, kind, step.describe(), reads))
            for slot in _written_slots(step):
                producer[slot] = name
        return ops

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
    """One recorded step of a :class:`Graph`, for reading: ``name``, ``type`` (the op, as
    ``MatMul``; ``Host`` for a Python call, ``Grad`` for a gradient) and its description."""

    __slots__ = ("name", "type", "description", "input_names")

    def __init__(self, name: str, type: str, description: str, input_names=()) -> None:
        self.name, self.type, self.description = name, type, description
        self.input_names = list(input_names)  # the operations whose outputs this one reads

    def __repr__(self) -> str:
        return f"<gpuflow.Operation {self.name!r} type={self.type}>"


class ConcreteFunction:
    """One trace: replays its steps on inputs of the traced shapes and dtypes.

    Attributes:
        graph: the recorded steps (``print(f.get_concrete_function(x).graph)``).
        structured_input_signature: ``(args, kwargs)`` with TensorSpecs for tensors.
    """

    def __init__(self, owner, trace, input_slots, outputs, signature) -> None:
        self._owner = owner
        self._n_slots = len(trace.arrays)
        self._input_slots = input_slots
        self.structured_input_signature = signature
        # An output that says how to stand in for itself on each replay (a training step's
        # LazyLogs): no tensors to return, that object's fresh stand-in instead.
        replay = getattr(type(outputs), "__gpuflow_replay__", None)
        self._fresh = None if replay is None else replay(outputs)
        if self._fresh is not None:
            outputs = None
        flat = nest.flatten(outputs, expand_composites=True)
        self._structure = outputs
        self._out = []
        for leaf in flat:
            if isinstance(leaf, Variable):
                self._out.append(("var", VarRef(leaf), leaf._device))
            elif isinstance(leaf, Tensor):
                self._out.append(("t", trace.ref(leaf), leaf._device))
            else:
                self._out.append(("py", leaf, None))
        self.structured_outputs = outputs
        output_refs = [ref for kind, ref, _ in self._out if kind == "t"]
        self._steps = finalize(trace.steps, trace.io_functions, output_refs)
        fused_update.plan(self._steps, output_refs)
        self.graph = Graph(getattr(owner, "__name__", "function"), self._steps, input_slots)
        self._buffers = BufferPool()  # the replay's large CPU arrays, reused between calls

    def _replay(self, arrays):
        slots = [None] * self._n_slots
        for slot, array in zip(self._input_slots, arrays):
            slots[slot] = array
        pool = buffers.activate(self._buffers)
        try:
            run_steps(self._steps, slots)
        finally:
            buffers.activate(pool)
        if self._fresh is not None:
            return self._fresh()
        leaves = []
        for kind, ref, device in self._out:
            if kind == "py":
                leaves.append(ref)
            elif kind == "var":
                leaves.append(Tensor._wrap(ref.var._data.copy(), device))
            else:
                array = resolve(ref, slots)
                leaves.append(
                    Tensor._wrap(array.copy() if isinstance(ref, Const) else array, device)
                )
        return nest.pack_sequence_as(self._structure, leaves, expand_composites=True)

    def __call__(self, *args, **kwargs):
        """Run this trace on ``args`` (tensors of the traced shapes and dtypes)."""
        return self._owner._call_concrete(self, args, kwargs)

    def pretty_printed_signature(self, verbose: bool = True) -> str:
        """The inputs and outputs, as TensorFlow prints them, and with ``verbose`` the
        recorded operations."""
        # the signature asked for (None sizes kept) where get_concrete_function had one
        args, kwargs = self.__dict__.get("_requested_signature") or self.structured_input_signature
        names = self._owner._arg_names(len(args))
        lines = ["Input Parameters:"]
        for name, spec in list(zip(names, args)) + list(kwargs.items()):
            lines.append(f"  {name} (POSITIONAL_OR_KEYWORD): {spec!r}")
        lines.append("Output Type:")
        lines.append(f"  {_spec_of(self._structure)!r}")
        if verbose:
            lines.append("Operations:")
            lines.extend("  " + op for op in self.graph.operations)
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"ConcreteFunction {self.graph.name}\n{self.pretty_printed_signature(False)}"


def _spec_of(structure):
    from ..tensor_spec import TensorSpec

    if isinstance(structure, Tensor):
        return TensorSpec(tuple(structure.shape), structure.dtype)
    if nest.is_nested(structure):
        return nest.map_structure(lambda x: _spec_of(x), structure)
    return structure
