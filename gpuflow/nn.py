"""``gpuflow.nn``: the neural-network ops of ``tf.nn``."""
from .ops.conv import avg_pool2d, conv2d, max_pool2d
from .ops.nn import (dense, dropout, elu, gelu, leaky_relu, log_softmax, relu, sigmoid,
                     sigmoid_cross_entropy_with_logits, softmax, softmax_cross_entropy_with_logits,
                     softplus, sparse_softmax_cross_entropy_with_logits, tanh)

max_pool = max_pool2d
avg_pool = avg_pool2d

__all__ = [n for n in dir() if not n.startswith("_")]

from ._symbolic_dispatch import install as _install  # noqa: E402

_install(globals())  # ops called on KerasTensors build TFOpLambda layers, as in TF
