"""A metric's accumulator seen as a Keras 3 state variable (``Mean().total``, ``.count``).

Keras 3 metrics keep their state in variables (``self.total = self.add_variable(...)``);
gpuflow's built-in metrics keep float64 device arrays. ``StateVariable`` is a Variable
whose value *is* the accumulator: reading it gives the current state (in the metric's
dtype), ``assign``/``assign_add`` write into the state, so ``metric.total`` behaves as
the Keras variable does (``update_state`` and ``reset_state`` show through it).
"""

from __future__ import annotations

import numpy as np

from ..tensor import Variable


class StateVariable(Variable):
    """The live view of accumulator ``key`` of ``metric`` (see the module docstring)."""

    def __init__(self, metric, key: str, name: str, path: str) -> None:
        self._metric = None  # Tensor.__init__ sets _data/_device before the view exists
        shape = metric._specs[key]
        super().__init__(np.zeros(shape), trainable=False, name=name, dtype=metric._state_dtype())
        self._path = path
        self._metric, self._key = metric, key

    @property
    def _data(self):
        if self._metric is None:
            return self._own_data
        state = self._metric._state()
        return state[self._key].astype(self._own_data.dtype)

    @_data.setter
    def _data(self, array) -> None:
        if self._metric is None:
            self._own_data = array
            return
        # assign() made ``array`` on the metric's device (this view's _device)
        self._metric._state()[self._key][...] = array

    @property
    def _device(self):
        if self._metric is None:
            return self._own_device
        self._metric._state()
        return self._metric._device

    @_device.setter
    def _device(self, device) -> None:
        self._own_device = device
