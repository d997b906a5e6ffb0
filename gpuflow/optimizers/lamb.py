"""Lamb, as ``keras.optimizers.Lamb``: Adam's step scaled per weight tensor by the ratio
of the weights' norm to the step's norm (layer-wise adaptive rates for large batches)."""

from __future__ import annotations

import math

from .base import Optimizer


class Lamb(Optimizer):
    """Lamb (You et al., 2019), Keras 3's update rule::

        t = iterations + 1
        m += (g - m) * (1 - beta_1);  v += (g**2 - v) * (1 - beta_2)
        update = (m / (1 - beta_1**t)) / (sqrt(v / (1 - beta_2**t)) + epsilon)
        ratio = |w| / |update| if both norms are positive, else 1
        w -= ratio * lr * update

    Args:
        learning_rate: float, schedule or callable (default 0.001).
        beta_1, beta_2: decay rates of the first and second moment estimates.
        epsilon: added to the square root of the second moment (default 1e-7).
        name, clipnorm, clipvalue, global_clipnorm, ...: see :class:`Optimizer`.
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        name: str | None = None,
        **kwargs,
    ) -> None:
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        for key, value in (("beta_1", beta_1), ("beta_2", beta_2)):
            if not 0.0 <= value < 1.0:
                raise ValueError(f"Lamb: {key} must be in [0, 1), received {value}")
        self.beta_1, self.beta_2 = float(beta_1), float(beta_2)
        self.epsilon = float(epsilon)

    _KERAS_SLOT_NAMES = {"m": "momentum", "v": "velocity", "vhat": "velocity_hat"}

    def _slot_names(self):
        return ("m", "v")

    def _keras_slot_groups(self):
        return (("m", "v"),)

    def _update(self, xp, var, grad, slots, lr):
        t = self._steps + 1
        m, v = slots["m"], slots["v"]
        m += (grad - m) * (1.0 - self.beta_1)
        v += (grad * grad - v) * (1.0 - self.beta_2)
        update = m / (1.0 - self.beta_1**t)
        update /= xp.sqrt(v / (1.0 - self.beta_2**t)) + self.epsilon
        w_norm = math.sqrt(float((var * var).sum()))
        u_norm = math.sqrt(float((update * update).sum()))
        ratio = w_norm / u_norm if w_norm > 0 and u_norm > 0 else 1.0
        update *= ratio * lr
        var -= update

    def _hyper_config(self):
        return {"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon}
