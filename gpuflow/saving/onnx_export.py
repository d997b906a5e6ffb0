"""``model.export("m.onnx", format="onnx")``: Sequential and functional models as ONNX graphs.

The graph is built with the ``onnx`` package's helper API (opset 17), checked with
``onnx.checker.check_model`` and written atomically. Each layer maps to ONNX operators in
:mod:`gpuflow.saving.onnx_convert`; a
layer with no mapping is an error naming it. Inference semantics: Dropout and noise layers
vanish, BatchNormalization uses its moving statistics.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

OPSET = 17


def _onnx():
    try:
        import onnx
    except ImportError:
        raise ImportError(
            "ONNX export needs the onnx package: pip install 'gpuflow[onnx]'"
        ) from None
    return onnx


class Graph:
    """The ONNX graph under construction: nodes, initializers and unique names."""

    def __init__(self, onnx) -> None:
        self.onnx = onnx
        self.helper = onnx.helper
        self.nodes: list = []
        self.initializers: list = []
        self._names: dict = {}

    def name(self, base: str) -> str:
        base = base.replace("/", "_")
        count = self._names.get(base, 0)
        self._names[base] = count + 1
        return base if count == 0 else f"{base}_{count}"

    def const(self, base: str, array) -> str:
        """An initializer holding ``array`` (its dtype kept)."""
        name = self.name(base)
        self.initializers.append(self.onnx.numpy_helper.from_array(np.asarray(array), name))
        return name

    def op(self, op_type: str, inputs: list, base: str, outputs: int = 1, **attrs) -> list | str:
        """Add one node; its output name (a list when ``outputs`` > 1)."""
        names = [
            self.name(f"{base}_{op_type}" if i == 0 else f"{base}_{op_type}_{i}")
            for i in range(outputs)
        ]
        self.nodes.append(
            self.helper.make_node(
                op_type, list(inputs), names, name=self.name(f"{base}/{op_type}"), **attrs
            )
        )
        return names[0] if outputs == 1 else names


def _value_info(onnx, name: str, tensor, batch: str = "batch"):
    shape = [
        batch if i == 0 else (d if d is not None else f"{name}_dim{i}")
        for i, d in enumerate(tensor.shape)
    ]
    dtype = onnx.helper.np_dtype_to_tensor_dtype(np.dtype(tensor.dtype.name))
    return onnx.helper.make_tensor_value_info(name, dtype, shape)


def _sequential_input(model):
    """The KerasTensor a Sequential model takes (its Input's, or one of its built shape)."""
    from ..layers.keras_tensor import KerasTensor

    shape = getattr(model, "_input_shape", None)
    if shape is None and getattr(model, "_data_shape", None) is not None:
        shape = (None,) + tuple(model._data_shape)
    if shape is None or not model.built:
        raise ValueError(
            f"export: model {model.name!r} is not built; give it an Input or call it on data first"
        )
    dtype = "float32"
    try:
        dtype = model.input.dtype.name
    except (AttributeError, ValueError):
        pass
    # named: a spec for the converters, it takes no keras_tensor_N from the models the
    # user builds next (Keras 3's export makes none)
    return KerasTensor(tuple(shape), dtype=dtype, name="input")


def build(model):
    """The ``onnx.ModelProto`` for ``model``."""
    from .onnx_convert import convert, is_model

    onnx = _onnx()
    g = Graph(onnx)
    inputs_info, outputs_info = [], []
    if is_model(model, "Sequential"):
        current = g.name("input")
        inputs_info.append(_value_info(onnx, current, _sequential_input(model)))
        for layer in model.layers:
            current = convert(g, layer, [current])[0]
        from ..layers.keras_tensor import KerasTensor

        out = KerasTensor(tuple(model.output_shape), dtype="float32", name="output")
        outputs_info.append(_value_info(onnx, current, out))
    elif is_model(model, "Functional"):
        tensors, outputs, nodes = model._input_tensors, model._output_tensors, model._nodes
        names = {}
        for layer, tensor in zip(model._input_layers, tensors):
            names[id(tensor)] = g.name(layer.name)
            inputs_info.append(_value_info(onnx, names[id(tensor)], tensor))
        for node in nodes:
            if node.call_kwargs and any(v is not None for v in node.call_kwargs.values()):
                raise ValueError(
                    f"export: layer {node.layer.name!r} ({type(node.layer).__name__}) "
                    f"is called with keyword arguments {sorted(node.call_kwargs)}, "
                    "which the ONNX export does not map"
                )
            results = convert(g, node.layer, [names[id(t)] for t in node.input_tensors])
            if len(results) != len(node.output_tensors):
                raise ValueError(
                    f"export: layer {node.layer.name!r} gives "
                    f"{len(node.output_tensors)} outputs; the ONNX mapping gives "
                    f"{len(results)}"
                )
            for tensor, result in zip(node.output_tensors, results):
                names[id(tensor)] = result
        for tensor in outputs:
            outputs_info.append(_value_info(onnx, names[id(tensor)], tensor))
    else:
        raise ValueError(
            f"export: ONNX export takes Sequential and functional models; "
            f"{type(model).__name__!r} is a subclassed model"
        )
    graph = onnx.helper.make_graph(g.nodes, model.name, inputs_info, outputs_info, g.initializers)
    proto = onnx.helper.make_model(
        graph, opset_imports=[onnx.helper.make_opsetid("", OPSET)], producer_name="gpuflow"
    )
    proto.ir_version = min(proto.ir_version, 8)  # readable by onnxruntime releases of 2022 on
    onnx.checker.check_model(proto, full_check=True)
    return proto


def export(model, path) -> None:
    """Write ``model`` as an ONNX file at ``path`` (atomically)."""
    from .keras_archive import atomic_write

    proto = build(model)
    atomic_write(Path(path), lambda tmp: Path(tmp).write_bytes(proto.SerializeToString()), True)
