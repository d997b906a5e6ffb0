"""A Keras layer (or model) called on TF 1 graph tensors (``tf.keras.layers.Dense(10)(x)``
with ``x`` a ``tf.compat.v1.placeholder``): built at once on the inputs' static shapes, its
weights become graph variables (in ``global_variables()``, run by
``global_variables_initializer``, trained by the TF 1 optimizers, saved by ``Saver``), and
the call is one node that runs the layer on the fed values in ``Session.run``."""

from __future__ import annotations

from ..layers.v1_hook import GRAPH_CALL
from . import v1_collections as collections
from .v1_graph import computing, substitute
from .v1_record import record
from .v1_variables import GraphVariable


def adopt(weight, variable: GraphVariable) -> None:
    """Make ``variable`` (a graph variable read back from a meta graph) stand for
    ``weight``, the matching weight of a layer made again from its config."""
    variable._var = weight
    collections.state().layer_variables[id(weight)] = variable


def _graph_variable(weight) -> GraphVariable:
    """The graph variable standing for ``weight`` (a gpuflow Variable) in the current
    graph: made on first use, with ``weight``'s value now as its initial value."""
    adopted = collections.state().layer_variables
    found = adopted.get(id(weight))
    if found is not None and found._var is weight:
        return found
    with computing():
        initial = weight.read_value()
    name = getattr(weight, "path", None) or weight.name
    found = GraphVariable(
        initial, bool(weight.trainable), name.split(":")[0], weight.dtype, variable=weight
    )
    adopted[id(weight)] = found
    collections.state().variables.setdefault(found._node.name, found)
    return found


def _build(layer, inputs, args, kwargs) -> None:
    """Build ``layer`` by calling it once on the inputs' first probes (their unknown sizes
    set to 2): the weights are made from the known sizes, as Keras builds them."""

    def lookup(t):
        return t._probes[0]

    (x, a), kw = substitute(((inputs, args), kwargs), lookup)
    with computing():
        layer(x, *a, **kw)


def layer_call(layer, inputs, args, kwargs):
    """``layer(inputs, *args, **kwargs)`` in a TF 1 graph: a node (reading the layer's
    weights as graph variables, so that gradients and the uninitialized-variable check see
    them) whose outputs have the static shapes the layer gives."""
    if not layer.built:
        _build(layer, inputs, args, kwargs)
    weights = [_graph_variable(w) for w in layer.weights]

    def call(inputs, args, kwargs, weights):
        return layer(inputs, *args, **kwargs)

    out = record(call, (inputs, tuple(args), dict(kwargs), weights), {}, "layer", layer.name)
    first = out
    while isinstance(first, (list, tuple, dict)):
        first = next(iter(first.values() if isinstance(first, dict) else first))
    first._node.keras_layer = layer  # export_meta_graph writes the layer's config
    return out


def install_layer_hook() -> None:
    GRAPH_CALL[0] = layer_call
