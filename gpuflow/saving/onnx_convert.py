"""Which ONNX converter handles a layer: the table over :mod:`onnx_layers`,
:mod:`onnx_recurrent` and :mod:`onnx_quantized`, and nested models inlined."""

from __future__ import annotations

from . import onnx_quantized, onnx_recurrent
from .onnx_layers import (
    _IDENTITY,
    _where,
    activation_layer,
    batch_norm,
    conv,
    dense,
    embedding,
    flatten,
    global_pool,
    layer_norm,
    merge,
    pool,
    reshape,
)


def is_model(obj, kind: str) -> bool:
    """Whether ``obj`` is a Sequential (or Functional) model, subclasses included; by class
    name, so that saving never imports the model classes (arrows point down)."""
    return any(
        cls.__name__ == kind and cls.__module__.startswith("gpuflow.models")
        for cls in type(obj).__mro__
    )


def nested_model(g, layer, xs):
    """A Sequential or functional model used as a layer: its graph inlined."""
    if is_model(layer, "Sequential"):
        y = xs[0]
        for inner in layer.layers:
            y = convert(g, inner, [y])[0]
        return [y]
    names = {id(t): x for t, x in zip(layer._input_tensors, xs)}
    for node in layer._nodes:
        results = convert(g, node.layer, [names[id(t)] for t in node.input_tensors])
        for tensor, result in zip(node.output_tensors, results):
            names[id(tensor)] = result
    return [names[id(t)] for t in layer._output_tensors]


def _table():
    table = {
        "Dense": dense,
        "Conv1D": conv,
        "Conv2D": conv,
        "Flatten": flatten,
        "Reshape": reshape,
        "BatchNormalization": batch_norm,
        "LayerNormalization": layer_norm,
        "Embedding": embedding,
        "Sequential": nested_model,
        "Functional": nested_model,
    }
    for name in ("MaxPooling1D", "MaxPooling2D", "AveragePooling1D", "AveragePooling2D"):
        table[name] = pool
    for name, rank in (
        ("GlobalAveragePooling1D", 3),
        ("GlobalMaxPooling1D", 3),
        ("GlobalAveragePooling2D", 4),
        ("GlobalMaxPooling2D", 4),
    ):
        table[name] = (lambda r: lambda g, layer, xs: global_pool(g, layer, xs, r))(rank)
    for name in ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate"):
        table[name] = merge
    for name in ("Activation", "Softmax", "LeakyReLU", "ELU", "ReLU"):
        table[name] = activation_layer
    table.update(onnx_recurrent.CONVERTERS)
    table.update(onnx_quantized.CONVERTERS)
    return table


def convert(g, layer, xs: list) -> list:
    """ONNX nodes for one call of ``layer`` on the tensors named ``xs``; their output names."""
    kind = type(layer).__name__
    if kind in _IDENTITY:
        return list(xs)
    converter = _table().get(kind)
    if converter is None:
        raise ValueError(
            f"export: {_where(layer)} has no ONNX mapping; supported layers: "
            + ", ".join(sorted(_table()))
        )
    return converter(g, layer, xs)
