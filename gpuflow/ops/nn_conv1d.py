"""``tf.nn`` 1-D convolutions and pooling, and the rank-dispatching ``convolution`` and
``pool``: ``conv1d``, ``conv1d_transpose``, ``avg_pool1d``, ``max_pool1d``.

A 1-D op runs as the 2-D op on ``[N, 1, W, C]`` (height 1), so it shares the 2-D kernels
and their gradients. Layouts are channels last (``NWC``), as TF's defaults.
"""

from __future__ import annotations

from ..tensor import Tensor, TensorShape
from ._common import as_tensor, invalid_argument
from .conv3d import padding_mode
from .shape import expand_dims, reshape, squeeze


def _one(value, name: str, op: str, default=1) -> int:
    """One positive int from an int or a list of 1 or 3 entries (3: ``[1, w, 1]``)."""
    if value is None:
        return default
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    if len(values) == 3:
        if values[0] != 1 or values[2] != 1:
            raise invalid_argument(
                op, f"{name} must be 1 in the batch and channel entries, received {value!r}"
            )
        values = values[1:2]
    if (
        len(values) != 1
        or isinstance(values[0], bool)
        or not isinstance(values[0], int)
        or values[0] < 1
    ):
        raise invalid_argument(
            op, f"{name} must be a positive int or a list of 1 or 3 ints, received {value!r}"
        )
    return values[0]


def _nwc(data_format, op: str) -> None:
    if data_format not in (None, "NWC"):
        raise ValueError(f"{op}: only data_format='NWC' is supported, received {data_format!r}")


def _input(input, op: str) -> Tensor:  # noqa: A002
    x = as_tensor(input)
    if x.ndim != 3:
        raise ValueError(
            f"{op}: expected input [batch, width, channels], received {tuple(x.shape)}"
        )
    return x


def conv1d(input, filters, stride, padding, data_format="NWC", dilations=None, name=None) -> Tensor:  # noqa: A002
    """1-D convolution of ``input [N, W, C]`` with ``filters [KW, C, F]``."""
    from .conv_general import conv2d_general

    op = "conv1d"
    _nwc(data_format, op)
    x, k = _input(input, op), as_tensor(filters)
    if k.ndim != 3 or k.shape[1] != x.shape[2]:
        raise ValueError(
            f"{op}: expected filters [width, {x.shape[2]}, out_channels], received shape "
            f"{tuple(k.shape)}"
        )
    s, d = _one(stride, "stride", op), _one(dilations, "dilations", op)
    out = conv2d_general(
        expand_dims(x, 1), expand_dims(k, 0), (1, s), padding_mode(padding, op), (1, d)
    )
    return squeeze(out, [1])


def conv1d_transpose(
    input,  # noqa: A002
    filters,
    output_shape,
    strides,
    padding="SAME",
    data_format="NWC",
    dilations=None,
    name=None,
) -> Tensor:
    """The gradient of ``conv1d`` with respect to its input: ``input [N, W, C_in]`` and
    ``filters [KW, C_out, C_in]`` to ``output_shape [N, OW, C_out]``."""
    from .conv_general import conv2d_transpose

    op = "conv1d_transpose"
    _nwc(data_format, op)
    x, k = _input(input, op), as_tensor(filters)
    shape = output_shape.numpy().tolist() if isinstance(output_shape, Tensor) else output_shape
    if not isinstance(shape, (list, tuple, TensorShape)) or len(shape) != 3:
        raise ValueError(f"{op}: output_shape must be [batch, width, channels], received {shape!r}")
    shape = [int(v) for v in shape]
    if k.ndim != 3 or k.shape[2] != x.shape[2] or shape[0] != x.shape[0] or shape[2] != k.shape[1]:
        raise ValueError(
            f"{op}: expected filters [width, out_channels, {x.shape[2]}] and output_shape "
            f"[{x.shape[0]}, width, out_channels]; received filters {tuple(k.shape)} and "
            f"output_shape {shape}"
        )
    s, d = _one(strides, "strides", op), _one(dilations, "dilations", op)
    mode = padding_mode(padding, op)
    from .conv import conv_geometry

    expected, _, _ = conv_geometry(shape[1], (k.shape[0] - 1) * d + 1, s, mode)
    if expected != x.shape[1]:
        raise ValueError(
            f"{op}: output width {shape[1]} does not map back to the input width {x.shape[1]} "
            f"with stride {s} and '{mode}' padding"
        )
    out = conv2d_transpose(
        expand_dims(x, 1), expand_dims(k, 0), (1, shape[1]), (1, s), mode, (1, d)
    )
    return reshape(out, shape)


def _pool1d(pool2d, op, input, ksize, strides, padding, data_format):  # noqa: A002
    _nwc(data_format, op)
    x = _input(input, op)
    k = _one(ksize, "ksize", op)
    s = _one(strides, "strides", op)
    return squeeze(pool2d(expand_dims(x, 1), (1, k), (1, s), padding_mode(padding, op)), [1])


def max_pool1d(input, ksize, strides, padding, data_format="NWC", name=None) -> Tensor:  # noqa: A002
    """Max over ``ksize`` windows of ``input [N, W, C]``."""
    from .conv import max_pool2d

    return _pool1d(max_pool2d, "max_pool1d", input, ksize, strides, padding, data_format)


def avg_pool1d(input, ksize, strides, padding, data_format="NWC", name=None) -> Tensor:  # noqa: A002
    """Average over ``ksize`` windows of ``input [N, W, C]`` (SAME padding averages only the
    real elements, as TF)."""
    from .conv import avg_pool2d

    return _pool1d(avg_pool2d, "avg_pool1d", input, ksize, strides, padding, data_format)


def convolution(
    input,  # noqa: A002
    filters,
    strides=None,
    padding="VALID",
    data_format=None,
    dilations=None,
    name=None,
) -> Tensor:
    """N-D convolution, dispatched on the input's rank: 3 (``NWC``), 4 (``NHWC``) or 5
    (``NDHWC``)."""
    from .conv_general import conv2d_general
    from .nn_conv import _two, conv3d

    op = "convolution"
    x = as_tensor(input)
    if x.ndim == 3:
        return conv1d(
            x, filters, 1 if strides is None else strides, padding, data_format or "NWC", dilations
        )
    if x.ndim == 4:
        if data_format not in (None, "NHWC"):
            raise ValueError(f"{op}: only data_format='NHWC' is supported for 2-D inputs")
        k = as_tensor(filters)
        if k.ndim != 4 or k.shape[2] != x.shape[3]:
            raise ValueError(
                f"{op}: expected filters [height, width, {x.shape[3]}, out_channels], received "
                f"shape {tuple(k.shape)}"
            )
        return conv2d_general(
            x,
            k,
            _two(strides, "strides", op),
            padding_mode(padding, op),
            _two(dilations, "dilations", op),
        )
    if x.ndim == 5:
        return conv3d(
            x,
            filters,
            1 if strides is None else strides,
            padding,
            data_format or "NDHWC",
            dilations,
        )
    raise ValueError(
        f"{op}: expected an input of rank 3, 4 or 5 (batch, spatial..., channels), received "
        f"shape {tuple(x.shape)}"
    )


def pool(
    input,  # noqa: A002
    window_shape,
    pooling_type,
    strides=None,
    padding="VALID",
    data_format=None,
    dilations=None,
    name=None,
) -> Tensor:
    """``"MAX"`` or ``"AVG"`` pooling over ``window_shape`` (1, 2 or 3 spatial axes).

    Raises:
        ValueError: for dilations other than 1 (gpuflow's pools have no dilation).
    """
    from .conv import avg_pool2d, max_pool2d
    from .conv3d import avg_pool3d, max_pool3d

    op = "pool"
    x = as_tensor(input)
    if not isinstance(window_shape, (list, tuple, TensorShape)) or not 1 <= len(window_shape) <= 3:
        raise ValueError(
            f"{op}: window_shape must be a list of 1 to 3 ints, received {window_shape!r}"
        )
    n = len(window_shape)
    if x.ndim != n + 2:
        raise ValueError(
            f"{op}: a {n}-D window needs an input of rank {n + 2}, received shape {tuple(x.shape)}"
        )
    kind = str(pooling_type).upper()
    if kind not in ("MAX", "AVG"):
        raise ValueError(f"{op}: pooling_type must be 'MAX' or 'AVG', received {pooling_type!r}")
    if dilations is not None and any(int(d) != 1 for d in dilations):
        raise ValueError(f"{op}: dilations other than 1 are not supported, received {dilations!r}")
    strides = [1] * n if strides is None else list(strides)  # TensorFlow: default 1
    if len(strides) != n:
        raise ValueError(f"{op}: strides must have {n} entries, received {strides!r}")
    if n == 1:
        fn = max_pool1d if kind == "MAX" else avg_pool1d
        return fn(x, window_shape[0], strides[0], padding, data_format or "NWC")
    if n == 2:
        if data_format not in (None, "NHWC"):
            raise ValueError(f"{op}: only data_format='NHWC' is supported for 2-D windows")
        fn = max_pool2d if kind == "MAX" else avg_pool2d
        return fn(x, tuple(window_shape), tuple(strides), padding_mode(padding, op))
    fn = max_pool3d if kind == "MAX" else avg_pool3d
    return fn(x, list(window_shape), list(strides), padding, data_format or "NDHWC")
