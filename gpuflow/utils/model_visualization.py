"""``plot_model`` / ``model_to_dot``: a model's layer graph drawn with pydot and Graphviz."""

from __future__ import annotations

import os
import shutil

_MISSING = (
    "You must install pydot (`pip install pydot`) and install graphviz (see instructions "
    "at https://graphviz.gitlab.io/download/) for `plot_model` to work."
)


def _pydot():
    try:
        import pydot
    except ImportError:
        raise ImportError(_MISSING) from None
    return pydot


def _edges(model) -> list:
    """``(source layer, target layer)`` pairs: the graph's edges, or the chain of a Sequential."""
    nodes = getattr(model, "_nodes", None)
    if nodes is None:
        layers = model.operations
        return list(zip(layers, layers[1:]))
    inputs = {id(t): layer for t, layer in zip(model._input_tensors, model._input_layers)}
    edges = []
    for node in nodes:
        for tensor in node.input_tensors:
            source = inputs.get(id(tensor)) or tensor._keras_history[0]
            edges.append((source, node.layer))
    return edges


def _label(model, layer, show_shapes: bool, show_dtype: bool, show_layer_names: bool) -> str:
    label = f"{layer.name} ({type(layer).__name__})" if show_layer_names else type(layer).__name__
    if show_dtype:
        label += f"\\n{layer.dtype_policy.name}"
    if show_shapes:
        known = getattr(model, "layer_output_shape", None)
        shape = known(layer) if known else None
        label += f"\\noutput: {shape if shape is not None else '?'}"
    return label


def model_to_dot(
    model,
    show_shapes: bool = False,
    show_dtype: bool = False,
    show_layer_names: bool = True,
    rankdir: str = "TB",
    expand_nested: bool = False,
    dpi: int = 200,
    subgraph: bool = False,
    show_layer_activations: bool = False,
    show_trainable: bool = False,
    **kwargs,
):
    """The model's layers and connections as a ``pydot.Dot`` graph.

    Raises:
        ValueError: when the model is not built (checked first, as Keras 3).
        ImportError: when pydot is not installed (with what to install).
    """
    if not getattr(model, "built", False):
        raise ValueError(
            "This model has not yet been built. Build the model first by calling `build()` "
            "or by calling the model on a batch of data."
        )
    pydot = _pydot()
    dot = pydot.Dot(graph_type="digraph", rankdir=rankdir, dpi=dpi)
    dot.set_node_defaults(shape="record")
    for layer in model.operations:
        label = _label(model, layer, show_shapes, show_dtype, show_layer_names)
        if show_layer_activations and getattr(layer, "activation", None) is not None:
            label += f"\\nactivation: {getattr(layer.activation, '__name__', layer.activation)}"
        if show_trainable:
            label += f"\\ntrainable: {layer.trainable}"
        dot.add_node(pydot.Node(str(id(layer)), label=label))
    for source, target in _edges(model):
        dot.add_edge(pydot.Edge(str(id(source)), str(id(target))))
    return dot


def plot_model(
    model,
    to_file: str = "model.png",
    show_shapes: bool = False,
    show_dtype: bool = False,
    show_layer_names: bool = True,
    rankdir: str = "TB",
    expand_nested: bool = False,
    dpi: int = 200,
    show_layer_activations: bool = False,
    show_trainable: bool = False,
    **kwargs,
):
    """Draw the model's graph to ``to_file`` (``.png``, ``.svg``, ``.pdf``, ``.dot``, ...).

    Raises:
        ValueError: when the model is not built (checked first, as Keras 3).
        ImportError: when pydot or Graphviz's ``dot`` program is missing, saying what to install.
    """
    dot = model_to_dot(
        model,
        show_shapes=show_shapes,
        show_dtype=show_dtype,
        show_layer_names=show_layer_names,
        rankdir=rankdir,
        dpi=dpi,
        show_layer_activations=show_layer_activations,
        show_trainable=show_trainable,
    )
    extension = os.path.splitext(str(to_file))[1][1:] or "png"
    if extension != "dot" and shutil.which("dot") is None:
        raise ImportError(_MISSING + " (the Graphviz `dot` program is not on PATH)")
    dot.write(str(to_file), format="raw" if extension == "dot" else extension)
    return None
