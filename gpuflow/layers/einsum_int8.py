"""int8 weights of ``EinsumDense`` (Keras 3's layout, so that files move both ways).

The kernel is quantized over the axes the equation contracts (one scale per kept index),
the inputs over theirs; both scales are laid out along the output's axes
(:func:`quantization_info`, a port of Keras' ``_analyze_quantization_info``) so that the
integer einsum's result is divided by their product.
"""

from __future__ import annotations

import math
import re
import string

import numpy as np

from ..autodiff.state import state as tape_state
from ..autodiff.tape import stop_gradient
from ..ops.cast import cast
from ..ops.linalg import einsum, matmul
from ..ops.math import add, divide, multiply, subtract
from ..ops.shape import expand_dims, squeeze, transpose
from .int8_weights import Int8Weight, abs_max_quantize, exact_sum_dtype, quantize_rows


def _specs(equation: str, ndim: int):
    """The equation's input, kernel and output labels with an ellipsis spelled out."""
    labels = string.ascii_letters
    text = re.sub(r"\.\.\.", "0", equation)
    found = re.match("([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)", text)
    if found is not None:
        return found.group(1), found.group(2), found.group(3)
    for pattern, front in (
        ("0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)", True),
        ("([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0", False),
    ):
        found = re.match(pattern, text)
        if found is None:
            continue
        inp, ker, out = found.group(1), found.group(2), found.group(3)
        free = sorted(set(labels) - set(inp) - set(ker) - set(out))
        for i in range(ndim - len(inp)):
            inp, out = (free[i] + inp, free[i] + out) if front else (inp + free[i], out + free[i])
        return inp, ker, out
    raise ValueError(
        f"Invalid einsum equation '{equation}'. Equations must be in the form [X],[Y]->[Z], "
        "...[X],[Y]->...[Z], or [X]...,[Y]->[Z]...."
    )


def quantization_info(equation: str, ndim: int) -> dict:
    """Keras' ``_analyze_quantization_info``, step for step (its quirks too, so that the
    scales' shapes match Keras' files): the reduced axes of the inputs and the kernel, and
    the transpose / expand / squeeze that lay each scale out along the output's axes."""
    inp, ker, out = _specs(equation, ndim)
    reduced = {
        k: [i for i, c in enumerate(spec) if out.find(c) == -1]
        for k, spec in (("input", inp), ("kernel", ker))
    }
    index = out.find(ker[-1]) if ker else -1  # where Keras' reduction loops leave `index`
    info = {}
    for key, spec in (("input", inp), ("kernel", ker)):
        expand = [i for i, c in enumerate(out) if spec.find(c) == -1]
        order = [spec.find(c) for c in out if spec.find(c) != -1]
        squeezed = []
        for original in reduced[key]:
            try:
                index = expand.pop(0)
            except IndexError:
                squeezed.append(original)
            order.insert(index, original)
        info[key] = {
            "reduced": reduced[key],
            "transpose": order,
            "expand": expand,
            "squeeze": squeezed,
        }
    info["gradient"] = f"{out},{ker}->{inp}"
    return info


def _lay_out(xp_transpose, xp_expand, xp_squeeze, scale, layout: dict):
    """A scale with the reduced axes kept (size 1) laid out along the output's axes."""
    if layout["transpose"]:
        scale = xp_transpose(scale, layout["transpose"])
    if layout["expand"]:
        scale = xp_expand(scale, layout["expand"])
    if layout["squeeze"]:
        scale = xp_squeeze(scale, layout["squeeze"])
    return scale


def _np_layout(scale, layout):
    return _lay_out(
        np.transpose,
        lambda s, axes: np.expand_dims(s, tuple(axes)),
        lambda s, axes: np.squeeze(s, tuple(axes)),
        scale,
        layout,
    )


def _tensor_layout(scale, layout):
    def expand(s, axes):
        for a in sorted(axes):
            s = expand_dims(s, a)
        return s

    return _lay_out(transpose, expand, lambda s, axes: squeeze(s, list(axes)), scale, layout)


class EinsumInt8Weight(Int8Weight):
    """``Int8Weight`` for ``EinsumDense``: scales over the contracted axes."""

    def _int8_info(self) -> dict:
        info = self.__dict__.get("_int8_layout")
        if info is None:
            info = quantization_info(self.equation, self.input_spec.ndim)
            self.__dict__["_int8_layout"] = info
        return info

    def _int8_quantize_array(self, values: np.ndarray):
        layout = self._int8_info()["kernel"]
        q, scale = abs_max_quantize(values, tuple(layout["reduced"]))
        return q, _np_layout(scale, layout)

    def _int8_scale_shape(self, shape) -> tuple:
        layout = self._int8_info()["kernel"]
        kept = np.ones((1,) * len(shape))
        full = np.broadcast_to(
            kept, [1 if i in layout["reduced"] else n for i, n in enumerate(shape)]
        )
        return tuple(_np_layout(np.asarray(full), layout).shape)

    def _int8_dequantized(self):
        """``int8 / scale`` with the scale laid back along the kernel's axes."""
        layout = self._int8_info()["kernel"]
        scale = cast(self._read(getattr(self, self._int8_scale)), self.compute_dtype)
        if layout["squeeze"]:
            for a in sorted(layout["squeeze"]):
                scale = expand_dims(scale, a)
        if layout["expand"]:
            scale = squeeze(scale, list(layout["expand"]))
        if layout["transpose"]:
            order = layout["transpose"]
            scale = transpose(scale, sorted(range(len(order)), key=order.__getitem__))
        weight = cast(self._read(getattr(self, f"_{self._int8_weight}")), self.compute_dtype)
        return divide(weight, scale)

    def _int8_einsum(self, inputs):
        """Keras' int8 EinsumDense call: inputs quantized over their contracted axes (not
        for weight-only int8), the einsum with the int8 kernel summed exactly, divided by
        the scales; under a recording tape the input gradient is the float kernel's."""
        info = self._int8_info()
        k_q = self._read(getattr(self, f"_{self._int8_weight}"))
        k_scale = cast(self._read(getattr(self, self._int8_scale)), "float32")
        quantizer = self._int8_inputs()
        if quantizer is None:  # weight-only: float inputs with the int8 kernel
            product = einsum(self.equation, cast(inputs, "float32"), cast(k_q, "float32"))
            exact = cast(divide(product, k_scale), self.compute_dtype)
        else:
            reduced = info["input"]["reduced"]
            x_q, x_scale = quantize_rows(inputs, quantizer, reduced)
            terms = math.prod(int(inputs.shape[a]) for a in reduced) if reduced else 1
            exact_dtype = exact_sum_dtype(terms, quantizer)
            sums = einsum(self.equation, cast(x_q, exact_dtype), cast(k_q, exact_dtype))
            x_scale = _tensor_layout(x_scale, info["input"])
            sums = cast(sums, "float32")
            exact = cast(divide(sums, multiply(x_scale, k_scale)), self.compute_dtype)
        if not tape_state.recording:
            return exact
        float_path = einsum(
            self.equation, cast(inputs, self.compute_dtype), self._int8_dequantized()
        )
        return add(float_path, stop_gradient(subtract(exact, float_path)))

    def _lora_einsum_output(self, inputs):
        """``(lora_alpha / rank) * einsum(inputs, A) @ B`` (Keras' int8 EinsumDense)."""
        x = einsum(self.equation, cast(inputs, "float32"), self.lora_kernel_a)
        y = multiply(matmul(x, self.lora_kernel_b), self.lora_alpha / self.lora_rank)
        return cast(y, self.compute_dtype)
