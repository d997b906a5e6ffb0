"""``keras.export.ExportArchive``: writes an inference SavedModel of chosen endpoints
(``model.export(path)`` uses it), in gpuflow's SavedModel layout (docs/saved_model.md);
reload it with ``tf.saved_model.load``."""

from __future__ import annotations

import inspect

from .. import nest
from ..graph.function import Function, function
from ..tensor import Tensor, Variable
from ..tensor_spec import TensorSpec


class ExportArchive:
    """Collects endpoints (tf.functions with input signatures) and variables, then writes
    them with :meth:`write_out`, as Keras 3's ``keras.export.ExportArchive``."""

    def __init__(self) -> None:
        self._endpoint_names: list = []
        self._endpoints: dict = {}
        self._collections: dict = {}
        self._tracked: list = []

    @property
    def variables(self) -> list:
        return _unique(v for layer in self._tracked for v in layer.variables)

    @property
    def trainable_variables(self) -> list:
        return _unique(v for layer in self._tracked for v in layer.trainable_variables)

    @property
    def non_trainable_variables(self) -> list:
        return _unique(v for layer in self._tracked for v in layer.non_trainable_variables)

    def track(self, resource) -> None:
        """Track a layer or model, so that its variables are saved."""
        from ..layers.base import Layer
        from ..module import Module

        if isinstance(resource, Layer) and not resource.built:
            raise ValueError(
                "The layer provided has not yet been built. It must be built before export."
            )
        if not isinstance(resource, (Layer, Module)):
            raise ValueError(
                "Invalid resource type. Expected a Keras `Layer` or `Model` or a TensorFlow "
                f"`Trackable` object. Received object {resource} of type '{type(resource)}'. "
            )
        self._tracked.append(resource)

    def add_endpoint(self, name, fn, input_signature=None, **kwargs):
        """Register ``fn`` as endpoint ``name``: a tf.function that was called, or any
        callable with an ``input_signature`` (TensorSpecs, InputSpecs or KerasTensors)."""
        if name in self._endpoint_names:
            raise ValueError(f"Endpoint name '{name}' is already taken.")
        if kwargs:
            raise ValueError(f"add_endpoint: unexpected arguments {sorted(kwargs)}")
        if input_signature is None:
            if not isinstance(fn, Function):
                raise ValueError(
                    "If the `fn` argument provided is not a `tf.function`, you must provide an "
                    "`input_signature` argument to specify the shape and dtype of the function "
                    "arguments."
                )
            if not fn._concrete and fn.input_signature is None:
                raise ValueError(
                    f"The provided tf.function '{fn}' has never been called. To specify the "
                    "expected shape and dtype of the function's arguments, you must either "
                    "provide a function that has been called at least once, or alternatively "
                    "pass an `input_signature` argument in `add_endpoint()`."
                )
            decorated = fn
        else:
            specs = nest.map_structure(_tensor_spec, list(input_signature))
            decorated = function(
                _positional(fn, len(specs)), input_signature=specs, autograph=False
            )
        self._endpoints[name] = decorated
        self._endpoint_names.append(name)
        return decorated

    def track_and_add_endpoint(self, name, resource, input_signature, **kwargs):
        """``track(resource)`` and an endpoint calling it."""
        self.track(resource)
        return self.add_endpoint(name, resource.__call__, input_signature, **kwargs)

    def add_variable_collection(self, name, variables) -> None:
        """Save ``variables`` (a list, tuple or set of Variables) as attribute ``name``."""
        if not isinstance(variables, (list, tuple, set)):
            raise ValueError(
                "Expected `variables` to be a list/tuple/set. "
                f"Received instead object of type '{type(variables)}'."
            )
        if not all(isinstance(v, Variable) for v in variables):
            raise ValueError(
                "Expected all elements in `variables` to be `tf.Variable` instances. Found "
                f"instead the following types: {list(set(type(v) for v in variables))}"
            )
        self._collections[name] = list(variables)

    def write_out(self, filepath, options=None, verbose=True) -> None:
        """Write the SavedModel: each endpoint as a function and a signature, the first
        also as ``"serving_default"``; the variables as ``variables``,
        ``trainable_variables``, ``non_trainable_variables`` and each collection."""
        from ..module import Module
        from . import SaveOptions
        from .save import write

        if not self._endpoint_names:
            raise ValueError("No endpoints have been set yet. Call add_endpoint().")
        if options is not None and not isinstance(options, SaveOptions):
            raise TypeError(f"write_out: options must be a tf.saved_model.SaveOptions: {options!r}")
        root = Module(name="export_archive")
        extra = {
            "variables": self.variables,
            "trainable_variables": self.trainable_variables,
            "non_trainable_variables": self.non_trainable_variables,
            **self._collections,
            **self._endpoints,
        }
        signatures = {}
        for name in self._endpoint_names:
            signatures[name] = self._concrete(name)
        if "serving_default" not in self._endpoint_names:
            signatures["serving_default"] = self._concrete(self._endpoint_names[0])
        write(root, filepath, signatures=signatures, extra=extra)
        if verbose:
            lines = [
                f"Saved artifact at '{filepath}'. The following endpoints are available:",
            ]
            for name in self._endpoint_names:
                fn = self._endpoints[name]
                lines.append("")
                lines.append(f"* Endpoint '{name}'")
                specs = fn.input_signature or ()
                for i, spec in enumerate(specs):
                    lines.append(f"  args_{i} (POSITIONAL_ONLY): {spec!r}")
            print("\n".join(lines))

    def _concrete(self, name):
        fn = self._endpoints[name]
        if fn.input_signature is not None:
            if all(isinstance(spec, TensorSpec) for spec in fn.input_signature):
                return fn
            return _flat_signature(fn)
        return next(iter(fn._concrete.values()))


def _flat_signature(fn):
    """The signature of an endpoint taking nested inputs (a list for a multi-input model), as
    TensorFlow makes it: one tensor argument per spec, named after the spec (the Input's
    name), packed back into the endpoint's structure."""
    structure = list(fn.input_signature)
    flat = nest.flatten(structure)
    names = [spec.name or f"args_{i}" for i, spec in enumerate(flat)]

    def signature(*args):
        return fn(*nest.pack_sequence_as(structure, list(args)))

    params = [inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD) for n in names]
    signature.__signature__ = inspect.Signature(params)
    signature.__name__ = getattr(fn, "__name__", "signature")
    specs = [TensorSpec(spec.shape, spec.dtype, n) for spec, n in zip(flat, names)]
    return function(signature, input_signature=specs, autograph=False)


def _unique(variables) -> list:
    seen, out = set(), []
    for v in variables:
        if id(v) not in seen:
            seen.add(id(v))
            out.append(v)
    return out


def _tensor_spec(spec):
    """A TensorSpec for an InputSpec, KerasTensor, tensor or TensorSpec, as Keras's
    ``make_tf_tensor_spec``."""
    if isinstance(spec, TensorSpec):
        return spec
    if isinstance(spec, Tensor):
        return TensorSpec.from_tensor(spec)
    shape = getattr(spec, "shape", None)
    dtype = getattr(spec, "dtype", None)
    if shape is None or dtype is None:
        raise TypeError(
            "Unsupported x={spec!r} of the type ({type(spec)}). Supported types are: "
            "`keras.InputSpec`, `keras.KerasTensor` and backend tensor."
        )
    return TensorSpec(tuple(shape), dtype, getattr(spec, "name", None))


def _positional(fn, count: int):
    """``fn`` taking ``count`` positional arguments named ``args_0``, ... (Keras's names)."""

    def endpoint(*args):
        return fn(*args)

    params = [
        inspect.Parameter(f"args_{i}", inspect.Parameter.POSITIONAL_ONLY) for i in range(count)
    ]
    endpoint.__signature__ = inspect.Signature(params)
    endpoint.__name__ = getattr(fn, "__name__", "endpoint")
    return endpoint
