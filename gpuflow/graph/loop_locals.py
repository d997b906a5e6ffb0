"""A variable first assigned in the body of a ``while_loop`` (autograph.py's
``_StepLocals``), read after a loop that ran no step: TensorFlow's InvalidArgumentError
("loop must iterate at least once to initialize sq") when the value is used, nothing when
it is not (a compiled call skips the check of an unused value, as any unused op)."""

from __future__ import annotations

from .._deferred_error import FailedResult
from ..autodiff.function import Function
from ..errors import InvalidArgumentError
from ..tensor import Tensor


class LoopInitialized(Function):
    """``value`` once the loop ran a step (``stepped``); the gradient passes to ``value``."""

    keeps_strings = True

    def __init__(self, message: str) -> None:
        self.message = message

    def forward(self, value, stepped):
        if not bool(stepped):
            raise InvalidArgumentError(None, "Assert", self.message)
        return value.view()

    def backward(self, F, g):
        return (g, None)


def initialized(value, stepped: Tensor, message: str):
    """``value`` after the loop; ``stepped``: whether the loop ran a step (a bool tensor)."""
    if not isinstance(value, Tensor):
        return value
    if not bool(stepped._data):  # no step now: raised when (if) the value is used
        return FailedResult(InvalidArgumentError(None, "Assert", message))
    return LoopInitialized(message)(value, stepped)
