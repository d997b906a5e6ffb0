"""``clone_model`` and ``model_from_json``: new models (fresh weights) from a model or its JSON."""

from __future__ import annotations

import json

from .. import nest
from ..layers import InputLayer, deserialize
from ..layers.keras_tensor import KerasTensor


def _default_clone(layer):
    return type(layer).from_config(layer.get_config())


def clone_model(model, input_tensors=None, clone_function=None, **kwargs):
    """A new model with the same architecture and new (freshly initialized) weights.

    Args:
        model: a Sequential, functional or serializable subclassed model.
        input_tensors: for a functional model, KerasTensors to build the clone on (default:
            new Inputs like the model's).
        clone_function: ``layer -> new layer`` (default: ``type(layer).from_config(config)``).

    Returns:
        The clone; a Sequential or functional clone of a compiled model is compiled with
        the same configuration (fresh optimizer state), as in Keras 3.
    """
    from .functional import Functional
    from .sequential import Sequential

    clone = clone_function or _default_clone
    if isinstance(model, Sequential):
        layers = [clone(layer) for layer in model.layers]
        new = Sequential(name=model.name)
        if input_tensors is not None:
            new.add(nest.flatten(input_tensors)[0])
        elif model._input_shape is not None:
            # as Keras 3, the clone's input takes the original InputLayer's name (and so does
            # its tensor: an exported clone serves the same input name)
            source = getattr(model, "_input_layer", None)
            name = source.name if source is not None else None
            new.add(InputLayer(batch_input_shape=model._input_shape, name=name))
        for layer in layers:
            new.add(layer)
        return _compiled_like(new, model)
    if isinstance(model, Functional):
        return _compiled_like(_clone_functional(model, input_tensors, clone), model)
    if kwargs:
        raise TypeError(f"clone_model: unexpected argument(s) {sorted(kwargs)}")
    return type(model).from_config(model.get_config())


def _compiled_like(new, model):
    if getattr(model, "compiled", False):
        new.compile_from_config(model.get_compile_config())
    return new


def _clone_functional(model, input_tensors, clone):
    from ..layers import Input
    from .functional import Functional

    if input_tensors is None:
        new_inputs = [
            Input(batch_shape=tuple(t.shape), dtype=t.dtype.name, name=layer.name)
            for t, layer in zip(model._input_tensors, model._input_layers)
        ]
    else:
        new_inputs = nest.flatten(input_tensors)
        if len(new_inputs) != len(model._input_tensors):
            raise ValueError(
                f"clone_model: model '{model.name}' has {len(model._input_tensors)} "
                f"input(s), input_tensors has {len(new_inputs)}"
            )
    values = {id(old): new for old, new in zip(model._input_tensors, new_inputs)}
    clones = {}
    for node in model._nodes:
        layer = clones.setdefault(id(node.layer), clone(node.layer))
        args, kwargs = nest.map_structure(
            lambda v: values[id(v)] if isinstance(v, KerasTensor) else v,
            [list(node.call_args), node.call_kwargs],
        )
        out = layer(*args, **kwargs)
        for symbol, value in zip(nest.flatten(node.outputs), nest.flatten(out)):
            if isinstance(symbol, KerasTensor):
                values[id(symbol)] = value
    inputs = nest.pack_sequence_as(model._nested_inputs, new_inputs)
    outputs = nest.map_structure(lambda t: values[id(t)], model._nested_outputs)
    return Functional(inputs, outputs, name=model.name)


def model_from_json(json_string: str, custom_objects=None):
    """The model described by ``model.to_json()`` (new weights; load them separately).

    Raises:
        ValueError: for text that is not a model's JSON, or an unknown class.
    """
    try:
        spec = json.loads(json_string)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"model_from_json: not valid JSON ({exc})") from None
    if not isinstance(spec, dict) or "class_name" not in spec:
        raise ValueError(
            "model_from_json: expected the output of model.to_json(), a JSON object "
            "with 'class_name' and 'config'"
        )
    if "module" in spec:  # Keras 3's layout, which to_json writes here as in Keras
        from ..saving.errors import FileFormatError
        from ..saving.keras_archive import build_model

        try:
            return build_model(spec, "(JSON text)", custom_objects, op="model_from_json")
        except FileFormatError as exc:
            raise ValueError(f"model_from_json: {exc.problem}") from None
    # the layout gpuflow wrote before (with "keras_version" and "backend" keys)
    keys = ("class_name", "config", "registered_name")
    return deserialize({k: spec[k] for k in keys if k in spec}, custom_objects=custom_objects)
