"""Argument checks and config helpers shared by the built-in layers."""

from __future__ import annotations


def positive_int(value, arg: str, layer: str) -> int:
    """``value`` as an int >= 1, else a ValueError naming the layer and the argument."""
    if isinstance(value, bool) or not isinstance(value, (int,)) and not hasattr(value, "__index__"):
        raise ValueError(f"{layer}: {arg} must be a positive integer, received {value!r}")
    value = int(value)
    if value < 1:
        raise ValueError(f"{layer}: {arg} must be a positive integer, received {value}")
    return value


def int_pair(value, arg: str, layer: str) -> tuple[int, int]:
    """An int or a pair of ints as ``(a, b)``, each >= 1."""
    if isinstance(value, (list, tuple)):
        if len(value) != 2:
            raise ValueError(f"{layer}: {arg} must be an int or a pair of ints, received {value!r}")
        return positive_int(value[0], arg, layer), positive_int(value[1], arg, layer)
    n = positive_int(value, arg, layer)
    return n, n


def padding_mode(value, layer: str) -> str:
    mode = str(value).lower()
    if mode not in ("valid", "same"):
        raise ValueError(f"{layer}: padding must be 'valid' or 'same', received {value!r}")
    return mode


def channels_last(value, layer: str) -> str:
    """Only channels-last (``[N, H, W, C]``) layouts are supported."""
    if value not in (None, "channels_last"):
        raise ValueError(
            f"{layer}: data_format must be 'channels_last' ([batch, ..., channels]), "
            f"received {value!r}; move the channels axis of channels-first inputs last "
            "with tf.transpose (for example [0, 2, 1] for [batch, channels, steps], "
            "[0, 2, 3, 1] for [batch, channels, height, width])"
        )
    return "channels_last"


def serialize_regularizer(regularizer):
    """A regularizer as a name or ``{"class_name", "config"}`` (None stays None)."""
    if regularizer is None or isinstance(regularizer, (str, dict)):
        return regularizer
    from .. import regularizers

    return regularizers.serialize(regularizer)


def unit_rate(value, arg: str, layer: str) -> float:
    """A probability in ``[0, 1)`` (dropout rates), else a ValueError naming layer and argument."""
    try:
        rate = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{layer}: {arg} must be a float in [0, 1), received {value!r}") from None
    if not 0 <= rate < 1:
        raise ValueError(f"{layer}: {arg} must be in [0, 1), received {arg}={value!r}")
    return rate


def non_negative(value, arg: str, layer: str) -> float:
    """A float >= 0, else a ValueError naming layer and argument."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(
            f"{layer}: {arg} must be a non-negative number, received {value!r}"
        ) from None
    if not number >= 0:
        raise ValueError(f"{layer}: {arg} must be a non-negative number, received {arg}={value!r}")
    return number


def int_tuple(value, n: int, arg: str, layer: str, minimum: int = 1) -> tuple:
    """An int or a sequence of ``n`` ints, each >= ``minimum``, as a tuple of ``n`` ints."""
    items = tuple(value) if isinstance(value, (list, tuple)) else (value,) * n
    if len(items) != n:
        raise ValueError(
            f"{layer}: {arg} must be an int or a tuple of {n} ints, received {value!r}"
        )
    out = []
    for item in items:
        if isinstance(item, bool) or not hasattr(item, "__index__") or int(item) < minimum:
            raise ValueError(
                f"{layer}: {arg} must hold integers >= {minimum}, received {arg}={value!r}"
            )
        out.append(int(item))
    return tuple(out)


def check_rank(layer, shape, ndim: int, layout: str) -> None:
    """Raise naming the layer, the expected rank and layout, and the shape received."""
    if len(tuple(shape)) != ndim:
        raise ValueError(
            f"{layer._where()}: expected input of rank {ndim} ({layout}), "
            f"received shape {tuple(shape)}"
        )


def no_strided_dilation(strides, dilation_rate, where: str) -> None:
    """Keras' Conv and ConvTranspose layers refuse strides > 1 together with dilation > 1."""
    if max(strides) > 1 and max(dilation_rate) > 1:
        raise ValueError(
            f"{where}: strides > 1 not supported in conjunction with dilation_rate > 1, "
            f"received strides={tuple(strides)} and dilation_rate={tuple(dilation_rate)}"
        )
