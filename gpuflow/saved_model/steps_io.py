"""A ConcreteFunction's recorded steps as JSON (and arrays), and back.

Each step kind of ``gpuflow/graph`` has one form here: an op (its class by registry name,
its constructor attributes, where its inputs come from), a host call from the allow-list,
``cond`` and ``while_loop`` with their sub-step lists. A gradient taken inside the function
and an optimizer update are not saved (a ValueError names them). Loading builds the same
step objects, so a loaded ConcreteFunction replays through the same code as a traced one.
"""

from __future__ import annotations

import inspect
import warnings

import numpy as np

from .. import nest
from ..autodiff.custom_gradient import _Custom
from ..backend.buffers import BufferPool
from ..graph.concrete import ConcreteFunction
from ..graph.control_flow import CondStep, WhileStep
from ..graph.graph_view import Graph
from ..graph.steps import Const, HostStep, OpStep, VarRef, _TensorArg
from ..graph.trace import _OP_STATE
from ..tensor import Tensor
from . import registry
from .call_params import params_to_json
from .encode import Reader, Writer, decode, encode


# -- references ------------------------------------------------------------------------------
def _ref(ref, w: Writer):
    if ref.__class__ is int:
        return ref
    if isinstance(ref, VarRef):
        return {"v": w.variable_index(ref.var)}
    if isinstance(ref, Const):
        return {"c": w.array_or_fill(ref.array)}
    raise ValueError(f"tf.saved_model.save: unexpected input {ref!r} of a recorded step")


def _unref(value, r: Reader):
    if isinstance(value, int):
        return value
    if isinstance(value, dict) and "v" in value:
        return VarRef(r.variables[int(value["v"])])
    if isinstance(value, dict) and "c" in value:
        return Const(r.array_or_fill(value["c"]))
    raise ValueError(f"tf.saved_model.load: bad step input {value!r:.80}")


# -- steps ----------------------------------------------------------------------------------
def save_steps(steps, w: Writer, fname: str) -> list:
    return [_save_step(step, w, fname) for step in steps]


def _save_step(step, w: Writer, fname: str) -> dict:
    kind = type(step)
    if kind is OpStep:
        return _save_op(step, w, fname)
    if kind is HostStep:
        where = f"function {fname!r}: {step.describe()}"
        func, structure, step_leaves = step.func, step.structure, list(step.leaves)
        if inspect.ismethod(func):  # a table's lookup: its table is saved as the first arg
            owner = func.__self__
            func, step_leaves = func.__func__, [owner, *step_leaves]
            structure = ((owner, *structure[0]), structure[1])
        name = registry.host_name(func, step.describe())
        flat = nest.flatten(structure)
        skeleton = nest.pack_sequence_as(structure, [0] * len(flat))
        leaves = [
            {"arg": _ref(x.ref, w)} if x.__class__ is _TensorArg else {"value": encode(x, w, where)}
            for x in step_leaves
        ]
        return {
            "host": name,
            "skeleton": encode(skeleton, w, where),
            "leaves": leaves,
            "outs": [list(o) for o in step.outs],
            "effect": bool(step.effect),
        }
    if kind is CondStep:
        return {
            "cond": _ref(step.pred, w),
            "branches": [
                [save_steps(steps, w, fname), [_ref(r, w) for r in refs]]
                for steps, refs in step.branches
            ],
            "outs": list(step.outs),
        }
    if kind is WhileStep:
        return {
            "while": [_ref(r, w) for r in step.init],
            "places": list(step.places),
            "test": [save_steps(step.cond[0], w, fname), _ref(step.cond[1], w)],
            "body": [save_steps(step.body[0], w, fname), [_ref(r, w) for r in step.body[1]]],
            "limit": step.limit,
            "outs": list(step.outs),
        }
    what = "a gradient (tape.gradient)" if kind.__name__ in ("GradStep",) else None
    if kind.__name__ == "OpStepIO":
        what = "a gradient (tape.gradient)"
    if kind.__name__ == "ApplyStep":
        what = "an optimizer update (apply_gradients)"
    raise ValueError(
        f"tf.saved_model.save: function {fname!r} computes {what or kind.__name__} inside "
        f"(`{step.describe()}`), which gpuflow's SavedModel cannot store; save the forward "
        "function and compute gradients around the loaded one with tf.GradientTape"
    )


def _save_op(step, w: Writer, fname: str) -> dict:
    fn = step.fn
    if type(fn) is _Custom:
        return _save_custom_gradient(step, w, fname)
    name = registry.op_name(fn)
    traced = {attr for attr, _, _ in step.attrs or ()}
    keys = step.keys if step.keys is not None else [k for k in vars(fn) if k not in _OP_STATE]
    saved = getattr(type(fn), "_saved_keys", None)  # an op that derives the rest per call
    if saved is not None:
        keys = [k for k in keys if k in saved]
    attrs = {}
    for key in keys:
        if key in _OP_STATE or key in traced or key not in vars(fn):
            continue
        attrs[key] = encode(vars(fn)[key], w, f"function {fname!r}: op {fn.op_name()} ({key})")
    out = {
        "op": name,
        "attrs": attrs,
        "refs": [_ref(r, w) for r in step.refs],
        "out": step.out,
        "shape": list(step.shape),
        "dtype": np.dtype(step.dtype).name,
    }
    if step.attrs:
        entries = []
        for attr, template, positions in step.attrs:
            if template is not None:
                at = {i for i, _ in positions}
                items = [None if i in at else v for i, v in enumerate(template)]
                template = type(template)(items)
            where = f"function {fname!r}: op {fn.op_name()} ({attr})"
            entries.append([attr, encode(template, w, where), [list(p) for p in positions]])
        out["traced"] = entries
    return out


def _save_custom_gradient(step, w: Writer, fname: str) -> dict:
    """A tf.custom_gradient op: with the program its ``grad_fn`` was recorded as while
    tracing (graph/custom_backward.py), the op and that program, so the loaded function
    has the same gradient (TensorFlow's default ``experimental_custom_gradients=True``).
    Else the identity of its forward result (``grad_fn`` is Python code, which a SavedModel
    cannot hold): the loaded function differentiates the forward ops instead."""
    from ..ops.shape import Identity

    fn = step.fn
    program = fn.__dict__.get("program")
    if program is not None:
        try:
            return _save_custom_program(step, program, w, fname)
        except ValueError:  # a step of grad_fn a SavedModel cannot store
            pass
    warnings.warn(
        f"tf.saved_model.save: function {fname!r}: the gradient function of "
        f"{step.fn.op_name()} is Python code and is not saved; the loaded function "
        "differentiates its forward computation instead",
        stacklevel=2,
    )
    slots = [
        slot for attr, _, positions in step.attrs or () if attr == "result" for _, slot in positions
    ]
    ref = slots[0] if slots else {"c": w.array_or_fill(step.fn.result)}
    return {
        "op": registry.op_name(Identity()),
        "attrs": {},
        "refs": [ref],
        "out": step.out,
        "shape": list(step.shape),
        "dtype": np.dtype(step.dtype).name,
    }


def _save_custom_program(step, program, w: Writer, fname: str) -> dict:
    fn = step.fn
    traced = [(a, t, p) for a, t, p in step.attrs or () if a == "result"]
    return {
        "custom": str(fn.name),
        "shapes": None if fn.shapes is None else [list(s) for s in fn.shapes],
        "refs": [_ref(r, w) for r in step.refs],
        "result": traced[0][2][0][1] if traced else {"c": w.array_or_fill(fn.result)},
        "out": step.out,
        "shape": list(step.shape),
        "dtype": np.dtype(step.dtype).name,
        "program": {
            "steps": save_steps(program.steps, w, fname),
            "upstream": program.upstream,
            "captured": list(program.captured),
            "first": program.first,
            "own": program.own,
            "outs": [None if r is None else _ref(r, w) for r in program.outs],
        },
    }


def _load_custom(d: dict, r: Reader):
    """The custom-gradient op of ``_save_custom_program``: forward, its result; backward,
    the saved program (a second derivative through it raises an error naming it)."""
    from ..graph.custom_backward import CustomBackward

    p = d["program"]
    fn = _Custom.__new__(_Custom)
    fn.name = str(d["custom"])
    fn.shapes = None if d["shapes"] is None else [tuple(int(n) for n in s) for s in d["shapes"]]
    fn.variables = []
    fn.grad_fn = _LoadedGradient(fn.name)
    fn.twice_differentiable = False  # the program runs on arrays
    fn.program = CustomBackward(
        load_steps(p["steps"], r),
        int(p["upstream"]),
        [int(c) for c in p["captured"]],
        int(p["first"]),
        int(p["own"]),
        [None if x is None else _unref(x, r) for x in p["outs"]],
    )
    fn.device, fn.xp = r.device, r.device.xp
    result = d["result"]
    attrs = None
    if isinstance(result, int):
        attrs = (("result", None, [(0, int(result))]),)
    else:
        fn.result = _unref(result, r).array
    refs = tuple(_unref(x, r) for x in d["refs"])
    keys = ("name", "shapes", "variables", "grad_fn", "program", "result", "twice_differentiable")
    return OpStep(fn, refs, int(d["out"]), _Like(d["shape"], d["dtype"]), attrs, keys)


class _LoadedGradient:
    """A loaded custom gradient's ``grad_fn`` stand-in: its first derivative is the
    saved program; a second one through it has no Python code to run."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, *args, **kwargs):
        raise LookupError(
            f"gradient: the loaded custom_gradient({self.name}) is saved as its first "
            "derivative only; a second derivative through it is not defined"
        )


def load_steps(data: list, r: Reader) -> list:
    return [_load_step(d, r) for d in data]


class _Like:
    def __init__(self, shape, dtype) -> None:
        self.shape, self.dtype = tuple(shape), dtype


def _load_step(d: dict, r: Reader):
    if "custom" in d:
        return _load_custom(d, r)
    if "op" in d:
        cls = registry.op_class(d["op"])
        fn = cls.__new__(cls)
        for key, value in d["attrs"].items():
            if key in _OP_STATE:
                raise ValueError(f"tf.saved_model.load: op {d['op']} has a bad attribute {key!r}")
            setattr(fn, str(key), decode(value, r))
        fn.device, fn.xp = r.device, r.device.xp  # as Function.__call__ sets them
        attrs = None
        if d.get("traced"):
            attrs = tuple(
                (str(a), decode(t, r), [tuple(int(x) for x in p) for p in pos])
                for a, t, pos in d["traced"]
            )
        refs = tuple(_unref(x, r) for x in d["refs"])
        keys = tuple(d["attrs"]) + tuple(a for a, _, _ in attrs or ())
        return OpStep(fn, refs, int(d["out"]), _Like(d["shape"], d["dtype"]), attrs, keys)
    if "host" in d:
        func = registry.host_function(d["host"])
        skeleton = decode(d["skeleton"], r)
        leaves, values = [], []
        for leaf in d["leaves"]:
            if "arg" in leaf:
                leaves.append(_TensorArg(_unref(leaf["arg"], r), r.device))
                values.append(Tensor._wrap(r.device.asarray(0.0), r.device))
            else:
                value = decode(leaf["value"], r)
                leaves.append(value)
                values.append(value)
        structure = nest.pack_sequence_as(skeleton, values)
        outs = [(int(i), int(s)) for i, s in d["outs"]]
        return HostStep(func, structure, leaves, outs, bool(d["effect"]))
    if "cond" in d:
        branches = [(load_steps(s, r), [_unref(x, r) for x in refs]) for s, refs in d["branches"]]
        return CondStep(_unref(d["cond"], r), branches, [int(s) for s in d["outs"]])
    if "while" in d:
        return WhileStep(
            [_unref(x, r) for x in d["while"]],
            [int(s) for s in d["places"]],
            (load_steps(d["test"][0], r), _unref(d["test"][1], r)),
            (load_steps(d["body"][0], r), [_unref(x, r) for x in d["body"][1]]),
            None if d["limit"] is None else int(d["limit"]),
            [int(s) for s in d["outs"]],
        )
    raise ValueError(f"tf.saved_model.load: unknown step {sorted(d)!r}")


# -- concrete functions ------------------------------------------------------------------------
def save_concrete(cf, signature, w: Writer, fname: str) -> dict:
    """``cf`` as JSON; ``signature``: its ``(args, kwargs)`` of TensorSpecs and Python values
    (None dimensions where the trace holds for any size)."""
    if cf._fresh is not None:
        raise ValueError(
            f"tf.saved_model.save: function {fname!r} is a training step (it returns logs), "
            "which gpuflow's SavedModel cannot store"
        )
    flat = nest.flatten(cf._structure)
    if len(flat) != len(cf._out):
        raise ValueError(
            f"tf.saved_model.save: function {fname!r} returns composite tensors (ragged, "
            "sparse), which gpuflow's SavedModel cannot store yet"
        )
    where = f"function {fname!r} (its outputs)"
    outs = []
    for kind, ref, _ in cf._out:
        if kind == "py":
            outs.append({"py": encode(ref, w, where)})
        elif kind == "var":
            outs.append({"t": _ref(ref, w)})
        else:
            outs.append({"t": _ref(ref, w)})
    arg_names = cf._owner._arg_names(len(signature[0]))
    python_function = getattr(cf._owner, "_python_function", None)
    return {
        "name": fname,
        "arg_names": arg_names,
        "params": params_to_json(python_function) if python_function is not None else None,
        "signature": encode(signature, w, f"function {fname!r} (its input signature)"),
        "n_slots": cf._n_slots,
        "input_slots": list(cf._input_slots),
        "skeleton": encode(nest.pack_sequence_as(cf._structure, [0] * len(flat)), w, where),
        "outputs": outs,
        "steps": save_steps(cf._steps, w, fname),
    }


def load_concrete(d: dict, owner, r: Reader) -> ConcreteFunction:
    """A ConcreteFunction rebuilt from ``save_concrete``'s JSON, replaying through
    ``ConcreteFunction._replay`` as a traced one does; ``owner`` answers its calls."""
    cf = ConcreteFunction.__new__(ConcreteFunction)
    cf._owner = owner
    cf._n_slots = int(d["n_slots"])
    cf._input_slots = [int(s) for s in d["input_slots"]]
    cf.structured_input_signature = decode(d["signature"], r)
    cf._fresh = None
    cf._out = []
    leaves = []
    for out in d["outputs"]:
        if "py" in out:
            value = decode(out["py"], r)
            cf._out.append(("py", value, None))
            leaves.append(value)
            continue
        ref = _unref(out["t"], r)
        if isinstance(ref, VarRef):
            cf._out.append(("var", ref, r.device))
            leaves.append(ref.var)
        else:
            cf._out.append(("t", ref, r.device))
            leaves.append(None)
    skeleton = decode(d["skeleton"], r)
    cf._structure = nest.pack_sequence_as(skeleton, [0] * len(leaves))
    cf.structured_outputs = cf._structure
    specs = decode(d["output_specs"], r) if "output_specs" in d else None
    if isinstance(specs, list) and len(specs) == len(leaves):
        # what the printed signature shows after '->' (the saved outputs' TensorSpecs)
        printed = [leaf if spec is None else spec for spec, leaf in zip(specs, leaves)]
        cf._printed_outputs = nest.pack_sequence_as(skeleton, printed)
    cf._steps = load_steps(d["steps"], r)
    for ref in (ref for kind, ref, _ in cf._out if kind == "t"):
        if isinstance(ref, int) and not 0 <= ref < cf._n_slots:
            raise ValueError(f"tf.saved_model.load: function {d['name']!r} has a bad output")
    cf.graph = Graph(str(d["name"]), cf._steps, cf._input_slots)
    cf._arg_names = [str(a) for a in d["arg_names"]]
    cf._params = d.get("params")  # the Python parameters (call_params), for LoadedFunction
    cf._fixed_shape_of = decode(d["fixed_shape_of"], r) if "fixed_shape_of" in d else None
    cf._pinned_from = decode(d["pinned_from"], r) if "pinned_from" in d else None
    cf._buffers = BufferPool()  # as ConcreteFunction.__init__: _replay runs in its pool
    return cf
