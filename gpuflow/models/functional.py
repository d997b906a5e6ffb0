"""Functional models: ``keras.Model(inputs, outputs)`` over the graph of layer calls.

``keras.Input`` gives symbolic tensors; each layer called on them recorded a Node
(gpuflow/layers/node.py). The model keeps the nodes between its inputs and outputs, in
creation order (a node is always created after the nodes it reads), and replays them on
concrete inputs. Layers shared between branches or models appear once; models are layers,
so they nest.
"""

from __future__ import annotations

import warnings

from .. import nest
from ..layers import InputLayer
from ..layers._masks import get_mask, set_mask
from ..layers._tracking_order import unique_objects
from ..layers.keras_tensor import KerasTensor
from ..layers.naming import unique_name
from ..layers.op_lambda import TFOpLambda
from ..ops.math import cast
from ..ragged.ragged_tensor import RaggedTensor
from ..sparse.ops import to_dense as sparse_to_dense
from ..sparse.sparse_tensor import SparseTensor
from ..tensor import Tensor
from . import functional_config
from .input_rank import adjust_rank, adjusted_sample_shape
from .model import Model


def _describe(value) -> str:
    if isinstance(value, Tensor):
        return f"a concrete Tensor of shape {tuple(value.shape)}"
    shape = getattr(value, "shape", None)
    return f"{type(value).__name__}" + (f" of shape {tuple(shape)}" if shape is not None else "")


def _check_symbolic(structure, what: str) -> list:
    flat = nest.flatten(structure)
    if not flat:
        raise ValueError(f"Model: {what} is empty")
    for value in flat:
        if not isinstance(value, KerasTensor):
            hint = (
                " Did you call a layer on a NumPy array or Tensor instead of a keras.Input? "
                "Layers called on concrete data compute values at once and record no graph."
                if isinstance(value, Tensor) or hasattr(value, "__array__")
                else ""
            )
            raise ValueError(
                f"Model: all `{what}` values must be KerasTensors (from keras.Input "
                f"or layer outputs), received {_describe(value)}.{hint}"
            )
        if value._keras_history is None:
            raise ValueError(f"Model: {what} {value!r} was not produced by a layer")
    return flat


def _graph(inputs: list, outputs: list) -> list:
    """The nodes needed to compute ``outputs`` from ``inputs``, in creation order."""
    known = {id(t) for t in inputs}
    nodes, seen, done = [], set(), []
    stack = list(outputs)
    while stack:
        tensor = stack.pop()
        if id(tensor) in known:
            continue
        node = tensor.node
        if isinstance(node.layer, InputLayer):
            raise ValueError(
                f"Graph disconnected: cannot obtain value for tensor {tensor!r} at layer "
                f"'{node.layer.name}': it is not among the model's inputs. The following previous "
                f"layers were accessed without issue: {done}"
            )
        if id(node) in seen:
            continue
        seen.add(id(node))
        nodes.append(node)
        done.append(node.layer.name)
        stack.extend(node.input_tensors)
    return sorted(nodes, key=lambda n: n.order)


def _keras_layer_order(outputs: list, nodes: list, input_layers: dict) -> list:
    """The layers of ``nodes`` in Keras 3's ``model.layers`` order: by decreasing depth (the
    longest path to an output), ties in the order a depth-first walk from the outputs meets
    them; the input layers (``input_layers``: ``{id(input tensor): layer}``) take their
    places among them (``a``, its Dense, then ``b``). Keras' ``.weights.h5`` files key
    layers by their place in that order."""
    members = {id(n) for n in nodes}
    walk, indices, done = [], {}, set()
    sources = {}  # id(input layer) -> the layer, as the walk meets them

    def visit(node):  # post-order depth-first search, inputs first, as Keras' _build_map
        if id(node) in done:
            return
        done.add(id(node))
        indices.setdefault(id(node.layer), len(indices))
        for tensor in node.input_tensors:
            parent = tensor.node
            if id(parent) in members:
                visit(parent)
            elif id(tensor) in input_layers:
                layer = input_layers[id(tensor)]
                indices.setdefault(id(layer), len(indices))
                sources[id(layer)] = layer
        walk.append(node)

    for tensor in outputs:
        if id(tensor.node) in members:
            visit(tensor.node)
        elif id(tensor) in input_layers:  # an input that is also an output
            layer = input_layers[id(tensor)]
            indices.setdefault(id(layer), len(indices))
            sources[id(layer)] = layer
    node_depth, layer_depth = {}, {}
    for node in reversed(walk):
        depth = max(node_depth.setdefault(id(node), 0), layer_depth.get(id(node.layer), 0))
        layer_depth[id(node.layer)] = node_depth[id(node)] = depth
        for tensor in node.input_tensors:
            parent = tensor.node
            if id(parent) in members:
                node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
            elif id(tensor) in input_layers:
                key = id(input_layers[id(tensor)])
                layer_depth[key] = max(depth + 1, layer_depth.get(key, 0))
    for key in sources:
        layer_depth.setdefault(key, 0)
    layers = {**{id(n.layer): n.layer for n in walk}, **sources}
    order = sorted(layers, key=lambda key: (-layer_depth[key], indices[key]))
    return [layers[key] for key in order]


class Functional(Model):
    """A model defined by its symbolic inputs and outputs (``keras.Model(inputs, outputs)``).

    Args:
        inputs: a KerasTensor from ``keras.Input``, or a list or dict of them.
        outputs: a KerasTensor computed from the inputs by layers, or a list or dict of them.
        name: the model's name.

    Attributes:
        inputs, outputs: the symbolic inputs and outputs, as flat lists.
        input_names, output_names: the names of the input layers and of the layers whose
            calls produce the outputs (Keras' ``output_names``: keys for per-output losses,
            metrics and History).
    """

    _allow_non_tensor_positional_args = True  # as Keras' Functional

    def __init__(self, inputs, outputs, name=None, trainable: bool = True, **kwargs) -> None:
        flat_in = _check_symbolic(inputs, "inputs")
        flat_out = _check_symbolic(outputs, "outputs")
        if len({id(t) for t in flat_in}) != len(flat_in):
            raise ValueError("Model: the same input tensor is listed twice in `inputs`")
        super().__init__(name=name, trainable=trainable, **kwargs)
        self._nested_inputs = inputs
        self._nested_outputs = outputs
        self._input_tensors = flat_in
        self._output_tensors = flat_out
        self._nodes = _graph(flat_in, flat_out)
        self._input_layers = [self._input_layer_for(t) for t in flat_in]
        # Keras 3 orders the input layers by depth with the rest (a, its Dense, then b)
        by_tensor = {id(t): layer for t, layer in zip(flat_in, self._input_layers)}
        order = _keras_layer_order(flat_out, self._nodes, by_tensor)
        self._graph_layers = unique_objects(order + self._input_layers)
        names = [layer.name for layer in self._graph_layers]
        for name in names:
            if names.count(name) > 1:
                raise ValueError(
                    f'The name "{name}" is used {names.count(name)} times in the '
                    "model. All layer names should be unique."
                )
        self.output_names = [t._keras_history[0].name for t in flat_out]
        self.built = True
        shape = tuple(flat_in[0].shape) if len(flat_in) == 1 else [tuple(t.shape) for t in flat_in]
        self._build_input_shape = shape

    def build(self, input_shape=None) -> None:
        """Nothing to do: a functional model is built from its inputs when made (Keras'
        ``build`` leaves it as it is, whatever it is given: a shape, or a batch of data as
        the video classification tutorial's ``model.build(frames)``)."""

    def _input_layer_for(self, tensor: KerasTensor):
        layer = tensor._keras_history[0]
        if isinstance(layer, InputLayer):
            return layer
        # An intermediate tensor used as an input (e.g. a sub-model of a larger one): it gets
        # an InputLayer of its own, as in Keras, so the model's config names its inputs.
        return InputLayer(
            batch_input_shape=tuple(tensor.shape),
            dtype=tensor.dtype.name,
            name=unique_name(f"{layer.name}_input"),
        )

    # -- structure ------------------------------------------------------------------------
    @property
    def inputs(self) -> list:
        return list(self._input_tensors)

    @property
    def outputs(self) -> list:
        return list(self._output_tensors)

    @property
    def input(self):
        return self._nested_inputs

    @property
    def output(self):
        return self._nested_outputs

    @property
    def input_names(self) -> list:
        return [layer.name for layer in self._input_layers]

    @property
    def input_shape(self):
        shapes = [tuple(t.shape) for t in self._input_tensors]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def output_shape(self):
        return nest.map_structure(lambda t: tuple(t.shape), _unpack_singleton(self._nested_outputs))

    @property
    def operations(self) -> list:
        """Every layer of the graph, input layers and wrapped ops (``x * 2``,
        ``tf.concat``: TFOpLambda) included, in Keras 3's order."""
        return list(self._graph_layers)

    @property
    def layers(self) -> list:
        """The graph's layers, input layers included, without the wrapped ops (as Keras 3,
        whose ``x * 2`` makes an operation, not a layer)."""
        return [layer for layer in self._graph_layers if not isinstance(layer, TFOpLambda)]

    def layer_output_shape(self, layer):
        for node in self._nodes:
            if node.layer is layer:
                return nest.map_structure(lambda t: tuple(t.shape), node.outputs)
        if isinstance(layer, InputLayer):
            return tuple(layer.shape)
        return None

    def node_inputs(self, layer) -> list:
        """``"name[node][tensor]"`` for each input of ``layer``'s calls in this graph (summary)."""
        labels = []
        for node in self._nodes:
            if node.layer is layer:
                for tensor in node.input_tensors:
                    source = (
                        self._input_layers[self._input_position(tensor)]
                        if self._input_position(tensor) is not None
                        else tensor._keras_history[0]
                    )
                    _, node_index, tensor_index = tensor._keras_history
                    labels.append(f"{source.name}[{node_index}][{tensor_index}]")
        return labels

    def _input_position(self, tensor):
        for i, t in enumerate(self._input_tensors):
            if t is tensor:
                return i
        return None

    # -- running ------------------------------------------------------------------------------
    def _cast_inputs(self, inputs):
        return inputs  # each input is cast to its own Input's dtype in call()

    def _flatten_inputs(self, inputs) -> list:
        expected = self._input_tensors
        if isinstance(inputs, Tensor) and len(expected) == 1:
            return [inputs]
        if isinstance(inputs, dict):
            names = (
                sorted(self._nested_inputs)
                if isinstance(self._nested_inputs, dict)
                else self.input_names
            )
            missing = [k for k in names if k not in inputs]
            if missing:
                raise ValueError(
                    f"Model '{self.name}': missing input(s) {missing}; the model "
                    f"expects keys {names}, received keys {list(inputs)}"
                )
            unknown = [k for k in inputs if k not in names]
            if unknown:  # Keras 3 warns and leaves them out (a dataset's label column)
                warnings.warn(
                    f"Model '{self.name}': the structure of `inputs` doesn't match the "
                    f"expected structure: input key(s) {unknown} match no input of the "
                    f"model and are ignored; expected keys {names}",
                    stacklevel=3,
                )
            if isinstance(self._nested_inputs, dict):
                return nest.flatten({k: inputs[k] for k in names})
            return [inputs[k] for k in names]
        flat = nest.flatten(inputs)
        if len(flat) != len(expected):
            raise ValueError(
                f"Layer '{self.name}' expects {len(expected)} input(s), but it "
                f"received {len(flat)} input tensors. Inputs received: "
                + ", ".join(_describe(x) for x in flat)
            )
        return flat

    def call(self, inputs, training=None, mask=None):
        flat = self._flatten_inputs(inputs)
        values = {}
        for i, (tensor, value) in enumerate(zip(self._input_tensors, flat)):
            if isinstance(value, RaggedTensor):  # an Input(ragged=True): rows as they are
                values[id(tensor)] = (
                    value
                    if value.dtype == tensor.dtype
                    else value.with_flat_values(cast(value.flat_values, tensor.dtype))
                )
                continue
            if isinstance(value, SparseTensor):
                if tensor.sparse:  # an Input(sparse=True): kept sparse, values in its dtype
                    _check_input_shape(self, i, tensor, value)
                    if value.dtype != tensor.dtype:
                        value = value.with_values(cast(value.values, tensor.dtype))
                    values[id(tensor)] = value
                    continue
                value = sparse_to_dense(value)  # a dense Input densifies it, as Keras
            if not isinstance(value, Tensor):
                from ..ops._common import as_tensor

                value = as_tensor(value)
            value = adjust_rank(tuple(tensor.shape), value)
            _check_input_shape(self, i, tensor, value)
            if value.dtype != tensor.dtype:
                value = cast(value, tensor.dtype)
            values[id(tensor)] = value
        for node in self._nodes:
            args = node.call_args
            if len(args) == 1 and not node.call_kwargs and isinstance(args[0], KerasTensor):
                out = node.layer(values[id(args[0])])  # the common case, without nest's walk
            else:
                args, kwargs = nest.map_structure(
                    lambda v: values[id(v)] if isinstance(v, KerasTensor) else v,
                    [list(args), node.call_kwargs],
                )
                if training is not None and "training" in kwargs:
                    # As Keras 3: the model's own training flag wins over one recorded
                    # when the graph was built (``base_model(x, training=False)`` runs in
                    # training mode under fit once base_model is trainable again).
                    kwargs["training"] = training
                if node.layer._strips_input_masks:
                    out = _call_keeping_masks(node.layer, args, kwargs)
                else:
                    out = node.layer(*args, **kwargs)
            if isinstance(node.outputs, KerasTensor):
                values[id(node.outputs)] = out
                continue
            for symbol, value in zip(nest.flatten(node.outputs), nest.flatten(out)):
                if isinstance(symbol, KerasTensor):
                    values[id(symbol)] = value
        outputs = _unpack_singleton(self._nested_outputs)
        if isinstance(outputs, KerasTensor):
            return values[id(outputs)]
        return nest.map_structure(lambda t: values[id(t)], outputs)

    def compute_output_shape(self, input_shape):
        return self.output_shape

    def _build_for(self, sample_shape, op: str, dtype=None) -> None:
        if len(self._input_tensors) == 1:
            want = tuple(self._input_tensors[0].shape[1:])
            got = adjusted_sample_shape(want, tuple(sample_shape))
            if len(want) != len(got) or any(w is not None and w != g for w, g in zip(want, got)):
                raise ValueError(
                    f"{op}: model {self.name!r} expects samples of shape {want}, "
                    f"received data with samples of shape {got}"
                )
        self._data_shape = tuple(sample_shape)

    # -- config --------------------------------------------------------------------------------
    def get_config(self) -> dict:
        return functional_config.get_config(self)

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        inputs, outputs, name = functional_config.rebuild(config, custom_objects)
        return cls(inputs, outputs, name=name, trainable=config.get("trainable", True))


# `Model(inputs, outputs)` dispatches to Functional (as Keras): registered here, not imported
# by model.py, since this module imports model.py (gpuflow/models/__init__.py imports this).
Model._functional_class = Functional


def _unpack_singleton(outputs):
    """As Keras 3: a model built with ``outputs=[y]`` returns ``y``'s value, not a list."""
    if isinstance(outputs, (list, tuple)) and len(outputs) == 1:
        return outputs[0]
    return outputs


def _check_input_shape(model, index: int, tensor: KerasTensor, value: Tensor) -> None:
    # As Keras' Functional input_spec: the batch size is never checked, even for an
    # Input(batch_shape=(5, 3)) (or a Sequential built from a first batch of 10).
    want, got = tuple(tensor.shape), tuple(value.shape)
    if want:
        want = (None,) + want[1:]
    if len(want) != len(got) or any(w is not None and w != g for w, g in zip(want, got)):
        raise ValueError(
            f"Input {index} of layer '{model.name}' is incompatible with the layer: "
            f"expected shape={want}, found shape={got}"
        )


def _call_keeping_masks(layer, args: list, kwargs: dict):
    """``layer(*args, **kwargs)`` for a layer that takes the Keras masks off the tensors it is
    given (MultiHeadAttention, as Keras 3): in a functional model's run the graph's tensors
    keep their masks for the layers after it, as in Keras 3 (an ``Add([x, attention])`` of a
    padded sequence stays masked)."""
    tensors = [t for t in nest.flatten([args, kwargs]) if isinstance(t, Tensor)]
    masks = [(t, get_mask(t)) for t in tensors]
    out = layer(*args, **kwargs)
    for tensor, mask in masks:
        if mask is not None and get_mask(tensor) is None:
            set_mask(tensor, mask)
    return out
