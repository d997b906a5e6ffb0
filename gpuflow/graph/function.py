"""``gpuflow.function`` (``tf.function``): trace a Python function once per input signature
into a list of device-level steps, then replay the steps on each call.

TensorFlow's rules: the signature is the shapes and dtypes of the tensor arguments and the
values of the other (Python) arguments; the Python body runs only while tracing, so its
Python side effects (``print``, appending to a list) happen once per trace, while
``gpuflow.print``, variable assignments, optimizer updates and random draws run on every
call. Variables may be created on the first trace only.
"""

from __future__ import annotations

import builtins
import contextlib
import functools
import inspect
import sys
import types
import warnings
import weakref
from collections.abc import Mapping

import numpy as np

from .. import _api_dispatch, config, errors, nest
from .._deferred_error import raise_if_failed
from .._tracing import tracing
from ..tensor import Tensor, Variable
from ..tensor_shape import TensorShape
from ..tensor_spec import RaggedTensorSpec, TensorSpec
from . import recording
from .autograph import _is_dataset, convert
from .call_args import call_signature, canonical_call
from .concrete import ConcreteFunction
from .custom_backward import record_programs
from .out_of_scope import fresh, set_static_shape
from .step_compare import first_difference
from .steps import finalize
from .taped_call import EAGER, call_under_tape
from .trace import NotSupportedInGraphError, Trace, TracingError, needs_tape_fallback

_UNSET = object()

_VARIABLE_ERROR = (
    "tf.function only supports singleton tf.Variables created on the first call. Make sure "
    "the tf.Variable is only created once or created outside tf.function. "
    "(gpuflow.function {name!r} created {count} Variable(s) while tracing a new signature.)"
)


class Function:
    """A Python function compiled by tracing; see :func:`function`.

    Calling it with a new input signature traces (runs the Python body once while
    recording); calls with a known signature replay the recorded steps.
    """

    def __init__(
        self,
        python_function,
        name=None,
        input_signature=None,
        jit_compile=None,
        reduce_retracing=False,
        autograph=True,
    ) -> None:
        if not callable(python_function):
            raise TypeError(
                f"gpuflow.function: expected a callable, received {type(python_function).__name__}"
            )
        functools.update_wrapper(self, python_function)
        self._python_function = python_function
        self._name = name or getattr(python_function, "__name__", "function")
        self._input_signature = _checked_signature(input_signature)
        self._jit_compile = jit_compile
        self._reduce_retracing = bool(reduce_retracing)
        self._autograph = autograph
        self._converted = None  # the function with autograph's conversion, made when traced
        self._call_signature = _UNSET  # inspect.Signature for canonical_call, when first needed
        self._concrete: dict = {}
        # signatures whose trace met NotSupportedInGraphError: {key: the reason}
        self._eager_keys: dict = {}
        self._eager_fallback = True  # False: such a trace raises (the Trainer decides)
        self._eager_datasets = False  # an eager key stands for any tf.data.Dataset
        self._signatures: set = set()
        self._tracing_count = 0
        self._unknown_signatures = False  # a signature with None sizes was traced
        # Python numbers and strings returned become tensors, as TensorFlow returns them
        # (tf.function; the Trainer's compiled steps keep their Python values)
        self._tensor_outputs = False
        self._bound = weakref.WeakKeyDictionary()
        self._bound_by_id: dict = {}

    # -- TensorFlow's attributes -----------------------------------------------------------
    @property
    def python_function(self):
        """The Python function this wraps."""
        return self._python_function

    @property
    def input_signature(self):
        """The TensorSpecs given; ``()`` for a function that takes no arguments (its one
        signature, as TensorFlow reports it), else None."""
        if self._input_signature is None and _takes_no_arguments(self._python_function):
            return ()
        return self._input_signature

    def experimental_get_tracing_count(self) -> int:
        """How many times the Python body was traced (once per new input signature)."""
        return self._tracing_count

    def pretty_printed_concrete_signatures(self, verbose: bool = True) -> str:
        """Each trace's signature, as TensorFlow prints them: with ``verbose`` separated by
        blank lines, else one line each. (The recordings of one signature with None sizes
        at several shapes are one trace, printed once.)"""
        texts = [c.pretty_printed_signature(verbose) for c in self._concrete.values()]
        return ("\n\n" if verbose else "\n").join(dict.fromkeys(texts))

    @property
    def function_spec(self):
        """The wrapped function's arguments, as TensorFlow's ``FunctionSpec``:
        ``fullargspec``, ``arg_names``, ``default_values``, ``input_signature``,
        ``jit_compile``."""
        return FunctionSpec(self._python_function, self._input_signature, self._jit_compile)

    def __get__(self, instance, owner):
        """On a class: a Function bound to each instance (its own traces), as TensorFlow."""
        if instance is None:
            return self
        try:
            bound = self._bound.get(instance)
        except TypeError:  # not weak-referenceable
            bound = self._bound_by_id.get(id(instance))
        if bound is None:
            bound = Function(
                types.MethodType(self._python_function, instance),
                self._name,
                self._input_signature,
                self._jit_compile,
                self._reduce_retracing,
                self._autograph,
            )
            bound._tensor_outputs = self._tensor_outputs
            try:
                self._bound[instance] = bound
            except TypeError:
                self._bound_by_id[id(instance)] = bound
        return bound

    # -- calling ---------------------------------------------------------------------------
    def __call__(self, *args, **kwargs):
        if config.functions_run_eagerly():
            return self._python_function(*args, **kwargs)  # eager debugging
        if _api_dispatch._TYPED and _api_dispatch.typed_in(args, kwargs):
            # DTensors (tf.experimental.dtensor): the body runs op by op, so that each
            # result gets its layout
            return self._python_function(*args, **kwargs)
        if tracing.trace is not None:
            # Called inside another's trace: part of that trace, with its own autograph
            # conversion as in TF (an `if` on a tensor in the inner function is a cond)
            return self._autographed()(*args, **kwargs)
        if needs_tape_fallback():
            # under an outer GradientTape: replayed, its outputs recorded (taped_call.py);
            # else the body runs eagerly so gradients flow through it
            result = call_under_tape(self, args, kwargs, _TAPE_HELPERS)
            if result is EAGER:
                return self._python_function(*args, **kwargs)
            return result
        if not kwargs and self._input_signature is None:
            # The common calls (tensors, or a tuple of them such as a step's ``(x, y)``):
            # the key straight from shapes and dtypes, as _key_of makes it.
            arrays: list = []
            key = _plain_key(args, arrays)
            if key is not None:
                concrete = self._concrete.get(("tuple", key, ("dict",)))
                if concrete is not None:
                    return concrete._replay(arrays)
        args, kwargs = self._canonical(args, kwargs)
        key, relaxed, arrays = self._key(args, kwargs)
        concrete = self._concrete.get(key)
        if concrete is not None:
            return concrete._replay(arrays)
        if key in self._eager_keys or (
            self._eager_datasets and _dataset_blind(key) in self._eager_keys
        ):
            return self._python_function(*args, **kwargs)
        try:
            return self._trace(args, kwargs, key, relaxed, dry=False)[1]
        except TracingError as exc:
            # RaggedTensor arguments: an op that builds host arrays from their row
            # partition (a segment reduction) cannot be replayed yet, but runs eagerly
            if not self._eager_fallback or not (
                isinstance(exc, NotSupportedInGraphError) or _has_ragged((args, kwargs))
            ):
                raise
            # Works eagerly but cannot be recorded yet (ragged values, ...): this signature
            # runs eagerly from now on, as if it were not decorated.
            self._eager_keys[key] = str(exc)
            blind = _dataset_blind(key)
            if blind != key:
                # as TF, which traces a loop over a dataset once for all datasets of the
                # same element structure: another dataset runs eagerly too, untraced
                self._eager_keys[blind] = str(exc)
                self._eager_datasets = True
            warnings.warn(
                f"gpuflow.function {self._name!r} runs eagerly for these arguments: {exc}",
                RuntimeWarning,
                stacklevel=2,
            )
            return self._python_function(*args, **kwargs)

    def get_concrete_function(self, *args, **kwargs) -> ConcreteFunction:
        """The trace for these arguments (tensors or TensorSpecs), tracing if needed.

        The body is traced without running its effects (no assignment, update or print
        happens), as TensorFlow traces without executing.
        """
        if not args and not kwargs and self._input_signature is not None:
            args = self._input_signature
        # the specs asked for (None dimensions kept), for tf.saved_model.save; with an
        # input_signature, its specs, as TensorFlow's one trace of it
        asked = (tuple(args), dict(kwargs))
        sig = self._input_signature
        if sig is not None and not kwargs and len(args) == len(sig):
            asked = (tuple(sig), {})
        requested = nest.map_structure(
            _spec_or_value, asked, expand_composites=nest.EXTENSION_TYPES
        )
        args, kwargs = nest.map_structure(
            _example, (args, kwargs), expand_composites=nest.EXTENSION_TYPES
        )
        args, kwargs = self._canonical(args, kwargs)
        key, relaxed, _ = self._key(args, kwargs)
        static: dict = {}
        if self._input_signature is None:
            # TensorSpecs with None sizes: later calls of any fitting size are this trace
            for spec, value in zip(
                nest.flatten(requested, expand_composites=nest.EXTENSION_TYPES),
                nest.flatten((args, kwargs), expand_composites=nest.EXTENSION_TYPES),
            ):
                if isinstance(spec, TensorSpec) and isinstance(value, Tensor):
                    _note_static(static, value, spec.shape)
            if static:
                relaxed = _by_variable_spec(_key_of((args, kwargs), [], static))
        concrete = previous = self._concrete.get(key)
        if concrete is not None and not _serves_request(concrete, requested):
            concrete = None  # traced for given sizes: unknown ones are a trace of their own
        if concrete is None and static:
            # as TF: a trace asked for with a more general signature serves this request
            concrete = next(
                (c for c in self._concrete.values() if _serves_request(c, requested, True)), None
            )
        if concrete is None:
            concrete = self._trace(args, kwargs, key, relaxed, dry=True, static=static or None)[0]
            if previous is not None and previous is not concrete:
                # both stay: calls of the traced sizes keep theirs (TF keeps both traces)
                self._concrete[key] = previous
                self._concrete[("asked", relaxed)] = concrete
        if concrete.__dict__.get("_requested_signature") is None:
            concrete._requested_signature = requested
        return concrete

    def _call_concrete(self, concrete, args, kwargs):
        flat = _flat_arguments(concrete, tuple(args), kwargs)
        if flat is not None:
            args, kwargs = flat
        args, kwargs = self._positional_like(concrete, tuple(args), dict(kwargs))
        args, kwargs = _python_to_specs(concrete, args, kwargs)
        args, kwargs = self._canonical(args, kwargs)
        key, relaxed, arrays = self._key(args, kwargs)
        found = self._concrete.get(key)
        if found is not concrete and _fits_requested(concrete, (args, kwargs)):
            # Asked for with unknown sizes (TensorSpec([None])): it takes every shape that
            # fits; each shape is a trace of its own underneath, which TF would not count.
            if found is not None:
                return found._replay(arrays)
            self._signatures.add(relaxed)
            return self._trace(args, kwargs, key, relaxed, dry=False)[1]
        if found is not concrete:
            _check_input_dtypes(concrete, (args, kwargs), self._name)
            raise TypeError(
                f"ConcreteFunction {self._name}: the arguments do not match the "
                f"traced signature {concrete.structured_input_signature}"
            )
        return concrete._replay(arrays)

    def _positional_like(self, concrete, args, kwargs):
        """The call's arguments laid out as the concrete function was traced, bound by
        parameter name as TF does (``cf(a=x)`` for a trace of ``f(x)``, ``cf(x)`` for one
        of ``f(a=x)``); Python values it was traced with may be left out."""
        traced_args, traced_kwargs = concrete._signature
        names = self._arg_names(max(len(args), len(traced_args)) + len(traced_kwargs))
        if len(args) > len(traced_args):  # positional here, keyword in the trace
            for name, value in zip(names[len(traced_args) :], args[len(traced_args) :]):
                if name in traced_kwargs and name not in kwargs:
                    kwargs[name] = value
            args = args[: len(traced_args)] + tuple(
                v
                for n, v in zip(names[len(traced_args) :], args[len(traced_args) :])
                if n not in traced_kwargs
            )
        for name in names[len(args) : len(traced_args)]:  # keyword here, positional there
            if name not in kwargs:
                break
            args += (kwargs.pop(name),)
        for name, value in zip(names[len(args) : len(traced_args)], traced_args[len(args) :]):
            if isinstance(value, TensorSpec) or name in kwargs:
                break
            args += (value,)  # a Python value it was traced with
        for name, value in traced_kwargs.items():  # bound Python values
            if name not in kwargs and not isinstance(value, TensorSpec):
                kwargs[name] = value
        return args, kwargs

    # -- signatures --------------------------------------------------------------------------
    def _canonical(self, args, kwargs):
        """NumPy arrays become tensors; the arguments take one form however they were
        passed (``call_args``); with input_signature, arguments are checked and converted
        to the declared dtypes (a NumPy array as ``tf.constant(array, spec.dtype)``, as
        TensorFlow: float64 arrays feed a float32 signature)."""
        sig = self._input_signature
        if sig is None:
            args, kwargs = nest.map_structure(
                _to_tensor, (tuple(args), dict(kwargs)), expand_composites=nest.EXTENSION_TYPES
            )
            if self._call_signature is _UNSET:
                self._call_signature = call_signature(self._python_function)
            return canonical_call(self._call_signature, args, kwargs)
        if kwargs:
            names = self._arg_names(len(sig))
            extra = [k for k in kwargs if k not in names]
            if extra:
                raise TypeError(
                    f"gpuflow.function {self._name!r}: unexpected keyword arguments "
                    f"{extra} for input_signature {list(sig)}"
                )
            args = args + tuple(kwargs.pop(n) for n in names[len(args) :] if n in kwargs)
        if len(args) < len(sig):  # parameters left out take their defaults, as in TensorFlow
            args = args + self._defaults(len(args), len(sig))
        if len(args) != len(sig):
            raise TypeError(
                f"gpuflow.function {self._name!r}: input_signature has {len(sig)} "
                f"argument(s), the call passed {len(args)}"
            )
        checked = []
        for i, (value, spec) in enumerate(zip(args, sig)):
            checked.append(_fit(self._name, i, value, spec))
        return tuple(checked), kwargs

    def _key(self, args, kwargs):
        arrays: list = []
        exact = _key_of((args, kwargs), arrays)
        if self._input_signature is not None:
            relaxed = ("signature", id(self))
        elif self._reduce_retracing or self._unknown_signatures:
            relaxed = self._relaxed_key(_by_variable_spec(exact))
        else:
            relaxed = _by_variable_spec(exact)
        return exact, relaxed, arrays

    def _relaxed_key(self, exact):
        """With ``reduce_retracing``, as TensorFlow: a call that fits a signature already
        traced (None sizes match any) counts as that trace; one that differs from a traced
        signature only in tensor sizes counts once more, as that signature with those sizes
        unknown (later calls of any size fit it)."""
        for signature in self._signatures:
            if _key_fits(signature, exact):
                return signature
        if not self._reduce_retracing:
            return exact
        for signature in self._signatures:
            general = _generalized(signature, exact)
            if general is not None:
                return general
        return exact

    def _arg_names(self, count: int) -> list:
        try:
            params = list(inspect.signature(self._python_function).parameters)
        except (TypeError, ValueError):
            params = []
        return (params + [f"arg{i}" for i in range(len(params), count)])[:count]

    def _defaults(self, start: int, stop: int) -> tuple:
        """The default values of the positional parameters ``start:stop`` that have one,
        up to the first that has none."""
        try:
            params = list(inspect.signature(self._python_function).parameters.values())
        except (TypeError, ValueError):
            return ()
        found = []
        for param in params[start:stop]:
            if param.default is inspect.Parameter.empty or param.kind not in (
                param.POSITIONAL_ONLY,
                param.POSITIONAL_OR_KEYWORD,
            ):
                break
            found.append(param.default)
        return tuple(found)

    # -- tracing -------------------------------------------------------------------------------
    def _trace(self, args, kwargs, key, relaxed, dry: bool, static=None):
        first = self._tracing_count == 0
        # A new shape of a signature already traced with unknown sizes: TensorFlow would
        # not trace again; the recording here is per shape (see ``function``), so this is a
        # trace the user does not see: not counted, and its Python ``print`` is silent.
        internal = relaxed in self._signatures
        if not internal:
            self._signatures.add(relaxed)
            self._tracing_count += 1
            if relaxed != key and relaxed.__class__ is tuple:
                self._unknown_signatures = True  # calls must look for a signature they fit
        if static is None:
            static = self._static_shapes(args, kwargs, relaxed)
        with silent_print(internal):
            trace, input_slots, outputs = self._record(args, kwargs, dry, static)
        if self._tensor_outputs and not hasattr(type(outputs), "__gpuflow_replay__"):
            outputs = nest.map_structure(
                functools.partial(_python_to_tensor, function=self._python_function),
                outputs,
                expand_composites=nest.EXTENSION_TYPES,
            )
        if trace.optimizer_variables and not first:
            # as TF with Keras 3, whose optimizer builds tf.Variables on its first apply
            raise ValueError(
                _VARIABLE_ERROR.format(name=self._name, count=trace.optimizer_variables)
            )
        if trace.created_variables:
            count = len(trace.created_variables)
            if first:
                # as TensorFlow, which traces a function that made Variables once more:
                # that trace (effects not run) must make none
                check = self._record(args, kwargs, dry=True)[0]
                _release(check)
                count = len(check.created_variables)
            if count:
                raise ValueError(_VARIABLE_ERROR.format(name=self._name, count=count))
        if trace.unreplayable is None and trace.varying:
            self._check_varying(trace, outputs, args, kwargs, static)
        if trace.unreplayable is None and not hasattr(type(outputs), "__gpuflow_replay__"):
            trace.unreplayable = _unrecorded_composite(trace, outputs)
        if trace.unreplayable is not None:
            return None, self._not_replayed(trace, outputs, key, dry)
        signature = nest.map_structure(
            _spec_or_value, (args, kwargs), expand_composites=nest.EXTENSION_TYPES
        )
        concrete = ConcreteFunction(self, trace, input_slots, outputs, signature)
        if static:
            # it serves every shape that fits its signature (a recording per shape)
            concrete._serves = nest.map_structure(
                lambda leaf: _spec_or_value(leaf, static),
                (args, kwargs),
                expand_composites=nest.EXTENSION_TYPES,
            )
            # output sizes equal to an unknown input size are unknown (output_shapes);
            # a size that is also a known input size is ambiguous and stays known
            dims = [pair for t, shape in static.values() for pair in _dims(t, shape)]
            concrete._unknown_sizes = {n for n, d in dims if d is None} - {
                d for _, d in dims if d is not None
            }
            # an output of the shape of an input of unknown rank (``x * 2`` for
            # TensorSpec(shape=None)) has an unknown rank, as TensorFlow infers it
            concrete._unknown_ranks = {
                tuple(t._data.shape) for t, shape in static.values() if shape is None
            }
            # and its rank is an unknown size (``tf.shape(x)`` is a vector of None length)
            concrete._unknown_sizes |= {len(shape) for shape in concrete._unknown_ranks}
        trace.forget_internal_readers(outputs)
        _release(trace)
        self._concrete[key] = concrete
        recording.record(concrete)  # tf.summary.trace_on
        if self._tensor_outputs and not hasattr(type(outputs), "__gpuflow_replay__"):
            # a returned Variable is read, as in the replays
            outputs = nest.map_structure(
                _read_variable, outputs, expand_composites=nest.EXTENSION_TYPES
            )
        if self._tensor_outputs and not hasattr(type(outputs), "__gpuflow_replay__"):
            # tensors kept from the trace (in a list, on an attribute) are out of scope, as
            # TensorFlow's graph tensors; the caller gets its own
            outputs = fresh(outputs)
            trace.made.close(outputs)
            flat = nest.flatten(concrete.structured_outputs, expand_composites=nest.EXTENSION_TYPES)
            for t in flat:
                if isinstance(t, Tensor):
                    set_static_shape(t, concrete._output_shape(t))
        return concrete, outputs

    def _not_replayed(self, trace, outputs, key, dry: bool):
        """A trace that ran right but cannot be replayed (a branch of a ``cond`` not
        taken failed on the traced values, see control_flow.py): its outputs are this
        call's; these arguments run eagerly from now on, with the fallback's warning."""
        trace.forget_internal_readers(outputs)
        _release(trace)
        reason = f"gpuflow.function {self._name!r}: {trace.unreplayable}"
        if dry:  # get_concrete_function: there is no replayable trace to give
            raise NotSupportedInGraphError(reason)
        if not self._eager_fallback:
            raise NotSupportedInGraphError(reason)
        raise_if_failed(nest.flatten(outputs, expand_composites=nest.EXTENSION_TYPES))
        self._eager_keys[key] = reason
        warnings.warn(
            f"gpuflow.function {self._name!r} runs eagerly for these arguments: {reason}",
            RuntimeWarning,
            stacklevel=4,
        )
        return outputs

    def _static_shapes(self, args, kwargs, relaxed) -> dict:
        """``{id(tensor): (tensor, static shape)}`` for the tensor arguments whose signature
        (``input_signature``, or the relaxed one of ``reduce_retracing``) leaves sizes
        unknown."""
        found: dict = {}
        if self._input_signature is not None:
            for value, spec in zip(args, self._input_signature):
                values, specs = nest.flatten(value), nest.flatten(spec)
                if len(values) != len(specs):
                    continue
                for v, sp in zip(values, specs):
                    if isinstance(sp, TensorSpec) and isinstance(v, Tensor):
                        _note_static(found, v, sp.shape)
        elif self._reduce_retracing and relaxed.__class__ is tuple:
            _walk_static((args, kwargs), relaxed, found)
        return found

    def _autographed(self):
        """The Python function with autograph's conversion (when on), made once."""
        if self._converted is None:
            self._converted = (
                convert(self._python_function) if self._autograph else self._python_function
            )
        return self._converted

    def _check_varying(self, trace, outputs, args, kwargs, static) -> None:
        """A trace with host results whose size follows the values (``Trace.varying``)
        serves other sizes only when its steps do not hold the traced one: the body is
        recorded again with those results longer, and the two recordings must be the same
        steps (step_compare.py). Else the trace is not replayable (it runs eagerly)."""
        with silent_print(True):
            check, _, check_outputs = self._record(args, kwargs, dry=True, static=static, widen=1)
        try:
            found = first_difference(_live_steps(trace, outputs), _live_steps(check, check_outputs))
        finally:
            _release(check)
        if found is not None:
            trace.unreplayable = (
                "a value-dependent size (the token count of a TextVectorization without "
                f"output_sequence_length, ...) is held by {found}, so a compiled call could "
                "not serve other sizes"
            )

    def _record(self, args, kwargs, dry: bool, static=None, widen: int = 0, watch=None):
        """Run the body once on placeholders of ``args``: the Trace, the input slots and
        the outputs. ``static``: as :meth:`_static_shapes`, what ``x.shape`` shows.
        ``widen``: see ``Trace.widen``. ``watch``: called with each placeholder made."""
        trace = Trace(self._name, dry=dry)
        trace.widen = widen
        input_slots: list = []
        counts: dict = {}

        def placeholder(leaf, arg: str):
            if isinstance(leaf, Tensor) and not isinstance(leaf, Variable):
                t, slot = trace.input_tensor(leaf)
                input_slots.append(slot)
                n = counts[arg] = counts.get(arg, -1) + 1
                trace.input_names[slot] = arg if n == 0 else f"{arg}_{n}"  # as TF names them
                t._name = f"{trace.input_names[slot]}:0"
                if static and id(leaf) in static:
                    trace.static_shapes[id(t)] = (t, static[id(leaf)][1])
                if watch is not None:
                    watch(t)
                return t
            return leaf

        def placeholders(value, arg: str):
            return nest.map_structure(
                lambda leaf: placeholder(leaf, arg), value, expand_composites=nest.EXTENSION_TYPES
            )

        converted = self._autographed()
        # An untaken branch's trace computes on values it will never see: no warnings. A real
        # trace warns as eager ops would (NumPy's defaults: underflow is not reported).
        quiet = "ignore" if dry else "warn"
        with trace, np.errstate(divide=quiet, over=quiet, invalid=quiet, under="ignore"):
            names = self._arg_names(len(args))
            t_args = tuple(placeholders(a, n) for a, n in zip(args, names))
            t_kwargs = {k: placeholders(v, k) for k, v in kwargs.items()}
            outputs = converted(*t_args, **t_kwargs)
            if tracing.custom_programs:
                record_programs(trace)  # custom gradients, for tf.saved_model.save
        return trace, input_slots, outputs

    def __repr__(self) -> str:
        return f"<gpuflow.function {self._name} (traced {self._tracing_count} time(s))>"


# the attributes TensorFlow 2.21's tf.function accepts in experimental_attributes
_ALLOWED_ATTRIBUTES = frozenset(
    {
        "api_implements",
        "api_preferred_device",
        "_disable_acd",
        "disable_summaries_at_runtime",
        "go_backwards",
        "_implements",
        "experimental_ints_on_device",
        "_noinline",
        "function_runs_at_most_once",
        "runtime_constant_optimization",
        "_tf_data_function",
        "time_major",
        "_OutputsOnOpDevice",
    }
)


class FunctionSpec:
    """What :attr:`Function.function_spec` describes: ``fullargspec`` (the wrapped
    function's ``inspect.getfullargspec``), ``arg_names``, ``default_values`` (by name),
    ``input_signature``, ``jit_compile``."""

    def __init__(self, python_function, input_signature, jit_compile=None) -> None:
        target = getattr(python_function, "__func__", python_function)
        try:
            self.fullargspec = inspect.getfullargspec(target)
        except TypeError:
            self.fullargspec = None
        try:
            params = inspect.signature(python_function).parameters.values()
        except (TypeError, ValueError):
            params = []
        self.arg_names = [p.name for p in params]
        self.default_values = {
            p.name: p.default for p in params if p.default is not inspect.Parameter.empty
        }
        self.input_signature = input_signature
        self.jit_compile = jit_compile

    def __repr__(self) -> str:
        return (
            f"FunctionSpec(fullargspec={self.fullargspec}, input_signature={self.input_signature})"
        )


def function(
    func=None,
    input_signature=None,
    autograph=True,
    jit_compile=None,
    reduce_retracing=False,
    experimental_implements=None,
    experimental_autograph_options=None,
    experimental_attributes=None,
    experimental_relax_shapes=None,
    experimental_compile=None,
    experimental_follow_type_hints=None,
    name=None,
    **kwargs,
):
    """Compile ``func`` by tracing, as ``tf.function``: a decorator or a call.

    Args:
        func: the Python function (or method) to compile.
        input_signature: a list of :class:`gpuflow.TensorSpec` (nested structures allowed):
            tensor arguments must fit it, and one trace serves every fitting shape, as in
            TensorFlow: ``experimental_get_tracing_count()`` stays 1, inside the body
            ``x.shape`` shows None for the unknown sizes (``tf.shape(x)`` gives the sizes),
            ``structured_input_signature`` / ``output_shapes`` keep the None sizes.
            Underneath, the replayed steps are fixed-shape, so each new concrete shape is
            recorded once more by running the body again; that recording is not counted
            and Python's ``print`` in it prints nothing, but other Python side effects
            (appending to a list) do happen again. Sizes taken from ``x.shape`` by gpuflow's
            own ops are the concrete ones.
        autograph: convert the ``if`` / ``while`` statements of ``func``'s own source, so
            that a condition on a traced tensor becomes :func:`gpuflow.cond` /
            :func:`gpuflow.while_loop` (see ``gpuflow/graph/autograph.py`` for which
            statements qualify); other tensor-dependent control flow raises an error naming
            those functions.
        jit_compile: accepted; every function is compiled the same way.
        reduce_retracing: count a call whose tensors differ from a traced signature only
            in sizes as that signature with those sizes unknown, as TensorFlow: that trace
            sees ``x.shape`` with None there and serves every later size (recorded per
            exact shape underneath, as with ``input_signature``).
        experimental_implements, experimental_attributes: accepted (hints for TensorFlow's
            graph rewriting: a name string; a dict whose keys TensorFlow allows, others
            raise its ValueError).
        experimental_autograph_options: accepted: ``tf.autograph.experimental.Feature``
            values (gpuflow's autograph converts a fixed set of statements).
        experimental_relax_shapes: the deprecated name of ``reduce_retracing``.
        experimental_compile: the deprecated name of ``jit_compile``.
        experimental_follow_type_hints: accepted; deprecated, and without effect in
            TensorFlow 2.21 too (a new Python number still traces again).
        name: a name for the function (default: ``func.__name__``).

    Returns:
        A :class:`Function`, or a decorator when ``func`` is None.
    """
    if kwargs:
        raise TypeError(f"gpuflow.function: unexpected arguments {sorted(kwargs)}")
    if experimental_implements is not None and not isinstance(experimental_implements, str):
        raise TypeError(
            "gpuflow.function: experimental_implements must be a string, received "
            f"{type(experimental_implements).__name__}"
        )
    if experimental_attributes is not None and not isinstance(experimental_attributes, dict):
        raise TypeError(
            "gpuflow.function: experimental_attributes must be a dict, received "
            f"{type(experimental_attributes).__name__}"
        )
    for attribute in experimental_attributes or ():
        if attribute not in _ALLOWED_ATTRIBUTES:
            raise ValueError(f"`{attribute} is not supported by tf.function as an attribute.")
    _check_autograph_options(experimental_autograph_options)
    if jit_compile is None:
        jit_compile = experimental_compile

    def decorate(f):
        compiled = Function(
            f,
            name=name,
            input_signature=input_signature,
            jit_compile=jit_compile,
            reduce_retracing=reduce_retracing or bool(experimental_relax_shapes),
            autograph=autograph,
        )
        compiled._tensor_outputs = True
        return compiled

    return decorate if func is None else decorate(func)


# -- helpers -------------------------------------------------------------------------------
def _checked_signature(signature):
    if signature is None:
        return None
    if not isinstance(signature, (list, tuple)):
        raise TypeError(
            f"gpuflow.function: input_signature must be a list or tuple of "
            f"TensorSpec, received {type(signature).__name__}"
        )
    for leaf in nest.flatten(list(signature)):
        if not isinstance(leaf, TensorSpec) and getattr(type(leaf), "value_type", None) is None:
            raise TypeError(
                f"gpuflow.function: input_signature must contain TensorSpec "
                f"objects, received {leaf!r}"
            )
    return tuple(signature)


def _plain_key(args: tuple, arrays: list):
    """``_key_of(args)`` when ``args`` holds only plain Tensors, directly or in tuples (one
    level deep); else None. Appends the tensors' arrays to ``arrays``."""
    parts = []
    for a in args:
        if a.__class__ is Tensor:
            data = a._data
            arrays.append(data)
            parts.append(("tensor", data.shape, data.dtype.str, a._device.name))
        elif a.__class__ is tuple:
            inner = []
            for t in a:
                if t.__class__ is not Tensor:
                    return None
                data = t._data
                arrays.append(data)
                inner.append(("tensor", data.shape, data.dtype.str, t._device.name))
            parts.append(("tuple", *inner))
        else:
            return None
    return ("tuple", *parts)


def _has_ragged(structure) -> bool:
    return any(
        type(leaf).__name__ == "RaggedTensor" and hasattr(leaf, "nrows_int")
        for leaf in nest.flatten(structure)
    )


def _check_autograph_options(options) -> None:
    """``experimental_autograph_options``: None, a Feature or a tuple / list of them."""
    if options is None:
        return
    from ..autograph import Feature

    items = options if isinstance(options, (tuple, list)) else (options,)
    for item in items:
        if not isinstance(item, Feature):
            raise TypeError(
                "gpuflow.function: experimental_autograph_options must be "
                "tf.autograph.experimental.Feature values, received "
                f"{item!r}"
            )


def _python_to_tensor(leaf, function=None):
    """A Python (or NumPy) number, bool or string a traced function returns: a tensor of
    it, as TensorFlow returns (``return 3`` gives an int32 scalar). A TensorShape is an
    int32 vector of its sizes when they are all known (``return x.shape``); one with an
    unknown size or rank raises TensorFlow's TypeError."""
    if leaf.__class__ in (bool, int, float, str, bytes) or isinstance(leaf, np.generic):
        return Tensor(leaf)
    if isinstance(leaf, TensorShape):
        if not leaf.is_fully_defined():
            raise TypeError(
                "To be compatible with tf.function, Python functions must return zero or "
                "more Tensors or ExtensionTypes or None values; in compilation of "
                f"{function}, found return value of type TensorShape, which is not a Tensor "
                "or ExtensionType."
            )
        return Tensor(np.asarray(leaf.as_list(), np.int32))
    return leaf


def _read_variable(leaf):
    """A tf.Variable a tf.function returns: its value now, a Tensor (as TensorFlow, and as
    a replay returns it; ``return v.assign_add(1)`` included)."""
    if isinstance(leaf, Variable):
        return Tensor._wrap(leaf._data.copy(), leaf._device)
    return leaf


def _to_tensor(leaf):
    """A NumPy array or NumPy number argument is a tensor (as TensorFlow: traced by its
    dtype and shape, not by its value); Python values stay as they are."""
    if isinstance(leaf, np.ndarray) or (isinstance(leaf, np.generic) and leaf.dtype.kind in "biuf"):
        return Tensor(leaf)
    return leaf


def _example(leaf):
    """A TensorSpec stands for a tensor of its shape (unknown sizes: 1; unknown rank: a
    scalar) filled with zeros."""
    if isinstance(leaf, TensorSpec):
        shape = () if leaf.shape.rank is None else tuple(1 if d is None else d for d in leaf.shape)
        if leaf.dtype == "string":  # b"" strings, TensorFlow's zero string
            from .._string_arrays import empty_strings

            return Tensor(empty_strings(shape))
        return Tensor(np.zeros(shape, leaf.dtype.as_numpy_dtype))
    if isinstance(leaf, RaggedTensorSpec) and leaf.shape.rank is not None:
        # a RaggedTensor of its shape (unknown sizes: 1) with rows of one length each
        shape = tuple(1 if d is None else d for d in leaf.shape)
        zeros = Tensor(np.zeros(shape, leaf.dtype.as_numpy_dtype))
        from ..ragged.ragged_tensor import RaggedTensor

        return RaggedTensor.from_tensor(zeros, ragged_rank=leaf.ragged_rank)
    value_type = getattr(type(leaf), "value_type", None)
    if value_type is not None and isinstance(leaf.__dict__.get("_fields"), dict):
        # an ExtensionType's Spec: a value of that type made of example tensors
        value = object.__new__(value_type)
        for name in value_type._tf_extension_type_fields:
            field = nest.map_structure(_example, leaf._fields[name])
            object.__setattr__(value, name, field)
        return value
    return leaf


def _fit(name, index, value, spec):
    """``value`` checked against ``spec`` (a TensorSpec or a structure of them)."""
    if isinstance(spec, TensorSpec):
        return _fit_spec(name, index, value, spec)
    if getattr(type(spec), "value_type", None) is not None:  # an ExtensionType's Spec
        if not spec.is_compatible_with(value):
            raise TypeError(
                f"gpuflow.function {name!r}: argument {index} ({value!r}) is not "
                f"compatible with input_signature {spec}"
            )
        return value
    if not nest.is_nested(value) or len(nest.flatten(value)) != len(nest.flatten(spec)):
        raise TypeError(
            f"gpuflow.function {name!r}: argument {index} does not match the "
            f"structure of input_signature {spec}"
        )
    leaves = [_fit(name, index, v, s) for v, s in zip(nest.flatten(value), nest.flatten(spec))]
    return nest.pack_sequence_as(value, leaves)


def _fit_spec(name, index, value, spec):
    if not isinstance(value, Tensor):
        try:
            value = Tensor(value, dtype=spec.dtype)
        except (TypeError, ValueError) as exc:
            raise TypeError(
                f"gpuflow.function {name!r}: argument {index} cannot be converted to {spec}: {exc}"
            ) from None
    if not spec.is_compatible_with(value):
        raise TypeError(
            f"gpuflow.function {name!r}: Python inputs incompatible with "
            f"input_signature: argument {index} is a tensor of shape "
            f"{tuple(value.shape)} and dtype {value.dtype.name}, the signature "
            f"expects {spec}"
        )
    return value


def _key_of(value, arrays: list, static=None):
    """A hashable key for the arguments; tensor arrays are appended to ``arrays``.
    ``static``: ``{id(tensor): (tensor, shape)}``, shapes with None sizes to key by."""
    if isinstance(value, Variable):
        return ("variable", id(value), value._data.shape, value._data.dtype.str)
    if isinstance(value, Tensor):
        arrays.append(value._data)
        shape = value._data.shape
        if static and id(value) in static:
            shape = static[id(value)][1]
            shape = None if shape is None else tuple(shape)
        return ("tensor", shape, value._data.dtype.str, value._device.name)
    if isinstance(value, Mapping):
        return ("dict",) + tuple((k, _key_of(value[k], arrays, static)) for k in sorted(value))
    if hasattr(type(value), "_gpuflow_key"):  # an ExtensionType: by its fields
        return value._gpuflow_key(lambda v: _key_of(v, arrays, static))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__,) + tuple(_key_of(v, arrays, static) for v in value)
    if _is_dataset(value):
        return ("dataset", value)
    if isinstance(value, float) and value != value:
        return ("nan",)
    if value.__class__ in (bool, int, float):
        # As TensorFlow: Python numbers trace by value, and equal values (1, 1.0, True)
        # share one trace.
        return ("number", value)
    try:
        hash(value)
    except TypeError:
        return ("object", id(value))
    return (type(value), value)


def _dataset_blind(key):
    """``key`` with each tf.data.Dataset in it (``("dataset", ds)``) made one and the same."""
    if key.__class__ is not tuple:
        return key
    if len(key) == 2 and key[0] == "dataset" and _is_dataset(key[1]):
        return ("dataset",)
    return tuple([_dataset_blind(k) for k in key])


def _by_variable_spec(key):
    """``key`` (a ``_key_of``) with each tf.Variable argument by its shape and dtype, not
    its identity: as TensorFlow, variables of one shape and dtype share a trace (the
    recording per variable underneath is not counted, see ``_trace``)."""
    if key.__class__ is not tuple or not key:
        return key
    if key[0] == "variable" and len(key) == 4:
        return ("variable", key[2], key[3])
    return tuple(_by_variable_spec(part) for part in key)


def _key_fits(signature, key) -> bool:
    """Whether ``key`` (a ``_key_of``) fits ``signature`` (one, or one with None sizes)."""
    if signature.__class__ is not tuple or key.__class__ is not tuple:
        return signature == key
    if len(signature) != len(key):
        return False
    if signature and signature[0] == "tensor" and key[0] == "tensor":
        if signature[2:] != key[2:]:
            return False
        if signature[1] is None:  # an unknown rank
            return True
        return len(signature[1]) == len(key[1]) and all(
            s is None or s == k for s, k in zip(signature[1], key[1])
        )
    return all(_key_fits(s, k) for s, k in zip(signature, key))


def _generalized(signature, key):
    """``signature`` with None where a tensor's size differs from ``key``'s (an unknown
    rank where the ranks differ); None when they differ otherwise (structure, dtypes,
    Python values)."""
    general = _generalize(signature, key)
    return None if general is _DIFFERENT else general


_DIFFERENT = object()


def _generalize(signature, key):
    if signature.__class__ is not tuple or key.__class__ is not tuple:
        return signature if signature == key else _DIFFERENT
    if len(signature) != len(key):
        return _DIFFERENT
    if signature and signature[0] == "tensor" and key[0] == "tensor":
        if signature[2:] != key[2:]:
            return _DIFFERENT
        if signature[1] is None or len(signature[1]) != len(key[1]):
            return ("tensor", None, *signature[2:])  # ranks differ: an unknown rank
        shape = tuple(s if s == k else None for s, k in zip(signature[1], key[1]))
        return ("tensor", shape, *signature[2:])
    parts = tuple(_generalize(s, k) for s, k in zip(signature, key))
    return _DIFFERENT if any(p is _DIFFERENT for p in parts) else parts


def _python_to_specs(concrete, args, kwargs):
    """Python numbers and lists passed where the trace has a TensorSpec become tensors of
    its dtype, as TensorFlow converts them (``cf([1.0, 2.0])``)."""
    from ..ops.creation import convert_to_tensor

    traced_args, traced_kwargs = concrete._signature

    def convert(spec, value):
        if isinstance(spec, TensorSpec) and isinstance(value, (list, int, float)):
            if not isinstance(value, bool):
                return convert_to_tensor(value, dtype=spec.dtype)
        return value

    args = tuple(convert(s, v) for s, v in zip(traced_args, args)) + args[len(traced_args) :]
    kwargs = {k: convert(traced_kwargs.get(k), v) for k, v in kwargs.items()}
    return args, kwargs


def _flat_arguments(concrete, args, kwargs):
    """TensorFlow's flat call of a ConcreteFunction: the tensor inputs alone, in order,
    with the Python values (a module, a number) it was traced with left out; None when
    the call is not one."""
    if kwargs or not args or not all(isinstance(a, Tensor) for a in args):
        return None
    signature = concrete._signature
    if len(args) >= len(signature[0]) + len(signature[1]):
        return None
    leaves = nest.flatten(signature, expand_composites=nest.EXTENSION_TYPES)
    if sum(isinstance(leaf, TensorSpec) for leaf in leaves) != len(args):
        return None
    given = iter(args)
    leaves = [next(given) if isinstance(leaf, TensorSpec) else leaf for leaf in leaves]
    return nest.pack_sequence_as(signature, leaves, expand_composites=nest.EXTENSION_TYPES)


_TF_DTYPE_WORDS = {"float32": "float", "float64": "double", "float16": "half"}


def _laid_out_as_calls(concrete, signature):
    """``(args, kwargs)`` of a signature in the form calls take after ``_canonical``
    (``get_concrete_function(a=spec, b=2)`` asked by keyword, called positionally)."""
    owner = concrete._owner
    if not isinstance(owner, Function) or owner._input_signature is not None:
        return signature
    if owner._call_signature is _UNSET:
        owner._call_signature = call_signature(owner._python_function)
    return canonical_call(owner._call_signature, *signature)


def _serves_request(concrete, requested, asked_only: bool = False) -> bool:
    """Whether ``concrete`` stands for ``get_concrete_function(*requested)``: it was asked
    for with an equal or more general signature (TensorSpec(None) serves TensorSpec([None]));
    one traced by a call (no signature asked for) serves a request without unknown sizes,
    unless ``asked_only``."""
    asked = concrete.__dict__.get("_requested_signature")
    if asked is None:
        if asked_only:
            return False
        flat = nest.flatten(requested, expand_composites=nest.EXTENSION_TYPES)
        return not any(isinstance(s, TensorSpec) and not s.shape.is_fully_defined() for s in flat)
    pairs = _paired_leaves(
        _laid_out_as_calls(concrete, asked), _laid_out_as_calls(concrete, requested)
    )
    if pairs is None:
        return False
    for general, spec in pairs:
        if isinstance(general, TensorSpec) and isinstance(spec, TensorSpec):
            if general.dtype != spec.dtype:
                return False
            if not TensorShape(spec.shape).is_subtype_of(TensorShape(general.shape)):
                return False
        elif isinstance(general, TensorSpec) or isinstance(spec, TensorSpec) or general != spec:
            return False
    return True


def _paired_leaves(first, second) -> list | None:
    """The leaves of two structures side by side (extension types opened), or None where
    the structures differ."""
    try:
        nest.assert_same_structure(first, second, expand_composites=nest.EXTENSION_TYPES)
    except (TypeError, ValueError):
        return None
    return list(
        zip(
            nest.flatten(first, expand_composites=nest.EXTENSION_TYPES),
            nest.flatten(second, expand_composites=nest.EXTENSION_TYPES),
        )
    )


def _check_input_dtypes(concrete, arguments, name) -> None:
    """TensorFlow's InvalidArgumentError for a tensor of another dtype than the traced
    input it stands in (a string trace called on an int32 tensor)."""
    pairs = _paired_leaves(_laid_out_as_calls(concrete, concrete._signature), arguments)
    if pairs is None:
        return
    index = 0
    for spec, value in pairs:
        if not isinstance(spec, (TensorSpec, Tensor)):
            continue
        if isinstance(value, Tensor) and value.dtype != spec.dtype:
            want, got = (_TF_DTYPE_WORDS.get(d.name, d.name) for d in (spec.dtype, value.dtype))
            raise errors.InvalidArgumentError(
                None,
                None,
                f"cannot compute __inference_{name} as input #{index}(zero-based) was "
                f"expected to be a {want} tensor but is a {got} tensor "
                f"[Op:__inference_{name}]",
            )
        index += 1


def _fits_requested(concrete, arguments) -> bool:
    """Whether ``arguments`` fit the signature ``concrete`` was asked for with
    (``get_concrete_function(TensorSpec([None]))``): tensors compatible with their specs,
    other values equal."""
    requested = concrete.__dict__.get("_requested_signature") or concrete.__dict__.get("_serves")
    if requested is None:
        return False
    pairs = _paired_leaves(_laid_out_as_calls(concrete, requested), arguments)
    if pairs is None:
        return False
    for spec, value in pairs:
        if isinstance(spec, (TensorSpec, RaggedTensorSpec)):
            if isinstance(spec, TensorSpec) and not isinstance(value, Tensor):
                return False
            if not spec.is_compatible_with(value):
                return False
        elif isinstance(value, Tensor) or spec != value:
            return False
    return True


def _unrecorded_composite(trace, outputs) -> str | None:
    """Why ``outputs`` cannot be replayed: a returned RaggedTensor or SparseTensor whose
    component (row splits) was made on the host outside the recorded operations (a
    replay would return the traced values again); else None."""
    for leaf in nest.flatten(outputs, expand_composites=nest.EXTENSION_TYPES):
        if not nest._tensor_composite(leaf):
            continue
        for part in nest.flatten(leaf, expand_composites=True):
            origin = isinstance(part, Tensor) and trace.unrecorded.get(id(part._data))
            if origin:
                return (
                    f"the {type(leaf).__name__} it returns has a component made by {origin} "
                    "outside the recorded operations, which a compiled call could not recompute"
                )
    return None


def _spec_or_value(leaf, static=None):
    if isinstance(leaf, Tensor) and not isinstance(leaf, Variable):
        if static and id(leaf) in static:
            return TensorSpec(static[id(leaf)][1], leaf.dtype)
        return TensorSpec.from_tensor(leaf)
    return leaf


def _note_static(found: dict, tensor, shape) -> None:
    """Note ``shape`` for ``tensor`` when it leaves a size (or the rank) unknown."""
    if shape is None or shape.rank is None or any(d is None for d in shape):
        found[id(tensor)] = (tensor, None if shape is None or shape.rank is None else shape)


def _walk_static(value, key, found: dict) -> None:
    """Walk ``value`` as ``_key_of`` made ``key`` (a relaxed key: None sizes), noting each
    tensor's static shape."""
    if isinstance(value, Variable) or key.__class__ is not tuple or not key:
        return
    if isinstance(value, Tensor):
        if key[0] == "tensor":
            shape = key[1]
            _note_static(found, value, None if shape is None else TensorShape(shape))
        return
    if isinstance(value, Mapping):
        for k, part in zip(sorted(value), key[1:]):
            if part.__class__ is tuple and len(part) == 2:
                _walk_static(value[k], part[1], found)
        return
    if isinstance(value, (list, tuple)) and not hasattr(type(value), "_gpuflow_key"):
        for v, part in zip(value, key[1:]):
            _walk_static(v, part, found)


def _dims(tensor, shape):
    """``(size in the trace, static size)`` of each dimension."""
    if shape is None:
        return [(n, None) for n in tensor._data.shape]
    return list(zip(tensor._data.shape, shape))


@contextlib.contextmanager
def silent_print(silent: bool):
    """While ``silent``: Python's ``print`` from outside gpuflow prints nothing (a trace
    TensorFlow would not make shows no output)."""
    if not silent:
        yield
        return
    original = builtins.print

    def quiet(*args, **kwargs):
        module = sys._getframe(1).f_globals.get("__name__", "")
        if module.startswith("gpuflow.") and module != "gpuflow.autograph":  # autograph.trace
            original(*args, **kwargs)

    builtins.print = quiet
    try:
        yield
    finally:
        builtins.print = original


def _live_steps(trace, outputs) -> list:
    """The steps a replay of ``trace`` would run for ``outputs`` (model building and
    unused values dropped), as ConcreteFunction keeps them."""
    replay = getattr(type(outputs), "__gpuflow_replay__", None)
    if replay is not None:
        outputs = replay(outputs)[1]
    refs = [
        trace.slot_of.get(id(t._data))
        for t in nest.flatten(outputs, expand_composites=nest.EXTENSION_TYPES)
        if isinstance(t, Tensor) and not isinstance(t, Variable)
    ]
    return finalize(trace.steps, trace.io_functions, [r for r in refs if r is not None])


def _release(trace) -> None:
    """Drop the trace-time arrays only the tracing run needed."""
    trace.arrays = [None] * len(trace.arrays)
    trace.slot_of = {}
    trace.unrecorded = {}
    trace.keep = []
    trace.folded = []


def _takes_no_arguments(fn) -> bool:
    """Whether ``fn`` (a bound method without its ``self``) has no parameters at all."""
    try:
        return not inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


# what taped_call.py uses from here (passed to it, so that it need not import this module)
_TAPE_HELPERS = types.SimpleNamespace(
    release=_release, silent_print=silent_print, spec_or_value=_spec_or_value
)
