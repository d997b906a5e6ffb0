"""The last probe of a symbolic call: arguments whose sizes depend on each other.

Placeholder zeros give every unknown axis one stand-in size. That fails when one argument
was computed from another (keras.io RetinaNet decodes ``predictions [B, anchors, 7]`` of
``image [B, H, W, 3]``: the anchors count follows H and W). Keras traces such a call with
the real graph; here the graph upstream of the arguments is replayed from probes of its
``keras.Input`` tensors, so the arguments agree as they will when the model runs.
"""

from __future__ import annotations

from .. import nest
from .keras_tensor import KerasTensor


def _is_input(tensor: KerasTensor) -> bool:
    return type(tensor.node.layer).__name__ == "InputLayer"


def _upstream(symbolic: list):
    """The nodes that compute ``symbolic`` from keras.Input tensors, in creation order, and
    those input tensors; None where a tensor has no recorded history."""
    nodes, roots, seen = [], {}, set()
    stack = list(symbolic)
    while stack:
        tensor = stack.pop()
        if tensor._keras_history is None:
            return None
        if _is_input(tensor):
            roots[id(tensor)] = tensor
            continue
        node = tensor.node
        if id(node) in seen:
            continue
        seen.add(id(node))
        nodes.append(node)
        stack.extend(node.input_tensors)
    return sorted(nodes, key=lambda n: n.order), list(roots.values())


def replayed_values(symbolic: list, probe, call):
    """``{id(tensor): value}`` for the tensors of ``symbolic``, computed by running their
    upstream graph on ``probe(root)`` for each keras.Input tensor; ``call(layer, args,
    kwargs)`` runs one layer (in the caller's probing context). None when the graph is not
    fully recorded or is only inputs (nothing to replay)."""
    found = _upstream(symbolic)
    if found is None or not found[0]:
        return None
    nodes, roots = found
    values = {id(root): probe(root) for root in roots}
    for node in nodes:
        args, kwargs = nest.map_structure(
            lambda x: values[id(x)] if isinstance(x, KerasTensor) else x,
            [list(node.call_args), dict(node.call_kwargs)],
        )
        result = call(node.layer, args, kwargs)
        for tensor, value in zip(nest.flatten(node.outputs), nest.flatten(result)):
            if isinstance(tensor, KerasTensor):
                values[id(tensor)] = value
    return values
