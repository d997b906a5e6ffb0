"""The in-memory form of a TensorFlow Lite model: what the reader gives, the writer takes and
the converter builds. Plain data: tensors (constants carry their array), operators by builtin
name with their options as a dict, subgraphs and signature defs."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class TensorDef:
    name: str
    dtype: np.dtype | None  # None: a type gpuflow does not hold (STRING, RESOURCE, ...)
    type_code: int
    shape: tuple
    shape_signature: tuple | None = None
    data: np.ndarray | None = None  # constants only
    quantization: dict = field(default_factory=dict)  # scale, zero_point, quantized_dimension

    @property
    def signature(self) -> tuple:
        return self.shape if self.shape_signature is None else self.shape_signature


@dataclass
class OperatorDef:
    op: str  # BuiltinOperator name, or "CUSTOM:<code>"
    inputs: list
    outputs: list
    options: dict = field(default_factory=dict)


@dataclass
class SubgraphDef:
    name: str
    tensors: list
    operators: list
    inputs: list
    outputs: list


@dataclass
class SignatureDef:
    key: str
    inputs: dict  # name -> tensor index
    outputs: dict
    subgraph_index: int = 0


@dataclass
class ModelDef:
    subgraphs: list
    signatures: list
    description: str = ""
