"""An op that fails while ``gpuflow.function`` traces, whose result may go unused.

TensorFlow runs only the operations a function's outputs and side effects need, so an
unused ``tf.gather(x, [1])`` on a length-1 tensor raises nothing inside ``tf.function``
(it does eagerly). A trace here runs each op on the traced values: a stateless op that
fails, called from the user's code, returns a :class:`FailedResult` instead of raising,
and its error is raised when anything uses that result (another op, an output of the
function, a variable assignment, reading it in Python). A leaf module: imports nothing
from gpuflow.
"""

from __future__ import annotations

_OWN = frozenset({"_failed_error", "__class__", "_raise"})


class FailedResult:
    """The result of an op that failed while tracing: using it raises that op's error."""

    __slots__ = ("_failed_error",)

    def __init__(self, error: BaseException) -> None:
        object.__setattr__(self, "_failed_error", error)

    def __getattribute__(self, name):
        if name in _OWN:
            return object.__getattribute__(self, name)
        raise object.__getattribute__(self, "_failed_error")

    def __setattr__(self, name, value):
        raise object.__getattribute__(self, "_failed_error")

    def _raise(self, *args, **kwargs):
        raise object.__getattribute__(self, "_failed_error")

    def __repr__(self) -> str:
        error = object.__getattribute__(self, "_failed_error")
        return f"<result of a failed op: {type(error).__name__}: {error}>"

    __str__ = __repr__


# Python looks special methods up on the type: each one raises the op's error.
for _name in (
    "__add__ __radd__ __sub__ __rsub__ __mul__ __rmul__ __truediv__ __rtruediv__ "
    "__floordiv__ __rfloordiv__ __mod__ __rmod__ __pow__ __rpow__ __matmul__ __rmatmul__ "
    "__neg__ __pos__ __abs__ __invert__ __and__ __rand__ __or__ __ror__ __xor__ __rxor__ "
    "__lt__ __le__ __gt__ __ge__ __getitem__ __setitem__ __len__ __iter__ __bool__ "
    "__float__ __int__ __index__ __array__ __format__ __call__ __contains__"
).split():
    setattr(FailedResult, _name, FailedResult._raise)
del _name


def failed_in(values):
    """The first FailedResult among ``values`` (a list of arguments, looking one level
    into lists, tuples and dict values), or None."""
    for value in values:
        if type(value) is FailedResult:
            return value
        if type(value) in (list, tuple):
            found = failed_in(value)
            if found is not None:
                return found
        elif type(value) is dict:
            found = failed_in(list(value.values()))
            if found is not None:
                return found
    return None


def raise_if_failed(flat_values) -> None:
    """Raise the error of a FailedResult among ``flat_values`` (a function's outputs)."""
    for value in flat_values:
        if type(value) is FailedResult:
            raise object.__getattribute__(value, "_failed_error")
