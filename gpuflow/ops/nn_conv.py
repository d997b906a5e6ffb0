"""``tf.nn`` convolutions: ``conv2d`` (TensorFlow's signature over gpuflow's fused
``ops.conv.conv2d``), ``conv3d``, ``conv2d_transpose``,
``depthwise_conv2d``, ``separable_conv2d``, ``max_pool3d``, ``avg_pool3d``, with
TensorFlow's argument names and layouts (``strides`` of 1, 2 or 4 entries for 2-D ops, 5 for
3-D ones; ``padding`` ``"SAME"`` / ``"VALID"``; channels last)."""

from __future__ import annotations

from .. import dtypes
from ..tensor import Tensor
from ._common import as_tensor, invalid_argument
from .conv import conv2d as _fused_conv2d
from .conv import max_pool2d as _max_pool2d
from .conv3d import avg_pool3d, max_pool3d, padding_mode
from .conv3d import conv3d as _conv3d
from .conv_general import conv2d_general
from .conv_general import conv2d_transpose as _conv2d_transpose
from .rearrange import pad
from .shape import reshape, transpose


def _two(value, name: str, op: str, strict: bool = False) -> tuple:
    """``(h, w)`` of an int or a list of 1, 2 or 4 entries (4: ``[1, h, w, 1]``)."""
    if value is None:
        return (1, 1)
    if isinstance(value, int) and not isinstance(value, bool) and not strict:
        return (value, value)
    values = list(value) if isinstance(value, (list, tuple)) else None
    if values is None:
        raise TypeError(f"{op}: {name} must be a list of ints, received {value!r}")
    if len(values) == 4:
        if values[0] != 1 or values[3] != 1:
            raise invalid_argument(
                op, f"{name} in the batch and depth dimensions must be 1, received {value!r}"
            )
        values = values[1:3]
    elif strict:
        raise invalid_argument(op, f"{name} must be [1, h, w, 1], received {value!r}")
    if len(values) == 1:
        values = values * 2
    if len(values) != 2 or any(int(v) < 1 for v in values):
        raise invalid_argument(op, f"{name} must be positive, 1, 2 or 4 ints, received {value!r}")
    return tuple(int(v) for v in values)


def _nhwc(data_format, op: str) -> None:
    if data_format not in (None, "NHWC"):
        raise ValueError(f"{op}: only data_format='NHWC' is supported, received {data_format!r}")


def _explicit_padding(padding, nchw: bool, op: str):
    """TensorFlow's explicit padding ``[[0, 0], [top, bottom], [left, right], [0, 0]]`` (in
    the input's layout) as NHWC pad widths; None for ``"SAME"`` / ``"VALID"``."""
    if isinstance(padding, str):
        return None
    try:
        widths = [[int(a), int(b)] for a, b in padding]
    except (TypeError, ValueError):
        raise invalid_argument(
            op, f"padding must be 'SAME', 'VALID' or 4 [before, after] pairs, received {padding!r}"
        ) from None
    if nchw:
        widths = [widths[0], widths[2], widths[3], widths[1]]
    if len(widths) != 4 or widths[0] != [0, 0] or widths[3] != [0, 0]:
        raise invalid_argument(
            op,
            "explicit padding must be 4 pairs with [0, 0] for the batch and channel "
            f"dimensions, received {padding!r}",
        )
    if any(v < 0 for pair in widths for v in pair):
        raise invalid_argument(op, f"padding must not be negative, received {padding!r}")
    return widths


def conv2d(
    input,  # noqa: A002
    filters,
    strides=1,
    padding="VALID",
    data_format="NHWC",
    dilations=None,
    name=None,
    bias=None,
    activation=None,
):
    """2-D convolution (cross-correlation) of ``input`` with ``filters [KH, KW, C, F]``, as
    ``tf.nn.conv2d``: ``strides`` and ``dilations`` of 1, 2 or 4 entries, ``padding``
    ``"SAME"``, ``"VALID"`` or explicit pairs, ``data_format`` ``"NHWC"`` or ``"NCHW"``.

    gpuflow's extras: ``bias`` (``[F]``) and ``activation="relu"`` fuse into the
    convolution (undilated only)."""
    op = "conv2d"
    if data_format not in (None, "NHWC", "NCHW"):
        raise ValueError(f"{op}: data_format must be 'NHWC' or 'NCHW', received {data_format!r}")
    nchw = data_format == "NCHW"
    x = as_tensor(input)
    if isinstance(filters, Tensor) and filters.dtype != x.dtype:
        # as TensorFlow's Conv2D (one type T): no silent cast of either operand
        raise invalid_argument(
            op,
            f"input and filters must have one dtype, received {x.dtype.name} input and "
            f"{filters.dtype.name} filters; cast one with tf.cast",
        )
    if nchw:
        strides, dilations = (_channels_first(v) for v in (strides, dilations))
        x = transpose(x, [0, 2, 3, 1])
    stride, dilation = _two(strides, "strides", op), _two(dilations, "dilations", op)
    widths = _explicit_padding(padding, nchw, op)
    if widths is not None:
        x, padding = pad(x, widths), "VALID"
    if dilation == (1, 1):
        y = _fused_conv2d(x, filters, stride, padding, bias=bias, activation=activation)
    elif bias is not None or activation is not None:
        raise ValueError(f"{op}: bias and activation are only fused into undilated convolutions")
    else:
        y = conv2d_general(x, as_tensor(filters), stride, padding_mode(padding, op), dilation)
    return transpose(y, [0, 3, 1, 2]) if nchw else y


def _channels_first(value):
    """A 4-entry NCHW stride or dilation ``[1, 1, h, w]`` in NHWC order."""
    if isinstance(value, (list, tuple)) and len(value) == 4:
        return [value[0], value[2], value[3], value[1]]
    return value


def conv3d(input, filters, strides, padding, data_format="NDHWC", dilations=None, name=None):  # noqa: A002
    """3-D convolution of ``input [N, D, H, W, C]`` with ``filters [KD, KH, KW, C, F]``."""
    if data_format not in (None, "NDHWC"):
        raise ValueError(f"conv3d: only data_format='NDHWC' is supported, received {data_format!r}")
    return _conv3d(input, filters, strides, padding, 1 if dilations is None else dilations)


def conv2d_transpose(
    input,  # noqa: A002
    filters,
    output_shape,
    strides,
    padding="SAME",
    data_format="NHWC",
    dilations=None,
    name=None,
) -> Tensor:
    """The gradient of ``conv2d`` with respect to its input: ``input [N, H, W, C_in]`` and
    ``filters [KH, KW, C_out, C_in]`` to ``output_shape [N, OH, OW, C_out]``.

    Raises:
        ValueError: when ``output_shape`` does not map back to the input's size.
    """
    op = "conv2d_transpose"
    _nhwc(data_format, op)
    x, k = as_tensor(input), as_tensor(filters)
    shape = output_shape.numpy().tolist() if isinstance(output_shape, Tensor) else output_shape
    shape = [int(v) for v in shape]
    if len(shape) != 4 or shape[0] != x.shape[0] or shape[3] != k.shape[2]:
        raise ValueError(
            f"{op}: output_shape must be [batch={x.shape[0]}, height, width, "
            f"channels={k.shape[2] if k.ndim == 4 else '?'}], received {shape}"
        )
    widths = _explicit_padding(padding, False, op)
    if widths is not None:
        # the gradient of conv2d with explicit padding (pad, then a VALID conv): the VALID
        # transpose onto the padded size, with the padding cropped off
        from .indexing import GetItem

        (top, bottom), (left, right) = widths[1], widths[2]
        full = _conv2d_transpose(
            x,
            k,
            (shape[1] + top + bottom, shape[2] + left + right),
            _two(strides, "strides", op),
            "valid",
            _two(dilations, "dilations", op),
        )
        crop = (slice(None), slice(top, top + shape[1]), slice(left, left + shape[2]))
        return GetItem(crop)(full)
    return _conv2d_transpose(
        x,
        k,
        tuple(shape[1:3]),
        _two(strides, "strides", op),
        padding_mode(padding, op),
        _two(dilations, "dilations", op),
    )


def depthwise_conv2d(
    input,
    filter,
    strides,
    padding,
    data_format=None,
    dilations=None,
    name=None,  # noqa: A002
) -> Tensor:
    """Each input channel convolved with its own ``M`` filters: ``filter [KH, KW, C, M]``
    gives ``C * M`` output channels (channel ``c * M + m``)."""
    op = "depthwise_conv2d"
    _nhwc(data_format, op)
    x, k = as_tensor(input), as_tensor(filter)
    if x.ndim != 4 or k.ndim != 4 or k.shape[2] != x.shape[3]:
        raise ValueError(
            f"{op}: expected input [N, H, W, C] and filter [KH, KW, C, M] with the same C, "
            f"received shapes {tuple(x.shape)} and {tuple(k.shape)}"
        )
    if isinstance(strides, int):
        raise TypeError(
            f"{op}: strides must be a list [1, stride_h, stride_w, 1], received {strides!r}"
        )
    widths = _explicit_padding(padding, False, op)
    if widths is not None:
        x, padding = pad(x, widths), "VALID"
    kh, kw, c, m = k.shape
    return conv2d_general(
        x,
        reshape(k, (kh, kw, 1, c * m)),
        _two(strides, "strides", op, strict=True),
        padding_mode(padding, op),
        _two(dilations, "dilations", op),
        groups=c,
    )


def separable_conv2d(
    input,  # noqa: A002
    depthwise_filter,
    pointwise_filter,
    strides,
    padding,
    data_format=None,
    dilations=None,
    name=None,
) -> Tensor:
    """A depthwise convolution followed by a 1x1 convolution with ``pointwise_filter
    [1, 1, C * M, F]``."""
    op = "separable_conv2d"
    depthwise = depthwise_conv2d(input, depthwise_filter, strides, padding, data_format, dilations)
    p = as_tensor(pointwise_filter)
    if p.ndim != 4 or p.shape[:2] != (1, 1) or p.shape[2] != depthwise.shape[3]:
        raise ValueError(
            f"{op}: pointwise_filter must be [1, 1, {depthwise.shape[3]}, F], received shape "
            f"{tuple(p.shape)}"
        )
    return conv2d_general(depthwise, p, (1, 1), "valid")


__all__ = [
    "avg_pool3d",
    "conv2d_transpose",
    "conv3d",
    "depthwise_conv2d",
    "max_pool3d",
    "separable_conv2d",
]


def max_pool2d(
    input, ksize, strides=None, padding="VALID", data_format="NHWC", name=None
) -> Tensor:  # noqa: A002
    """``tf.nn.max_pool2d``: gpuflow's pool (``"SAME"`` / ``"VALID"``), and TensorFlow's
    explicit padding ``[[0, 0], [top, bottom], [left, right], [0, 0]]`` (padded positions
    never win: they hold the dtype's lowest value)."""
    op = "max_pool2d"
    _nhwc(data_format, op)
    widths = _explicit_padding(padding, False, op)
    if widths is None:
        return _max_pool2d(input, ksize, strides, padding)
    x = as_tensor(input)
    lowest = dtypes.info(x._data.dtype).min
    return _max_pool2d(pad(x, widths, constant_values=lowest), ksize, strides, "VALID")
