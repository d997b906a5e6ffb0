"""Adafactor, as ``keras.optimizers.Adafactor``: second moments kept factored (a row and a
column average per matrix) instead of one value per weight."""

from __future__ import annotations

import math

from .base import Optimizer


class Adafactor(Optimizer):
    """Adafactor (Shazeer & Stern, 2018), Keras 3's update rule::

        t = iterations + 1
        lr = min(lr, 1 / sqrt(t))              # relative_step, with a constant rate
        rho = min(lr, 1 / sqrt(t))
        alpha = max(epsilon_2, rms(w)) * rho
        g2 = g**2 + epsilon_1
        beta = 1 - t**beta_2_decay
        # rank >= 2: r and c average g2 over the last and the second-last axis
        r = beta * r + (1 - beta) * mean(g2, -1);  c = beta * c + (1 - beta) * mean(g2, -2)
        v = (r / mean(r, -1))[..., None] * c[..., None, :]
        # rank < 2 instead: v = beta * v + (1 - beta) * g2
        u = g / sqrt(v);  u /= max(1, rms(u) / clip_threshold)
        w -= alpha * u

    Args:
        learning_rate: float, schedule or callable (default 0.001).
        beta_2_decay: the decay exponent of the second-moment rate (default -0.8).
        epsilon_1: added to the squared gradients (default 1e-30).
        epsilon_2: the floor of the weights' RMS in the step size (default 1e-3).
        clip_threshold: the RMS above which updates are scaled down (default 1.0).
        relative_step: with a constant rate, cap it by ``1 / sqrt(t)`` (default True).
        name, clipnorm, clipvalue, global_clipnorm, ...: see :class:`Optimizer`.
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_2_decay: float = -0.8,
        epsilon_1: float = 1e-30,
        epsilon_2: float = 1e-3,
        clip_threshold: float = 1.0,
        relative_step: bool = True,
        name: str | None = None,
        **kwargs,
    ) -> None:
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_2_decay = float(beta_2_decay)
        self.epsilon_1 = float(epsilon_1)
        self.epsilon_2 = float(epsilon_2)
        if not clip_threshold > 0:
            raise ValueError(
                f"Adafactor: clip_threshold must be positive, received {clip_threshold}"
            )
        self.clip_threshold = float(clip_threshold)
        self.relative_step = bool(relative_step)

    def _keras_variable_name(self, var, slot):
        if slot == "v":
            return super()._keras_variable_name(var, "velocity")
        # Keras names the factored second moments after the variable alone; for variables
        # under 2-D its placeholders are unscoped Variables
        name = str(var.name).split(":")[0].split("/")[-1]
        return name, (f"{self.name}/{name}" if len(var.shape) >= 2 else name)

    def _slot_names(self):
        return ("r", "c", "v")

    def _keras_slot_dtype(self, slot, var):
        # Keras' placeholders for a variable under 2-D are Variable(0): int32 scalars
        return "int32" if slot != "v" and len(var.shape) < 2 else None

    def _slot_shape(self, name: str, shape: tuple) -> tuple:
        if name == "v":
            return shape
        if len(shape) < 2:  # not factored: a scalar placeholder, as Keras keeps
            return ()
        return shape[:-1] if name == "r" else shape[:-2] + shape[-1:]

    def _keras_slot_groups(self):
        return (("r", "c", "v"),)

    def _update(self, xp, var, grad, slots, lr):
        t = self._steps + 1
        if self.relative_step and self._has_plain_rate():
            lr = min(lr, 1.0 / math.sqrt(t))
        rho = min(lr, 1.0 / math.sqrt(t))
        alpha = max(self.epsilon_2, float(xp.sqrt(xp.mean(var * var)))) * rho
        g2 = grad * grad
        g2 += self.epsilon_1
        beta = 1.0 - t**self.beta_2_decay
        v = slots["v"]
        if var.ndim >= 2:
            r, c = slots["r"], slots["c"]
            r *= beta
            r += (1.0 - beta) * g2.mean(axis=-1)
            c *= beta
            c += (1.0 - beta) * g2.mean(axis=-2)
            v[...] = (r / r.mean(axis=-1, keepdims=True))[..., None] * c[..., None, :]
        else:
            v *= beta
            v += (1.0 - beta) * g2
        u = grad / xp.sqrt(v)
        u /= max(1.0, float(xp.sqrt(xp.mean(u * u))) / self.clip_threshold)
        u *= alpha
        var -= u

    def _hyper_config(self):
        return {
            "beta_2_decay": self.beta_2_decay,
            "epsilon_1": self.epsilon_1,
            "epsilon_2": self.epsilon_2,
            "clip_threshold": self.clip_threshold,
            "relative_step": self.relative_step,
        }
