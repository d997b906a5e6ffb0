"""Adamax: Adam with the infinity norm, Keras's update rule."""

from __future__ import annotations

from ._checks import check_unit_interval
from .base import Optimizer


class Adamax(Optimizer):
    """Adamax, as ``tf.keras.optimizers.Adamax``::

        t = iterations + 1
        m += (g - m) * (1 - beta_1)
        u = max(beta_2 * u, |g|)
        w -= lr * m / ((1 - beta_1**t) * (u + epsilon))

    Args:
        learning_rate: float, schedule or callable (default 0.001).
        beta_1: decay of the first moment, in [0, 1).
        beta_2: decay of the weighted infinity norm, in [0, 1).
        epsilon: added to the norm.
        name, clipnorm, clipvalue, global_clipnorm, weight_decay, use_ema, ...: see
            :class:`Optimizer`.
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
        self.beta_1 = check_unit_interval(self, "beta_1", beta_1)
        self.beta_2 = check_unit_interval(self, "beta_2", beta_2)
        self.epsilon = float(epsilon)

    def _slot_names(self):
        return ("momentum", "norm")

    def _keras_slot_groups(self):
        return (self._slot_names(),)

    def _update(self, xp, var, grad, slots, lr):
        t = self._steps + 1
        m, u = slots["momentum"], slots["norm"]
        tmp = grad - m
        tmp *= 1.0 - self.beta_1
        m += tmp
        u *= self.beta_2
        xp.maximum(u, xp.abs(grad), out=u)
        denom = u + self.epsilon
        denom *= 1.0 - self.beta_1**t
        tmp = m * lr
        tmp /= denom
        var -= tmp

    def _hyper_config(self):
        return {"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon}
