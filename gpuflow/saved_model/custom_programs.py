"""Custom gradients in a SavedModel: the traces tf.saved_model.save stores hold each
``tf.custom_gradient``'s ``grad_fn`` as recorded steps (TensorFlow's default
``SaveOptions(experimental_custom_gradients=True)``), so that gradients through the
loaded function are the custom ones.

A trace records those steps only while saving (``grad_fn`` is Python code the user may
count calls of: TensorFlow runs it while saving too, not while tracing). A trace made
earlier by a call is traced once more for the save, uncounted; calls keep their own.
"""

from __future__ import annotations

import contextlib

from .._tracing import tracing
from ..autodiff.custom_gradient import _Custom


@contextlib.contextmanager
def recording_programs():
    """Traces made in this block record their custom gradients' ``grad_fn`` as steps."""
    before = tracing.custom_programs
    tracing.custom_programs = True
    try:
        yield
    finally:
        tracing.custom_programs = before


def with_programs(cf):
    """``cf``, or a trace of its signature whose custom gradients have their programs
    (when ``cf`` has a custom-gradient op without one and its function can trace again)."""
    owner = cf._owner
    if not _lacks_programs(cf) or not hasattr(owner, "_concrete"):
        return cf
    keys = [k for k, c in owner._concrete.items() if c is cf]
    if not keys:
        return cf
    args, kwargs = cf._traced_signature
    for k in keys:
        del owner._concrete[k]
    try:
        with recording_programs():
            new = owner.get_concrete_function(*args, **kwargs)
    except Exception:  # noqa: BLE001 - saved as before: the forward computation only
        new = cf
    finally:
        for k in keys:
            owner._concrete[k] = cf  # calls keep the trace they made
    if new is not cf and _lacks_programs(new):
        return cf
    requested = cf.__dict__.get("_requested_signature")
    if new is not cf and requested is not None:
        new._requested_signature = requested
    return new


def _lacks_programs(cf) -> bool:
    return any(
        type(getattr(step, "fn", None)) is _Custom and "program" not in step.fn.__dict__
        for step in cf._steps
    )
