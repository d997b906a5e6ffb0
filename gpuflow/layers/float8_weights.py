"""Keras 3's float8 training and inference of ``Dense`` and ``EinsumDense``
(``layer.quantize("float8")``).

The kernel stays a trainable float weight. Six float32 variables are added (Keras'
``_float8_build``): a scale and an amax history (``amax_history_length``, 1024) for the
inputs, for the kernel and for the output gradient. Each call rounds the inputs and the
kernel to ``float8_e4m3fn`` (``inputs / scale`` clipped to +-448) and, on the way back, the
output gradient to ``float8_e5m2``. While training, the "gradients" of the scales and
histories are their new values (the next scale from the history's max, the history rolled
with the new ``max|x|``), and the optimizer writes them in place (the variables'
``overwrite_with_gradient``). The policy becomes ``"float8_from_<source>"``.
"""

from __future__ import annotations

import importlib

from ..autodiff.custom_gradient import custom_gradient
from ..ops.cast import cast
from ..ops.linalg import matmul
from ..ops.reduce import reduce_max
from .dtype_policy import check_quantization_mode
from .quantize_checks import check_quantize_call, resolved_config

E4M3_MAX = 448.0  # ml_dtypes.finfo("float8_e4m3fn").max
E5M2_MAX = 57344.0  # ml_dtypes.finfo("float8_e5m2").max
AMAX_HISTORY_LENGTH = 1024  # QuantizedFloat8DTypePolicy.default_amax_history_length
_NAMES = ("inputs", "kernel", "outputs_grad")


def _float8():
    # keras.quantizers' float8 helpers, found by name (that package sits above the layers)
    return importlib.import_module("gpuflow.quantizers.float8")


class Float8Weight:
    """The float8 half of ``Dense`` and ``EinsumDense`` (first in their bases)."""

    def quantize(self, mode=None, type_check=True, config=None) -> None:
        """``mode="float8"`` here; other modes go to the next half."""
        config = resolved_config(mode, config)
        check_quantization_mode(mode)
        if mode != "float8":
            return super().quantize(mode, type_check=type_check, config=config)
        check_quantize_call(self, mode, type_check, config)
        if not self.built:
            raise ValueError(f"{self._where()}: build the layer before quantizing it")
        if self.lora_enabled:
            raise NotImplementedError(
                f"{self._where()}: float8 with LoRA is not supported (Keras' float8 call "
                "refuses LoRA too)"
            )
        self._add_float8_weights()
        self.__dict__["_quantization_mode"] = "float8"
        self.quantization_config = config

    def _add_float8_weights(self) -> None:
        """Keras' ``_float8_build``: the six scale / amax history variables."""
        for name in _NAMES:
            scale = self._add_weight(
                f"{name}_scale", (), "ones", dtype="float32", overwrite_with_gradient=True
            )
            history = self._add_weight(
                f"{name}_amax_history",
                (AMAX_HISTORY_LENGTH,),
                "zeros",
                dtype="float32",
                overwrite_with_gradient=True,
            )
            setattr(self, f"{name}_scale", scale)
            setattr(self, f"{name}_amax_history", history)

    def _float8_qdq_forward(self, x, scale, history, training):
        """``x`` rounded to float8_e4m3fn; while training, the scale's and the history's
        gradients are their next values."""
        f8 = _float8()
        compute_dtype = self.compute_dtype

        @custom_gradient
        def qdq(x, scale, history):
            if training:
                new_scale = f8.compute_float8_scale(reduce_max(history, axis=0), scale, E4M3_MAX)
                new_history = f8.compute_float8_amax_history(x, history)
            else:
                new_scale = new_history = None

            def grad(upstream):
                return upstream, new_scale, new_history

            return f8.quantize_and_dequantize(x, scale, "float8_e4m3fn", compute_dtype), grad

        return qdq(x, scale, history)

    def _float8_qdq_backward(self, y, scale, history):
        """``y`` as it is; its gradient rounded to float8_e5m2, the scale's and the
        history's gradients their next values."""
        f8 = _float8()
        compute_dtype = self.compute_dtype

        @custom_gradient
        def qdq(y, scale, history):
            def grad(upstream):
                new_scale = f8.compute_float8_scale(reduce_max(history, axis=0), scale, E5M2_MAX)
                rounded = f8.quantize_and_dequantize(upstream, scale, "float8_e5m2", compute_dtype)
                return rounded, new_scale, f8.compute_float8_amax_history(upstream, history)

            return y + 0.0, grad

        return qdq(y, scale, history)

    def _float8_product(self, x, kernel):
        """The layer's product of its (rounded) inputs and kernel: Dense's matmul."""
        return matmul(x, kernel)

    def _float8_output(self, inputs, training):
        """Keras' ``_float8_call``: the rounded product, the bias (a float32 one rounded
        through bfloat16, as Keras does for its bias-add fusion), the activation."""
        y = self._float8_matmul(inputs, training)
        if self.bias is not None:
            bias = self._read(self.bias)
            if self.compute_dtype == "float32":
                bias = cast(cast(bias, "bfloat16"), "float32")
            y = y + bias
        return self.activation(y)

    def _float8_matmul(self, inputs, training):
        """Keras' ``_float8_call`` up to the bias."""
        x = self._float8_qdq_forward(
            cast(inputs, self.compute_dtype),
            self.inputs_scale,
            self.inputs_amax_history,
            training,
        )
        kernel = self._float8_qdq_forward(
            self._read(self._kernel), self.kernel_scale, self.kernel_amax_history, training
        )
        return self._float8_qdq_backward(
            self._float8_product(x, kernel), self.outputs_grad_scale, self.outputs_grad_amax_history
        )

    def enable_lora(self, rank, *args, **kwargs) -> None:
        """Refused on float8 weights (other layers go on to LoRA)."""
        if self.quantization_mode == "float8":
            raise NotImplementedError(
                f"{self._where()}: float8 with LoRA is not supported (Keras' float8 call "
                "refuses LoRA too)"
            )
        return super().enable_lora(rank, *args, **kwargs)

    def _keras_saved_order(self) -> list:
        """Keras' file order for float8: kernel, bias, then the scales and histories as
        built (a layer loaded as float8 builds them first)."""
        order = super()._keras_saved_order()
        if self.quantization_mode != "float8":
            return order
        tail = [getattr(self, f"{n}_{k}") for n in _NAMES for k in ("scale", "amax_history")]
        return [v for v in order if all(v is not w for w in tail)] + tail
