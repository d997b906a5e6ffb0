"""Weight initializers, as ``tf.keras.initializers``.

An initializer is called as ``init(shape, dtype=None)`` and returns a Tensor on the
current device. Random ones draw from the device's stream, which
:func:`gpuflow.random.set_seed` seeds; one given ``seed=`` draws the same numbers on
every call and every device.
"""

from __future__ import annotations

import math

import numpy as np

from . import dtypes
from .ops import creation as _creation
from .random import fixed_seed as _random  # Keras: a seed gives fixed values


def _dtype(dtype):
    return dtypes.floatx() if dtype is None else dtypes.as_dtype(dtype, "initializer dtype")


def _shape(shape) -> tuple:
    return (int(shape),) if isinstance(shape, (int, np.integer)) else tuple(int(n) for n in shape)


def compute_fans(shape, input_axes=None, output_axes=None) -> tuple[float, float]:
    """``(fan_in, fan_out)`` of a ``shape`` weight; conv kernels are ``[KH, KW, C_in, C_out]``.

    With both ``input_axes`` and ``output_axes`` (Keras 3.15, an einsum kernel's axes), the
    fans are the products of the sizes along those axes."""
    shape = _shape(shape)
    if input_axes is not None and output_axes is not None:
        return (
            float(math.prod(shape[a] for a in input_axes)),
            float(math.prod(shape[a] for a in output_axes)),
        )
    if len(shape) < 1:
        return 1.0, 1.0
    if len(shape) == 1:
        return float(shape[0]), float(shape[0])
    receptive = math.prod(shape[:-2])
    return float(shape[-2] * receptive), float(shape[-1] * receptive)


class Initializer:
    """Base class: subclasses implement ``__call__(shape, dtype=None)`` and ``get_config``."""

    def __call__(self, shape, dtype=None):
        raise NotImplementedError(
            f"{type(self).__name__} must implement __call__(shape, dtype=None)"
        )

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict) -> Initializer:
        return cls(**config)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class Zeros(Initializer):
    """All zeros."""

    def __call__(self, shape, dtype=None):
        return _creation.zeros(_shape(shape), dtype=_dtype(dtype))


class Ones(Initializer):
    """All ones."""

    def __call__(self, shape, dtype=None):
        return _creation.ones(_shape(shape), dtype=_dtype(dtype))


class Constant(Initializer):
    """Every element ``value`` (a scalar, or an array broadcastable to the shape)."""

    def __init__(self, value=0) -> None:
        self.value = value

    def __call__(self, shape, dtype=None):
        values = np.broadcast_to(np.asarray(self.value, dtype=_dtype(dtype)), _shape(shape))
        return _creation.constant(np.array(values))  # ascontiguousarray makes 0-d 1-d

    def get_config(self) -> dict:
        value = self.value
        return {"value": value.tolist() if isinstance(value, np.ndarray) else value}


class RandomNormal(Initializer):
    """Normal samples with ``mean`` and ``stddev``."""

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: int | None = None) -> None:
        self.mean, self.stddev, self.seed = mean, stddev, seed

    def __call__(self, shape, dtype=None):
        return _random.normal(
            _shape(shape), self.mean, self.stddev, dtype=_dtype(dtype), seed=self.seed
        )

    def get_config(self) -> dict:
        return {"seed": self.seed, "mean": self.mean, "stddev": self.stddev}


class RandomUniform(Initializer):
    """Uniform samples on ``[minval, maxval)``."""

    def __init__(
        self, minval: float = -0.05, maxval: float = 0.05, seed: int | None = None
    ) -> None:
        self.minval, self.maxval, self.seed = minval, maxval, seed

    def __call__(self, shape, dtype=None):
        return _random.uniform(
            _shape(shape), self.minval, self.maxval, dtype=_dtype(dtype), seed=self.seed
        )

    def get_config(self) -> dict:
        return {"seed": self.seed, "minval": self.minval, "maxval": self.maxval}


class TruncatedNormal(Initializer):
    """Normal samples redrawn until within two ``stddev`` of ``mean``."""

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: int | None = None) -> None:
        self.mean, self.stddev, self.seed = mean, stddev, seed

    def __call__(self, shape, dtype=None):
        return _random.truncated_normal(
            _shape(shape), self.mean, self.stddev, dtype=_dtype(dtype), seed=self.seed
        )

    def get_config(self) -> dict:
        return {"seed": self.seed, "mean": self.mean, "stddev": self.stddev}


# Standard deviation of a unit normal truncated to [-2, 2]: dividing by it keeps the variance.
_TRUNCATED_STD = 0.87962566103423978


class VarianceScaling(Initializer):
    """Samples with variance ``scale / n``, ``n`` the fan-in, fan-out or their mean.

    Args:
        scale: the variance numerator.
        mode: ``"fan_in"``, ``"fan_out"`` or ``"fan_avg"``.
        distribution: ``"truncated_normal"``, ``"untruncated_normal"`` or ``"uniform"``.
        seed: an op seed (None: the global stream).
        input_axes, output_axes: the axes whose sizes make the fans (both given), as
            Keras 3.15; None: the kernel layout rule of :func:`compute_fans`.
    """

    _MODES = ("fan_in", "fan_out", "fan_avg")
    _DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "normal", "uniform")

    def __init__(
        self,
        scale: float = 1.0,
        mode: str = "fan_in",
        distribution: str = "truncated_normal",
        seed: int | None = None,
        input_axes=None,
        output_axes=None,
    ) -> None:
        if scale <= 0:
            raise ValueError(f"{type(self).__name__}: scale must be positive, received {scale}")
        if mode not in self._MODES:
            raise ValueError(
                f"{type(self).__name__}: mode must be one of {self._MODES}, received {mode!r}"
            )
        if distribution not in self._DISTRIBUTIONS:
            raise ValueError(
                f"{type(self).__name__}: distribution must be one of {self._DISTRIBUTIONS}, "
                f"received {distribution!r}"
            )
        self.scale, self.mode, self.distribution, self.seed = scale, mode, distribution, seed
        self.input_axes, self.output_axes = input_axes, output_axes

    def __call__(self, shape, dtype=None):
        shape, dt = _shape(shape), _dtype(dtype)
        fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[self.mode]
        variance = self.scale / max(1.0, n)
        if self.distribution == "uniform":
            limit = math.sqrt(3.0 * variance)
            return _random.uniform(shape, -limit, limit, dtype=dt, seed=self.seed)
        if self.distribution == "truncated_normal":
            return _random.truncated_normal(
                shape, 0.0, math.sqrt(variance) / _TRUNCATED_STD, dtype=dt, seed=self.seed
            )
        return _random.normal(shape, 0.0, math.sqrt(variance), dtype=dt, seed=self.seed)

    def get_config(self) -> dict:
        # Keras 3's key order (seed first, as its RandomInitializer base writes it)
        return {
            "seed": self.seed,
            "scale": self.scale,
            "mode": self.mode,
            "distribution": self.distribution,
            "input_axes": self.input_axes,
            "output_axes": self.output_axes,
        }


class _Preset(VarianceScaling):
    """A VarianceScaling with fixed scale, mode and distribution; the seed and (Keras 3.15)
    the fan axes are configurable."""

    _preset: tuple = ()

    def __init__(self, seed: int | None = None, input_axes=None, output_axes=None) -> None:
        super().__init__(*self._preset, seed=seed, input_axes=input_axes, output_axes=output_axes)

    def get_config(self) -> dict:
        return {"seed": self.seed, "input_axes": self.input_axes, "output_axes": self.output_axes}


class GlorotUniform(_Preset):
    """Uniform on ``[-l, l]``, ``l = sqrt(6 / (fan_in + fan_out))`` (Keras' default for kernels)."""

    _preset = (1.0, "fan_avg", "uniform")


class GlorotNormal(_Preset):
    """Truncated normal with ``stddev = sqrt(2 / (fan_in + fan_out))``."""

    _preset = (1.0, "fan_avg", "truncated_normal")


class HeNormal(_Preset):
    """Truncated normal with ``stddev = sqrt(2 / fan_in)``."""

    _preset = (2.0, "fan_in", "truncated_normal")


class HeUniform(_Preset):
    """Uniform on ``[-l, l]``, ``l = sqrt(6 / fan_in)``."""

    _preset = (2.0, "fan_in", "uniform")


class LecunNormal(_Preset):
    """Truncated normal with ``stddev = sqrt(1 / fan_in)``."""

    _preset = (1.0, "fan_in", "truncated_normal")


class LecunUniform(_Preset):
    """Uniform on ``[-l, l]``, ``l = sqrt(3 / fan_in)``."""

    _preset = (1.0, "fan_in", "uniform")


_CLASSES = {
    cls.__name__: cls
    for cls in (
        Zeros,
        Ones,
        Constant,
        RandomNormal,
        RandomUniform,
        TruncatedNormal,
        VarianceScaling,
        GlorotUniform,
        GlorotNormal,
        HeNormal,
        HeUniform,
        LecunNormal,
        LecunUniform,
    )
}
_SNAKE = {
    "zeros": Zeros,
    "ones": Ones,
    "constant": Constant,
    "random_normal": RandomNormal,
    "random_uniform": RandomUniform,
    "truncated_normal": TruncatedNormal,
    "variance_scaling": VarianceScaling,
    "glorot_uniform": GlorotUniform,
    "glorot_normal": GlorotNormal,
    "he_normal": HeNormal,
    "he_uniform": HeUniform,
    "lecun_normal": LecunNormal,
    "lecun_uniform": LecunUniform,
}

# Keras' short aliases.
zeros, ones, constant = Zeros, Ones, Constant
glorot_uniform, glorot_normal, he_normal, he_uniform = (
    GlorotUniform,
    GlorotNormal,
    HeNormal,
    HeUniform,
)
random_normal, random_uniform, truncated_normal = RandomNormal, RandomUniform, TruncatedNormal


def get(identifier, custom_objects: dict | None = None):
    """An initializer for ``identifier``.

    Args:
        identifier: None (returns None), a name (``"glorot_uniform"`` or ``"GlorotUniform"``),
            a config dict ``{"class_name", "config"}``, an initializer class, or a callable
            ``(shape, dtype=None) -> Tensor`` (returned as is).

    Raises:
        ValueError: for an unknown name, listing the valid ones.
    """
    if identifier is None:
        return None
    if isinstance(identifier, str):
        return deserialize({"class_name": identifier, "config": {}}, custom_objects)
    if isinstance(identifier, dict):
        return deserialize(identifier, custom_objects)
    if isinstance(identifier, type) and issubclass(identifier, Initializer):
        return identifier()
    if callable(identifier):
        return identifier
    raise TypeError(
        f"initializers.get: expected a name, a config dict or a callable, received {identifier!r}"
    )


def deserialize(config: dict, custom_objects: dict | None = None):
    """The initializer described by ``{"class_name": ..., "config": {...}}``."""
    name = config.get("class_name")
    cls = (
        (custom_objects or {}).get(name)
        or _CLASSES.get(name)
        or _SNAKE.get(name)
        or _ALIASES.get(name)
    )
    if cls is None:
        raise ValueError(
            f"unknown initializer {name!r}; expected one of {', '.join(sorted(_SNAKE))} "
            "(or their CamelCase class names), a callable or custom_objects"
        )
    if not isinstance(cls, type):  # a custom initializer function
        return cls
    return cls(**config.get("config", {}))


def serialize(initializer) -> dict:
    """``{"class_name": ..., "config": {...}}`` for ``initializer`` (JSON-compatible).

    A custom callable without ``get_config`` is stored by its ``__name__``.
    """
    if isinstance(initializer, Initializer):
        from .saving.object_registration import keras_object_config

        return keras_object_config(initializer, "keras.initializers")
    config = initializer.get_config() if hasattr(initializer, "get_config") else {}
    name = getattr(initializer, "__name__", type(initializer).__name__)
    return {"class_name": name, "config": config}


__all__ = [
    "Constant",
    "GlorotNormal",
    "GlorotUniform",
    "HeNormal",
    "HeUniform",
    "Initializer",
    "LecunNormal",
    "LecunUniform",
    "Ones",
    "RandomNormal",
    "RandomUniform",
    "TruncatedNormal",
    "VarianceScaling",
    "Zeros",
    "compute_fans",
    "deserialize",
    "get",
    "serialize",
]


class Orthogonal(Initializer):
    """A random orthogonal matrix (of the weight flattened to ``[prod(shape[:-1]), shape[-1]]``)
    times ``gain``: Keras' default for recurrent kernels."""

    def __init__(self, gain: float = 1.0, seed: int | None = None) -> None:
        self.gain, self.seed = float(gain), seed

    def __call__(self, shape, dtype=None):
        shape = _shape(shape)
        if len(shape) < 2:
            raise ValueError(f"Orthogonal: expected a shape of rank 2 or more, received {shape}")
        rows, cols = math.prod(shape[:-1]), shape[-1]
        shape_2d = (max(rows, cols), min(rows, cols))
        a = _random.normal(shape_2d, dtype="float64", seed=self.seed).numpy()
        q, r = np.linalg.qr(a)
        q = q * np.sign(np.diag(r))
        if rows < cols:
            q = q.T
        return _creation.constant(self.gain * q.reshape(shape), dtype=_dtype(dtype))

    def get_config(self) -> dict:
        return {"seed": self.seed, "gain": self.gain}


_CLASSES["Orthogonal"] = Orthogonal
_SNAKE["orthogonal"] = Orthogonal
orthogonal = Orthogonal
__all__.append("Orthogonal")


class Identity(Initializer):
    """``gain`` times the identity matrix (2-D weights only), as ``keras.initializers.Identity``."""

    def __init__(self, gain: float = 1.0) -> None:
        self.gain = float(gain)

    def __call__(self, shape, dtype=None):
        shape = _shape(shape)
        if len(shape) != 2:
            raise ValueError(
                "Identity matrix initializer can only be used for 2D matrices. "
                f"Received: shape={shape} of rank {len(shape)}."
            )
        return _creation.constant(self.gain * np.eye(*shape), dtype=_dtype(dtype))

    def get_config(self) -> dict:
        return {"gain": self.gain}


_CLASSES["Identity"] = _CLASSES["IdentityInitializer"] = Identity
_SNAKE["identity"] = Identity
# Keras 3's short aliases (keras.initializers.get("uniform"), initializer="normal")
_ALIASES = {"normal": RandomNormal, "uniform": RandomUniform, "one": Ones, "zero": Zeros}
identity = IdentityInitializer = Identity
__all__ += ["Identity", "IdentityInitializer"]

# Keras 3's further aliases.
lecun_normal, lecun_uniform, variance_scaling = LecunNormal, LecunUniform, VarianceScaling
OrthogonalInitializer = Orthogonal

# keras.initializers.STFT: the real or imaginary part of a windowed discrete Fourier basis,
# as Conv1D kernels of shape (frame_length, 1, fft_length // 2 + 1) (the kernels of
# keras.layers.STFTSpectrogram).
from .ops.windows import check_window as _check_window  # noqa: E402
from .ops.windows import get_window as _get_window  # noqa: E402


class STFT(Initializer):
    """Kernels of a short-time Fourier transform, as ``keras.initializers.STFT``.

    Args:
        side: ``"real"`` (cosines) or ``"imag"`` (minus sines).
        window: a window name, an array of ``frame_length`` values, or None.
        scaling: ``"density"`` (divide by the window's L2 norm), ``"spectrum"`` (its L1
            norm) or None.
        periodic: whether the window is periodic (DFT-even) rather than symmetric.

    Raises:
        ValueError: for another side, window or scaling, or a window of the wrong length.
    """

    def __init__(self, side="real", window="hann", scaling="density", periodic=False) -> None:
        if side not in ("real", "imag"):
            raise ValueError(f"STFT: side should be 'real' or 'imag', not {side!r}")
        _check_window(window, "STFT")
        if scaling is not None and scaling not in ("density", "spectrum"):
            raise ValueError(
                "STFT: scaling is invalid, it must be `None`, 'density' or 'spectrum'. "
                f"Received scaling={scaling!r}"
            )
        self.side, self.window, self.scaling, self.periodic = side, window, scaling, periodic

    def __call__(self, shape, dtype=None):
        shape = _shape(shape)
        if len(shape) != 3:
            raise ValueError(
                "STFT: the kernel shape must be (frame_length, input_channels, "
                f"fft_length // 2 + 1), received shape={shape}"
            )
        frame_length, channels, bins = shape
        # computed in the kernel's dtype, as Keras (the rounding of the Nyquist bin's sines)
        real = np.dtype(str(getattr(_dtype(dtype), "name", _dtype(dtype))))
        if real.kind != "f":
            raise ValueError(f"STFT: the kernel dtype must be floating, received {real}")
        fft_length = (bins - 1) * 2
        time = np.arange(frame_length, dtype=real).reshape(frame_length, 1, 1)
        freq = np.arange(bins, dtype=real).reshape(1, 1, bins) / real.type(fft_length)
        args = (real.type(-2) * time) * freq * real.type(np.pi)
        kernel = np.cos(args) if self.side == "real" else np.sin(args)
        if self.window is not None:
            if isinstance(self.window, str):
                win = _get_window(self.window, frame_length, self.periodic).astype(real)
            else:
                win = np.asarray(self.window, dtype=real)
            if win.ndim != 1 or win.shape[0] != frame_length:
                raise ValueError(
                    "STFT: the shape of `window` must be equal to [frame_length]. Received: "
                    f"window shape={win.shape}"
                )
            win = win.reshape(frame_length, 1, 1)
            scale = 1.0
            if self.scaling == "density":
                scale = np.sqrt(np.sum(win**2))
            elif self.scaling == "spectrum":
                scale = np.sum(np.abs(win))
            kernel = kernel * win / scale
        kernel = np.broadcast_to(kernel, (frame_length, channels, bins))
        return _creation.constant(np.ascontiguousarray(kernel), dtype=_dtype(dtype))

    def get_config(self) -> dict:
        window = self.window
        if not isinstance(window, (str, type(None))):
            window = np.asarray(window).tolist()
        return {
            "side": self.side,
            "window": window,
            "periodic": self.periodic,
            "scaling": self.scaling,
        }


STFTInitializer = STFT
_CLASSES["STFT"] = _CLASSES["STFTInitializer"] = STFT
_SNAKE["stft"] = STFT
stft = STFT
__all__ += ["STFT", "STFTInitializer"]
