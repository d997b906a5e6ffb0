"""CategoryEncoding: integer ids to one-hot, multi-hot or count vectors."""

from __future__ import annotations

from ..._tracing import host_call
from ...ops._common import as_tensor
from ...sparse.ops import from_dense
from ...symbolic_scope import in_symbolic_scope
from .._args import positive_int
from ..base import Layer
from ._encoding import check_mode, encode


class CategoryEncoding(Layer):
    """Encodes integer ids in ``[0, num_tokens)``.

    Args:
        num_tokens: the number of categories.
        output_mode: ``"multi_hot"`` (default; one row per sample, a rank-0 or rank-1 input
            is one sample), ``"one_hot"`` or ``"count"``.
        sparse: return a ``SparseTensor`` (the same values, zeros left out).

    Call: ``layer(ids, count_weights=None)`` (weights per id, for ``"count"``).
    """

    _allow_non_tensor_positional_args = True  # as Keras' data layers: lists, strings

    _cast_int_inputs = False

    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs) -> None:
        super().__init__(**kwargs)
        where = self._where()
        if num_tokens is None:
            raise ValueError(f"{where}: num_tokens must be set, received num_tokens=None")
        self.num_tokens = positive_int(num_tokens, "num_tokens", where)
        if output_mode == "binary":  # Keras 3's alias of "multi_hot"
            output_mode = "multi_hot"
        self.output_mode = check_mode(output_mode, where, ("one_hot", "multi_hot", "count"))
        self.sparse = bool(sparse)

    @host_call(effect=False)  # works on host arrays: one step of a compiled call
    def call(self, inputs, count_weights=None):
        if count_weights is not None and self.output_mode != "count":
            raise ValueError(
                f"{self._where()}: count_weights is only used with "
                "output_mode='count', "
                f"received output_mode={self.output_mode!r}"
            )
        if inputs.dtype.kind == "f":
            if not bool((inputs._data == inputs._data.round()).all()):
                raise ValueError(
                    f"{self._where()}: expected integer ids, received non-integer floats"
                )
        weights = None if count_weights is None else as_tensor(count_weights, device=inputs.device)
        out = encode(
            inputs, self.output_mode, self.num_tokens, self.compute_dtype, self._where(), weights
        )
        # the symbolic stage records a dense KerasTensor (sparse ones are not modelled);
        # the model's real calls pass the SparseTensor on (Dense takes it)
        return from_dense(out) if self.sparse and not in_symbolic_scope() else out

    def compute_output_shape(self, input_shape) -> tuple:
        shape = tuple(input_shape)
        if not shape:
            return (self.num_tokens,)
        if self.output_mode == "one_hot" and (shape[-1] != 1 or len(shape) == 1):
            return shape + (self.num_tokens,)
        return shape[:-1] + (self.num_tokens,)  # multi-hot, count: a rank-1 input is one sample

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "num_tokens": self.num_tokens,
            "output_mode": self.output_mode,
        }  # Keras 3 leaves `sparse` out of the config
