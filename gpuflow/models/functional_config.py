"""A functional model's graph as a JSON config and back, in Keras 3's layout.

``{"name", "trainable", "layers": [{"class_name", "config", "name", "inbound_nodes": [
{"args": [...], "kwargs": {...}}]}], "input_layers": ..., "output_layers": ...}``: each symbolic
tensor in a node's arguments is ``{"class_name": "__keras_tensor__", "config": {"shape",
"dtype", "keras_history": [layer name, node index, tensor index]}}``. Node indices count
only the calls that belong to this model, so a layer shared with other models keeps its
place. Rebuilding calls each layer again on the rebuilt tensors, in dependency order.
"""

from __future__ import annotations

import inspect

from .. import nest
from ..layers import InputLayer, deserialize, serialize
from ..layers.keras_tensor import KerasTensor
from ..layers.op_lambda import TFOpLambda

_KT = "__keras_tensor__"


def _node_indices(model) -> dict:
    """``id(node) -> index among the layer's calls that belong to this model``."""
    in_model = {id(n) for n in model._nodes}
    indices = {}
    for layer in model.operations:
        count = 0
        for node in layer._inbound_nodes:
            if id(node) in in_model:
                indices[id(node)] = count
                count += 1
    return indices


def get_config(model) -> dict:
    indices = _node_indices(model)
    inputs = {id(t): layer for t, layer in zip(model._input_tensors, model._input_layers)}

    def history(tensor):
        if id(tensor) in inputs:
            return [inputs[id(tensor)].name, 0, 0]
        layer, node_index, tensor_index = tensor._keras_history
        node = layer._inbound_nodes[node_index]
        if id(node) not in indices:
            raise ValueError(f"Model '{model.name}': tensor {tensor!r} is not part of the graph")
        return [layer.name, indices[id(node)], tensor_index]

    def encode(value, op_lambda: bool):
        if isinstance(value, KerasTensor):
            return {
                "class_name": _KT,
                "config": {
                    "shape": list(value.shape),
                    "dtype": value.dtype.name,
                    "keras_history": history(value),
                },
            }
        if isinstance(value, (list, tuple)):
            if op_lambda and isinstance(value, tuple):
                return TFOpLambda.encode_argument(tuple(encode(v, True) for v in value))
            return [encode(v, op_lambda) for v in value]
        if isinstance(value, dict):
            return {k: encode(v, op_lambda) for k, v in value.items()}
        return TFOpLambda.encode_argument(value) if op_lambda else value

    names = [layer.name for layer in model.operations]
    if len(set(names)) != len(names):
        duplicated = sorted({n for n in names if names.count(n) > 1})
        raise ValueError(
            f"Model '{model.name}': layer names must be unique to save the model; "
            f"duplicated: {duplicated}"
        )
    layers = []
    for layer in model.operations:
        nodes = [n for n in model._nodes if n.layer is layer]
        is_op = isinstance(layer, TFOpLambda)
        entry = dict(
            serialize(layer),
            name=layer.name,
            inbound_nodes=[
                {"args": encode(list(n.call_args), is_op), "kwargs": encode(n.call_kwargs, is_op)}
                for n in nodes
            ],
        )
        layers.append(entry)
    return {
        "name": model.name,
        "trainable": model.trainable,
        "layers": layers,
        "input_layers": nest.map_structure(history, model._nested_inputs),
        "output_layers": nest.map_structure(history, model._nested_outputs),
    }


def _is_history(value) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 3
        and isinstance(value[0], str)
        and all(isinstance(i, int) for i in value[1:])
    )


def rebuild(config: dict, custom_objects=None):
    """``(inputs, outputs, name)`` rebuilt from :func:`get_config`'s output."""
    if not isinstance(config, dict) or "layers" not in config:
        raise ValueError(
            "Functional.from_config: expected a functional model config with "
            f"'layers', 'input_layers' and 'output_layers', received {config!r:.200}"
        )
    created, outputs = {}, {}  # layer name -> layer; (name, node index) -> flat outputs
    pending = []
    for spec in config["layers"]:
        layer = deserialize(
            {
                k: spec[k]
                for k in ("class_name", "config", "registered_name", "build_config")
                if k in spec
            },
            custom_objects=custom_objects,
        )
        created[spec["name"]] = layer
        if isinstance(layer, InputLayer):
            outputs[(spec["name"], 0)] = [layer.output]
        nodes = spec.get("inbound_nodes", [])
        pending.extend((spec["name"], i, node) for i, node in enumerate(nodes))

    def ready(value) -> bool:
        if isinstance(value, dict) and value.get("class_name") == _KT:
            name, node_index, _ = value["config"]["keras_history"]
            return (name, node_index) in outputs
        if isinstance(value, dict):
            return all(ready(v) for v in value.values())
        if isinstance(value, list):
            return all(ready(v) for v in value)
        return True

    def decode(value, op_lambda: bool):
        if isinstance(value, dict) and value.get("class_name") == _KT:
            name, node_index, tensor_index = value["config"]["keras_history"]
            return outputs[(name, node_index)][tensor_index]
        if isinstance(value, dict):
            if op_lambda and any(k in value for k in ("__slice__", "__ellipsis__", "__tuple__")):
                if "__tuple__" in value:
                    return tuple(decode(v, True) for v in value["__tuple__"])
                return TFOpLambda.decode_argument(value)
            return {k: decode(v, op_lambda) for k, v in value.items()}
        if isinstance(value, list):
            return [decode(v, op_lambda) for v in value]
        return value

    done_per_layer = {name: 0 for name in created}
    while pending:
        progress = False
        for item in list(pending):
            name, index, node = item
            if done_per_layer[name] != index or not ready(node):
                continue
            layer = created[name]
            is_op = isinstance(layer, TFOpLambda)
            args = decode(node.get("args", []), is_op)
            kwargs = _without_unknown_nones(layer, decode(node.get("kwargs", {}), is_op))
            result = layer(*args, **kwargs)
            outputs[(name, index)] = [t for t in nest.flatten(result)]
            done_per_layer[name] += 1
            pending.remove(item)
            progress = True
        if not progress:
            stuck = ", ".join(f"{name}[{index}]" for name, index, _ in pending)
            raise ValueError(
                f"Functional.from_config: cannot rebuild the calls {stuck}: their "
                "inputs are never produced (a corrupt or hand-edited config?)"
            )

    def resolve(value):
        name, node_index, tensor_index = value
        if (name, node_index) not in outputs:
            raise ValueError(f"Functional.from_config: unknown layer {name!r} in inputs/outputs")
        return outputs[(name, node_index)][tensor_index]

    def resolve_structure(value):
        if _is_history(value):
            return resolve(value)
        if isinstance(value, dict):
            return {k: resolve_structure(v) for k, v in value.items()}
        return [resolve_structure(v) for v in value]

    return (
        resolve_structure(config["input_layers"]),
        resolve_structure(config["output_layers"]),
        config.get("name"),
    )


def _without_unknown_nones(layer, kwargs: dict) -> dict:
    """``kwargs`` less the ``None`` values ``layer.call`` has no parameter for.

    Keras records the mask it filled in for its own layers' ``mask`` parameter
    (``"kwargs": {"mask": null}``); a gpuflow layer without that parameter takes no mask.
    """
    if not any(value is None for value in kwargs.values()):
        return kwargs
    try:
        params = inspect.signature(layer.call).parameters
    except (TypeError, ValueError):
        return kwargs
    if any(p.kind is p.VAR_KEYWORD for p in params.values()):
        return kwargs
    return {k: v for k, v in kwargs.items() if v is not None or k in params}
