"""``tf.lite.Interpreter``: runs a TensorFlow Lite flatbuffer with the NumPy kernels of
:mod:`gpuflow.lite.kernels`, with TensorFlow's Python API (tensor details, allocate_tensors,
set_tensor / invoke / get_tensor, resize_tensor_input, signature runners)."""

from __future__ import annotations

import numpy as np

from .read import read_model
from .runtime import Subgraph, resize, set_tensor, tensor_details
from .signature_runner import SignatureRunner


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
        self._graphs = [Subgraph(sub) for sub in self._model.subgraphs]

    @property
    def _main(self) -> Subgraph:
        return self._graphs[0]

    def allocate_tensors(self) -> None:
        for graph in self._graphs:
            graph.allocate()

    def _details(self, graph: Subgraph, index: int) -> dict:
        return tensor_details(graph.sub.tensors[index], index, graph.shapes[index])

    def get_input_details(self) -> list:
        return [self._details(self._main, i) for i in self._main.sub.inputs]

    def get_output_details(self) -> list:
        return [self._details(self._main, i) for i in self._main.sub.outputs]

    def get_tensor_details(self) -> list:
        return [self._details(self._main, i) for i in range(len(self._main.sub.tensors))]

    def _index(self, graph: Subgraph, index) -> int:
        if not isinstance(index, (int, np.integer)) or not 0 <= index < len(graph.sub.tensors):
            raise ValueError(f"Tensor with no shape found: invalid tensor index {index!r}.")
        return int(index)

    def set_tensor(self, tensor_index, value) -> None:
        set_tensor(self._main, self._index(self._main, tensor_index), value)

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
        resize(self._main, self._index(self._main, input_index), tensor_size, strict)

    def get_signature_list(self) -> dict:
        """{signature key: {"inputs": names, "outputs": names}}, names sorted as TFLite's map."""
        return {
            s.key: {"inputs": sorted(s.inputs), "outputs": sorted(s.outputs)}
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
        signature = signatures[signature_key]
        return SignatureRunner(self._graphs[signature.subgraph_index], signature)
