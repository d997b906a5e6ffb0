"""``keras.layers.STFTSpectrogram``: the short-time Fourier transform as a (trainable)
Conv1D whose kernels start as a windowed Fourier basis (``keras.initializers.STFT``);
outputs the log or linear magnitude, the PSD, the real or imaginary part, the phase, or the
real and imaginary parts side by side, as Keras 3's."""

from __future__ import annotations

import math
import warnings

from ...initializers import STFT
from ...ops.math import atan2, maximum
from ...ops.nn_conv1d import conv1d
from ...ops.rearrange import pad
from ...ops.shape import concat, reshape, transpose
from ...ops.unary import log, sqrt, square
from ...ops.windows import check_window as _check_window
from ..base import Layer
from ..input_spec import InputSpec

_EPSILON = 1e-7  # keras.backend.epsilon()
_MODES = ("log", "magnitude", "psd", "real", "imag", "angle", "stft")


class STFTSpectrogram(Layer):
    """Spectrogram of ``(batch, time, channels)`` signals (``channels_first``:
    ``(batch, channels, time)``), as ``keras.layers.STFTSpectrogram``.

    Args:
        mode: ``"log"`` (log magnitude, default), ``"magnitude"``, ``"psd"``, ``"real"``,
            ``"imag"``, ``"angle"`` or ``"stft"`` (real and imaginary parts concatenated).
        frame_length: samples per frame (default 256).
        frame_step: samples between frames (default ``frame_length // 2``).
        fft_length: FFT size (default the next power of two of ``frame_length``).
        window: a window name (``"hann"``, ``"hamming"``, ...), an array or None.
        periodic: periodic (DFT-even) rather than symmetric window.
        scaling: ``"density"``, ``"spectrum"`` or None (see ``keras.initializers.STFT``).
        padding: ``"valid"`` or ``"same"``, of the framing convolution.
        expand_dims: keep frequencies and channels apart: ``(batch, frames, freqs,
            channels)``; else ``(batch, frames, channels * freqs)``.
        data_format: ``"channels_last"`` (default) or ``"channels_first"``.

    Raises:
        ValueError: for a bad mode, frame_step, fft_length, scaling, padding or window.
    """

    def __init__(
        self,
        mode="log",
        frame_length=256,
        frame_step=None,
        fft_length=None,
        window="hann",
        periodic=False,
        scaling="density",
        padding="valid",
        expand_dims=False,
        data_format=None,
        **kwargs,
    ) -> None:
        where = f"STFTSpectrogram '{kwargs.get('name') or 'stft_spectrogram'}'"
        if frame_step is not None and (frame_step > frame_length or frame_step < 1):
            raise ValueError(
                f"{where}: `frame_step` should be a positive integer not greater than "
                f"`frame_length`. Received frame_step={frame_step}, "
                f"frame_length={frame_length}"
            )
        if fft_length is not None and fft_length < frame_length:
            raise ValueError(
                f"{where}: `fft_length` should be not less than `frame_length`. Received "
                f"fft_length={fft_length}, frame_length={frame_length}"
            )
        if fft_length is not None and (fft_length & -fft_length) != fft_length:
            warnings.warn(
                f"{where}: `fft_length` is recommended to be a power of two. Received "
                f"fft_length={fft_length}",
                stacklevel=2,
            )
        if mode not in _MODES:
            raise ValueError(
                f"{where}: output mode is invalid, it must be one of {', '.join(_MODES)}. "
                f"Received: mode={mode!r}"
            )
        if scaling is not None and scaling not in ("density", "spectrum"):
            raise ValueError(
                f"{where}: scaling is invalid, it must be `None`, 'density' or 'spectrum'. "
                f"Received scaling={scaling!r}"
            )
        if padding not in ("valid", "same"):
            raise ValueError(
                f"{where}: padding is invalid, it should be 'valid', 'same'. Received: "
                f"padding={padding!r}"
            )
        _check_window(window, where)
        data_format = data_format or "channels_last"
        if data_format not in ("channels_last", "channels_first"):
            raise ValueError(
                f"{where}: data_format must be 'channels_last' or 'channels_first', "
                f"received {data_format!r}"
            )
        super().__init__(**kwargs)
        self.mode = mode
        self.frame_length = int(frame_length)
        self.frame_step = frame_step
        self._frame_step = frame_step or self.frame_length // 2
        self.fft_length = fft_length
        self._fft_length = fft_length or 2 ** int(math.ceil(math.log2(frame_length)))
        self.window = window
        self.periodic = periodic
        self.scaling = scaling
        self.padding = padding
        self.expand_dims = bool(expand_dims)
        self.data_format = data_format
        self.input_spec = InputSpec(ndim=3)

    def build(self, input_shape) -> None:
        shape = (self.frame_length, 1, self._fft_length // 2 + 1)
        if self.mode != "imag":
            self.real_kernel = self._add_weight(
                "real_kernel", shape, STFT("real", self.window, self.scaling, self.periodic)
            )
        if self.mode != "real":
            self.imag_kernel = self._add_weight(
                "imag_kernel", shape, STFT("imag", self.window, self.scaling, self.periodic)
            )
        super().build(input_shape)

    def _apply_conv(self, inputs, kernel):
        """``[B, C, freqs, frames]`` for each channel's signal convolved with ``kernel``."""
        if self.data_format == "channels_last":
            inputs = transpose(inputs, [0, 2, 1])  # [B, C, T]
        batch, channels, steps = inputs.shape
        signals = reshape(inputs, [-1, steps, 1])
        out = conv1d(
            signals, self._read(kernel), self._frame_step, self.padding.upper()
        )  # [B * C, frames, freqs]
        out = transpose(out, [0, 2, 1])
        return reshape(out, [-1, channels, out.shape[1], out.shape[2]])

    def _adjust_shapes(self, outputs):
        _, channels, freqs, frames = outputs.shape
        if self.data_format == "channels_last":
            if self.expand_dims:
                return transpose(outputs, [0, 3, 2, 1])
            return transpose(reshape(outputs, [-1, channels * freqs, frames]), [0, 2, 1])
        if self.expand_dims:
            return transpose(outputs, [0, 1, 3, 2])
        return reshape(outputs, [-1, channels * freqs, frames])

    def call(self, inputs):
        if inputs.dtype not in ("float16", "float32", "float64"):
            raise TypeError(
                f"{self._where()}: invalid input type. Expected `float16`, `float32` or "
                f"`float64`. Received: input type={inputs.dtype}"
            )
        real = self._apply_conv(inputs, self.real_kernel) if self.mode != "imag" else None
        imag = self._apply_conv(inputs, self.imag_kernel) if self.mode != "real" else None
        if self.mode == "real":
            return self._adjust_shapes(real)
        if self.mode == "imag":
            return self._adjust_shapes(imag)
        if self.mode == "angle":
            return self._adjust_shapes(atan2(imag, real))
        if self.mode == "stft":
            return self._adjust_shapes(concat([real, imag], axis=2))
        power = square(real) + square(imag)
        if self.mode == "psd":
            inner = pad(power[:, :, 1:-1, :], [[0, 0], [0, 0], [1, 1], [0, 0]])
            return self._adjust_shapes(power + inner)
        linear = self._adjust_shapes(sqrt(maximum(power, _EPSILON)))
        if self.mode == "magnitude":
            return linear
        return log(maximum(linear, _EPSILON))

    def compute_output_shape(self, input_shape) -> tuple:
        shape = tuple(input_shape)
        if self.data_format == "channels_last":
            batch, steps, channels = shape
        else:
            batch, channels, steps = shape
        freqs = self._fft_length // 2 + 1
        if self.mode == "stft":
            freqs *= 2
        if steps is None:
            frames = None
        elif self.padding == "same":
            frames = -(-steps // self._frame_step)
        else:
            frames = (steps - self.frame_length) // self._frame_step + 1
        if self.expand_dims:
            if self.data_format == "channels_last":
                return (batch, frames, freqs, channels)
            return (batch, channels, frames, freqs)
        if self.data_format == "channels_last":
            return (batch, frames, freqs * channels)
        return (batch, freqs * channels, frames)

    def get_config(self) -> dict:
        window = self.window
        if not isinstance(window, (str, type(None))):
            window = [float(v) for v in window]
        return {
            **super().get_config(),
            "mode": self.mode,
            "frame_length": self.frame_length,
            "frame_step": self.frame_step,
            "fft_length": self.fft_length,
            "window": window,
            "periodic": self.periodic,
            "scaling": self.scaling,
            "padding": self.padding,
            "data_format": self.data_format,
            "expand_dims": self.expand_dims,
        }
