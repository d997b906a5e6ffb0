"""EinsumDense: a dense layer whose product is an einsum equation (``"ab,bc->ac"``,
``"...b,bc->...c"``, ``"abc,cde->abde"``), as ``keras.layers.EinsumDense``.

The kernel's shape comes from the equation, the input shape and ``output_shape``
(Keras's rules, ellipsis on the left or the right of the input); ``bias_axes`` names the
output axes a bias spans. Fan-based initializers count the kernel's input axes as the fan
in and its output axes as the fan out.
"""

from __future__ import annotations

import math
import re

from .. import activations, constraints, initializers
from ..ops.linalg import einsum
from ..ops.shape import reshape
from ._args import serialize_regularizer
from ._inputs import layer_regularizer
from .base import Layer
from .einsum_int8 import EinsumInt8Weight
from .float8_weights import Float8Weight
from .input_spec import InputSpec
from .int8_config import check_quantization_config, serialize_quantization_config
from .lora import LoRAWeight, adapted_weight


def _split(equation: str):
    """``(input spec, weight spec, output spec, left_elided)``, or a ValueError."""
    flat = equation.replace("...", "0")
    for pattern, left in (
        (r"([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)$", False),
        (r"0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)$", True),
        (r"([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0$", False),
    ):
        match = re.match(pattern, flat)
        if match:
            return match.group(1), match.group(2), match.group(3), left
    raise ValueError(
        f"Invalid einsum equation '{equation}'. Equations must be in the form "
        "[X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]...."
    )


def analyze(equation, bias_axes, input_shape, output_shape):
    """``(kernel_shape, bias_shape, full_output_shape, kernel input axes, kernel output
    axes)`` of an EinsumDense (Keras's ``_analyze_einsum_string``)."""
    input_spec, weight_spec, output_spec, left_elided = _split(equation)
    input_shape = list(input_shape)
    elided = len(input_shape) - len(input_spec)
    out = [output_shape] if isinstance(output_shape, int) else list(output_shape)
    out.insert(0, input_shape[0])
    if elided > 0 and left_elided:
        for i in range(1, elided):
            out.insert(1, input_shape[i])
    elif elided > 0:
        for i in range(len(input_shape) - elided, len(input_shape)):
            out.append(input_shape[i])
    if left_elided:
        in_map = {d: i + elided - len(input_shape) for i, d in enumerate(input_spec)}
        out_map = {d: i + elided for i, d in enumerate(output_spec)}
    else:
        in_map = {d: i for i, d in enumerate(input_spec)}
        out_map = {d: i for i, d in enumerate(output_spec)}
    for d in input_spec:
        if d in out_map:
            size = out[out_map[d]]
            if size is not None and size != input_shape[in_map[d]]:
                raise ValueError(
                    f"Input shape and output shape do not match at shared dimension '{d}'. "
                    f"Input shape is {input_shape[in_map[d]]}, and output shape is {size}."
                )
    for d in output_spec:
        if d not in input_spec and d not in weight_spec:
            raise ValueError(
                f"Dimension '{d}' was specified in the output '{output_spec}' but has no "
                f"corresponding dim in the input spec '{input_spec}' or weight spec "
                f"'{weight_spec}'"
            )
    kernel, in_axes, out_axes = [], [], []
    for i, d in enumerate(weight_spec):
        if d in out_map:
            kernel.append(out[out_map[d]])
            out_axes.append(i)
        elif d in in_map:
            kernel.append(input_shape[in_map[d]])
            in_axes.append(i)
        else:
            raise ValueError(
                f"Weight dimension '{d}' did not have a match in either the input spec "
                f"'{input_spec}' or the output spec '{output_spec}'. For this layer, the "
                "weight must be fully specified."
            )
    bias = None
    if bias_axes is not None:
        shift = elided if left_elided else 0
        sizes = {c: out[i + shift] for i, c in enumerate(output_spec)}
        for c in bias_axes:
            if c not in output_spec:
                raise ValueError(
                    f"Bias dimension '{c}' was requested, but is not part of the output "
                    f"spec '{output_spec}'"
                )
        first = min(output_spec.find(c) for c in bias_axes)
        bias = [sizes[c] if c in bias_axes else 1 for c in output_spec[first:]]
        if not left_elided:
            bias += [1] * max(elided, 0)
    return kernel, bias, out, in_axes, out_axes


class EinsumDense(Float8Weight, EinsumInt8Weight, LoRAWeight, Layer):
    """``activation(einsum(equation, inputs, kernel) + bias)``.

    Args:
        equation: ``"{input},{kernel}->{output}"``, optionally with ``...`` for the
            leading (or trailing) input axes the kernel does not touch.
        output_shape: the output shape without the batch axis (None for a size that
            equals the input's); an int for rank-2 outputs.
        activation: a name or callable; None for linear.
        bias_axes: the output axes (letters of the output spec) the bias spans; None for
            no bias.
        kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
        kernel_constraint, bias_constraint: as :class:`Dense`.
    """

    _keras_quantization_modes = ("int8", "int4", "float8")
    _quantization_modes = ("int8", "float8")

    _config_activity_regularizer = True  # Keras 3 writes the key even when None

    kernel = adapted_weight("kernel")

    def __init__(
        self,
        equation,
        output_shape,
        activation=None,
        bias_axes=None,
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
        if kwargs.pop("gptq_unpacked_column_size", None):
            raise ValueError("EinsumDense: gptq_unpacked_column_size is not supported")
        check_quantization_config(quantization_config, f"EinsumDense '{kwargs.get('name')}'")
        super().__init__(**kwargs)
        self._init_lora(lora_rank, lora_alpha)
        self.quantization_config = quantization_config  # None or an Int8QuantizationConfig
        _split(equation)
        self.equation = equation
        if isinstance(output_shape, int):
            self.partial_output_shape = (output_shape,)
        else:
            self.partial_output_shape = tuple(output_shape)
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = layer_regularizer(kernel_regularizer, self)
        self.bias_regularizer = layer_regularizer(bias_regularizer, self)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)

    def build(self, input_shape) -> None:
        kernel_shape, bias_shape, full, in_axes, out_axes = analyze(
            self.equation, self.bias_axes, input_shape, self.partial_output_shape
        )
        self.full_output_shape = tuple(full)
        self.input_spec = InputSpec(ndim=len(input_shape))
        init = self.kernel_initializer
        if isinstance(init, initializers.VarianceScaling):
            init = _FansFromAxes(init, in_axes, out_axes)
        if self.quantization_mode == "int8":  # loaded as quantized (int8_from_float32)
            self._add_int8_weights(tuple(kernel_shape))
        else:
            if self.quantization_mode == "float8":  # Keras builds these first
                self._add_float8_weights()
            self._kernel = self._add_weight(
                "kernel",
                tuple(kernel_shape),
                init,
                regularizer=self.kernel_regularizer,
                constraint=self.kernel_constraint,
            )
        self.bias = (
            self._add_weight(
                "bias",
                tuple(bias_shape),
                self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
            if bias_shape is not None
            else None
        )
        super().build(input_shape)
        self._build_lora()

    def call(self, inputs, training=None):
        if self.quantization_mode == "float8":
            return self._float8_output(inputs, training)
        if self.quantization_mode == "int8":
            y = self._int8_einsum(inputs)
            if self.lora_enabled:
                y = y + self._lora_einsum_output(inputs)
            if self.bias is not None:
                y = y + self._read(self.bias)
            return self.activation(y)
        y = einsum(self.equation, inputs, self._lora_adapted(self._read(self._kernel)))
        if self.bias is not None:
            y = y + self._read(self.bias)
        return self.activation(y)

    def _float8_product(self, x, kernel):
        return einsum(self.equation, x, kernel)

    def compute_output_shape(self, input_shape) -> tuple:
        return tuple(
            analyze(self.equation, self.bias_axes, input_shape, self.partial_output_shape)[2]
        )

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "output_shape": list(self.partial_output_shape),
            "equation": self.equation,
            "activation": activations.serialize(self.activation),
            "bias_axes": self.bias_axes,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": serialize_regularizer(self.kernel_regularizer),
            "bias_regularizer": serialize_regularizer(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "quantization_config": serialize_quantization_config(self.quantization_config),
            **self._lora_config(),
        }


class _FansFromAxes:
    """A VarianceScaling initializer whose fan in / fan out are the products of the
    kernel's input / output axes (Keras's EinsumDense rule)."""

    def __init__(self, base, in_axes, out_axes) -> None:
        self.base, self.in_axes, self.out_axes = base, in_axes, out_axes

    def __call__(self, shape, dtype=None):
        fan_in = math.prod(shape[i] for i in self.in_axes)
        fan_out = math.prod(shape[i] for i in self.out_axes)
        return reshape(self.base((fan_in, fan_out), dtype=dtype), shape)
