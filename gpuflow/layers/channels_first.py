"""``data_format="channels_first"`` for layers that compute on channels-last arrays.

gpuflow's convolution, pooling, padding, resampling and image layers compute on
``[batch, ..., channels]``. A layer of a class built on :class:`ChannelsFirst` also takes
``[batch, channels, ...]`` when its ``data_format`` is ``"channels_first"`` (Keras' argument;
None follows ``keras.config.image_data_format()``): its ``build``, ``call`` and
``compute_output_shape`` see the channels moved last, and what ``call`` returns has them moved
back. Weights keep Keras' shapes in both layouts (a Conv2D kernel is ``[kh, kw, in, out]``),
so a model's weights load into either. Unbatched images (``[channels, height, width]``, which
the image preprocessing layers take) have their channels on the first axis.

Each class in the hierarchy that defines one of the three methods gets it wrapped; the
outermost call does the moving and the inner ones (``super().call(...)``, a ``build`` that
calls ``compute_output_shape``) run as written, on the channels-last view.
"""

from __future__ import annotations

import functools

from ..config import settings
from ..ops.shape import transpose
from ..tensor import Tensor
from ._inputs import as_shape

_WRAPPED = ("build", "call", "compute_output_shape")
_DICT_IMAGES = ("images", "segmentation_masks")  # the image entries of a Keras 3 input dict


def data_format_arg(value, where: str) -> str:
    """``value`` as ``"channels_last"`` or ``"channels_first"`` (None: the global default)."""
    if value is None:
        return settings.image_data_format()
    text = str(value).lower()
    if text not in ("channels_last", "channels_first"):
        raise ValueError(
            f"{where}: data_format must be 'channels_last' or 'channels_first', received {value!r}"
        )
    return text


class ChannelsFirst:
    """Mixin: the layer takes channels-first inputs when ``self.data_format`` says so.

    ``_spatial_rank`` is the number of spatial axes (2 for images); inputs of that many
    axes plus one (unbatched) or plus two (batched) have their channels moved.
    """

    _spatial_rank = 2

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        for name in _WRAPPED:
            method = cls.__dict__.get(name)
            if method is not None and not getattr(method, "_moves_channels", False):
                setattr(cls, name, _WRAPPERS[name](method))

    def _channels_first(self) -> bool:
        return self.__dict__.get("data_format") == "channels_first" and not self.__dict__.get(
            "_inside_channels_last"
        )

    def _check_input(self, inputs) -> None:
        if self._channels_first() and isinstance(inputs, Tensor) and self.input_spec is not None:
            shape = inputs._data.shape
            try:
                self.input_spec.check(self._where(), _shape_last(self, shape))
            except ValueError as error:
                raise ValueError(
                    f"{error} (channels_first input of shape {tuple(shape)} with its channels "
                    "moved last)"
                ) from None
            return
        super()._check_input(inputs)


def _axis(layer, ndim: int) -> int | None:
    """The channels axis of a channels-first value of rank ``ndim`` (None: not an image)."""
    rank = layer._spatial_rank
    if ndim == rank + 2:
        return 1
    if ndim == rank + 1:
        return 0
    return None


def _shape_last(layer, shape):
    shape = tuple(shape)
    axis = _axis(layer, len(shape))
    if axis is None:
        return shape
    return shape[:axis] + shape[axis + 1 :] + (shape[axis],)


def _shape_first(layer, shape):
    if isinstance(shape, list):
        return [_shape_first(layer, s) for s in shape]
    shape = tuple(shape)
    axis = _axis(layer, len(shape))
    if axis is None:
        return shape
    return shape[:axis] + (shape[-1],) + shape[axis:-1]


def _move(layer, value, last: bool):
    if isinstance(value, dict):
        return {k: _move(layer, v, last) if k in _DICT_IMAGES else v for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_move(layer, v, last) for v in value)
    if not isinstance(value, Tensor):
        return value
    axis = _axis(layer, value.ndim)
    if axis is None:
        return value
    axes = list(range(value.ndim))
    if last:
        axes.append(axes.pop(axis))
    else:
        axes.insert(axis, axes.pop())
    return transpose(value, axes)


def _on_channels_last(method, layer, *args, **kwargs):
    layer.__dict__["_inside_channels_last"] = True
    try:
        return method(layer, *args, **kwargs)
    finally:
        del layer.__dict__["_inside_channels_last"]


def _wrap_call(call):
    @functools.wraps(call)
    def wrapped(self, inputs, *args, **kwargs):
        if not self._channels_first():
            return call(self, inputs, *args, **kwargs)
        outputs = _on_channels_last(call, self, _move(self, inputs, True), *args, **kwargs)
        return _move(self, outputs, False)

    wrapped._moves_channels = True
    return wrapped


def _wrap_build(build):
    @functools.wraps(build)
    def wrapped(self, input_shape, *args, **kwargs):
        if not self._channels_first():
            return build(self, input_shape, *args, **kwargs)
        out = _on_channels_last(build, self, _shape_last(self, input_shape), *args, **kwargs)
        self._build_input_shape = as_shape(input_shape)  # as given: get_build_config rebuilds it
        return out

    wrapped._moves_channels = True
    return wrapped


def _wrap_output_shape(compute_output_shape):
    @functools.wraps(compute_output_shape)
    def wrapped(self, input_shape, *args, **kwargs):
        if not self._channels_first():
            return compute_output_shape(self, input_shape, *args, **kwargs)
        shape = _on_channels_last(
            compute_output_shape, self, _shape_last(self, input_shape), *args, **kwargs
        )
        return _shape_first(self, shape)

    wrapped._moves_channels = True
    return wrapped


_WRAPPERS = {"build": _wrap_build, "call": _wrap_call, "compute_output_shape": _wrap_output_shape}
