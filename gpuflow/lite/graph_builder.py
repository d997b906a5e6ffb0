"""A TFLite subgraph under construction. Each op is run as it is added, with gpuflow's own
TFLite kernels, on two example batches (sizes 1 and 2): that gives every tensor its shape,
and the dimensions that differ between the two runs are the dynamic ones (-1 in
``shape_signature``)."""

from __future__ import annotations

import numpy as np

from . import schema
from .kernels import KERNELS
from .model import OperatorDef, SubgraphDef, TensorDef


class GraphBuilder:
    def __init__(self, name: str) -> None:
        self.name = name
        self.tensors: list = []
        self.operators: list = []
        self.runs: list = [[], []]  # example values of each tensor, batch 1 and batch 2
        self.inputs: list = []
        self._names: dict = {}

    def _unique(self, name: str) -> str:
        count = self._names.get(name, 0)
        self._names[name] = count + 1
        return name if count == 0 else f"{name}{count}"

    def _add(self, name: str, values: list, constant: bool) -> int:
        a, b = values
        signature = tuple(-1 if da != db else da for da, db in zip(a.shape, b.shape))
        self.tensors.append(TensorDef(
            name=self._unique(name),
            dtype=a.dtype,
            type_code=schema.TYPE_CODES[a.dtype],
            shape=a.shape,
            shape_signature=None if constant else signature,
            data=a if constant else None,
        ))  # fmt: skip
        for run, value in zip(self.runs, values):
            run.append(value)
        return len(self.tensors) - 1

    def input(self, name: str, shape: tuple, dtype="float32") -> int:
        """A model input; ``shape``'s first (batch) dimension may be None."""
        if any(d is None for d in shape[1:]):
            raise NotImplementedError(
                f"TFLiteConverter: input {name!r} has shape {shape}; gpuflow converts inputs "
                "whose dimensions are all known except the batch dimension"
            )
        rest = tuple(int(d) for d in shape[1:])
        dtype = np.dtype(dtype)
        values = [np.zeros((1,) + rest, dtype), np.zeros((2,) + rest, dtype)]
        if shape[0] is not None:
            values = [np.zeros((int(shape[0]),) + rest, dtype)] * 2
        index = self._add(name, values, False)
        self.inputs.append(index)
        return index

    def const(self, name: str, array, dtype=None) -> int:
        array = np.ascontiguousarray(np.asarray(array, dtype=dtype))
        return self._add(name, [array, array], True)

    def op(self, op: str, inputs: list, name: str, **options) -> int:
        """Add ``op`` on the tensors ``inputs`` (-1: an omitted optional input); its output."""
        values = []
        for run in self.runs:
            args = [None if i < 0 else run[i] for i in inputs]
            values.append(KERNELS[op](args, options)[0])
        self.operators.append(OperatorDef(op, list(inputs), [len(self.tensors)], options))
        return self._add(name, values, False)

    def shape(self, index: int) -> tuple:
        """The example shape (batch 1) of tensor ``index``."""
        return self.runs[0][index].shape

    def subgraph(self, outputs: list) -> SubgraphDef:
        return SubgraphDef(self.name, self.tensors, self.operators, list(self.inputs), outputs)
