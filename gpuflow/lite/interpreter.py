"""``tf.lite.Interpreter``: runs a TensorFlow Lite flatbuffer with the NumPy kernels of
:mod:`gpuflow.lite.kernels`, with TensorFlow's Python API (tensor details, allocate_tensors,
set_tensor / invoke / get_tensor, resize_tensor_input, signature runners)."""

from __future__ import annotations

import numpy as np

from . import schema
from .kernels import KERNELS, UnsupportedOpError
from .read import read_model


class _Subgraph:
    """One subgraph's tensors: their current shapes and values, and how to run its ops."""

    def __init__(self, sub) -> None:
        self.sub = sub
        self.shapes = [tuple(t.shape) for t in sub.tensors]
        self.values: list = [None] * len(sub.tensors)
        self.allocated = False
        for op in sub.operators:
            if op.op not in KERNELS:
                raise UnsupportedOpError(
                    f"gpuflow's TFLite interpreter does not support the op {op.op} "
                    f"(subgraph {sub.name!r}); supported builtin ops: {', '.join(sorted(KERNELS))}"
                )

    def allocate(self) -> None:
        for i, t in enumerate(self.sub.tensors):
            if t.data is not None:
                self.values[i] = t.data
            elif i in self.sub.inputs:
                self.values[i] = np.zeros(self.shapes[i], t.dtype)
        self.allocated = True

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


class Interpreter:
    """Interpreter for TensorFlow Lite models (float ops, run with NumPy)."""

    def __init__(
        self,
        model_path=None,
        model_content=None,
        experimental_delegates=None,
        num_threads=None,
        experimental_op_resolver_type=None,
        experimental_preserve_all_tensors=False,
        experimental_disable_delegate_clustering=False,
        experimental_default_delegate_latest_features=False,
    ) -> None:
        if model_path is not None and model_content is not None:
            raise ValueError("Can't both provide `model_path` and `model_content`")
        if model_path is None and model_content is None:
            raise ValueError("`model_path` or `model_content` must be specified.")
        if num_threads is not None and (not isinstance(num_threads, int) or num_threads < -1):
            raise ValueError(
                "num_threads should >= 1 or just -1 to let TFLite runtime set the value."
            )
        if model_path is not None:
            with open(model_path, "rb") as f:
                model_content = f.read()
        self._model = read_model(model_content)
        self._graphs = [_Subgraph(sub) for sub in self._model.subgraphs]

    @property
    def _main(self) -> _Subgraph:
        return self._graphs[0]

    def allocate_tensors(self) -> None:
        for graph in self._graphs:
            graph.allocate()

    def _details(self, graph: _Subgraph, index: int) -> dict:
        return tensor_details(graph.sub.tensors[index], index, graph.shapes[index])

    def get_input_details(self) -> list:
        return [self._details(self._main, i) for i in self._main.sub.inputs]

    def get_output_details(self) -> list:
        return [self._details(self._main, i) for i in self._main.sub.outputs]

    def get_tensor_details(self) -> list:
        return [self._details(self._main, i) for i in range(len(self._main.sub.tensors))]

    def _index(self, graph: _Subgraph, index) -> int:
        if not isinstance(index, (int, np.integer)) or not 0 <= index < len(graph.sub.tensors):
            raise ValueError(f"Tensor with no shape found: invalid tensor index {index!r}.")
        return int(index)

    def set_tensor(self, tensor_index, value) -> None:
        _set_tensor(self._main, self._index(self._main, tensor_index), value)

    def get_tensor(self, tensor_index, subgraph_index: int = 0):
        graph = self._graphs[subgraph_index]
        index = self._index(graph, tensor_index)
        value = graph.values[index]
        if value is None:
            raise ValueError(f"Tensor data is null. Run allocate_tensors() first (tensor {index}).")
        return np.array(value, copy=True)

    def tensor(self, tensor_index):
        """A function returning a view of the tensor's current value."""
        index = self._index(self._main, tensor_index)
        return lambda: self._main.values[index]

    def invoke(self) -> None:
        self._main.invoke()

    def resize_tensor_input(self, input_index, tensor_size, strict: bool = False) -> None:
        _resize(self._main, self._index(self._main, input_index), tensor_size, strict)

    def get_signature_list(self) -> dict:
        return {
            s.key: {"inputs": list(s.inputs), "outputs": list(s.outputs)}
            for s in self._model.signatures
        }

    def get_signature_runner(self, signature_key=None):
        signatures = {s.key: s for s in self._model.signatures}
        if signature_key is None:
            if len(signatures) != 1:
                raise ValueError(
                    "SignatureDef signature_key is None and model has "
                    f"{len(signatures)} Signatures. None is only allowed when the model has 1 "
                    "SignatureDef"
                )
            signature_key = next(iter(signatures))
        if signature_key not in signatures:
            raise ValueError(f'Invalid signature_key provided: "{signature_key}".')
        from .signature_runner import SignatureRunner

        signature = signatures[signature_key]
        return SignatureRunner(self._graphs[signature.subgraph_index], signature)


def _set_tensor(graph: _Subgraph, index: int, value) -> None:
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


def _resize(graph: _Subgraph, index: int, size, strict: bool) -> None:
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
