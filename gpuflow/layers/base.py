"""The Keras Layer contract: ``__init__`` keeps config, ``build`` makes weights, ``call`` computes.

Weights and sub-layers are found by walking the layer's attributes (and lists, tuples
and dicts in them) when asked for, so a custom layer only assigns them, as in Keras.
"""

from __future__ import annotations

import collections
import functools
import importlib
import inspect
import math
import warnings

import numpy as np

from .. import dtypes, nest
from .._tracing import paused
from ..autodiff import no_grad
from ..backend import device as _device_scope
from ..ops.creation import zeros
from ..ops.math import cast
from ..saving.limits import check_weight
from ..tensor import Tensor, TensorShape, Variable
from . import build_args, call_masks
from ._context import context as _context
from ._context import (
    discarding_losses,  # noqa: F401  (re-exported)
    path_scope,
    variable_path,
)
from ._inputs import (
    as_shape,
    batch_input_shape,
    check_input_count,
    first_tensor,
    resolve_regularizer,
    shape_of,
    to_tensors,
)
from ._loss_tracking import LossTracking
from ._masks import get_mask, set_mask
from ._metric_tracking import MetricTracking
from ._pending_restore import restore_pending
from ._stateless import StatelessCall
from ._tracking_order import holds_tracked_items, note_tracked, unique_objects
from ._tracking_order import keras_order as _keras_order
from .auto_config import auto_config, config_of, own_init_parameters
from .dtype_policy import (
    DTypePolicy,
    QuantizedDTypePolicy,
    as_policy,
    check_quantization_mode,
    quantized_parts,
    serialized_policy,
)
from .input_spec import InputSpec
from .keras_tensor import KerasTensor, is_symbolic
from .mask_warning import warn_if_mask_dropped
from .naming import reset_name_counters, to_snake_case, unique_name
from .remat_scope import get_current_remat_mode, remat_call
from .seed_generator import SeedGenerator
from .v1_hook import GRAPH_CALL

__all__ = ["InputSpec", "Layer", "reset_name_counters"]

#: gpuflow's own Layer subclasses by class name, for deserialization (filled by __init_subclass__).
BUILTIN_LAYERS: dict[str, type] = {}

_BASE_KWARGS = frozenset(
    {
        "input_shape",
        "batch_input_shape",
        "batch_size",
        "input_dim",
        "weights",
        "activity_regularizer",
    }
)
# Bookkeeping attributes of Layer itself, never walked for weights or sub-layers.
_INTERNAL = frozenset(
    {
        "_own_weights",
        "_created_trainable",
        "_track_order",
        "_initial_weights",
        "_dtype_policy",
        "input_spec",
        "_build_input_shape",
        "_build_shapes_dict",
        "_batch_input_shape",
        "_inbound_nodes",
        "_losses",
        "_loss_layers",
        "activity_regularizer",
        "_losses_pass",
    }
)


def current_layers() -> list:
    """The layers being called on this thread, outermost first (gpuflow.debugging names them)."""
    return _context.layers


_skip_sets: dict = {}


def _skipped_attributes(untracked: frozenset) -> frozenset:
    """``_INTERNAL`` and a class's ``_untracked_attributes``, made once per class set."""
    skip = _skip_sets.get(untracked)
    if skip is None:
        skip = _skip_sets[untracked] = _INTERNAL | untracked
    return skip


def _walk(value, out: list) -> None:
    """Append the Layers, Keras variables and SeedGenerators inside ``value`` (looking into
    lists, tuples, dicts). As Keras 3, a plain ``tf.Variable`` is not a layer's weight: it is
    neither listed nor trained by ``fit`` (``tf.train.Checkpoint`` still saves it)."""
    if isinstance(value, Variable):
        if value._path is not None:  # a Keras variable (tensor.is_keras_variable)
            out.append(value)
    elif isinstance(value, (Layer, SeedGenerator)):
        out.append(value)
    elif isinstance(value, (list, tuple)):
        if holds_tracked_items(value):
            for item in value:
                _walk(item, out)
    elif isinstance(value, dict):
        for item in value.values():
            _walk(item, out)


def _expects_training(cls) -> bool:
    """Whether ``call`` names a ``training`` parameter (Keras passes it only then, not to a
    bare ``**kwargs``: ``super().call(inputs, **kwargs)`` into a Dense must not get it)."""
    return "training" in inspect.signature(cls.call).parameters


def _training_default(cls):
    """The default of ``call``'s ``training`` (None without one): Keras' call context takes
    it when neither the caller nor an enclosing call gave a value."""
    param = inspect.signature(cls.call).parameters.get("training")
    if param is None or param.default is inspect.Parameter.empty:
        return None
    return param.default


def _training_required(cls) -> bool:
    """Whether ``call``'s ``training`` has no default: Keras binds the caller's arguments to
    ``call``'s signature first, so such a layer must always be given ``training=``."""
    param = inspect.signature(cls.call).parameters.get("training")
    return (
        param is not None
        and param.default is inspect.Parameter.empty
        and param.kind in (param.POSITIONAL_OR_KEYWORD, param.KEYWORD_ONLY)
    )


def _training_position(cls) -> int | None:
    """The index, among ``call``'s arguments after the inputs, of a positional ``training``."""
    params = list(inspect.signature(cls.call).parameters.values())[2:]
    for i, param in enumerate(params):
        if param.kind not in (param.POSITIONAL_ONLY, param.POSITIONAL_OR_KEYWORD):
            return None
        if param.name == "training":
            return i
    return None


def _check_positional(layer, args: tuple, kwargs: dict) -> None:
    """Keras 3's rule for the positional arguments after the inputs: tensors (see
    :func:`_check_tensors`), other values by keyword; and none may take ``training``'s
    place, which Keras passes."""
    _check_tensors(layer, args)
    position = layer._call_training_position
    if position is not None and len(args) > position and "training" not in kwargs:
        raise TypeError(
            f"{type(layer).__name__}.call() got multiple values for argument 'training' "
            "(Keras passes training by keyword: call the layer as layer(x, training=...))"
        )


def _check_tensors(layer, values) -> None:
    """Keras 3's rule for positional arguments, the inputs included: tensors, arrays
    (anything with ``__array__``) or None only (a nested Python list of numbers as the
    inputs too: ``Dense(2)([[1.0, 2.0]])``); preprocessing layers and Functional models
    take other values."""
    if not layer._allow_non_tensor_positional_args:
        for arg in nest.flatten(values if isinstance(values, tuple) else [values]):
            if arg is None or isinstance(arg, (Tensor, np.ndarray, np.generic, KerasTensor)):
                continue
            if getattr(arg, "_is_composite_tensor", False) or hasattr(arg, "__array__"):
                continue
            raise ValueError(
                "Only input tensors may be passed as positional arguments. The following "
                f"argument value should be passed as a keyword argument: {arg!r} (of type "
                f"{type(arg)})"
            )


def _in_v1_graph(values) -> bool:
    """Whether a TF 1 graph tensor (a tf.compat.v1.placeholder, what is built on one) is
    among ``values``."""
    return any(getattr(type(v), "_symbolic_kind", None) == "v1" for v in nest.flatten(values))


def _expects_mask(cls) -> bool:
    return "mask" in inspect.signature(cls.call).parameters


def _first_argument(cls) -> str | None:
    """The name of ``call``'s first argument after ``self`` (Keras lets a caller pass the
    inputs by that name: ``layer(x=x)``)."""
    params = list(inspect.signature(cls.call).parameters.values())[1:]
    if params and params[0].kind in (params[0].POSITIONAL_ONLY, params[0].POSITIONAL_OR_KEYWORD):
        return params[0].name
    return None


class Layer(LossTracking, MetricTracking, StatelessCall):
    """Base class of layers.

    Args:
        trainable: whether the layer's weights are trained (``layer.trainable = False`` freezes it).
        name: a unique name; default the class name in snake case, numbered (``dense_1``).
        dtype: the dtype or policy of the layer: ``"float32"``, ``"float64"``, ``"float16"``,
            ``"mixed_float16"`` (compute float16, variables float32) or a DTypePolicy.
            Default: the global float type (:func:`gpuflow.config.floatx`).
        **kwargs: Keras' ``input_shape`` / ``batch_input_shape`` / ``batch_size`` /
            ``input_dim`` (the expected input, used by Sequential) and ``weights``
            (initial values, set when the layer is built).

    Raises:
        TypeError: for any other keyword argument, naming the layer class and the argument.

    Subclasses override ``build(input_shape)`` (create weights with :meth:`add_weight`,
    then call ``super().build(input_shape)``), ``call(inputs[, training])`` and
    ``get_config()``.
    """

    #: attribute names a subclass keeps out of weight tracking (e.g. an optimizer's state).
    _untracked_attributes: frozenset = frozenset()
    #: whether integer and bool inputs are cast to a float compute dtype.
    _cast_int_inputs = True
    #: whether get_config writes ``activity_regularizer`` even when it is None (Keras 3's
    #: convolutions, LSTM/GRU/SimpleRNN, Embedding and MultiHeadAttention do).
    _config_activity_regularizer = False
    #: whether an input's mask passes through to the output unchanged (Keras' attribute).
    supports_masking = False
    #: the keras.RematScope settings the layer was created under (None: no remat)
    _remat_mode = None

    def __new__(cls, *args, **kwargs):
        instance = super().__new__(cls)
        if not cls.__module__.startswith("gpuflow."):  # gpuflow's layers write their own
            instance.__dict__["_auto_config"] = auto_config(cls, args, kwargs)
        return instance

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        cls._call_takes_training = _expects_training(cls)
        cls._call_training_default = _training_default(cls)
        cls._call_takes_mask = _expects_mask(cls)
        cls._call_mask_parameters = call_masks.mask_parameters(cls.call)
        cls._call_first_argument = _first_argument(cls)
        cls._call_training_position = _training_position(cls)
        cls._call_training_required = _training_required(cls)
        if cls.__module__.startswith("gpuflow."):
            BUILTIN_LAYERS[cls.__name__] = cls
            return
        if "build" in cls.__dict__:
            cls.build = _marks_built(cls.__dict__["build"])
        if "call" in cls.__dict__ and "_cast_int_inputs" not in cls.__dict__:
            # Keras 3 casts only floating inputs: a user's own call() gets integer inputs
            # (node ids, edge lists, token ids) as they are
            cls._cast_int_inputs = False

    def __init__(
        self,
        trainable: bool = True,
        name: str | None = None,
        dtype=None,
        activity_regularizer=None,
        **kwargs,
    ) -> None:
        unknown = {key: value for key, value in kwargs.items() if key not in _BASE_KWARGS}
        if unknown:  # Keras 3's error and text
            raise ValueError(
                f"Unrecognized keyword arguments passed to {type(self).__name__}: {unknown}"
            )
        if name is not None and (not isinstance(name, str) or "/" in name):
            raise ValueError(
                f"{type(self).__name__}: name must be a string without '/', received {name!r}"
            )
        # '' is a name (the custom-layers tutorial's ``super().__init__(name='')``), as Keras
        self._name = name if name is not None else unique_name(to_snake_case(type(self).__name__))
        self._trainable = bool(trainable)
        self.__dict__["_remat_mode"] = get_current_remat_mode()  # keras.RematScope at creation
        parts = quantized_parts(dtype)
        if parts is not None:  # "int8_from_float32": built with quantized weights
            mode, _, block = parts[0].partition("/")
            if mode not in type(self)._quantization_modes or (block and mode != "int4"):
                raise NotImplementedError(
                    f"{self._where()}: dtype policy {parts[0]}_from_{parts[1]}: gpuflow's "
                    f"{type(self).__name__} does not take quantized dtype policies of mode "
                    f"{parts[0]!r}"
                )
            self.__dict__["_quantization_mode"] = mode
            if mode == "int4":  # "int4/<block_size>" (-1 or none: per channel)
                size = int(block) if block else -1
                self.__dict__["_int4_block_size"] = None if size == -1 else size
                self.__dict__["_int4_legacy_name"] = not block  # Keras' "int4_from_float32"
            dtype = parts[1]
        self._dtype_policy = as_policy(dtype)
        self.built = False
        self.__dict__.setdefault("input_spec", None)
        self._own_weights: list[Variable] = []
        # the weights add_weight made trainable: what `layer.trainable = ...` flags, as Keras 3
        self._created_trainable: list[Variable] = []
        self._build_input_shape = None
        self._batch_input_shape = batch_input_shape(kwargs)
        if kwargs.get("input_shape") is not None or kwargs.get("input_dim") is not None:
            warnings.warn(  # Keras 3's advice, word for word
                "Do not pass an `input_shape`/`input_dim` argument to a layer. When using "
                "Sequential models, prefer using an `Input(shape)` object as the first layer "
                "in the model instead.",
                stacklevel=2,
            )
        self._initial_weights = kwargs.get("weights")
        self._inbound_nodes: list = []  # one Node per call on symbolic tensors
        self._losses: list = []  # add_loss values of the latest forward pass
        self._loss_layers: list = []  # layers that added losses during this layer's outer call
        self.activity_regularizer = (
            None
            if activity_regularizer is None
            else resolve_regularizer(activity_regularizer, self._where())
        )

    # -- identity and dtypes ---------------------------------------------------------
    @property
    def name(self) -> str:
        name = self.__dict__.get("_name")
        return type(self).__name__ if name is None else name

    @property
    def dtype(self) -> str:
        """The dtype of the layer's variables, e.g. ``"float32"``."""
        return self._dtype_policy.variable_dtype

    @property
    def compute_dtype(self) -> str:
        """The dtype inputs are cast to and outputs come in."""
        return self._dtype_policy.compute_dtype

    @property
    def variable_dtype(self) -> str:
        return self._dtype_policy.variable_dtype

    @property
    def dtype_policy(self) -> DTypePolicy:
        mode = self.__dict__.get("_quantization_mode")
        if mode == "int4" and not self.__dict__.get("_int4_legacy_name"):
            # keras.dtype_policies.Int4DTypePolicy, found by name as the
            # saving code finds Keras' modules (it sits above the layers)
            policies = importlib.import_module("gpuflow.keras.dtype_policies")
            block = self.__dict__.get("_int4_block_size")
            mode = f"int4/{-1 if block is None else block}"
            return policies.Int4DTypePolicy(mode, self._dtype_policy.name)
        if mode == "float8":
            policies = importlib.import_module("gpuflow.keras.dtype_policies")
            return policies.QuantizedFloat8DTypePolicy(mode, self._dtype_policy.name)
        if mode is not None:
            return QuantizedDTypePolicy(mode, self._dtype_policy.name)
        return self._dtype_policy

    #: The Keras quantization modes this layer's ``quantize`` implements.
    _quantization_modes: tuple = ()

    @property
    def quantization_mode(self):
        """``"int8"`` once the layer is quantized (``quantize``), else None."""
        return self.__dict__.get("_quantization_mode")

    def quantize(self, mode=None, type_check=True, config=None) -> None:
        """Quantize the layer's weights (Keras 3); layers without quantized weights raise
        ``NotImplementedError`` (``Model.quantize`` warns and skips them, as Keras)."""
        check_quantization_mode(mode)
        raise NotImplementedError(
            f"Layer {type(self).__name__} does not have a `quantize` method implemented."
        )

    def _where(self) -> str:
        return f"{type(self).__name__} '{self.name}'"

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"  # as Keras 3

    def __setattr__(self, name: str, value) -> None:
        # as Keras 3, a Keras variable assigned here is tracked now: its place in `weights`
        if isinstance(value, (Variable, list, tuple, dict)):
            note_tracked(self, value)
        object.__setattr__(self, name, value)

    # -- weights -------------------------------------------------------------------------
    def add_weight(
        self,
        *args,
        shape=None,
        initializer=None,
        dtype=None,
        trainable: bool = True,
        regularizer=None,
        constraint=None,
        name: str | None = None,
        **kwargs,
    ) -> Variable:
        """Create a Variable named ``"{layer.name}/{name}"``, with Keras 3's arguments.

        ``shape``, ``initializer`` and ``dtype`` may come positionally, in that order, as in
        Keras 3; ``name`` is keyword-only: Keras 2's ``add_weight("kernel", shape=...)``
        raises ValueError, as in TF 2.21. See :meth:`_add_weight` for the arguments.
        """
        where = f"{self._where()}.add_weight"
        if len(args) > 3:
            raise TypeError(
                f"{where}() takes at most 3 positional arguments (shape, initializer, dtype) "
                f"but {len(args)} were given."
            )
        if args and isinstance(args[0], str):
            raise ValueError(
                "`name` must be passed as a keyword argument. "
                f"Received: add_weight('{args[0]}', ...). "
                f"Use: add_weight(shape=..., name='{args[0]}')."
            )
        for position, (key, given) in enumerate(
            (("shape", shape), ("initializer", initializer), ("dtype", dtype))
        ):
            if position < len(args):
                if given is not None:
                    raise ValueError(
                        f"{where}: `{key}` was passed both positionally and as a keyword argument."
                    )
        shape, initializer, dtype = (tuple(args) + (shape, initializer, dtype)[len(args) :])[:3]
        return self._add_weight(
            name,
            () if shape is None else shape,
            initializer,
            trainable,
            dtype,
            regularizer,
            constraint,
            **kwargs,
        )

    def _add_weight(
        self,
        name: str | None = None,
        shape=(),
        initializer=None,
        trainable: bool = True,
        dtype=None,
        regularizer=None,
        constraint=None,
        **kwargs,
    ) -> Variable:
        """Create a Variable named ``"{layer.name}/{name}"`` on the current device and track it.

        Args:
            name: the weight's name within the layer (e.g. ``"kernel"``).
            shape: its shape.
            initializer: a name (``"glorot_uniform"``, ``"zeros"``, ...), Initializer or callable.
            trainable: whether optimizers update it.
            dtype: its dtype (default: the layer's variable dtype).
            regularizer: a callable (or ``gpuflow.regularizers`` name) whose value of the
                weight is added to :attr:`losses`.
            constraint: a projection (``keras.constraints``, a name or a callable) that
                optimizers apply to the weight after each update.
            **kwargs: Keras' ``autocast``, ``aggregation``, ... (accepted, no effect here).
        """
        from .. import initializers

        unknown = set(kwargs) - {
            "autocast",
            "aggregation",
            "synchronization",
            "use_resource",
            "overwrite_with_gradient",
            "experimental_autocast",
        }
        if unknown:
            raise TypeError(f"{self._where()}.add_weight: unexpected argument(s) {sorted(unknown)}")
        from .. import constraints

        constraint = constraints.get(constraint)
        name = name or unique_name("variable")  # Keras: "variable", "variable_1", ... global
        shape = tuple(
            int(n) for n in (shape if isinstance(shape, (list, tuple, TensorShape)) else (shape,))
        )
        dtype = dtypes.as_dtype(dtype or self.dtype, f"{self._where()}.add_weight(dtype=...)")
        init = initializers.get(initializer)
        if init is None:
            init = initializers.get("glorot_uniform" if dtypes.is_floating(dtype) else "zeros")
        check_weight(shape, dtype, f"{self.name}/{name}")  # a budget while loading a file
        with paused():  # on a first trace: drawn once, not again on every replay
            value = init(shape, dtype=dtype)
        if tuple(np.shape(value)) != shape:
            raise ValueError(
                f"{self._where()}: initializer of weight {name!r} returned shape "
                f"{tuple(np.shape(value))}, expected {shape}"
            )
        variable = Variable(
            value, trainable=trainable, name=name, dtype=dtype, constraint=constraint
        )
        # Keras 3: name "kernel", path "dense/kernel" ("sequential/dense/kernel" for a layer
        # built inside a Sequential or subclassed model's build or call)
        variable._path = variable_path(self, name)
        if kwargs.get("overwrite_with_gradient"):
            variable.overwrite_with_gradient = kwargs["overwrite_with_gradient"]
        self._own_weights.append(variable)
        note_tracked(self, variable)
        if variable.trainable:
            self._created_trainable.append(variable)
        if regularizer is not None:
            variable.regularizer = resolve_regularizer(regularizer, self._where())
        return variable

    def add_variable(
        self,
        shape,
        initializer,
        dtype=None,
        trainable=True,
        autocast=True,
        regularizer=None,
        constraint=None,
        name=None,
    ) -> Variable:
        """Keras 3's spelling of :meth:`add_weight` (shape and initializer first)."""
        return self.add_weight(
            name=name,
            shape=shape,
            initializer=initializer,
            trainable=trainable,
            dtype=dtype,
            regularizer=regularizer,
            constraint=constraint,
        )

    @property
    def path(self) -> str:
        """The layer's path (Keras 3): its name."""
        return self.name

    @property
    def input_dtype(self) -> str:
        """The dtype floating inputs are cast to (the compute dtype)."""
        return self.compute_dtype

    def _tracked_objects(self) -> list:
        """The Variables, sub-layers and SeedGenerators assigned as attributes, in order."""
        found: list = []
        skip = _skipped_attributes(self._untracked_attributes)
        for key, value in self.__dict__.items():
            # most attributes are plain values: skipped by type first (read on every step)
            if (
                type(value) not in _PLAIN_TYPES
                and isinstance(value, _MAY_HOLD_TRACKED)
                and key not in skip
            ):
                _walk(value, found)
        return found

    def _tracked(self) -> tuple[list, list]:
        """(Variables, sub-layers) assigned as attributes, in assignment order."""
        found = self._tracked_objects()
        variables = [v for v in found if isinstance(v, Variable)]  # Keras variables only (_walk)
        layers = [v for v in found if isinstance(v, Layer) and v is not self]
        return variables, layers

    def _collect_weights(self, visited: set) -> tuple[list, list]:
        visited.add(id(self))
        variables, layers = self._tracked()
        trainable, frozen = [], []
        for v in _keras_order(self, self.__dict__.get("_own_weights", []) + variables):
            (trainable if v.trainable and self.trainable else frozen).append(v)
        for layer in layers:
            if id(layer) in visited:
                continue
            sub_trainable, sub_frozen = layer._collect_weights(visited)
            if self.trainable:
                trainable += sub_trainable
                frozen += sub_frozen
            else:
                frozen += sub_trainable + sub_frozen
        return unique_objects(trainable), unique_objects(frozen)

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        """Sets the layer's and its sub-layers' flag and, as Keras 3, the ``trainable`` flag
        of each weight they created trainable (a non-trainable weight stays so)."""
        for layer in self._flatten_layers():
            layer._trainable = bool(value)
            for variable in layer.__dict__.get("_created_trainable", ()):
                variable.trainable = bool(value)

    @property
    def trainable_weights(self) -> list:
        return self._collect_weights(set())[0]

    @property
    def non_trainable_weights(self) -> list:
        return self._collect_weights(set())[1]

    @property
    def weights(self) -> list:
        """Every weight, in Keras 3's order: the layer's own (trainable, then the others),
        then each sub-layer's weights in turn (so a model lists them layer by layer)."""
        return unique_objects(self._weights_in_order(set()))

    def _weights_in_order(self, visited: set) -> list:
        visited.add(id(self))
        variables, layers = self._tracked()
        out = _keras_order(self, self.__dict__.get("_own_weights", []) + variables)
        for layer in layers:
            if id(layer) not in visited:
                out += layer._weights_in_order(visited)
        return out

    # Through the properties, so that a subclass overriding one (e.g. Sequential) changes both.
    @property
    def trainable_variables(self) -> list:
        return self.trainable_weights

    @property
    def non_trainable_variables(self) -> list:
        """The non-trainable weights and, as Keras 3, the states of the SeedGenerators the
        layers own (in :attr:`variables`' order)."""
        trainable = {id(v) for v in self.trainable_weights}
        return [v for v in self.variables if id(v) not in trainable]

    @property
    def variables(self) -> list:
        """Every weight (:attr:`weights`) and, as Keras 3, the state Variable of each
        SeedGenerator a layer owns (``Dropout(...).seed_generator``), after that layer's own
        weights."""
        out, any_seed = [], False
        for layer in self._layers_depth_first():
            found = layer._tracked_objects()
            own = [v for v in found if isinstance(v, Variable)]  # Keras variables only (_walk)
            out += _keras_order(layer, layer.__dict__.get("_own_weights", []) + own)
            for generator in found:
                if isinstance(generator, SeedGenerator):
                    out.append(generator.state)
                    any_seed = True
        weights = self.weights
        if not any_seed:
            return weights
        listed = {id(v) for v in out}
        return unique_objects(out + [w for w in weights if id(w) not in listed])

    def _flatten_layers(self, include_self: bool = True, recursive: bool = True) -> list:
        """This layer (optionally) and its sub-layers, each once, in Keras 3's order: its
        direct sub-layers in turn, each followed by its own sub-layers taken last first (Keras
        walks a deque extended on the left), so :attr:`losses` and ``metrics`` list a nested
        layer's terms in that order too."""
        out, seen = ([self] if include_self else []), {id(self)}
        pending = collections.deque(self._tracked()[1])
        while pending:
            layer = pending.popleft()
            if id(layer) in seen:
                continue
            seen.add(id(layer))
            out.append(layer)
            if recursive:
                pending.extendleft(layer._tracked()[1])
        return out

    def _layers_depth_first(self) -> list:
        """This layer and its sub-layers, each once, depth first in tracking order: the fixed
        order of :attr:`variables` and of the random states a saved file records."""
        out, seen = [], set()

        def visit(layer):
            if id(layer) in seen:
                return
            seen.add(id(layer))
            out.append(layer)
            for sub in layer._tracked()[1]:
                visit(sub)

        visit(self)
        return out

    def count_params(self) -> int:
        """The number of scalars in all weights.

        Raises:
            ValueError: when the layer is not built yet.
        """
        if not self.built:
            raise ValueError(
                f"{self._where()}: count_params() needs the layer built; call it on data "
                "or build(input_shape) first"
            )
        return sum(math.prod(w.shape) for w in self.weights)

    def get_weights(self) -> list:
        """The weights as NumPy arrays, in the order of :attr:`weights`."""
        return [w.numpy() for w in self.weights]  # Variable.numpy() returns a copy

    def set_weights(self, weights) -> None:
        """Set the weights from NumPy arrays, in the order of :attr:`weights`.

        Raises:
            ValueError: naming the layer, the weight and both shapes, or both counts.
        """
        params = self.weights
        weights = list(weights)
        if len(weights) != len(params):
            raise ValueError(
                f"{self._where()}: set_weights expected {len(params)} arrays "
                f"({', '.join(p.name for p in params) or 'no weights'}), received {len(weights)}"
            )
        for param, value in zip(params, weights):
            value = np.asarray(value.numpy() if isinstance(value, Tensor) else value)
            if tuple(value.shape) != tuple(param.shape):
                raise ValueError(
                    f"{self._where()}: weight {param.name!r} has shape {tuple(param.shape)}, "
                    f"received an array of shape {tuple(value.shape)}"
                )
        for param, value in zip(params, weights):
            value = np.asarray(value.numpy() if isinstance(value, Tensor) else value)
            param.assign(value.astype(param.dtype, copy=False))

    def _read(self, variable):
        """``variable`` in the compute dtype (a differentiable cast where the policy is mixed)."""
        if variable is None or variable.dtype == self.compute_dtype:
            return variable
        return cast(variable, self.compute_dtype)

    # -- build and call --------------------------------------------------------------------
    def build(self, input_shape) -> None:
        """Create the weights for inputs of ``input_shape`` (batch axis included); subclasses
        call ``super().build(input_shape)`` last."""
        self._build_input_shape = as_shape(input_shape)
        self.built = True

    def _build_at_init(self) -> None:
        """Mark a layer without weights built at creation, as Keras 3's stateless layers
        (Dropout, Activation, pooling, ...) are; a subclass with its own build() is not."""
        if type(self).build is Layer.build:
            self.built = True

    def call(self, inputs, *args, **kwargs):
        """The computation; the base layer is the identity."""
        return inputs

    def __call__(self, *args, **kwargs):
        """Convert, check, build once, cast to the compute dtype, then ``call``.

        The inputs are the first argument, or the keyword named as ``call``'s first
        argument (``layer(x=x)``), as in Keras. ``training`` (a keyword) goes to ``call``
        when it takes one, None included; when omitted it is inherited from the enclosing
        layer call.
        """
        positional = bool(args)
        if args:
            inputs, args = args[0], args[1:]
        elif self._call_first_argument in kwargs:
            inputs = kwargs.pop(self._call_first_argument)
        else:
            raise TypeError(
                f"{self._where()}: called without inputs (pass them first, or as "
                f"{self._call_first_argument or 'inputs'}=...)"
            )
        if positional and not isinstance(inputs, Tensor):
            _check_tensors(self, inputs)
        if args:
            _check_positional(self, args, kwargs)
        if self._call_training_required and "training" not in kwargs:
            # as Keras (eager, symbolic or nested calls alike): no value from the context
            raise TypeError(
                f"{self._where()}: missing a required argument: 'training' (its call() "
                "has no default for it: pass training=...)"
            )
        if not isinstance(inputs, Tensor):
            if is_symbolic(inputs) or (args and is_symbolic(list(args))):
                from .node import symbolic_call

                return symbolic_call(self, (inputs,) + args, kwargs)
            if GRAPH_CALL[0] is not None and _in_v1_graph((inputs,) + args):
                return GRAPH_CALL[0](self, inputs, args, kwargs)  # a TF 1 graph's tensors
            inputs = to_tensors(inputs)
        # As Keras 3's call context, one value for a whole outermost call: a ``training``
        # passed by the caller (None included) is what ``call`` gets; an omitted one is the
        # context's, else ``call``'s default; each layer leaves its value in the context for
        # the layers called after it (an augmentation layer's default True, a training=False
        # passed to a sub-layer, stay on for its later siblings, as in Keras)
        explicit = "training" in kwargs
        training = kwargs.pop("training", None)
        context = _context
        shared = context.training
        outermost = not shared
        if not outermost:
            return self._call_in_context(inputs, args, kwargs, training, explicit)
        shared.append(None)
        try:
            return self._call_in_context(inputs, args, kwargs, training, explicit)
        finally:
            shared.clear()

    def _call_in_context(self, inputs, args, kwargs, training, explicit):
        """``__call__`` once the outermost call's context is open: resolve ``training``,
        build, then ``call``."""
        context = _context
        shared = context.training
        if not explicit:
            training = shared[0] if shared[0] is not None else self._call_training_default
        shared[0] = training
        if not self.built:
            self._check_input(inputs)
            first = first_tensor(inputs)
            try:
                with path_scope(self):
                    if first is not None:
                        with _device_scope(first.device):
                            self._build_on_call(inputs, args, kwargs)
                    else:
                        self._build_on_call(inputs, args, kwargs)
            finally:
                shared[0] = training  # a build that runs the layer leaves no value behind
        if self.input_spec is not None:
            self._check_input(inputs)
        if self._call_takes_training and (training is not None or explicit):
            kwargs["training"] = training
        mask = kwargs.get("mask")
        if mask is None:
            mask = get_mask(inputs)
            if self._call_takes_mask or self._call_mask_parameters:
                call_masks.populate(self, inputs, args, kwargs, mask)
        if mask is not None:
            warn_if_mask_dropped(self, mask, Layer)
        layers = context.layers
        if not layers:
            context.forward_pass += 1
            if self._losses or self._loss_layers:
                self._clear_losses()
        layers.append(self)
        try:
            cast_inputs = self._cast_inputs(inputs)
            call = (
                self.call if self._remat_mode is None else remat_call(self, self.call, cast_inputs)
            )
            with path_scope(self):  # layers made and built inside call get its prefix
                outputs = call(cast_inputs, *args, **kwargs)
            if self.activity_regularizer is not None:
                self._add_activity_losses(outputs)
        finally:
            layers.pop()
        if mask is not None or type(self).compute_mask is not Layer.compute_mask:
            self._attach_mask(inputs, outputs, mask)
        return outputs

    def compute_mask(self, inputs, mask=None):
        """The mask of the output for ``inputs`` carrying ``mask`` (Keras' rule: passed through
        when :attr:`supports_masking`, else dropped)."""
        return mask if self.supports_masking else None

    def _attach_mask(self, inputs, outputs, mask) -> None:
        out_mask = self.compute_mask(inputs, mask)
        if isinstance(outputs, (list, tuple)):
            masks = out_mask if isinstance(out_mask, (list, tuple)) else [out_mask] * len(outputs)
            for out, m in zip(outputs, masks):
                set_mask(out, m)
        else:
            if isinstance(out_mask, (list, tuple)):
                # Keras 3 zips the flattened masks with the flattened outputs: a layer
                # called on [x, context] passes its list of input masks on, and its single
                # output takes the first (the translation example's TransformerDecoder).
                out_mask = nest.flatten(out_mask)[0] if out_mask else None
            set_mask(outputs, out_mask)

    def _build_on_call(self, inputs, args: tuple, kwargs: dict) -> None:
        """Build on the first call: a user ``build(self, a_shape, b_shape)`` gets the shapes
        of ``call``'s arguments ``a`` and ``b`` (Keras 3), any other the inputs' shape."""
        shapes = build_args.call_shapes(self, (inputs,) + tuple(args), kwargs)
        if shapes is None:
            self._build_and_init(inputs)
            return
        self.build(**shapes)
        self._after_build(shape_of(inputs))

    def _build_and_init(self, inputs) -> None:
        shape = shape_of(inputs)
        self.build(shape)
        self._after_build(shape)

    def _after_build(self, shape) -> None:
        self.built = True
        restore_pending(self)
        if self._build_input_shape is None:
            self._build_input_shape = shape
        if self._initial_weights is not None:
            weights, self._initial_weights = self._initial_weights, None
            self.set_weights(weights)

    def _check_input(self, inputs) -> None:
        if self.input_spec is not None and isinstance(inputs, Tensor):
            self.input_spec.check(self._where(), inputs._data.shape)
        elif isinstance(self.input_spec, InputSpec) and isinstance(inputs, (list, tuple)):
            check_input_count(self, inputs)

    def _cast_inputs(self, inputs):
        if isinstance(inputs, (list, tuple)):
            return type(inputs)(self._cast_inputs(x) for x in inputs)
        if not isinstance(inputs, Tensor):
            return inputs
        target = self._dtype_policy.compute_dtype
        if inputs._data.dtype == target or not dtypes.is_floating(target):
            return inputs
        if inputs._data.dtype.kind == "O":  # tf.string inputs are never cast
            return inputs
        if dtypes.is_floating(inputs.dtype) or self._cast_int_inputs:
            return cast(inputs, target)
        return inputs

    def compute_output_shape(self, input_shape) -> tuple:
        """The output shape for ``input_shape`` (batch axis None).

        The base version runs the layer on zeros (unknown sizes taken as 1); built-in
        layers compute it directly. A layer returning several tensors (a tuple, a dict)
        gets their shapes in the same structure.
        """
        shape = as_shape(input_shape)
        probe = zeros([1 if n is None else n for n in shape], dtype=self.compute_dtype)
        with no_grad():
            out = self(probe, training=False)
        return nest.map_structure(lambda t: (None,) + tuple(t.shape[1:]), out)

    def compute_output_spec(self, *args, **kwargs):
        """Keras 3: KerasTensors standing for the outputs of a call on the KerasTensor
        ``args`` (shapes from :meth:`compute_output_shape`, dtype the compute dtype)."""
        first = args[0] if args else next(iter(kwargs.values()))
        if isinstance(first, (list, tuple)):
            shape = [tuple(x.shape) for x in first]
        elif isinstance(first, dict):
            shape = {k: tuple(x.shape) for k, x in first.items()}
        else:
            shape = tuple(first.shape)
        return _specs(self.compute_output_shape(shape), self.compute_dtype)

    # -- the functional graph ------------------------------------------------------------------
    def _node_attribute(self, attribute: str, what: str):
        nodes = self.__dict__.get("_inbound_nodes")
        if not nodes:
            raise AttributeError(
                f"{self._where()} has never been called on symbolic tensors "
                f"(keras.Input or layer outputs), so it has no defined {what}"
            )
        return getattr(nodes[0], attribute)

    @property
    def input(self):
        """The symbolic input(s) of the layer's first call in a functional graph."""
        node_args = self._node_attribute("call_args", "input")
        return node_args[0] if len(node_args) == 1 else list(node_args)

    @property
    def output(self):
        """The symbolic output(s) of the layer's first call in a functional graph."""
        return self._node_attribute("outputs", "output")

    @property
    def output_shape(self) -> tuple:
        """The output shape for the input shape the layer was built with (batch axis None)."""
        if self.__dict__.get("_inbound_nodes"):
            from .. import nest

            return nest.map_structure(lambda t: tuple(t.shape), self.output)
        if self._build_input_shape is None:
            raise AttributeError(
                f"{self._where()}: output_shape is not defined before the layer is built"
            )
        return self.compute_output_shape((None,) + tuple(self._build_input_shape[1:]))

    # -- config ------------------------------------------------------------------------------
    def get_config(self) -> dict:
        """The arguments that recreate this layer with :meth:`from_config` (JSON-compatible).

        Raises:
            NotImplementedError: for a subclass whose ``__init__`` takes arguments of its own
                and that does not override ``get_config``.
        """
        config = {"name": self.name}
        if type(self).get_config is Layer.get_config:
            # A user's layer without get_config: Keras 3's config from the arguments its
            # __init__ received, when they are plain values (numbers, strings, lists)
            auto = self.__dict__.get("_auto_config")
            if auto is not None:
                config = config_of(self, auto)
            else:
                extra = own_init_parameters(type(self))
                if extra:
                    raise NotImplementedError(
                        f"{self._where()}: override get_config() to return the arguments of "
                        f"__init__ ({', '.join(extra)}) so the layer can be saved and "
                        "recreated (Keras builds it only from plain values: numbers, "
                        "strings, lists of them)"
                    )
        # Keras 3 writes the policy as a serialized DTypePolicy; from_config takes it or a name
        config.update(trainable=self.trainable, dtype=serialized_policy(self.dtype_policy.name))
        regularizer = self.__dict__.get("activity_regularizer")
        if regularizer is not None or self._config_activity_regularizer:
            from ._args import serialize_regularizer

            config["activity_regularizer"] = serialize_regularizer(regularizer)
        if self._batch_input_shape is not None:
            config["batch_input_shape"] = self._batch_input_shape
        return config

    @classmethod
    def from_config(cls, config: dict) -> Layer:
        """A new layer from the output of :meth:`get_config`."""
        return cls(**config)

    def get_build_config(self) -> dict | None:
        """``{"input_shape": ...}``: what :meth:`build_from_config` needs to create the
        weights again (None before the layer is built), as Keras 3; ``{"shapes_dict": ...}``
        (the arguments it was built with) for a user ``build`` given several."""
        if not self.built:
            return None
        given = self.__dict__.get("_build_shapes_dict")
        if given is not None and len(given) > 1:
            return {"shapes_dict": dict(given)}
        if self._build_input_shape is None:
            return None
        return {"input_shape": self._build_input_shape}

    def save_own_variables(self, store) -> None:
        """Keras 3's default: this layer's own variables (trainable first) as
        ``store["0"], store["1"], ...`` (NumPy arrays)."""
        ordered = _keras_order(self, self.__dict__.get("_own_weights", []))
        for i, variable in enumerate(ordered):
            store[f"{i}"] = variable.numpy()

    def load_own_variables(self, store) -> None:
        """Keras 3's default: assign what :meth:`save_own_variables` stored.

        Raises:
            ValueError: when ``store`` holds another number of variables (naming both)."""
        ordered = _keras_order(self, self.__dict__.get("_own_weights", []))
        keys = [k for k in store.keys() if str(k).isdigit()] if hasattr(store, "keys") else []
        if len(keys) != len(ordered):
            raise ValueError(
                f"Layer {self.name!r} expected {len(ordered)} variables, but received "
                f"{len(keys)} variables during loading. Expected: {[v.name for v in ordered]}"
            )
        for i, variable in enumerate(ordered):
            variable.assign(store[f"{i}"])

    def save_assets(self, dir_path) -> None:
        """Write files this layer needs beyond its variables into ``dir_path`` (nothing by
        default); a ``.keras`` archive keeps them for :meth:`load_assets`."""

    def load_assets(self, dir_path) -> None:
        """Read back what :meth:`save_assets` wrote (nothing by default)."""

    def build_from_config(self, config) -> None:
        """Build the layer from :meth:`get_build_config`'s output (nothing for None)."""
        if not config:
            return
        if "input_shape" in config:
            self.build(config["input_shape"])
        elif "shapes_dict" in config:
            self.build(**config["shapes_dict"])
        self.built = True


Layer._allow_non_tensor_positional_args = False  # True: Functional (as Keras), op wrappers
Layer._strips_input_masks = False  # True: MultiHeadAttention (a Functional run keeps them)
Layer._call_takes_training = _expects_training(Layer)
Layer._call_training_default = None
Layer._call_takes_mask = False
Layer._call_mask_parameters = ()
Layer._call_first_argument = "inputs"
Layer._call_training_position = _training_position(Layer)
Layer._call_training_required = False


def _marks_built(build):
    """A user layer's ``build``, wrapped as Keras 3 wraps it: once it returns the layer is
    built (so a later call does not build it again, creating a second set of weights), and
    the input shape it was built for is recorded (for ``get_build_config``)."""
    if getattr(build, "_marks_built", False):
        return build

    @functools.wraps(build)
    def wrapped(self, *args, **kwargs):
        with path_scope(self):  # the layers it builds inside get its prefix, as in Keras
            out = build(self, *args, **kwargs)
        self.built = True
        try:  # the arguments it was built with, as Keras records them (get_build_config)
            given = signature.bind(self, *args, **kwargs).arguments
            self.__dict__["_build_shapes_dict"] = dict(list(given.items())[1:])
        except TypeError:
            pass
        if getattr(self, "_build_input_shape", None) is None and args:
            try:
                self._build_input_shape = as_shape(args[0])
            except (TypeError, ValueError):
                pass
        return out

    signature = inspect.signature(build)
    wrapped._marks_built = True
    wrapped._build_argument_names = build_args.argument_names(build)
    return wrapped


def _specs(shape, dtype):
    """KerasTensors for an output shape, or a list/tuple/dict of them."""
    if isinstance(shape, dict):
        return {k: _specs(v, dtype) for k, v in shape.items()}
    if isinstance(shape, (list, tuple)) and shape and isinstance(shape[0], (list, tuple, dict)):
        return [_specs(s, dtype) for s in shape]
    return KerasTensor(tuple(shape), dtype)


# Attribute values that hold no weights or layers, and those _walk may find some in.
_PLAIN_TYPES = frozenset(
    {type(None), bool, int, float, str, type(len), type(_walk), functools.partial}
)
_MAY_HOLD_TRACKED = (Variable, Layer, SeedGenerator, list, tuple, dict)
