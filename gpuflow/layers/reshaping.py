"""Reshaping layers: Permute and RepeatVector (Reshape and Flatten live in core)."""

from __future__ import annotations

from ..ops.shape import expand_dims, tile, transpose
from ._args import check_rank, positive_int
from .base import Layer


class Permute(Layer):
    """Permutes the axes of each example: ``dims`` is a permutation of ``1..rank-1``
    (the batch axis stays first), e.g. ``Permute((2, 1))`` swaps the two axes of ``[N, A, B]``.
    As Keras, an input mask does not pass through (its time axis may have moved)."""

    supports_masking = False
    _cast_int_inputs = False  # Keras 3 keeps an integer input's dtype

    def __init__(self, dims, **kwargs) -> None:
        super().__init__(**kwargs)
        dims = tuple(int(d) for d in dims)
        if sorted(dims) != list(range(1, len(dims) + 1)):
            raise ValueError(
                f"{self._where()}: dims must be a permutation of 1..{len(dims)} (the "
                f"batch axis 0 is never moved), received dims={dims}"
            )
        self.dims = dims

    def call(self, inputs):
        if inputs.ndim != len(self.dims) + 1:
            raise ValueError(
                f"{self._where()}: dims={self.dims} needs input of rank "
                f"{len(self.dims) + 1}, received shape {tuple(inputs.shape)}"
            )
        return transpose(inputs, (0,) + self.dims)

    def compute_output_shape(self, input_shape) -> tuple:
        shape = tuple(input_shape)
        return (shape[0],) + tuple(shape[d] for d in self.dims)

    def get_config(self) -> dict:
        return {**super().get_config(), "dims": tuple(self.dims)}


class RepeatVector(Layer):
    """Repeats a ``[batch, features]`` input ``n`` times: ``[batch, n, features]``."""

    _cast_int_inputs = False  # Keras 3 keeps an integer input's dtype

    def __init__(self, n, **kwargs) -> None:
        super().__init__(**kwargs)
        self.n = positive_int(n, "n", self._where())

    def call(self, inputs):
        check_rank(self, inputs.shape, 2, "[batch, features]")
        return tile(expand_dims(inputs, 1), (1, self.n, 1))

    def compute_output_shape(self, input_shape) -> tuple:
        check_rank(self, input_shape, 2, "[batch, features]")
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self) -> dict:
        return {**super().get_config(), "n": self.n}
