"""ReversibleEmbedding: an Embedding that can also project hidden states back to logits over
the vocabulary (``reverse=True``), with tied or separate weights, as Keras 3's."""

from __future__ import annotations

from .. import dtypes
from ..ops.linalg import matmul
from ..ops.math import cast, not_equal
from ..ops.nn import tanh
from ..ops.shape import transpose
from .embedding import Embedding
from .int8_weights import quantize_rows


class ReversibleEmbedding(Embedding):
    """``keras.layers.ReversibleEmbedding``.

    Args:
        input_dim, output_dim: as Embedding (vocabulary size, vector size).
        tie_weights: the reverse projection uses the transposed ``embeddings`` (default);
            False: a separate trainable ``reverse_embeddings`` of shape
            ``(output_dim, input_dim)``.
        reverse_dtype: the dtype of the reverse matmul (default the compute dtype).
        logit_soft_cap: if set, reverse logits become ``tanh(logits / cap) * cap``.
        **kwargs: Embedding's (initializer, regularizer, constraint, mask_zero, name, ...).

    Call: ``layer(ids)`` embeds; ``layer(hidden, reverse=True)`` gives ``hidden @ E^T``.
    """

    _quantization_modes = ("int8",)  # int4: its reverse projection is not written for it

    def __init__(
        self,
        input_dim,
        output_dim,
        tie_weights=True,
        embeddings_initializer="uniform",
        embeddings_regularizer=None,
        embeddings_constraint=None,
        mask_zero=False,
        reverse_dtype=None,
        logit_soft_cap=None,
        **kwargs,
    ) -> None:
        super().__init__(
            input_dim,
            output_dim,
            embeddings_initializer=embeddings_initializer,
            embeddings_regularizer=embeddings_regularizer,
            embeddings_constraint=embeddings_constraint,
            mask_zero=mask_zero,
            **kwargs,
        )
        self.tie_weights = bool(tie_weights)
        if reverse_dtype is not None:
            reverse_dtype = dtypes.as_dtype(reverse_dtype, f"{self._where()}(reverse_dtype=...)")
            reverse_dtype = str(getattr(reverse_dtype, "name", reverse_dtype))
        self.reverse_dtype = reverse_dtype
        if logit_soft_cap is not None and not float(logit_soft_cap) > 0:
            raise ValueError(
                f"{self._where()}: logit_soft_cap must be a positive number or None, "
                f"received logit_soft_cap={logit_soft_cap!r}"
            )
        self.logit_soft_cap = logit_soft_cap

    def build(self, input_shape=None) -> None:
        super().build(input_shape)
        if not self.tie_weights:
            self.reverse_embeddings = self._add_weight(
                "reverse_embeddings",
                (self.output_dim, self.input_dim),
                self.embeddings_initializer,
            )

    def call(self, inputs, reverse=False):
        if not reverse:
            return super().call(inputs)
        if inputs.shape[-1] != self.output_dim:
            raise ValueError(
                f"{self._where()}: reverse=True projects vectors of size {self.output_dim} "
                f"(output_dim), received inputs of shape {tuple(inputs.shape)}"
            )
        if self.quantization_mode == "int8":
            logits = self._int8_reverse(inputs)
            if self.logit_soft_cap is not None:
                cap = float(self.logit_soft_cap)
                logits = tanh(logits / cap) * cap
            return logits
        if self.tie_weights:
            kernel = transpose(self._read(self.embeddings))
        else:
            kernel = self._read(self.reverse_embeddings)
        if self.reverse_dtype is not None:
            inputs = cast(inputs, self.reverse_dtype)
            kernel = cast(kernel, self.reverse_dtype)
        logits = matmul(inputs, kernel)
        if self.logit_soft_cap is not None:
            cap = float(self.logit_soft_cap)
            logits = tanh(logits / cap) * cap
        return logits

    def _int8_reverse(self, inputs):
        """Keras' int8 reverse projection: inputs quantized per row by the layer's inputs
        quantizer, times the transposed int8 table, divided by both scales."""
        if not self.tie_weights:
            raise NotImplementedError(
                f"{self._where()}: gpuflow's int8 ReversibleEmbedding projects back with tied "
                "weights only (tie_weights=True)"
            )
        spec = self._int8_inputs()
        if spec is None:  # weight-only int8
            x_q, x_scale = cast(inputs, "float32"), 1.0
        elif callable(spec):  # a user's Quantizer
            x_q, x_scale = spec(inputs, axis=-1)
        else:
            x_q, x_scale = quantize_rows(inputs, spec, -1)
        table = cast(self._embeddings, "float32")
        logits = matmul(cast(x_q, "float32"), transpose(table))
        scale = cast(x_scale, "float32") * cast(self.embeddings_scale, "float32")
        return cast(logits / scale, self.compute_dtype)

    def compute_mask(self, inputs, mask=None):
        # ids carry the padding mask (mask_zero); hidden states projected back carry none
        if not self.mask_zero or not dtypes.is_integer(inputs.dtype):
            return None
        return not_equal(inputs, 0)

    def compute_output_shape(self, input_shape, reverse=False) -> tuple:
        shape = tuple(input_shape)
        return shape[:-1] + (self.input_dim,) if reverse else shape + (self.output_dim,)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "tie_weights": self.tie_weights,
            "reverse_dtype": self.reverse_dtype,
            "logit_soft_cap": self.logit_soft_cap,
        }
