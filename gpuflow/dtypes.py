"""Data types: TensorFlow's DType objects, conversion, promotion and the accumulation dtype.

``gpuflow.float32`` is a :class:`DType` with TensorFlow's attributes (``is_floating``,
``as_numpy_dtype``, ``min``, ``max``, ...). It converts to and compares equal to NumPy's
dtype of the same name (``np.dtype(gpuflow.float32)``, ``gpuflow.float32 == "float32"``),
so it can be handed to NumPy and CuPy directly; a Tensor's ``.dtype`` is one.

Promotion (``promote``): floats win over integers and keep their width (``int32 +
float32`` is float32; float64 only when an operand is float64); two floats give the wider;
integers promote as in NumPy; Python scalars take the tensor's dtype (``scalar_dtype``);
complex64 / complex128 hold complex values (a complex operand makes the result complex, wide
enough for a float64 partner); gradients through complex values are not supported.

bfloat16 is ``ml_dtypes.bfloat16`` (NumPy has none; TensorFlow and JAX use the same type):
its NumPy dtype has kind ``'V'``, so :class:`DType` reports kind ``'f'`` for it and
:func:`is_float_np` is the test for raw arrays; it accumulates in float32 as float16 does.
"""

from __future__ import annotations

import ml_dtypes
import numpy as np

from .config import settings as config


class DType:
    """A tensor element type, as ``tf.dtypes.DType``."""

    __slots__ = ("_np",)

    def __init__(self, np_dtype) -> None:
        self._np = np.dtype(np_dtype)

    # NumPy and CuPy accept any object with a ``dtype`` attribute where a dtype goes.
    @property
    def dtype(self) -> np.dtype:
        return self._np

    @property
    def name(self) -> str:
        return "string" if self._np.kind == "O" else self._np.name

    @property
    def as_numpy_dtype(self):
        return self._np.type

    @property
    def as_datatype_enum(self) -> int:
        return _ENUMS[self.name]

    @property
    def is_floating(self) -> bool:
        return self._np.kind == "f" or self._np == _BF16

    @property
    def is_integer(self) -> bool:
        return self._np.kind in "iu"

    @property
    def is_unsigned(self) -> bool:
        return self._np.kind in "ub"

    @property
    def is_bool(self) -> bool:
        return self._np.kind == "b"

    @property
    def is_complex(self) -> bool:
        return self._np.kind == "c"

    @property
    def is_quantized(self) -> bool:
        return False

    @property
    def is_numeric(self) -> bool:
        """Integers, floats and complex numbers (not bool, not string), as TensorFlow."""
        return self.is_integer or self.is_floating or self.is_complex

    @property
    def is_numpy_compatible(self) -> bool:
        return True

    @property
    def base_dtype(self) -> "DType":
        return self

    @property
    def real_dtype(self) -> "DType":
        if self._np.kind == "c":
            return float32 if self._np.itemsize == 8 else float64
        return self

    @property
    def size(self) -> int:
        return 0 if self._np.kind == "O" else self._np.itemsize

    @property
    def min(self):
        if self.is_bool:
            return False
        return info(self._np).min

    @property
    def max(self):
        if self.is_bool:
            return True
        return info(self._np).max

    @property
    def limits(self) -> tuple:
        return self.min, self.max

    def is_compatible_with(self, other) -> bool:
        return self == other

    # the NumPy dtype attributes the rest of gpuflow reads (bfloat16 reads as a float: 'f')
    @property
    def kind(self) -> str:
        return "f" if self._np == _BF16 else self._np.kind

    @property
    def itemsize(self) -> int:
        return self._np.itemsize

    @property
    def type(self):
        return self._np.type

    @property
    def char(self) -> str:
        return self._np.char

    @property
    def str(self) -> str:  # noqa: A003 - NumPy's attribute
        return self._np.str

    def __eq__(self, other) -> bool:
        if other.__class__ is DType:
            return self._np == other._np
        if isinstance(other, np.dtype):
            return self._np == other
        if isinstance(other, str):
            found = _BY_NAME.get(other)
            if found is not None:
                return self._np == found._np
        if other is None:
            return False
        try:
            return self._np == np.dtype(
                getattr(other, "name", other) if not isinstance(other, (type, np.dtype)) else other
            )
        except (TypeError, ValueError):
            return False

    def __ne__(self, other) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(self._np)

    def __reduce__(self):
        return as_dtype, (self.name,)

    def __repr__(self) -> str:
        return f"tf.{self.name}"

    def __str__(self) -> str:  # TensorFlow's text: print(tf.float32) shows <dtype: 'float32'>
        return f"<dtype: '{self.name}'>"


_BF16 = np.dtype(ml_dtypes.bfloat16)


def info(np_dtype):
    """finfo / iinfo of a NumPy dtype (ml_dtypes' finfo for bfloat16)."""
    if np_dtype == _BF16:
        return ml_dtypes.finfo(np_dtype)
    return np.finfo(np_dtype) if np_dtype.kind == "f" else np.iinfo(np_dtype)


float16 = DType("float16")
bfloat16 = DType(_BF16)
float32 = DType("float32")
float64 = DType("float64")
int8 = DType("int8")
uint8 = DType("uint8")
int16 = DType("int16")
uint16 = DType("uint16")
int32 = DType("int32")
uint32 = DType("uint32")
int64 = DType("int64")
uint64 = DType("uint64")
bool_ = DType("bool")
# tf.string: host-only tensors of NumPy object arrays holding ``bytes`` (gpuflow/strings).
string = DType(object)
complex64 = DType("complex64")
complex128 = DType("complex128")
half, double = float16, float64

FLOAT_TYPES = (float16, bfloat16, float32, float64)
SUPPORTED = (
    float16,
    float32,
    float64,
    bfloat16,
    int8,
    uint8,
    int16,
    uint16,
    int32,
    uint32,
    int64,
    uint64,
    bool_,
    complex64,
    complex128,
)
SUPPORTED_NP = frozenset(d._np for d in SUPPORTED)  # the NumPy dtypes: a set lookup
_BY_NP = {
    d._np: d
    for d in (
        float16,
        bfloat16,
        float32,
        float64,
        int8,
        uint8,
        int16,
        uint16,
        int32,
        uint32,
        int64,
        uint64,
        bool_,
        string,
        complex64,
        complex128,
    )
}
# gpuflow has no quantized dtypes: TensorFlow's are the integer dtypes of their width here
# (tf.quantization.quantize / dequantize store the same numbers), so tf.qint8 == tf.int8.
qint8, quint8, qint16, quint16, qint32 = int8, uint8, int16, uint16, int32
_ALIASES = {
    "bool": bool_,
    "half": float16,
    "float": float32,
    "double": float64,
    "qint8": int8,
    "quint8": uint8,
    "qint16": int16,
    "quint16": uint16,
    "qint32": int32,
}
_BY_NAME = {**{d.name: d for d in _BY_NP.values()}, **_ALIASES}
# as_dtype also accepts tf.string (and str/bytes/object, as TensorFlow does)
_SUPPORTED_NP = frozenset(d._np for d in SUPPORTED) | {string._np}
_ENUMS = {
    "float32": 1,
    "float64": 2,
    "int32": 3,
    "uint8": 4,
    "int16": 5,
    "int8": 6,
    "int64": 9,
    "bool": 10,
    "uint16": 17,
    "float16": 19,
    "bfloat16": 14,
    "string": 7,
    "uint32": 22,
    "uint64": 23,
    "complex64": 8,
    "complex128": 18,
}
_BY_ENUM = {number: _BY_NAME[name] for name, number in _ENUMS.items()}


class DTypeName(str):
    """A dtype's name (``"float32"``), as Keras 3 gives ``KerasTensor.dtype``.

    It is a ``str`` (prints, compares and hashes as the name; ``x.dtype == "float32"``
    and ``x.dtype == tf.float32`` both hold, as in TensorFlow); code written for tf.keras 2,
    where it was a DType, still reads the DType's attributes from it (``x.dtype.name``,
    ``.is_floating``, ``.as_numpy_dtype``) and NumPy's (``.kind``, ``.itemsize``).
    """

    __slots__ = ()

    def __getattr__(self, attr: str):
        if attr.startswith("__"):
            raise AttributeError(attr)
        dtype = as_dtype(str(self))
        try:
            return getattr(dtype, attr)
        except AttributeError:
            return getattr(np.dtype(dtype.as_numpy_dtype), attr)


_KERAS_NAMES: dict = {}


def keras_name(dtype: DType) -> DTypeName:
    """``dtype``'s name as Keras 3 gives a KerasTensor's or a Keras variable's ``.dtype``."""
    found = _KERAS_NAMES.get(dtype)
    if found is None:
        found = _KERAS_NAMES[dtype] = DTypeName(dtype.name)
    return found


def of(np_dtype) -> DType:
    """The DType of a NumPy/CuPy dtype (a Tensor's ``.dtype``)."""
    found = _BY_NP.get(np_dtype)
    return found if found is not None else DType(np_dtype)


def _np(dtype) -> np.dtype:
    """``dtype`` (a DType, NumPy dtype, type or name) as a NumPy dtype, fast for the first two."""
    if dtype.__class__ is DType:
        return dtype._np
    return dtype if isinstance(dtype, np.dtype) else np.dtype(dtype)


def as_dtype(value, where: str = "dtype") -> DType:
    """Normalize ``value`` (a DType, name, NumPy/CuPy dtype or type) to a DType, as
    ``tf.as_dtype``.

    Raises:
        TypeError: naming ``where`` and the value, when it is not a supported dtype.
    """
    if value.__class__ is DType and value._np in _SUPPORTED_NP:
        return value
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        found = _BY_ENUM.get(int(value))  # tf.as_dtype(2) is float64 (TF's DataType enum)
        if found is not None:
            return found
    if value in (str, bytes, np.str_, np.bytes_, object):
        return string
    if isinstance(value, str):
        found = _BY_NAME.get(value)
        if found is not None and found._np in _SUPPORTED_NP:
            return found
    try:
        dtype = np.dtype(getattr(value, "name", value) if not isinstance(value, type) else value)
    except TypeError:
        dtype = None
    found = _BY_NP.get(dtype) if dtype is not None else None
    if found is None or found._np not in _SUPPORTED_NP:
        names = ", ".join(d.name for d in SUPPORTED)
        raise TypeError(f"{where}: expected one of {names}, received {value!r}")
    return found


def floatx() -> DType:
    """The default float dtype (``gpuflow.config.set_floatx`` changes it)."""
    return _BY_NAME[config.floatx()]


def is_floating(dtype) -> bool:
    return is_float_np(_np(dtype))


def kind(np_dtype) -> str:
    """A NumPy/CuPy dtype's (or DType's) kind letter, with bfloat16 a float ('f', not 'V')."""
    k = np_dtype.kind
    return "f" if k == "V" and np_dtype == _BF16 else k


def is_float_np(np_dtype) -> bool:
    """Whether a NumPy/CuPy dtype holds floats: kind 'f', or bfloat16 (kind 'V')."""
    return np_dtype.kind == "f" or np_dtype == _BF16


def is_integer(dtype) -> bool:
    return _np(dtype).kind in "iu"


def accumulation_dtype(dtype) -> np.dtype:
    """The NumPy dtype sums and matmuls accumulate in: float32 for float16, else the dtype."""
    if dtype.__class__ is DType:
        dtype = dtype._np
    elif not isinstance(dtype, np.dtype):
        dtype = np.dtype(dtype)
    return _F32 if dtype == _F16 or dtype == _BF16 else dtype


_F16, _F32 = np.dtype("float16"), np.dtype("float32")
#: the half-width floats that compute in float32 on the CPU (NumPy has no fast GEMM for them)
HALF_NP = frozenset((_F16, _BF16))


class _NumpyBehavior:
    """What ``tnp.experimental_enable_numpy_behavior`` switched on (process-wide, as in
    TensorFlow): with ``enabled``, mixed tensor dtypes promote as NumPy (``int32 + float32``
    is float64) and a Python float next to an integer tensor is float64, or float32 with
    ``prefer_float32`` (which also picks tnp's default float)."""

    enabled = False
    prefer_float32 = False
    #: TensorFlow's ``dtype_conversion_mode``: "safe" and "all" let a tensor convert
    #: implicitly to a dtype it promotes to (``implicit_conversion_allowed``)
    conversion_mode = "legacy"


numpy_behavior = _NumpyBehavior()


def implicit_conversion_allowed(source, target) -> bool:
    """Whether TensorFlow's ``"safe"`` / ``"all"`` dtype conversion mode converts a tensor
    of ``source`` to ``target`` by itself (``variable.assign_add(int16 tensor)`` on an
    int32 variable): when promoting the two gives ``target``. That is NumPy's safe cast,
    bfloat16 counting as float16 (neither holds the other); ``"all"`` adds any integer to
    any float or complex. False in the other modes."""
    mode = numpy_behavior.conversion_mode
    if mode not in ("safe", "all"):
        return False
    source, target = np.dtype(source), np.dtype(target)
    if source == target:
        return True
    if mode == "all" and source.kind in "iu" and (target.kind in "fc" or target == _BF16):
        return True
    if _BF16 in (source, target):
        if {source, target} == {_BF16, _F16}:
            return False
        source = _F16 if source == _BF16 else source
        target = _F16 if target == _BF16 else target
    return bool(np.can_cast(source, target, "safe"))


def promote(*dtypes) -> np.dtype:
    """The dtype of an op on tensors of ``dtypes``.

    Floats win over integers and bools and keep their own width (``int32 + float32`` is
    float32, never float64 unless an operand is float64); two floats give the wider;
    integers promote as in NumPy (``int32 + int64`` is int64); bool gives way to anything.
    """
    kinds = [np.dtype(d) for d in dtypes]
    if numpy_behavior.enabled and _BF16 not in kinds:
        return of(np.result_type(*kinds))
    complexes = [d for d in kinds if d.kind == "c"]
    if complexes:  # wide enough for every operand: complex64 with float64 is complex128
        width = max(
            [d.itemsize for d in complexes] + [2 * d.itemsize for d in kinds if is_float_np(d)]
        )
        return complex128 if width > 8 else complex64
    floats = [d for d in kinds if is_float_np(d)]
    if floats:
        widest = max(floats, key=lambda d: d.itemsize)
        if widest.itemsize == 2 and _F16 in floats and _BF16 in floats:
            return float32  # float16 with bfloat16: neither holds the other's values
        return of(widest)
    return of(np.result_type(*kinds))


def scalar_dtype(value, partner: np.dtype | None) -> np.dtype:
    """The dtype a Python scalar takes next to a tensor of ``partner`` dtype.

    Python scalars never upcast a tensor (``x_f16 * 2.0`` stays float16), as in
    TensorFlow and NumPy 2; a float scalar next to an integer tensor makes the
    result the default float type, and a lone scalar takes the defaults.
    """
    if isinstance(value, (bool, np.bool_)):
        return partner if partner is not None else bool_
    if isinstance(value, (int, np.integer)):
        return partner if partner is not None and partner != bool_ else int32
    if isinstance(value, (float, np.floating)):
        # A complex tensor keeps its dtype too (z * 2.0 stays complex, as in TensorFlow).
        if partner is not None and (is_floating(partner) or np.dtype(partner).kind == "c"):
            return partner
        if numpy_behavior.enabled and partner is not None:
            return float32 if numpy_behavior.prefer_float32 else float64
        return floatx()
    if isinstance(value, (complex, np.complexfloating)):
        return partner if partner is not None and np.dtype(partner).kind == "c" else complex128
    raise TypeError(f"expected a number, received {type(value).__name__}")


#: names of tf.dtypes defined elsewhere (``complex``, a function: kept out of this module's
#: globals so that the builtin ``complex`` keeps its meaning here)
LATE_NAMES: dict = {}


def __getattr__(name: str):
    # ``tf.dtypes.bool`` without shadowing the builtin inside this module.
    if name == "bool":
        return bool_
    found = LATE_NAMES.get(name)  # tf.dtypes.complex: registered by ops/complex_ops.py
    if found is not None:
        return found
    raise AttributeError(f"module 'gpuflow.dtypes' has no attribute {name!r}")
