"""The top-level tensor names TensorFlow has beyond the core few (``tf.sin``, ``tf.split``,
``tf.einsum``, ...), gathered in one list that ``gpuflow/__init__.py`` re-exports."""

from .autodiff.custom_gradient import custom_gradient
from .autodiff.gradient_registry import RegisterGradient
from .dtypes import DType, as_dtype, double, half, uint16, uint32, uint64
from .name_scopes import name_scope
from .ops.checks import assert_equal, assert_greater, assert_less, assert_rank
from .ops.control_flow import (
    case,
    foldl,
    foldr,
    identity_n,
    map_fn,
    no_op,
    scan,
    switch_case,
    vectorized_map,
)
from .ops.creation import convert_to_tensor
from .ops.indexing import (
    boolean_mask,
    gather_nd,
    newaxis,
    scatter_nd,
    sequence_mask,
    slice,
    strided_slice,
    tensor_scatter_nd_add,
    tensor_scatter_nd_max,
    tensor_scatter_nd_min,
    tensor_scatter_nd_sub,
    tensor_scatter_nd_update,
)
from .ops.linalg import einsum, tensordot
from .ops.linalg_decomp import norm
from .ops.math import (
    acos,
    acosh,
    add_n,
    asin,
    asinh,
    atan,
    atan2,
    atanh,
    cos,
    cosh,
    floor,
    round,
    sin,
    sinh,
    tan,
    truediv,
)
from .ops.math_extra import clip_by_global_norm, clip_by_norm, cumsum
from .ops.math_more import scalar_mul, searchsorted, truncatediv, truncatemod
from .ops.rearrange import pad, repeat, reverse, roll
from .ops.reduce import reduce_prod
from .ops.saturate import saturate_cast
from .ops.shape import ensure_shape, identity, split, unstack
from .ops.shape_extra import meshgrid
from .ops.sorting import argsort, sort, unique
from .print_op import print  # noqa: A004 - tf.print
from .tensor import Tensor as _Tensor


def is_tensor(x) -> bool:
    """Whether ``x`` is a gpuflow Tensor (or Variable)."""
    return isinstance(x, _Tensor)


__all__ = [
    "RegisterGradient",
    "saturate_cast",
    "case",
    "foldl",
    "foldr",
    "identity_n",
    "map_fn",
    "no_op",
    "scan",
    "switch_case",
    "vectorized_map",
    "scalar_mul",
    "searchsorted",
    "truncatediv",
    "truncatemod",
    "name_scope",
    "assert_equal",
    "assert_greater",
    "assert_less",
    "assert_rank",
    "is_tensor",
    "custom_gradient",
    "DType",
    "as_dtype",
    "double",
    "half",
    "uint16",
    "uint32",
    "uint64",
    "convert_to_tensor",
    "boolean_mask",
    "gather_nd",
    "newaxis",
    "scatter_nd",
    "sequence_mask",
    "slice",
    "strided_slice",
    "tensor_scatter_nd_add",
    "tensor_scatter_nd_max",
    "tensor_scatter_nd_min",
    "tensor_scatter_nd_sub",
    "tensor_scatter_nd_update",
    "einsum",
    "tensordot",
    "norm",
    "acos",
    "acosh",
    "add_n",
    "asin",
    "asinh",
    "atan",
    "atan2",
    "atanh",
    "cos",
    "cosh",
    "floor",
    "round",
    "sin",
    "sinh",
    "tan",
    "truediv",
    "clip_by_global_norm",
    "clip_by_norm",
    "cumsum",
    "pad",
    "repeat",
    "reverse",
    "roll",
    "reduce_prod",
    "ensure_shape",
    "identity",
    "split",
    "unstack",
    "meshgrid",
    "argsort",
    "sort",
    "unique",
    "print",
]

# TF2 initializer classes, eager graph-compat names, misc ops (tf.get_logger and
# tf.unravel_index come from gpuflow/logger.py and ops/broadcast_shapes.py)
from .graph_compat import (  # noqa: E402
    control_dependencies,
    gradients,
    group,
    guarantee_const,
    hessians,
    init_scope,
    inside_function,
    no_gradient,
    tuple,  # noqa: A004 - tf.tuple
)
from .ops.approx_top_k import approx_top_k  # noqa: E402
from .ops.misc_tf import (  # noqa: E402
    dynamic_partition,
    dynamic_stitch,
    get_static_value,
    realdiv,
    reverse_sequence,
    timestamp,
    unique_with_counts,
)
from .tf_initializers import (  # noqa: E402
    constant_initializer,
    ones_initializer,
    random_normal_initializer,
    random_uniform_initializer,
    zeros_initializer,
)

__all__ += [  # noqa: PLE0605
    "control_dependencies",
    "gradients",
    "group",
    "guarantee_const",
    "hessians",
    "init_scope",
    "inside_function",
    "no_gradient",
    "tuple",
    "dynamic_partition",
    "dynamic_stitch",
    "get_static_value",
    "realdiv",
    "reverse_sequence",
    "timestamp",
    "unique_with_counts",
    "approx_top_k",
    "constant_initializer",
    "ones_initializer",
    "random_normal_initializer",
    "random_uniform_initializer",
    "zeros_initializer",
]
