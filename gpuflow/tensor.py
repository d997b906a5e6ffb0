"""Tensor and Variable: an array of one device, its dtype, and its autodiff link.

The arithmetic operators (``+``, ``@``, indexing, ...) are installed by
``gpuflow/ops/operators.py``, so that this module sits below the ops.
"""

from __future__ import annotations

import sys
import weakref

import numpy as np

from . import _deferred_error, _replica_updates, _stateless_state, _string_arrays, dtypes
from ._tracing import host_call, returns_first, tracing
from .backend import Device, get_device
from .backend.device_names import tf_device_name
from .dtypes import _BY_NP
from .name_scopes import current_name_scope
from .tensor_shape import TensorShape
from .variable_creator import VariableMeta
from .variable_enums import as_aggregation, as_synchronization

# False after tf.compat.v1.disable_tensor_equality(): ``==`` compares tensors by identity
# (a Python bool) and variables hash by identity, as in TensorFlow 1.
TENSOR_EQUALITY = [True]


class Tensor:
    """An immutable n-dimensional array on one device, recorded for autodiff on a tape.

    Create tensors with :func:`gpuflow.constant`, :func:`gpuflow.zeros` and friends.
    """

    # `_keras_logits` is set only on the outputs of the softmax and sigmoid activations (the
    # logits they came from, as Keras does) and read with getattr(t, "_keras_logits", None).
    __slots__ = ("_data", "_device", "_node", "_trainable", "_name", "_keras_logits", "__weakref__")
    __array_priority__ = 1000  # NumPy defers `ndarray + Tensor` to Tensor.__radd__

    def __init__(self, data, device: "str | Device | None" = None, dtype=None) -> None:
        if _is_string_value(data, dtype):  # tf.string: host-only, whatever the device
            self._init_strings(data, dtype)
            return
        dev = get_device(device)
        shared = False  # may the new tensor share `data`'s memory?
        if isinstance(data, Tensor):
            if data._device is not dev:
                raise ValueError(
                    f"Tensor(): data lives on {data._device.name}, not {dev.name}; "
                    f"use tensor.to({dev.name!r})"
                )
            shared = not isinstance(data, Variable)  # tensors never change; variables do
            data = data._data
        elif getattr(type(data), "_is_ragged_tensor", False):
            # as TensorFlow, even with rows of one length: ops dispatch on RaggedTensors
            # (a RaggedTensor in gives one out), so it must not pass for a dense tensor
            raise ValueError(
                "Tensor(): cannot convert a RaggedTensor to a dense tensor; use "
                "rt.to_tensor() or rt.flat_values"
            )
        elif isinstance(data, TensorShape):
            data = _shape_as_list(data)
        dt = None if dtype is None else dtypes.as_dtype(dtype, "Tensor(dtype=...)")
        try:
            array = dev.asarray(data)
        except (ValueError, TypeError) as exc:
            if "inhomogeneous" in str(exc):  # rows of different lengths, TF's message
                raise ValueError(
                    "Can't convert non-rectangular Python sequence to Tensor. (Rows of "
                    f"different lengths: {_short(data)}; use tf.ragged.constant for ragged data.)"
                ) from None
            raise ValueError(
                f"Tensor(): cannot convert {type(data).__name__} to a tensor ({exc})"
            ) from None
        if array.dtype.kind in "US":  # strings after a number: TF's mixed-types error
            raise ValueError(
                "Tensor(): cannot convert a sequence that mixes numbers and strings "
                f"({_short(data)})"
            )
        if array.dtype.kind == "O" and not isinstance(data, np.ndarray):
            # the result of an op that failed while tracing: that op's error
            failed = _deferred_error.failed_in([data])
            if failed is not None:
                failed._raise()
            # as TensorFlow: an object no tensor can hold (None, a dict, an ExtensionType...)
            if isinstance(data, (list, tuple)):
                raise ValueError(
                    "Tensor(): Can't convert Python sequence with mixed types to Tensor "
                    f"({_short(data)})"
                )
            if hasattr(type(data), "__array__") and array.size:  # a DataFrame of mixed columns
                kinds = sorted({type(v).__name__ for v in array.flat})
                raise ValueError(
                    "Tensor(): Failed to convert a NumPy array to a Tensor: the "
                    f"{type(data).__name__} holds objects of mixed types ({', '.join(kinds)}); "
                    "give all its values one type (numbers, or strings)"
                )
            raise ValueError(
                f"Tensor(): Attempt to convert a value ({_short(data)}) with an unsupported "
                f"type ({type(data)}) to a Tensor."
            )
        if array.dtype.kind in "USOV" and array.dtype != dtypes.bfloat16:
            raise TypeError(
                f"Tensor(): unsupported dtype {array.dtype.name}; expected numbers of one of "
                + ", ".join(d.name for d in dtypes.SUPPORTED)
            )
        if array.dtype.kind == "c" and dt is not None and dt.kind != "c":
            raise TypeError(
                f"Tensor(): cannot convert complex numbers to {dt.name} (complex numbers are "
                "not supported there); use dtype complex64 or complex128, or tf.math.real"
            )
        if dt is not None and array.dtype != dt:
            # an empty list ([] reads as float64) has no value to narrow: tf.constant([],
            # tf.int32) is an empty int32 tensor
            if not carries_dtype(data) and array.size and _narrowing(array.dtype, dt):
                raise TypeError(
                    f"Tensor(): cannot convert {_short(data)} to a tensor of dtype {dt.name} "
                    f"(Python {'floats' if array.dtype.kind == 'f' else 'numbers'} do not "
                    f"convert to {dt.name}; use tf.cast)"
                )
            array = array.astype(dt)
        if array is data and not shared:
            # The caller's own array: copy it, as tf.constant does, so that writing to it
            # later cannot change this tensor (gpuflow.from_dlpack is the zero-copy way).
            array = array.copy()
        if dt is None:
            array = _default_dtype(array, data, dev)
        elif array.dtype != dt:
            array = array.astype(dt)
        if array.dtype not in dtypes.SUPPORTED_NP:
            raise TypeError(
                f"Tensor(): unsupported dtype {array.dtype.name}; expected one of "
                + ", ".join(d.name for d in dtypes.SUPPORTED)
            )
        self._data = array
        self._device = dev
        self._node = None
        self._trainable = False
        self._name = None

    def _init_strings(self, data, dtype) -> None:
        if dtype is not None and dtypes.as_dtype(dtype, "Tensor(dtype=...)") != dtypes.string:
            raise TypeError(
                f"Tensor(): cannot convert {_short(data)} to a tensor of dtype "
                f"{dtypes.as_dtype(dtype).name}"
            )
        if isinstance(data, Tensor):
            if data._data.dtype is not _string_arrays.OBJECT:
                raise TypeError(
                    f"Tensor(): cannot convert a {data.dtype.name} tensor to dtype string"
                )
            array = data._data if not isinstance(data, Variable) else data._data.copy()
        else:  # str, bytes, nested lists or arrays of them (anything else: a TypeError)
            array = _string_arrays.bytes_array(data, "Tensor()")
        self._data = array
        self._device = get_device("cpu")
        self._node = None
        self._trainable = False
        self._name = None

    @classmethod
    def _wrap(cls, array, device: Device) -> "Tensor":
        """A Tensor around an array already on ``device`` (no copy, no checks)."""
        t = object.__new__(cls)
        t._data = array
        t._device = device
        t._node = None
        t._trainable = False
        t._name = None
        return t

    # -- properties ---------------------------------------------------------------
    @property
    def shape(self) -> TensorShape:
        trace = tracing.trace
        if trace is not None and trace.static_shapes:
            # a tf.function's input declared with None sizes (input_signature,
            # reduce_retracing): its static shape inside the trace, as TensorFlow shows it
            # (user code sees it; gpuflow's own ops work on the traced sizes)
            static = trace.static_shapes.get(id(self))
            if (
                static is not None
                and static[0] is self
                and not sys._getframe(1).f_globals.get("__name__", "").startswith("gpuflow.")
            ):
                return TensorShape(static[1])
        return TensorShape._of_array(self._data.shape)

    def _static_shape(self) -> TensorShape:
        """``shape`` as the user's code sees it (None sizes of a tf.function input), for
        gpuflow's methods that answer it (``get_shape``)."""
        trace = tracing.trace
        static = None if trace is None else trace.static_shapes.get(id(self))
        if static is not None and static[0] is self:
            return TensorShape(static[1])
        if isinstance(self, Variable):
            return self._declared_shape()  # it may leave sizes unknown
        return self.shape

    @property
    def dtype(self) -> dtypes.DType:
        try:
            return _BY_NP[self._data.dtype]
        except KeyError:
            return dtypes.of(self._data.dtype)

    @property
    def device(self) -> str:
        """TF's full device string, e.g. ``/job:localhost/replica:0/task:0/device:CPU:0``.

        It also compares equal to gpuflow's short name (``t.device == "cpu"``).
        """
        return tf_device_name(self._device.name)

    @property
    def ndim(self) -> int:
        return self._data.ndim

    @property
    def size(self) -> int:
        return int(self._data.size)

    @property
    def name(self) -> str | None:
        return self._name

    # -- conversion ---------------------------------------------------------------
    def numpy(self) -> np.ndarray:
        """The values as a new, writable NumPy array, as TensorFlow's ``numpy()`` (a copy:
        writing to it leaves the tensor as it is). A scalar tensor gives a NumPy scalar
        (``np.float32(2.0)``, bytes for a string), hashable, usable as a dict key.
        ``np.asarray(tensor)`` is the no-copy read: on the CPU a read-only view, as in TF."""
        array = self._host_array()
        if array.ndim == 0:
            return array[()]
        return array.copy() if not array.flags.writeable else array

    def _host_array(self) -> np.ndarray:
        if tracing.trace is not None:
            tracing.trace.host_read(self, "numpy")
        array = self._device.to_host(self._data)
        if array is self._data:
            array = array.view()
            array.flags.writeable = False
        return array

    def __array__(self, dtype=None, copy=None):
        # NumPy 2 trusts __array__ to honour `copy`: np.array(t) must not hand back our buffer.
        if copy is False and self._device.xp is not np:
            raise ValueError(
                f"cannot convert a tensor on {self._device.name} to NumPy without a copy"
            )
        array = self._host_array()
        if dtype is not None and array.dtype != dtype:
            return array.astype(dtype)
        if copy and np.shares_memory(array, self._data):
            return array.copy()
        return array

    def __dlpack__(self, *args, **kwargs):
        return self._data.__dlpack__(*args, **kwargs)

    def __dlpack_device__(self):
        return self._data.__dlpack_device__()

    def item(self):
        if self._data.size != 1:
            raise ValueError(
                f"item(): expected a tensor with one element, received shape {self.shape}"
            )
        if tracing.trace is not None:
            tracing.trace.host_read(self, "numpy")
        return self._device.to_host(self._data).reshape(()).item()  # a Python scalar: no copy

    def __float__(self) -> float:
        return float(self._scalar("float"))

    def __int__(self) -> int:
        return int(self._scalar("int"))

    def _scalar(self, kind: str):
        # TensorFlow (NumPy 2) raises TypeError for any tensor that is not 0-d, also one
        # of shape (1,) or (1, 1): float(tf.constant([[0.5]])) is an error there
        if self._data.ndim != 0:
            raise TypeError(
                f"{kind}(): only a 0-d (scalar) tensor converts to a Python scalar, "
                f"received shape {self.shape}; index it first, e.g. t[0, 0], or use "
                "tf.squeeze / tf.reshape(t, [])"
            )
        return self.item()

    def __index__(self) -> int:
        if not dtypes.is_integer(self.dtype):
            raise TypeError(
                f"only integer tensors can be used as an index, received dtype {self.dtype.name}"
            )
        if self._data.ndim != 0:  # as TensorFlow (NumPy): [1, 2][tf.constant([1])] is an error
            raise TypeError(
                f"only integer scalar tensors can be used as an index, received shape {self.shape}"
            )
        return int(self.item())

    def __bool__(self) -> bool:
        if tracing.trace is not None:
            tracing.trace.host_read(self, "bool")
        if self.size != 1:
            raise ValueError(
                f"the truth value of a tensor of shape {self.shape} is ambiguous; "
                "use gpuflow.reduce_any / reduce_all"
            )
        return bool(self.item())

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def __hash__(self) -> int:
        # as TensorFlow 2: == is elementwise, so a tensor cannot be a dict key or set member
        if isinstance(self, Variable):
            if not TENSOR_EQUALITY[0]:  # tf.compat.v1.disable_tensor_equality(): by identity
                return id(self)
            raise TypeError(
                f"Variable is unhashable. Instead, use variable.ref() as the key. "
                f"(Variable: {self!r})"
            )
        raise TypeError("Tensor is unhashable. Instead, use tensor.ref() as the key.")

    def __format__(self, format_spec: str) -> str:
        """As TensorFlow's eager tensors: the value formatted as NumPy formats it
        (``f"{loss:.4f}"`` for a scalar; ``f"{t}"`` gives the values)."""
        trace = tracing.trace
        if trace is not None and trace.is_traced(self):
            return format(repr(self), format_spec)
        return format(np.asarray(self.numpy()), format_spec)

    def _symbolic_text(self) -> str | None:
        """Inside gpuflow.function the value is not known yet: a symbolic tensor's text, as
        TensorFlow prints one (``print("Tracing with", x)`` runs once per trace)."""
        trace = tracing.trace
        if trace is not None and trace.is_traced(self):
            name = self._name or "traced"
            shape = self._static_shape()
            if shape.rank is None:  # TensorSpec(None): TensorFlow shows no shape
                return f'Tensor("{name}", dtype={self.dtype.name})'
            return f'Tensor("{name}", shape={tuple(shape)}, dtype={self.dtype.name})'
        return None

    def __repr__(self) -> str:
        """As TensorFlow: ``<tf.Tensor: shape=(2,), dtype=int32, numpy=array([1, 2],
        dtype=int32)>`` (the device is ``t.device``); a Keras variable as Keras 3:
        ``<Variable path=dense/kernel, shape=(3, 2), dtype=float32, value=[[...]]>``."""
        symbolic = self._symbolic_text()
        if symbolic is not None:
            return symbolic
        if isinstance(self, Variable) and self._path is not None:
            # a Keras variable (layer weight, optimizer variable, keras.Variable), as Keras 3
            return (
                f"<Variable path={self._path}, shape={tuple(self.shape)}, "
                f"dtype={self.dtype.name}, value={np.asarray(self.numpy())}>"
            )
        text = _numpy_text(self.numpy(), is_repr=True)
        if isinstance(self, Variable):
            return (
                f"<tf.Variable '{self.name}' shape={self._declared_shape()} "  # or <unknown>
                f"dtype={self.dtype.name}, numpy={text}>"
            )
        return f"<tf.Tensor: shape={tuple(self.shape)}, dtype={self.dtype.name}, numpy={text}>"

    def __str__(self) -> str:
        """As TensorFlow's ``print(t)``: ``tf.Tensor([1 2], shape=(2,), dtype=int32)``."""
        symbolic = self._symbolic_text()
        if symbolic is not None:
            return symbolic
        if isinstance(self, Variable):
            return repr(self)
        text = _numpy_text(self.numpy(), is_repr=False)
        return f"tf.Tensor({text}, shape={tuple(self.shape)}, dtype={self.dtype.name})"


def _numpy_text(value, is_repr: bool) -> str:
    """TensorFlow's ``numpy_text``: a scalar as its value (in ``repr``, the Python value's
    repr, so a float32 0.1 reads ``0.10000000149011612`` as in TensorFlow 2.21), an array as
    NumPy prints it (``repr`` or ``str``), starting on a new line when it takes several. A
    scalar string's bytes are printed as they are (a NumPy ``bytes_`` would drop trailing
    NUL bytes)."""
    if isinstance(value, bytes):
        return repr(value)
    array = np.asarray(value)
    if array.ndim == 0:
        scalar = array[()]
        text = repr(scalar.item()) if is_repr and isinstance(scalar, np.generic) else str(scalar)
    else:
        text = repr(array) if is_repr else str(array)
    return "\n" + text if "\n" in text else text


def _is_string_value(data, dtype) -> bool:
    """Whether a tensor of ``data`` is a tf.string tensor (gpuflow/_string_arrays.py)."""
    if isinstance(data, Tensor):
        return data._data.dtype is _string_arrays.OBJECT
    if dtype is not None and dtypes.as_dtype(dtype, "Tensor(dtype=...)") == dtypes.string:
        return True
    return _string_arrays.looks_like_strings(data)


def _shape_as_list(shape: TensorShape) -> list:
    """A fully known TensorShape's sizes, for ``tf.constant(shape)``; TensorFlow's ValueError
    for a shape with an unknown size or rank."""
    if not shape.is_fully_defined():
        raise ValueError(f"Cannot convert a partially known TensorShape {shape} to a Tensor.")
    return shape.as_list()


def _short(data) -> str:
    text = repr(data)
    return text if len(text) <= 60 else text[:57] + "..."


def _default_dtype(array, source, device: Device):
    """Python floats become the default float type and Python ints int32, as in TensorFlow."""
    if array.dtype == np.float64 and not carries_dtype(source):
        return array.astype(dtypes.floatx())
    if array.dtype == np.int64 and not carries_dtype(source) and _fits_int32(array):
        return array.astype(dtypes.int32)
    return array


def _fits_int32(array) -> bool:
    """Python ints become int32 when every one fits, int64 otherwise, as in TensorFlow."""
    return array.size == 0 or (int(array.min()) >= -(2**31) and int(array.max()) < 2**31)


def _narrowing(source: np.dtype, target) -> bool:
    """TensorFlow refuses Python floats for integer and bool dtypes, and ints for bool."""
    return (source.kind == "f" and target.kind in "iub") or (
        source.kind in "iu" and target.kind == "b"
    )


def carries_dtype(source) -> bool:
    """Whether converting ``source`` keeps its dtype (no Python-number defaults)."""
    # an array (a NumPy/CuPy array, a pandas Series: .dtype) or an object that converts
    # through __array__ (a pandas DataFrame: .dtypes only) keeps its dtype, as in TensorFlow
    return hasattr(source, "dtype") or hasattr(type(source), "__array__")


class Variable(Tensor, metaclass=VariableMeta):  # tf.variable_creator_scope
    """A mutable tensor; trainable Variables are watched by every GradientTape.

    Args:
        initial_value: array-like, Tensor, or a callable returning one.
        trainable: whether tapes watch it and ``model.trainable_variables`` lists it
            (default: True, but False for ``synchronization=ON_READ``, as TensorFlow).
        name: a name for summaries and checkpoints.
        dtype: the dtype (default: that of ``initial_value``, floats as the default float type).
        constraint: a function of the value that optimizers apply after each update
            (``variable.assign(constraint(variable))``), as ``tf.Variable(constraint=...)``.
        synchronization, aggregation: ``tf.VariableSynchronization`` /
            ``tf.VariableAggregation`` (kept for distribution code; default AUTO / NONE).
        shape: the shapes the variable may take (``tf.TensorShape``, a list with None for
            sizes that may change, or ``TensorShape(None)`` for any shape); ``assign``
            accepts any value of a compatible shape. Default: the initial value's shape.
        validate_shape, caching_device: accepted as TensorFlow's (no effect here).
    """

    __slots__ = (
        "_readers",
        "_constraint",
        "_path",
        "_aggregation",
        "_synchronization",
        "_shape_spec",
        "_scope",
        "_overwrite_with_gradient",
        "_regularizer",
    )

    def __init__(
        self,
        initial_value,
        trainable: bool | None = None,
        name: str | None = None,
        dtype=None,
        device: "str | Device | None" = None,
        constraint=None,
        synchronization=None,
        aggregation=None,
        shape=None,
        validate_shape: bool = True,
        caching_device=None,
    ) -> None:
        if callable(initial_value):
            initial_value = initial_value()
        if isinstance(initial_value, Tensor) and device is None:
            device = initial_value._device
        if isinstance(initial_value, Tensor):
            initial_value = initial_value._data
        super().__init__(initial_value, device=device, dtype=dtype)
        if self._data is initial_value:  # never alias the caller's array
            self._data = self._data.copy()
        synchronization = as_synchronization(synchronization)
        if trainable is None:  # as TensorFlow: an ON_READ variable (a metric's) is not trained
            trainable = synchronization is not synchronization.ON_READ
        self._trainable = bool(trainable)
        self._name = name
        self._scope = current_name_scope()  # the tf.name_scope it was created in
        self._path = None  # set for Keras variables (layer weights, keras.Variable)
        # Weak references to the tensors ops made from this variable since its array last
        # changed (Function.__call__ notes them): see _update_buffer.
        self._readers: list = []
        if constraint is not None and not callable(constraint):
            raise ValueError(
                f"Variable {name!r}: constraint must be callable, received {constraint!r}"
            )
        self._constraint = constraint
        self._shape_spec = None
        if shape is not None:
            spec = TensorShape(shape)
            if not spec.is_compatible_with(self._data.shape):
                raise ValueError(
                    f"Variable {name!r}: the initial value's shape {tuple(self._data.shape)} "
                    f"is not compatible with the explicitly supplied `shape` argument {spec}"
                )
            if spec != TensorShape(self._data.shape):
                self._shape_spec = spec
        self._aggregation = as_aggregation(aggregation)
        self._synchronization = synchronization
        if tracing.trace is not None:
            tracing.trace.variable_created(self)

    @property
    def name(self) -> str:
        """As TensorFlow: ``"w:0"`` for ``tf.Variable(..., name="w")`` (``"Variable:0"``
        unnamed); a Keras variable's own name (``"kernel"``), as Keras 3 gives it."""
        if self._path is not None:
            return self._name
        return f"{getattr(self, '_scope', '')}{self._name or 'Variable'}:0"

    @property
    def path(self) -> str:
        """Where the variable lives: ``"<layer name>/<weight name>"`` for a layer's weight,
        as Keras 3's ``variable.path``; a tf.Variable's name without ``:0``."""
        return self._path if self._path is not None else (self._name or "Variable")

    @property
    def dtype(self):
        """A DType (``tf.float32``) for a tf.Variable; for a Keras variable (a layer weight,
        a ``keras.Variable``, an optimizer or metric variable) the name, ``"float32"``, as
        Keras 3 gives it (it compares equal to ``tf.float32`` as there)."""
        dtype = Tensor.dtype.fget(self)
        return dtype if self._path is None else dtypes.keras_name(dtype)

    @property
    def aggregation(self):
        """How a distributed variable's replica updates combine (``tf.VariableAggregation``)."""
        return getattr(self, "_aggregation", None) or as_aggregation(None)

    @property
    def synchronization(self):
        """When a distributed variable synchronizes (``tf.VariableSynchronization``)."""
        return getattr(self, "_synchronization", None) or as_synchronization(None)

    @property
    def constraint(self):
        """The function optimizers apply to the value after each update (or None)."""
        return getattr(self, "_constraint", None)

    @constraint.setter
    def constraint(self, value) -> None:
        if value is not None and not callable(value):
            raise ValueError(
                f"Variable {self._name!r}: constraint must be callable, received {value!r}"
            )
        self._constraint = value

    @property
    def shape(self) -> TensorShape:
        """The variable's shape: that of its value, or the ``shape`` it was declared with
        (None where the size may change, unknown rank for ``TensorShape(None)``)."""
        spec = getattr(self, "_shape_spec", None)
        if spec is None or sys._getframe(1).f_globals.get("__name__", "").startswith("gpuflow."):
            # gpuflow's own ops work on the value's sizes (an unknown rank has none)
            return TensorShape._of_array(self._data.shape)
        return spec

    def _declared_shape(self) -> TensorShape:
        """``shape`` as user code sees it, for gpuflow's methods that show it (repr,
        ``get_shape``): the declared shape where there is one."""
        spec = getattr(self, "_shape_spec", None)
        return spec if spec is not None else TensorShape._of_array(self._data.shape)

    def _note_reader(self, tensor) -> None:
        """Remember that an op made ``tensor`` from this variable's current array."""
        readers = self._readers
        if len(readers) >= 16:  # drop the dead ones now and then: a predict loop reads often
            readers[:] = [r for r in readers if r() is not None]
        readers.append(weakref.ref(tensor))

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        """Settable, as a Keras 3 variable's (``layer.kernel.trainable = False`` freezes
        it; ``enable_lora`` does so)."""
        self._trainable = bool(value)

    @property
    def overwrite_with_gradient(self) -> bool:
        """Keras 3's flag: an optimizer sets the variable to its gradient instead of
        updating it (float8 scale factors use it); ``add_weight(overwrite_with_gradient=...)``
        sets it."""
        return getattr(self, "_overwrite_with_gradient", False)

    @overwrite_with_gradient.setter
    def overwrite_with_gradient(self, value: bool) -> None:
        if not isinstance(value, bool):
            raise TypeError(f"`overwrite_with_gradient` must be a boolean. Received: {value}")
        self._overwrite_with_gradient = value

    @property
    def regularizer(self):
        """Keras 3: the penalty ``add_weight(regularizer=...)`` attached (None without one);
        settable. While the variable is trainable, its layer's ``losses`` include
        ``regularizer(variable)``."""
        return getattr(self, "_regularizer", None)

    @regularizer.setter
    def regularizer(self, value) -> None:
        if value is not None and not callable(value):
            raise ValueError(
                "Invalid value for attribute `regularizer`. Expected an instance of "
                f"`keras.regularizers.Regularizer`, or `None`. Received: regularizer={value}"
            )
        self._regularizer = value

    def _check_conversion(self, value: "Tensor", op: str) -> None:
        """Refuse a tensor of another dtype, except where TensorFlow's "safe"/"all" dtype
        conversion mode promotes it to the variable's (then TypeError when it does not)."""
        mode = dtypes.numpy_behavior.conversion_mode
        if mode not in ("safe", "all"):
            raise ValueError(
                f"Variable '{self.name}'.{op}: Tensor conversion requested dtype "
                f"{self.dtype.name} for Tensor with dtype {value.dtype.name}"
            )
        if not dtypes.implicit_conversion_allowed(value._data.dtype, self._data.dtype):
            raise TypeError(
                f"Variable dtype is immutable. Calling {op} of Variable '{self.name}' (with "
                f"dtype {self.dtype.name}) on a {value.dtype.name} tensor requires converting "
                f"it to {self.dtype.name}, which dtype_conversion_mode={mode!r} does not do; "
                f"cast it first (tf.cast(value, {self.dtype.name!r}))"
            )

    def _as_array(self, value, op: str):
        if isinstance(value, Tensor):
            if value._device is not self._device:
                raise ValueError(
                    f"Variable '{self.name}'.{op}: value is on {value._device.name}, "
                    f"variable on {self._device.name}"
                )
            if value._data.dtype != self._data.dtype and self._path is None:
                # tf.Variable converts a tensor with dtype=its own: no silent cast (a Keras
                # variable, with a path, casts as Keras' convert_to_tensor does)
                self._check_conversion(value, op)
            value = value._data
        array = self._device.asarray(value)
        spec = getattr(self, "_shape_spec", None)
        if spec is not None:  # declared with a shape whose sizes may change
            if not spec.is_compatible_with(array.shape):
                raise ValueError(
                    f"Variable '{self.name}'.{op}: the value's shape {tuple(array.shape)} "
                    f"is not compatible with the variable's shape {spec}"
                )
            return array
        if array.shape != self._data.shape:  # as TensorFlow and Keras: no broadcasting
            if op != "assign" and self._path is not None and array.size == 1:
                return array  # a Keras variable adds as assign(self + value): it broadcasts
            if op != "assign":  # TensorFlow's AssignAdd/SubVariableOp error
                from .errors import InvalidArgumentError

                raise InvalidArgumentError(
                    None,
                    op,
                    f"Variable '{self.name}'.{op}: Cannot update variable with shape "
                    f"{list(self.shape)} using a Tensor with shape {list(array.shape)}, "
                    "shapes must be equal.",
                )
            raise ValueError(
                f"Cannot assign value to variable '{self.name}': Shape mismatch. The "
                f"variable shape {tuple(self.shape)}, and the assigned value shape "
                f"{tuple(array.shape)} are incompatible."
            )
        return array

    # Assignments swap in a new array rather than writing in place, so that tensors read
    # from the variable before (views, reshapes, arrays a recorded graph saved) keep the
    # values they were read with, as in TensorFlow.
    @host_call(dry_result=returns_first)
    def assign(self, value, use_locking=None, name=None, read_value=True) -> "Variable":
        """Set a new value (same shape; cast to the variable's dtype); returns the variable."""
        array = self._as_array(value, "assign")
        if _replica_updates.hook is not None and _replica_updates.hook(self, "assign", array):
            return self if read_value else None  # a MirroredStrategy replica's update
        _stateless_state.note_assignment(self)
        if array.shape != self._data.shape and getattr(self, "_shape_spec", None) is not None:
            self._data = array.astype(self._data.dtype, copy=True)  # the shape changes
            return self if read_value else None
        new = self._device.xp.empty_like(self._data)
        new[...] = array
        self._data = new
        return self if read_value else None

    @host_call(dry_result=returns_first)
    def assign_add(self, delta, use_locking=None, name=None, read_value=True) -> "Variable":
        """Add ``delta`` to the value; returns the variable."""
        array = self._as_array(delta, "assign_add").astype(self.dtype, copy=False)
        if _replica_updates.hook is not None and _replica_updates.hook(self, "assign_add", array):
            return self if read_value else None
        _stateless_state.note_assignment(self)
        self._data = self._data + array
        return self if read_value else None

    @host_call(dry_result=returns_first)
    def assign_sub(self, delta, use_locking=None, name=None, read_value=True) -> "Variable":
        """Subtract ``delta`` from the value; returns the variable."""
        array = self._as_array(delta, "assign_sub").astype(self.dtype, copy=False)
        if _replica_updates.hook is not None and _replica_updates.hook(self, "assign_sub", array):
            return self if read_value else None
        _stateless_state.note_assignment(self)
        self._data = self._data - array
        return self if read_value else None

    def numpy(self) -> np.ndarray:
        """A copy of the current value (later assignments do not change it); a NumPy scalar
        for a scalar variable, as in TensorFlow."""
        array = self._host_array()
        return array[()] if array.ndim == 0 else array

    def _host_array(self) -> np.ndarray:
        if tracing.trace is not None:
            tracing.trace.host_read(self, "numpy")
        array = self._device.to_host(self._data)
        return array.copy() if array is self._data else array

    def _update_buffer(self, dtype):
        """An array of the current values in ``dtype`` for an optimizer to update and then
        swap in (``var._data = buffer``).

        The rule: the variable's own array (an update in place) when the variable is
        trainable and every tensor an op made from it since its array last changed is gone;
        otherwise a fresh copy. Ops are the only way a variable's array reaches another
        tensor or a recorded graph (``Function.__call__`` notes each output made from a
        trainable variable; ``Tensor(v)``, ``numpy()``, ``read_value()`` and
        ``stop_gradient`` copy), and a graph lives only as long as the tensors it made, so
        a tensor read from a variable before an update keeps its value, as in TensorFlow.
        In ``fit`` the step's tensors are gone by the update: it runs in place. Code
        outside ops that keeps ``var._data`` past an update must copy it.
        """
        if self._data.dtype != dtype:
            return self._data.astype(dtype)
        readers = self._readers
        if not self._trainable:
            return self._data.copy()
        for r in readers:
            if r() is not None:
                return self._data.copy()
        readers.clear()
        return self._data

    # read_value(), value(), v[index].assign and scatter_nd_* need ops: installed by
    # gpuflow/ops/variable_ops.py.


def is_keras_variable(value) -> bool:
    """Whether ``value`` is a Keras 3 variable: a Variable with a Keras path (a layer weight,
    a ``keras.Variable``, an optimizer's, metric's or SeedGenerator's variable), as opposed to
    a plain ``tf.Variable``, which Keras 3 layers do not track."""
    return isinstance(value, Variable) and value._path is not None
