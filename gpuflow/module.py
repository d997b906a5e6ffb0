"""``tf.Module``: a named container whose Variables and sub-modules are found by attribute."""
from __future__ import annotations

import re

from .tensor import Variable


class Module:
    """Base class of objects that own Variables (``tf.Module``).

    Variables, Modules and Keras layers assigned as attributes (also inside lists, tuples
    and dicts) are found by :attr:`variables`, :attr:`trainable_variables` and
    :attr:`submodules`, and are tracked by ``tf.train.Checkpoint``.

    Args:
        name: the module's name (default: the class name in snake case).
    """

    def __init__(self, name: "str | None" = None) -> None:
        if name is None:
            # TensorFlow's camel_to_snake: "MLP" -> "mlp", "DenseLayer" -> "dense_layer"
            name = re.sub(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))", r"_\1",
                          type(self).__name__).lower()
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_][\w.\-]*", name):
            raise ValueError(f"Module: name must be a valid identifier-like string, "
                             f"received {name!r}")
        self._name = name

    @property
    def name(self) -> str:
        return self._name

    def _walk(self, want) -> list:
        found, seen = [], {id(self)}

        def visit(value):
            if isinstance(value, (list, tuple)):
                for v in value:
                    visit(v)
            elif isinstance(value, dict):
                for k in sorted(value, key=str):
                    visit(value[k])
            elif id(value) not in seen and (isinstance(value, Variable) or _is_module(value)):
                seen.add(id(value))
                if want(value):
                    found.append(value)
                if isinstance(value, Module):
                    for key in sorted(vars(value)):
                        visit(vars(value)[key])
                elif not isinstance(value, Variable):  # a Keras layer: its own weights
                    for v in value.weights:
                        visit(v)

        for key in sorted(vars(self)):
            visit(vars(self)[key])
        return found

    @property
    def variables(self) -> tuple:
        """Every Variable of this module and its sub-modules, each once."""
        return tuple(self._walk(lambda v: isinstance(v, Variable)))

    @property
    def trainable_variables(self) -> tuple:
        return tuple(v for v in self.variables if v.trainable)

    @property
    def non_trainable_variables(self) -> tuple:
        return tuple(v for v in self.variables if not v.trainable)

    @property
    def submodules(self) -> tuple:
        """Every Module (and Keras layer) reachable through attributes, each once."""
        return tuple(self._walk(_is_module))

    def __repr__(self) -> str:
        return f"<{type(self).__module__}.{type(self).__name__} name={self._name!r}>"


def _is_module(value) -> bool:
    if isinstance(value, Module):
        return True
    from .layers.base import Layer

    return isinstance(value, Layer)
