"""StackedRNNCells: several RNN cells run one after another at each time step, so that
``RNN(StackedRNNCells([...]))`` is a deep RNN in one loop (``keras.layers.StackedRNNCells``).

Its ``state_size`` is the list of the cells' state sizes (nested, as Keras: ``[[5, 5], 3]``
for an LSTMCell then a SimpleRNNCell); ``call`` takes and returns states in that structure.
"""

from __future__ import annotations

from ..base import Layer


def _sizes(cell) -> list:
    size = cell.state_size
    return list(size) if isinstance(size, (list, tuple)) else [size]


class StackedRNNCells(Layer):
    """RNN cells stacked: the output of each cell at a step is the input of the next.

    Args:
        cells: a list of cell layers (``call(inputs, states) -> (output, new_states)`` and
            ``state_size``), e.g. ``LSTMCell``.
    """

    def __init__(self, cells, **kwargs) -> None:
        super().__init__(**kwargs)
        cells = list(cells)
        if not cells:
            raise ValueError(f"{self._where()}: cells must be a non-empty list")
        for cell in cells:
            if not hasattr(cell, "call") or not hasattr(cell, "state_size"):
                raise ValueError(
                    "All cells must have a `call` method and a `state_size` attribute. "
                    f"Received cell without these: {cell}"
                )
        self.cells = cells

    @property
    def state_size(self) -> list:
        return [cell.state_size for cell in self.cells]

    @property
    def output_size(self):
        last = self.cells[-1]
        return getattr(last, "output_size", _sizes(last)[0])

    def build(self, input_shape) -> None:
        shape = tuple(input_shape)
        for cell in self.cells:
            if not cell.built:
                cell.build(shape)
                cell.built = True
            shape = (shape[0], getattr(cell, "output_size", _sizes(cell)[0]))
        super().build(input_shape)

    def call(self, inputs, states, training=None):
        if len(states) != len(self.cells):
            raise ValueError(
                f"{self._where()}: expected states for {len(self.cells)} cells, received "
                f"{len(states)}"
            )
        new_states = []
        for cell, own in zip(self.cells, states):
            own = list(own) if isinstance(own, (list, tuple)) else [own]
            kwargs = {"training": training} if cell._call_takes_training else {}
            inputs, cell_states = cell(inputs, own, **kwargs)
            if not isinstance(cell_states, (list, tuple)):
                cell_states = [cell_states]
            new_states.append(list(cell_states))
        return inputs, new_states

    def get_initial_state(self, batch_size=None, like=None):
        from ...ops.creation import zeros
        from .cells import _batch_size

        batch_size = _batch_size(batch_size, self._where())
        dtype = self.compute_dtype if like is None else like.dtype
        device = None if like is None else like.device

        def zero(n):
            return zeros((batch_size, n), dtype=dtype, device=device)

        return [
            [zero(n) for n in c.state_size]
            if isinstance(c.state_size, (list, tuple))
            else zero(c.state_size)
            for c in self.cells
        ]

    def get_config(self) -> dict:
        from ..serialization import serialize

        return {**super().get_config(), "cells": [serialize(cell) for cell in self.cells]}

    @classmethod
    def from_config(cls, config: dict, custom_objects=None) -> StackedRNNCells:
        from ..serialization import deserialize

        config = dict(config)
        cells = [deserialize(c, custom_objects=custom_objects) for c in config.pop("cells")]
        return cls(cells, **config)
