"""Reverse-mode autodiff: Function, the graph walk, GradientTape."""
from .function import Function
from .tape import GradientTape, no_grad, stop_gradient

__all__ = ["Function", "GradientTape", "no_grad", "stop_gradient"]
