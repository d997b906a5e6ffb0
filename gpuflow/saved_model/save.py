"""``tf.saved_model.save``: the object graph, its functions' traces and its variables.

Layout of ``export_dir`` (gpuflow's own; see docs/saved_model.md):
    saved_model.json      the objects (children by attribute name), the variables' names,
                          shapes and dtypes, each function's concrete traces, the signatures
    saved_model.npz       the arrays the traces hold (constants, op attributes)
    variables/variables*  the variables' values, as tf.train.Checkpoint writes them
    assets/               the files of tf.saved_model.Asset objects (vocabularies of saved
                          layers and tables are kept with those objects)
"""

from __future__ import annotations

import json
import os
import shutil
import warnings

import numpy as np

from .. import nest
from .._tracing import symbolic_shapes
from ..graph.concrete import ConcreteFunction
from ..graph.function import Function as TfFunction
from ..graph.function import silent_print
from ..tensor import Tensor, Variable
from ..tensor_spec import TensorSpec
from ..train import graph as ckpt_graph
from . import fingerprint, size_refusal
from .asset import Asset
from .custom_programs import recording_programs, with_programs
from .encode import Writer, encode
from .size_search import pinned as pinned_sizes
from .size_search import too_large, trailing_candidates, with_batch
from .steps_io import save_concrete

FORMAT = "gpuflow.saved_model"
VERSION = 1
JSON_NAME = "saved_model.json"
ARRAYS_NAME = "saved_model.npz"
# Sizes a None dimension takes in the probe traces that check a trace holds for any size
# (unrelated sizes, none 1, so that broadcasting, halving and products show); a spec of
# unknown rank takes 0, 1 and 2 dimensions.
PROBE_SIZES = (5, 7, 11)
# Keras bookkeeping that holds compiled steps, not user functions.
_LAYER_FUNCTIONS_SKIP = ("train_function", "test_function", "predict_function")


class _Saver:
    def __init__(self) -> None:
        self.variables: list = []
        self._var_ids: dict = {}
        self.nodes: list = []
        self._node_ids: dict = {}
        self.concretes: list = []
        self._cf_ids: dict = {}
        self.writer = Writer(self.variable_index)
        self._probes: list = []  # (Function, cache key of a probe trace), dropped after
        self.assets: dict = {}  # name under assets/ -> the file copied there

    def variable_index(self, var) -> int:
        i = self._var_ids.get(id(var))
        if i is None:
            i = self._var_ids[id(var)] = len(self.variables)
            self.variables.append(var)
        return i

    # -- the object graph ------------------------------------------------------------------
    def node(self, obj, path: str) -> int:
        i = self._node_ids.get(id(obj))
        if i is not None:
            return i
        i = self._node_ids[id(obj)] = len(self.nodes)
        self.nodes.append(None)
        if isinstance(obj, Variable):
            entry = {"kind": "variable", "variable": self.variable_index(obj)}
        elif isinstance(obj, Asset):
            entry = {"kind": "asset", "filename": self.asset(obj, path)}
        elif isinstance(obj, (TfFunction, ConcreteFunction)):
            entry = {"kind": "function", "concretes": self.function(obj, path)}
            signature = getattr(obj, "input_signature", None)
            if isinstance(obj, TfFunction) and signature is not None:
                entry["input_signature"] = encode(tuple(signature), self.writer, path)
        elif isinstance(obj, (list, tuple)):
            entry = {
                "kind": "list",
                "items": [self.node(v, f"{path}[{k}]") for k, v in enumerate(obj) if _saved(v)],
            }
        elif isinstance(obj, dict):
            items = [[str(k), self.node(v, f"{path}[{k!r}]")] for k, v in obj.items() if _saved(v)]
            entry = {"kind": "dict", "items": items}
        else:
            children = {}
            for name, child in _children(obj):
                children[name] = self.node(child, f"{path}.{name}")
            entry = {"kind": "object", "children": children}
        self.nodes[i] = entry
        return i

    def asset(self, asset, path: str) -> str:
        """The name under ``assets/`` of ``asset``'s file (its own name, numbered when another
        file took it), copied when the SavedModel is written."""
        source = os.path.abspath(asset._path)
        if not os.path.isfile(source):
            raise ValueError(
                f"tf.saved_model.save: the Asset {path} names {asset._path!r}, which is not a file"
            )
        for name, known in self.assets.items():
            if known == source:
                return name
        stem, ext = os.path.splitext(os.path.basename(source))
        name, n = stem + ext, 1
        while name in self.assets:
            name, n = f"{stem}_{n}{ext}", n + 1
        self.assets[name] = source
        return name

    # -- functions ---------------------------------------------------------------------------
    def function(self, f, path: str) -> list:
        """Indices of the concrete traces saved for ``f`` (a Function or ConcreteFunction)."""
        if isinstance(f, ConcreteFunction):
            return [self.concrete(f, _requested(f), path)]
        out = []
        if f.input_signature is not None:
            first = self.concrete(self.signature_trace(f), (tuple(f.input_signature), {}), path)
            if self.concretes[first].get("generic"):
                return [first]
            out.append(first)
        for cf in list(f._concrete.values()):
            if getattr(cf, "_probe", False):
                continue
            out.append(self.concrete(cf, _requested(cf), path))
        if f._eager_keys:
            _warn_eager_calls(f, path, len(out))
        return list(dict.fromkeys(out))

    def concrete(self, cf, specs, path: str) -> int:
        """Save ``cf`` (once); ``specs``: the signature asked for, whose None dimensions are
        kept when probe traces show that the steps hold for any size (``_generic``)."""
        args, kwargs = _split(specs)
        key = (id(cf), _spec_key((args, kwargs)))
        found = self._cf_ids.get(key)
        if found is not None:
            return found
        cf = with_programs(cf)  # its custom gradients' grad_fn recorded, to be saved
        name = path.rsplit(".", 1)[-1]
        signature = (tuple(args), dict(kwargs))
        asked = _has_none(signature)
        entry = self._generic(cf._owner, signature, name) if asked else None
        if asked and entry is None:
            entry = self._symbolic(self._generic, cf._owner, signature, name)
        working = self._working_sizes(cf._owner, signature) if asked and entry is None else []
        if len(working) == 2:  # steps free of every None size, traced at sizes the body takes
            entry = self._size_free(cf._owner, signature, working, name)
            if entry is None:
                entry = self._symbolic(self._size_free, cf._owner, signature, working, name)
        base = None  # the sizes of a specialised trace, checked against other sizes
        if asked and entry is None:
            # [None, None] for (batch, features): the features may only work at one size
            for size in _candidate_sizes(cf._owner):
                pinned = nest.map_structure(lambda s, n=size: _pin(s, n), signature)
                if _has_none(pinned):
                    entry = self._generic(cf._owner, pinned, name)
                if entry is not None:  # said when a call of another size finds no trace
                    entry["pinned_from"] = encode(signature, self.writer, name)
                    base = _probe_signatures(pinned)[0]
                    break
        if working and entry is None:  # the body takes other sizes only
            pinned = pinned_sizes(working[0], signature)
            entry = self._generic(cf._owner, pinned, name)
            if entry is not None:  # said when a call of another size finds no trace
                entry["pinned_from"] = encode(signature, self.writer, name)
                base = _probe_signatures(pinned)[0]
        failed = getattr(cf, "_stand_in_for", None)
        if entry is None and failed is not None:
            raise failed  # the sizes the search found do not give steps for the signature
        if entry is None:
            if asked:
                self._refuse_specialised(cf._owner, signature, _exact(cf), name, batch=True)
            entry = save_concrete(cf, _exact(cf), self.writer, name)
            entry["output_specs"] = encode(_output_specs(cf, None), self.writer, name)
            if asked:  # said when a call of another shape finds no trace
                entry["fixed_shape_of"] = encode(signature, self.writer, name)
        elif base is not None:
            self._refuse_specialised(cf._owner, signature, base, name, batch=False)
        self._cf_ids[key] = len(self.concretes)
        self.concretes.append(entry)
        return len(self.concretes) - 1

    def signature_trace(self, f):
        """``f``'s trace for its input_signature; when its None sizes set to 1 cannot be
        traced (a reshape to 784 values per example), a trace at the first sizes the search
        finds, to be replaced by what ``concrete`` saves (its failure raised if nothing)."""
        try:
            return f.get_concrete_function()
        except Exception as exc:  # noqa: BLE001 - the body may raise anything at size 1
            signature = (tuple(f.input_signature), {})
            if not _has_none(signature):
                raise
            for sized in trailing_candidates(f, signature, _candidate_sizes(f)):
                cf = self._try_trace(f, sized)
                if cf is not None:
                    cf._stand_in_for = exc
                    return cf
            raise

    def _refuse_specialised(self, owner, signature, base, name, batch: bool) -> None:
        """Raise when a trace specialised to the sizes ``base`` is about to be saved for
        ``signature`` although the body takes other sizes of a None dimension, with steps
        that follow that size (TensorFlow would serve every size). ``batch``: whether the
        first dimensions count (a pinned trace follows the batch size itself)."""
        if _has_none(base) or any(
            isinstance(s, TensorSpec) and s.shape.rank is None for s in nest.flatten(signature)
        ):
            return  # an unknown rank: the dimensions to vary are not known
        found = self._probe(owner, [base], signature, name)
        if found is None:
            return
        findings = []
        for leaf, axis in size_refusal.none_dimensions(signature):
            if axis == 0 and not batch:
                continue
            size = tuple(nest.flatten(base)[leaf].shape)[axis]
            other = size_refusal.OTHER if size != size_refusal.OTHER else size_refusal.BASE
            varied = self._probe(
                owner, [size_refusal.sized(signature, base, (leaf, axis), other)], signature, name
            )
            if varied is None:
                continue  # the body does not take another size there
            (a, arrays_a, _), (b, arrays_b, _) = found[0], varied[0]
            if a != b or not _same_arrays(arrays_a, arrays_b):
                op = size_refusal.first_difference(a, b) or "a constant computed from it"
                findings.append((leaf, axis, op))
        if findings:
            raise size_refusal.error(name, signature, findings)

    def _try_trace(self, owner, sized):
        """The trace of ``owner`` at the fully sized ``sized`` (kept as a probe, dropped
        after saving), or None when the body fails at these sizes."""
        before = set(owner._concrete)
        try:
            with silent_print(True):  # a trace TensorFlow would not make prints nothing
                cf = owner.get_concrete_function(*sized[0], **sized[1])
        except Exception:  # noqa: BLE001 - these sizes do not fit the body
            return None
        finally:
            for k in set(owner._concrete) - before:
                owner._concrete[k]._probe = True
                self._probes.append((owner, k))
        return cf

    def _working_sizes(self, owner, signature) -> list:
        """Up to two fully sized versions of ``signature`` the body can be traced at, from
        the search of size_search.py."""
        working = []
        for sized in trailing_candidates(owner, signature, _candidate_sizes(owner)):
            if self._try_trace(owner, sized) is not None:
                working.append(sized)
                if len(working) == 2:
                    break
        return working

    def _size_free(self, owner, signature, working, name):
        """One trace for every shape of ``signature`` when the steps at the two sets of
        sizes in ``working`` (and at other batch sizes) are the same, else None."""
        sizes = [(working[0], 5), (working[1], 7), (working[0], 11)]
        probes = self._probe(
            owner, [with_batch(s, signature, n) for s, n in sizes], signature, name
        )
        if probes is None or not all(
            _same_arrays(probes[0][1], p[1]) and probes[0][0] == p[0] for p in probes[1:]
        ):
            return None
        if any(p[2]._read_sizes for p in probes):
            # constants from tf.shape may be equal at these sizes only (size // 2 at 2 and
            # 3): such a body is saved from traces that compute its sizes (_symbolic)
            return None
        entry = save_concrete(probes[0][2], signature, self.writer, name)
        entry["output_specs"] = encode(_output_specs(probes[0][2], probes[1][2]), self.writer, name)
        entry["generic"] = True
        return entry

    def _generic(self, owner, signature, name):
        """One trace for every size of the None dimensions, or None when the steps depend on
        those sizes in a way the file cannot say (then the trace is saved for its own shapes).

        Traced at three sizes: integers in the steps that change with the size (a reshape
        to the batch size) must be ``a * size + b`` (saved as such, filled in on each call);
        everything else must be equal."""
        asked = {id(c): c.__dict__.get("_requested_signature") for c in owner._concrete.values()}
        try:
            probes = self._probe(owner, _probe_signatures(signature), signature, name)
        finally:  # probing asks for traces again: keep what the user asked for
            for c in owner._concrete.values():
                if id(c) in asked:
                    c._requested_signature = asked[id(c)]
        if probes is None:
            return None
        if not all(_same_arrays(probes[0][1], p[1]) for p in probes[1:]):
            return None
        paths: list = []
        paths2: list = []
        if not _differ(probes[0][0], probes[1][0], [], paths):
            return None
        if not _differ(probes[0][0], probes[2][0], [], paths2) or paths2 != paths:
            return None
        params = []
        s0, s1, s2 = PROBE_SIZES
        for path in paths:
            if not any(key in path for key in ("attrs", "value", "py", "c")):
                return None  # a slot number or a count: the steps themselves differ
            v = [_at(p[0], path) for p in probes]
            a, rem = divmod(v[1] - v[0], s1 - s0)
            b = v[0] - a * s0
            if rem or a * s2 + b != v[2]:
                return None
            params.append([path, a, b])
        dims = size_refusal.none_dimensions(signature)
        if params and len(dims) > 1:
            # several None dimensions: which of them each number follows (a reshape to
            # [height, width] of an image), so that calls of unequal sizes are served
            params = self._params_per_dimension(owner, signature, name, probes, paths, dims)
            if params is None:
                return None
            entry_dims = _spec_positions(signature, dims)
        entry = save_concrete(probes[0][2], signature, self.writer, name)
        entry["output_specs"] = encode(_output_specs(probes[0][2], probes[1][2]), self.writer, name)
        entry["generic"] = True
        if params:
            entry["size_params"] = params
            if len(dims) > 1:
                entry["size_dims"] = entry_dims
        return entry

    def _symbolic(self, method, owner, *args):
        """``method`` (``_generic``, ``_size_free``) with traces that record ``tf.shape`` as
        a step (``tf.shape(x)[1] // 2``, ``tf.range(tf.shape(x)[0])``, a while loop over the
        rows): one trace for every size when such traces are the same at every probe size,
        else None. The function's own traces are left as they were."""
        saved = (
            owner._concrete,
            set(owner._signatures),
            owner._tracing_count,
            dict(owner._eager_keys),
        )
        owner._concrete = {}
        probes = len(self._probes)
        try:
            with symbolic_shapes():
                return method(owner, *args)
        finally:
            owner._concrete, owner._signatures, owner._tracing_count, owner._eager_keys = saved
            del self._probes[probes:]  # dropped with the dict they were made in

    def _params_per_dimension(self, owner, signature, name, probes, paths, dims):
        """``[[path, [a per dimension], b]]``: the numbers at ``paths`` as ``b + sum(a_d *
        size_d)`` over the None dimensions ``dims``, from traces with one dimension at
        another size; None when a number is not of that form (a product of two sizes) or a
        trace differs otherwise."""
        s0, s1, s2 = PROBE_SIZES
        base_sized = _probe_signatures(signature)[0]
        varied = self._probe(
            owner,
            [size_refusal.sized(signature, base_sized, d, s1) for d in dims],
            signature,
            name,
        )
        if varied is None:
            return None
        per_dim = []
        for probe in varied:
            if not _same_arrays(probes[0][1], probe[1]):
                return None
            found: list = []
            if not _differ(probes[0][0], probe[0], [], found):
                return None
            if any(path not in paths for path in found):
                return None
            per_dim.append(probe[0])
        params = []
        for path in paths:
            v0 = _at(probes[0][0], path)
            slopes = []
            for probe in per_dim:
                a, rem = divmod(_at(probe, path) - v0, s1 - s0)
                if rem:
                    return None
                slopes.append(a)
            b = v0 - s0 * sum(slopes)
            if b + s1 * sum(slopes) != _at(probes[1][0], path):
                return None
            if b + s2 * sum(slopes) != _at(probes[2][0], path):
                return None
            params.append([path, slopes, b])
        return params

    def _probe(self, owner, signatures, signature, name):
        """``[(stripped JSON, arrays, concrete)]`` of the traces at the fully sized
        ``signatures`` (saved as ``signature``), or None when one of them cannot be traced
        (or would be too large)."""
        if any(too_large(sized) for sized in signatures):
            return None
        probes = []
        for sized in signatures:
            before = set(owner._concrete)
            try:
                with silent_print(True):  # a trace TensorFlow would not make prints nothing
                    probe = owner.get_concrete_function(*sized[0], **sized[1])
            except Exception:  # noqa: BLE001 - a trace that fails at this size is not generic
                return None
            for k in set(owner._concrete) - before:
                owner._concrete[k]._probe = True
                self._probes.append((owner, k))
            w = Writer(self.variable_index)
            probes.append((_strip(save_concrete(probe, signature, w, name)), w.arrays, probe))
        return probes

    def forget_probes(self) -> None:
        for owner, key in self._probes:
            owner._concrete.pop(key, None)


def _probe_signatures(signature) -> list:
    """``signature`` with its None dimensions at each of the PROBE_SIZES."""
    return [
        nest.map_structure(lambda s, n=size, r=rank: _sized(s, n, r), signature)
        for rank, size in enumerate(PROBE_SIZES)
    ]


def _spec_positions(signature, dims) -> list:
    """``dims`` (``[(leaf, axis)]`` over all leaves) as ``[(index among the TensorSpecs,
    axis)]``, the order the loaded function sees its input tensors in."""
    flat = nest.flatten(signature)
    index = {}
    for i, s in enumerate(flat):
        if isinstance(s, TensorSpec):
            index[i] = len(index)
    return [[index[leaf], axis] for leaf, axis in dims]


def _requested(cf):
    return getattr(cf, "_requested_signature", None) or _exact(cf)


def _exact(cf):
    args, kwargs = cf._traced_signature  # the shapes it was recorded on
    return (tuple(args), dict(kwargs))


def _spec_key(signature):
    return repr(nest.map_structure(lambda s: repr(s), signature))


def _has_none(signature) -> bool:
    return any(
        isinstance(s, TensorSpec) and not s.shape.is_fully_defined()
        for s in nest.flatten(signature)
    )


def _candidate_sizes(function) -> list:
    """Sizes a None dimension other than the first may need (a feature size the function
    was written for): the dimensions of the variables of the object whose method
    ``function`` is (``ExportModule.__call__`` reading a model's kernels), without 0 and 1."""
    owner = getattr(getattr(function, "_python_function", None), "__self__", None)
    sizes: dict = {}
    for var in getattr(owner, "variables", None) or ():
        for d in tuple(var.shape):
            if d is not None and int(d) > 1:
                sizes[int(d)] = None
    return list(sizes)


def _pin(spec, size):
    """``spec`` with its None dimensions after the first set to ``size``."""
    if not isinstance(spec, TensorSpec) or spec.shape.rank is None:
        return spec
    dims = tuple(spec.shape)
    return TensorSpec(
        dims[:1] + tuple(size if d is None else d for d in dims[1:]), spec.dtype, spec.name
    )


def _sized(spec, size, rank):
    """``spec`` with its None dimensions ``size`` (an unknown rank: ``rank`` dimensions)."""
    if not isinstance(spec, TensorSpec):
        return spec
    if spec.shape.rank is None:
        return TensorSpec((size,) * rank, spec.dtype, spec.name)
    return TensorSpec(tuple(size if d is None else d for d in spec.shape), spec.dtype, spec.name)


def _strip(entry):
    """A saved trace without what differs between sizes but does not change the steps (the
    shapes noted for printing)."""
    if isinstance(entry, dict):
        skip = (
            ("shape",)
            if "op" in entry or "custom" in entry
            else ("signature",)
            if "steps" in entry
            else ()
        )
        return {k: _strip(v) for k, v in entry.items() if k not in skip}
    if isinstance(entry, list):
        return [_strip(v) for v in entry]
    return entry


def _differ(a, b, path: list, out: list) -> bool:
    """Whether ``a`` and ``b`` (saved traces) are equal but for integers; their paths are
    appended to ``out``."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_differ(a[k], b[k], path + [k], out) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(
            _differ(x, y, path + [i], out) for i, (x, y) in enumerate(zip(a, b))
        )
    if a == b:
        return True
    if isinstance(a, int) and not isinstance(a, bool):
        out.append(path)
        return True
    return False


def _at(entry, path):
    for key in path:
        entry = entry[key]
    return entry


def _same_arrays(a: dict, b: dict) -> bool:
    if a.keys() != b.keys():
        return False
    return all(
        a[k].shape == b[k].shape and a[k].dtype == b[k].dtype and np.array_equal(a[k], b[k])
        for k in a
    )


def _output_specs(cf_a, cf_b):
    """TensorSpecs of the outputs (None where the two probe traces' sizes differ)."""

    def spec(x, y=None):
        if not isinstance(x, Tensor):
            return None
        if x.shape.rank is None or (isinstance(y, Tensor) and y.shape.rank is None):
            return TensorSpec(None, x.dtype)
        shape = tuple(x.shape)
        if y is not None and isinstance(y, Tensor):
            other = tuple(y.shape)
            if len(other) != len(shape):
                return TensorSpec(None, x.dtype)  # an unknown rank in, an unknown rank out
            shape = tuple(d if d == e else None for d, e in zip(shape, other))
        return TensorSpec(shape, x.dtype)

    flat_a = nest.flatten(cf_a.structured_outputs)
    flat_b = nest.flatten(cf_b.structured_outputs) if cf_b is not None else [None] * len(flat_a)
    return [spec(x, y) for x, y in zip(flat_a, flat_b)]


def _saved(value) -> bool:
    return ckpt_graph.is_trackable(value) or isinstance(value, (TfFunction, ConcreteFunction))


def _children(obj) -> list:
    """``[(name, child)]``: what a checkpoint tracks, and the object's tf.functions."""
    from ..layers.base import Layer

    out = list(ckpt_graph.children(obj)) if ckpt_graph._kind(obj) is not None else []
    names = {n for n, _ in out}
    for name in sorted(dir(type(obj))):
        if name in names:
            continue
        attr = None
        for klass in type(obj).__mro__:
            if name in vars(klass):
                attr = vars(klass)[name]
                break
        if isinstance(attr, TfFunction):
            out.append((name, getattr(obj, name)))
            names.add(name)
    if not isinstance(obj, Layer):
        for name, value in sorted(vars(obj).items()):
            if name not in names and isinstance(value, (TfFunction, ConcreteFunction)):
                out.append((name, value))
    else:
        out = [(n, v) for n, v in out if n not in _LAYER_FUNCTIONS_SKIP]
    return out


# -- signatures ------------------------------------------------------------------------------
def _signature_inputs(cf, specs, fname):
    """``[input name, spec, keyword]`` per argument (keyword: None for a positional one);
    an input's name is its spec's name, else the argument's name, as TensorFlow names them."""
    args, kwargs = _split(specs)
    names = cf._owner._arg_names(len(args))
    inputs = []
    for name, spec, key in [(n, s, None) for n, s in zip(names, args)] + [
        (k, s, k) for k, s in kwargs.items()
    ]:
        if not isinstance(spec, TensorSpec):
            raise ValueError(
                f"tf.saved_model.save: signature {fname!r} must take tensors only (TensorSpec "
                f"arguments), its argument {name!r} is {spec!r}"
            )
        inputs.append([spec.name or name, encode(spec, None, fname), key])
    return inputs


def _split(specs):
    """``(args, kwargs)`` of a signature (always given as that pair here)."""
    args, kwargs = specs
    return tuple(args), dict(kwargs)


def _warn_eager_calls(f, path: str, traced: int) -> None:
    """Calls that ran eagerly (a trace met what it cannot record) left nothing to save."""
    reason = next(iter(f._eager_keys.values()))
    warnings.warn(
        f"tf.saved_model.save: {path} ran eagerly for {len(f._eager_keys)} argument "
        f"signature(s), which cannot be saved ({reason}); the loaded object can call it only "
        f"with the {traced} traced one(s)",
        RuntimeWarning,
        stacklevel=2,
    )


def _signature_function(saver, value, name):
    if isinstance(value, ConcreteFunction):
        return value, _requested(value)
    if isinstance(value, TfFunction):
        if value.input_signature is None:
            raise ValueError(
                f"tf.saved_model.save: signature {name!r} is a tf.function without an "
                "input_signature; pass f.get_concrete_function(tf.TensorSpec(...)) or "
                "decorate it with @tf.function(input_signature=[...])"
            )
        return saver.signature_trace(value), (tuple(value.input_signature), {})
    raise ValueError(
        f"tf.saved_model.save: signature {name!r} must be a tf.function with an "
        f"input_signature or a ConcreteFunction, received {type(value).__name__}"
    )


def _default_signature(saver, obj):
    """TensorFlow's choice without ``signatures``: a Keras model's call on its inputs, else
    the root's one tf.function with an input_signature that returns tensors. A Keras model
    with no known inputs (a subclass never called) falls to the second, as in TensorFlow,
    where its ``_default_save_signature`` then fails and is skipped."""
    if _is_keras_model(obj) and _has_known_inputs(obj):
        return {"serving_default": keras_serving_function(obj, "inputs")}
    found = []
    for name, child in _children(obj):
        if isinstance(child, TfFunction) and child.input_signature is not None:
            cf = saver.signature_trace(child)
            flat = nest.flatten(cf.structured_outputs)
            if flat and all(isinstance(t, Tensor) for t in flat):
                found.append(child)
    return {"serving_default": found[0]} if len(found) == 1 else {}


def _is_keras_model(obj) -> bool:
    # by name: gpuflow.models imports this package (Model.export), not the other way round
    return any(
        c.__name__ == "Model" and c.__module__ == "gpuflow.models.model" for c in type(obj).__mro__
    )


def keras_serving_function(model, arg_name: str = "inputs", input_signature=None):
    """A tf.function calling ``model`` in inference mode, with its inputs' specs."""
    from ..graph.function import function

    if input_signature is None:
        spec = keras_input_spec(model)
        if isinstance(spec, TensorSpec):  # tf.saved_model.save names it by the argument
            spec = TensorSpec(spec.shape, spec.dtype, arg_name)
        input_signature = [spec]

    def serve(inputs):
        return model(inputs, training=False)

    serve.__signature__ = _one_arg_signature(arg_name)
    return function(serve, input_signature=input_signature, autograph=False)


def _one_arg_signature(name):
    import inspect

    return inspect.Signature([inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD)])


def _model_inputs(model):
    try:
        return model.inputs
    except (AttributeError, ValueError):
        return None


def _has_known_inputs(model) -> bool:
    return bool(_model_inputs(model)) or isinstance(
        getattr(model, "_build_input_shape", None), tuple
    )


def keras_input_spec(model):
    inputs = _model_inputs(model)
    if inputs:
        specs = [TensorSpec(tuple(t.shape), t.dtype, getattr(t, "name", None)) for t in inputs]
        return specs[0] if len(specs) == 1 else specs
    shape = getattr(model, "_build_input_shape", None)
    if not isinstance(shape, tuple):
        raise ValueError(
            f"tf.saved_model.save: model '{model.name}' has no known input shape; call it on "
            "data or build it (model.build((None, ...))) before saving"
        )
    return TensorSpec(shape, model.compute_dtype)


def write(obj, export_dir, signatures=None, extra=None) -> None:
    """Write ``obj`` to ``export_dir``; ``extra``: {attribute: value} added to the root
    (ExportArchive's endpoints and variable lists)."""
    from ..train import Checkpoint

    saver = _Saver()
    try:
        with recording_programs():  # custom gradients' grad_fn, saved
            root = saver.node(obj, "root")
            for name, value in (extra or {}).items():
                saver.nodes[root]["children"][name] = saver.node(value, f"root.{name}")
            if signatures is None:
                signatures = _default_signature(saver, obj)
            elif not isinstance(signatures, dict):
                signatures = {"serving_default": signatures}
            sigs = {}
            for name, value in signatures.items():
                cf, specs = _signature_function(saver, value, name)
                sigs[str(name)] = {
                    "concrete": saver.concrete(cf, specs, f"signature.{name}"),
                    "inputs": _signature_inputs(cf, specs, name),
                    "output_keys": _output_keys(cf, name),
                }
    finally:
        saver.forget_probes()
    arrays = saver.writer.arrays
    document = {
        "format": FORMAT,
        "version": VERSION,
        "root": root,
        "nodes": saver.nodes,
        "variables": [
            {
                "name": v.path,  # a layer's "dense/kernel", as TensorFlow names it after loading
                "shape": list(v._data.shape),
                "dtype": v.dtype.name,
                "trainable": bool(v.trainable),
            }
            for v in saver.variables
        ],
        "concrete_functions": saver.concretes,
        "signatures": sigs,
        "objects": saver.writer.objects,
    }
    text = json.dumps(document, indent=1, allow_nan=False)
    export_dir = os.fspath(export_dir)
    os.makedirs(os.path.join(export_dir, "variables"), exist_ok=True)
    os.makedirs(os.path.join(export_dir, "assets"), exist_ok=True)
    for name, source in saver.assets.items():
        target = os.path.join(export_dir, "assets", name)
        if os.path.abspath(target) != source:
            shutil.copyfile(source, target)
    np.savez(os.path.join(export_dir, ARRAYS_NAME), **arrays)
    ckpt = Checkpoint(variables=list(saver.variables)) if saver.variables else Checkpoint()
    ckpt.write(os.path.join(export_dir, "variables", "variables"))
    with open(os.path.join(export_dir, JSON_NAME), "w", encoding="utf-8") as f:
        f.write(text)
    fingerprint.write(export_dir, _fingerprint(document, arrays, saver.variables, export_dir))


def _fingerprint(document, arrays, variables, export_dir):
    """The saved model's hashes (see fingerprint.py): of the traces and the arrays they
    hold, the signatures, the object graph, the variables' values, and the files."""

    def part(*keys):
        return json.dumps([document[k] for k in keys], sort_keys=True).encode()

    def array_bytes(a):
        a = np.asarray(a)
        head = f"{a.dtype.str}{a.shape}".encode()
        return head + (repr(a.tolist()).encode() if a.dtype == object else a.tobytes())

    program = [part("concrete_functions")]
    program += [name.encode() + array_bytes(arrays[name]) for name in sorted(arrays)]
    values = [array_bytes(v.numpy()) for v in variables]
    files = []
    for name in (JSON_NAME, ARRAYS_NAME):
        with open(os.path.join(export_dir, name), "rb") as f:
            files.append(f.read())
    return fingerprint.Fingerprint(
        saved_model_checksum=fingerprint.hash64(*files, *values),
        graph_def_program_hash=fingerprint.hash64(*program),
        signature_def_hash=fingerprint.hash64(part("signatures")),
        saved_object_graph_hash=fingerprint.hash64(part("root", "nodes", "objects", "variables")),
        checkpoint_hash=fingerprint.hash64(*values),
        version=fingerprint.VersionDef(fingerprint.PRODUCER),
    )


def _output_keys(cf, name) -> list:
    """TensorFlow's names of a signature's outputs: a dict's keys, else output_0, ..."""
    out = cf.structured_outputs
    if isinstance(out, dict):
        flat = nest.flatten(out)
        keys = sorted(out)
        if len(keys) != len(flat) or not all(isinstance(out[k], Tensor) for k in keys):
            raise ValueError(
                f"tf.saved_model.save: signature {name!r} must return a flat dict of tensors"
            )
        return [str(k) for k in keys]
    flat = nest.flatten(out)
    if not flat or not all(isinstance(t, Tensor) for t in flat):
        raise ValueError(
            f"tf.saved_model.save: signature {name!r} must return tensors (a tensor, a list "
            f"or a dict of them), received {out!r:.80}"
        )
    return [f"output_{i}" for i in range(len(flat))]
