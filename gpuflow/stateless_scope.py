"""``keras.StatelessScope``: run code that assigns to variables without changing them.

Inside the scope, each variable of ``state_mapping`` reads as its mapped value, and
assignments to any variable are kept by the scope; on exit every variable gets its value
from before the scope back, and ``scope.get_current_value(variable)`` gives the value it
had at the end of the scope (None for a variable neither mapped nor assigned).
"""

from __future__ import annotations

from . import _stateless_state
from .autodiff.state import state as grad_state
from .ops._convert import as_tensor
from .tensor import Tensor, Variable


class StatelessScope:
    """Scope to prevent any update to Keras Variables (as Keras 3's).

    Args:
        state_mapping: ``(variable, value)`` pairs: the values the variables hold inside.
        collect_losses: whether :meth:`add_loss` keeps the losses added inside.
        initialize_variables: accepted as Keras's (variables are created initialized here).

    Raises:
        ValueError: for a key that is not a Variable, or a value whose shape differs from
            its variable's.
    """

    def __init__(self, state_mapping=None, collect_losses=False, initialize_variables=True):
        self.collect_losses = collect_losses
        self.initialize_variables = initialize_variables
        self.losses = []
        self.state_mapping = {}
        self._variables = {}  # id -> Variable, for every variable mapped or assigned
        self._originals = {}  # id -> the array to give back on exit
        for variable, value in state_mapping or ():
            if not isinstance(variable, Variable):
                raise ValueError(
                    "Invalid reference variable in StatelessScope: all keys in argument "
                    f"`mapping` must be Variable instances. Received instead: {variable}"
                )
            value = as_tensor(value, device=variable._device)
            if tuple(value.shape) != tuple(variable.shape):
                raise ValueError(
                    "Invalid variable value in StatelessScope: all values in argument "
                    "`mapping` must be tensors with a shape that matches the corresponding "
                    f"variable shape. For variable {variable.path}, received invalid value "
                    f"with shape {tuple(value.shape)}, expected {tuple(variable.shape)}."
                )
            self.state_mapping[id(variable)] = value
            self._variables[id(variable)] = variable

    def __enter__(self):
        _stateless_state.push(self)
        for key, variable in list(self._variables.items()):
            self._note(variable)
            value = self.state_mapping[key]
            variable._data = variable._device.asarray(value._data).astype(
                variable._data.dtype, copy=True
            )
        # ops recorded inside read each mapped variable as its value, so that a tape
        # around the scope gives gradients with respect to the values passed in
        self._outer_substitutes = grad_state.substitutes
        substitutes = dict(self._outer_substitutes or {})
        for key in self._variables:
            substitutes[key] = self.state_mapping[key]
        grad_state.substitutes = substitutes or None
        return self

    def _note(self, variable) -> None:
        """Keep ``variable``'s value from before its first change inside the scope; once
        assigned, a mapped variable no longer reads as the value passed in."""
        key = id(variable)
        if key not in self._originals:
            self._originals[key] = variable._data
            self._variables[key] = variable
        elif grad_state.substitutes is not None:
            grad_state.substitutes.pop(key, None)

    def add_loss(self, loss) -> None:
        self.losses.append(loss)

    def add_update(self, update) -> None:
        """Assign ``update = (variable, value)`` inside the scope."""
        variable, value = update
        variable.assign(value)

    def get_current_value(self, variable):
        """The value ``variable`` had at the end of the scope (its mapped value when it
        was not assigned), or None when the scope never saw it."""
        return self.state_mapping.get(id(variable), None)

    def __exit__(self, *exc_info):
        _stateless_state.pop(self)
        grad_state.substitutes = self._outer_substitutes
        for key, original in self._originals.items():
            variable = self._variables[key]
            self.state_mapping[key] = Tensor._wrap(variable._data, variable._device)
            variable._data = original
        self._originals = {}
        return False


def in_stateless_scope() -> bool:
    """Whether a StatelessScope is active on this thread."""
    return _stateless_state.active() is not None


def get_stateless_scope():
    """The innermost active StatelessScope, or None."""
    return _stateless_state.active()
