"""The global dtype policy: which (compute, variable) dtypes new layers take.

``set_global_policy`` is a process-wide setting (every thread sees it, as in TensorFlow);
``policy_scope`` is a with-block on the calling thread only (see
``gpuflow/layers/dtype_policy.py``).
"""

from __future__ import annotations

from ..layers import dtype_policy
from ..layers.dtype_policy import DTypePolicy

POLICY_NAMES = ("mixed_float16", "mixed_bfloat16", "float16", "bfloat16", "float32", "float64")

#: Keras' name for the policy class.
Policy = DTypePolicy


def set_global_policy(policy) -> None:
    """Set the dtype policy of every layer created from now on without ``dtype=``.

    Args:
        policy: ``"mixed_float16"`` (compute float16, variables float32),
            ``"mixed_bfloat16"`` (compute bfloat16, variables float32, no loss scaling),
            ``"float16"``, ``"bfloat16"``, ``"float32"``, ``"float64"``, a
            :class:`DTypePolicy`, or None to go back to the default float type
            (``gpuflow.config.floatx()``).

    Raises:
        ValueError: for any other name, listing the valid ones.

    Existing layers keep their policy; ``compile()`` of a model with a ``mixed_float16``
    policy wraps its optimizer in :class:`LossScaleOptimizer`.
    """
    _check_name(policy, "set_global_policy")
    dtype_policy.set_global_policy(policy)


def global_policy() -> DTypePolicy:
    """The policy new layers take when created without ``dtype=``."""
    return dtype_policy.global_policy()


def policy_scope(policy):
    """``with policy_scope("mixed_float16"):`` layers created in the block on this thread take
    the policy; other threads and the global policy are untouched.

    Raises:
        ValueError: for an unknown policy name, listing the valid ones.
    """
    _check_name(policy, "policy_scope")
    return dtype_policy.policy_scope(policy)


def _check_name(policy, where: str) -> None:
    if policy is not None and not isinstance(policy, DTypePolicy):
        name = str(getattr(policy, "name", policy))
        if name not in POLICY_NAMES:
            raise ValueError(
                f"{where}: expected one of {', '.join(POLICY_NAMES)} or None, received {policy!r}"
            )
