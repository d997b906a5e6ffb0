"""``tf.raw_ops``: TensorFlow's low-level ops by their op names (``tf.raw_ops.AddV2``),
for the common ones, on top of gpuflow's ops.

As in TensorFlow each takes keyword arguments only, named as the op's inputs and
attributes (``tf.raw_ops.MatMul(a=x, b=w, transpose_b=True)``), plus ``name``; a
positional argument or an unknown keyword is a ``TypeError`` naming the op and its keys.
An op not listed here is an ``AttributeError``, as for any missing name.
"""

from __future__ import annotations

import inspect
import re
from types import SimpleNamespace

from . import dtypes
from . import image as _image
from . import io as _io
from . import linalg as _linalg
from . import math as _math
from . import nn as _nn
from . import random as _random
from .ops import creation, indexing, rearrange, select, shape, sorting
from .ops._convert import as_tensor as _as_tensor

# the top-level array ops (tf.reshape, tf.gather, ...) from the modules defining them
_array = SimpleNamespace(
    **{
        name: getattr(module, name)
        for module, names in (
            (creation, ("fill", "ones_like", "range", "zeros_like")),
            (
                indexing,
                (
                    "gather",
                    "gather_nd",
                    "one_hot",
                    "scatter_nd",
                    "slice",
                    "strided_slice",
                    "tensor_scatter_nd_add",
                    "tensor_scatter_nd_update",
                ),
            ),
            (rearrange, ("pad", "reverse")),
            (select, ("clip_by_value", "where")),
            (
                shape,
                (
                    "broadcast_to",
                    "concat",
                    "expand_dims",
                    "identity",
                    "rank",
                    "reshape",
                    "shape",
                    "size",
                    "split",
                    "squeeze",
                    "stack",
                    "tile",
                    "transpose",
                    "unstack",
                ),
            ),
            (sorting, ("unique",)),
        )
        for name in names
    }
)

__all__: list[str] = []


def _register(op_name: str, impl) -> None:
    """Make ``op_name`` a keyword-only function calling ``impl`` (whose parameters are the
    op's argument names)."""
    signature = inspect.signature(impl)
    keys = [k for k in signature.parameters if k != "name"] + ["name"]
    python_name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", op_name).lower()  # TF's wrapper's

    def op(*args, **kwargs):
        if args:
            raise TypeError(
                f"{python_name} only takes keyword args (possible keys: {keys}). Please pass "
                "these args as kwargs instead."
            )
        kwargs.pop("name", None)
        unknown = sorted(set(kwargs) - set(keys))
        if unknown:
            raise TypeError(
                f"tf.raw_ops.{op_name} got an unexpected keyword argument {unknown[0]!r} "
                f"(possible keys: {keys})"
            )
        try:
            bound = signature.bind(**kwargs)
        except TypeError as exc:
            raise TypeError(f"tf.raw_ops.{op_name}: {exc} (possible keys: {keys})") from None
        return impl(*bound.args, **bound.kwargs)

    op.__name__ = op.__qualname__ = op_name
    op.__doc__ = f"``tf.raw_ops.{op_name}({', '.join(f'{k}=...' for k in keys)})``."
    globals()[op_name] = op
    __all__.append(op_name)


def _unary(fn):
    return lambda x: fn(x)


def _binary(fn):
    return lambda x, y: fn(x, y)


def _features(fn):
    return lambda features: fn(features)


def _reduce(fn):
    return lambda input, axis, keep_dims=False: fn(input, axis=axis, keepdims=keep_dims)  # noqa: A002


_UNARY = {
    "Abs": _math.abs,
    "Ceil": _math.ceil,
    "Cos": _math.cos,
    "Erf": _math.erf,
    "Exp": _math.exp,
    "Expm1": _math.expm1,
    "Floor": _math.floor,
    "IsFinite": _math.is_finite,
    "IsInf": _math.is_inf,
    "IsNan": _math.is_nan,
    "Log": _math.log,
    "Log1p": _math.log1p,
    "LogicalNot": _math.logical_not,
    "Neg": _math.negative,
    "Reciprocal": _math.reciprocal,
    "Round": _math.round,
    "Rsqrt": _math.rsqrt,
    "Sigmoid": _math.sigmoid,
    "Sign": _math.sign,
    "Sin": _math.sin,
    "Sqrt": _math.sqrt,
    "Square": _math.square,
    "Tan": _math.tan,
    "Tanh": _math.tanh,
}
_BINARY = {
    "Add": _math.add,
    "AddV2": _math.add,
    "Atan2": _math.atan2,
    "Div": _math.divide,
    "DivNoNan": _math.divide_no_nan,
    "FloorDiv": _math.floordiv,
    "FloorMod": _math.floormod,
    "Greater": _math.greater,
    "GreaterEqual": _math.greater_equal,
    "Less": _math.less,
    "LessEqual": _math.less_equal,
    "LogicalAnd": _math.logical_and,
    "LogicalOr": _math.logical_or,
    "Maximum": _math.maximum,
    "Minimum": _math.minimum,
    "Mul": _math.multiply,
    "MulNoNan": _math.multiply_no_nan,
    "NotEqual": _math.not_equal,
    "Pow": _math.pow,
    "RealDiv": _math.divide,
    "SquaredDifference": _math.squared_difference,
    "Sub": _math.subtract,
    "TruncateDiv": _math.truncatediv,
}
_FEATURES = {
    "Elu": _nn.elu,
    "Relu": _nn.relu,
    "Relu6": _nn.relu6,
    "Selu": _nn.selu,
    "Softplus": _nn.softplus,
    "Softsign": _nn.softsign,
}
_REDUCE = {
    "All": _math.reduce_all,
    "Any": _math.reduce_any,
    "Max": _math.reduce_max,
    "Mean": _math.reduce_mean,
    "Min": _math.reduce_min,
    "Prod": _math.reduce_prod,
    "Sum": _math.reduce_sum,
}

for _name, _fn in _UNARY.items():
    _register(_name, _unary(_fn))
for _name, _fn in _BINARY.items():
    _register(_name, _binary(_fn))
for _name, _fn in _FEATURES.items():
    _register(_name, _features(_fn))
for _name, _fn in _REDUCE.items():
    _register(_name, _reduce(_fn))


# -- ops with attributes -----------------------------------------------------------------------
# noqa: A002 below: TensorFlow's argument names (input, filter, ...)
_register("AddN", lambda inputs: _math.add_n(inputs))
_register(
    "ArgMax",
    lambda input, dimension, output_type=dtypes.int64: _math.argmax(  # noqa: A002
        input, axis=dimension, output_type=output_type
    ),
)
_register(
    "ArgMin",
    lambda input, dimension, output_type=dtypes.int64: _math.argmin(  # noqa: A002
        input, axis=dimension, output_type=output_type
    ),
)
_register(
    "BatchMatMulV2",
    lambda x, y, adj_x=False, adj_y=False, grad_x=False, grad_y=False: _linalg.matmul(
        x, y, adjoint_a=adj_x, adjoint_b=adj_y
    ),
)
_register(
    "BatchMatMulV3",
    lambda x, y, Tout=None, adj_x=False, adj_y=False, grad_x=False, grad_y=False: (  # noqa: N803
        _linalg.matmul(x, y, adjoint_a=adj_x, adjoint_b=adj_y)
        if Tout is None
        else _math.cast(_linalg.matmul(x, y, adjoint_a=adj_x, adjoint_b=adj_y), Tout)
    ),
)
_register("BiasAdd", lambda value, bias, data_format="NHWC": _nn.bias_add(value, bias, data_format))


def _bincount(arr, size, weights):
    """TF's Bincount: an empty ``weights`` counts, others sum (in their dtype)."""
    weights = _as_tensor(weights)
    if weights.size == 0:
        return _math.bincount(arr, minlength=size, maxlength=size, dtype=dtypes.int32)
    return _math.bincount(arr, weights=weights, minlength=size, maxlength=size, dtype=weights.dtype)


_register("Bincount", _bincount)
_register("BroadcastTo", lambda input, shape: _array.broadcast_to(input, shape))  # noqa: A002
_register("Cast", lambda x, DstT, Truncate=False: _math.cast(x, DstT))  # noqa: N803
_register(
    "ClipByValue",
    lambda t, clip_value_min, clip_value_max: _array.clip_by_value(
        t, clip_value_min, clip_value_max
    ),
)
_register("ConcatV2", lambda values, axis: _array.concat(values, axis))
_register(
    "Conv2D",
    lambda input,
    filter,
    strides,
    padding,
    use_cudnn_on_gpu=True,
    explicit_paddings=(),  # noqa: A002
    data_format="NHWC",
    dilations=(1, 1, 1, 1): _nn.conv2d(
        input,
        filter,
        strides,
        _explicit(padding, explicit_paddings),
        data_format=data_format,
        dilations=dilations,
    ),
)
_register(
    "Cumprod",
    lambda x, axis, exclusive=False, reverse=False: _math.cumprod(
        x, axis=axis, exclusive=exclusive, reverse=reverse
    ),
)
_register(
    "Cumsum",
    lambda x, axis, exclusive=False, reverse=False: _math.cumsum(
        x, axis=axis, exclusive=exclusive, reverse=reverse
    ),
)


_register("DecodeJpeg", _image.decode_jpeg)  # tf.io.decode_jpeg takes the op's arguments
_register(
    "DecodePng",
    lambda contents, channels=0, dtype=dtypes.uint8: _image.decode_png(
        contents, channels=channels, dtype=dtype
    ),
)
_register(
    "DepthwiseConv2dNative",
    lambda input,
    filter,
    strides,
    padding,
    explicit_paddings=(),
    data_format="NHWC",  # noqa: A002
    dilations=(1, 1, 1, 1): _nn.depthwise_conv2d(
        input,
        filter,
        strides,
        _explicit(padding, explicit_paddings),
        data_format=data_format,
        dilations=None if tuple(dilations) == (1, 1, 1, 1) else _spatial(dilations, data_format),
    ),
)
_register("Einsum", lambda inputs, equation: _linalg.einsum(equation, *inputs))
_register("EncodePng", lambda image, compression=-1: _image.encode_png(image, compression))
_register(
    "Equal",
    lambda x, y, incompatible_shape_error=True: _math.equal(x, y),
)
_register("ExpandDims", lambda input, axis: _array.expand_dims(input, axis))  # noqa: A002
_register("Fill", lambda dims, value: _array.fill(dims, value))
_register(
    "GatherNd",
    lambda params, indices, bad_indices_policy="": _array.gather_nd(params, indices),
)
_register(
    "GatherV2",
    lambda params, indices, axis, batch_dims=0, bad_indices_policy="": _array.gather(
        params, indices, axis=axis, batch_dims=batch_dims
    ),
)
_register("Identity", lambda input: _array.identity(input))  # noqa: A002
_register("L2Loss", lambda t: _nn.l2_loss(t))
_register("LeakyRelu", lambda features, alpha=0.2: _nn.leaky_relu(features, alpha))
_register("LogSoftmax", lambda logits: _nn.log_softmax(logits))
_register(
    "MatMul",
    lambda a, b, transpose_a=False, transpose_b=False, grad_a=False, grad_b=False: _linalg.matmul(
        a, b, transpose_a=transpose_a, transpose_b=transpose_b
    ),
)
_register("MatrixDeterminant", lambda input: _linalg.det(input))  # noqa: A002
_register(
    "MatrixInverse",
    lambda input, adjoint=False: _linalg.inv(input, adjoint=adjoint),  # noqa: A002
)
_register(
    "MaxPool",
    lambda input, ksize, strides, padding, explicit_paddings=(), data_format="NHWC": (  # noqa: A002
        _nn.max_pool2d(input, ksize, strides, _explicit(padding, explicit_paddings), data_format)
    ),
)
_register(
    "AvgPool",
    lambda value, ksize, strides, padding, data_format="NHWC": _nn.avg_pool2d(
        value, ksize, strides, padding, data_format=data_format
    ),
)
_register(
    "MirrorPad",
    lambda input, paddings, mode: _array.pad(input, paddings, mode=mode),  # noqa: A002
)
_register(
    "OneHot",
    lambda indices, depth, on_value, off_value, axis=-1: _array.one_hot(
        indices, depth, on_value=on_value, off_value=off_value, axis=axis
    ),
)
_register("OnesLike", lambda x: _array.ones_like(x))
_register("Pack", lambda values, axis=0: _array.stack(values, axis=axis))
_register("Pad", lambda input, paddings: _array.pad(input, paddings))  # noqa: A002
_register(
    "PadV2",
    lambda input, paddings, constant_values: _array.pad(  # noqa: A002
        input, paddings, constant_values=constant_values
    ),
)
_register(
    "RandomStandardNormal",
    lambda shape, dtype, seed=0, seed2=0: _random.raw_op_draw(
        "RandomStandardNormal", shape, dtype, seed, seed2
    ),
)
_register(
    "RandomUniform",
    lambda shape, dtype, seed=0, seed2=0: _random.raw_op_draw(
        "RandomUniform", shape, dtype, seed, seed2
    ),
)
_register("Range", lambda start, limit, delta: _array.range(start, limit, delta))
_register("Rank", lambda input: _array.rank(input))  # noqa: A002
_register("ReadFile", lambda filename: _io.read_file(filename))
_register("Reshape", lambda tensor, shape: _array.reshape(tensor, shape))
_register("ReverseV2", lambda tensor, axis: _array.reverse(tensor, axis))
_register(
    "ScatterNd",
    lambda indices, updates, shape, bad_indices_policy="": _array.scatter_nd(
        indices, updates, shape
    ),
)


def _select(condition, x, y):
    """TF's Select: a vector ``condition`` picks whole rows of higher-rank ``x`` / ``y``."""
    condition, x = _as_tensor(condition), _as_tensor(x)
    if condition.ndim == 1 and x.ndim > 1:
        condition = _array.reshape(condition, [-1] + [1] * (x.ndim - 1))
    return _array.where(condition, x, y)


_register("Select", _select)
_register("SelectV2", lambda condition, t, e: _array.where(condition, t, e))
_register(
    "Shape",
    lambda input, out_type=dtypes.int32: _array.shape(input, out_type=out_type),  # noqa: A002
)
_register(
    "Size",
    lambda input, out_type=dtypes.int32: _array.size(input, out_type=out_type),  # noqa: A002
)
_register("Slice", lambda input, begin, size: _array.slice(input, begin, size))  # noqa: A002
_register("Softmax", lambda logits: _nn.softmax(logits))
_register("Split", lambda axis, value, num_split: _array.split(value, num_split, axis=axis))
_register(
    "SplitV",
    lambda value, size_splits, axis, num_split: _array.split(value, size_splits, axis=axis),
)
_register(
    "Squeeze",
    lambda input, axis=(): _array.squeeze(input, list(axis) or None),  # noqa: A002
)
_register(
    "StridedSlice",
    lambda input,
    begin,
    end,
    strides,
    begin_mask=0,
    end_mask=0,
    ellipsis_mask=0,  # noqa: A002
    new_axis_mask=0,
    shrink_axis_mask=0: _array.strided_slice(
        input,
        begin,
        end,
        strides,
        begin_mask=begin_mask,
        end_mask=end_mask,
        ellipsis_mask=ellipsis_mask,
        new_axis_mask=new_axis_mask,
        shrink_axis_mask=shrink_axis_mask,
    ),
)
_register(
    "TensorScatterAdd",
    lambda tensor, indices, updates, bad_indices_policy="": _array.tensor_scatter_nd_add(
        tensor, indices, updates
    ),
)
_register(
    "TensorScatterUpdate",
    lambda tensor, indices, updates, bad_indices_policy="": _array.tensor_scatter_nd_update(
        tensor, indices, updates
    ),
)
_register("Tile", lambda input, multiples: _array.tile(input, multiples))  # noqa: A002
_register(
    "TopKV2",
    lambda input, k, sorted=True, index_type=dtypes.int32: _math.top_k(  # noqa: A002
        input, k, sorted=sorted, index_type=index_type
    ),
)
_register("Transpose", lambda x, perm: _array.transpose(x, perm))
_register("Unique", lambda x, out_idx=dtypes.int32: _array.unique(x, out_idx=out_idx))
_register("Unpack", lambda value, num, axis=0: _array.unstack(value, num=num, axis=axis))
_register("WriteFile", lambda filename, contents: _io.write_file(filename, contents))
_register("ZerosLike", lambda x: _array.zeros_like(x))


def _explicit(padding, explicit_paddings):
    """``padding="EXPLICIT"`` with TF's flat ``explicit_paddings`` as the pairs per axis."""
    if padding != "EXPLICIT":
        return padding
    flat = list(explicit_paddings)
    return [flat[i : i + 2] for i in range(0, len(flat), 2)]


def _spatial(values, data_format):
    values = list(values)
    return values[1:3] if data_format == "NHWC" else values[2:4]
