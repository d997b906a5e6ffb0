"""The dtype policy of a layer: the dtype it computes in and the dtype of its variables.

Kept in one place so that mixed precision (compute float16, variables float32) changes
only this module and the global default it reads.
"""
from __future__ import annotations

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
                raise ValueError(f"dtype policy: expected 'float16', 'float32', 'float64' or "
                                 f"'mixed_float16', received {name!r}")
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


_global_policy: DTypePolicy | None = None  # set by gpuflow.mixed_precision.set_global_policy


def set_global_policy(policy) -> None:
    """Set the policy of layers created from now on without ``dtype=`` (None: back to floatx)."""
    global _global_policy
    _global_policy = None if policy is None else as_policy(policy)


def global_policy() -> DTypePolicy:
    """The policy of layers created without ``dtype=``: the one set by
    :func:`set_global_policy`, else the default float type (``config.floatx()``)."""
    return _global_policy if _global_policy is not None else DTypePolicy(config.floatx())


def as_policy(dtype) -> DTypePolicy:
    """``dtype`` (None, a name, a dtype or a DTypePolicy) as a DTypePolicy."""
    if dtype is None:
        return global_policy()
    return dtype if isinstance(dtype, DTypePolicy) else DTypePolicy(dtype)
