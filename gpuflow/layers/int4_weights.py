"""Keras 3's int4 weight quantization of ``Dense`` (``layer.quantize("int4")``).

The kernel ``(input_dim, units)`` is stored as int8 bytes of shape
``(input_dim, ceil(units / 2))``, two int4 values per byte along the output axis
(``keras.quantizers.pack_int4``). Two layouts, as Keras 3.15:

* per channel (``Int4QuantizationConfig(block_size=None or -1)``, policy
  ``"int4/-1_from_<source>"``): symmetric, ``kernel ~= q / kernel_scale`` with one float32
  scale per output unit (``7 / max|column|``); inputs stay float unless the config gives an
  ``activation_quantizer``;
* sub-channel (the default ``block_size=128``, policy ``"int4/128_from_<source>"``):
  asymmetric per group of ``block_size`` input rows, ``kernel ~= (q - kernel_zero) *
  kernel_scale`` (``kernel_scale``/``kernel_zero`` of shape ``(n_groups, units)``, the row
  to group map in ``g_idx``).

The quantized weights are frozen; gradients reach the inputs (and the bias) through the
dequantized kernel, as Keras' custom gradients do. LoRA on an int4 layer is refused.
"""

from __future__ import annotations

import math

import numpy as np

from .._tracing import host_call
from ..autodiff import no_grad
from ..autodiff.state import state as tape_state
from ..autodiff.tape import stop_gradient
from ..ops._common import as_tensor
from ..ops.cast import cast
from ..ops.indexing import gather
from ..ops.linalg import matmul
from ..ops.math import add, divide, multiply, subtract
from ..tensor import Tensor
from .dtype_policy import check_quantization_mode
from .int8_config import EPSILON
from .int8_weights import abs_max_quantize
from .quantize_checks import check_quantize_call, resolved_config

_INT4_NAMES = ("kernel_scale", "kernel_zero", "g_idx")


def int4_block_size(config):
    """The block size a ``quantization_config`` (object, Keras file dict or None) asks for:
    a positive int, or None for per-channel (Keras' ``get_block_size_for_layer``)."""
    if config is None:
        return None
    if isinstance(config, dict):
        block = (config.get("config") or {}).get("block_size")
    else:
        block = getattr(config, "block_size", None)
    return None if block is None or block == -1 else int(block)


def grouped_quantize(values: np.ndarray, block_size: int, value_range=(-8, 7)):
    """Keras' ``abs_max_quantize_grouped_with_zero_point`` on the host: ``(q as int8,
    scale (n_groups, units), zero as int8)``, asymmetric over groups of input rows."""
    values = np.asarray(values)
    rows, cols = values.shape
    n_groups = math.ceil(rows / block_size)
    qmin, qmax = value_range
    padded = np.zeros((n_groups * block_size, cols), values.dtype)
    padded[:rows] = values
    grouped = padded.reshape(n_groups, block_size, cols)
    low = np.min(grouped, axis=1, keepdims=True)
    high = np.max(grouped, axis=1, keepdims=True)
    scale = np.divide(np.subtract(high, low) + EPSILON, qmax - qmin)
    zero = np.clip(np.round(np.divide(-low, scale)) + qmin, qmin, qmax)
    q = np.clip(np.round(np.divide(grouped, scale)) + zero, qmin, qmax).astype("int8")
    q = q.reshape(n_groups * block_size, cols)[:rows]
    return q, np.squeeze(scale, 1).astype(values.dtype), np.squeeze(zero, 1).astype("int8")


def pack_last_axis(values: np.ndarray) -> np.ndarray:
    """``keras.quantizers.pack_int4(values, axis=-1)[0]`` on the host: int4 values (int8)
    two per byte along the last axis, the first of each pair in the low nibble."""
    if values.shape[-1] % 2:
        values = np.concatenate([values, np.zeros(values.shape[:-1] + (1,), values.dtype)], -1)
    low, high = values[..., ::2] & 0x0F, values[..., 1::2] & 0x0F
    return (low | (high << 4)).astype("uint8").view("int8")


@host_call(effect=False)
def unpack_last_axis(packed, units: int) -> Tensor:
    """``keras.quantizers.unpack_int4(packed, units, axis=-1)`` on the tensor's device, one
    step of a compiled function (the low nibble first, values in [-8, 7] as int8)."""
    t = as_tensor(packed)
    xp = t._device.xp
    data = t._data.view(xp.uint8)
    pairs = xp.stack([data & 0x0F, (data >> 4) & 0x0F], axis=-1)
    nibbles = pairs.reshape(data.shape[:-1] + (-1,))[..., :units].astype(xp.int8)
    return Tensor._wrap((nibbles ^ 8) - 8, t._device)


def check_int4_request(layer, mode, type_check, config) -> bool:
    """Keras' checks of ``layer.quantize(mode, ...)``; False when ``mode`` is not int4
    (the next half of the layer takes it)."""
    check_quantization_mode(mode)
    if mode != "int4":
        return False
    check_quantize_call(layer, mode, type_check, config)
    if not layer.built:
        raise ValueError(f"{layer._where()}: build the layer before quantizing it")
    if layer.lora_enabled:
        raise NotImplementedError(
            f"{layer._where()}: gpuflow does not quantize a layer with LoRA enabled to int4"
        )
    return True


def per_channel_quantize(variable, values, axis: int, config) -> tuple:
    """``values`` (``variable``'s) as int4 integers and one scale per channel, the ``axis``
    reduced (Keras: the config's ``weight_quantizer``, else abs-max into [-8, 7]); the scale
    comes without that axis."""
    custom = getattr(config, "weight_quantizer", None)
    if custom is not None:  # Keras: q, scale = weight_quantizer(weights, to_numpy=True)
        q, scale = custom(variable, to_numpy=True)
        q, scale = np.asarray(q).astype("int8"), np.asarray(scale)
    else:
        q, scale = abs_max_quantize(values, axis, value_range=(-8, 7))
    return q, np.squeeze(scale, axis=axis)


def drop_float_weight(layer, old, block_size) -> None:
    """Forget the float weight that int4 weights replace, and note their block size."""
    layer._own_weights.remove(old)
    layer.__dict__.get("_listed_trainable", set()).discard(id(old))
    layer.__dict__["_int4_block_size"] = block_size


class Int4Common:
    """What the int4 halves of Dense and Embedding share: LoRA refused, Keras' file order
    (the float weight's slot first, then the others, then ``_int4_tail`` in that order)."""

    _int4_head = ""  # the attribute holding the packed weight
    _int4_tail: tuple = ()

    def enable_lora(self, rank, *args, **kwargs) -> None:
        """Refused on int4 weights (other layers go on to LoRA)."""
        if self.quantization_mode == "int4":
            raise NotImplementedError(
                f"{self._where()}: gpuflow does not implement LoRA on int4 weights yet (Keras does)"
            )
        return super().enable_lora(rank, *args, **kwargs)

    def _keras_saved_order(self) -> list:
        order = super()._keras_saved_order()
        if self.quantization_mode != "int4":
            return order
        tail = [getattr(self, n) for n in self._int4_tail if getattr(self, n, None) is not None]
        head = [getattr(self, self._int4_head)]
        return head + [v for v in order if all(v is not w for w in head + tail)] + tail


class Int4Weight(Int4Common):
    """The int4 half of ``Dense`` (before :class:`Int8Weight` in its bases); Keras' file
    order: kernel, bias, kernel_scale[, kernel_zero, g_idx]."""

    _int4_head = "_kernel"
    _int4_tail = _INT4_NAMES

    def quantize(self, mode=None, type_check=True, config=None) -> None:
        """``mode="int4"`` here; other modes go to the int8 half."""
        config = resolved_config(mode, config)
        if not check_int4_request(self, mode, type_check, config):
            return super().quantize(mode, type_check=type_check, config=config)
        block_size = int4_block_size(config)
        old = self._kernel
        kernel = old.numpy()
        zero = None
        if block_size is None:
            q, scale = per_channel_quantize(old, kernel, 0, config)
        else:
            q, scale, zero = grouped_quantize(kernel, block_size)
        packed = pack_last_axis(q)
        drop_float_weight(self, old, block_size)
        self._add_int4_weights(kernel.shape)
        with no_grad():
            self._kernel.assign(packed)
            self.kernel_scale.assign(scale)
            if zero is not None:
                self.kernel_zero.assign(zero)
        self.__dict__["_quantization_mode"] = "int4"
        self.quantization_config = config

    def _add_int4_weights(self, shape) -> None:
        """Keras' ``_int4_build``: the packed kernel (zeros), its scale (ones) and, for
        sub-channel blocks, ``kernel_zero`` and ``g_idx``, all frozen."""
        rows, units = (int(n) for n in shape)
        block_size = self.__dict__.get("_int4_block_size")
        self._kernel = self._add_weight(
            "kernel", (rows, (units + 1) // 2), "zeros", trainable=False, dtype="int8"
        )
        if block_size is None:
            scale_shape = (units,)
        else:
            scale_shape = (math.ceil(rows / block_size), units)
        self.kernel_scale = self._add_weight(
            "kernel_scale", scale_shape, "ones", trainable=False, dtype="float32"
        )
        if block_size is not None:
            self.kernel_zero = self._add_weight(
                "kernel_zero", scale_shape, "zeros", trainable=False, dtype="int8"
            )
            self.g_idx = self._add_weight(
                "g_idx", (rows,), "zeros", trainable=False, dtype="float32"
            )
            with no_grad():
                self.g_idx.assign(np.arange(rows, dtype="float32") // block_size)
        self.__dict__["_int4_units"] = units

    def _int4_unpacked(self):
        """The int4 kernel unpacked to ``(input_dim, units)`` int8 (Keras' ``kernel``)."""
        return unpack_last_axis(self._kernel, self.__dict__["_int4_units"])

    def _int4_dequantized(self):
        """The float kernel the int4 one stands for."""
        q = cast(self._int4_unpacked(), self.compute_dtype)
        scale = cast(self._read(self.kernel_scale), self.compute_dtype)
        if self.__dict__.get("_int4_block_size") is None:
            return divide(q, scale)
        groups = cast(self.g_idx, "int32")
        zero = cast(gather(self.kernel_zero, groups), self.compute_dtype)
        return multiply(subtract(q, zero), gather(scale, groups))

    def _int4_matmul(self, inputs):
        """``inputs @ kernel`` as Keras' int4 Dense computes it."""
        config = getattr(self, "quantization_config", None)
        quantizer = None
        if self.__dict__.get("_int4_block_size") is None and config is not None:
            if isinstance(config, dict):
                if (config.get("config") or {}).get("activation_quantizer") is not None:
                    raise NotImplementedError(
                        f"{self._where()}: an int4 activation_quantizer given as a config; "
                        "pass the quantizer object"
                    )
            else:
                quantizer = config.activation_quantizer
        if self.__dict__.get("_int4_block_size") is not None:
            return matmul(cast(inputs, self.compute_dtype), self._int4_dequantized())
        q = cast(self._int4_unpacked(), self.compute_dtype)
        scale = cast(self._read(self.kernel_scale), self.compute_dtype)
        if quantizer is None:
            return divide(matmul(cast(inputs, self.compute_dtype), q), scale)
        x_q, x_scale = quantizer(inputs, axis=-1)
        product = matmul(cast(x_q, self.compute_dtype), q)
        exact = divide(product, multiply(scale, cast(x_scale, self.compute_dtype)))
        if not tape_state.recording:
            return exact
        # the value is the quantized product; the gradient is the float kernel's
        float_path = matmul(cast(inputs, self.compute_dtype), divide(q, scale))
        return add(float_path, stop_gradient(subtract(exact, float_path)))
