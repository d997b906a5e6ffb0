"""Depthwise convolution (one input channel per group) as KH*KW shifted multiply-adds.

A depthwise kernel ``[KH, KW, 1, C * M]`` maps each input channel ``c`` to the ``M``
output channels ``c * M ... c * M + M - 1``. The grouped contraction in
``conv_general`` copies the input's windows ``[N, OH, OW, KH, KW, C]`` to reshape them;
here each kernel tap reads the strided windows view in place, so the work is KH*KW passes
over the output and no copy of the windows is made.

The functions take and return arrays (``xp`` is NumPy or CuPy) and compute in the dtype
they are given; ``conv_general`` passes float16 in as float32.
"""

from __future__ import annotations


def depthwise_forward(xp, win, k):
    """``y [N, OH, OW, C * M]`` from the windows view ``win [N, OH, OW, KH, KW, C]`` and the
    kernel ``k [KH, KW, 1, C * M]``."""
    n, oh, ow, kh, kw, c = win.shape
    taps = k.reshape(kh, kw, c, -1)
    y = xp.zeros((n, oh, ow, c, taps.shape[-1]), dtype=win.dtype)
    for i in range(kh):
        for j in range(kw):
            y += win[:, :, :, i, j, :, None] * taps[i, j]
    return y.reshape(n, oh, ow, -1)


def depthwise_input_parts(g, k, channels: int):
    """``part(i, j)``: the input gradient that kernel tap ``(i, j)`` sends to its windows,
    ``[N, OH, OW, C]``, for the output gradient ``g [N, OH, OW, C * M]``."""
    kh, kw = k.shape[:2]
    taps = k.reshape(kh, kw, channels, -1)
    g5 = g.reshape(g.shape[:3] + (channels, -1))

    def part(i, j):
        return (g5 * taps[i, j]).sum(axis=-1)

    return part


def depthwise_kernel_grad(xp, win, g, k_shape):
    """The kernel gradient ``[KH, KW, 1, C * M]`` of ``sum(depthwise(x, k) * g)``."""
    n, oh, ow, kh, kw, c = win.shape
    g5 = g.reshape(n, oh, ow, c, -1)
    dk = xp.empty((kh, kw, c, g5.shape[-1]), dtype=g.dtype)
    for i in range(kh):
        for j in range(kw):
            dk[i, j] = xp.einsum("nhwc,nhwcm->cm", win[:, :, :, i, j, :], g5)
    return dk.reshape(k_shape)
