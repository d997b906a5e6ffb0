"""Stochastic gradient descent with optional (Nesterov) momentum, Keras' update rule."""

from __future__ import annotations

import numpy as np

from ..autodiff.sparse_rows import SparseRows
from ..backend import blas
from .base import Optimizer


class SGD(Optimizer):
    """Gradient descent, as ``tf.keras.optimizers.SGD``.

    Without momentum: ``w -= lr * g``. With momentum (Keras' form)::

        m = momentum * m - lr * g
        w += m                          # nesterov=False
        w += momentum * m - lr * g      # nesterov=True

    Args:
        learning_rate: float, schedule or callable (default 0.01); ``lr=`` is accepted too.
        momentum: in [0, 1].
        nesterov: use Nesterov momentum.
        name, clipnorm, clipvalue, global_clipnorm: see :class:`Optimizer`.
    """

    def __init__(
        self,
        learning_rate=0.01,
        momentum: float = 0.0,
        nesterov: bool = False,
        name: str | None = None,
        **kwargs,
    ) -> None:
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        if not 0.0 <= momentum <= 1.0:
            raise ValueError(f"SGD: momentum must be in [0, 1], received {momentum}")
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)

    def _slot_names(self):
        return ("momentum",) if self.momentum else ()

    def _plain(self) -> bool:
        """``w -= lr * g`` and nothing else: no momentum, no step around the update, no
        subclass with its own rule."""
        if self.momentum or not self._updates_plainly() or self._custom_update_step():
            return False
        cls = type(self)
        return not (
            cls._update is not SGD._update
            or cls._apply_pairs is not Optimizer._apply_pairs
            or cls._prepare_gradients is not Optimizer._prepare_gradients
            or cls._update_variables is not Optimizer._update_variables
        )

    def _fused_update_rate(self) -> float | None:
        return self._current_rate() if self._plain() else None

    def _updates_rows(self, var) -> bool:
        # As Keras 3 (a scatter_sub of lr * values): only the gathered rows change, rows
        # of repeated indices add up, which is the dense update's result.
        from ..distribute import context as distribute_context

        return (
            self._plain()
            and not var.overwrite_with_gradient
            and distribute_context.running() is None
        )

    def _update(self, xp, var, grad, slots, lr):
        if isinstance(grad, SparseRows):  # a tf.IndexedSlices gradient (_updates_rows)
            rows, sums = grad.summed()
            if xp is np:  # the dense update's arithmetic, on the gathered rows alone
                part = var[rows]
                blas.axpy(-lr, sums, part, size=var.size)
                var[rows] = part
            else:
                var[rows] -= sums * lr
            return
        if xp is np:  # in place, no temporaries: one BLAS axpy per term
            if not self.momentum:
                blas.axpy(-lr, grad, var)
                return
            m = slots["momentum"]
            m *= self.momentum
            blas.axpy(-lr, grad, m)
            if self.nesterov:
                blas.axpy(self.momentum, m, var)
                blas.axpy(-lr, grad, var)
            else:
                var += m
            return
        step = grad * lr
        if not self.momentum:
            var -= step
            return
        m = slots["momentum"]
        m *= self.momentum
        m -= step
        if self.nesterov:
            var += m * self.momentum - step
        else:
            var += m

    def _hyper_config(self):
        return {"momentum": self.momentum, "nesterov": self.nesterov}
