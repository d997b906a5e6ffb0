"""Core layers: Dense, Activation, Flatten, Reshape, Dropout."""

from __future__ import annotations

import math

from .. import activations, constraints, initializers
from ..ops.math import cast
from ..ops.nn import dense, dropout
from ..ops.shape import reshape, transpose
from ..sparse import SparseTensor
from ..sparse.matmul import sparse_dense
from ._args import positive_int, serialize_regularizer
from ._inputs import layer_regularizer
from .base import Layer
from .channels_first import data_format_arg
from .float8_weights import Float8Weight
from .input_spec import InputSpec
from .int4_weights import Int4Weight
from .int8_config import check_quantization_config, serialize_quantization_config
from .int8_weights import Int8Weight
from .lora import LoRAWeight, adapted_weight
from .seed_generator import SeedGenerator, layer_seed, uniform_draws


class Dense(Float8Weight, Int4Weight, Int8Weight, LoRAWeight, Layer):
    """``activation(inputs @ kernel + bias)`` over the last axis of the inputs.

    Args:
        units: size of the output's last axis.
        activation: a name (``"relu"``, ``"softmax"``, ...) or callable; None for linear.
            ReLU runs fused into the GEMM (one CUDA kernel on cuda).
        use_bias: whether to add a bias.
        kernel_initializer, bias_initializer: initializers (names or objects).
        kernel_regularizer, bias_regularizer: optional penalties added to ``losses``.
        lora_rank, lora_alpha: enable LoRA when built (``enable_lora``, ``layers/lora.py``).
        **kwargs: ``name``, ``dtype``, ``trainable``, ``input_shape``, ... (see :class:`Layer`).

    Inputs of rank > 2 are transformed along their last axis.
    """

    kernel = adapted_weight("kernel")
    _int8_custom_weight_quantizer = True  # Int8QuantizationConfig(weight_quantizer=...)
    _quantization_modes = ("int8", "int4", "float8")

    supports_masking = True

    def __init__(
        self,
        units,
        activation=None,
        use_bias: bool = True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        lora_rank=None,
        lora_alpha=None,
        quantization_config=None,
        **kwargs,
    ) -> None:
        check_quantization_config(quantization_config, f"Dense '{kwargs.get('name')}'")
        super().__init__(**kwargs)
        self._init_lora(lora_rank, lora_alpha)
        self.quantization_config = quantization_config  # None or an Int8QuantizationConfig
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.units = positive_int(units, "units", f"Dense '{self.name}'")
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = layer_regularizer(kernel_regularizer, self)
        self.bias_regularizer = layer_regularizer(bias_regularizer, self)
        self.input_spec = InputSpec(min_ndim=2)

    def build(self, input_shape) -> None:
        last = input_shape[-1]
        if last is None:
            raise ValueError(
                f"{self._where()}: the last axis of the input must be known, "
                f"received shape {tuple(input_shape)}"
            )
        if self.quantization_mode == "int8":  # loaded as quantized (int8_from_float32)
            self._add_int8_weights((int(last), self.units))
        elif self.quantization_mode == "int4":  # loaded as quantized ("int4/128_from_float32")
            self._add_int4_weights((int(last), self.units))
        else:
            if self.quantization_mode == "float8":  # Keras builds these first
                self._add_float8_weights()
            self._kernel = self._add_weight(
                "kernel",
                (last, self.units),
                self.kernel_initializer,
                regularizer=self.kernel_regularizer,
                constraint=self.kernel_constraint,
            )
        self.bias = (
            self._add_weight(
                "bias",
                (self.units,),
                self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
            if self.use_bias
            else None
        )
        self.input_spec = InputSpec(min_ndim=2, axes={-1: int(last)})
        super().build(input_shape)
        self._build_lora()

    def call(self, inputs, training=None):
        if self.quantization_mode == "float8":
            return self._float8_call(inputs, training)
        if self.quantization_mode == "int8":
            return self._int8_call(inputs)
        if self.quantization_mode == "int4":
            return self._int4_call(inputs)
        kernel = self._lora_adapted(self._read(self._kernel))
        if isinstance(inputs, SparseTensor):  # multiplied without densifying (cuSPARSE on cuda)
            y = sparse_dense(inputs, kernel, self._read(self.bias))
            return self.activation(y)
        fused = self.activation is activations.relu
        y = dense(inputs, kernel, self._read(self.bias), "relu" if fused else None)
        return y if fused or self.activation is activations.linear else self.activation(y)

    def _int8_call(self, inputs):
        if isinstance(inputs, SparseTensor):
            raise NotImplementedError(f"{self._where()}: int8 weights take dense inputs only")
        y = self._int8_matmul(inputs)
        if self.lora_enabled:
            y = y + self._lora_output(inputs)
        if self.bias is not None:
            y = y + self._read(self.bias)
        return self.activation(y)

    def _float8_call(self, inputs, training):
        if isinstance(inputs, SparseTensor):
            raise NotImplementedError(f"{self._where()}: float8 weights take dense inputs only")
        return self._float8_output(inputs, training)

    def _int4_call(self, inputs):
        if isinstance(inputs, SparseTensor):
            raise NotImplementedError(f"{self._where()}: int4 weights take dense inputs only")
        y = self._int4_matmul(inputs)
        if self.bias is not None:
            y = y + self._read(self.bias)
        return self.activation(y)

    def compute_output_shape(self, input_shape) -> tuple:
        shape = tuple(input_shape)
        if len(shape) < 2:
            raise ValueError(
                f"{self._where()}: expected input of rank 2 or more, received shape {shape}"
            )
        return shape[:-1] + (self.units,)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": serialize_regularizer(self.kernel_regularizer),
            "bias_regularizer": serialize_regularizer(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "quantization_config": serialize_quantization_config(self.quantization_config),
            **self._lora_config(),
        }


class Activation(Layer):
    """Applies an activation function (a name such as ``"relu"`` or a callable)."""

    supports_masking = True

    def __init__(self, activation, **kwargs) -> None:
        super().__init__(**kwargs)
        self._build_at_init()
        self.activation = activations.get(activation)

    def call(self, inputs):
        return self.activation(inputs)

    def compute_output_shape(self, input_shape) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "activation": activations.serialize(self.activation)}


class Flatten(Layer):
    """Flattens all axes but the batch axis: ``[N, d1, d2, ...]`` -> ``[N, d1 * d2 * ...]``.

    With ``data_format="channels_first"`` the channels axis (1) moves last first, as Keras, so
    the flat order matches the channels-last layout's.
    """

    _cast_int_inputs = False  # Keras 3 keeps an integer input's dtype

    def __init__(self, data_format=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.data_format = data_format_arg(data_format, self._where())
        self.input_spec = InputSpec(min_ndim=1)

    def call(self, inputs):
        if self.data_format == "channels_first" and inputs.ndim > 2:
            inputs = transpose(inputs, (0, *range(2, inputs.ndim), 1))
        return reshape(inputs, (inputs.shape[0], math.prod(inputs.shape[1:])))

    def compute_output_shape(self, input_shape) -> tuple:
        rest = tuple(input_shape)[1:]
        return (input_shape[0], None if None in rest else math.prod(rest))

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format}


class Reshape(Layer):
    """Reshapes each example to ``target_shape`` (one entry may be -1); the batch axis is kept."""

    _cast_int_inputs = False  # Keras 3 keeps an integer input's dtype

    def __init__(self, target_shape, **kwargs) -> None:
        super().__init__(**kwargs)
        self._build_at_init()
        target = tuple(int(n) for n in target_shape)
        if sum(n == -1 for n in target) > 1 or any(n < -1 or n == 0 for n in target):
            raise ValueError(
                f"{self._where()}: target_shape must be positive sizes with at most one -1, "
                f"received {tuple(target_shape)}"
            )
        self.target_shape = target

    def _resolve(self, input_shape) -> tuple:
        rest = tuple(input_shape)[1:]
        if None in rest:
            return tuple(None if n == -1 else n for n in self.target_shape)
        total, known = math.prod(rest), math.prod(n for n in self.target_shape if n != -1)
        if -1 in self.target_shape:
            if known == 0 or total % known:
                raise ValueError(
                    f"{self._where()}: cannot reshape input of shape {tuple(input_shape)} "
                    f"to target shape {self.target_shape}"
                )
            return tuple(total // known if n == -1 else n for n in self.target_shape)
        if total != known:
            raise ValueError(
                f"{self._where()}: cannot reshape input of shape {tuple(input_shape)} "
                f"({total} values per example) to target shape {self.target_shape} "
                f"({known} values)"
            )
        return self.target_shape

    def call(self, inputs):
        return reshape(inputs, (inputs.shape[0],) + self._resolve(inputs.shape))

    def compute_output_shape(self, input_shape) -> tuple:
        return (input_shape[0],) + self._resolve(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "target_shape": tuple(self.target_shape)}


class Dropout(Layer):
    """Zeroes a ``rate`` fraction of the inputs and scales the rest by ``1 / (1 - rate)``,
    only when called with ``training=True``.

    Args:
        rate: the fraction dropped, in ``[0, 1)``.
        noise_shape: the shape of the keep mask, broadcast over the inputs (None entries take
            the input's size); default the input's shape.
        seed: the seed of the layer's ``seed_generator`` (a ``keras.random.SeedGenerator``
            whose state is listed in ``variables``, as Keras 3), whose draws a seeded layer
            makes; with None the masks come from the global random stream on the device
            (the generator's counter still advances on each training call, as Keras 3's).
    """

    supports_masking = True

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self._build_at_init()
        if not 0 <= float(rate) < 1:
            raise ValueError(f"{self._where()}: rate must be in [0, 1), received {rate}")
        self.rate = float(rate)
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)
        self.seed = seed
        if self.rate > 0:  # as Keras 3: a layer that never drops has no generator
            self.seed_generator = SeedGenerator(seed)

    def call(self, inputs, training=None):
        if not training or self.rate == 0:
            return inputs
        seed = layer_seed(self)
        if self.noise_shape is None and seed is None:
            return dropout(inputs, self.rate)
        shape = (
            inputs.shape
            if self.noise_shape is None
            else tuple(
                got if want is None else want for want, got in zip(self.noise_shape, inputs.shape)
            )
        )
        keep = cast(uniform_draws(shape, seed, inputs.device) >= self.rate, inputs.dtype)
        return inputs * (keep * (1 / (1 - self.rate)))

    def compute_output_shape(self, input_shape) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        # Keras 3's key order: rate, seed, noise_shape (printed configs match TF's)
        noise = self.noise_shape
        return {**super().get_config(), "rate": self.rate, "seed": self.seed, "noise_shape": noise}
