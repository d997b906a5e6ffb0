"""The dtype policy of a layer: the dtype it computes in and the dtype of its variables.

Kept in one place so that mixed precision (compute float16, variables float32) changes
only this module and the defaults it reads.

Which policy a new layer takes without ``dtype=``: the innermost ``policy_scope`` of the
calling thread, else the process-wide global policy (``set_global_policy``: set once,
seen by every thread, as tf.keras 2 and ``set_floatx`` / ``set_seed`` behave), else
``config.floatx()``. Scopes are thread-local, so two threads building models under
different scopes never see each other's policy. (Keras 3 keeps even the global policy per
thread, so a worker thread there starts at float32; here it starts at the policy the
program set, the behaviour that code setting a policy once at startup expects.)
"""

from __future__ import annotations

import contextlib
import threading

from .. import config, dtypes


class DTypePolicy:
    """A named pair ``(compute_dtype, variable_dtype)``.

    Args:
        name: a float dtype name (``"float32"``: both the same) or ``"mixed_float16"``
            (compute float16, variables float32).

    Raises:
        ValueError: for any other name.
    """

    def __init__(self, name) -> None:
        if isinstance(name, DTypePolicy):
            name = name.name
        if isinstance(name, dict) and isinstance(name.get("config"), dict):
            name = name["config"].get("name")  # Keras' serialized DTypePolicy
        text = str(getattr(name, "name", name))
        if text == "mixed_float16":
            compute, variable = "float16", "float32"
        else:
            try:
                dt = dtypes.as_dtype(text, "dtype policy")
            except TypeError:
                dt = None
            if dt is None:
                raise ValueError(
                    f"dtype policy: expected 'float16', 'float32', 'float64' or "
                    f"'mixed_float16', received {name!r}"
                )
            compute = variable = dt.name
        self.name = text
        self.compute_dtype = compute
        self.variable_dtype = variable

    def __eq__(self, other) -> bool:
        return isinstance(other, DTypePolicy) and other.name == self.name

    def __hash__(self) -> int:
        return hash(self.name)

    def __repr__(self) -> str:
        return f'<DTypePolicy "{self.name}">'


class _Policies(threading.local):
    """The process-wide policy (a class attribute) and this thread's scopes."""

    process_policy: DTypePolicy | None = None  # set by gpuflow.mixed_precision.set_global_policy

    def __init__(self) -> None:
        self.scopes: list = []  # this thread's policy_scope policies, innermost last


_policies = _Policies()


def set_global_policy(policy) -> None:
    """Set the policy of layers created from now on without ``dtype=`` (None: back to
    floatx), in every thread; a thread's ``policy_scope`` still takes precedence there."""
    _Policies.process_policy = None if policy is None else as_policy(policy)


def global_policy() -> DTypePolicy:
    """The policy of layers created without ``dtype=`` on this thread: the innermost
    :func:`policy_scope`, else the one set by :func:`set_global_policy`, else the default
    float type (``config.floatx()``)."""
    scopes = _policies.scopes
    policy = scopes[-1] if scopes else _Policies.process_policy  # a scope of None: floatx
    return policy if policy is not None else DTypePolicy(config.floatx())


@contextlib.contextmanager
def policy_scope(policy):
    """Layers created in the block, on this thread, take ``policy`` (other threads don't)."""
    scopes = _policies.scopes
    scopes.append(None if policy is None else as_policy(policy))
    try:
        yield global_policy()
    finally:
        scopes.pop()


def as_policy(dtype) -> DTypePolicy:
    """``dtype`` (None, a name, a dtype or a DTypePolicy) as a DTypePolicy."""
    if dtype is None:
        return global_policy()
    return dtype if isinstance(dtype, DTypePolicy) else DTypePolicy(dtype)
