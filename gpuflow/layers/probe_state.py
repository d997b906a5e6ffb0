"""The state scope of a layer's shape-finding runs (probe runs on zeros, a subclassed
model's build pass): what they assign to variables that existed before is undone."""

from __future__ import annotations

from ..stateless_scope import StatelessScope
from ..tensor import Variable


class ProbeState(StatelessScope):
    """Keras traces a symbolic call in a scratch graph: what the call assigns to the layer's
    variables (a masked kernel, a counter) does not happen. The assignments a probe makes to
    those variables, and to tf.Variables its layers hold outside their weights (a usage
    counter made in ``__init__``), are undone on exit; variables the probe itself builds
    keep their values."""

    def __init__(self, layer) -> None:
        super().__init__()
        self._existing = {id(v) for v in layer.weights} | _held_variables(layer)

    def _note(self, variable) -> None:
        if id(variable) in self._existing:
            super()._note(variable)


def _held_variables(layer) -> set:
    """Ids of the Variables that ``layer`` and its sub-layers hold as attributes (alone or
    in a list, tuple or dict), tracked as weights or not."""
    held = set()
    flatten = getattr(layer, "_flatten_layers", None)
    for owner in flatten() if flatten is not None else (layer,):
        for value in vars(owner).values():
            items = value.values() if isinstance(value, dict) else value
            for item in items if isinstance(value, (list, tuple, dict)) else (value,):
                if isinstance(item, Variable):
                    held.add(id(item))
    return held
