"""The projections of the attention layers, Keras 3's EinsumDense sublayers: ``query``,
``key``, ``value`` (and ``gate``) ``[B, ..., D] -> [B, ..., heads, size]`` and
``attention_output`` ``[B, ..., heads, size] -> [B, ..., out]``, with the equations Keras
builds for the input's rank. Being EinsumDense layers they quantize (int8, float8) and take
LoRA as Keras'; unquantized, each runs as one matrix product."""

from __future__ import annotations

import math
import string

from ...ops.linalg import matmul
from ...ops.shape import reshape
from ..einsum_dense import EinsumDense


def projection_equation(free_dims: int, bound_dims: int, output_dims: int) -> tuple[str, str]:
    """Keras' ``_build_proj_equation``: the einsum equation of a projection contracting the
    last ``bound_dims`` of an input with ``free_dims`` other axes into ``output_dims`` new
    axes, and its bias axes (the new ones)."""
    letters = string.ascii_lowercase
    free = letters[:free_dims]
    bound = letters[free_dims : free_dims + bound_dims]
    out = letters[free_dims + bound_dims : free_dims + bound_dims + output_dims]
    return f"{free}{bound},{bound}{out}->{free}{out}", out


class _Projection(EinsumDense):
    """An EinsumDense contracting the input's last ``bound_dims`` axes into ``out_dims``,
    its equation made for the input's rank when built (as Keras' MultiHeadAttention builds
    them), or the fixed rank-3 ``equation`` given as ``(equation, bias_axes)``."""

    #: Keras 3's attention takes the masks off its inputs before projecting them: no warning
    drops_mask_silently = True

    def __init__(
        self,
        bound_dims: int,
        out_dims: tuple,
        kernel_initializer,
        bias_initializer,
        use_bias,
        kernel_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        equation=None,
        **kwargs,
    ) -> None:
        self._fixed_equation = equation is not None  # (equation, bias axes) of a rank-3 layer
        equation, bias_axes = equation or projection_equation(2, bound_dims, len(out_dims))
        super().__init__(
            equation,
            (None,) + tuple(out_dims),
            bias_axes=bias_axes if use_bias else None,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
        self._bound_dims, self._out_dims = bound_dims, tuple(out_dims)

    def build(self, input_shape) -> None:
        if self._fixed_equation:
            super().build(input_shape)
            return
        free = len(input_shape) - self._bound_dims
        self.equation, bias_axes = projection_equation(free, self._bound_dims, len(self._out_dims))
        if self.bias_axes is not None:
            self.bias_axes = bias_axes
        self.partial_output_shape = (None,) * (free - 1) + self._out_dims
        super().build(input_shape)

    def call(self, inputs, training=None):
        if self.quantization_mode is not None:
            return super().call(inputs, training)
        kernel = self._lora_adapted(self._read(self._kernel))
        bound = math.prod(kernel.shape[: self._bound_dims])
        lead = tuple(inputs.shape[: inputs.ndim - self._bound_dims])
        flat = inputs if self._bound_dims == 1 else reshape(inputs, lead + (bound,))
        y = matmul(flat, reshape(kernel, (bound, -1)))
        if len(self._out_dims) > 1:
            y = reshape(y, lead + self._out_dims)
        if self.bias is not None:
            y = y + self._read(self.bias)
        return self.activation(y)


class _HeadProjection(_Projection):
    """``[B, ..., D] -> [B, ..., heads, size]``: kernel ``[D, heads, size]``, bias
    ``[heads, size]`` (Keras' ``"abc,cde->abde"`` for rank-3 inputs)."""

    def __init__(self, heads, size, *args, **kwargs) -> None:
        super().__init__(1, (heads, size), *args, **kwargs)
        self.heads, self.size = heads, size


class _OutputProjection(_Projection):
    """``[B, ..., heads, size] -> [B, ..., out]``: kernel ``[heads, size, out]``, bias
    ``[out]`` (Keras' ``"abcd,cde->abe"`` for rank-4 inputs)."""

    def __init__(self, out, *args, **kwargs) -> None:
        super().__init__(2, (out,), *args, **kwargs)
        self.out = out
