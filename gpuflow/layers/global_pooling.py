"""Global pooling over the steps of ``[N, steps, C]`` or the pixels of ``[N, H, W, C]`` (or,
with ``data_format="channels_first"``, of ``[N, C, steps]`` / ``[N, C, H, W]``)."""

from __future__ import annotations

from ..ops.math import cast, maximum
from ..ops.reduce import reduce_max, reduce_mean, reduce_sum
from ..ragged import RaggedTensor, mean_over_rows
from ._args import check_rank
from .base import Layer
from .channels_first import data_format_arg


class _GlobalPooling(Layer):
    """Shared by the global pooling layers: ``data_format`` (the channels last, the default,
    or first, as Keras) and ``keepdims``."""

    _rank = 3
    _spatial = "steps"
    supports_masking = False  # Keras 3: only GlobalAveragePooling1D (its mask is dropped)

    def __init__(self, data_format=None, keepdims=False, **kwargs) -> None:
        super().__init__(**kwargs)
        self._build_at_init()
        data_format = self.data_format = data_format_arg(data_format, self._where())
        self.keepdims = bool(keepdims)
        first = data_format == "channels_first"
        self._axes = tuple(range(2, self._rank)) if first else tuple(range(1, self._rank - 1))
        self._layout = (
            f"[batch, channels, {self._spatial}]"
            if first
            else f"[batch, {self._spatial}, channels]"
        )

    def call(self, inputs, mask=None):
        check_rank(self, inputs.shape, self._rank, self._layout)
        return self._pool(inputs, mask)

    def compute_mask(self, inputs, mask=None):
        return None

    def compute_output_shape(self, input_shape) -> tuple:
        shape = tuple(input_shape)
        check_rank(self, shape, self._rank, self._layout)
        channels = shape[1] if self.data_format == "channels_first" else shape[-1]
        if not self.keepdims:
            return (shape[0], channels)
        if self.data_format == "channels_first":
            return (shape[0], channels) + (1,) * (self._rank - 2)
        return (shape[0],) + (1,) * (self._rank - 2) + (channels,)

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format, "keepdims": self.keepdims}


class GlobalAveragePooling1D(_GlobalPooling):
    """Mean over the steps; with a mask, over the unmasked steps only (as Keras)."""

    supports_masking = True

    def call(self, inputs, mask=None):
        if isinstance(inputs, RaggedTensor):  # each row averaged over its own length
            return mean_over_rows(inputs)
        return super().call(inputs, mask)

    def _pool(self, inputs, mask):
        if mask is None:
            return reduce_mean(inputs, self._axes, keepdims=self.keepdims)
        weights = cast(mask, inputs.dtype)
        weights = (
            weights[:, None, :] if self.data_format == "channels_first" else weights[..., None]
        )
        steps = self._axes[0]
        total = reduce_sum(inputs * weights, steps, keepdims=self.keepdims)
        # A row with every step masked averages nothing: 0 rather than 0 / 0.
        return total / maximum(reduce_sum(weights, steps, keepdims=self.keepdims), 1.0)


class GlobalMaxPooling1D(_GlobalPooling):
    """Maximum over the steps."""

    def _pool(self, inputs, mask):
        return reduce_max(inputs, self._axes, keepdims=self.keepdims)


class GlobalAveragePooling2D(_GlobalPooling):
    """Mean over height and width."""

    _rank = 4
    _spatial = "height, width"

    def _pool(self, inputs, mask):
        return reduce_mean(inputs, self._axes, keepdims=self.keepdims)


class GlobalMaxPooling2D(_GlobalPooling):
    """Maximum over height and width."""

    _rank = 4
    _spatial = "height, width"

    def _pool(self, inputs, mask):
        return reduce_max(inputs, self._axes, keepdims=self.keepdims)


GlobalAvgPool1D = GlobalAveragePooling1D
GlobalAvgPool2D = GlobalAveragePooling2D
GlobalMaxPool1D = GlobalMaxPooling1D
GlobalMaxPool2D = GlobalMaxPooling2D


class GlobalAveragePooling3D(_GlobalPooling):
    """Mean over depth, height and width."""

    _rank = 5
    _spatial = "depth, height, width"

    def _pool(self, inputs, mask):
        return reduce_mean(inputs, self._axes, keepdims=self.keepdims)


class GlobalMaxPooling3D(_GlobalPooling):
    """Maximum over depth, height and width."""

    _rank = 5
    _spatial = "depth, height, width"

    def _pool(self, inputs, mask):
        return reduce_max(inputs, self._axes, keepdims=self.keepdims)


GlobalAvgPool3D = GlobalAveragePooling3D
GlobalMaxPool3D = GlobalMaxPooling3D
