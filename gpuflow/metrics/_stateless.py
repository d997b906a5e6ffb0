"""Keras 3's stateless metric API (``stateless_update_state``, ``stateless_result``,
``stateless_reset_state``): run a metric on given state values and return the new ones,
leaving its own state as it was (a mixin of :class:`gpuflow.metrics.Metric`)."""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor


class StatelessMetric:
    def _swap_in(self, metric_variables) -> list:
        """Set the state to ``metric_variables`` (one value per :attr:`variables` entry);
        returns the previous values, for :meth:`_restore`."""
        entries = self._named_state()
        if len(metric_variables) != len(entries):
            raise ValueError(
                "Argument `metric_variables` must be a list of tensors corresponding 1:1 to "
                f"{type(self).__name__}().variables. Received list with length "
                f"{len(metric_variables)}, but expected {len(entries)} variables."
            )
        saved = [np.array(value.numpy()) for _, value, _ in entries]
        for (_, _, assign), value in zip(entries, metric_variables):
            assign(np.asarray(value))
        return saved

    def _restore(self, saved: list) -> None:
        for (_, _, assign), value in zip(self._named_state(), saved):
            assign(value)

    def _current_values(self) -> list:
        return [Tensor(np.array(value.numpy())) for _, value, _ in self._named_state()]

    def stateless_update_state(self, metric_variables, *args, **kwargs) -> list:
        """``update_state(*args, **kwargs)`` from the state ``metric_variables`` (values for
        :attr:`variables`, in order); returns the new values. The metric keeps its own."""
        saved = self._swap_in(metric_variables)
        try:
            self.update_state(*args, **kwargs)
            return self._current_values()
        finally:
            self._restore(saved)

    def stateless_result(self, metric_variables):
        """``result()`` of the state ``metric_variables``."""
        saved = self._swap_in(metric_variables)
        try:
            return self.result()
        finally:
            self._restore(saved)

    def stateless_reset_state(self) -> list:
        """The values :attr:`variables` take after ``reset_state()``, leaving them as they are."""
        saved = [np.array(value.numpy()) for _, value, _ in self._named_state()]
        try:
            self.reset_state()
            return self._current_values()
        finally:
            self._restore(saved)
