"""``tf.train.ExponentialMovingAverage``: shadow variables that follow others' values."""

from __future__ import annotations

from ..ops.creation import zeros_like
from ..tensor import Tensor, Variable


class ExponentialMovingAverage:
    """Keeps, for each variable given to :meth:`apply`, a shadow variable updated as
    ``shadow -= (1 - decay) * (shadow - variable)``.

    Args:
        decay: the decay, e.g. 0.999.
        num_updates: optional step count (a number or variable): the decay used is then
            ``min(decay, (1 + num_updates) / (10 + num_updates))``, as in TensorFlow.
        zero_debias: start the average from zero and divide out the bias (Adam's rule).
        name: the suffix of the shadow variables' names.
    """

    def __init__(self, decay, num_updates=None, zero_debias=False, name="ExponentialMovingAverage"):
        self._decay = float(decay)
        self._num_updates = num_updates
        self._zero_debias = bool(zero_debias)
        self._name = name
        self._averages: dict = {}  # id(variable) -> (variable, shadow, debias state or None)

    @property
    def name(self) -> str:
        return self._name

    @property
    def decay(self) -> float:
        return self._decay

    def _current_decay(self) -> float:
        if self._num_updates is None:
            return self._decay
        n = float(self._num_updates)
        return min(self._decay, (1.0 + n) / (10.0 + n))

    def apply(self, var_list=None):
        """Update the averages of ``var_list`` (Variables or tensors) once, creating the
        shadow variables of new entries first: a Variable's starts at its value; a
        tensor's at zero, with the bias divided out under ``zero_debias`` (TensorFlow
        applies zero_debias to tensors only)."""
        var_list = list(var_list or [])
        for var in var_list:
            if not isinstance(var, Tensor):
                raise TypeError(
                    "ExponentialMovingAverage.apply: expected Variables or tensors, "
                    f"received {type(var).__name__}"
                )
            if not var.dtype.is_floating:
                raise TypeError(
                    f"ExponentialMovingAverage.apply: dtype {var.dtype.name} is not averaged; "
                    "only float variables and tensors are"
                )
            if id(var) not in self._averages:
                self._averages[id(var)] = self._new_average(var)
        decay = self._current_decay()
        for var in var_list:
            _, shadow, debias = self._averages[id(var)]
            if debias is None:
                shadow.assign_sub((shadow - var) * (1.0 - decay))
                continue
            biased = debias[0]
            biased.assign_sub((biased - var) * (1.0 - decay))
            debias[1] += 1
            shadow.assign(biased / (1.0 - decay ** debias[1]))

    def _new_average(self, var) -> tuple:
        if isinstance(var, Variable):
            shadow = Variable(var.read_value(), trainable=False, name=self.average_name(var))
            return var, shadow, None
        name = self.average_name(var)
        shadow = Variable(zeros_like(var), trainable=False, name=name)
        debias = [Variable(zeros_like(var), trainable=False), 0] if self._zero_debias else None
        return var, shadow, debias

    def average(self, var):
        """The shadow variable of ``var`` (None if ``apply`` never saw it)."""
        entry = self._averages.get(id(var))
        return None if entry is None else entry[1]

    def average_name(self, var) -> str:
        """``"<variable name>/<this average's name>"``, the shadow variable's name."""
        base = var.path if isinstance(var, Variable) else (var.name or "tensor")
        return f"{base}/{self._name}"
