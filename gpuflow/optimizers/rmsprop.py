"""RMSprop, Keras' update rule (epsilon inside the square root)."""

from __future__ import annotations

from .base import Optimizer


class RMSprop(Optimizer):
    """RMSprop, as ``tf.keras.optimizers.RMSprop``::

        velocity = rho * velocity + (1 - rho) * g**2
        avg = rho * avg + (1 - rho) * g                  # centered only
        denom = velocity (- avg**2 if centered) + epsilon
        increment = lr * g / sqrt(denom)
        mom = momentum * mom + increment; w -= mom       # momentum > 0
        w -= increment                                   # momentum == 0

    Args:
        learning_rate: float, schedule or callable (default 0.001).
        rho: decay of the squared-gradient average.
        momentum: momentum factor (0 for none).
        epsilon: added inside the square root.
        centered: normalize by the estimated variance instead of the second moment.
        name, clipnorm, clipvalue, global_clipnorm: see :class:`Optimizer`.
    """

    def __init__(
        self,
        learning_rate=0.001,
        rho: float = 0.9,
        momentum: float = 0.0,
        epsilon: float = 1e-7,
        centered: bool = False,
        name: str | None = None,
        **kwargs,
    ) -> None:
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        if not 0.0 <= rho < 1.0:
            raise ValueError(f"RMSprop: rho must be in [0, 1), received {rho}")
        if not 0.0 <= momentum <= 1.0:
            raise ValueError(f"RMSprop: momentum must be in [0, 1], received {momentum}")
        self.rho, self.momentum = float(rho), float(momentum)
        self.epsilon = float(epsilon)
        self.centered = bool(centered)

    def _slot_names(self):
        names = ("velocity",)
        if self.centered:
            names += ("average_gradient",)
        if self.momentum:
            names += ("momentum",)
        return names

    def _keras_slot_groups(self):
        groups = (("velocity",),)
        if self.momentum:
            groups += (("momentum",),)
        if self.centered:
            groups += (("average_gradient",),)
        return groups

    def _update(self, xp, var, grad, slots, lr):
        rho = self.rho
        velocity = slots["velocity"]
        velocity *= rho
        velocity += (grad * grad) * (1.0 - rho)
        if self.centered:
            avg = slots["average_gradient"]
            avg *= rho
            avg += grad * (1.0 - rho)
            denom = velocity - avg * avg
            denom += self.epsilon
        else:
            denom = velocity + self.epsilon
        increment = grad * lr
        increment /= xp.sqrt(denom)
        if self.momentum:
            mom = slots["momentum"]
            mom *= self.momentum
            mom += increment
            var -= mom
        else:
            var -= increment

    def _hyper_config(self):
        return {
            "rho": self.rho,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "centered": self.centered,
        }
