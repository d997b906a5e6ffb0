"""``keras.layers.MelSpectrogram``: audio ``(batch, samples)`` to a mel spectrogram
``(batch, num_mel_bins, frames)``: a centred STFT (reflect padding), magnitude to the power
``mag_exp``, HTK mel filters, and optionally decibels clipped ``top_db`` below the maximum,
as Keras 3's."""

from __future__ import annotations

import math

import numpy as np

from ...ops.creation import constant
from ...ops.linalg import tensordot
from ...ops.math import cast, maximum
from ...ops.rearrange import pad
from ...ops.reduce import reduce_max
from ...ops.shape import transpose
from ...ops.spectral import hamming_window, hann_window, stft
from ...ops.unary import abs as _abs
from ...ops.unary import log
from ..base import Layer

_MEL_BREAK_FREQUENCY_HERTZ = 700.0
_MEL_HIGH_FREQUENCY_Q = 1127.0


def _hertz_to_mel(hertz):
    return _MEL_HIGH_FREQUENCY_Q * np.log(1.0 + hertz / _MEL_BREAK_FREQUENCY_HERTZ)


def linear_to_mel_weight_matrix(
    num_mel_bins, num_spectrogram_bins, sampling_rate, lower_edge_hertz, upper_edge_hertz
) -> np.ndarray:
    """Keras' (and TensorFlow's) HTK mel filter bank, ``[spectrogram bins, mel bins]``:
    triangles of peak 1 spread evenly on the mel scale, the DC bin left out."""
    frequencies = np.linspace(0.0, sampling_rate / 2.0, num_spectrogram_bins)[1:]
    bins_mel = _hertz_to_mel(frequencies)[:, None]
    edges = np.linspace(
        _hertz_to_mel(lower_edge_hertz), _hertz_to_mel(upper_edge_hertz), num_mel_bins + 2
    )
    lower, center, upper = edges[:-2][None], edges[1:-1][None], edges[2:][None]
    lower_slopes = (bins_mel - lower) / (center - lower)
    upper_slopes = (upper - bins_mel) / (upper - center)
    weights = np.maximum(0.0, np.minimum(lower_slopes, upper_slopes))
    return np.pad(weights, [[1, 0], [0, 0]]).astype("float32")


class MelSpectrogram(Layer):
    """Mel spectrograms of audio, as ``keras.layers.MelSpectrogram``.

    Args:
        fft_length: FFT size (default 2048); sequence_length: window size (default
            ``fft_length``, never more); sequence_stride: hop (default 512).
        window: ``"hann"`` (default), ``"hamming"``, an array of ``sequence_length``
            values, or None; periodic windows, centred in ``fft_length``.
        sampling_rate: of the audio (default 16000).
        num_mel_bins: mel bands (default 128); min_freq, max_freq: their range (default 20 Hz
            to ``sampling_rate / 2``).
        power_to_db: convert to decibels (default True): ``10 log10(max(S, min_power)) -
            10 log10(max(|ref_power|, min_power))``, clipped at ``top_db`` below the maximum.
        mag_exp: the exponent of the STFT magnitude (2: power).

    Input ``(batch, samples)`` or ``(samples,)``; output ``(batch, num_mel_bins, frames)``
    with ``frames = 1 + samples // sequence_stride``.

    Raises:
        ValueError: when ``fft_length < sequence_length``, or for an unknown window.
    """

    _allow_non_tensor_positional_args = True  # as Keras' data layers: lists, strings

    def __init__(
        self,
        fft_length=2048,
        sequence_stride=512,
        sequence_length=None,
        window="hann",
        sampling_rate=16000,
        num_mel_bins=128,
        min_freq=20.0,
        max_freq=None,
        power_to_db=True,
        top_db=80.0,
        mag_exp=2.0,
        min_power=1e-10,
        ref_power=1.0,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.fft_length = int(fft_length)
        self.sequence_stride = int(sequence_stride)
        self.sequence_length = int(sequence_length or fft_length)
        if self.fft_length < self.sequence_length:
            raise ValueError(
                f"{self._where()}: `fft_length` must be greater than or equal to "
                f"`sequence_length`. Received: `sequence_length`={self.sequence_length}, "
                f"`fft_length`={self.fft_length}."
            )
        if isinstance(window, str) and window not in ("hann", "hamming"):
            raise ValueError(
                f"{self._where()}: if a string is passed to `window`, it must be one of "
                f'`"hann"`, `"hamming"`. Received: window={window!r}'
            )
        self.window = window
        self.sampling_rate = sampling_rate
        self.num_mel_bins = int(num_mel_bins)
        self.min_freq = min_freq
        self.max_freq = max_freq or int(sampling_rate / 2)
        self.power_to_db = power_to_db
        self.top_db = top_db
        self.mag_exp = mag_exp
        self.min_power = min_power
        self.ref_power = ref_power

    def _window(self, dtype):
        if self.window is None:
            values = np.ones(self.sequence_length)
        elif isinstance(self.window, str):
            make = hann_window if self.window == "hann" else hamming_window
            values = make(self.sequence_length, periodic=True, dtype="float64").numpy()
        else:
            values = np.asarray(self.window, dtype="float64")
            if values.ndim != 1 or values.shape[0] != self.sequence_length:
                raise ValueError(
                    f"{self._where()}: the shape of `window` must be equal to "
                    f"[sequence_length]. Received: window shape={values.shape}"
                )
        left = (self.fft_length - self.sequence_length) // 2
        right = self.fft_length - self.sequence_length - left
        return np.pad(values, [left, right]).astype(dtype)

    def call(self, inputs):
        dtype = self.compute_dtype if self.compute_dtype in ("float32", "float64") else "float32"
        x = cast(inputs, dtype)
        paddings = [[0, 0]] * (x.ndim - 1) + [[self.fft_length // 2, self.fft_length // 2]]
        x = pad(x, paddings, mode="REFLECT")
        window = self._window(dtype)
        spec = stft(
            x,
            frame_length=self.fft_length,
            frame_step=self.sequence_stride,
            fft_length=self.fft_length,
            window_fn=lambda length, dtype: constant(window),
        )
        magnitude = cast(_abs(spec), dtype)
        if self.mag_exp != 1:
            magnitude = magnitude**self.mag_exp
        matrix = linear_to_mel_weight_matrix(
            self.num_mel_bins,
            magnitude.shape[-1],
            self.sampling_rate,
            self.min_freq,
            self.max_freq,
        )
        mel = tensordot(magnitude, constant(matrix.astype(dtype)), axes=1)
        if self.power_to_db:
            mel = self._dbscale(mel)
        order = list(range(mel.ndim - 2)) + [mel.ndim - 1, mel.ndim - 2]
        return cast(transpose(mel, order), self.compute_dtype)

    def _dbscale(self, mel):
        log10 = math.log(10.0)
        out = 10.0 * log(maximum(mel, self.min_power)) / log10
        out = out - 10.0 * math.log10(max(abs(float(self.ref_power)), self.min_power))
        return maximum(out, reduce_max(out) - self.top_db)

    def compute_output_shape(self, input_shape) -> tuple:
        shape = tuple(input_shape)
        steps = shape[-1]
        frames = (
            None if steps is None else (steps + self.sequence_stride + 1) // self.sequence_stride
        )
        if len(shape) == 1:
            return (self.num_mel_bins, frames)
        return (shape[0], self.num_mel_bins, frames)

    def get_config(self) -> dict:
        window = self.window
        if not isinstance(window, (str, type(None))):
            window = [float(v) for v in window]
        return {
            **super().get_config(),
            "fft_length": self.fft_length,
            "sequence_stride": self.sequence_stride,
            "sequence_length": self.sequence_length,
            "window": window,
            "sampling_rate": self.sampling_rate,
            "num_mel_bins": self.num_mel_bins,
            "min_freq": self.min_freq,
            "max_freq": self.max_freq,
            "power_to_db": self.power_to_db,
            "top_db": self.top_db,
            "mag_exp": self.mag_exp,
            "min_power": self.min_power,
            "ref_power": self.ref_power,
        }
