"""Keras 3's int8 weight quantization: ``layer.quantize("int8")`` and ``model.quantize``.

``Dense`` stores its kernel as int8 with one float32 scale per output unit
(``kernel ~= int8 / kernel_scale``, the scale ``127 / max|column|``); ``Embedding`` one per
row (``embeddings_scale``). A quantized ``Dense`` quantizes its inputs per row on every
call, multiplies int8 by int8 with exact int32 sums and scales the result back; its
input gradient is the float kernel's (``upstream @ (int8 / scale).T``), so a quantized
model still trains its biases and any LoRA factors, as in Keras 3. The layer's dtype
policy becomes ``"int8_from_<source>"``; Keras files keep the int8 weights and load back
quantized.

Only ``"int8"`` is implemented; the other Keras modes raise ``NotImplementedError``.
"""

from __future__ import annotations

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

_EPSILON = 1e-7  # keras.config.epsilon(): abs_max_quantize's guard against zero ranges
_F32_EXACT_TERMS = (2**24) // (127 * 127)  # int8 products float32 sums exactly (1040)


def abs_max_quantize(values: np.ndarray, axis: int):
    """Keras' ``abs_max_quantize``: ``(round(v * scale) clipped to +-127 as int8, scale)``
    with ``scale = 127 / (max|v| + epsilon)`` along ``axis`` (kept)."""
    values = np.asarray(values, dtype=np.float32)
    if not np.all(np.isfinite(values)):
        raise ValueError("quantize: cannot quantize weights that hold NaN or Inf")
    scale = np.float32(127.0) / (
        np.abs(values).max(axis=axis, keepdims=True) + np.float32(_EPSILON)
    )
    q = np.clip(np.round(values * scale), -127, 127).astype(np.int8)
    return q, scale.astype(np.float32)


def check_quantization_config(config, where: str) -> None:
    """Accept ``quantization_config`` when it is Keras' default int8 one (what a Keras file
    of an int8 model holds: ``AbsMaxQuantizer(axis=-1, value_range=(-127, 127))`` on the
    inputs, the default weight quantizer); refuse custom quantizers."""
    if config is None:
        return
    if isinstance(config, dict) and config.get("class_name") == "Int8QuantizationConfig":
        inner = config.get("config") or {}
        activation = inner.get("activation_quantizer")
        plain = activation is None or (
            activation.get("class_name") == "AbsMaxQuantizer"
            and list((activation.get("config") or {}).get("value_range", [-127, 127]))
            == [-127, 127]
            and (activation.get("config") or {}).get("axis", -1) in (-1, None)
        )
        if inner.get("weight_quantizer") is None and plain:
            return
    raise NotImplementedError(
        f"{where}: quantization_config {config!r}: gpuflow implements Keras' default int8 "
        "quantization only (no custom quantizers)"
    )


class Int8Weight:
    """The int8 half of a layer: ``_int8_weight`` names the quantized weight's attribute,
    ``_int8_scale`` its scale's, ``_int8_axis`` the axis each scale covers."""

    _int8_weight = "kernel"
    _int8_scale = "kernel_scale"
    _int8_axis = 0  # Dense: one scale per output unit (the max over the input axis)

    _quantization_modes = ("int8",)

    def quantize(self, mode=None, type_check=True, config=None) -> None:
        """Quantize the layer's weight in place (``mode="int8"``).

        Raises:
            ValueError: an unknown mode, a layer not built or already quantized.
            NotImplementedError: a subclass (with ``type_check``), a mode other than int8,
                or a ``config`` (custom quantizers).
        """
        check_quantization_mode(mode)
        if type_check and type(self).__module__.split(".")[0] != "gpuflow":  # a user subclass
            raise NotImplementedError(
                f"Layer {type(self).__name__} does not have a `quantize` method implemented."
            )
        if self.quantization_mode is not None:
            raise ValueError(
                f"Layer '{self.name}' is already quantized with "
                f"dtype_policy='{self.dtype_policy.name}'. Received: mode={mode}"
            )
        if mode != "int8":
            raise NotImplementedError(
                f"{self._where()}: quantization mode {mode!r} is not supported by gpuflow "
                "yet; 'int8' is"
            )
        if config is not None:
            raise NotImplementedError(
                f"{self._where()}.quantize: a quantization config (custom quantizers) is not "
                "supported by gpuflow yet; call quantize('int8')"
            )
        if not self.built:
            raise ValueError(f"{self._where()}: build the layer before quantizing it")
        old = getattr(self, f"_{self._int8_weight}")
        values, scale = self._int8_quantize_array(old.numpy())
        self._own_weights.remove(old)
        self.__dict__.get("_listed_trainable", set()).discard(id(old))
        self._add_int8_weights(values.shape)
        with no_grad():
            getattr(self, f"_{self._int8_weight}").assign(values)
            getattr(self, self._int8_scale).assign(scale)
        self.__dict__["_quantization_mode"] = "int8"

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
        weight = self.add_weight(
            self._int8_weight, tuple(shape), "zeros", trainable=False, dtype="int8"
        )
        scale = self.add_weight(
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
        (``127 / max|row|``), int8 products summed exactly (float32 holds every sum up to
        1040 products, float64 beyond), scaled back. Under a recording tape the gradient
        flows as through the float kernel (Keras' ``grad_fn``)."""
        x = cast(inputs, "float32")
        x_scale = divide(127.0, add(reduce_max(abs(x), axis=-1, keepdims=True), _EPSILON))
        x_q = clip_by_value(round(multiply(x, x_scale)), -127.0, 127.0)
        k_q = self._read(getattr(self, f"_{self._int8_weight}"))
        exact_dtype = "float32" if k_q.shape[0] <= _F32_EXACT_TERMS else "float64"
        sums = cast(matmul(cast(x_q, exact_dtype), cast(k_q, exact_dtype)), "float32")
        k_scale = cast(self._read(getattr(self, self._int8_scale)), "float32")
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
