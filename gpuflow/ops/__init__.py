"""Differentiable ops on Tensors; importing this package installs Tensor's operators."""
from . import operators  # noqa: F401  (installs +, @, [], ... on Tensor)
