"""What every Keras 3 optimizer adds around its update rule: decoupled weight decay,
exponential moving average (EMA) of the weights, and gradient accumulation.

:class:`OptimizerFeatures` is a mixin of :class:`~gpuflow.optimizers.base.Optimizer`; it keeps
these rules apart from the update loop so that each reads as Keras's
``BaseOptimizer`` does. All work happens on the variables' device arrays (no host syncs).
"""

from __future__ import annotations

import math
import re

# Slots the base adds per variable next to the optimizer's own (Keras's names).
EMA_SLOT = "average"
ACCUMULATOR_SLOT = "gradient_accumulator"


class OptimizerFeatures:
    """weight_decay, use_ema (ema_momentum, ema_overwrite_frequency) and
    gradient_accumulation_steps, as ``keras.optimizers.Optimizer``."""

    def _init_features(
        self,
        weight_decay,
        use_ema,
        ema_momentum,
        ema_overwrite_frequency,
        loss_scale_factor,
        gradient_accumulation_steps,
    ) -> None:
        cls = type(self).__name__
        if weight_decay is not None:
            weight_decay = _number(cls, "weight_decay", weight_decay)
            if weight_decay < 0:
                raise ValueError(
                    f"{cls}: weight_decay must be >= 0, received weight_decay={weight_decay}"
                )
        if gradient_accumulation_steps is not None:
            if (
                isinstance(gradient_accumulation_steps, bool)
                or not isinstance(gradient_accumulation_steps, int)
                or gradient_accumulation_steps < 2
            ):
                raise ValueError(
                    f"{cls}: gradient_accumulation_steps must be an integer >= 2, "
                    f"received gradient_accumulation_steps="
                    f"{gradient_accumulation_steps!r}"
                )
        ema_momentum = _number(cls, "ema_momentum", ema_momentum)
        if use_ema:
            if not 0.0 <= ema_momentum <= 1.0:
                raise ValueError(
                    f"{cls}: ema_momentum must be in [0, 1], received ema_momentum={ema_momentum}"
                )
            if ema_overwrite_frequency is not None and (
                isinstance(ema_overwrite_frequency, bool)
                or not isinstance(ema_overwrite_frequency, int)
                or ema_overwrite_frequency < 1
            ):
                raise ValueError(
                    f"{cls}: ema_overwrite_frequency must be an integer >= 1 or "
                    f"None, received ema_overwrite_frequency="
                    f"{ema_overwrite_frequency!r}"
                )
        if loss_scale_factor is not None:
            loss_scale_factor = _number(cls, "loss_scale_factor", loss_scale_factor)
            if not loss_scale_factor > 0:
                raise ValueError(
                    f"{cls}: loss_scale_factor must be positive, received "
                    f"loss_scale_factor={loss_scale_factor}"
                )
        self.weight_decay = weight_decay
        self.use_ema = bool(use_ema)
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self._exclude_ids: set[int] = set()
        self._exclude_pattern = None

    def _feature_slot_names(self) -> tuple[str, ...]:
        names = ()
        if self.use_ema:
            names += (EMA_SLOT,)
        if self.gradient_accumulation_steps:
            names += (ACCUMULATOR_SLOT,)
        return names

    def _feature_config(self) -> dict:
        return {
            "weight_decay": self.weight_decay,
            "use_ema": self.use_ema,
            "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }

    # -- loss scale factor ----------------------------------------------------------------
    def scale_loss(self, loss):
        """``loss * loss_scale_factor`` when one is set, else ``loss`` (Keras 3)."""
        if self.loss_scale_factor is not None:
            return loss * self.loss_scale_factor
        return loss

    def unscale_gradients(self, grads):
        """``grads`` unchanged: a plain optimizer divides by ``loss_scale_factor`` inside
        apply, so a loop written for LossScaleOptimizer (scale_loss, unscale_gradients,
        apply_gradients) runs with any optimizer."""
        return grads

    # -- weight decay ---------------------------------------------------------------------
    def exclude_from_weight_decay(self, var_list=None, var_names=None) -> None:
        """Exclude variables from weight decay.

        Args:
            var_list: Variables to exclude.
            var_names: strings; a variable whose name contains any of them (a regular
                expression search, as Keras) is excluded, e.g. ``["bias"]``.
        """
        self._exclude_ids = {id(v) for v in (var_list or ())}
        names = [str(n) for n in (var_names or ())]
        self._exclude_pattern = re.compile("|".join(sorted(set(names)))) if names else None

    def _use_weight_decay(self, var) -> bool:
        if id(var) in self._exclude_ids:
            return False
        pattern = self._exclude_pattern
        return pattern is None or pattern.search(var.name or "") is None

    def _decay_weights(self, updated, var, lr: float) -> None:
        """Decoupled weight decay on the array about to be updated: ``w -= w * wd * lr``."""
        if self.weight_decay is None or not self._use_weight_decay(var):
            return
        updated -= updated * (self.weight_decay * lr)

    # -- gradient accumulation ------------------------------------------------------------
    def _is_accumulation_update(self) -> bool:
        return (self._iterations + 1) % self.gradient_accumulation_steps == 0

    def _accumulate(self, grads: list, variables: list) -> list | None:
        """Add ``grads`` to the accumulators; on every ``gradient_accumulation_steps``-th call
        return their mean (and reset them), else None (no update this step)."""
        steps = self.gradient_accumulation_steps
        update = self._is_accumulation_update()
        out = []
        for grad, var in zip(grads, variables):
            acc = self._slots_of(var)[ACCUMULATOR_SLOT]
            if update:
                out.append((grad + acc) / steps)
                acc[...] = 0
            else:
                acc += grad
        return out if update else None

    # -- exponential moving average -------------------------------------------------------
    def _update_ema(self, variables: list) -> None:
        """Keras's EMA step: ``avg = m * avg + (1 - m) * w`` (``m = 0`` on the first step),
        then every ``ema_overwrite_frequency`` steps the weights take the average."""
        momentum = self.ema_momentum if self._steps != 0 else 0.0
        for var in variables:
            avg = self._slots_of(var)[EMA_SLOT]
            avg *= momentum
            avg += var._data.astype(avg.dtype, copy=False) * (1.0 - momentum)
        freq = self.ema_overwrite_frequency
        if freq and (self._steps + 1) % freq == 0:
            self._overwrite_with_average(variables)

    def _overwrite_with_average(self, variables) -> None:
        for var in variables:
            slots = self._slots.get(id(var))
            if slots is None or EMA_SLOT not in slots:
                raise ValueError(
                    f"{self.name}: variable {var.name!r} has no moving average; "
                    "the optimizer was not applied to it"
                )
            var._data = slots[EMA_SLOT].astype(var.dtype, copy=True)

    def finalize_variable_values(self, var_list) -> None:
        """With ``use_ema``, set each variable of ``var_list`` to its moving average (what
        ``fit`` does after the last epoch); without EMA, nothing."""
        if self.use_ema:
            self._overwrite_with_average(list(var_list))


def _number(cls: str, key: str, value) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{cls}: {key} must be a number, received {key}={value!r}") from None
    if math.isnan(number):
        raise ValueError(f"{cls}: {key} must be a number, received {key}={value!r}")
    return number
