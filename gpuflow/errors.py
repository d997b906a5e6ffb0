"""``tf.errors``: TensorFlow's exception classes, each also the Python exception of its case.

Every class keeps TensorFlow's constructor ``(node_def, op, message)`` and attributes
(``message``, ``op``, ``node_def``, ``error_code``), and also subclasses the built-in
exception that gpuflow raised for the same case before these classes existed, so that code
catching either keeps working:

====================  =====================  ==============================================
class                 also a                 raised by gpuflow for
====================  =====================  ==============================================
InvalidArgumentError  ValueError             op shape/argument errors, bad checkpoints
NotFoundError         FileNotFoundError      missing files and checkpoint keys
AlreadyExistsError    FileExistsError        ``overwrite=False`` onto an existing file
OutOfRangeError       IndexError             ``iterator.get_next()`` past the end
ResourceExhaustedError MemoryError           device out of memory
UnimplementedError    NotImplementedError    features gpuflow does not have
FailedPreconditionError RuntimeError         state not ready (e.g. not compiled)
PermissionDeniedError PermissionError        -
DeadlineExceededError TimeoutError           -
UnavailableError      RuntimeError           -
DataLossError         ValueError             corrupt files
====================  =====================  ==============================================

``OutOfRangeError`` is an ``IndexError`` and not a ``StopIteration``: as in TensorFlow, the
Python iterator protocol (``next(iterator)``) ends with ``StopIteration``, while
``get_next()`` raises ``OutOfRangeError``; a ``StopIteration`` subclass escaping a generator
would turn into ``RuntimeError``.

A leaf module: it imports nothing from gpuflow, so every layer of the package can raise
these.
"""

from __future__ import annotations

OK = 0
CANCELLED = 1
UNKNOWN = 2
INVALID_ARGUMENT = 3
DEADLINE_EXCEEDED = 4
NOT_FOUND = 5
ALREADY_EXISTS = 6
PERMISSION_DENIED = 7
RESOURCE_EXHAUSTED = 8
FAILED_PRECONDITION = 9
ABORTED = 10
OUT_OF_RANGE = 11
UNIMPLEMENTED = 12
INTERNAL = 13
UNAVAILABLE = 14
DATA_LOSS = 15
UNAUTHENTICATED = 16


class OpError(Exception):
    """The base class of the errors an op raises while it runs (``tf.errors.OpError``).

    Args:
        node_def: TensorFlow's graph node of the failing op; gpuflow has none and passes
            ``None``. A lone string argument is taken as the message, so that
            ``InvalidArgumentError("text")`` works as a Python exception does.
        op: the name of the failing op (a string in gpuflow), or ``None``.
        message: what went wrong.
        error_code: one of the module's codes (default: the class's own).
    """

    _code = UNKNOWN

    def __init__(self, node_def=None, op=None, message=None, error_code=None, *args) -> None:
        if message is None and op is None and isinstance(node_def, str):
            node_def, message = None, node_def
        message = "" if message is None else str(message)
        # Exception.__init__ directly: OSError's would read the message as an errno.
        Exception.__init__(self, message)
        self._node_def = node_def
        self._op = op
        self._message = message
        self._error_code = self._code if error_code is None else int(error_code)
        self._experimental_payloads = {}

    @property
    def message(self) -> str:
        """The error message."""
        return self._message

    @property
    def op(self):
        """The failing op's name, or ``None``."""
        return self._op

    @property
    def node_def(self):
        """Always ``None`` in gpuflow (no graph nodes); kept for TensorFlow's API."""
        return self._node_def

    @property
    def error_code(self) -> int:
        """The integer code, e.g. ``tf.errors.INVALID_ARGUMENT``."""
        return self._error_code

    @property
    def experimental_payloads(self) -> dict:
        return self._experimental_payloads

    def __str__(self) -> str:
        return self._message

    def __reduce__(self):
        return type(self), (self._node_def, self._op, self._message, self._error_code)


def _error(name: str, code: int, python_base, doc: str):
    bases = (OpError,) if python_base is None else (OpError, python_base)
    return type(name, bases, {"__doc__": doc, "_code": code, "__module__": __name__})


CancelledError = _error("CancelledError", CANCELLED, None, "An operation was cancelled.")
UnknownError = _error("UnknownError", UNKNOWN, None, "An error of no other kind.")
InvalidArgumentError = _error(
    "InvalidArgumentError",
    INVALID_ARGUMENT,
    ValueError,
    "An op received an invalid argument (shape, value, axis); also a ``ValueError``.",
)
DeadlineExceededError = _error(
    "DeadlineExceededError",
    DEADLINE_EXCEEDED,
    TimeoutError,
    "A deadline expired; also a ``TimeoutError``.",
)
NotFoundError = _error(
    "NotFoundError",
    NOT_FOUND,
    FileNotFoundError,
    "A file or entry was not found; also a ``FileNotFoundError``.",
)
AlreadyExistsError = _error(
    "AlreadyExistsError",
    ALREADY_EXISTS,
    FileExistsError,
    "An entity to create already exists; also a ``FileExistsError``.",
)
PermissionDeniedError = _error(
    "PermissionDeniedError",
    PERMISSION_DENIED,
    PermissionError,
    "Permission denied; also a ``PermissionError``.",
)
UnauthenticatedError = _error(
    "UnauthenticatedError",
    UNAUTHENTICATED,
    PermissionError,
    "No valid credentials; also a ``PermissionError``.",
)
ResourceExhaustedError = _error(
    "ResourceExhaustedError",
    RESOURCE_EXHAUSTED,
    MemoryError,
    "A resource (device memory) ran out; also a ``MemoryError``.",
)
FailedPreconditionError = _error(
    "FailedPreconditionError",
    FAILED_PRECONDITION,
    RuntimeError,
    "The system is not in a state to run the op; also a ``RuntimeError``.",
)
AbortedError = _error("AbortedError", ABORTED, None, "An operation was aborted.")
OutOfRangeError = _error(
    "OutOfRangeError",
    OUT_OF_RANGE,
    IndexError,
    "Iteration past the end (``get_next()`` on an exhausted iterator); also an ``IndexError``.",
)
UnimplementedError = _error(
    "UnimplementedError",
    UNIMPLEMENTED,
    NotImplementedError,
    "The operation is not implemented; also a ``NotImplementedError``.",
)
InternalError = _error("InternalError", INTERNAL, None, "An internal invariant broke.")
UnavailableError = _error(
    "UnavailableError",
    UNAVAILABLE,
    RuntimeError,
    "A service or device is unavailable; also a ``RuntimeError``.",
)
DataLossError = _error(
    "DataLossError",
    DATA_LOSS,
    ValueError,
    "Unrecoverable data loss or corruption; also a ``ValueError``.",
)


class OperatorNotAllowedInGraphError(TypeError):
    """An operator that graph tracing cannot express (``tf.errors`` name)."""


_BY_CODE = {
    cls._code: cls
    for cls in (
        CancelledError,
        UnknownError,
        InvalidArgumentError,
        DeadlineExceededError,
        NotFoundError,
        AlreadyExistsError,
        PermissionDeniedError,
        ResourceExhaustedError,
        FailedPreconditionError,
        AbortedError,
        OutOfRangeError,
        UnimplementedError,
        InternalError,
        UnavailableError,
        DataLossError,
        UnauthenticatedError,
    )
}


def exception_type_from_error_code(error_code: int) -> type:
    """The ``OpError`` subclass of ``error_code`` (``tf.errors`` function)."""
    try:
        return _BY_CODE[int(error_code)]
    except KeyError:
        raise KeyError(
            f"exception_type_from_error_code: unknown error code {error_code!r}; "
            f"expected one of {sorted(_BY_CODE)}"
        ) from None


def error_code_from_exception_type(cls: type) -> int:
    """The code of an ``OpError`` subclass (``tf.errors`` function)."""
    if not (isinstance(cls, type) and issubclass(cls, OpError)):
        raise TypeError(
            f"error_code_from_exception_type: expected an OpError subclass, received {cls!r}"
        )
    return cls._code


def invalid_argument(op: str, message: str) -> InvalidArgumentError:
    """The ``InvalidArgumentError`` of op ``op``: message ``"{op}: {message}"``, ``.op == op``."""
    return InvalidArgumentError(None, op, f"{op}: {message}")


__all__ = [name for name in dir() if name.isupper() or name.endswith("Error")] + [
    "exception_type_from_error_code",
    "error_code_from_exception_type",
]
