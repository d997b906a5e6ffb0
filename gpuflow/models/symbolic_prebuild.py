"""Keras 3's build of a subclassed model without a ``build()`` method: before its first real
call, ``call`` runs once on symbolic tensors of the inputs' shapes, so the sub-layers it
holds (and those their ``build`` creates) are built from the shapes the graph declares.

That matters where a layer's symbolic shape is not what it returns at inference: a
``RandomCrop`` passes images through unchanged at inference but declares its crop size, so
Keras builds the layers after it (keras.io's ShiftViT, whose blocks keep ``H, W`` from
``build``) for the cropped size that training then feeds them.
"""

from __future__ import annotations

from .. import nest
from ..autodiff import no_grad
from ..layers._context import discarding_losses, path_scope
from ..layers.keras_tensor import KerasTensor
from ..tensor import Tensor


def _unbuilt_sublayers(model) -> bool:
    return any(not layer.built for layer in model._flatten_layers(include_self=False))


def prebuild_symbolically(model, inputs, training) -> None:
    """Run ``model.call`` on KerasTensors shaped as ``inputs`` when it holds unbuilt layers;
    a call that cannot run symbolically leaves the building to the real call, as in Keras.
    The graph nodes this records on the sub-layers are dropped again."""
    if not _unbuilt_sublayers(model):
        return
    flat = nest.flatten(inputs)
    if not flat or not all(isinstance(t, Tensor) and t.dtype != "string" for t in flat):
        return
    symbolic = nest.pack_sequence_as(
        inputs, [KerasTensor(tuple(t.shape), t.dtype.name) for t in flat]
    )
    kwargs = {"training": training} if model._call_takes_training and training is not None else {}
    before = {id(layer): len(layer._inbound_nodes) for layer in model._flatten_layers()}
    try:
        with no_grad(), discarding_losses(), path_scope(model):
            model.call(symbolic, **kwargs)
    except Exception as error:  # noqa: BLE001 - as Keras: the eager call builds what is left
        if getattr(error, "checkpoint_mismatch", False):  # a restore into a variable it made
            raise
    finally:
        _drop_nodes_from(model, before, nest.flatten(symbolic))


def _drop_nodes_from(model, before: dict, sources: list) -> None:
    """Remove the nodes recorded since ``before`` that descend from ``sources`` (a
    Sequential built on the way keeps the graph of its own Input)."""
    new = []
    for layer in model._flatten_layers():
        new.extend((layer, node) for node in layer._inbound_nodes[before.get(id(layer), 0) :])
    tainted = {id(t) for t in sources}
    for layer, node in sorted(new, key=lambda pair: pair[1].order):
        if any(id(t) in tainted for t in node.input_tensors):
            tainted.update(id(t) for t in node.output_tensors)
            layer._inbound_nodes.remove(node)
