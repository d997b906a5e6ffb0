"""ConcreteFunction: one trace of a ``gpuflow.function`` (fixed input shapes and dtypes),
replayed on new inputs (its ``graph``: graph_view.py)."""

from __future__ import annotations

import inspect
from collections.abc import Mapping

from .. import nest
from .._deferred_error import raise_if_failed
from ..backend import buffers
from ..backend.buffers import BufferPool
from ..tensor import Tensor, Variable
from ..tensor_shape import TensorShape
from ..tensor_spec import TensorSpec
from . import fused_update
from .function_type import FunctionType, Parameter
from .graph_view import Graph
from .lowering import lower
from .steps import Const, VarRef, finalize, resolve


class ConcreteFunction:
    """One trace: replays its steps on inputs of the traced shapes and dtypes.

    Attributes:
        graph: the recorded steps (``print(f.get_concrete_function(x).graph)``).
        structured_input_signature: ``(args, kwargs)`` with TensorSpecs for tensors (None
            sizes where the trace serves every size, as TensorFlow's); ``_traced_signature``
            holds the shapes this recording was made on.
    """

    _lowered = None  # the steps as one generated function (lowering.py), made on first replay
    _single = False  # whether the output is one tensor (no structure to pack)

    def __init__(self, owner, trace, input_slots, outputs, signature) -> None:
        self._owner = owner
        self._n_slots = len(trace.arrays)
        # tf.shape of a traced tensor was read as a constant (tf.saved_model.save does not
        # take such a trace for other sizes on the evidence of equal steps alone)
        self._read_sizes = trace.read_sizes
        self._input_slots = input_slots
        self._traced_signature = signature
        # An output that says how to stand in for itself on each replay (a training step's
        # LazyLogs): it names the tensors to return, and makes its fresh stand-in from them.
        replay = getattr(type(outputs), "__gpuflow_replay__", None)
        self._fresh = None
        if replay is not None:
            self._fresh, outputs = replay(outputs)
        raise_if_failed(nest.flatten(outputs, expand_composites=nest.EXTENSION_TYPES))
        # a returned RaggedTensor or SparseTensor: its component tensors, replayed
        flat = nest.flatten(outputs, expand_composites=True)
        self._structure = outputs
        self._single = len(flat) == 1 and flat[0] is outputs  # one tensor, not nested
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
        self.graph = Graph(
            getattr(owner, "__name__", "function"), self._steps, input_slots, trace.input_names
        )
        self.graph.outputs = [leaf for leaf in flat if isinstance(leaf, Tensor)]
        self._buffers = BufferPool()  # the replay's large CPU arrays, reused between calls
        self._captures = [id(var) for var, _ in trace.variables.values()]  # variables read

    @property
    def _signature(self):
        """``(args, kwargs)`` as the trace was asked for (what calls are bound against)."""
        d = self.__dict__
        return d.get("_requested_signature") or d.get("_serves") or d["_traced_signature"]

    @property
    def outputs(self) -> list:
        """The output tensors, flat, as TensorFlow's (graph tensors of the trace: their
        shapes show the None sizes of ``output_shapes``; used after it, a TypeError)."""
        return self.graph.outputs

    @property
    def structured_input_signature(self):
        """``(args, kwargs)`` as TensorFlow shows them: arguments passed by keyword for a
        positional parameter moved to their place, parameters not given filled with their
        defaults, each unnamed TensorSpec named after its parameter (``x``, ``pair_0``,
        ``rest_1``, ``pair_a`` inside structures)."""
        args, kwargs = self._signature
        return _named_signature(args, kwargs, self._owner)

    @structured_input_signature.setter
    def structured_input_signature(self, value) -> None:
        self._traced_signature = value

    @property
    def output_shapes(self):
        """The static shape of each output (``structured_outputs``' structure): None for
        a size that follows an input's unknown size (a trace asked for with
        ``TensorSpec([None, ...])``)."""
        return _map_outputs(self._structure, self._output_shape)

    def _output_shape(self, t) -> TensorShape:
        unknown = self.__dict__.get("_unknown_sizes") or set()
        array = t._array() if hasattr(t, "_array") else t._data  # an OutOfScopeTensor's own
        if tuple(array.shape) in (self.__dict__.get("_unknown_ranks") or ()):
            return TensorShape(None)
        return TensorShape([None if d in unknown else d for d in array.shape])

    @property
    def output_dtypes(self):
        """The dtype of each output (``structured_outputs``' structure)."""
        return _map_outputs(self._structure, lambda t: t.dtype)

    def _replay(self, arrays):
        slots = [None] * self._n_slots
        for slot, array in zip(self._input_slots, arrays):
            slots[slot] = array
        run = self._lowered
        if run is None:
            run = self._lowered = lower(self._steps)
        pool = buffers.activate(self._buffers)
        try:
            run(slots)
        finally:
            buffers.activate(pool)
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
        if self._single:
            outputs = leaves[0]
        else:
            outputs = nest.pack_sequence_as(self._structure, leaves, expand_composites=True)
        return outputs if self._fresh is None else self._fresh(outputs)

    def __call__(self, *args, **kwargs):
        """Run this trace on ``args`` (tensors of the traced shapes and dtypes)."""
        return self._owner._call_concrete(self, args, kwargs)

    def pretty_printed_signature(self, verbose: bool = True) -> str:
        """The inputs (with the defaults the trace bound), outputs and, with ``verbose``,
        the captured variables, as TensorFlow 2.21 prints them: one line
        ``(x: TensorSpec(...), y: Literal[2]) -> TensorSpec(...)`` when not ``verbose``.
        (``print(cf.graph)`` lists the recorded operations.)"""
        function_type = self.function_type
        return repr(function_type) if verbose else str(function_type)

    @property
    def function_type(self) -> FunctionType:
        """The inputs (each a Parameter with its ``type_constraint``), ``output`` type
        and captures of this trace, as TensorFlow's ``ConcreteFunction.function_type``."""
        kinds = _parameter_kinds(self._owner.python_function)
        positional = inspect.Parameter.POSITIONAL_OR_KEYWORD
        params = [
            Parameter(name, kinds.get(name, positional), False, value)
            for name, value in self._printed_parameters()
        ]
        params.sort(key=lambda p: p.kind is inspect.Parameter.KEYWORD_ONLY)
        captures = self.__dict__.get("_captures") or []
        return FunctionType(params, self._output_types(), captures, _type_text)

    def _printed_parameters(self) -> list:
        """``[(name, spec or Python value)]``: the signature asked for (None sizes kept)
        where get_concrete_function had one, then the defaults the trace used."""
        args, kwargs = self._signature
        names = self._owner._arg_names(len(args))
        params = list(zip(names, args)) + list(kwargs.items())
        given = {name for name, _ in params}
        for name, default in _defaults(self._owner.python_function):
            if name not in given:
                params.append((name, default))
        return params

    def _output_types(self):
        """``structured_outputs`` with TensorSpecs for tensors (None sizes as
        ``output_shapes``) and for the Python numbers and strings TensorFlow makes
        tensors of; a loaded trace's saved output specs."""
        printed = self.__dict__.get("_printed_outputs")
        if printed is not None:
            return printed

        def spec(leaf):
            if isinstance(leaf, Tensor):
                return TensorSpec(self._output_shape(leaf), leaf.dtype)
            if type(leaf) in _PYTHON_DTYPES:
                return TensorSpec((), _PYTHON_DTYPES[type(leaf)])
            return leaf

        return nest.map_structure(spec, self._structure)

    @property
    def inference_fn(self) -> AtomicFunction:
        """This trace called on its flat inputs alone (TensorFlow's AtomicFunction)."""
        return AtomicFunction(self)

    def __str__(self) -> str:
        return f"ConcreteFunction {self.pretty_printed_signature()}"

    def __repr__(self) -> str:
        return f"<ConcreteFunction {self.pretty_printed_signature(False)} at 0x{id(self):X}>"


class AtomicFunction:
    """A ConcreteFunction's trace called on tensors of its input types, positionally
    (``cf.inference_fn``): a tensor of another dtype or shape is a TypeError."""

    def __init__(self, concrete: ConcreteFunction) -> None:
        self._concrete = concrete
        owner_name = getattr(concrete._owner, "__name__", "function")
        self.name = f"__inference_{owner_name}_{id(concrete) % 100000}".encode()

    @property
    def function_type(self) -> FunctionType:
        return self._concrete.function_type

    def __call__(self, *args):
        specs = [
            p.type_constraint
            for p in self.function_type.parameters.values()
            if isinstance(p.type_constraint, TensorSpec)
        ]
        if len(args) != len(specs):
            raise TypeError(
                f"{self.name.decode()}: expected {len(specs)} tensor argument(s), "
                f"received {len(args)}"
            )
        for spec, value in zip(specs, args):
            given = (
                TensorSpec(tuple(value.shape), value.dtype) if isinstance(value, Tensor) else None
            )
            if given is None or given.dtype != spec.dtype or not spec.is_compatible_with(value):
                raise TypeError(f"Can not cast {given or type(value).__name__} to {spec!r}")
        return self._concrete._replay([value._data for value in args])

    def __repr__(self) -> str:
        return f"<AtomicFunction> {self.name.decode()}{self.function_type}"


_PYTHON_DTYPES = {
    bool: "bool",
    int: "int32",
    float: "float32",
    str: "string",
    bytes: "string",
}


def _named_signature(args, kwargs, owner):
    python_function = getattr(owner, "python_function", None)
    try:
        parameters = list(inspect.signature(python_function).parameters.values())
    except (TypeError, ValueError):
        parameters = []
    kinds = inspect.Parameter
    plain = (kinds.POSITIONAL_ONLY, kinds.POSITIONAL_OR_KEYWORD)
    positional = [p for p in parameters if p.kind in plain]
    rest = next((p.name for p in parameters if p.kind is kinds.VAR_POSITIONAL), None)
    args, kwargs = list(args), dict(kwargs)
    for p in positional[len(args) :]:
        if p.name in kwargs:
            args.append(kwargs.pop(p.name))
        elif p.default is not kinds.empty:
            args.append(p.default)
        else:
            break
    for p in parameters:
        if p.kind is kinds.KEYWORD_ONLY and p.name not in kwargs and p.default is not kinds.empty:
            kwargs[p.name] = p.default
    names = [p.name for p in positional]
    if len(args) > len(names):
        if rest:
            names += [f"{rest}_{i}" for i in range(len(args) - len(names))]
        else:
            names = owner._arg_names(len(args))
    named = tuple(_name_specs(v, n) for v, n in zip(args, names))
    return named, {k: _name_specs(v, k) for k, v in kwargs.items()}


def _name_specs(value, name):
    """``value`` with each unnamed TensorSpec named ``name`` plus its path inside the
    structure (``pair_0``, ``pair_a``), as TensorFlow names a trace's inputs."""

    if isinstance(value, TensorSpec):
        return value if value.name is not None else TensorSpec.from_spec(value, name=name)
    if isinstance(value, Mapping):
        return type(value)((k, _name_specs(v, f"{name}_{k}")) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        items = [_name_specs(v, f"{name}_{i}") for i, v in enumerate(value)]
        return type(value)(*items) if hasattr(type(value), "_fields") else type(value)(items)
    return value


def _parameter_kinds(python_function) -> dict:
    """``{name: kind}`` of the function's named parameters."""
    try:
        parameters = inspect.signature(python_function).parameters.values()
    except (TypeError, ValueError):
        return {}
    named = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    return {p.name: p.kind for p in parameters if p.kind not in named}


def _defaults(python_function) -> list:
    """``[(name, default)]`` of the function's parameters that have one."""
    try:
        parameters = inspect.signature(python_function).parameters.values()
    except (TypeError, ValueError):
        return []
    return [(p.name, p.default) for p in parameters if p.default is not inspect.Parameter.empty]


def _type_text(value) -> str:
    """TensorFlow's text for a value's type in a signature: a spec as its repr,
    ``Dict[['k', ...]]``, ``List[...]``, ``Tuple[...]``, a namedtuple as
    ``Name[['field', ...]]``, a Python value as ``Literal[value]``."""
    if isinstance(value, TensorSpec) or hasattr(type(value), "value_type"):
        return repr(value)
    if isinstance(value, Tensor):
        return repr(TensorSpec(value.shape, value.dtype))
    if isinstance(value, tuple) and hasattr(type(value), "_fields"):
        items = ", ".join(f"[{f!r}, {_type_text(v)}]" for f, v in zip(value._fields, value))
        return f"{type(value).__name__}[{items}]"
    if isinstance(value, Mapping):  # in the dict's own order, as TensorFlow prints it
        items = ", ".join(f"[{k!r}, {_type_text(v)}]" for k, v in value.items())
        return f"Dict[{items}]"
    if isinstance(value, (list, tuple)):
        kind = "List" if isinstance(value, list) else "Tuple"
        return f"{kind}[{', '.join(_type_text(v) for v in value)}]"
    return f"Literal[{value!r}]"


def _map_outputs(structure, fn):
    return nest.map_structure(
        lambda leaf: fn(leaf) if isinstance(leaf, Tensor) else leaf, structure
    )
