"""The state of one TFLite subgraph while it runs (tensor shapes and values, the op loop), and
the tensor-level operations the Interpreter and its signature runners share."""

from __future__ import annotations

import numpy as np

from . import schema
from .kernels import KERNELS, UnsupportedOpError


class Subgraph:
    """One subgraph's tensors: their current shapes and values, and how to run its ops."""

    def __init__(self, sub) -> None:
        self.sub = sub
        self.shapes = [tuple(t.shape) for t in sub.tensors]
        self.values: list = [None] * len(sub.tensors)
        self.allocated = self.resized = False
        for op in sub.operators:
            if op.op not in KERNELS:
                raise UnsupportedOpError(
                    f"Didn't find op for builtin opcode '{op.op}': gpuflow's TFLite "
                    f"interpreter does not run it (subgraph {sub.name!r}); it runs "
                    f"{', '.join(sorted(KERNELS))}"
                )
            for i in op.inputs + op.outputs:
                t = sub.tensors[i] if i >= 0 else None
                if t is not None and len(t.quantization.get("scales", ())):
                    raise UnsupportedOpError(
                        f"{op.op} uses the quantized tensor {t.name!r} "
                        f"({schema.TYPE_NAMES.get(t.type_code, t.type_code)}); gpuflow's TFLite "
                        "interpreter runs float models only"
                    )

    def allocate(self) -> None:
        for i, t in enumerate(self.sub.tensors):
            if t.data is not None:
                self.values[i] = t.data
            elif t.dtype is not None:
                self.values[i] = np.zeros(self.shapes[i], t.dtype)
        self.allocated = True
        if self.resized:  # the new input shapes reach every tensor, as TFLite's Prepare does
            self.invoke()
            for i in self.sub.inputs:
                self.values[i] = np.zeros(self.shapes[i], self.sub.tensors[i].dtype)
            self.resized = False

    def invoke(self) -> None:
        if not self.allocated:
            raise RuntimeError("Invoke called on model that is not ready.")
        for op in self.sub.operators:
            args = [None if i < 0 else self.values[i] for i in op.inputs]
            try:
                results = KERNELS[op.op](args, op.options)
            except UnsupportedOpError as e:
                raise UnsupportedOpError(f"{op.op}: {e}") from None
            except (ValueError, IndexError) as e:
                shapes = [None if a is None else a.shape for a in args]
                raise RuntimeError(f"{op.op} failed on inputs of shapes {shapes}: {e}") from None
            for index, value in zip(op.outputs, results):
                dtype = self.sub.tensors[index].dtype
                self.values[index] = np.asarray(value, dtype)
                self.shapes[index] = self.values[index].shape


def _quantization(t) -> tuple:
    q = t.quantization
    scales, zeros = q.get("scales", ()), q.get("zero_points", ())
    return (float(scales[0]), int(zeros[0])) if len(scales) == 1 else (0.0, 0)


def tensor_details(t, index: int, shape) -> dict:
    """TensorFlow's dict for one tensor (get_input_details and co.)."""
    signature = t.signature
    q = t.quantization
    return {
        "name": t.name,
        "index": index,
        "shape": np.array(shape, np.int32),
        "shape_signature": np.array(signature, np.int32),
        "dtype": t.dtype.type if t.dtype is not None else None,
        "quantization": _quantization(t),
        "quantization_parameters": {
            "scales": np.asarray(q.get("scales", []), np.float32),
            "zero_points": np.asarray(q.get("zero_points", []), np.int32),
            "quantized_dimension": int(q.get("quantized_dimension", 0)),
            "block_size": 0,
        },
        "sparsity_parameters": {},
    }


def set_tensor(graph: Subgraph, index: int, value) -> None:
    t = graph.sub.tensors[index]
    if not graph.allocated:
        raise ValueError(
            "Cannot set tensor: Tensor is unallocated. Try calling allocate_tensors() first"
        )
    value = np.asarray(value)
    if value.dtype != t.dtype:
        got = schema.TYPE_NAMES.get(schema.TYPE_CODES.get(value.dtype), str(value.dtype).upper())
        raise ValueError(
            f"Cannot set tensor: Got value of type {got} but expected type "
            f"{schema.TYPE_NAMES[t.type_code]} for input {index}, name: {t.name} "
        )
    expected = graph.shapes[index]
    if value.ndim != len(expected):
        raise ValueError(
            f"Cannot set tensor: Dimension mismatch. Got {value.ndim} but expected "
            f"{len(expected)} for input {index}."
        )
    for d, (got, want) in enumerate(zip(value.shape, expected)):
        if got != want:
            raise ValueError(
                f"Cannot set tensor: Dimension mismatch. Got {got} but expected "
                f"{want} for dimension {d} of input {index}."
            )
    graph.values[index] = np.array(value, copy=True)


def resize(graph: Subgraph, index: int, size, strict: bool) -> None:
    size = tuple(int(d) for d in np.asarray(size).reshape(-1))
    if index not in graph.sub.inputs:
        raise ValueError(f"resize_tensor_input: tensor {index} is not an input of the model")
    signature = graph.sub.tensors[index].signature
    if strict:
        for d, (want, have) in enumerate(zip(size, signature)):
            if have != -1 and want != have:
                raise ValueError(
                    f"ResizeInputTensorStrict only allows mutating unknown dimensions identified "
                    f"by -1 (dimension {d}: {have} -> {want})."
                )
    graph.shapes[index] = size
    graph.allocated = False  # allocate_tensors() must follow, as in TFLite
    graph.resized = True
