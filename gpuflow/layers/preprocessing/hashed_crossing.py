"""HashedCrossing: crosses two or more categorical features into ``num_bins`` bins, as
``keras.layers.HashedCrossing`` (``tf.sparse.cross_hashed`` underneath, the same bins)."""

from __future__ import annotations

import numpy as np

from ..._tracing import host_call
from ...ops._convert import as_tensor
from ...ops.shape import reshape
from ...sparse.cross import cross_hashed
from ...sparse.ops import to_dense
from ...tensor import Tensor
from ..base import Layer
from ._text_encoding import encode_ids, on_device

_MODES = ("int", "one_hot")


class HashedCrossing(Layer):
    """Hashes the cross of several features (a tuple of inputs) into ``num_bins`` bins.

    Args:
        num_bins: the number of bins.
        output_mode: ``"int"`` (bin indices, int64) or ``"one_hot"`` (float vectors).
        sparse: sparse outputs (not supported: an error).

    Inputs: a tuple or list of at least two tensors of the same shape, scalars, ``(batch,)``
    or ``(batch, 1)``, of integers or strings; the output has that shape (``"int"``) or
    that shape with a last axis of ``num_bins`` (``"one_hot"``).
    """

    _allow_non_tensor_positional_args = True  # as Keras' data layers: lists, strings

    _cast_int_inputs = False

    def __init__(self, num_bins, output_mode="int", sparse=False, name=None, dtype=None, **kwargs):
        if dtype is None:
            dtype = "int64" if output_mode == "int" else None
        super().__init__(name=name, dtype=dtype, **kwargs)
        where = self._where()
        if num_bins is None or int(num_bins) <= 0:
            raise ValueError(
                f"{where}: num_bins must be a positive integer, received num_bins={num_bins!r}"
            )
        if output_mode not in _MODES:
            raise ValueError(
                f"{where}: invalid value for output_mode; expected one of {_MODES}, received "
                f"output_mode={output_mode!r}"
            )
        if sparse:
            raise ValueError(f"{where}: sparse=True is not supported")
        self.num_bins = int(num_bins)
        self.output_mode = output_mode
        self.sparse = False
        self.built = True

    def _checked(self, inputs) -> list:
        where = self._where()
        if not isinstance(inputs, (tuple, list)) or len(inputs) < 2:
            raise ValueError(
                f"{where}: expected a tuple or list of at least two inputs to cross, received "
                f"{type(inputs).__name__}"
            )
        tensors = [x if isinstance(x, Tensor) else as_tensor(x) for x in inputs]
        first = tuple(tensors[0].shape)
        for t in tensors:
            shape = tuple(t.shape)
            if shape != first or len(shape) > 2 or (len(shape) == 2 and shape[-1] != 1):
                raise ValueError(
                    f"{where}: inputs must be scalars, (batch,) or (batch, 1) tensors of one "
                    f"shape, received shapes {[tuple(x.shape) for x in tensors]}"
                )
            if t.dtype.name != "string" and t.dtype.kind not in "iu":
                raise ValueError(
                    f"{where}: inputs must be integer or string tensors, received dtype "
                    f"{t.dtype.name}"
                )
        return tensors

    @host_call(effect=False)  # works on host values: one step of a compiled call
    def call(self, inputs):
        tensors = self._checked(inputs)
        shape = tuple(tensors[0].shape)
        columns = [reshape(x, (-1, 1)) for x in tensors]  # cross_hashed takes [batch, 1]
        bins = to_dense(cross_hashed(columns, num_buckets=self.num_bins)).numpy()
        bins = np.asarray(bins, np.int64).reshape(shape)
        if self.output_mode == "int":
            return on_device(bins)
        return on_device(encode_ids(bins, "one_hot", self.num_bins).astype(self.compute_dtype))

    def compute_output_shape(self, input_shape) -> tuple:
        shape = tuple(input_shape[0])  # one shape per crossed input, all the same
        if self.output_mode == "one_hot" and shape and shape[-1] == 1:
            shape = shape[:-1]
        return shape if self.output_mode == "int" else shape + (self.num_bins,)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "num_bins": self.num_bins,
            "output_mode": self.output_mode,
            "sparse": False,
        }
