"""``keras.utils.get_source_inputs``: the model inputs a symbolic tensor was computed from."""

from __future__ import annotations


def get_source_inputs(tensor) -> list:
    """The ``keras.Input`` tensors that ``tensor`` (a KerasTensor) depends on, in order of
    discovery without repeats; a value that is not a KerasTensor is returned as is."""
    history = getattr(tensor, "_keras_history", None)
    if not hasattr(tensor, "_keras_history"):
        return tensor
    if history is None:
        return [tensor]
    layer, node_index, _ = history
    if not layer or not layer._inbound_nodes:
        return [tensor]
    node = layer._inbound_nodes[node_index]
    if not node.input_tensors:  # an InputLayer's node
        return list(node.output_tensors)
    sources = []
    for parent in node.input_tensors:
        for x in get_source_inputs(parent):
            if all(x is not t for t in sources):
                sources.append(x)
    return sources
