"""Lion (EvoLved Sign Momentum), Keras's update rule."""

from __future__ import annotations

from .base import Optimizer


class Lion(Optimizer):
    """Lion, as ``tf.keras.optimizers.Lion``::

        w -= lr * sign(beta_1 * m + (1 - beta_1) * g)
        m = beta_2 * m + (1 - beta_2) * g

    Args:
        learning_rate: float, schedule or callable (default 0.001).
        beta_1: interpolation for the step's direction, in (0, 1].
        beta_2: decay of the momentum.
        name, clipnorm, clipvalue, global_clipnorm, weight_decay, use_ema, ...: see
            :class:`Optimizer`.
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.99,
        name: str | None = None,
        **kwargs,
    ) -> None:
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        if not 0.0 < beta_1 <= 1.0:
            raise ValueError(
                f"Lion: beta_1 must be in (0, 1] (else Lion degenerates to "
                f"SignSGD), received beta_1={beta_1}"
            )
        self.beta_1, self.beta_2 = float(beta_1), float(beta_2)

    def _slot_names(self):
        return ("momentum",)

    def _update(self, xp, var, grad, slots, lr):
        m = slots["momentum"]
        direction = m * self.beta_1
        direction += grad * (1.0 - self.beta_1)
        var -= xp.sign(direction) * lr
        m *= self.beta_2
        m += grad * (1.0 - self.beta_2)

    def _hyper_config(self):
        return {"beta_1": self.beta_1, "beta_2": self.beta_2}
