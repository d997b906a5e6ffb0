"""``keras.Function`` (Keras 3): the graph of layer calls linking symbolic inputs to symbolic
outputs, re-applied to new inputs. Unlike a functional Model it is no Layer and tracks no
variables; it runs the same node graph (:class:`~gpuflow.models.functional.Functional`)."""

from __future__ import annotations

from .. import nest
from ..layers.keras_tensor import KerasTensor
from ..layers.naming import unique_name
from .functional import Functional


class Function:
    """Encapsulates a computation graph of Keras operations.

    Args:
        inputs: a KerasTensor (from ``keras.Input``) or a nested structure of them.
        outputs: a KerasTensor or a nested structure of them, computed from ``inputs``.
        name: the name (default ``"function"``, ``"function_1"``, ...).

    Raises:
        ValueError: for inputs or outputs that are not KerasTensors of one graph.
    """

    def __init__(self, inputs, outputs, name=None) -> None:
        self.name = name or unique_name("function")
        self._inputs_struct = inputs
        self._outputs_struct = outputs
        self._graph = Functional(inputs, outputs, name=self.name)

    @property
    def operations(self) -> list:
        """The layers of the graph, input layers included, in Keras 3's order."""
        return self._graph.operations

    @property
    def inputs(self) -> list:
        """Flat list of the symbolic inputs."""
        return nest.flatten(self._inputs_struct)

    @property
    def outputs(self) -> list:
        """Flat list of the symbolic outputs."""
        return nest.flatten(self._outputs_struct)

    def call(self, inputs):
        """The outputs (in the structure of ``outputs``) for new input values."""
        return self._graph(inputs)

    def __call__(self, inputs):
        return self.call(inputs)

    def compute_output_spec(self, inputs):
        """KerasTensors of the outputs for KerasTensor ``inputs``."""
        flat = nest.flatten(inputs)
        if all(tuple(x.shape) == tuple(r.shape) for x, r in zip(flat, self.inputs)):
            return nest.map_structure(
                lambda t: KerasTensor(tuple(t.shape), t.dtype), self._outputs_struct
            )
        return self._graph(inputs)

    def compute_output_shape(self, input_shape):
        """The output shapes (in the structure of ``outputs``) for ``input_shape``."""
        shapes = [input_shape] if len(self.inputs) == 1 else list(input_shape)
        specs = [KerasTensor(tuple(s), r.dtype) for s, r in zip(shapes, self.inputs)]
        out = self.compute_output_spec(specs[0] if len(specs) == 1 else specs)
        return nest.map_structure(lambda t: tuple(t.shape), out)
