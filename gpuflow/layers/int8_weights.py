"""Keras 3's int8 weight quantization: ``layer.quantize("int8")`` and ``model.quantize``.

``Dense`` stores its kernel as int8 with one float32 scale per output unit
(``kernel ~= int8 / kernel_scale``, the scale ``127 / max|column|``); ``Embedding`` one per
row (``embeddings_scale``). A quantized ``Dense`` quantizes its inputs per row on every
call, multiplies int8 by int8 with exact int32 sums and scales the result back; its
input gradient is the float kernel's (``upstream @ (int8 / scale).T``), so a quantized
model still trains its biases and any LoRA factors, as in Keras 3. The layer's dtype
policy becomes ``"int8_from_<source>"``; Keras files keep the int8 weights and load back
quantized.

This half implements ``"int8"``; ``"int4"`` and ``"float8"`` live in ``int4_weights.py``,
``int4_embedding.py`` and ``float8_weights.py`` (before this class in a layer's bases). An
``Int8QuantizationConfig`` may change how inputs are quantized (``activation_quantizer``:
an ``AbsMaxQuantizer`` of another range, or None for weight-only int8;
``gpuflow/layers/int8_config.py``).
"""

from __future__ import annotations

import importlib

import numpy as np

from ..autodiff import no_grad
from ..autodiff.state import state as tape_state
from ..autodiff.tape import stop_gradient
from ..ops.cast import cast
from ..ops.indexing import gather
from ..ops.linalg import matmul
from ..ops.math import add, divide, multiply, subtract
from ..ops.reduce import reduce_max
from ..ops.select import clip_by_value
from ..ops.shape import expand_dims
from ..ops.unary import abs, round  # noqa: A004 - TensorFlow's names
from ..tensor import Tensor
from .dtype_policy import check_quantization_mode
from .int8_config import EPSILON, int8_input_quantizer, weight_quantizer
from .quantize_checks import check_quantize_call

_F32_EXACT_TERMS = (2**24) // (127 * 127)  # int8 products float32 sums exactly (1040)


def abs_max_quantize(values, axis, value_range=(-127, 127), epsilon=EPSILON, dtype="int8"):
    """Keras' ``abs_max_quantize`` on the host: ``(round(v * scale) clipped to
    value_range as dtype, scale)`` with ``scale = value_range[1] / (max|v| + epsilon)``
    along ``axis`` (kept), in ``v``'s float dtype (float32 for other inputs)."""
    values = np.asarray(values)
    if not np.issubdtype(values.dtype, np.floating):
        values = values.astype(np.float32)
    if not np.all(np.isfinite(values)):
        raise ValueError("quantize: cannot quantize weights that hold NaN or Inf")
    peak = np.abs(values).max(axis=axis, keepdims=True)
    scale = np.divide(value_range[1], np.add(peak, epsilon)).astype(values.dtype)
    q = np.clip(np.round(values * scale), value_range[0], value_range[1]).astype(dtype)
    return q, scale


def quantize_rows(inputs, quantizer, axis):
    """Keras' ``AbsMaxQuantizer`` on float32 ``inputs`` over ``axis``: ``(values rounded
    and clipped to [low, high], scale = high / (max|x| + epsilon))``."""
    low, high, epsilon = quantizer
    x = cast(inputs, "float32")
    scale = divide(high, add(reduce_max(abs(x), axis=axis, keepdims=True), epsilon))
    return clip_by_value(round(multiply(x, scale)), low, high), scale


def exact_sum_dtype(terms: int, quantizer) -> str:
    """float32 when it holds every sum of ``terms`` int8 products exactly, else float64."""
    small = terms <= _F32_EXACT_TERMS and max(-quantizer[0], quantizer[1]) <= 127
    return "float32" if small else "float64"


class Int8Weight:
    """The int8 half of a layer: ``_int8_weight`` names the quantized weight's attribute,
    ``_int8_scale`` its scale's, ``_int8_axis`` the axis each scale covers."""

    _int8_weight = "kernel"
    _int8_scale = "kernel_scale"
    _int8_axis = 0  # Dense: one scale per output unit (the max over the input axis)

    _quantization_modes = ("int8",)
    #: the modes Keras 3 quantizes this layer to (Embedding: no float8); Model.quantize
    #: refuses one gpuflow lacks rather than skip the layer
    _keras_quantization_modes = ("int8", "int4")
    _int8_custom_weight_quantizer = False  # Dense: a config's weight_quantizer is honoured

    def quantize(self, mode=None, type_check=True, config=None) -> None:
        """Quantize the layer's weight in place (``mode="int8"``).

        Raises:
            ValueError: an unknown mode, a layer not built or already quantized.
            NotImplementedError: a subclass (with ``type_check``), a mode other than int8,
                or a config with a custom weight quantizer.
        """
        check_quantization_mode(mode)
        check_quantize_call(self, mode, type_check, None)  # config's mode: below
        if mode != "int8":
            raise NotImplementedError(
                f"{self._where()}: quantization mode {mode!r} is not supported by gpuflow "
                "yet; 'int8' is"
            )
        if config is not None:
            if getattr(config, "mode", "int8") != "int8":
                raise ValueError(
                    f"Contradictory arguments: mode='{mode}' but config.mode='{config.mode}'"
                )
            int8_input_quantizer(config, f"{self._where()}.quantize")
        custom = weight_quantizer(config, f"{self._where()}.quantize")
        if custom is not None and not self._int8_custom_weight_quantizer:
            raise NotImplementedError(
                f"{self._where()}: a custom weight_quantizer is supported by gpuflow for "
                "Dense; leave it None here (Keras' default abs-max int8)"
            )
        if not self.built:
            raise ValueError(f"{self._where()}: build the layer before quantizing it")
        old = getattr(self, f"_{self._int8_weight}")
        if custom is not None:  # Keras: q, scale = weight_quantizer(kernel, to_numpy=True)
            values, scale = custom(old, to_numpy=True)
            values = np.asarray(values).astype("int8")
            scale = np.squeeze(np.asarray(scale), axis=self._int8_axis)
        else:
            values, scale = self._int8_quantize_array(old.numpy())
        self._own_weights.remove(old)
        self.__dict__.get("_listed_trainable", set()).discard(id(old))
        self._add_int8_weights(values.shape)
        with no_grad():
            getattr(self, f"_{self._int8_weight}").assign(values)
            getattr(self, self._int8_scale).assign(scale)
        self.__dict__["_quantization_mode"] = "int8"
        if config is not None:
            self.quantization_config = config

    def _int8_inputs(self):
        """``(low, high, epsilon)`` of the inputs' quantization, a user's quantizer, or
        None (weight-only)."""
        return int8_input_quantizer(
            getattr(self, "quantization_config", None), f"{self._where()}.quantization_config"
        )

    @property
    def inputs_quantizer(self):
        """Keras' ``inputs_quantizer`` of an int8 layer: the config's activation quantizer
        (an ``AbsMaxQuantizer`` by default), None for weight-only int8 or a float layer."""
        if self.quantization_mode != "int8":
            return None
        config = getattr(self, "quantization_config", None)
        if config is not None and not isinstance(config, dict):
            return config.activation_quantizer
        spec = self._int8_inputs()
        if spec is None:
            return None
        # keras.quantizers, found by name as saving.keras_objects finds Keras' modules (it
        # sits above the layers, which only describe its settings)
        quantizers = importlib.import_module("gpuflow.quantizers")
        return quantizers.AbsMaxQuantizer(value_range=tuple(spec[:2]), epsilon=spec[2])

    # -- what a layer with another layout overrides (EinsumDense) ---------------------------
    def _int8_quantize_array(self, values: np.ndarray):
        """``(int8 values, scale as stored)`` of a float weight."""
        q, scale = abs_max_quantize(values, self._int8_axis)
        return q, np.squeeze(scale, axis=self._int8_axis)

    def _int8_scale_shape(self, shape) -> tuple:
        return tuple(n for i, n in enumerate(shape) if i != self._int8_axis % len(shape))

    def _keras_saved_order(self) -> list:
        """Keras' order in files for an int8 layer: the weight, the others, its scale."""
        order = super()._keras_saved_order()
        if self.quantization_mode != "int8":
            return order
        weight, scale = getattr(self, f"_{self._int8_weight}"), getattr(self, self._int8_scale)
        return [weight] + [v for v in order if v is not weight and v is not scale] + [scale]

    def _keras_file_value(self, variable) -> np.ndarray:
        """With LoRA on an int8 layer, files keep the correction merged and quantized again
        (Keras' ``_get_kernel_with_merged_lora``)."""
        weight, scale = (
            getattr(self, f"_{self._int8_weight}", None),
            getattr(self, self._int8_scale, None),
        )
        if (
            self.quantization_mode == "int8"
            and self.lora_enabled
            and (variable is weight or variable is scale)
        ):
            merged = self._int8_dequantized().numpy() + self._lora_delta().numpy()
            values, scales = self._int8_quantize_array(merged)
            return values if variable is weight else scales
        return super()._keras_file_value(variable)

    def _add_int8_weights(self, shape) -> None:
        """The int8 weight (zeros) and its scale (ones), both frozen, as Keras'
        ``_int8_build``; also what building a layer loaded as quantized makes."""
        weight = self._add_weight(
            self._int8_weight, tuple(shape), "zeros", trainable=False, dtype="int8"
        )
        scale = self._add_weight(
            self._int8_scale,
            self._int8_scale_shape(shape),
            "ones",
            trainable=False,
            dtype="float32",
        )
        setattr(self, f"_{self._int8_weight}", weight)
        setattr(self, self._int8_scale, scale)

    def _int8_dequantized(self) -> Tensor:
        """The float weight the int8 one stands for (``int8 / scale``)."""
        weight = cast(self._read(getattr(self, f"_{self._int8_weight}")), self.compute_dtype)
        scale = cast(self._read(getattr(self, self._int8_scale)), self.compute_dtype)
        if self._int8_axis % len(weight.shape) == 0:
            return divide(weight, scale)
        return divide(weight, expand_dims(scale, -1))

    def _int8_matmul(self, inputs) -> Tensor:
        """``inputs @ kernel`` as Keras' int8 Dense computes it: inputs quantized per row
        (``high / max|row|``, clipped to the quantizer's range; none for weight-only int8),
        integer products summed exactly (float32 holds every sum up to 1040 products,
        float64 beyond), scaled back. Under a recording tape the gradient flows as through
        the float kernel (Keras' ``grad_fn``)."""
        k_q = self._read(getattr(self, f"_{self._int8_weight}"))
        k_scale = cast(self._read(getattr(self, self._int8_scale)), "float32")
        quantizer = self._int8_inputs()
        if quantizer is None:  # weight-only: float inputs times the int8 kernel
            product = matmul(cast(inputs, "float32"), cast(k_q, "float32"))
            exact = cast(divide(product, k_scale), self.compute_dtype)
        elif callable(quantizer):  # a user's Quantizer: Keras calls it with axis=-1
            x_q, x_scale = quantizer(inputs, axis=-1)
            sums = cast(matmul(cast(x_q, "float64"), cast(k_q, "float64")), "float32")
            scale = multiply(cast(x_scale, "float32"), k_scale)
            exact = cast(divide(sums, scale), self.compute_dtype)
        else:
            x_q, x_scale = quantize_rows(inputs, quantizer, -1)
            exact_dtype = exact_sum_dtype(k_q.shape[0], quantizer)
            sums = cast(matmul(cast(x_q, exact_dtype), cast(k_q, exact_dtype)), "float32")
            exact = cast(divide(sums, multiply(x_scale, k_scale)), self.compute_dtype)
        if not tape_state.recording:
            return exact
        # the value is the int8 product; the gradient is the float kernel's
        float_path = matmul(cast(inputs, self.compute_dtype), self._int8_dequantized())
        return add(float_path, stop_gradient(subtract(exact, float_path)))

    def _int8_lookup(self, ids) -> Tensor:
        """Embedding rows of the int8 table, scaled back (Keras' int8 Embedding call)."""
        table = self._read(getattr(self, f"_{self._int8_weight}"))
        rows = gather(cast(table, self.compute_dtype), ids)
        scale = gather(cast(self._read(getattr(self, self._int8_scale)), self.compute_dtype), ids)
        return divide(rows, expand_dims(scale, -1))
