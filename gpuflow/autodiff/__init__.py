"""Reverse-mode autodiff: Function, the graph walk, GradientTape (nestable)."""

from .function import Function
from .tape import GradientTape, UnconnectedGradients, no_grad, stop_gradient

__all__ = ["Function", "GradientTape", "UnconnectedGradients", "no_grad", "stop_gradient"]
