"""Embedding: integer ids to dense vectors, with Keras' ``mask_zero``."""

from __future__ import annotations

from .. import constraints, dtypes, initializers
from ..errors import InvalidArgumentError
from ..ops.indexing import gather, gather_v2
from ..ops.linalg import matmul
from ..ops.math import cast, not_equal
from ..ragged import RaggedTensor
from ..ragged import embedding_lookup as ragged_embedding_lookup
from ._args import positive_int, serialize_regularizer
from ._inputs import layer_regularizer
from .base import Layer
from .config_order import EMBEDDING_ORDER, keras_order
from .int4_embedding import Int4EmbeddingWeight
from .int8_config import check_quantization_config, serialize_quantization_config
from .int8_weights import Int8Weight
from .lora import LoRAWeight, adapted_weight


def _initializer(identifier):
    # Keras' "uniform" is RandomUniform(-0.05, 0.05), a name gpuflow.initializers lacks.
    if identifier == "uniform":
        return initializers.RandomUniform(-0.05, 0.05)
    return initializers.get(identifier)


class Embedding(Int4EmbeddingWeight, Int8Weight, LoRAWeight, Layer):
    """Maps integer ids in ``[0, input_dim)`` to rows of an ``(input_dim, output_dim)`` matrix.

    Args:
        input_dim: size of the vocabulary (largest id + 1).
        output_dim: size of each vector.
        embeddings_initializer: initializer of the matrix (Keras' default ``"uniform"``).
        embeddings_regularizer: optional penalty on the matrix.
        embeddings_constraint: a ``keras.constraints`` projection applied after each update.
        mask_zero: whether id 0 is padding: the output then carries a mask (``ids != 0``)
            that recurrent, pooling and attention layers downstream honour.
        weights: initial value of the matrix, as a one-element list.
        input_length: Keras 2's argument, accepted and ignored (as Keras 3).

    Ids out of range are an error naming the layer and the ids' range.
    """

    _config_activity_regularizer = True  # Keras 3 writes the key even when None

    embeddings = adapted_weight("embeddings")

    _cast_int_inputs = False
    _lora_weight = "embeddings"
    _lora_names = ("lora_embeddings_a", "lora_embeddings_b")
    _int8_weight = "embeddings"
    _int8_scale = "embeddings_scale"
    _int8_axis = -1  # one scale per row (token)
    _quantization_modes = ("int8", "int4")

    def __init__(
        self,
        input_dim,
        output_dim,
        embeddings_initializer="uniform",
        embeddings_regularizer=None,
        embeddings_constraint=None,
        mask_zero=False,
        weights=None,
        lora_rank=None,
        lora_alpha=None,
        quantization_config=None,
        **kwargs,
    ) -> None:
        kwargs.pop("input_length", None)
        check_quantization_config(quantization_config, f"Embedding '{kwargs.get('name')}'")
        super().__init__(weights=weights, **kwargs)
        self._init_lora(lora_rank, lora_alpha)
        self.quantization_config = quantization_config  # None or an Int8QuantizationConfig
        where = self._where()
        self.input_dim = positive_int(input_dim, "input_dim", where)
        self.output_dim = positive_int(output_dim, "output_dim", where)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.embeddings_initializer = _initializer(embeddings_initializer)
        self.embeddings_regularizer = layer_regularizer(embeddings_regularizer, self)
        self.mask_zero = bool(mask_zero)

    @property
    def supports_masking(self) -> bool:
        return self.mask_zero

    def build(self, input_shape=None) -> None:
        if self.quantization_mode == "int8":  # loaded as quantized (int8_from_float32)
            self._add_int8_weights((self.input_dim, self.output_dim))
        elif self.quantization_mode == "int4":  # loaded as quantized ("int4/128_from_...")
            self._add_int4_weights((self.input_dim, self.output_dim))
        else:
            self._embeddings = self._add_weight(
                "embeddings",
                (self.input_dim, self.output_dim),
                self.embeddings_initializer,
                regularizer=self.embeddings_regularizer,
                constraint=self.embeddings_constraint,
            )
        super().build(input_shape if input_shape is not None else (None,))
        self._build_lora()

    def call(self, inputs):
        if isinstance(inputs, RaggedTensor):  # as Keras: look up value by value, keep the rows
            if self.quantization_mode is not None:
                raise NotImplementedError(f"{self._where()}: int8 weights take dense ids only")
            return ragged_embedding_lookup(self._lora_adapted(self._embeddings), inputs)
        ids = inputs
        if not dtypes.is_integer(ids.dtype):
            if not dtypes.is_floating(ids.dtype):
                raise TypeError(
                    f"{self._where()}: expected integer ids, received dtype {inputs.dtype.name}"
                )
            # as Keras: float ids are cast to int32, which truncates toward zero (the NMT
            # tutorial feeds tf.random.uniform ids in [0, 1), all of them id 0)
            ids = cast(ids, "int32")
        if ids.size:
            low, high = int(ids._data.min()), int(ids._data.max())
            if low < 0 or high >= self.input_dim:
                raise InvalidArgumentError(  # TF's error; still a ValueError
                    None,
                    None,
                    f"{self._where()}: ids must be in [0, {self.input_dim}) "
                    f"(input_dim={self.input_dim}), received ids in [{low}, {high}]",
                )
        if self.quantization_mode == "int4":
            return self._int4_lookup(ids)
        if self.quantization_mode == "int8":
            out = self._int8_lookup(ids)
            if self.lora_enabled:
                rows = gather(self.lora_embeddings_a, ids)
                delta = matmul(rows, self.lora_embeddings_b)
                out = out + cast(delta * (self.lora_alpha / self.lora_rank), out.dtype)
            return out
        # tf.gather: the embeddings' gradient is a tf.IndexedSlices, as in TensorFlow
        return gather_v2(self._lora_adapted(self._read(self._embeddings)), ids)

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return not_equal(inputs, 0)

    def compute_output_shape(self, input_shape) -> tuple:
        return tuple(input_shape) + (self.output_dim,)

    def get_config(self) -> dict:
        config = {
            **super().get_config(),
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
            "embeddings_regularizer": serialize_regularizer(self.embeddings_regularizer),
            "embeddings_constraint": constraints.serialize(self.embeddings_constraint),
            "mask_zero": self.mask_zero,
            "quantization_config": serialize_quantization_config(self.quantization_config),
            **self._lora_config(),
        }
        return keras_order(config, EMBEDDING_ORDER)
