"""``tf.quantization.fake_quant_with_min_max_args_gradient`` / ``_vars_gradient`` /
``_vars_per_channel_gradient``: the backward pass of the FakeQuant ops as ops of their
own, computed by the same gradient that ``GradientTape`` takes through them."""

from __future__ import annotations

import collections

from ..autodiff.tape import GradientTape
from ..ops.cast import cast
from ..ops.creation import convert_to_tensor, zeros_like
from .fake_quant import (
    fake_quant_with_min_max_args,
    fake_quant_with_min_max_vars,
    fake_quant_with_min_max_vars_per_channel,
)

_FIELDS = ["backprops_wrt_input", "backprop_wrt_min", "backprop_wrt_max"]
VarsGradient = collections.namedtuple("FakeQuantWithMinMaxVarsGradient", _FIELDS)
PerChannelGradient = collections.namedtuple("FakeQuantWithMinMaxVarsPerChannelGradient", _FIELDS)


def _backward(forward, gradients, sources):
    with GradientTape() as tape:
        for source in sources:
            tape.watch(source)
        outputs = forward(*sources)
    grads = tape.gradient(outputs, sources, output_gradients=gradients)
    return [zeros_like(s) if g is None else g for s, g in zip(sources, grads)]


def _float32(value):
    return cast(convert_to_tensor(value), "float32")


def fake_quant_with_min_max_args_gradient(
    gradients,
    inputs,
    min=-6.0,  # noqa: A002 - TensorFlow's name
    max=6.0,  # noqa: A002 - TensorFlow's name
    num_bits=8,
    narrow_range=False,
    name=None,
):
    """``gradients`` where ``inputs`` lies inside the nudged ``[min, max]``, else 0."""
    (backprops,) = _backward(
        lambda x: fake_quant_with_min_max_args(x, min, max, num_bits, narrow_range),
        _float32(gradients),
        [_float32(inputs)],
    )
    return backprops


def fake_quant_with_min_max_vars_gradient(
    gradients,
    inputs,
    min,
    max,
    num_bits=8,
    narrow_range=False,
    name=None,  # noqa: A002
):
    """``(backprops_wrt_input, backprop_wrt_min, backprop_wrt_max)`` of
    ``fake_quant_with_min_max_vars``."""
    return VarsGradient(
        *_backward(
            lambda x, lo, hi: fake_quant_with_min_max_vars(x, lo, hi, num_bits, narrow_range),
            _float32(gradients),
            [_float32(inputs), _float32(min), _float32(max)],
        )
    )


def fake_quant_with_min_max_vars_per_channel_gradient(
    gradients,
    inputs,
    min,
    max,
    num_bits=8,
    narrow_range=False,
    name=None,  # noqa: A002
):
    """As ``fake_quant_with_min_max_vars_gradient``, one ``[min, max]`` per channel."""
    return PerChannelGradient(
        *_backward(
            lambda x, lo, hi: fake_quant_with_min_max_vars_per_channel(
                x, lo, hi, num_bits, narrow_range
            ),
            _float32(gradients),
            [_float32(inputs), _float32(min), _float32(max)],
        )
    )
