"""Keras 3's int4 quantization of ``Embedding`` (``layer.quantize("int4")``).

The table ``(input_dim, output_dim)`` is stored as int8 bytes of shape
``(input_dim, ceil(output_dim / 2))``, two int4 values per byte along a row. Per channel
(``block_size`` None or -1): symmetric, one float32 scale per row (``7 / max|row|``,
``row ~= q / embeddings_scale``). Sub-channel (the default ``block_size=128``):
asymmetric per group of ``block_size`` columns of a row, ``embeddings_scale`` and
``embeddings_zero`` of shape ``(input_dim, n_groups)``, the column to group map in
``g_idx``. As Keras 3.15; LoRA on int4 weights is refused.
"""

from __future__ import annotations

import math

import numpy as np

from ..autodiff import no_grad
from ..ops.cast import cast
from ..ops.indexing import gather
from ..ops.math import divide, multiply, subtract
from ..ops.shape import expand_dims
from .int4_weights import (
    Int4Common,
    check_int4_request,
    drop_float_weight,
    grouped_quantize,
    int4_block_size,
    pack_last_axis,
    per_channel_quantize,
    unpack_last_axis,
)
from .quantize_checks import resolved_config

_NAMES = ("embeddings_scale", "embeddings_zero", "g_idx")


class Int4EmbeddingWeight(Int4Common):
    """The int4 half of ``Embedding`` (before :class:`Int8Weight` in its bases); Keras' file
    order: embeddings, then embeddings_scale[, embeddings_zero, g_idx]."""

    _int4_head = "_embeddings"
    _int4_tail = _NAMES

    def quantize(self, mode=None, type_check=True, config=None) -> None:
        """``mode="int4"`` here; other modes go to the int8 half."""
        config = resolved_config(mode, config)
        if not check_int4_request(self, mode, type_check, config):
            return super().quantize(mode, type_check=type_check, config=config)
        if "int4" not in type(self)._quantization_modes:  # ReversibleEmbedding's reverse call
            raise NotImplementedError(
                f"{self._where()}: gpuflow implements int4 for Embedding, not {type(self).__name__}"
            )
        block_size = int4_block_size(config)
        old = self._embeddings
        table = old.numpy()
        zero = None
        if block_size is None:
            q, scale = per_channel_quantize(old, table, -1, config)
        else:  # Keras groups the transposed table's rows (this table's columns)
            q_t, scale_t, zero_t = grouped_quantize(table.T, block_size)
            q, scale, zero = q_t.T, scale_t.T, zero_t.T
        drop_float_weight(self, old, block_size)
        self._add_int4_weights(table.shape)
        with no_grad():
            self._embeddings.assign(pack_last_axis(np.ascontiguousarray(q)))
            self.embeddings_scale.assign(scale)
            if zero is not None:
                self.embeddings_zero.assign(zero)
        self.__dict__["_quantization_mode"] = "int4"
        self.quantization_config = config

    def _add_int4_weights(self, shape) -> None:
        """Keras' ``Embedding._int4_build`` (all frozen)."""
        rows, cols = (int(n) for n in shape)
        block_size = self.__dict__.get("_int4_block_size")
        self._embeddings = self._add_weight(
            "embeddings", (rows, (cols + 1) // 2), "zeros", trainable=False, dtype="int8"
        )
        scale_shape = (rows,) if block_size is None else (rows, math.ceil(cols / block_size))
        self.embeddings_scale = self._add_weight(
            "embeddings_scale", scale_shape, "ones", trainable=False, dtype="float32"
        )
        if block_size is not None:
            self.embeddings_zero = self._add_weight(
                "embeddings_zero", scale_shape, "zeros", trainable=False, dtype="int8"
            )
            self.g_idx = self._add_weight("g_idx", (cols,), "zeros", trainable=False)
            with no_grad():
                self.g_idx.assign(np.arange(cols, dtype="float32") // block_size)
        self.__dict__["_int4_units"] = cols

    def _int4_unpacked(self):
        """The int4 table unpacked to ``(input_dim, output_dim)`` int8 (Keras' property)."""
        return unpack_last_axis(self._embeddings, self.__dict__["_int4_units"])

    def _int4_lookup(self, ids):
        """Rows of the int4 table, dequantized (Keras' ``_int4_call``)."""
        rows = cast(gather(self._int4_unpacked(), ids), self.compute_dtype)
        scale = cast(gather(self.embeddings_scale, ids), self.compute_dtype)
        if self.__dict__.get("_int4_block_size") is None:
            return divide(rows, expand_dims(scale, -1))
        groups = cast(self.g_idx, "int32")
        zero = cast(gather(gather(self.embeddings_zero, ids), groups, axis=-1), self.compute_dtype)
        return multiply(subtract(rows, zero), gather(scale, groups, axis=-1))
