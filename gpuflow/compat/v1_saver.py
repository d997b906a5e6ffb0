"""``tf.compat.v1.train.Saver`` and ``init_from_checkpoint``: name-based checkpoints, one
value per variable under its name (``scoped/c``), as TF 1 writes them; in graph mode and
eagerly (``saver.save(sess=None, ...)``). Files are gpuflow's checkpoint format
(gpuflow/train/storage.py), read back by ``tf.train.load_checkpoint`` too."""

from __future__ import annotations

import os

import numpy as np

from ..errors import NotFoundError
from ..tensor import Variable
from ..train import storage
from ..train.checkpoint import Checkpoint as _Checkpoint
from . import v1_collections as collections
from .v1_graph import computing, graph_mode
from .v1_session_vars import activate
from .v1_variables import GraphVariable


def _key(var) -> str:
    name = var._node.name if isinstance(var, GraphVariable) else var.name
    return name[:-2] if name.endswith(":0") else name


def _value(var) -> np.ndarray:
    return (var._var if isinstance(var, GraphVariable) else var).numpy()


def _assign(var, value) -> None:
    if isinstance(var, GraphVariable):
        var._var.assign(value)
        var._initialized = True
    else:
        var.assign(value)


def _by_key(var_list) -> dict:
    if var_list is None:
        var_list = collections.global_variables() + collections.get_collection(
            collections.GraphKeys.SAVEABLE_OBJECTS
        )
        if not var_list:
            raise ValueError("No variables to save")
    if isinstance(var_list, dict):
        return dict(var_list)
    out = {}
    for var in var_list:
        if not isinstance(var, (GraphVariable, Variable)):
            raise TypeError(f"Saver: var_list must hold variables, received {var!r}")
        key = _key(var)
        if key in out:
            raise ValueError(f"At least two variables have the same name: {key}")
        out[key] = var
    return out


class Saver:
    """Saves and restores variables by name.

    Args:
        var_list: the variables (a list, or a dict ``{checkpoint name: variable}``); the
            graph's global variables by default.
        max_to_keep: how many recent checkpoints the ``checkpoint`` state file lists.
    """

    def __init__(self, var_list=None, reshape=False, sharded=False, max_to_keep=5,
                 keep_checkpoint_every_n_hours=10000.0, name=None, restore_sequentially=False,
                 saver_def=None, builder=None, defer_build=False, allow_empty=False,
                 write_version=2, pad_step_number=False, save_relative_paths=False,
                 filename=None):  # fmt: skip
        self._vars = _by_key(var_list)
        self._max_to_keep = max_to_keep
        self._last: list = []

    @property
    def last_checkpoints(self) -> list:
        return list(self._last)

    def save(self, sess, save_path, global_step=None, latest_filename=None,
             meta_graph_suffix="meta", write_meta_graph=True, write_state=True,
             strip_default_attrs=False, save_debug_info=False):  # fmt: skip
        """Write the variables under ``save_path`` (``save_path-<global_step>``); the path."""
        save_path = os.fspath(save_path)
        activate(sess)  # the values of that session
        if global_step is not None:
            step = global_step
            if not isinstance(step, (int, np.integer)):
                step = int(sess.run(step) if sess is not None else _value(step))
            save_path = f"{save_path}-{int(step)}"
        with computing():
            values = {key: _value(var) for key, var in self._vars.items()}
        directory = os.path.dirname(save_path) or "."
        if not os.path.isdir(directory) and os.path.isdir(os.path.dirname(directory) or "."):
            os.mkdir(directory)  # TensorFlow's save op makes the last folder, not more
        if not os.path.isdir(directory):
            raise ValueError(
                f"Parent directory of {save_path} doesn't exist, can't save."
            )  # fmt: skip
        storage.write_checkpoint(save_path, values, [])
        if save_path in self._last:
            self._last.remove(save_path)
        self._last.append(save_path)
        if self._max_to_keep:
            for old in self._last[: -self._max_to_keep]:
                for suffix in (storage.DATA_SUFFIX, storage.INDEX_SUFFIX, f".{meta_graph_suffix}"):
                    if os.path.exists(old + suffix):
                        os.remove(old + suffix)
            self._last = self._last[-self._max_to_keep :]
        if write_state:
            storage.record_latest(directory, save_path)
        if write_meta_graph and graph_mode():
            from .v1_meta_graph import export_meta_graph

            export_meta_graph(f"{save_path}.{meta_graph_suffix}")
        return save_path

    def restore(self, sess, save_path) -> None:
        """Assign each variable its value saved under ``save_path``."""
        if save_path is None:
            raise ValueError("Can't load save_path when it is None.")
        save_path = os.fspath(save_path)
        activate(sess)  # into that session's variables
        index = storage.read_index(save_path, "Saver.restore")
        missing = [k for k in self._vars if k not in index["values"]]
        if missing:
            raise NotFoundError(
                None,
                "Saver.restore",
                f"Key {missing[0]} not found in checkpoint {save_path!r}: restoring from a "
                "checkpoint with other variable names (rename them with a dict var_list)",
            )
        values = storage.read_values(save_path, index, list(self._vars), "Saver.restore")
        with computing():
            for key, var in self._vars.items():
                _assign(var, values[key])


class Checkpoint(_Checkpoint):
    """``tf.compat.v1.train.Checkpoint``: ``tf.train.Checkpoint`` whose ``save`` and
    ``write`` take the ``session`` of a TF 1 graph (its variables are read as they are)."""

    def save(self, file_prefix, session=None) -> str:
        return super().save(file_prefix)

    def write(self, file_prefix, session=None) -> str:
        return super().write(file_prefix)


def init_from_checkpoint(ckpt_dir_or_file, assignment_map) -> None:
    """Make the mapped variables' initializers take their values from the checkpoint
    (``{"old_scope/": "new_scope/"}``, ``{"/": "new_scope/"}`` or ``{"name": variable}``)."""
    from ..train.reader import _resolve

    prefix = _resolve(os.fspath(ckpt_dir_or_file), "init_from_checkpoint")
    index = storage.read_index(prefix, "init_from_checkpoint")
    saved = list(index["values"])
    variables = {_key(v): v for v in collections.global_variables()}
    pairs = []
    for source, target in dict(assignment_map).items():
        if not isinstance(target, str):
            pairs.append((source, target))
            continue
        if source.endswith("/") or source == "/":
            src = "" if source == "/" else source
            dst = "" if target == "/" else target
            for key in saved:
                if key.startswith(src) and dst + key[len(src) :] in variables:
                    pairs.append((key, variables[dst + key[len(src) :]]))
        elif target in variables:
            pairs.append((source, variables[target]))
        else:
            raise ValueError(f"init_from_checkpoint: no variable {target!r} in the graph")
    missing = [k for k, _ in pairs if k not in index["values"]]
    if missing:
        raise ValueError(f"Tensor {missing[0]} is not found in {prefix} checkpoint")
    values = storage.read_values(prefix, index, [k for k, _ in pairs], "init_from_checkpoint")
    for key, var in pairs:
        if isinstance(var, GraphVariable):
            var._initial = values[key].astype(var.dtype.as_numpy_dtype)
        else:
            var.assign(values[key])


def checkpoint_exists(checkpoint_prefix) -> bool:
    """Whether a checkpoint was written under ``checkpoint_prefix``."""
    prefix = os.fspath(checkpoint_prefix)
    return os.path.exists(prefix + storage.INDEX_SUFFIX)


def get_checkpoint_mtimes(checkpoint_prefixes) -> list:
    """The modification times of the checkpoints that exist among the prefixes."""
    return [
        os.path.getmtime(os.fspath(p) + storage.INDEX_SUFFIX)
        for p in checkpoint_prefixes
        if checkpoint_exists(p)
    ]


def remove_checkpoint(checkpoint_prefix, checkpoint_format_version=None, meta_graph_suffix="meta"):
    """Delete the files of the checkpoint under ``checkpoint_prefix`` (its .meta too)."""
    prefix = os.fspath(checkpoint_prefix)
    for suffix in (storage.DATA_SUFFIX, storage.INDEX_SUFFIX, f".{meta_graph_suffix}"):
        if os.path.exists(prefix + suffix):
            os.remove(prefix + suffix)
