"""A TF 1 graph written beside its checkpoints and read back: ``graph.pbtxt`` (the GraphDef
in text form, as MonitoredTrainingSession writes it), and the meta graph of
``tf.compat.v1.train.export_meta_graph`` / ``import_meta_graph`` (``Saver.save`` writes
``<prefix>.meta``).

gpuflow's graph nodes are Python calls, not TensorFlow kernels, so a meta graph is the
graph's *recorded ops*: each placeholder, each variable (its initial value), and each op
node whose function is one of gpuflow's public ops (or a Python operator), with its
constant arguments and references to the nodes it reads, in the order they were built;
and the collections. ``import_meta_graph`` builds them again (each op recorded anew, so
shapes and dtypes come back) into the default graph. A node that runs other Python code
(an optimizer's update, an assign, a py_function) cannot be written
so: it is left out, with the nodes built on it, and the file says which (``skipped``).
The file is JSON (arrays as base64 ``.npy``), not a TensorFlow MetaGraphDef protobuf."""

from __future__ import annotations

import base64
import importlib
import io
import json
import os

import numpy as np

FORMAT = "gpuflow.v1_meta_graph/1"


def write_graph_text(path: str) -> str:
    from ..io.write_graph import write_graph
    from .v1_collections import default_graph

    return write_graph(default_graph(), os.path.dirname(path), os.path.basename(path), True)


# -- values ---------------------------------------------------------------------------------
class _Unwritable(Exception):
    pass


def _array(value: np.ndarray) -> str:
    buffer = io.BytesIO()
    np.save(buffer, value, allow_pickle=value.dtype == object)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _read_array(text: str) -> np.ndarray:
    return np.load(io.BytesIO(base64.b64decode(text)), allow_pickle=True)


def _encode(value, names: dict):
    """``value`` (an op's argument) as JSON; GraphTensors as references to written nodes."""
    from .. import dtypes
    from ..tensor import Tensor
    from ..tensor_shape import TensorShape
    from .v1_graph import GraphTensor

    if isinstance(value, GraphTensor):
        if value._node not in names:
            raise _Unwritable(value._node.name)
        return {"ref": names[value._node], "path": list(value._path)}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Tensor):
        from .v1_graph import computing

        with computing():
            return {"tensor": _array(value.numpy() if value.ndim else np.asarray(value.numpy()))}
    if isinstance(value, (np.ndarray, np.generic)):
        return {"array": _array(np.asarray(value))}
    if isinstance(value, bytes):
        return {"bytes": base64.b64encode(value).decode("ascii")}
    if isinstance(value, dtypes.DType):
        return {"dtype": value.name}
    if isinstance(value, TensorShape):
        return {"shape": None if value.rank is None else list(value.as_list())}
    if isinstance(value, slice):
        return {"slice": [_encode(v, names) for v in (value.start, value.stop, value.step)]}
    if value is Ellipsis:
        return {"ellipsis": True}
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return {"tuple": [_encode(v, names) for v in value]}
    if isinstance(value, list):
        return [_encode(v, names) for v in value]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {"dict": {k: _encode(v, names) for k, v in value.items()}}
    raise _Unwritable(type(value).__name__)


def _decode(value, tensors: dict):
    from .. import dtypes
    from ..ops.creation import constant
    from ..tensor_shape import TensorShape

    if isinstance(value, list):
        return [_decode(v, tensors) for v in value]
    if not isinstance(value, dict):
        return value
    if "ref" in value:
        out = tensors[value["ref"]]
        for i in value["path"]:
            out = out[i]
        return out
    if "tensor" in value:
        from .v1_graph import computing

        with computing():
            return constant(_read_array(value["tensor"]))
    if "array" in value:
        return _read_array(value["array"])
    if "bytes" in value:
        return base64.b64decode(value["bytes"])
    if "dtype" in value:
        return dtypes.as_dtype(value["dtype"])
    if "shape" in value:
        return TensorShape(value["shape"])
    if "slice" in value:
        return slice(*(_decode(v, tensors) for v in value["slice"]))
    if "ellipsis" in value:
        return Ellipsis
    if "tuple" in value:
        return tuple(_decode(v, tensors) for v in value["tuple"])
    return {k: _decode(v, tensors) for k, v in value["dict"].items()}


# -- functions ------------------------------------------------------------------------------
def _operators() -> dict:
    from ..ops.operators import _METHODS

    return {id(fn): name for name, fn in _METHODS.items() if callable(fn)}


def _function_name(fn, operators: dict) -> str:
    """``"module:name"`` for one of gpuflow's public functions, ``"operator:__add__"`` for
    a Python operator; _Unwritable for anything else (closures, methods, lambdas)."""
    if id(fn) in operators:
        return f"operator:{operators[id(fn)]}"
    module, name = getattr(fn, "__module__", None), getattr(fn, "__qualname__", "")
    if not module or not module.startswith("gpuflow") or "<" in name or "." in name:
        raise _Unwritable(repr(fn))
    found = getattr(importlib.import_module(module), name, None)
    if found is not fn and getattr(found, "__wrapped__", None) is not fn:
        raise _Unwritable(repr(fn))
    return f"{module}:{name}"


def _function(text: str):
    module, name = text.split(":")
    if module == "operator":
        from ..ops.operators import _METHODS

        return _METHODS[name]
    return getattr(importlib.import_module(module), name)


# -- export ---------------------------------------------------------------------------------
def _graph_nodes() -> list:
    """Every node of the current graph, inputs before the nodes reading them."""
    from .v1_collections import state
    from .v1_graph import GraphOperation, GraphTensor
    from .v1_run import _order

    nodes = {
        item._node
        for item in state().by_name.values()
        if isinstance(item, (GraphTensor, GraphOperation))
    }
    return _order(sorted(nodes, key=lambda n: n.id), set())


def export_meta_graph(filename=None, meta_info_def=None, graph_def=None, saver_def=None,
                      collection_list=None, as_text=False, graph=None, export_scope=None,
                      clear_devices=False, clear_extraneous_savers=False,
                      strip_default_attrs=False, save_debug_info=False, **kwargs):  # fmt: skip
    """The current graph's recorded ops as a dict (see the module's docstring), written to
    ``filename`` when given."""
    from . import v1_collections as collections
    from .v1_graph import GraphOperation, GraphTensor, OpNode, PlaceholderNode, computing
    from .v1_random import SeededRandomNode
    from .v1_run import evaluate_now
    from .v1_variables import VariableNode

    operators = _operators()
    names: dict = {}
    written, skipped = [], []
    nodes = _graph_nodes()
    remade = {  # a variable's initializer: made again with the variable
        n.variable._initializer_op._node for n in nodes if isinstance(n, VariableNode)
    }
    for node in nodes:
        if node in remade:
            continue
        try:
            if isinstance(node, PlaceholderNode):
                entry = {
                    "kind": "placeholder",
                    "dtype": node.dtype.name,
                    "shape": None if node.shape.rank is None else node.shape.as_list(),
                    "default": _encode(node.default, names),
                }
            elif isinstance(node, VariableNode):
                var = node.variable
                initial = var._initial
                with computing():
                    value = evaluate_now(initial) if isinstance(initial, GraphTensor) else initial
                    value = np.asarray(value.numpy() if hasattr(value, "numpy") else value)
                entry = {
                    "kind": "variable",
                    "dtype": var.dtype.name,
                    "trainable": var.trainable,
                    "initial": _array(value.astype(var.dtype.as_numpy_dtype)),
                }
            elif getattr(node, "keras_layer", None) is not None:
                layer = node.keras_layer
                inputs, args, kwargs, weights = node.args
                entry = {
                    "kind": "layer",
                    "config": json.loads(json.dumps(_tf().keras.layers.serialize(layer))),
                    "args": _encode((inputs, args, kwargs), names),
                    "weights": [names[w._node] for w in weights],
                }
            elif isinstance(node, OpNode) and type(node) in (OpNode, SeededRandomNode):
                kwargs = {k: v for k, v in node.kwargs.items() if k != "name"}
                entry = {
                    "kind": "op",
                    "type": node.type,
                    "fn": _function_name(node.fn, operators),
                    "args": _encode(tuple(node.args), names),
                    "kwargs": _encode(kwargs, names),
                    "control": [names[c] for c in node.control],
                    "seed": getattr(node, "graph_seed", None),
                    "seeded": isinstance(node, SeededRandomNode),
                }
            else:
                raise _Unwritable(node.type)
        except (_Unwritable, KeyError):
            skipped.append(node.name)
            continue
        entry["name"] = node.name
        names[node] = node.name
        written.append(entry)
    kept = {}
    for key, items in collections.state().collections.items():
        refs = []
        for item in items:
            if isinstance(item, (GraphTensor, GraphOperation)) and item._node in names:
                refs.append({"node": item._node.name, "path": list(getattr(item, "_path", ()))})
        if refs:
            kept[key] = refs
    meta = {"format": FORMAT, "nodes": written, "collections": kept, "skipped": skipped}
    if filename is not None:
        with open(os.fspath(filename), "w", encoding="utf-8") as out:
            json.dump(meta, out)
    return meta


# -- import ---------------------------------------------------------------------------------
def _read(meta_graph_or_file) -> dict:
    if isinstance(meta_graph_or_file, dict):
        return meta_graph_or_file
    path = os.fspath(meta_graph_or_file)
    from ..errors import NotFoundError

    if not os.path.exists(path):
        raise NotFoundError(None, None, f"{path}; No such file or directory")
    with open(path, encoding="utf-8") as source:
        try:
            meta = json.load(source)
        except ValueError:
            meta = None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ValueError(
            f"import_meta_graph: {path} is not a meta graph gpuflow wrote (a TensorFlow "
            "MetaGraphDef protobuf holds TensorFlow kernels, which gpuflow does not run)"
        )
    return meta


def import_meta_graph(meta_graph_or_file, clear_devices=False, import_scope=None, **kwargs):
    """Build the graph written by ``export_meta_graph`` (or ``Saver.save``'s ``.meta``
    file) into the default graph; a Saver over its variables (None when it has none)."""
    from . import v1_collections as collections
    from .v1_graph import GraphOperation, OpNode, graph_mode
    from .v1_random import SeededRandomNode
    from .v1_record import make_placeholder, record
    from .v1_scopes import _stacks
    from .v1_variables import GraphVariable

    if not graph_mode():
        raise RuntimeError(
            "Exporting/importing meta graphs is not supported when eager execution is enabled."
        )
    meta = _read(meta_graph_or_file)
    tensors: dict = {}
    saved = list(_stacks.names)
    _stacks.names.clear()  # the written names are full names
    try:
        for entry in meta["nodes"]:
            kind, name = entry["kind"], entry["name"]
            if kind == "placeholder":
                default = _decode(entry["default"], tensors)
                out = make_placeholder(entry["dtype"], entry["shape"], name, default)
            elif kind == "variable":
                out = GraphVariable(
                    _read_array(entry["initial"]), entry["trainable"], name, entry["dtype"], []
                )
                collections.state().variables.setdefault(name, out)
            elif kind == "layer":
                out = _layer_call(entry, tensors)
            else:
                args = _decode(entry["args"], tensors)
                kwargs = _decode(entry["kwargs"], tensors)
                node_type = SeededRandomNode if entry["seeded"] else OpNode
                from .v1_graph import control_dependencies

                with control_dependencies([tensors[c] for c in entry["control"]]):
                    out = record(
                        _function(entry["fn"]), args, kwargs, entry["type"], name, node_type
                    )
                if entry["seeded"]:
                    _first(out)._node.graph_seed = entry["seed"]
            tensors[name] = out
    finally:
        _stacks.names[:] = saved
    for key, refs in meta["collections"].items():
        for ref in refs:
            item = tensors[ref["node"]]
            for i in ref["path"]:
                item = item[i]
            if isinstance(item, GraphOperation) or hasattr(item, "_node"):
                collections.add_to_collection(key, item)
    if not collections.global_variables():
        return None
    import sys

    return sys.modules["gpuflow"].compat.v1.train.Saver()  # (v1_saver imports this module)


def _tf():
    import sys

    return sys.modules["gpuflow"]


def _layer_call(entry, tensors):
    """A Keras layer's call, the layer made again from its config, its weights the graph
    variables read back before it."""
    from .v1_graph import computing
    from .v1_layers import adopt, layer_call

    with computing():  # its weights plain variables, as a layer built on a placeholder
        layer = _tf().keras.layers.deserialize(entry["config"])
    inputs, args, kwargs = _decode(entry["args"], tensors)
    if not layer.built:
        from .v1_layers import _build

        _build(layer, inputs, args, kwargs)
    if len(layer.weights) != len(entry["weights"]):
        raise ValueError(
            f"import_meta_graph: layer {layer.name} has {len(layer.weights)} weights, the "
            f"meta graph {len(entry['weights'])}"
        )
    for weight, name in zip(layer.weights, entry["weights"]):
        adopt(weight, tensors[name])
    return layer_call(layer, inputs, args, kwargs)


def _first(out):
    while isinstance(out, (list, tuple)):
        out = out[0]
    return out
