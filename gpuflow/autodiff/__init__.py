"""Reverse-mode autodiff: Function, the graph walk, GradientTape (nestable)."""

from .forward import ForwardAccumulator, recompute_grad
from .function import Function
from .tape import GradientTape, UnconnectedGradients, no_grad, stop_gradient

__all__ = [
    "ForwardAccumulator",
    "recompute_grad",
    "Function",
    "GradientTape",
    "UnconnectedGradients",
    "no_grad",
    "stop_gradient",
]
