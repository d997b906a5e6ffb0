"""Weights in Keras 3's HDF5 layout (``model.weights.h5`` in a ``.keras`` archive, ``.weights.h5``).

Keras 3 addresses a layer not by its name but by its class name in snake case, numbered in
model order (``layers/dense``, ``layers/dense_1``, ...), and stores its variables as datasets
``vars/0..n`` in the layer's own order (trainable, then non-trainable). A recurrent layer keeps
them in its cell (``layers/lstm/cell/vars``). The optimizer's are ``optimizer/vars/0..n``:
iterations, learning rate (unless it is a schedule), then its slot variables in the order
Keras' optimizer builds them.

Reading is lazy: each dataset's shape and dtype are checked against the model's variable and
the size limits before a byte of it is read.
"""

from __future__ import annotations

import re

import numpy as np

from .. import dtypes
from .errors import FileFormatError
from .limits import check_array_size

_RNN = ("LSTM", "GRU", "SimpleRNN")
_CONTAINERS = ("Sequential", "Functional", "Model")


def _snake(name: str) -> str:
    """Keras' ``naming.to_snake_case``."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def _unique(name: str, used: dict) -> str:
    if name in used:
        used[name] += 1
        return f"{name}_{used[name]}"
    used[name] = 0
    return name


def _entries(layer, prefix: str, h5=None) -> list:
    """``[(h5 group of a vars list, layer owning it, variables)]`` for one layer, Keras' order.
    ``h5``: the file being read (files of earlier gpuflow versions have other layouts)."""
    kind = type(layer).__name__
    if kind in _CONTAINERS:
        return [(f"{prefix}/vars", layer, [])] + model_entries(layer, f"{prefix}/layers", h5)
    if kind in _RNN and getattr(layer, "cell", None) is not None:
        return [(f"{prefix}/vars", layer, []), (f"{prefix}/cell/vars", layer.cell, layer.weights)]
    cell = getattr(layer, "cell", None)
    legacy = h5 is not None and f"{prefix}/cell" not in h5  # gpuflow before 2026-12-05
    if _is_rnn(layer) and cell is not None and not legacy:
        # keras.layers.RNN(cell) and its subclasses (ConvLSTM2D, a user's) keep the weights
        # in the cell; a list of cells is a StackedRNNCells, its cells under cells/<class>
        return [(f"{prefix}/vars", layer, [])] + _cell_entries(cell, f"{prefix}/cell")
    if kind == "Bidirectional":  # Keras walks attributes in name order: backward first
        return (
            [(f"{prefix}/vars", layer, [])]
            + _entries(layer.backward_layer, f"{prefix}/backward_layer", h5)
            + _entries(layer.forward_layer, f"{prefix}/forward_layer", h5)
        )
    legacy = h5 is not None and f"{prefix}/query_dense" not in h5  # gpuflow before 2026-12-03
    if kind == "MultiHeadAttention" and getattr(layer, "_query_dense", None) and not legacy:
        # Keras keeps the four projections as sub-layers (EinsumDense), its dropout and
        # softmax as empty ones
        heads = [
            (f"{prefix}/{name}/vars", sub, list(sub.weights))
            for name, sub in (
                ("key_dense", layer._key_dense),
                ("output_dense", layer._output_dense),
                ("query_dense", layer._query_dense),
                ("value_dense", layer._value_dense),
            )
        ]
        empty = [(f"{prefix}/{name}/vars", layer, []) for name in ("_dropout_layer", "_softmax")]
        gate = getattr(layer, "_gate_dense", None)  # use_gate: kept under its attribute name
        if gate is not None:
            empty.append((f"{prefix}/_gate_dense/vars", gate, list(gate.weights)))
        return [(f"{prefix}/vars", layer, [])] + empty + heads
    if kind == "TimeDistributed":
        return [(f"{prefix}/vars", layer, [])] + _entries(layer.layer, f"{prefix}/layer", h5)
    saved = getattr(layer, "_keras_file_weights", None)  # LoRA: the merged kernel only
    return [(f"{prefix}/vars", layer, saved() if saved is not None else list(layer.weights))]


def _is_rnn(layer) -> bool:
    return any(
        klass.__name__ == "RNN" and klass.__module__.startswith("gpuflow.")
        for klass in type(layer).__mro__
    )


def _cell_entries(cell, prefix: str) -> list:
    """A recurrent cell's entries: its own variables, a StackedRNNCells' per cell."""
    if type(cell).__name__ != "StackedRNNCells":
        return [(f"{prefix}/vars", cell, list(cell.weights))]
    used: dict = {}
    out = [(f"{prefix}/vars", cell, [])]
    for sub in cell.cells:
        out += _cell_entries(sub, f"{prefix}/cells/{_unique(_snake(type(sub).__name__), used)}")
    return out


def model_entries(model, prefix: str = "layers", h5=None) -> list:
    """:func:`_entries` for every layer of ``model`` (as Keras 3's ``model.layers``)."""
    saved = getattr(model, "_saved_layers", None)
    if saved is not None:  # a layer saved by itself in its own layout (FeatureSpace)
        return [entry for path, layer in saved() for entry in _entries(layer, path, h5)]
    used: dict = {}
    out = []
    for layer in model.layers:
        out += _entries(layer, f"{prefix}/{_unique(_snake(type(layer).__name__), used)}", h5)
    return out


# Keras 3 creates slot variables in blocks; within a block, interleaved per model variable.
def _slot_blocks(optimizer) -> list:
    """The optimizer's per-variable slots in Keras's order (optimizers/keras_variables): the
    EMA averages and gradient accumulators that ``build`` adds first, then its own slots."""
    features = [(name,) for name in optimizer._feature_slot_names()]
    return features + list(optimizer._keras_slot_groups())


def _plain_rate(optimizer) -> bool:
    return optimizer._has_plain_rate()


def _rate_dtype(optimizer) -> np.dtype:
    """The learning-rate variable's dtype (floatx, as Keras 3 writes it): a float64 rate
    written as float32 came back as 0.10000000149 instead of 0.1."""
    rate = getattr(optimizer, "learning_rate", None)
    try:
        return np.asarray(rate.numpy()).dtype
    except AttributeError:
        return np.dtype(np.float32)


def _inner_groups(optimizer, variables) -> list:
    """A MultiOptimizer's ``[(sub-optimizer, its variables)]``, those with variables only
    (Keras builds only those)."""
    return [
        (inner, sub)
        for inner, sub in zip(optimizer.optimizers, optimizer._sub_lists(variables))
        if sub
    ]


def _is_loss_scaling(optimizer) -> bool:
    return type(optimizer).__name__ == "LossScaleOptimizer" and hasattr(
        optimizer, "inner_optimizer"
    )


# A LossScaleOptimizer's list in Keras 3: its own (unused) iterations and learning rate,
# step_counter and dynamic_scale, then the inner optimizer's list.
_LOSS_SCALE_LEAD = 4


def _state_length(optimizer, variables) -> int:
    if _is_loss_scaling(optimizer):
        return _LOSS_SCALE_LEAD + _state_length(optimizer.inner_optimizer, variables)
    if hasattr(optimizer, "_inner_optimizers"):
        return 2 + sum(_state_length(o, sub) for o, sub in _inner_groups(optimizer, variables))
    lead = 2 if _plain_rate(optimizer) else 1
    return lead + len(variables) * sum(len(b) for b in _slot_blocks(optimizer))


def optimizer_arrays(optimizer, variables) -> list:
    """The optimizer's state as Keras 3's ``optimizer/vars`` list (a MultiOptimizer's: its
    iterations and (unused) learning rate, then each sub-optimizer's list; a
    LossScaleOptimizer's: see ``_LOSS_SCALE_LEAD``)."""
    if _is_loss_scaling(optimizer):
        return [
            np.asarray(0, np.int64),
            np.asarray(0.0, np.float32),
            np.asarray(optimizer._good_steps, np.int64),
            np.asarray(optimizer._scale, np.float32),
        ] + optimizer_arrays(optimizer.inner_optimizer, variables)
    if hasattr(optimizer, "_inner_optimizers"):
        out = [np.asarray(int(optimizer._iterations), np.int64), np.asarray(0.0, np.float32)]
        for inner, sub in _inner_groups(optimizer, variables):
            out += optimizer_arrays(inner, sub)
        return out
    state = optimizer.get_state(variables)
    out = [np.asarray(state["iterations"], np.int64)]
    if _plain_rate(optimizer):  # a schedule is config, not a variable, in Keras too
        out.append(np.asarray(state["learning_rate"], _rate_dtype(optimizer)))
    for block in _slot_blocks(optimizer):
        for index, var in enumerate(variables):
            for slot in block:
                key = f"{index}/{slot}"
                out.append(state[key] if key in state else np.zeros(var.shape, np.float32))
    return out


def _multi_state(optimizer, variables, arrays: list, path) -> dict:
    state = {"iterations": np.asarray(int(np.asarray(arrays[0])), np.int64)}
    position = 2
    groups = dict(enumerate(zip(optimizer.optimizers, optimizer._sub_lists(variables))))
    for index, (inner, sub) in groups.items():
        if not sub:
            continue
        count = _state_length(inner, sub)
        inner_state = optimizer_state(inner, sub, arrays[position : position + count], path)
        state.update({f"optimizer{index}:{k}": v for k, v in inner_state.items()})
        position += count
    return state


def _loss_scale_state(optimizer, variables, arrays: list, path) -> dict:
    lead = _LOSS_SCALE_LEAD
    state = optimizer_state(optimizer.inner_optimizer, variables, arrays[lead:], path)
    good_steps, scale = int(np.asarray(arrays[2])), float(np.asarray(arrays[3]))
    if good_steps < 0:
        raise FileFormatError(path, "optimizer/vars/2", f"negative step_counter {good_steps}")
    state["loss_scale"] = np.asarray(scale, np.float64)  # set_state checks it
    state["loss_scale_good_steps"] = np.asarray(good_steps, np.int64)
    return state


def optimizer_state(optimizer, variables, arrays: list, path) -> dict:
    """Keras 3's ``optimizer/vars`` list as gpuflow's ``get_state`` dict."""
    expected = _state_length(optimizer, variables)
    if len(arrays) != expected:
        raise FileFormatError(
            path,
            "optimizer/vars",
            f"{len(arrays)} variables, but {type(optimizer).__name__} over "
            f"{len(variables)} model variables keeps {expected}",
        )
    if _is_loss_scaling(optimizer):
        return _loss_scale_state(optimizer, variables, arrays, path)
    if hasattr(optimizer, "_inner_optimizers"):
        return _multi_state(optimizer, variables, arrays, path)
    blocks = _slot_blocks(optimizer)
    lead = 2 if _plain_rate(optimizer) else 1
    iterations = int(np.asarray(arrays[0]))
    if iterations < 0:
        raise FileFormatError(path, "optimizer/vars/0", f"negative iterations {iterations}")
    state = {"iterations": np.asarray(iterations, np.int64)}
    if lead == 2:
        state["learning_rate"] = np.asarray(arrays[1], np.float64)
    position = lead
    for block in blocks:
        for index, var in enumerate(variables):
            for slot in block:
                array = arrays[position]
                if tuple(array.shape) != tuple(var.shape):
                    raise FileFormatError(
                        path,
                        f"optimizer/vars/{position}",
                        f"shape {array.shape}, expected {tuple(var.shape)} "
                        f"(slot {slot!r} of {var.path!r})",
                    )
                state[f"{index}/{slot}"] = array
                position += 1
    return state


# -- writing -------------------------------------------------------------------------------
def user_defines(obj, method: str) -> bool:
    """Whether ``obj``'s class defines ``method`` in a user's class (a subclass of gpuflow's
    that overrides it), rather than inheriting gpuflow's."""
    for cls in type(obj).__mro__:
        if method in cls.__dict__:
            return not cls.__module__.startswith("gpuflow.")
    return False


def write(h5, model, include_optimizer: bool = True) -> None:
    """Write ``model``'s variables (and optimizer state) into the open ``h5py.File``."""
    h5.create_group("vars").attrs["name"] = model.name
    for group, owner, variables in model_entries(model):
        g = h5.require_group(group)
        g.attrs["name"] = owner.name
        if user_defines(owner, "save_own_variables"):
            # a user's layer stores what it wants, as Keras calls it
            store: dict = {}
            owner.save_own_variables(store)
            for key, array in store.items():
                write_dataset(g, str(key), np.asarray(array))
            continue
        value = getattr(owner, "_keras_file_value", None)
        for i, var in enumerate(variables):
            array = value(var) if value is not None else var.numpy()
            write_dataset(g, str(i), np.asarray(array))
        # Keras' save_own_variables (tf-idf weights); a key with a "/" is a path from the
        # layer's group (a sub-layer's vars: TextVectorization's _lookup_layer)
        own = getattr(owner, "_keras_own_variables", None)
        for key, array in (own() if own is not None else {}).items():
            if "/" in key:
                write_dataset(h5.require_group(group[: -len("/vars")]), key, array)
            else:
                write_dataset(g, key, array)
    optimizer = getattr(model, "optimizer", None)
    if include_optimizer and optimizer is not None and optimizer.iterations > 0:
        g = h5.create_group("optimizer/vars")
        g.attrs["name"] = str(getattr(optimizer, "name", type(optimizer).__name__)).lower()
        for i, array in enumerate(optimizer_arrays(optimizer, model.trainable_variables)):
            write_dataset(g, str(i), array)
        if _is_loss_scaling(optimizer):  # Keras also keeps the inner optimizer's own list
            inner = optimizer.inner_optimizer
            inner_group = h5.create_group("optimizer/inner_optimizer/vars")
            inner_group.attrs["name"] = str(inner.name).lower()
            for i, array in enumerate(optimizer_arrays(inner, model.trainable_variables)):
                write_dataset(inner_group, str(i), array)
        if hasattr(optimizer, "_inner_optimizers"):  # Keras also keeps each one's own list
            used: dict = {}
            for inner, sub in _inner_groups(optimizer, model.trainable_variables):
                name = _unique(_snake(type(inner).__name__), used)
                inner_group = h5.create_group(f"optimizer/optimizers/{name}/vars")
                inner_group.attrs["name"] = str(inner.name).lower()
                for i, array in enumerate(optimizer_arrays(inner, sub)):
                    write_dataset(inner_group, str(i), array)


def write_dataset(group, key: str, array) -> None:
    """One dataset; bfloat16 (an opaque 2-byte type to HDF5) is marked with the attribute
    ``dtype="bfloat16"``, as Keras 3's H5IOStore writes it."""
    ds = group.create_dataset(key, data=array)
    if getattr(array, "dtype", None) == dtypes.bfloat16:
        ds.attrs["dtype"] = "bfloat16"


# -- reading -------------------------------------------------------------------------------
def read_dataset(h5, key: str, path, expected_shape=None, total=None) -> np.ndarray:
    """One dataset of the open file, checked before it is read."""
    import h5py

    node = h5.get(key)
    if not isinstance(node, h5py.Dataset):
        raise FileFormatError(path, key, "missing (or a group where a dataset was expected)")
    dtype = node.dtype
    bfloat16 = (
        dtype.kind == "V"
        and dtype.itemsize == 2
        and node.attrs.get("dtype")
        in (
            "bfloat16",
            b"bfloat16",
        )
    )  # Keras 3's mark of bfloat16 data (see write_dataset)
    if dtype.kind not in "fiub" and not bfloat16:
        raise FileFormatError(path, key, f"dtype {dtype} is not a real number type")
    check_array_size(path, key, node.shape, dtype.itemsize, total)
    if expected_shape is not None and tuple(node.shape) != tuple(expected_shape):
        raise FileFormatError(
            path,
            key,
            f"shape {tuple(node.shape)}, but the model's variable "
            f"has shape {tuple(expected_shape)}",
        )
    try:
        array = np.asarray(node[()])
        return array.view(dtypes.bfloat16._np) if bfloat16 else array
    except (OSError, ValueError, KeyError) as exc:  # damaged chunks
        raise FileFormatError(path, key, f"unreadable ({type(exc).__name__}: {exc})") from None


def stored_bytes(h5, path) -> int:
    """Bytes the file's datasets really hold (declared sizes of compressed data excluded), the
    budget for building the model the file describes."""
    import h5py

    total = [0]

    def visit(key, node):
        if isinstance(node, h5py.Dataset):
            total[0] += min(int(node.id.get_storage_size()), int(node.nbytes))

    try:
        h5.visititems(visit)
    except (OSError, ValueError, RuntimeError) as exc:
        raise FileFormatError(path, "HDF5", f"unreadable structure ({exc})") from None
    return total[0]


def _count(h5, group: str, path) -> int:
    import h5py

    node = h5.get(group)
    if node is None:
        return 0
    if not isinstance(node, h5py.Group):
        raise FileFormatError(path, group, "expected a group of datasets 0..n")
    # "idf_weights": what Keras' StringLookup/TextVectorization save besides their variables
    keys = sorted(k for k in node.keys() if k != "idf_weights")
    if keys != sorted(str(i) for i in range(len(keys))):
        raise FileFormatError(path, group, f"datasets {keys[:8]} are not numbered 0..n")
    return len(keys)


def restore(h5, model, path) -> None:
    """Set ``model``'s variables from the open file; a user's layer that defines
    ``load_own_variables`` gets its group's datasets as a store (after the others are set)."""
    own: list = []
    model.set_weights(read(h5, model, path, own))
    for owner, store in own:
        owner.load_own_variables(store)


def _own_store(h5, group: str, path, total: list) -> dict:
    """Every dataset of ``group`` by name: what a user's ``save_own_variables`` stored."""
    import h5py

    node = h5.get(group)
    if node is None:
        return {}
    if not isinstance(node, h5py.Group):
        raise FileFormatError(path, group, "expected a group of datasets")
    return {key: read_dataset(h5, f"{group}/{key}", path, None, total) for key in node.keys()}


def read(h5, model, path, own: list | None = None) -> list:
    """The model's variable values from the open file, in ``model.weights`` order, checked.
    ``own``: a list that collects ``(layer, store)`` for each user's layer that defines
    ``load_own_variables`` (its variables keep their values here; see :func:`restore`)."""
    total = [0]
    values = {}
    for group, owner, variables in model_entries(model, h5=h5):
        if own is not None and user_defines(owner, "load_own_variables"):
            own.append((owner, _own_store(h5, group, path, total)))
            values.update((id(var), var.numpy()) for var in variables)
            continue
        count = _count(h5, group, path)
        if count != len(variables):
            raise FileFormatError(
                path,
                group,
                f"{count} variables, but layer {owner.name!r} "
                f"({type(owner).__name__}) has {len(variables)}",
            )
        for i, var in enumerate(variables):
            values[id(var)] = read_dataset(h5, f"{group}/{i}", path, var.shape, total)
        unsaved = getattr(owner, "_keras_file_unsaved", None)  # LoRA factors: zeros
        if unsaved is not None:
            values.update(unsaved())
    missing = [v.path for v in model.weights if id(v) not in values]
    if missing:
        raise FileFormatError(path, "layers", f"no values for variables {missing[:5]}")
    return [values[id(v)] for v in model.weights]


def read_optimizer(h5, path) -> list | None:
    """``optimizer/vars`` as a list of arrays, or None where the file has none."""
    count = _count(h5, "optimizer/vars", path)
    if not count:
        return None
    total = [0]
    return [read_dataset(h5, f"optimizer/vars/{i}", path, None, total) for i in range(count)]
