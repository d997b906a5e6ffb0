"""``tf.saved_model.load``: rebuild the saved objects, variables and functions.

Reading a SavedModel builds data only: the JSON names op classes and host calls that are
looked up in gpuflow's allow-lists (``registry.py``), arrays come from an ``.npz`` read
with ``allow_pickle=False``, variables from a tf.train.Checkpoint. No code from the file
runs.
"""

from __future__ import annotations

import copy
import inspect
import json
import os
from collections.abc import Mapping

import numpy as np

from .. import nest
from .._tracing import tracing
from ..autodiff.state import state as tape_state
from ..backend import current_device
from ..graph.call_args import canonical_call
from ..tensor import Tensor, Variable
from ..tensor_spec import TensorSpec
from ..types import experimental as _tf_types
from .asset import Asset
from .call_params import params_from_json
from .eager import run_eagerly
from .encode import Reader, decode
from .save import ARRAYS_NAME, FORMAT, JSON_NAME, VERSION
from .steps_io import load_concrete


class _UserObject:
    """A restored object: its saved children (objects, variables, functions, lists and
    dicts of them) as attributes, as TensorFlow's loader restores a tf.Module."""

    def __repr__(self) -> str:
        return f"<gpuflow.saved_model loaded object at 0x{id(self):x}>"


_UNSET = object()


class LoadedFunction:
    """A restored ``tf.function``: calls go to the saved trace whose input signature fits.

    Under a GradientTape the trace runs op by op (recorded), otherwise as a compiled replay.
    """

    def __init__(self, name: str) -> None:
        self.__name__ = name
        self._concretes: list = []
        # traces whose op attributes follow the size of the None dimensions (a reshape to
        # the batch size): id(concrete) -> (its JSON, reader, {size: concrete})
        self._sized: dict = {}
        self._call_signature = _UNSET  # inspect.Signature of the saved Python function
        self.input_signature = None  # the saved tf.function's, as TensorSpecs (if it had one)

    @property
    def concrete_functions(self) -> list:
        return list(self._concretes)

    def _arg_names(self, count: int) -> list:
        signature = self._signature_of_params()
        if signature is not None:
            kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
            names = [p.name for p in signature.parameters.values() if p.kind in kinds]
        else:
            names = self._concretes[0]._arg_names if self._concretes else []
        return (list(names) + [f"arg{i}" for i in range(len(names), count)])[:count]

    def _signature_of_params(self):
        if self._call_signature is _UNSET:
            params = self._concretes[0]._params if self._concretes else None
            self._call_signature = params_from_json(params)
        return self._call_signature

    @property
    def python_function(self):
        """A stand-in for the saved Python function: it has that function's parameters
        (what ``inspect.signature`` and a concrete function's printed signature read) and
        refuses to run, since no code is loaded from the file."""

        def saved_function(*args, **kwargs):
            raise TypeError(
                f"loaded function {self.__name__}: its Python code is not in the SavedModel; "
                "call the loaded function itself"
            )

        saved_function.__name__ = self.__name__
        signature = self._signature_of_params()
        if signature is not None:
            saved_function.__signature__ = signature
        return saved_function

    def _canonical(self, args, kwargs):
        """The call in the one form the traces were recorded in (a trailing argument at
        its default left out, keywords made positional), as the saved function did."""
        return canonical_call(self._signature_of_params(), args, kwargs)

    def __call__(self, *args, **kwargs):
        args, kwargs = self._canonical(args, kwargs)
        for cf in self._concretes:
            tensors = _bind(cf, args, kwargs)
            if tensors is not None:
                return self._run(cf, tensors)
        raise ValueError(_no_match(self, args, kwargs))

    def get_concrete_function(self, *args, **kwargs):
        """The saved trace that fits these arguments (tensors or TensorSpecs)."""
        args, kwargs = nest.map_structure(_spec_example, (args, kwargs))
        args, kwargs = self._canonical(args, kwargs)
        for cf in self._concretes:
            if _bind(cf, args, kwargs) is not None:
                return cf
        raise ValueError(_no_match(self, args, kwargs))

    def _call_concrete(self, cf, args, kwargs):
        tensors = _bind(cf, args, kwargs)
        if tensors is None:
            raise TypeError(
                f"ConcreteFunction {self.__name__}: the arguments do not match the "
                f"traced signature {cf.structured_input_signature}"
            )
        return self._run(cf, tensors)

    def _run(self, cf, tensors):
        if id(cf) in self._sized:
            cf = self._for_size(cf, tensors)
        if tape_state.recording or tracing.trace is not None:
            # a tape records eager ops; another gpuflow.function's trace records them too
            return run_eagerly(cf, tensors)
        return cf._replay([t._data for t in tensors])

    def _for_size(self, cf, tensors):
        data, reader, cache = self._sized[id(cf)]
        if data.get("size_dims"):
            # one size per None dimension; each number is b + sum(a_d * size_d)
            sizes = tuple(int(tensors[i].shape[axis]) for i, axis in data["size_dims"])
            if sizes not in cache:
                cache[sizes] = load_concrete(_sized_data(data, sizes), self, reader)
            return cache[sizes]
        specs = [s for s in nest.flatten(cf._signature) if isinstance(s, TensorSpec)]
        sizes = {
            t.shape[i]
            for spec, t in zip(specs, tensors)
            for i, d in enumerate(spec.shape or ())
            if d is None
        }
        if len(sizes) != 1:
            raise ValueError(
                f"loaded function {self.__name__}: its saved trace depends on the size of the "
                "None dimensions of its input signature (a reshape to the batch size), which "
                f"must then all be equal; this call has sizes {sorted(sizes)}"
            )
        size = sizes.pop()
        if size not in cache:
            cache[size] = load_concrete(_sized_data(data, (size,)), self, reader)
        return cache[size]

    def pretty_printed_concrete_signatures(self, verbose: bool = True) -> str:
        return "\n\n".join(cf.pretty_printed_signature(verbose) for cf in self._concretes)

    def __repr__(self) -> str:
        return f"<gpuflow.saved_model loaded function {self.__name__}>"


def _sized_data(data, sizes):
    """A saved trace with its ``size_params`` numbers filled in for ``sizes`` (one common
    size, or one per ``size_dims`` entry)."""
    sized = copy.deepcopy(data)
    for path, a, b in data["size_params"]:
        slopes = a if isinstance(a, list) else [a]
        target = sized
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = int(b) + sum(int(x) * int(n) for x, n in zip(slopes, sizes))
    return sized


def _spec_example(leaf):
    if isinstance(leaf, TensorSpec) and leaf.shape.is_fully_defined():
        return Tensor(np.zeros(tuple(leaf.shape), leaf.dtype.as_numpy_dtype))
    return leaf


def _bind(cf, args, kwargs):
    """The input tensors for ``cf`` (in its trace's order), or None when the arguments do
    not fit its signature."""
    sig_args, sig_kwargs = cf._signature
    args, kwargs = list(args), dict(kwargs)
    names = cf._arg_names
    for name in names[len(args) : len(sig_args)]:
        if name not in kwargs:
            return None
        args.append(kwargs.pop(name))
    if len(args) != len(sig_args) or set(kwargs) != set(sig_kwargs):
        return None
    out: list = []
    for value, spec in zip(args, sig_args):
        if not _match(value, spec, out):
            return None
    for key in sorted(sig_kwargs):
        if not _match(kwargs[key], sig_kwargs[key], out):
            return None
    return out


def _match(value, spec, out: list) -> bool:
    if isinstance(spec, TensorSpec):
        t = _as_tensor(value, spec)
        if t is None or not spec.is_compatible_with(t):
            return False
        out.append(t)
        return True
    if isinstance(spec, (list, tuple)):
        if not isinstance(value, (list, tuple)) or len(value) != len(spec):
            return False
        return all(_match(v, s, out) for v, s in zip(value, spec))
    if isinstance(spec, dict):
        if not isinstance(value, dict) or set(value) != set(spec):
            return False
        return all(_match(value[k], spec[k], out) for k in sorted(spec))
    if isinstance(value, Tensor):
        return False
    try:
        return type(value) is type(spec) and bool(value == spec)
    except (TypeError, ValueError):
        return False


def _as_tensor(value, spec):
    if isinstance(value, Tensor):
        if isinstance(value, Variable):
            return Tensor._wrap(value._data, value._device)
        return value
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):
        return None
    if array.dtype.kind not in "biuf" or (array.dtype.kind == "f" and not spec.dtype.is_floating):
        return None
    return Tensor(array, dtype=spec.dtype)


def _no_match(fn, args, kwargs) -> str:
    lines = [
        "Could not find matching concrete function to call loaded from the SavedModel. Got:",
        f"  Positional arguments ({len(args)} total):",
    ]
    lines += [f"    * {_describe(a)}" for a in args]
    lines.append(f"  Keyword arguments: { ({k: _describe(v) for k, v in kwargs.items()}) }")
    lines.append("")
    lines.append(
        f" Expected these arguments to match one of the following {len(fn._concretes)} option(s):"
    )
    for i, cf in enumerate(fn._concretes, 1):
        sig_args, sig_kwargs = cf.structured_input_signature
        lines.append("")
        lines.append(f"Option {i}:")
        lines.append(f"  Positional arguments ({len(sig_args)} total):")
        lines += [f"    * {s!r}" for s in sig_args]
        lines.append(f"  Keyword arguments: {sig_kwargs}")
        asked = getattr(cf, "_fixed_shape_of", None)
        if asked is not None:
            lines.append(
                f"  (saved for its traced shapes only: its steps depend on the sizes of the "
                f"None dimensions of {asked[0]}; see docs/saved_model.md)"
            )
        pinned = getattr(cf, "_pinned_from", None)
        if pinned is not None:
            lines.append(
                f"  (asked for as {pinned[0]}: its steps depend on its None sizes in a way "
                "one common size cannot describe (a reshape to the product of two of them), "
                "or the body accepts only some sizes, so it was saved with the None "
                "dimensions after the first fixed to sizes it accepts (those of the calls "
                "before saving, of the object's variables, or small ones); see "
                "docs/saved_model.md)"
            )
    return "\n".join(lines)


def _describe(value) -> str:
    if isinstance(value, Tensor):
        return f"<Tensor shape={tuple(value.shape)} dtype={value.dtype.name}>"
    return repr(value)


class SignatureFunction:
    """A serving signature: keyword arguments (its inputs' names) in, a dict of output
    tensors out (``output_0``, ... for unnamed outputs), as TensorFlow's signatures."""

    def __init__(self, name, fn, cf, inputs, output_keys, output_specs) -> None:
        self.__name__ = name
        self._fn, self._cf = fn, cf
        self._inputs = inputs  # [(input name, spec, keyword or None)]
        self._keys = output_keys
        self.structured_input_signature = (
            (),
            {n: TensorSpec.from_spec(s, name=n) for n, s, _ in inputs},
        )
        self.structured_outputs = {
            k: None if s is None else TensorSpec.from_spec(s, name=k)
            for k, s in zip(output_keys, output_specs)
        }

    def __call__(self, *args, **kwargs):
        names = [n for n, _, _ in self._inputs]
        if len(args) > len(names):
            raise TypeError(
                f"signature {self.__name__}: takes {len(names)} input(s) {names}, received "
                f"{len(args)} positional arguments"
            )
        given = dict(zip(names, args))
        for key, value in kwargs.items():
            if key not in names or key in given:
                raise TypeError(
                    f"signature {self.__name__}: unexpected or repeated argument {key!r}; "
                    f"its inputs are {names}"
                )
            given[key] = value
        missing = [n for n in names if n not in given]
        if missing:
            raise TypeError(f"signature {self.__name__}: missing required arguments: {missing}")
        call_args, call_kwargs = [], {}
        for name, _, keyword in self._inputs:
            if keyword is None:
                call_args.append(given[name])
            else:
                call_kwargs[keyword] = given[name]
        result = self._fn._call_concrete(self._cf, tuple(call_args), call_kwargs)
        return dict(zip(self._keys, nest.flatten(result)))

    def __repr__(self) -> str:
        return f"<gpuflow.saved_model signature {self.__name__}>"


# isinstance(loaded.f, tf.types.experimental.PolymorphicFunction), as TensorFlow's restored
# functions; a signature is a ConcreteFunction there
_tf_types.PolymorphicFunction.register(LoadedFunction)
_tf_types.ConcreteFunction.register(SignatureFunction)


class _SignatureMap(Mapping):
    """``loaded.signatures``: name -> signature function."""

    def __init__(self, signatures: dict) -> None:
        self._signatures = dict(signatures)

    def __getitem__(self, key):
        return self._signatures[key]

    def __iter__(self):
        return iter(self._signatures)

    def __len__(self) -> int:
        return len(self._signatures)

    def __repr__(self) -> str:
        return f"_SignatureMap({self._signatures!r})"


def _check_name(name) -> str:
    name = str(name)
    if name.startswith("__") and name != "__call__":
        raise ValueError(f"tf.saved_model.load: bad attribute name {name!r} in the SavedModel")
    return name


def read_document(export_dir: str) -> dict:
    path = os.path.join(export_dir, JSON_NAME)
    if not os.path.exists(path):
        if os.path.exists(os.path.join(export_dir, "saved_model.pb")):
            raise ValueError(
                f"tf.saved_model.load: {export_dir!r} is a TensorFlow SavedModel (a GraphDef "
                "protobuf of TensorFlow ops), which gpuflow cannot run; gpuflow loads the "
                "SavedModels gpuflow writes (see docs/saved_model.md)"
            )
        raise OSError(f"SavedModel file does not exist at: {export_dir}{os.sep}{{{JSON_NAME}}}")
    with open(path, encoding="utf-8") as f:
        document = json.load(f)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError(f"tf.saved_model.load: {path!r} is not a gpuflow SavedModel")
    if document.get("version") != VERSION:
        raise ValueError(
            f"tf.saved_model.load: {path!r} has format version {document.get('version')!r}; "
            f"this gpuflow reads version {VERSION}"
        )
    return document


def load(export_dir):
    from ..train import Checkpoint

    export_dir = os.fspath(export_dir)
    document = read_document(export_dir)
    device = current_device()
    with np.load(os.path.join(export_dir, ARRAYS_NAME), allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    variables = []
    for v in document["variables"]:
        dtype = np.dtype(str(v["dtype"]))
        shape = tuple(int(d) for d in v["shape"])
        variables.append(
            Variable(np.zeros(shape, dtype), trainable=bool(v["trainable"]), name=v["name"])
        )
    if variables:
        Checkpoint(variables=list(variables)).read(
            os.path.join(export_dir, "variables", "variables")
        ).assert_existing_objects_matched()
    reader = Reader(arrays, variables, device, document.get("objects", ()))
    nodes = document["nodes"]
    objects: list = []
    for node in nodes:
        kind = node["kind"]
        if kind == "object":
            children = node["children"]
            if "__call__" in children:
                cls = type("_UserObject", (_UserObject,), {"__call__": _call_attribute})
                objects.append(cls())
            else:
                objects.append(_UserObject())
        elif kind == "list":
            objects.append([])
        elif kind == "dict":
            objects.append({})
        elif kind == "variable":
            objects.append(variables[int(node["variable"])])
        elif kind == "function":
            objects.append(LoadedFunction("function"))
        elif kind == "asset":
            objects.append(Asset(os.path.join(export_dir, "assets", _asset_name(node))))
        else:
            raise ValueError(f"tf.saved_model.load: unknown object kind {kind!r}")
    concretes: dict = {}

    def concrete(index: int, owner):
        if (index, id(owner)) not in concretes:
            data = document["concrete_functions"][int(index)]
            cf = concretes[index, id(owner)] = load_concrete(data, owner, reader)
            if data.get("size_params"):
                owner._sized[id(cf)] = (data, reader, {})
        return concretes[index, id(owner)]

    for node, obj in zip(nodes, objects):
        kind = node["kind"]
        if kind == "object":
            for name, child in node["children"].items():
                child_obj = objects[int(child)]
                if isinstance(child_obj, LoadedFunction):
                    child_obj.__name__ = _check_name(name)
                object.__setattr__(obj, _check_name(name), child_obj)
        elif kind == "list":
            obj.extend(objects[int(i)] for i in node["items"])
        elif kind == "dict":
            obj.update((str(k), objects[int(i)]) for k, i in node["items"])
        elif kind == "function":
            obj._concretes = [concrete(i, obj) for i in node["concretes"]]
            if "input_signature" in node:
                obj.input_signature = decode(node["input_signature"], reader)
    root = objects[int(document["root"])]
    signatures = {}
    for name, sig in document["signatures"].items():
        fn = LoadedFunction(str(name))
        cf = concrete(int(sig["concrete"]), fn)
        fn._concretes = [cf]
        data = document["concrete_functions"][int(sig["concrete"])]
        specs = decode(data.get("output_specs", []), reader)
        inputs = [(str(n), decode(s, reader), k) for n, s, k in sig["inputs"]]
        signatures[str(name)] = SignatureFunction(
            str(name), fn, cf, inputs, [str(k) for k in sig["output_keys"]], specs
        )
    if isinstance(root, _UserObject):
        object.__setattr__(root, "signatures", _SignatureMap(signatures))
    return root


def _asset_name(node) -> str:
    """An asset's file name, refused unless it is a plain name inside ``assets/``."""
    name = node.get("filename")
    if (
        not isinstance(name, str)
        or not name
        or name != os.path.basename(name)
        or name
        in (
            ".",
            "..",
        )
    ):
        raise ValueError(f"tf.saved_model.load: bad asset file name {name!r}")
    return name


def _call_attribute(self, *args, **kwargs):
    return self.__dict__["__call__"](*args, **kwargs)


def contains_saved_model(export_dir) -> bool:
    """Whether ``export_dir`` holds a SavedModel (gpuflow's, or TensorFlow's protobuf)."""
    export_dir = os.fspath(export_dir)
    return any(
        os.path.isfile(os.path.join(export_dir, name))
        for name in (JSON_NAME, "saved_model.pb", "saved_model.pbtxt")
    )
