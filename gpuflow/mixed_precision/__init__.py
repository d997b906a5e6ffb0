"""Mixed precision, as ``tf.keras.mixed_precision``: dtype policies and loss scaling.

Example:
    >>> from gpuflow.keras import mixed_precision
    >>> mixed_precision.set_global_policy("mixed_float16")  # compute float16, weights float32
    >>> model = make_model()          # layers created now take the policy
    >>> model.compile("adam", "sparse_categorical_crossentropy")  # wraps Adam in LossScaleOptimizer

Under ``mixed_float16`` the layers compute in float16 and keep float32 master weights;
softmax normalizes in float32 internally, and losses, metrics and the loss scale run in
float32. As in Keras, a layer's output stays float16 unless that layer is given
``dtype="float32"`` (see docs/precision.md).
"""

from ..layers.dtype_policy import DTypePolicy
from ..optimizers.loss_scale_optimizer import LossScaleOptimizer, wrap_for_policy
from .policy import POLICY_NAMES, Policy, global_policy, policy_scope, set_global_policy

__all__ = [
    "POLICY_NAMES",
    "DTypePolicy",
    "LossScaleOptimizer",
    "Policy",
    "global_policy",
    "policy_scope",
    "set_global_policy",
    "wrap_for_policy",
]

# Keras 3's names for the same two functions.
dtype_policy, set_dtype_policy = global_policy, set_global_policy
__all__ += ["dtype_policy", "set_dtype_policy"]
