"""NaN hunting, as ``tf.debugging.enable_check_numerics``.

Once enabled, every op's output (forward) and every gradient an op hands back to its
inputs (backward) is checked; the first one holding NaN or Inf raises
:class:`CheckNumericsError` naming the op, the layer that ran it and the direction::

    gpuflow.debugging.enable_check_numerics()
    model.fit(x, y)   # CheckNumericsError: check_numerics: op Dense in layer 'dense_1' ...

Each check costs one reduction and one device-to-host sync per op; disabled (the
default) it costs one attribute test per op. As in TensorFlow, enabling and disabling take
effect only on the calling thread (the hook lives on the thread's autodiff state).
"""

from __future__ import annotations

from . import dtypes
from .autodiff.function import Function
from .autodiff.state import state
from .errors import InvalidArgumentError
from .layers.base import current_layers
from .ops.checks import (  # noqa: F401
    assert_all_finite,
    assert_equal,
    assert_greater,
    assert_greater_equal,
    assert_integer,
    assert_less,
    assert_less_equal,
    assert_near,
    assert_negative,
    assert_non_negative,
    assert_non_positive,
    assert_none_equal,
    assert_positive,
    assert_rank,
    assert_rank_at_least,
    assert_scalar,
    assert_type,
    check_numerics,
    is_numeric_tensor,
)

__all__ = [
    "CheckNumericsError",
    "check_numerics_enabled",
    "disable_check_numerics",
    "enable_check_numerics",
    "assert_all_finite",
    "assert_equal",
    "assert_greater",
    "assert_greater_equal",
    "assert_integer",
    "assert_less",
    "assert_less_equal",
    "assert_near",
    "assert_negative",
    "assert_non_negative",
    "assert_non_positive",
    "assert_none_equal",
    "assert_positive",
    "assert_rank",
    "assert_rank_at_least",
    "assert_scalar",
    "assert_type",
    "check_numerics",
    "is_numeric_tensor",
]


class CheckNumericsError(InvalidArgumentError, FloatingPointError):
    """An op produced NaN or Inf while check numerics was enabled: TensorFlow's
    ``InvalidArgumentError`` (what ``tf.debugging.enable_check_numerics`` raises), and a
    ``FloatingPointError``.

    Attributes:
        op: the op's name (e.g. ``"Dense"``). layer: the layer path (``"sequential/dense_1"``)
        or None outside any layer. direction: ``"forward"`` or ``"backward"``.
    """

    def __init__(self, message: str, op: str, layer: str | None, direction: str) -> None:
        InvalidArgumentError.__init__(self, None, op, message)
        self.layer, self.direction = layer, direction

    def __reduce__(self):
        return type(self), (self.message, self.op, self.layer, self.direction)


def _layer_path() -> str | None:
    stack = current_layers()
    return "/".join(layer.name for layer in stack) if stack else None


def _check(fn: Function, array, direction: str) -> None:
    if direction == "forward":
        # Backward runs outside any layer call: remember where the op was created.
        fn._check_numerics_layer = _layer_path()
    if getattr(array, "dtype", None) is None or dtypes.kind(array.dtype) not in "fc":
        return
    xp = fn.xp
    finite = xp.isfinite(array)
    if bool(finite.all()):
        return
    nan = int(xp.isnan(array).sum())
    inf = int(array.size - int(finite.sum())) - nan
    op = fn.op_name()
    layer = getattr(fn, "_check_numerics_layer", None)
    where = f"in layer '{layer}'" if layer else "outside any layer"
    what = "its output" if direction == "forward" else "the gradient it passed to one of its inputs"
    raise CheckNumericsError(
        f"check_numerics: op {op} {where} produced {nan} NaN and {inf} Inf values "
        f"(of {array.size}) in {what} during the {direction} pass "
        f"(shape {tuple(array.shape)}, dtype {array.dtype.name}). " + _hint(array.dtype, direction),
        op,
        layer,
        direction,
    )


def _hint(dtype, direction: str) -> str:
    if dtype == "float16":
        return (
            "float16 overflows above 65504: use the mixed_float16 policy (float32 weights, "
            "loss scaling) or float32."
        )
    if direction == "backward":
        return (
            "Gradients blew up: lower the learning rate, clip gradients (clipnorm=) "
            "or check the loss."
        )
    return "Check the inputs of this op (and the learning rate if weights have diverged)."


def enable_check_numerics(stack_height_limit: int = 30, path_length_limit: int = 50) -> None:
    """Check every op's output and gradients for NaN/Inf from now on (TF's signature; the
    limits are accepted for compatibility and unused). Affects the calling thread only."""
    state.check_hook = _check


def disable_check_numerics() -> None:
    """Stop checking on the calling thread (the default)."""
    if state.check_hook is _check:
        state.check_hook = None


def check_numerics_enabled() -> bool:
    """Whether :func:`enable_check_numerics` is in effect on the calling thread."""
    return state.check_hook is _check


# assert_shapes, assert_rank_in, assert_same_float_dtype, placement/traceback flags (helper-misc)
from .debugging_extra import (  # noqa: E402,F401
    assert_rank_in,
    assert_same_float_dtype,
    assert_shapes,
    disable_traceback_filtering,
    enable_traceback_filtering,
    get_log_device_placement,
    is_traceback_filtering_enabled,
    set_log_device_placement,
)

__all__ += [
    "assert_rank_in",
    "assert_same_float_dtype",
    "assert_shapes",
    "disable_traceback_filtering",
    "enable_traceback_filtering",
    "get_log_device_placement",
    "is_traceback_filtering_enabled",
    "set_log_device_placement",
]

# Assert and assert_proper_iterable
from .tf_extras import Assert, assert_proper_iterable  # noqa: E402,F401

__all__ += ["Assert", "assert_proper_iterable"]
