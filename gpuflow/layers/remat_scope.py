"""``keras.RematScope`` (Keras 3): layers created inside the scope recompute their
activations in the backward pass (``keras.remat``) instead of keeping them.

The mode is taken when a layer is created (as Keras records it); at call time
:func:`remat_call` gives the layer's ``call`` wrapped by ``keras.remat`` when the mode says
so. Values and gradients are unchanged.
"""

from __future__ import annotations

import functools
import math
import threading
from collections import namedtuple

from .._tracing import tracing
from ..autodiff.forward import recompute_grad
from ..tensor import Tensor

RematMode = namedtuple("RematMode", ["mode", "output_size_threshold", "layer_names"])

_MODES = ("full", "activations", "larger_than", "list_of_layers", None)
_local = threading.local()


def _stack() -> list:
    stack = getattr(_local, "stack", None)
    if stack is None:
        stack = _local.stack = []
    return stack


class RematScope:
    """A context manager for enabling rematerialization in Keras (as Keras 3's).

    Args:
        mode: ``"full"`` (every layer), ``"activations"`` (the activation of layers that
            have one), ``"larger_than"`` (layers whose output has more than
            ``output_size_threshold`` elements), ``"list_of_layers"`` (layers named in
            ``layer_names``), or None (off).
        output_size_threshold: the size for ``"larger_than"`` (default 1024).
        layer_names: the names for ``"list_of_layers"``.

    Raises:
        ValueError: for another mode.
    """

    def __init__(self, mode="full", output_size_threshold=1024, layer_names=None):
        if mode not in _MODES:
            raise ValueError(
                f"Invalid mode '{mode}'. Supported modes are: 'full', 'activations', "
                "'larger_than', 'list_of_layers', or  None."
            )
        self.mode = mode
        self.output_size_threshold = output_size_threshold
        self.layer_names = layer_names or []
        self._pop_on_exit = False

    def __enter__(self):
        _stack().append(self)
        self._pop_on_exit = True
        return self

    def __exit__(self, *exc) -> None:
        if self._pop_on_exit:
            _stack().pop()
            self._pop_on_exit = False


def get_current_remat_mode():
    """The innermost RematScope's settings as a ``RematMode``, or None outside any."""
    stack = _stack()
    if not stack:
        return None
    scope = stack[-1]
    return RematMode(scope.mode, scope.output_size_threshold, scope.layer_names)


def remat_call(layer, call, inputs):
    """``call`` (the layer's), wrapped to recompute its activations when the mode the
    layer was created under says so; ``call`` itself otherwise, for inputs other than one
    tensor (which ``keras.remat`` does not take here), and inside a compiled step
    (``gpuflow.function``), where a recomputed gradient is not yet exact."""
    mode = layer._remat_mode
    if mode is None or mode.mode is None or not isinstance(inputs, Tensor):
        return call
    if tracing.trace is not None:
        return call
    if mode.mode == "full":
        return recompute_grad(call)
    if mode.mode == "list_of_layers":
        return recompute_grad(call) if layer.name in mode.layer_names else call
    if mode.mode == "larger_than":
        try:
            shape = layer.compute_output_shape(tuple(inputs.shape))
        except Exception:  # noqa: BLE001 - no static shape: no rematerialization
            return call
        if isinstance(shape, tuple) and all(isinstance(d, (int, type(None))) for d in shape):
            size = math.prod(d or 1 for d in shape)
            if size > mode.output_size_threshold:
                return recompute_grad(call)
        return call
    activation = getattr(layer, "activation", None)  # "activations"
    if activation is None:
        return call

    @functools.wraps(call)
    def with_rematerialized_activation(*args, **kwargs):
        layer.activation = recompute_grad(activation)
        try:
            return call(*args, **kwargs)
        finally:
            layer.activation = activation

    return with_rematerialized_activation
