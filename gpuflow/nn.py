"""``gpuflow.nn``: the neural-network ops of ``tf.nn``."""

# CTC, space-to-batch, more convolutions and pools, sampled losses
from . import nn_experimental as experimental  # noqa: E402,F401
from .ops.conv import avg_pool2d  # noqa: F401
from .ops.math_extra import l2_normalize  # noqa: F401
from .ops.math_more import zero_fraction  # noqa: F401
from .ops.nn import (  # noqa: F401
    dense,
    dropout,
    elu,
    gelu,
    leaky_relu,
    log_softmax,
    relu,
    relu6,
    selu,
    sigmoid,
    sigmoid_cross_entropy_with_logits,
    silu,
    softmax,
    softmax_cross_entropy_with_logits,
    softplus,
    sparse_softmax_cross_entropy_with_logits,
    swish,
    tanh,
)
from .ops.nn_conv import (  # noqa: F401  (tf.nn.conv3d, conv2d_transpose, ...)
    avg_pool3d,
    conv2d,
    conv2d_transpose,
    conv3d,
    depthwise_conv2d,
    max_pool2d,
    max_pool3d,
    separable_conv2d,
)
from .ops.nn_conv1d import (  # noqa: F401  (1-D convs/pools, convolution, pool)
    avg_pool1d,
    conv1d,
    conv1d_transpose,
    convolution,
    max_pool1d,
    pool,
)
from .ops.nn_ctc import (  # noqa: E402,F401
    collapse_repeated,
    ctc_beam_search_decoder,
    ctc_greedy_decoder,
    ctc_loss,
    ctc_unique_labels,
)
from .ops.nn_embed_misc import (  # noqa: E402,F401
    batch_norm_with_global_normalization,
    embedding_lookup_sparse,
    isotonic_regression,
    safe_embedding_lookup_sparse,
    scale_regularization_loss,
)
from .ops.nn_extra import bias_add, embedding_lookup, l2_loss, moments  # noqa: F401
from .ops.nn_more import (  # noqa: F401
    batch_normalization,
    compute_average_loss,
    crelu,
    depth_to_space,
    log_poisson_loss,
    normalize_moments,
    softsign,
    space_to_depth,
    weighted_cross_entropy_with_logits,
)
from .ops.nn_norm_stats import (  # noqa: F401
    local_response_normalization,
    lrn,
    sufficient_statistics,
    weighted_moments,
)
from .ops.nn_pool_more import (  # noqa: E402,F401
    dilation2d,
    erosion2d,
    fractional_avg_pool,
    fractional_max_pool,
    max_pool_with_argmax,
)
from .ops.nn_pool_nd import avg_pool, max_pool  # noqa: E402,F401  (rank 3, 4 or 5)
from .ops.nn_sampled import nce_loss, sampled_softmax_loss  # noqa: E402,F401
from .ops.nn_space import (  # noqa: E402,F401
    atrous_conv2d,
    atrous_conv2d_transpose,
    conv3d_transpose,
    conv_transpose,
    depthwise_conv2d_backprop_filter,
    depthwise_conv2d_backprop_input,
    space_to_batch,
    with_space_to_batch,
)
from .ops.sorting import in_top_k, top_k  # noqa: F401
from .ops.special_more import approx_max_k, approx_min_k  # noqa: E402,F401  (as tf.math)
from .random_samplers import (  # noqa: E402,F401
    all_candidate_sampler,
    compute_accidental_hits,
    fixed_unigram_candidate_sampler,
    learned_unigram_candidate_sampler,
)

__all__ = [n for n in dir() if not n.startswith("_")]

from ._symbolic_dispatch import install as _install  # noqa: E402

_install(globals())  # ops called on KerasTensors build TFOpLambda layers, as in TF

_CELL_WRAPPERS = ("RNNCellDeviceWrapper", "RNNCellDropoutWrapper", "RNNCellResidualWrapper")


def __getattr__(name: str):
    if name in _CELL_WRAPPERS:  # tf.nn.RNNCell*Wrapper: Keras layers, imported on first use
        from .layers.recurrent import cell_wrappers

        return getattr(cell_wrappers, name)
    raise AttributeError(f"module 'gpuflow.nn' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_CELL_WRAPPERS))
