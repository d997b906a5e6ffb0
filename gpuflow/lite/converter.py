"""A Sequential or functional Keras model as a float TensorFlow Lite flatbuffer (one
subgraph, a ``serving_default`` signature). Layers lower to builtin ops in
:mod:`gpuflow.lite.keras_layers`."""

from __future__ import annotations

from .graph_builder import GraphBuilder
from .keras_layers import _INFERENCE_IDENTITY, CONVERTERS, _where
from .model import ModelDef, SignatureDef
from .write import write_model


def _is_model(obj, kind: str) -> bool:
    from ..saving.onnx_convert import is_model

    return is_model(obj, kind)


def _convert_layer(g, layer, xs: list) -> list:
    kind = type(layer).__name__
    if kind in _INFERENCE_IDENTITY:
        return list(xs)
    if _is_model(layer, "Sequential"):
        for inner in layer.layers:
            xs = _convert_layer(g, inner, xs)
        return xs
    if _is_model(layer, "Functional"):
        return _run_functional(g, layer, xs)
    converter = CONVERTERS.get(kind)
    if converter is None:
        raise NotImplementedError(
            f"TFLiteConverter: {_where(layer)} has no TFLite mapping in gpuflow; supported "
            f"layers: {', '.join(sorted(CONVERTERS))} (and inference-time identities: "
            f"{', '.join(sorted(_INFERENCE_IDENTITY))})"
        )
    return converter(g, layer, xs)


def _run_functional(g, model, xs: list) -> list:
    indices = {id(t): x for t, x in zip(model._input_tensors, xs)}
    for node in model._nodes:
        if node.call_kwargs and any(v is not None for v in node.call_kwargs.values()):
            raise NotImplementedError(
                f"TFLiteConverter: {_where(node.layer)} is called with keyword arguments "
                f"{sorted(node.call_kwargs)}, which gpuflow's converter does not map"
            )
        results = _convert_layer(g, node.layer, [indices[id(t)] for t in node.input_tensors])
        for tensor, result in zip(node.output_tensors, results):
            indices[id(tensor)] = result
    return [indices[id(t)] for t in model._output_tensors]


def _input_tensors(model) -> list:
    if _is_model(model, "Sequential"):
        from ..saving.onnx_export import _sequential_input

        if not model.built:
            raise ValueError(
                f"TFLiteConverter: model {model.name!r} cannot be converted because its input "
                "shapes have not been set; give it a keras.Input, call it on data or call "
                "`model.build(input_shape)` first"
            )
        tensor = _sequential_input(model)
        name = model.inputs[0].name if getattr(model, "inputs", None) else "input"
        return [(name, tensor)]
    if _is_model(model, "Functional"):
        return [(getattr(t, "name", None) or f"input_{i}", t)
                for i, t in enumerate(model._input_tensors)]  # fmt: skip
    raise NotImplementedError(
        f"TFLiteConverter: gpuflow converts Sequential and functional models; "
        f"{type(model).__name__!r} is a subclassed model"
    )


def _dims(shape) -> tuple:
    shape = shape.as_list() if hasattr(shape, "as_list") else shape
    return tuple(None if d is None else int(d) for d in shape)


def convert_keras_model(model, inputs=None) -> bytes:
    """The TFLite flatbuffer of the Keras ``model``; ``inputs``: (name, spec) pairs that
    replace the model's own input names and shapes (a concrete function's signature)."""
    g = GraphBuilder("main")
    inputs = _input_tensors(model) if inputs is None else inputs
    signature_inputs, xs = {}, []
    for name, tensor in inputs:
        dtype = getattr(tensor.dtype, "name", str(tensor.dtype))
        if dtype != "float32":
            raise NotImplementedError(
                f"TFLiteConverter: input {name!r} is {dtype}; gpuflow converts float32 models"
            )
        xs.append(g.input(f"serving_default_{name}:0", _dims(tensor.shape)))
        signature_inputs[name] = xs[-1]
    if _is_model(model, "Sequential"):
        outputs = _convert_layer(g, model, xs)
    else:
        outputs = _run_functional(g, model, xs)
    signature_outputs = {}
    for i, index in enumerate(outputs):
        if index in g.inputs or g.tensors[index].data is not None:
            raise NotImplementedError(
                f"TFLiteConverter: output {i} of {model.name!r} is an input or a constant"
            )
        g.tensors[index].name = f"StatefulPartitionedCall:{i}"
        signature_outputs[f"output_{i}"] = index
    signature = SignatureDef("serving_default", signature_inputs, signature_outputs, 0)
    return write_model(ModelDef([g.subgraph(outputs)], [signature], "gpuflow TFLiteConverter"))
