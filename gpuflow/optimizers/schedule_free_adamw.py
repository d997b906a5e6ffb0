"""ScheduleFreeAdamW (Defazio et al., 2024), Keras 3's update rule: AdamW without a learning
rate schedule, interpolating between an averaged and a fast iterate."""

from __future__ import annotations

from .base import Optimizer


class ScheduleFreeAdamW(Optimizer):
    """Schedule-free AdamW, as ``keras.optimizers.ScheduleFreeAdamW``::

        t = iterations + 1;  lr *= min(t / warmup_steps, 1) when warmup_steps > 0
        v += (g**2 - v) * (1 - beta_2)
        z -= lr * g / (sqrt(v / (1 - beta_2**t)) + epsilon)
        x = (1 - 1/t) * (w - (1 - beta_1) * z) / beta_1 + z / t
        w = (1 - beta_1) * z + beta_1 * x

    ``z`` (the ``momentum`` slot) starts as a copy of the weights, taken before the first
    weight decay; ``x`` is recovered from the updated ``z``, as Keras on TensorFlow does
    (its momentum Variable is read after the update).

    Args:
        learning_rate: float, schedule or callable (default 0.0025).
        beta_1: interpolation between the fast and the averaged iterate (default 0.9).
        beta_2: decay of the second moment (default 0.999).
        epsilon: added to the root of the second moment (default 1e-8).
        warmup_steps: steps of linear learning-rate warmup (default 0).
        weight_decay, name, clipnorm, clipvalue, ...: see :class:`Optimizer`.
    """

    def __init__(
        self,
        learning_rate=0.0025,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        warmup_steps=0,
        weight_decay=None,
        name=None,
        **kwargs,
    ) -> None:
        super().__init__(
            learning_rate=learning_rate, name=name, weight_decay=weight_decay, **kwargs
        )
        for key, value in (("beta_1", beta_1), ("beta_2", beta_2)):
            if not 0.0 < value < 1.0:
                raise ValueError(
                    f"ScheduleFreeAdamW: {key} must be in (0, 1), received {key}={value}"
                )
        if isinstance(warmup_steps, bool) or not isinstance(warmup_steps, int) or warmup_steps < 0:
            raise ValueError(
                "ScheduleFreeAdamW: warmup_steps must be a non-negative int, received "
                f"warmup_steps={warmup_steps!r}"
            )
        self.beta_1, self.beta_2 = float(beta_1), float(beta_2)
        self.epsilon, self.warmup_steps = float(epsilon), warmup_steps

    def _slot_names(self):
        return ("momentum", "velocity")

    def _keras_slot_groups(self):
        return (self._slot_names(),)

    def _slots_of(self, var):
        new = id(var) not in self._slots
        slots = super()._slots_of(var)
        if new:  # z starts at the weights, as Keras' build
            slots["momentum"][...] = var._data
        return slots

    def _decay_weights(self, updated, var, lr: float) -> None:
        self._slots_of(var)  # z copies the weights before they decay, as Keras' build
        super()._decay_weights(updated, var, lr)

    def _update(self, xp, var, grad, slots, lr):
        t = self._steps + 1
        if self.warmup_steps > 0:
            lr = lr * min(t / self.warmup_steps, 1.0)
        z, v = slots["momentum"], slots["velocity"]
        v += (grad * grad - v) * (1.0 - self.beta_2)
        denom = xp.sqrt(v / (1.0 - self.beta_2**t)) + self.epsilon
        z -= lr * grad / denom
        weight = 1.0 / t
        # Keras on TensorFlow reads its momentum Variable after the update here
        x_old = (var - (1.0 - self.beta_1) * z) / self.beta_1
        x_new = (1.0 - weight) * x_old + weight * z
        var[...] = (1.0 - self.beta_1) * z + self.beta_1 * x_new

    def _hyper_config(self):
        return {
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
            "warmup_steps": self.warmup_steps,
        }
