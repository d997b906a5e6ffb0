"""FTRL-Proximal, Keras's update rule (``keras.optimizers.Ftrl``)."""

from __future__ import annotations

from .base import Optimizer


def _non_negative(value, arg: str) -> float:
    value = float(value)
    if value < 0:
        raise ValueError(f"`{arg}` needs to be positive or zero. Received: {arg}={value}.")
    return value


class Ftrl(Optimizer):
    """Follow The Regularized Leader, as ``keras.optimizers.Ftrl``::

        l2 = l2_regularization_strength + beta / (2 * lr)
        g2 = g + 2 * l2_shrinkage_regularization_strength * w
        new_accum = accum + g**2
        linear += g2 - (new_accum**-p - accum**-p) / lr * w      (p = learning_rate_power)
        quadratic = new_accum**-p / lr + 2 * l2
        w = (clip(linear, -l1, l1) - linear) / quadratic
        accum = new_accum

    Args:
        learning_rate: float, schedule or callable (default 0.001).
        learning_rate_power: how the learning rate decreases (<= 0; -0.5 by default).
        initial_accumulator_value: the accumulators' starting value (>= 0).
        l1_regularization_strength, l2_regularization_strength: stabilization penalties
            (>= 0).
        l2_shrinkage_regularization_strength: an L2 penalty on the weights' magnitude
            (>= 0).
        beta: added to ``l2_regularization_strength`` as ``beta / (2 * lr)``.
        name, clipnorm, clipvalue, global_clipnorm, ...: see :class:`Optimizer`.
    """

    def __init__(
        self,
        learning_rate=0.001,
        learning_rate_power: float = -0.5,
        initial_accumulator_value: float = 0.1,
        l1_regularization_strength: float = 0.0,
        l2_regularization_strength: float = 0.0,
        l2_shrinkage_regularization_strength: float = 0.0,
        beta: float = 0.0,
        name: str | None = None,
        **kwargs,
    ) -> None:
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.initial_accumulator_value = _non_negative(
            initial_accumulator_value, "initial_accumulator_value"
        )
        if float(learning_rate_power) > 0:
            raise ValueError(
                "`learning_rate_power` needs to be negative or zero. Received: "
                f"learning_rate_power={learning_rate_power}."
            )
        self.learning_rate_power = float(learning_rate_power)
        self.l1_regularization_strength = _non_negative(
            l1_regularization_strength, "l1_regularization_strength"
        )
        self.l2_regularization_strength = _non_negative(
            l2_regularization_strength, "l2_regularization_strength"
        )
        self.l2_shrinkage_regularization_strength = _non_negative(
            l2_shrinkage_regularization_strength, "l2_shrinkage_regularization_strength"
        )
        self.beta = float(beta)

    def _slot_names(self):
        return ("accumulator", "linear")

    def _keras_slot_groups(self):
        return (self._slot_names(),)

    def _slot_initial_value(self, name):
        return self.initial_accumulator_value if name == "accumulator" else 0.0

    def _update(self, xp, var, grad, slots, lr):
        accum, linear = slots["accumulator"], slots["linear"]
        power = -self.learning_rate_power
        l2 = self.l2_regularization_strength + self.beta / (2.0 * lr)
        grad_to_use = grad + 2 * self.l2_shrinkage_regularization_strength * var
        new_accum = accum + grad * grad
        new_scale = xp.power(new_accum, power)
        linear += grad_to_use - (new_scale - xp.power(accum, power)) / lr * var
        quadratic = new_scale / lr + 2 * l2
        l1 = self.l1_regularization_strength
        var[...] = (xp.clip(linear, -l1, l1) - linear) / quadratic
        accum[...] = new_accum

    def _hyper_config(self):
        return {
            "learning_rate_power": self.learning_rate_power,
            "initial_accumulator_value": self.initial_accumulator_value,
            "l1_regularization_strength": self.l1_regularization_strength,
            "l2_regularization_strength": self.l2_regularization_strength,
            "l2_shrinkage_regularization_strength": self.l2_shrinkage_regularization_strength,
            "beta": self.beta,
        }
