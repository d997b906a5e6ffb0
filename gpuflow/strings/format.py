"""``tf.strings.format``: a scalar string from a template whose placeholders are replaced by
tensors, each laid out as ``tf.print`` lays it out (``summarize`` elements at each end of
an axis, ``...`` between), with TensorFlow's ``1``/``0`` for bools and quoted strings."""

from __future__ import annotations

import numpy as np

from ..ops.creation import convert_to_tensor
from ..print_op import tensor_text
from ..tensor import Tensor
from ._common import host_tensor


def format(template, inputs, placeholder="{}", summarize=3, name=None):  # noqa: A001
    """``template`` with each ``placeholder`` replaced by the next tensor of ``inputs``.

    Args:
        template: a Python string.
        inputs: a tensor or a list of tensors (values convertible to tensors).
        placeholder: the text each input replaces.
        summarize: elements shown at each end of every axis (-1: all).

    Returns:
        A scalar tf.string tensor.

    Raises:
        ValueError: the number of placeholders differs from the number of inputs.
    """
    if isinstance(template, Tensor):
        template = template.numpy().item()
    if isinstance(template, bytes):
        template = template.decode("utf-8")
    if not isinstance(template, str):
        raise TypeError(
            f"strings.format: template must be a Python string, received {type(template).__name__}"
        )
    if isinstance(inputs, Tensor):
        inputs = [inputs]
    elif not isinstance(inputs, (list, tuple)):
        raise TypeError(
            f"strings.format: inputs must be a tensor or a list of tensors, received "
            f"{type(inputs).__name__} {inputs!r}"
        )
    if template.count(placeholder) != len(inputs):
        raise ValueError(
            f"The template expects {template.count(placeholder)} tensors, but the inputs only "
            f"has {len(inputs)}. Please ensure the number of placeholders in template matches "
            "inputs length."
        )
    if summarize is None:
        summarize = 3
    pieces = template.split(placeholder)
    out = [pieces[0]]
    for value, piece in zip(inputs, pieces[1:]):
        t = value if isinstance(value, Tensor) else convert_to_tensor(value)
        out.append(tensor_text(t, int(summarize)))
        out.append(piece)
    return host_tensor(np.array("".join(out).encode("utf-8"), dtype=object))
