"""``tf.compat.v1`` names that act on a TF 1 graph in graph mode and as TensorFlow 2's
outside it: ``gradients``, ``control_dependencies``, ``group``, ``no_op``, and the
``train`` namespace (TF 2's ``tf.train`` plus the TF 1 optimizers and global step)."""

from __future__ import annotations

import sys
import types

from .v1_graph import CallNode, GraphOperation, graph_mode, has_graph_tensor


def _tf():
    return sys.modules["gpuflow"]


def gradients(ys, xs, grad_ys=None, name="gradients", **kwargs):
    if graph_mode() or has_graph_tensor([ys, xs]):
        from . import v1_run

        return v1_run.gradients(ys, xs, grad_ys, name)
    return _tf().gradients(ys, xs, grad_ys, name, **kwargs)


def control_dependencies(control_inputs):
    if graph_mode():
        from .v1_graph import control_dependencies as graph_dependencies

        return graph_dependencies(control_inputs)
    return _tf().control_dependencies(control_inputs)


def group(*inputs, **kwargs):
    """One op that runs all of ``inputs``."""
    if graph_mode() or has_graph_tensor(list(inputs)):
        flat = []
        for item in inputs:
            flat.extend(item if isinstance(item, (list, tuple)) else [item])
        return GraphOperation(CallNode(lambda run: None, "NoOp", kwargs.get("name"), flat))
    return _tf().group(*inputs, **kwargs)


def no_op(name=None):
    if graph_mode():
        return GraphOperation(CallNode(lambda run: None, "NoOp", name))
    return _tf().no_op(name=name)


def _train_namespace():
    from . import v1_hooks, v1_meta_graph, v1_monitored, v1_saver, v1_summary, v1_train

    train = _tf().train
    names = {n: getattr(train, n) for n in dir(train) if not n.startswith("_")}
    for n in (
        "Optimizer",
        "GradientDescentOptimizer",
        "MomentumOptimizer",
        "AdamOptimizer",
        "AdagradOptimizer",
        "RMSPropOptimizer",
        "get_or_create_global_step",
        "create_global_step",
        "get_global_step",
        "exponential_decay",
        "piecewise_constant",
        "polynomial_decay",
        "natural_exp_decay",
        "inverse_time_decay",
        "cosine_decay",
        "cosine_decay_restarts",
        "linear_cosine_decay",
    ):
        names[n] = getattr(v1_train, n)
    names["piecewise_constant_decay"] = v1_train.piecewise_constant
    names["Saver"] = v1_saver.Saver
    names["Checkpoint"] = v1_saver.Checkpoint
    names["init_from_checkpoint"] = v1_saver.init_from_checkpoint
    for module in (v1_hooks, v1_monitored):
        names.update({n: getattr(module, n) for n in module.__all__})
    names["summary_iterator"] = v1_summary.summary_iterator
    names["export_meta_graph"] = v1_meta_graph.export_meta_graph
    for n in ("checkpoint_exists", "get_checkpoint_mtimes", "remove_checkpoint"):
        names[n] = getattr(v1_saver, n)
    names["SessionCreator"] = v1_monitored.SessionCreator
    names["global_step"] = v1_train.global_step
    names["assert_global_step"] = v1_train.assert_global_step
    names["import_meta_graph"] = v1_meta_graph.import_meta_graph
    return types.SimpleNamespace(**names)


def __getattr__(name: str):
    if name == "train_namespace":
        value = globals()[name] = _train_namespace()
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
