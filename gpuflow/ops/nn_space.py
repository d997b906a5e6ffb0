"""Space-to-batch rearrangements (``tf.space_to_batch_nd``, ``tf.batch_to_space``,
``tf.required_space_to_batch_paddings``) and the convolutions TensorFlow defines with
them or as adjoints: ``atrous_conv2d``, ``atrous_conv2d_transpose``, ``conv3d_transpose``,
``conv_transpose``, ``depthwise_conv2d_backprop_input`` / ``_filter``.

All of them are compositions of differentiable ops (pad, reshape, transpose, slice,
convolutions), so they have gradients, and gradients of gradients where those ops do.
"""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor
from ._common import as_tensor, invalid_argument


def _ints(value, op, name) -> list:
    if isinstance(value, Tensor):
        value = value.numpy()
    arr = np.asarray(value)
    if arr.dtype.kind not in "iu":
        raise invalid_argument(op, f"{name} must be integers, received {value!r}")
    return arr.astype(np.int64).tolist()


def _block_and_pairs(x, block_shape, pairs, op, name):
    block = _ints(block_shape, op, "block_shape")
    block = [block] if isinstance(block, int) else block
    m = len(block)
    table = _ints(pairs, op, name)
    if np.asarray(table).shape != (m, 2):
        raise invalid_argument(
            op, f"{name} must have shape [{m}, 2] for block_shape {block}, received {table}"
        )
    if any(b < 1 for b in block) or any(v < 0 for row in table for v in row):
        raise invalid_argument(
            op, f"block_shape must be >= 1 and {name} >= 0, received {block} and {table}"
        )
    if x.ndim < m + 1:
        raise invalid_argument(
            op, f"input of rank {x.ndim} has fewer than {m} spatial dimensions after the batch"
        )
    return block, table


def space_to_batch_nd(input, block_shape, paddings, name=None) -> Tensor:  # noqa: A002
    """Zero-pad the ``M`` spatial dimensions after the batch, then move ``block_shape``
    blocks of them into the batch: ``[B, *S, *R]`` to ``[B * prod(block), *S' / block, *R]``.
    """
    from .rearrange import pad
    from .shape import reshape, transpose

    op = "space_to_batch_nd"
    x = as_tensor(input)
    block, table = _block_and_pairs(x, block_shape, paddings, op, "paddings")
    m = len(block)
    rest = list(x.shape[m + 1 :])
    x = pad(x, [[0, 0]] + table + [[0, 0]] * len(rest))
    spatial = list(x.shape[1 : m + 1])
    for i, (size, b) in enumerate(zip(spatial, block)):
        if size % b:
            raise invalid_argument(
                op,
                f"padded spatial dimension {i} of size {size} is not divisible by block size {b}",
            )
    batch = x.shape[0]
    split = [batch]
    for size, b in zip(spatial, block):
        split += [size // b, b]
    x = reshape(x, split + rest)
    perm = [2 + 2 * i for i in range(m)] + [0] + [1 + 2 * i for i in range(m)]
    perm += list(range(2 * m + 1, 2 * m + 1 + len(rest)))
    x = transpose(x, perm)
    return reshape(
        x, [batch * int(np.prod(block))] + [s // b for s, b in zip(spatial, block)] + rest
    )


def space_to_batch(input, block_shape, paddings, name=None) -> Tensor:  # noqa: A002
    """``tf.space_to_batch`` (TF2): the same as :func:`space_to_batch_nd`."""
    return space_to_batch_nd(input, block_shape, paddings)


def batch_to_space(input, block_shape, crops, name=None) -> Tensor:  # noqa: A002
    """The inverse of :func:`space_to_batch_nd`: move batch blocks back into the ``M``
    spatial dimensions, then crop ``crops [M, 2]`` from their starts and ends."""
    from .shape import reshape, transpose

    op = "batch_to_space"
    x = as_tensor(input)
    block, table = _block_and_pairs(x, block_shape, crops, op, "crops")
    m = len(block)
    prod = int(np.prod(block))
    if x.shape[0] % prod:
        raise invalid_argument(
            op, f"input batch {x.shape[0]} is not divisible by the product of block_shape {block}"
        )
    batch = x.shape[0] // prod
    spatial = list(x.shape[1 : m + 1])
    rest = list(x.shape[m + 1 :])
    x = reshape(x, block + [batch] + spatial + rest)
    perm = [m]
    for i in range(m):
        perm += [m + 1 + i, i]
    perm += list(range(2 * m + 1, 2 * m + 1 + len(rest)))
    x = transpose(x, perm)
    full = [s * b for s, b in zip(spatial, block)]
    x = reshape(x, [batch] + full + rest)
    for i, ((start, end), size) in enumerate(zip(table, full)):
        if start + end > size:
            raise invalid_argument(
                op, f"crops {table[i]} exceed spatial dimension {i} of size {size}"
            )
    index = (slice(None),) + tuple(slice(s, n - e) for (s, e), n in zip(table, full))
    return x[index]


batch_to_space_nd = batch_to_space


def required_space_to_batch_paddings(input_shape, block_shape, base_paddings=None, name=None):
    """``(paddings, crops)``, int32 ``[M, 2]`` each: the least padding (beyond
    ``base_paddings``) that makes ``input_shape`` divisible by ``block_shape``, and the
    crops that undo it."""
    from .creation import constant

    op = "required_space_to_batch_paddings"
    shape = np.asarray(_ints(input_shape, op, "input_shape"), dtype=np.int64).reshape(-1)
    block = np.asarray(_ints(block_shape, op, "block_shape"), dtype=np.int64).reshape(-1)
    if shape.shape != block.shape:
        raise invalid_argument(
            op, f"input_shape {shape.tolist()} and block_shape {block.tolist()} differ in length"
        )
    base = (
        np.zeros((block.size, 2), dtype=np.int64)
        if base_paddings is None
        else np.asarray(_ints(base_paddings, op, "base_paddings"), dtype=np.int64)
    )
    if base.shape != (block.size, 2):
        raise invalid_argument(op, f"base_paddings must have shape [{block.size}, 2]")
    full = shape + base[:, 0] + base[:, 1]
    extra = (block - full % block) % block
    paddings = np.stack([base[:, 0], base[:, 1] + extra], axis=1).astype(np.int32)
    crops = np.stack([np.zeros_like(extra), extra], axis=1).astype(np.int32)
    return constant(paddings), constant(crops)


def atrous_conv2d(value, filters, rate, padding, name=None) -> Tensor:
    """2-D convolution with holes: ``filters [KH, KW, C, F]`` dilated by ``rate``, stride 1."""
    from .conv3d import padding_mode
    from .conv_general import conv2d_general

    op = "atrous_conv2d"
    rate = int(rate)
    if rate < 1:
        raise ValueError(f"{op}: rate must be >= 1, received {rate}")
    x, k = as_tensor(value), as_tensor(filters)
    if x.ndim != 4 or k.ndim != 4 or k.shape[2] != x.shape[3]:
        raise ValueError(
            f"{op}: expected value [N, H, W, C] and filters [KH, KW, C, F] with the same C, "
            f"received shapes {tuple(x.shape)} and {tuple(k.shape)}"
        )
    return conv2d_general(x, k, (1, 1), padding_mode(padding, op), (rate, rate))


def atrous_conv2d_transpose(value, filters, output_shape, rate, padding, name=None) -> Tensor:
    """The adjoint of :func:`atrous_conv2d`: ``filters [KH, KW, F_out, C_in]``."""
    from .nn_conv import conv2d_transpose

    rate = int(rate)
    if rate < 1:
        raise ValueError(f"atrous_conv2d_transpose: rate must be >= 1, received {rate}")
    return conv2d_transpose(value, filters, output_shape, 1, padding, dilations=rate)


def _dilate_and_pad(x, in_sizes, out_sizes, k_eff, strides, pads_fwd):
    """Zeros between the ``x`` samples (``stride - 1`` of them) along axes 1..n, then the
    padding that makes a stride-1 VALID convolution the adjoint of the strided one."""
    from .rearrange import pad
    from .shape import reshape

    n = len(in_sizes)
    for axis, s in enumerate(strides, start=1):
        if s == 1:
            continue
        shape = list(x.shape)
        x = reshape(x, shape[: axis + 1] + [1] + shape[axis + 1 :])
        widths = [[0, 0]] * (axis + 1) + [[0, s - 1]] + [[0, 0]] * (len(shape) - axis - 1)
        x = pad(x, widths)
        x = reshape(x, shape[:axis] + [shape[axis] * s] + shape[axis + 1 :])
        index = (slice(None),) * axis + (slice(0, (shape[axis] - 1) * s + 1),)
        x = x[index]
    widths = [[0, 0]]
    for i in range(n):
        before = k_eff[i] - 1 - pads_fwd[i]
        after = out_sizes[i] - ((in_sizes[i] - 1) * strides[i] + 1) + k_eff[i] - 1 - before
        widths.append([before, after])
    widths.append([0, 0])
    return pad(x, widths)


def conv3d_transpose(
    input,  # noqa: A002
    filters,
    output_shape,
    strides,
    padding="SAME",
    data_format="NDHWC",
    dilations=None,
    name=None,
) -> Tensor:
    """The gradient of ``conv3d`` with respect to its input: ``input [N, D, H, W, C_in]``
    and ``filters [KD, KH, KW, C_out, C_in]`` to ``output_shape [N, OD, OH, OW, C_out]``."""
    from ..backend.geometry import conv_geometry
    from .conv3d import conv3d, padding_mode, triple
    from .rearrange import reverse
    from .shape import transpose

    op = "conv3d_transpose"
    if data_format not in (None, "NDHWC"):
        raise ValueError(f"{op}: only data_format='NDHWC' is supported, received {data_format!r}")
    x, k = as_tensor(input), as_tensor(filters)
    shape = _ints(output_shape, op, "output_shape")
    if (
        x.ndim != 5
        or k.ndim != 5
        or len(shape) != 5
        or k.shape[4] != x.shape[4]
        or shape[0] != x.shape[0]
        or shape[4] != k.shape[3]
    ):
        raise ValueError(
            f"{op}: expected input [N, D, H, W, C_in], filters [KD, KH, KW, C_out, C_in] and "
            f"output_shape [N, OD, OH, OW, C_out]; received shapes {tuple(x.shape)}, "
            f"{tuple(k.shape)} and output_shape {shape}"
        )
    strides = triple(strides, "strides", op)
    dil = triple(1 if dilations is None else dilations, "dilations", op)
    mode = padding_mode(padding, op)
    k_eff, pads = [], []
    for i in range(3):
        eff = (k.shape[i] - 1) * dil[i] + 1
        out, before, _ = conv_geometry(shape[1 + i], eff, strides[i], mode)
        if out != x.shape[1 + i]:
            raise ValueError(
                f"{op}: output_shape {shape} does not map back to the input's "
                f"{tuple(x.shape[1:4])} under strides {strides} and '{mode}' padding"
            )
        k_eff.append(eff)
        pads.append(before)
    if x.dtype != k.dtype:
        from .math import cast

        x = cast(x, k.dtype)
    xd = _dilate_and_pad(x, list(x.shape[1:4]), shape[1:4], k_eff, strides, pads)
    flipped = transpose(reverse(k, [0, 1, 2]), (0, 1, 2, 4, 3))
    return conv3d(xd, flipped, 1, "VALID", dil)


def conv_transpose(
    input,  # noqa: A002
    filters,
    output_shape,
    strides,
    padding="SAME",
    data_format=None,
    dilations=None,
    name=None,
) -> Tensor:
    """Transposed convolution of rank 1, 2 or 3 chosen by ``len(output_shape) - 2``."""
    from .nn_conv import conv2d_transpose
    from .nn_conv1d import conv1d_transpose

    n = len(_ints(output_shape, "conv_transpose", "output_shape")) - 2
    fmt = {1: "NWC", 2: "NHWC", 3: "NDHWC"}.get(n)
    if fmt is None:
        raise ValueError(
            f"conv_transpose: output_shape must have 3, 4 or 5 entries, received {output_shape!r}"
        )
    if data_format not in (None, fmt):
        raise ValueError(f"conv_transpose: only data_format={fmt!r} is supported here")
    fn = {1: conv1d_transpose, 2: conv2d_transpose, 3: conv3d_transpose}[n]
    return fn(input, filters, output_shape, strides, padding, fmt, dilations)


def depthwise_conv2d_backprop_input(
    input_sizes,
    filter,  # noqa: A002
    out_backprop,
    strides,
    padding,
    data_format="NHWC",
    dilations=(1, 1, 1, 1),
    name=None,
) -> Tensor:
    """The gradient of ``depthwise_conv2d`` with respect to its input of shape
    ``input_sizes``, given ``out_backprop`` (the output's gradient)."""
    args = (input_sizes, filter, out_backprop, strides, padding, data_format, dilations)
    return _depthwise_grad(0, *args)


def depthwise_conv2d_backprop_filter(
    input,  # noqa: A002
    filter_sizes,
    out_backprop,
    strides,
    padding,
    data_format="NHWC",
    dilations=(1, 1, 1, 1),
    name=None,
) -> Tensor:
    """The gradient of ``depthwise_conv2d`` with respect to its filter of shape
    ``filter_sizes``, given the input and ``out_backprop``."""
    args = (input, filter_sizes, out_backprop, strides, padding, data_format, dilations)
    return _depthwise_grad(1, *args)


def _depthwise_grad(which, a, b, g, strides, padding, data_format, dilations):
    from ..autodiff import GradientTape
    from .creation import zeros
    from .math import multiply
    from .nn_conv import depthwise_conv2d
    from .reduce import reduce_sum

    op = "depthwise_conv2d_backprop_" + ("input" if which == 0 else "filter")
    g = as_tensor(g)
    known = as_tensor(b if which == 0 else a)
    sizes = _ints(a if which == 0 else b, op, "input_sizes" if which == 0 else "filter_sizes")
    if len(sizes) != 4:
        raise ValueError(f"{op}: the sizes must have 4 entries, received {sizes}")
    # the op is linear in the unknown: the gradient of <depthwise_conv2d(.), g> at zero
    unknown = zeros(sizes, dtype=g.dtype)
    with GradientTape() as tape:
        tape.watch(unknown)
        args = (unknown, known) if which == 0 else (known, unknown)
        y = depthwise_conv2d(*args, strides, padding, data_format, dilations)
        if tuple(y.shape) != tuple(g.shape):
            raise ValueError(
                f"{op}: out_backprop has shape {tuple(g.shape)}, the convolution gives "
                f"{tuple(y.shape)}"
            )
        total = reduce_sum(multiply(y, g))
    return tape.gradient(total, unknown)


def with_space_to_batch(
    input,  # noqa: A002
    dilation_rate,
    padding,
    op,
    filter_shape=None,
    spatial_dims=None,
    data_format=None,
):
    """Run ``op(converted, num_spatial_dims, "VALID")`` on ``input`` moved to the batch by
    :func:`space_to_batch_nd` with block ``dilation_rate`` (padded as ``padding`` needs for a
    ``filter_shape`` window), then move the result back: ``op`` with dilation for free.
    All rates 1: ``op(input, num_spatial_dims, padding)``."""
    x = as_tensor(input)
    rate = [
        int(r)
        for r in np.asarray(_ints(dilation_rate, "with_space_to_batch", "dilation_rate")).reshape(
            -1
        )
    ]
    n = len(rate)
    if spatial_dims is not None and list(spatial_dims) != list(range(1, n + 1)):
        raise ValueError(
            "with_space_to_batch: only spatial_dims [1, ..., N] (channels last) are supported, "
            f"received {spatial_dims}"
        )
    if data_format is not None and str(data_format).startswith("NC"):
        raise ValueError(f"with_space_to_batch: data_format {data_format!r} is not supported")
    mode = str(padding).upper()
    if mode not in ("SAME", "VALID"):
        raise ValueError(f"with_space_to_batch: padding must be 'SAME' or 'VALID', got {padding!r}")
    if any(r < 1 for r in rate):
        raise ValueError(f"with_space_to_batch: dilation_rate must be >= 1, received {rate}")
    if all(r == 1 for r in rate):
        return op(x, n, mode)
    if mode == "SAME":
        if filter_shape is None:
            raise ValueError("with_space_to_batch: filter_shape must be given for SAME padding")
        taps = [
            int(f)
            for f in np.asarray(_ints(filter_shape, "with_space_to_batch", "filter_shape")).reshape(
                -1
            )
        ]
        extra = [(f - 1) * r for f, r in zip(taps, rate)]
        base = [[e // 2, e - e // 2] for e in extra]
    else:
        base = [[0, 0]] * n
    paddings, crops = required_space_to_batch_paddings(list(x.shape[1 : n + 1]), rate, base)
    converted = space_to_batch_nd(x, rate, paddings)
    return batch_to_space(op(converted, n, "VALID"), rate, crops)


__all__ = [
    "atrous_conv2d",
    "atrous_conv2d_transpose",
    "batch_to_space",
    "batch_to_space_nd",
    "conv3d_transpose",
    "conv_transpose",
    "depthwise_conv2d_backprop_filter",
    "depthwise_conv2d_backprop_input",
    "required_space_to_batch_paddings",
    "space_to_batch",
    "space_to_batch_nd",
    "with_space_to_batch",
]
