"""``tf.train.Checkpoint``: save and restore the values of a graph of objects.

Restoring validates every value first (shape and dtype against its object) and assigns
only when all fit, so a failed restore leaves every object as it was. Optimizer slots
that do not exist yet (the optimizer has not taken a step) are created at restore time
with the saved values, so the next step continues exactly where the saved run stopped.

Layers that are not built at restore time (a subclassed model not called yet) get their
values when they build, as TensorFlow's deferred restoration of its own trackables does
(Keras 3 layers on TensorFlow 2.21 miss out); until then
``status.assert_consumed()`` names the values still waiting.
"""

from __future__ import annotations

import contextlib
import os
import warnings
import weakref
from pathlib import Path

import numpy as np

from .. import dtypes
from .._tracing import paused, tracing
from ..errors import InvalidArgumentError, NotFoundError
from ..tensor import Variable
from ..variable_creator import eager_variables
from . import data_structures, storage
from .graph import Graph, Value, is_trackable


class Checkpoint:
    """Groups trackable objects to save and restore together (``tf.train.Checkpoint``).

    Args:
        root: an optional root object whose children become the checkpoint's own.
        **kwargs: the objects to track, by name: Variables, layers and models, optimizers,
            ``tf.Module``s, and lists or dicts of them.

    Example:
        >>> ckpt = gpuflow.train.Checkpoint(model=model, optimizer=optimizer)
        >>> path = ckpt.save("/tmp/training/ckpt")      # "/tmp/training/ckpt-1"
        >>> ckpt.restore(path).assert_consumed()
    """

    def __init__(self, root=None, **kwargs) -> None:
        object.__setattr__(self, "_objects", {})
        object.__setattr__(self, "_root", root)
        object.__setattr__(self, "_save_counter", None)
        if root is not None and not is_trackable(root):
            raise TypeError(
                f"Checkpoint: root must be a trackable object, received {type(root).__name__}"
            )
        for name, value in kwargs.items():
            if not is_trackable(_tracked(value)) and not isinstance(value, (list, dict)):
                raise ValueError(
                    f"`Checkpoint` was expecting {name} to be a trackable object (a "
                    f"Variable, layer, model, optimizer, tf.Module, or a list/dict of them), "
                    f"got {value!r}"
                )
            setattr(self, name, value)

    def __setattr__(self, name, value) -> None:
        if name.startswith("_"):
            object.__setattr__(self, name, value)
            return
        tracked = _tracked(value)
        if not is_trackable(tracked) and not isinstance(value, (list, dict)):
            object.__setattr__(self, name, value)  # kept, not saved (as TensorFlow)
            self._objects.pop(name, None)
            return
        if tracked is not value:  # a TF 1 graph variable: the attribute stays the variable
            self._objects[name] = tracked
            object.__setattr__(self, name, value)
            return
        value = data_structures.wrap(value, self)  # a list or dict: what is added later counts
        self._objects[name] = value
        object.__setattr__(self, name, value)
        data_structures.notify(self)  # restored before this attribute existed

    def _checkpoint_children(self):
        out = []
        if self._root is not None:
            from .graph import children

            out += children(self._root)
        out += list(self._objects.items())
        if self._save_counter is not None:
            out.append(("save_counter", self._save_counter))
        return out

    @property
    def save_counter(self) -> Variable:
        """An int64 Variable: the number of ``save()`` calls (restored with the rest)."""
        if self._save_counter is None:
            counter = Variable(np.int64(0), trainable=False, name="save_counter", device="cpu")
            object.__setattr__(self, "_save_counter", counter)
        return self._save_counter

    # -- saving -------------------------------------------------------------------------------
    def write(self, file_prefix, options=None) -> str:
        """Write the values to exactly ``file_prefix`` (no number added, no state file); the
        save counter only once ``save()`` (or reading ``save_counter``) made it, as TF."""
        prefix = os.fspath(file_prefix)
        with _outside_graph_block():
            graph = Graph(self)
            storage.write_checkpoint(prefix, graph.values(), graph.serialize())
        return prefix

    def save(self, file_prefix, options=None) -> str:
        """Write ``{file_prefix}-{N}`` (N: the save count) and record it as the latest.

        The ``checkpoint`` state file beside it lists it as ``model_checkpoint_path``, so
        ``tf.train.latest_checkpoint(directory)`` finds it.

        Returns:
            the path prefix written, e.g. ``"./ckpt-1"``.
        """
        prefix = os.fspath(file_prefix)
        with _outside_graph_block():
            counter = self.save_counter
            counter.assign(int(counter.numpy()) + 1)
            path = self.write(f"{prefix}-{int(counter.numpy())}", options)
        storage.record_latest(Path(path).parent, path)
        return path

    # -- restoring ----------------------------------------------------------------------------
    def read(self, save_path, options=None) -> "LoadStatus":
        """Restore from exactly ``save_path`` (a prefix ``write`` or ``save`` returned)."""
        return _restore(self, os.fspath(save_path), "Checkpoint.read")

    def restore(self, save_path, options=None) -> "LoadStatus":
        """Restore the values saved at ``save_path``; ``None`` restores nothing.

        ``save_path`` may also be a directory: its latest checkpoint is restored.

        Returns:
            a :class:`LoadStatus` with ``assert_consumed()``, ``expect_partial()`` and
            ``assert_existing_objects_matched()``.

        Raises:
            NotFoundError: no checkpoint at ``save_path``.
            InvalidArgumentError: a value whose shape or dtype differs from its object's
                (nothing is restored then).
        """
        if save_path is None:
            return LoadStatus(None, Graph(self), {}, set())
        path = os.fspath(save_path)
        if os.path.isdir(path):
            from .manager import latest_checkpoint

            latest = latest_checkpoint(path)
            if latest is None:
                raise NotFoundError(
                    None,
                    "Checkpoint.restore",
                    f"Checkpoint.restore: no checkpoint in directory {path!r}",
                )
            path = latest
        return _restore(self, path, "Checkpoint.restore")


def _tracked(value):
    """What a checkpoint tracks for ``value``: a TF 1 graph variable (tf.compat.v1) gives
    its ``_checkpoint_value()``, a list or dict of them a list or dict of those; anything
    else is itself."""
    convert = getattr(type(value), "_checkpoint_value", None)
    if convert is not None:
        return convert(value)
    if isinstance(value, list) and any(_tracked(v) is not v for v in value):
        return [_tracked(v) for v in value]
    if isinstance(value, dict) and any(_tracked(v) is not v for v in value.values()):
        return {k: _tracked(v) for k, v in value.items()}
    return value


@contextlib.contextmanager
def _outside_graph_block():
    """Checkpoint I/O runs eagerly in TF 1 graph mode (a ``with tf.Graph().as_default():``
    block, or after disable_eager_execution: TF 1 code saving its graph's variables beside
    a session), its save counter an eager Variable; a gpuflow.function trace stays on."""
    from ..graph.graph_view import default_graph

    graph = default_graph()
    in_block = graph is not None and not graph.building_function
    if not (in_block or tracing.eager_disabled):
        yield
        return
    with paused(), eager_variables():
        yield


def _restore(ckpt: Checkpoint, prefix: str, op: str) -> "LoadStatus":
    with _outside_graph_block():
        return _restore_now(ckpt, prefix, op)


def _restore_now(ckpt: Checkpoint, prefix: str, op: str) -> "LoadStatus":
    index = storage.read_index(prefix, op)
    saved = index["graph"]
    ckpt.save_counter  # noqa: B018  (restored too)
    graph = Graph(ckpt)
    if not saved:  # a name-based checkpoint (tf.compat.v1.train.Saver): variables by name
        return _restore_by_name(graph, prefix, index, op)
    matched = _match(graph, saved)
    optimizers = {
        s: graph.objects[n] for s, n in matched.items() if hasattr(graph.objects[n], "_slot_names")
    }
    targets = _targets(graph, saved, matched, optimizers)
    _load(prefix, index, targets, op)
    status = LoadStatus(prefix, graph, index["values"], set(targets), set(matched.values()))
    _defer(graph, saved, matched, optimizers, prefix, index, status)
    return status


def _restore_by_name(graph: Graph, prefix: str, index: dict, op: str) -> "LoadStatus":
    """Each variable of the checkpoint's objects takes the value saved under its name
    (``scoped/c`` for ``scoped/c:0``), as TensorFlow restores TF 1 checkpoints."""
    by_key: dict = {}
    for obj in graph.objects:
        if isinstance(obj, Variable):
            key = obj.name[:-2] if obj.name.endswith(":0") else obj.name
            if key in index["values"]:
                by_key.setdefault(key, []).append(obj)
    values = storage.read_values(prefix, index, sorted(by_key), op)
    for key, objs in by_key.items():  # two variables of one name both take its value
        for obj in objs:
            _check(key, ("value", obj), values[key], index["values"][key], op)
            _assign(("value", obj), values[key])
    return LoadStatus(prefix, graph, index["values"], set(by_key), set())


def _match(graph: Graph, saved: list, saved_root: int = 0) -> dict:
    """``{saved node id: live node id}``, walking both graphs from their roots by names."""
    matched = {saved_root: 0}
    queue = [saved_root]
    while queue:
        saved_node = queue.pop(0)
        live_edges = graph.edges[matched[saved_node]]
        for name, saved_child in saved[saved_node]["children"].items():
            if saved_child in matched or name not in live_edges:
                continue
            matched[saved_child] = live_edges[name]
            queue.append(saved_child)
    return matched


def _targets(graph: Graph, saved: list, matched: dict, optimizers: dict) -> dict:
    """``{key: ("value", object) | ("slot", optimizer, variable, slot name)}`` to restore."""
    targets = {}
    for saved_node, live_node in matched.items():
        key = saved[saved_node].get("key")
        obj = graph.objects[live_node]
        if key is not None and isinstance(obj, (Variable, Value)):
            targets[key] = ("value", obj)
    for opt_node, opt in optimizers.items():
        for slot in saved[opt_node].get("slots", []):
            var_node = matched.get(slot["variable"])
            var = graph.objects[var_node] if var_node is not None else None
            if isinstance(var, Variable) and slot["name"] in opt._slot_names():
                targets[slot["key"]] = ("slot", opt, var, slot["name"])
    return targets


def _load(prefix, index, targets, op) -> None:
    """Read, validate every value, then assign them all (nothing is half-restored)."""
    values = storage.read_values(prefix, index, sorted(targets), op)
    for key, target in targets.items():
        _check(key, target, values[key], index["values"][key], op)
    for key, target in targets.items():
        _assign(target, values[key])


def _defer(graph, saved, matched, optimizers, prefix, index, status) -> None:
    """Layers not built yet get their values (and slots) when they build (TensorFlow does so
    for its own trackables; Keras 3 layers on TensorFlow 2.21 are not restored later), and
    tf.Modules missing saved children get them when those attributes are set."""
    from ..layers.base import Layer
    from ..module import Module

    for saved_node, live_node in matched.items():
        layer = graph.objects[live_node]
        if isinstance(layer, (Module, Checkpoint, *data_structures.WRAPPERS)):
            if any(c not in matched for c in saved[saved_node]["children"].values()):
                layer.__dict__[data_structures.PENDING] = _pending_module(
                    saved, saved_node, optimizers, prefix, index, status
                )
            continue
        if not isinstance(layer, Layer) or layer.built:
            continue
        waiting = [
            c
            for c in saved[saved_node]["children"].values()
            if c not in matched and "key" in saved[c]
        ]
        if waiting:
            layer.__dict__["_pending_restore"] = _pending(
                saved, saved_node, optimizers, prefix, index, status
            )


def _pending(saved, saved_node, optimizers, prefix, index, status):
    def restore_after_build(layer) -> None:
        layer.__dict__.pop("_pending_restore", None)
        sub = Graph(layer)
        targets = _targets(sub, saved, _match(sub, saved, saved_node), optimizers)
        _load(prefix, index, targets, "Checkpoint.restore (deferred until build)")
        status._consume(targets)

    return restore_after_build


def _pending_module(saved, saved_node, optimizers, prefix, index, status):
    def restore_new_attributes(module) -> None:
        module.__dict__.pop(data_structures.PENDING, None)
        sub = Graph(module)
        matched = _match(sub, saved, saved_node)
        targets = _targets(sub, saved, matched, optimizers)
        targets = {k: t for k, t in targets.items() if k not in status._used}
        if targets:
            _load(prefix, index, targets, "Checkpoint.restore (deferred until the value exists)")
            status._consume(targets)
        _defer(sub, saved, matched, optimizers, prefix, index, status)  # what still waits

    return restore_new_attributes


def _expected(target):
    if target[0] == "value":
        obj = target[1]
        shape = None if obj.shape is None else tuple(obj.shape)  # None: any shape
        return shape, np.dtype(obj.dtype), getattr(obj, "name", None)
    _, opt, var, slot = target
    from ..optimizers.base import _state_dtype

    return tuple(var.shape), np.dtype(_state_dtype(var)), f"{var.path} (slot {slot!r})"


def _check(key, target, value, entry, op) -> None:
    shape, dtype, name = _expected(target)
    name = name or key.split("/.ATTRIBUTES/")[0]  # an unnamed Variable: its checkpoint path
    if shape is not None and tuple(value.shape) != shape:
        raise _mismatch(
            op,
            f"{op}: variable {name!r} has shape {shape} but the checkpoint value "
            f"{key!r} has shape {tuple(value.shape)}; nothing was restored",
        )
    if value.dtype != dtype and not (dtypes.kind(value.dtype) == dtypes.kind(dtype) == "f"):
        raise _mismatch(
            op,
            f"{op}: variable {name!r} has dtype {dtype} but the checkpoint value "
            f"{key!r} has dtype {value.dtype.name}; nothing was restored",
        )


def _mismatch(op: str, message: str) -> InvalidArgumentError:
    """A checkpoint value that does not fit its variable. Marked, so that a model's symbolic
    pre-build (which gives up quietly on errors, as Keras') still raises it: the variable it
    made would otherwise keep its initial values with no word said."""
    error = InvalidArgumentError(None, op, message)
    error.checkpoint_mismatch = True
    return error


def _assign(target, value) -> None:
    if target[0] == "value":
        obj = target[1]
        if isinstance(obj, Value):
            obj.set(value.item() if obj.shape == () else value)
        else:
            obj.assign(value.astype(obj.dtype, copy=False))
        return
    _, opt, var, slot = target
    slots = opt._slots_of(var)  # created now if the optimizer has not stepped yet
    slots[slot] = var._device.asarray(value.astype(slots[slot].dtype, copy=False))


class LoadStatus:
    """What a restore matched (``tf.train.Checkpoint.restore``'s return value).

    In gpuflow (eager only) the values are assigned by ``restore`` itself;
    ``run_restore_ops`` and ``initialize_or_restore`` have nothing left to do, as in
    TensorFlow's eager mode.
    """

    def __init__(
        self, prefix, graph: Graph, saved_values: dict, used: set, matched_nodes=frozenset()
    ) -> None:
        self._prefix = prefix
        self._unused = sorted(set(saved_values) - used)
        self._unmatched = [
            key
            for node, key in enumerate(graph.keys)
            if key is not None and node not in matched_nodes and not key.startswith("save_counter/")
        ]
        self._used = used
        self._objects = list(graph.objects)
        self._flags = {"partial": False}
        if prefix is not None and self._unused:
            weakref.finalize(self, _warn_unused, self._flags, prefix, self._unused)

    def assert_consumed(self) -> "LoadStatus":
        """Raise unless every saved value was restored and every object got a value.

        Raises:
            AssertionError: naming the leftover checkpoint keys or unmatched objects.
        """
        if self._prefix is None:
            raise AssertionError("assert_consumed: nothing was restored (restore(None))")
        if self._unused:
            raise AssertionError(
                f"Unresolved values in checkpoint {self._prefix!r}: {self._unused}; the objects "
                "they belong to do not exist (build models before restoring) or are not tracked "
                "by this Checkpoint"
            )
        self.assert_existing_objects_matched()
        return self

    def assert_existing_objects_matched(self) -> "LoadStatus":
        """Raise unless every value of the live objects was found in the checkpoint."""
        if self._unmatched:
            raise AssertionError(
                f"Objects without a value in checkpoint {self._prefix!r}: {self._unmatched}"
            )
        return self

    def assert_nontrivial_match(self) -> "LoadStatus":
        """Raise unless something besides the save counter was restored."""
        if not [k for k in self._used if not k.startswith("save_counter/")]:
            raise AssertionError(
                f"Nothing except the root object matched checkpoint {self._prefix!r}"
            )
        return self

    def _consume(self, keys) -> None:
        """Values assigned later (deferred until their layer was built)."""
        self._used |= set(keys)
        self._unused[:] = [k for k in self._unused if k not in self._used]

    def expect_partial(self) -> "LoadStatus":
        """Silence the warning about checkpoint values that were not used."""
        self._flags["partial"] = True
        return self

    def run_restore_ops(self, session=None) -> None:
        """Eager restores assign immediately (as TensorFlow eager); the TF 1 graph variables
        restored take their checkpoint values again here (after an initializer that may
        have run since the restore, as TensorFlow's restore ops run now), into the
        values of ``session`` (a TF 1 session's own)."""
        use_variables = getattr(session, "_use_variables", None)
        if use_variables is not None:
            use_variables()
        for obj in self._objects:
            if getattr(obj, "restored", None) is not None:
                obj.set(obj.restored)

    def initialize_or_restore(self, session=None) -> None:
        """``run_restore_ops``, and the TF 1 graph variables the checkpoint had no value for
        run their initializers (eager objects have nothing left to do)."""
        self.run_restore_ops(session)
        for obj in self._objects:
            if getattr(obj, "initialize", None) is not None and obj.restored is None:
                obj.initialize()


def _warn_unused(flags, prefix, unused) -> None:
    if not flags["partial"] and unused:  # deferred restores may have used them since
        warnings.warn(
            f"gpuflow: values in checkpoint {prefix!r} were not restored (no matching "
            f"object): {unused[:10]}{' ...' if len(unused) > 10 else ''}; call "
            "status.expect_partial() when this is intended",
            stacklevel=2,
        )
