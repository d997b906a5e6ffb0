"""Learning-rate schedules, as ``tf.keras.optimizers.schedules``: ``lr = schedule(step)``.

``step`` is the optimizer's ``iterations`` before the update (0 on the first step).
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from .. import dtypes
from ..tensor import Tensor


class LearningRateSchedule:
    """Base class: subclasses implement ``__call__(step)`` (returning a number or a scalar
    tensor, as Keras's do) and ``get_config()``. The built-in schedules implement
    ``_value(step) -> float``; calling them gives a scalar tensor of the default float type
    (``floatx``), as in Keras."""

    def __call__(self, step):
        dtype = dtypes.floatx().as_numpy_dtype
        if isinstance(step, (list, tuple)) or len(getattr(step, "shape", None) or ()) > 0:
            # many steps at once (the guides plot ``schedule(np.linspace(...))``)
            steps = np.asarray(step.numpy() if isinstance(step, Tensor) else step)
            rates = [self._value(s) for s in steps.reshape(-1).tolist()]
            return Tensor(np.asarray(rates, dtype=dtype).reshape(steps.shape))
        return Tensor(np.asarray(self._value(step), dtype=dtype))

    def _value(self, step) -> float:
        raise NotImplementedError(f"{type(self).__name__} must implement __call__(step)")

    def get_config(self) -> dict:
        raise NotImplementedError(f"{type(self).__name__} must implement get_config()")

    @classmethod
    def from_config(cls, config: dict) -> LearningRateSchedule:
        return cls(**config)


class _StepDecay(LearningRateSchedule):
    """What ExponentialDecay and InverseTimeDecay share: arguments and ``step / decay_steps``."""

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        decay_rate: float,
        staircase: bool = False,
        name: str | None = None,
    ) -> None:
        if decay_steps <= 0:
            raise ValueError(
                f"{type(self).__name__}: decay_steps must be positive, received {decay_steps}"
            )
        self.initial_learning_rate = float(initial_learning_rate)
        self.decay_steps = decay_steps
        self.decay_rate = float(decay_rate)
        self.staircase = bool(staircase)
        self.name = type(self).__name__ if name is None else name  # Keras's default name

    def _progress(self, step) -> float:
        p = float(step) / self.decay_steps
        return math.floor(p) if self.staircase else p

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


class ExponentialDecay(_StepDecay):
    """``initial_learning_rate * decay_rate ** (step / decay_steps)``.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: steps per factor of ``decay_rate`` (positive).
        decay_rate: the factor.
        staircase: decay in whole steps of ``decay_steps`` (``floor(step / decay_steps)``).
    """

    def _value(self, step) -> float:
        return self.initial_learning_rate * self.decay_rate ** self._progress(step)


class InverseTimeDecay(_StepDecay):
    """``initial_learning_rate / (1 + decay_rate * step / decay_steps)``.

    Arguments as ExponentialDecay.
    """

    def _value(self, step) -> float:
        return self.initial_learning_rate / (1.0 + self.decay_rate * self._progress(step))


class PiecewiseConstantDecay(LearningRateSchedule):
    """``values[0]`` up to ``boundaries[0]`` (inclusive), ``values[1]`` up to ``boundaries[1]``, ...

    Args:
        boundaries: increasing step numbers.
        values: one more rate than boundaries.
    """

    def __init__(self, boundaries, values, name: str | None = "PiecewiseConstant") -> None:
        boundaries, values = list(boundaries), list(values)
        if len(values) != len(boundaries) + 1:
            raise ValueError(
                f"PiecewiseConstantDecay: expected len(values) == len(boundaries) + 1, "
                f"received {len(values)} values and {len(boundaries)} boundaries"
            )
        if any(b2 <= b1 for b1, b2 in itertools.pairwise(boundaries)):
            raise ValueError(
                f"PiecewiseConstantDecay: boundaries must increase, received {boundaries}"
            )
        self.boundaries = boundaries
        self.values = [float(v) for v in values]
        self.name = name

    def _value(self, step) -> float:
        step = float(step)
        for boundary, value in zip(self.boundaries, self.values):
            if step <= boundary:
                return value
        return self.values[-1]

    def get_config(self) -> dict:
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class CosineDecay(LearningRateSchedule):
    """Cosine decay from ``initial_learning_rate`` to ``alpha * initial_learning_rate``,
    after an optional linear warmup, as ``keras.optimizers.schedules.CosineDecay``.

    Without warmup (``warmup_target=None``)::

        lr = initial * ((1 - alpha) * 0.5 * (1 + cos(pi * min(step, decay_steps) / decay_steps))
                        + alpha)

    With warmup: linear from ``initial_learning_rate`` to ``warmup_target`` over
    ``warmup_steps``, then the cosine decay above starting from ``warmup_target``.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: steps to decay over (positive).
        alpha: the final rate as a fraction of the decayed-from rate.
        name: the schedule's name.
        warmup_target: the rate reached at the end of the warmup (None: no warmup).
        warmup_steps: warmup length in steps (>= 0).
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        alpha: float = 0.0,
        name: str | None = "CosineDecay",
        warmup_target: float | None = None,
        warmup_steps: int = 0,
    ) -> None:
        _check_positive(self, "decay_steps", decay_steps)
        if warmup_steps < 0:
            raise ValueError(
                f"CosineDecay: warmup_steps must be >= 0, received warmup_steps={warmup_steps}"
            )
        self.initial_learning_rate = float(initial_learning_rate)
        self.decay_steps = decay_steps
        self.alpha = float(alpha)
        self.name = name
        self.warmup_target = None if warmup_target is None else float(warmup_target)
        self.warmup_steps = warmup_steps

    def _decay(self, step: float, decay_from: float) -> float:
        cosine = 0.5 * (1.0 + math.cos(math.pi * step / self.decay_steps))
        return decay_from * ((1.0 - self.alpha) * cosine + self.alpha)

    def _value(self, step) -> float:
        step = float(step)
        if self.warmup_target is None:
            return self._decay(min(step, self.decay_steps), self.initial_learning_rate)
        step = min(step, self.decay_steps + self.warmup_steps)
        if step < self.warmup_steps:
            delta = self.warmup_target - self.initial_learning_rate
            return delta * (step / self.warmup_steps) + self.initial_learning_rate
        return self._decay(step - self.warmup_steps, self.warmup_target)

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "alpha": self.alpha,
            "name": self.name,
            "warmup_target": self.warmup_target,
            "warmup_steps": self.warmup_steps,
        }


class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts (SGDR), as Keras: the first period lasts
    ``first_decay_steps``, each next one ``t_mul`` times longer, starting at ``m_mul`` times
    the previous period's initial rate.

    Args:
        initial_learning_rate: the rate at step 0.
        first_decay_steps: length of the first period (positive).
        t_mul: growth of the period length.
        m_mul: factor on the initial rate of each next period.
        alpha: the minimum rate as a fraction of ``initial_learning_rate``.
        name: the schedule's name.
    """

    def __init__(
        self,
        initial_learning_rate: float,
        first_decay_steps: int,
        t_mul: float = 2.0,
        m_mul: float = 1.0,
        alpha: float = 0.0,
        name: str | None = "SGDRDecay",
    ) -> None:
        _check_positive(self, "first_decay_steps", first_decay_steps)
        if not t_mul > 0:
            raise ValueError(f"CosineDecayRestarts: t_mul must be positive, received t_mul={t_mul}")
        self.initial_learning_rate = float(initial_learning_rate)
        self.first_decay_steps = first_decay_steps
        self.t_mul, self.m_mul = float(t_mul), float(m_mul)
        self.alpha = float(alpha)
        self.name = name

    def _value(self, step) -> float:
        fraction = float(step) / self.first_decay_steps
        if self.t_mul == 1.0:
            restart = math.floor(fraction)
            fraction -= restart
        else:
            t_mul = self.t_mul
            restart = math.floor(math.log(1.0 - fraction * (1.0 - t_mul)) / math.log(t_mul))
            done = (1.0 - t_mul**restart) / (1.0 - t_mul)
            fraction = (fraction - done) / t_mul**restart
        cosine = 0.5 * self.m_mul**restart * (1.0 + math.cos(math.pi * fraction))
        return self.initial_learning_rate * ((1.0 - self.alpha) * cosine + self.alpha)

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "first_decay_steps": self.first_decay_steps,
            "t_mul": self.t_mul,
            "m_mul": self.m_mul,
            "alpha": self.alpha,
            "name": self.name,
        }


class PolynomialDecay(LearningRateSchedule):
    """Polynomial decay from ``initial_learning_rate`` to ``end_learning_rate``::

        p = min(step, decay_steps) / decay_steps
        lr = (initial - end) * (1 - p) ** power + end

    With ``cycle=True`` the decay restarts: ``decay_steps`` is multiplied by
    ``ceil(step / decay_steps)`` (1 at step 0) instead of clamping the step.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: steps to decay over (positive).
        end_learning_rate: the final rate.
        power: the polynomial's power.
        cycle: restart after ``decay_steps``.
        name: the schedule's name.
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        end_learning_rate: float = 0.0001,
        power: float = 1.0,
        cycle: bool = False,
        name: str | None = "PolynomialDecay",
    ) -> None:
        _check_positive(self, "decay_steps", decay_steps)
        self.initial_learning_rate = float(initial_learning_rate)
        self.decay_steps = decay_steps
        self.end_learning_rate = float(end_learning_rate)
        self.power = float(power)
        self.cycle = bool(cycle)
        self.name = name

    def _value(self, step) -> float:
        step, decay_steps = float(step), float(self.decay_steps)
        if self.cycle:
            decay_steps *= 1.0 if step == 0 else math.ceil(step / self.decay_steps)
        else:
            step = min(step, decay_steps)
        p = step / decay_steps
        return (self.initial_learning_rate - self.end_learning_rate) * (
            1.0 - p
        ) ** self.power + self.end_learning_rate

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "end_learning_rate": self.end_learning_rate,
            "power": self.power,
            "cycle": self.cycle,
            "name": self.name,
        }


def _check_positive(schedule, key: str, value) -> None:
    if not value > 0:
        raise ValueError(
            f"{type(schedule).__name__}: {key} must be positive, received {key}={value}"
        )


_BUILTIN = {
    cls.__name__: cls
    for cls in (
        ExponentialDecay,
        InverseTimeDecay,
        PiecewiseConstantDecay,
        CosineDecay,
        CosineDecayRestarts,
        PolynomialDecay,
    )
}


def serialize(schedule: LearningRateSchedule) -> dict:
    """Keras 3's ``{"module", "class_name", "config", "registered_name"}`` for a schedule."""
    from ..saving.object_registration import keras_object_config

    return keras_object_config(schedule, "keras.optimizers.schedules")


def deserialize(config: dict, custom_objects: dict | None = None) -> LearningRateSchedule:
    """The schedule described by :func:`serialize`'s output.

    Raises:
        ValueError: for an unknown class name, saying to pass ``custom_objects``.
    """
    name = config.get("class_name")
    cls = (custom_objects or {}).get(name) or _BUILTIN.get(name)
    if cls is None:
        raise ValueError(
            f"schedules.deserialize: unknown schedule {name!r}; expected one of "
            f"{', '.join(sorted(_BUILTIN))}, or pass custom_objects={{{name!r}: cls}}"
        )
    return cls.from_config(dict(config.get("config") or {}))
