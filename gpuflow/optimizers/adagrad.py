"""Adagrad, Keras' update rule (epsilon inside the square root)."""

from __future__ import annotations

from .base import Optimizer


class Adagrad(Optimizer):
    """Adagrad, as ``tf.keras.optimizers.Adagrad``::

        accumulator += g**2
        w -= lr * g / sqrt(accumulator + epsilon)

    Args:
        learning_rate: float, schedule or callable (default 0.001).
        initial_accumulator_value: the accumulators' starting value (>= 0).
        epsilon: added inside the square root.
        name, clipnorm, clipvalue, global_clipnorm: see :class:`Optimizer`.
    """

    def __init__(
        self,
        learning_rate=0.001,
        initial_accumulator_value: float = 0.1,
        epsilon: float = 1e-7,
        name: str | None = None,
        **kwargs,
    ) -> None:
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        if initial_accumulator_value < 0:
            raise ValueError(
                f"Adagrad: initial_accumulator_value must be >= 0, received "
                f"{initial_accumulator_value}"
            )
        self.initial_accumulator_value = float(initial_accumulator_value)
        self.epsilon = float(epsilon)

    def _slot_names(self):
        return ("accumulator",)

    def _slot_initial_value(self, name):
        return self.initial_accumulator_value

    def _update(self, xp, var, grad, slots, lr):
        acc = slots["accumulator"]
        acc += grad * grad
        step = grad * lr
        step /= xp.sqrt(acc + self.epsilon)
        var -= step

    def _hyper_config(self):
        return {
            "initial_accumulator_value": self.initial_accumulator_value,
            "epsilon": self.epsilon,
        }
