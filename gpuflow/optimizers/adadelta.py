"""Adadelta, Keras's update rule (the learning rate scales the step, default 0.001)."""

from __future__ import annotations

from ._checks import check_unit_interval
from .base import Optimizer


class Adadelta(Optimizer):
    """Adadelta, as ``tf.keras.optimizers.Adadelta``::

        acc_g = rho * acc_g + (1 - rho) * g**2
        delta = -sqrt(acc_d + epsilon) * g / sqrt(acc_g + epsilon)
        acc_d = rho * acc_d + (1 - rho) * delta**2
        w += lr * delta

    Args:
        learning_rate: float, schedule or callable (default 0.001).
        rho: decay rate of both running averages, in [0, 1).
        epsilon: added inside the square roots.
        name, clipnorm, clipvalue, global_clipnorm, weight_decay, use_ema, ...: see
            :class:`Optimizer`.
    """

    def __init__(
        self,
        learning_rate=0.001,
        rho: float = 0.95,
        epsilon: float = 1e-7,
        name: str | None = None,
        **kwargs,
    ) -> None:
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.rho = check_unit_interval(self, "rho", rho)
        self.epsilon = float(epsilon)

    def _slot_names(self):
        return ("accumulated_grad", "accumulated_delta_var")

    def _keras_slot_groups(self):
        return (self._slot_names(),)

    def _update(self, xp, var, grad, slots, lr):
        rho, eps = self.rho, self.epsilon
        acc_g, acc_d = slots["accumulated_grad"], slots["accumulated_delta_var"]
        acc_g *= rho
        acc_g += (grad * grad) * (1.0 - rho)
        delta = xp.sqrt(acc_d + eps)
        delta *= grad
        delta /= xp.sqrt(acc_g + eps)
        acc_d *= rho
        acc_d += (delta * delta) * (1.0 - rho)
        delta *= lr
        var -= delta

    def _hyper_config(self):
        return {"rho": self.rho, "epsilon": self.epsilon}
