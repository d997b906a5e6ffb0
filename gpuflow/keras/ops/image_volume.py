"""``keras.ops.image.extract_patches_3d``: the ``size`` patches of volumes
``[batch, depth, height, width, channels]`` every ``strides``, flattened in (depth, row,
column, channel) order, as Keras 3's identity-kernel 3-D convolution gives them."""

from __future__ import annotations

from ...ops.rearrange import pad
from ...ops.shape import reshape, stack
from ._dtypes import convert_to_tensor


def _triple(value, name: str) -> tuple:
    if isinstance(value, int) and not isinstance(value, bool):
        return (value, value, value)
    if isinstance(value, (tuple, list)) and len(value) == 3:
        return tuple(int(v) for v in value)
    raise ValueError(
        f"extract_patches_3d: Invalid `{name}` argument. Expected an int or a tuple of length "
        f"3. Received: {name}={value}"
    )


def extract_patches_3d(
    volumes, size, strides=None, dilation_rate=1, padding="valid", data_format=None
):
    """Patches ``[batch, d', h', w', kd * kh * kw * channels]`` (or without the batch axis
    for one volume ``[depth, height, width, channels]``)."""
    if data_format not in (None, "channels_last"):
        raise ValueError(
            "extract_patches_3d: only data_format='channels_last' is supported, received "
            f"{data_format!r}"
        )
    if not (isinstance(size, int) or (isinstance(size, (tuple, list)) and len(size) == 3)):
        raise TypeError(
            "extract_patches_3d: Invalid `size` argument. Expected an int or a tuple of "
            f"length 3. Received: size={size}"
        )
    kernel = _triple(size, "size")
    steps = kernel if strides is None else _triple(strides, "strides")
    dilation = _triple(dilation_rate, "dilation_rate")
    padding = str(padding).lower()
    if padding not in ("valid", "same"):
        raise ValueError(
            f"extract_patches_3d: padding must be 'valid' or 'same', received {padding!r}"
        )
    x = convert_to_tensor(volumes)
    single = x.ndim == 4
    if single:
        x = reshape(x, (1,) + tuple(x.shape))
    if x.ndim != 5:
        raise ValueError(
            "extract_patches_3d: expected volumes [batch, depth, height, width, channels], "
            f"received shape {tuple(x.shape)}"
        )
    sizes = x.shape[1:4]
    spans = [(k - 1) * d + 1 for k, d in zip(kernel, dilation)]
    if padding == "same":
        outs = [-(-n // s) for n, s in zip(sizes, steps)]
        totals = [max((o - 1) * s + sp - n, 0) for o, s, sp, n in zip(outs, steps, spans, sizes)]
        x = pad(x, [[0, 0]] + [[t // 2, t - t // 2] for t in totals] + [[0, 0]])
    else:
        outs = [(n - sp) // s + 1 for n, sp, s in zip(sizes, spans, steps)]
        if min(outs) < 1:
            raise ValueError(
                f"extract_patches_3d: patches of size {kernel} do not fit volumes of shape "
                f"{tuple(x.shape)} with 'valid' padding"
            )
    parts = []
    for i in range(kernel[0]):
        for j in range(kernel[1]):
            for k in range(kernel[2]):
                starts = (i * dilation[0], j * dilation[1], k * dilation[2])
                index = tuple(
                    slice(st, st + (o - 1) * s + 1, s) for st, o, s in zip(starts, outs, steps)
                )
                parts.append(x[(slice(None),) + index + (slice(None),)])
    n, c = x.shape[0], x.shape[-1]
    out = reshape(stack(parts, axis=4), (n, *outs, kernel[0] * kernel[1] * kernel[2] * c))
    return reshape(out, tuple(out.shape[1:])) if single else out
