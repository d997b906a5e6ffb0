"""Nadam: Adam with Nesterov momentum and Dozat's momentum schedule, Keras's update rule."""

from __future__ import annotations

import math

import numpy as np

from ._checks import check_unit_interval
from .base import Optimizer


class Nadam(Optimizer):
    """Nadam, as ``tf.keras.optimizers.Nadam``::

        t = iterations + 1
        u_t = beta_1 * (1 - 0.5 * 0.96**t);  u_next = beta_1 * (1 - 0.5 * 0.96**(t + 1))
        u_product *= u_t                      # once per step, shared by all variables
        m += (g - m) * (1 - beta_1);  v += (g**2 - v) * (1 - beta_2)
        m_hat = u_next * m / (1 - u_product * u_next) + (1 - u_t) * g / (1 - u_product)
        w -= lr * m_hat / (sqrt(v / (1 - beta_2**t)) + epsilon)

    Args:
        learning_rate: float, schedule or callable (default 0.001).
        beta_1, beta_2: decay rates of the moment estimates, in [0, 1).
        epsilon: added to the square root.
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
        self._u_product = 1.0  # a host scalar: it depends only on the step count

    def _u(self, step: int) -> float:
        return self.beta_1 * (1.0 - 0.5 * 0.96**step)

    def _slot_names(self):
        return ("momentum", "velocity")

    def _keras_slot_groups(self):
        return (self._slot_names(),)

    def _before_update(self):
        self._u_product *= self._u(self._steps + 1)

    def _update(self, xp, var, grad, slots, lr):
        t = self._steps + 1
        u_t, u_next = self._u(t), self._u(t + 1)
        u_product = self._u_product
        m, v = slots["momentum"], slots["velocity"]
        tmp = grad - m
        tmp *= 1.0 - self.beta_1
        m += tmp
        tmp = grad * grad
        tmp -= v
        tmp *= 1.0 - self.beta_2
        v += tmp
        m_hat = m * (u_next / (1.0 - u_product * u_next))
        m_hat += grad * ((1.0 - u_t) / (1.0 - u_product))
        denom = xp.sqrt(v / (1.0 - self.beta_2**t))
        denom += self.epsilon
        m_hat *= lr
        m_hat /= denom
        var -= m_hat

    def _extra_state(self):
        return {"u_product": np.asarray(self._u_product, dtype=np.float64)}

    def _set_extra_state(self, state):
        if "u_product" in state:
            self._u_product = float(np.asarray(state["u_product"]))
        else:  # recompute from the step count
            self._u_product = math.prod(self._u(k) for k in range(1, self._steps + 1))

    def _hyper_config(self):
        return {"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon}
