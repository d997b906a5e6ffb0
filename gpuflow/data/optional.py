"""``tf.experimental.Optional``: a value that may be absent, as
``iterator.get_next_as_optional()`` returns at the end of a dataset."""

from __future__ import annotations

import numpy as np

from ..backend import current_device
from ..errors import InvalidArgumentError
from ..tensor import Tensor
from . import structure


class Optional:
    """Either a structure of tensors or nothing, with the ``element_spec`` of the value.

    Build one with ``Optional.from_value(value)`` or ``Optional.empty(element_spec)``.
    """

    def __init__(self, value, element_spec) -> None:
        self._value = value
        self._spec = element_spec

    @staticmethod
    def from_value(value) -> "Optional":
        """An Optional holding ``value`` (a tensor or a structure of them)."""
        element = structure.normalize_input(value, "Optional.from_value")  # lists are leaves
        return Optional(structure.to_tensors(element, current_device()), structure.spec_of(element))

    @staticmethod
    def empty(element_spec) -> "Optional":
        """An Optional with no value, for elements of ``element_spec``."""
        return Optional(None, element_spec)

    @property
    def element_spec(self):
        return self._spec

    def has_value(self, name=None) -> Tensor:
        """A scalar bool tensor: whether there is a value."""
        return Tensor(np.asarray(self._value is not None))

    def get_value(self, name=None):
        """The value; ``InvalidArgumentError`` when there is none."""
        if self._value is None:
            raise InvalidArgumentError(None, None, "The given optional does not have a value.")
        return self._value

    def __repr__(self) -> str:
        state = "with a value" if self._value is not None else "empty"
        return f"<Optional {state}, element_spec={self._spec!r}>"
