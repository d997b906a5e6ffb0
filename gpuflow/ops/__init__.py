"""Differentiable ops on Tensors; importing this package installs Tensor's operators."""

from .. import dtypes
from . import operators  # noqa: F401  (installs +, @, [], ... on Tensor)
from .cast import cast
from .saturate import saturate_cast

# tf.dtypes.cast / tf.dtypes.saturate_cast: installed here rather than imported by
# gpuflow.dtypes, which the tensor imports and so must not import the ops.
dtypes.cast = cast
dtypes.saturate_cast = saturate_cast
