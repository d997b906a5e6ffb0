"""Adam, with Keras' placement of epsilon (outside the bias correction)."""

from __future__ import annotations

import numpy as np

from ..backend import buffers
from .base import Optimizer


class Adam(Optimizer):
    """Adam, as ``tf.keras.optimizers.Adam``::

        t = iterations + 1
        alpha = lr * sqrt(1 - beta_2**t) / (1 - beta_1**t)
        m += (g - m) * (1 - beta_1)
        v += (g**2 - v) * (1 - beta_2)
        vhat = max(vhat, v)                     # amsgrad only; then v := vhat below
        w -= m * alpha / (sqrt(v) + epsilon)

    (PyTorch adds epsilon after dividing sqrt(v) by its bias correction; Keras does not.)

    Args:
        learning_rate: float, schedule or callable (default 0.001).
        beta_1, beta_2: decay rates of the first and second moment estimates.
        epsilon: added to ``sqrt(v)``.
        amsgrad: use the running maximum of ``v`` (AMSGrad).
        name, clipnorm, clipvalue, global_clipnorm: see :class:`Optimizer`.
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        amsgrad: bool = False,
        name: str | None = None,
        **kwargs,
    ) -> None:
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        for key, value in (("beta_1", beta_1), ("beta_2", beta_2)):
            if not 0.0 <= value < 1.0:
                raise ValueError(f"Adam: {key} must be in [0, 1), received {value}")
        self.beta_1, self.beta_2 = float(beta_1), float(beta_2)
        self.epsilon = float(epsilon)
        self.amsgrad = bool(amsgrad)

    _KERAS_SLOT_NAMES = {"m": "momentum", "v": "velocity", "vhat": "velocity_hat"}

    def _slot_names(self):
        return ("m", "v", "vhat") if self.amsgrad else ("m", "v")

    def _keras_slot_groups(self):
        return (("m", "v"), ("vhat",)) if self.amsgrad else (("m", "v"),)

    _alpha_of = None  # ((step, dtype, lr), alpha) of the latest call

    def _alpha(self, lr, dtype):
        """``lr * sqrt(1 - beta_2**t) / (1 - beta_1**t)`` in the variable's dtype, as Keras
        computes it: powers of the float32-rounded betas (``1 - 0.999**t`` in float32 is
        about 6e-6 relative off the float64 value in the first steps, so is Keras' step)."""
        key = (self._steps, dtype, lr)
        if self._alpha_of is not None and self._alpha_of[0] == key:
            return self._alpha_of[1]
        scalar = dtype.type
        one, t = scalar(1), scalar(self._steps + 1)
        beta_1_power = scalar(self.beta_1) ** t
        beta_2_power = scalar(self.beta_2) ** t
        alpha = scalar(lr) * np.sqrt(one - beta_2_power) / (one - beta_1_power)
        self._alpha_of = (key, alpha)
        return alpha

    def _update(self, xp, var, grad, slots, lr):
        alpha = self._alpha(lr, var.dtype)
        m, v = slots["m"], slots["v"]
        # two scratch arrays (reused inside a compiled step), no temporaries
        tmp = xp.subtract(grad, m, out=buffers.empty_like(xp, m))
        tmp *= 1.0 - self.beta_1
        m += tmp
        xp.multiply(grad, grad, out=tmp)
        tmp -= v
        tmp *= 1.0 - self.beta_2
        v += tmp
        if self.amsgrad:
            vhat = slots["vhat"]
            xp.maximum(vhat, v, out=vhat)
            v = vhat
        denom = xp.sqrt(v, out=buffers.empty_like(xp, v))
        denom += self.epsilon
        xp.multiply(m, alpha, out=tmp)
        tmp /= denom
        var -= tmp

    def _hyper_config(self):
        return {
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
            "amsgrad": self.amsgrad,
        }
