"""``Interpreter.get_signature_runner(key)``: call a signature def with keyword arguments."""

from __future__ import annotations

import numpy as np

from .runtime import resize, set_tensor, tensor_details


class SignatureRunner:
    """Runs one SignatureDef: ``runner(name=array, ...)`` returns {output name: array}."""

    def __init__(self, graph, signature) -> None:
        self._graph, self._signature = graph, signature

    def get_input_details(self) -> dict:
        sub = self._graph.sub
        return {
            n: tensor_details(sub.tensors[i], i, self._graph.shapes[i])
            for n, i in sorted(self._signature.inputs.items())
        }

    def get_output_details(self) -> dict:
        sub = self._graph.sub
        return {
            n: tensor_details(sub.tensors[i], i, self._graph.shapes[i])
            for n, i in sorted(self._signature.outputs.items())
        }

    def __call__(self, **kwargs) -> dict:
        inputs = self._signature.inputs
        if len(kwargs) != len(inputs):
            raise ValueError(
                "Invalid number of inputs provided for running a SignatureDef, "
                f"expected {len(inputs)} vs provided {len(kwargs)}"
            )
        for name in kwargs:
            if name not in inputs:
                raise ValueError(f"Invalid Input name ({name}) for SignatureDef")
        for name, value in kwargs.items():
            shape = np.shape(value)
            if shape != self._graph.shapes[inputs[name]]:
                resize(self._graph, inputs[name], shape, False)
        if not self._graph.allocated:
            self._graph.allocate()
        for name, value in kwargs.items():
            set_tensor(self._graph, inputs[name], value)
        self._graph.invoke()
        return {
            n: np.array(self._graph.values[i], copy=True)
            for n, i in sorted(self._signature.outputs.items())
        }
