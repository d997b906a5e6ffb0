"""gpuflow: a deep learning framework with TensorFlow's tensor API and tf.keras models.

NumPy on the CPU, CuPy and our own CUDA kernels on NVIDIA GPUs; ``import gpuflow as tf``
runs the common subset of TensorFlow 2 / tf.keras code.
"""

from __future__ import annotations

import importlib
import warnings

__version__ = "0.1.0"

from . import (  # noqa: E402
    config,
    dtypes,
    errors,  # noqa: E402,F401  (tf.errors)
    linalg,  # noqa: E402
    random,
)
from . import ops as _ops  # noqa: E402,F401  (installs Tensor operators)
from ._symbolic_dispatch import install as _install_dispatch  # noqa: E402
from ._symbolic_dispatch import v1_aware as _v1_aware  # noqa: E402
from ._tensor_api import *  # noqa: E402,F401,F403  (the rest of TF's tensor API: tf.sin, tf.split, ...)
from .autodiff import GradientTape, UnconnectedGradients, no_grad, stop_gradient  # noqa: E402
from .backend import current_device, device, list_devices  # noqa: E402
from .dtypes import (
    bfloat16,
    float16,
    float32,
    float64,
    int8,
    int16,
    int32,
    int64,  # noqa: E402
    string,
    uint8,
)
from .dtypes import (
    bool_ as bool,
)
from .graph import cond, function, while_loop  # noqa: E402
from .graph.graph_view import Graph, Operation  # noqa: E402,F401  (tf.Graph, tf.Operation)
from .module import Module  # noqa: E402
from .ops.creation import (
    constant,
    convert_to_tensor,
    eye,
    fill,
    from_dlpack,
    linspace,
    ones,  # noqa: E402
    ones_like,
    range,
    zeros,
    zeros_like,
)
from .ops.first_operand import add, matmul  # noqa: E402  (x converts first, as TF's)
from .ops.indexing import gather_v2 as gather  # noqa: E402  (TF's name too)
from .ops.indexing import one_hot  # noqa: E402
from .ops.math import (
    abs,
    cast,
    clip_by_value,
    divide,
    equal,
    exp,
    greater,
    greater_equal,  # noqa: E402
    less,
    less_equal,
    log,
    logical_and,
    logical_not,
    logical_or,
    maximum,
    minimum,
    multiply,
    negative,
    not_equal,
    pow,
    sign,
    sqrt,
    square,
    subtract,
    where,
)
from .ops.nn import sigmoid, tanh  # noqa: E402
from .ops.public_constant import graph_aware as _graph_aware_constant  # noqa: E402
from .ops.reduce import (
    argmax,
    argmin,
    reduce_all,
    reduce_any,
    reduce_logsumexp,
    reduce_max,  # noqa: E402
    reduce_mean,
    reduce_min,
    reduce_std,
    reduce_sum,
    reduce_variance,
)
from .ops.shape import (
    broadcast_to,
    concat,
    expand_dims,
    rank,
    reshape,
    shape,  # noqa: E402
    size,
    squeeze,
    stack,
    tile,
    transpose,
)
from .tensor import Tensor, TensorShape, Variable  # noqa: E402
from .tensor_spec import RaggedTensorSpec, TensorSpec  # noqa: E402

_install_dispatch(globals())  # tf.concat(...) & co. on KerasTensors build TFOpLambda layers
stop_gradient = _v1_aware(stop_gradient)  # on a TF 1 graph tensor: a graph op
constant = _graph_aware_constant(constant)  # a graph constant in a TF 1 graph

# Subpackages that are heavier or optional load on first use: `gpuflow.keras`, ...
_LAZY = (
    "math",
    "nn",
    "testing",
    "kernels",
    "keras",
    "layers",
    "models",
    "losses",
    "optimizers",
    "metrics",
    "initializers",
    "activations",
    "callbacks",
    "utils",
    "datasets",
    "summary",
    "mixed_precision",
    "debugging",
    "quantization",
    "nest",
    "regularizers",
    "saving",
    "data",
    "strings",
    "lookup",
)


def __getattr__(name: str):
    if name in _LAZY:
        module = importlib.import_module(f".{name}", __name__)
        globals()[name] = module
        return module
    if name in ("Sequential", "Model"):
        return getattr(importlib.import_module(".models", __name__), name)
    raise AttributeError(f"module 'gpuflow' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_LAZY) + ["Sequential", "Model"])


_LAZY += ("test", "train", "sparse", "ragged", "saved_model")  # tf.test, tf.train, ...
from .ragged import RaggedTensor  # noqa: E402,F401  (tf.RaggedTensor)
from .sparse import SparseTensor  # noqa: E402,F401  (tf.SparseTensor)

_LAZY += ("distribute",)  # tf.distribute

# helper-core: tf.version, tf.executing_eagerly, tf.bitwise, shapes and histograms
_LAZY += ("version", "bitwise", "sysconfig", "profiler")
from .autodiff import recompute_grad  # noqa: E402,F401  (tf.recompute_grad)
from .execution import executing_eagerly  # noqa: E402,F401
from .indexed_slices import IndexedSlices  # noqa: E402,F401  (tf.IndexedSlices)
from .ops.broadcast_shapes import (  # noqa: E402,F401
    broadcast_dynamic_shape,
    broadcast_static_shape,
    shape_n,
    unravel_index,
)
from .ops.histogram import histogram_fixed_width, histogram_fixed_width_bins  # noqa: E402,F401
from .py_function import numpy_function, py_function  # noqa: E402,F401
from .tensor_array import TensorArray  # noqa: E402,F401  (tf.TensorArray)
from .tensor_proto import make_ndarray, make_tensor_proto  # noqa: E402,F401

_LAZY += ("image", "io", "audio", "raw_ops")  # tf.image, tf.io, tf.audio, tf.raw_ops
_LAZY += ("signal",)  # tf.signal
from .ops.fft_nd import fftnd, ifftnd, irfftnd, rfftnd  # noqa: E402,F401  (tf.fftnd, ...)

_LAZY += ("compat", "feature_column")  # tf.compat (as_bytes, v1.logging), tf.feature_column
from .dtypes import complex64, complex128, qint8, qint16, qint32, quint8, quint16  # noqa: E402,F401
from .ops.complex_ops import complex  # noqa: E402,F401,A004  (tf.complex)

_LAZY += ("autograph",)  # tf.autograph
from .logger import get_logger  # noqa: E402,F401  (tf.get_logger)
from .ops import tensor_methods as _tensor_methods  # noqa: E402,F401  (get_shape, set_shape, ref)
from .ops.linalg_extra import eig, eigvals, matrix_square_root  # noqa: E402,F401

# space-to-batch at the top level
from .ops.nn_space import (  # noqa: E402,F401
    batch_to_space,
    required_space_to_batch_paddings,
    space_to_batch,
    space_to_batch_nd,
)

_LAZY += ("sets",)  # tf.sets

# top-level misc ops, enums, device specs and type specs
from .critical_section import CriticalSection  # noqa: E402,F401
from .index_shuffle import random_index_shuffle  # noqa: E402,F401
from .ops._conversions import register_tensor_conversion_function  # noqa: E402,F401
from .tf_extras import (  # noqa: E402,F401
    AggregationMethod,
    Assert,
    DeviceSpec,
    VariableAggregation,
    VariableSynchronization,
    as_string,
    bitcast,
    edit_distance,
    extract_volume_patches,
    fingerprint,
    get_current_name_scope,
    grad_pass_through,
    is_symbolic_tensor,
    parallel_stack,
)
from .type_specs import (  # noqa: E402,F401
    IndexedSlicesSpec,
    NoneTensorSpec,
    OptionalSpec,
    SparseTensorSpec,
    TensorArraySpec,
    TypeSpec,
    type_spec_from_value,
)
from .variable_creator import variable_creator_scope  # noqa: E402,F401

_LAZY += ("experimental",)  # tf.experimental (numpy, ExtensionType, dispatch_for_api)
_LAZY += ("types", "queue")  # tf.types.experimental, tf.queue.FIFOQueue
_LAZY += ("lite",)  # tf.lite (TFLite flatbuffers: Interpreter, TFLiteConverter)

# inf and nan come silently, as in TensorFlow: NumPy's floating-point warnings raised by
# gpuflow's own code (x ** 2 overflowing float16, exp(1000.)) are not shown.
warnings.filterwarnings(
    "ignore",
    message=r"(overflow|divide by zero|invalid value|underflow) encountered",
    category=RuntimeWarning,
    module=r"gpuflow(\.|$)",
)

config.threading.limit_blas_on_a_busy_machine()  # one BLAS thread on an oversubscribed machine
