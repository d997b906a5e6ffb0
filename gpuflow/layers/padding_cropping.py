"""ZeroPadding1D/2D/3D and Cropping1D/2D/3D over channels-last inputs."""

from __future__ import annotations

from ..ops.spatial import pad
from ._args import check_rank
from .base import Layer
from .channels_first import ChannelsFirst, data_format_arg

_LAYOUTS = {
    1: "[batch, steps, channels]",
    2: "[batch, height, width, channels]",
    3: "[batch, depth, height, width, channels]",
}


def _amounts(value, dims: int, arg: str, where: str) -> tuple:
    """Keras' forms: ``n`` or ``(a, b)`` for 1-D; ``n``, one int per axis, or one
    ``(before, after)`` pair per axis for 2-D and 3-D."""

    def pair(v):
        if isinstance(v, (list, tuple)):
            if len(v) != 2:
                raise ValueError(
                    f"{where}: {arg} must be an int, a pair, or pairs per axis, "
                    f"received {arg}={value!r}"
                )
            return int(v[0]), int(v[1])
        return int(v), int(v)

    if dims == 1:
        out = (pair(value),)
    elif isinstance(value, (list, tuple)):
        if len(value) != dims:
            raise ValueError(
                f"{where}: {arg} must be an int, a pair, or pairs per axis, "
                f"received {arg}={value!r}"
            )
        out = tuple(pair(v) for v in value)
    else:
        out = (pair(value),) * dims
    if any(n < 0 for p in out for n in p):
        raise ValueError(f"{where}: {arg} must be non-negative, received {arg}={value!r}")
    return out


class _Spatial(ChannelsFirst, Layer):
    _dims = 1
    _cast_int_inputs = False  # Keras 3 keeps an integer input's dtype
    _arg = "padding"

    @property
    def _spatial_rank(self) -> int:  # for ChannelsFirst
        return self._dims

    def __init__(self, amount, data_format=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.amounts = _amounts(amount, self._dims, self._arg, self._where())
        self.data_format = data_format_arg(data_format, self._where())

    def _check(self, shape):
        check_rank(self, shape, self._dims + 2, _LAYOUTS[self._dims])

    def get_config(self) -> dict:
        value = tuple(self.amounts[0]) if self._dims == 1 else tuple(map(tuple, self.amounts))
        return {**super().get_config(), self._arg: value, "data_format": self.data_format}


class _ZeroPadding(_Spatial):
    def call(self, inputs):
        self._check(inputs.shape)
        return pad(inputs, ((0, 0),) + self.amounts + ((0, 0),))

    def compute_output_shape(self, input_shape) -> tuple:
        shape = tuple(input_shape)
        self._check(shape)
        mid = tuple(
            None if n is None else n + a + b for n, (a, b) in zip(shape[1:-1], self.amounts)
        )
        return (shape[0],) + mid + (shape[-1],)


class _Cropping(_Spatial):
    _arg = "cropping"

    def call(self, inputs):
        self._check(inputs.shape)
        index = [slice(None)]
        for n, (a, b) in zip(inputs.shape[1:-1], self.amounts):
            if a + b >= n:
                raise ValueError(
                    f"{self._where()}: cropping {self.amounts} removes every entry "
                    "of an "
                    f"input of shape {tuple(inputs.shape)}"
                )
            index.append(slice(a, n - b))
        return inputs[tuple(index)]

    def compute_output_shape(self, input_shape) -> tuple:
        shape = tuple(input_shape)
        self._check(shape)
        mid = tuple(
            None if n is None else n - a - b for n, (a, b) in zip(shape[1:-1], self.amounts)
        )
        return (shape[0],) + mid + (shape[-1],)


class ZeroPadding1D(_ZeroPadding):
    """Pads the steps axis with zeros: ``padding`` is ``n`` or ``(before, after)``."""

    def __init__(self, padding=1, data_format=None, **kwargs) -> None:
        super().__init__(padding, data_format, **kwargs)


class ZeroPadding2D(_ZeroPadding):
    """Pads height and width with zeros: ``padding`` is ``n``, ``(n_h, n_w)`` or
    ``((top, bottom), (left, right))``."""

    _dims = 2

    def __init__(self, padding=(1, 1), data_format=None, **kwargs) -> None:
        super().__init__(padding, data_format, **kwargs)


class Cropping1D(_Cropping):
    """Removes ``cropping`` = ``n`` or ``(before, after)`` steps."""

    def __init__(self, cropping=(1, 1), data_format=None, **kwargs) -> None:
        super().__init__(cropping, data_format, **kwargs)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["data_format"]  # Keras 3's Cropping1D has none (always steps, channels)
        return config


class Cropping2D(_Cropping):
    """Removes rows and columns: ``cropping`` is ``n``, ``(n_h, n_w)`` or
    ``((top, bottom), (left, right))``."""

    _dims = 2

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs) -> None:
        super().__init__(cropping, data_format, **kwargs)


class ZeroPadding3D(_ZeroPadding):
    """Pads depth, height and width with zeros: ``padding`` is ``n``, ``(n_d, n_h, n_w)`` or
    one ``(before, after)`` pair per axis."""

    _dims = 3

    def __init__(self, padding=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs) -> None:
        super().__init__(padding, data_format, **kwargs)


class Cropping3D(_Cropping):
    """Removes entries of depth, height and width: ``cropping`` is ``n``, one int per axis,
    or one ``(before, after)`` pair per axis."""

    _dims = 3

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs) -> None:
        super().__init__(cropping, data_format, **kwargs)
