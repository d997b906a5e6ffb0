"""The object graph a checkpoint saves: which objects it tracks, their children and values.

As in TensorFlow, a checkpoint is a graph of objects (the ``Checkpoint``, models, layers,
optimizers, ``tf.Module``s, lists and dicts of them) whose leaves are values (Variables, an
optimizer's ``iterations``). Every object gets a node, found breadth-first from the root;
each value is stored under the key of the first path that reaches it
(``model/layer-0/kernel/.ATTRIBUTES/VARIABLE_VALUE``). Restoring walks the saved graph and
the live objects side by side, matching children by name, so a value is found through any
path that leads to it.

Optimizer slots hang off their variable, as TensorFlow's ``.OPTIMIZER_SLOT`` keys do.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from ..tensor import Variable

VALUE_SUFFIX = ".ATTRIBUTES/VARIABLE_VALUE"
# Model attributes that are compile state, not part of the model's own graph. The compiled
# optimizer is not among them: as in Keras 3, ``Checkpoint(model=model)`` saves it too
# (``model/optimizer/...``), so a resumed run keeps its step count and slots.
_MODEL_SKIP = frozenset({"loss", "compiled_loss", "compiled_metrics", "history", "last_gradients"})


class Value:
    """A saved value that is not a Variable (an optimizer's step count, a float rate, a
    dataset iterator's position).

    ``shape``: ``()`` for a scalar (``set`` receives a Python number), or None for an
    array of any shape (``set`` receives the NumPy array; it checks the contents itself).
    """

    def __init__(self, get, set_, dtype, shape: tuple | None = ()) -> None:
        self.get, self.set, self.dtype = get, set_, np.dtype(dtype)
        self.shape = shape

    def read(self) -> np.ndarray:
        return np.asarray(self.get(), dtype=self.dtype)


def escape(name) -> str:
    """A child's name as one path component (TensorFlow's escaping of ``.`` and ``/``)."""
    return str(name).replace(".", "..").replace("/", ".S")


def is_trackable(value) -> bool:
    """Whether a checkpoint can track ``value`` (directly or as a container of trackables)."""
    if isinstance(value, (Variable, Value)) or _kind(value) is not None:
        return True
    if isinstance(value, (list, tuple)):
        return any(is_trackable(v) for v in value)
    if isinstance(value, dict):
        return any(is_trackable(v) for v in value.values())
    return False


def _kind(obj) -> "str | None":
    from ..layers.base import Layer
    from ..module import Module
    from ..optimizers.base import Optimizer

    if isinstance(obj, Layer):
        return "layer"
    if isinstance(obj, Optimizer):
        return "optimizer"
    if isinstance(obj, Module) or hasattr(obj, "_checkpoint_children"):
        return "module"
    return None


def children(obj) -> list:
    """``[(name, child)]`` of ``obj`` in a fixed order; values and Variables have none."""
    if isinstance(obj, (Variable, Value)):
        return []
    if isinstance(obj, (list, tuple)):
        return [(str(i), v) for i, v in enumerate(obj) if is_trackable(v)]
    if isinstance(obj, dict):
        return [(str(k), v) for k, v in obj.items() if is_trackable(v)]
    if hasattr(obj, "_checkpoint_children"):
        return list(obj._checkpoint_children())
    kind = _kind(obj)
    if kind == "optimizer":
        return _optimizer_children(obj)
    if kind == "layer":
        return _layer_children(obj)
    if kind == "module":
        return [(k, v) for k, v in sorted(vars(obj).items()) if is_trackable(v)]
    return []


def _optimizer_children(opt) -> list:
    inner = getattr(opt, "inner_optimizer", None)
    if inner is not None:  # a LossScaleOptimizer: its step and rate are the inner one's
        return [("inner_optimizer", inner)] + _loss_scale_children(opt)

    def set_iterations(v):
        opt.iterations = int(v)

    out = [("iterations", Value(lambda: opt.iterations, set_iterations, np.int64))]
    if opt._has_plain_rate():

        def set_rate(v):
            opt.learning_rate = float(v)

        out.append(("learning_rate", Value(opt._current_rate, set_rate, np.float64)))
    return out


def _loss_scale_children(opt) -> list:
    """The dynamic loss scale and its counter (TensorFlow's ``loss_scale`` and
    ``good_steps``), so that a resumed mixed-precision run scales as the saved one did."""
    if not hasattr(opt, "_scale"):
        return []

    def set_scale(v):
        opt._scale = float(v)

    def set_steps(v):
        opt._good_steps = int(v)

    return [
        ("loss_scale", Value(lambda: opt._scale, set_scale, np.float64)),
        ("good_steps", Value(lambda: opt._good_steps, set_steps, np.int64)),
    ]


def _layer_children(layer) -> list:
    from ..layers.base import _INTERNAL

    out, names = [], set()
    for var in layer.__dict__.get("_own_weights", []):
        short = (var._name or "weight").rsplit("/", 1)[-1]
        name, n = short, 1
        while name in names:
            name, n = f"{short}_{n}", n + 1
        names.add(name)
        out.append((name, var))
    skip = _INTERNAL | getattr(layer, "_untracked_attributes", frozenset()) | _MODEL_SKIP
    for key, value in layer.__dict__.items():
        # gpuflow's own bookkeeping lives in "_" attributes; a user's private sub-layer or
        # Variable is still tracked.
        private_container = (
            key.startswith("_") and not isinstance(value, Variable) and _kind(value) is None
        )
        if key in skip or key in names or private_container or value is layer:
            continue
        if is_trackable(value):
            out.append((key, value))
    compiled_optimizer = layer.__dict__.get("optimizer")
    if _kind(compiled_optimizer) == "optimizer" and ("optimizer", compiled_optimizer) not in out:
        out.append(("optimizer", compiled_optimizer))
    layers = getattr(type(layer), "layers", None)
    if isinstance(layers, property):  # wrapped ops too: their positions name the layers
        subs = getattr(layer, "operations", None) or layer.layers
        out += [(f"layer-{i}", sub) for i, sub in enumerate(subs)]
    return out


class Graph:
    """The nodes reachable from ``root``: ``nodes[i] = (object, {child name: node id})``.

    ``keys[i]`` is the storage key of a value node (``None`` for other nodes); ``slots``
    lists ``(optimizer node, variable node, slot name, key)`` for every optimizer slot of a
    tracked variable.
    """

    def __init__(self, root) -> None:
        self.objects: list = []
        self.edges: list[dict] = []
        self.paths: list[str] = []
        self.keys: list = []
        self.slots: list = []
        ids: dict[int, int] = {}
        queue = deque([(root, "")])
        ids[id(root)] = 0
        self._add(root, "")
        while queue:
            obj, path = queue.popleft()
            node = ids[id(obj)]
            for name, child in children(obj):
                child_id = ids.get(id(child))
                if child_id is None:
                    child_path = f"{path}/{escape(name)}" if path else escape(name)
                    child_id = ids[id(child)] = self._add(child, child_path)
                    queue.append((child, child_path))
                self.edges[node][name] = child_id
        for node, obj in enumerate(self.objects):
            if _kind(obj) == "optimizer":
                self._add_slots(node, obj, ids)

    def _add(self, obj, path) -> int:
        self.objects.append(obj)
        self.edges.append({})
        self.paths.append(path)
        is_value = isinstance(obj, (Variable, Value))
        self.keys.append(f"{path}/{VALUE_SUFFIX}" if is_value else None)
        return len(self.objects) - 1

    def _add_slots(self, node, opt, ids) -> None:
        for var_id, slots in getattr(opt, "_slots", {}).items():
            var = opt._owners.get(var_id)
            var_node = ids.get(id(var)) if var is not None else None
            if var_node is None:
                continue
            for slot in slots:
                key = (
                    f"{self.paths[var_node]}/.OPTIMIZER_SLOT/{self.paths[node]}/"
                    f"{escape(slot)}/{VALUE_SUFFIX}"
                )
                self.slots.append((node, var_node, slot, key))

    def values(self) -> dict:
        """``{key: NumPy array}`` of every value and slot, for saving."""
        out = {}
        for obj, key in zip(self.objects, self.keys):
            if key is not None:
                out[key] = obj.read() if isinstance(obj, Value) else obj.numpy()
        for opt_node, var_node, slot, key in self.slots:
            opt, var = self.objects[opt_node], self.objects[var_node]
            array = opt._slots[id(var)][slot]
            out[key] = np.array(var._device.to_host(array), copy=True)
        return out

    def serialize(self) -> list:
        """The graph as JSON-able nodes (children by name, the value key, the slots)."""
        nodes = [{"children": dict(edges)} for edges in self.edges]
        for node, key in enumerate(self.keys):
            if key is not None:
                nodes[node]["key"] = key
        for opt_node, var_node, slot, key in self.slots:
            nodes[opt_node].setdefault("slots", []).append(
                {"variable": var_node, "name": slot, "key": key}
            )
        return nodes
