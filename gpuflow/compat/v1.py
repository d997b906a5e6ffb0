"""``tf.compat.v1``. TF 1 graph mode (``disable_eager_execution`` or a
``tf.Graph().as_default()`` block: placeholders, variables with initializers, variable
scopes, collections, ``Session.run`` with ``feed_dict``, the TF 1 optimizers and Saver) is
built in the v1_* modules beside this one (v1_graph.py says how). The session set-up that
TF 2 scripts keep (``ConfigProto``, ``GPUOptions``, ``Session(config=...)``) works as in
TF 2 (v1_session.py). TF 1 names of TF 2 functions are in v1_aliases.py, the TF 1
signatures that differ in v1_ops.py / v1_ops_more.py / v1_nn.py; other names are TF 2's of
the same name (``tf.compat.v1.nn.relu`` is ``tf.nn.relu``). Keras layers called on
placeholders: v1_layers.py; MonitoredSession and its hooks: v1_monitored.py, v1_hooks.py;
summaries and FileWriter: v1_summary.py; meta graphs (a graph's recorded ops written and
built again) and TF 1 SavedModels: v1_meta_graph.py, v1_saved_model.py."""

from __future__ import annotations

import importlib
import logging as _logging
import sys
import types

from ..graph.graph_view import Graph, default_graph
from .v1_graph import install_name_scope_hook
from .v1_layers import install_layer_hook
from .v1_random import install_random_hook
from .v1_record import install_constant_hook
from .v1_saved_model import install_loader_hook
from .v1_variables import install_variable_hook

# In a TF 1 graph (disable_eager_execution, or a tf.Graph().as_default() block),
# tf.random.normal(...) is a node drawn on each run and tf.Variable(...) a graph variable
install_random_hook()
install_variable_hook()
install_layer_hook()  # a Keras layer called on a placeholder records one node
install_loader_hook()  # tf.saved_model.load reads a TF 1 graph's SavedModel
install_name_scope_hook()  # tf.name_scope names a TF 1 graph's ops
install_constant_hook()  # tf.constant(...) is a graph constant there


def _verbosity_logger() -> _logging.Logger:
    from ..logger import get_logger

    return get_logger()


def _set_verbosity(level) -> None:
    """``tf.compat.v1.logging.set_verbosity``: the level of gpuflow's logger."""
    _verbosity_logger().setLevel(level)


def _get_verbosity() -> int:
    return _verbosity_logger().getEffectiveLevel()


def _log(level):
    def log(msg, *args, **kwargs):
        _verbosity_logger().log(level, msg, *args, **kwargs)

    return log


_call_counts: dict = {}  # (file, line) of a log_every_n / log_first_n call -> calls so far


def _count_call() -> int:
    """How many times the caller's caller (a line of the user's code) called before."""
    frame = sys._getframe(2)
    key = (frame.f_code.co_filename, frame.f_lineno)
    count = _call_counts.get(key, 0)
    _call_counts[key] = count + 1
    return count


def _log_every_n(level, msg, n, *args) -> None:
    """Log on the 1st, (n+1)th, (2n+1)th... call from one line."""
    if _count_call() % max(int(n), 1) == 0:
        _verbosity_logger().log(level, msg, *args)


def _log_first_n(level, msg, n, *args) -> None:
    """Log on the first ``n`` calls from one line."""
    if _count_call() < n:
        _verbosity_logger().log(level, msg, *args)


def _log_if(level, msg, condition, *args) -> None:
    if condition:
        _verbosity_logger().log(level, msg, *args)


logging = types.SimpleNamespace(
    DEBUG=_logging.DEBUG,
    INFO=_logging.INFO,
    WARN=_logging.WARN,
    ERROR=_logging.ERROR,
    FATAL=_logging.FATAL,
    set_verbosity=_set_verbosity,
    get_verbosity=_get_verbosity,
    debug=_log(_logging.DEBUG),
    info=_log(_logging.INFO),
    warn=_log(_logging.WARN),
    warning=_log(_logging.WARN),
    error=_log(_logging.ERROR),
    fatal=_log(_logging.FATAL),
    log=lambda level, msg, *a, **k: _verbosity_logger().log(level, msg, *a, **k),
    vlog=lambda level, msg, *a, **k: _verbosity_logger().log(level, msg, *a, **k),
    log_every_n=_log_every_n,
    log_first_n=_log_first_n,
    log_if=_log_if,
    TaskLevelStatusMessage=_log(_logging.ERROR),
)


def enable_eager_execution(config=None, device_policy=None, execution_mode=None) -> None:
    """Eager execution is on unless ``disable_eager_execution`` turned it off."""
    from .._tracing import tracing

    tracing.eager_disabled = False


def enable_v2_behavior() -> None:
    enable_eager_execution()


def executing_eagerly() -> bool:
    from .v1_graph import graph_mode

    return not graph_mode()


def disable_eager_execution() -> None:
    """TF 1 graph mode from here on: placeholders, variables that an initializer sets, ops
    that ``Session.run`` computes with a ``feed_dict`` (v1_graph.py)."""
    from .._tracing import tracing
    from .v1_variables import install_variable_hook

    tracing.eager_disabled = True
    install_variable_hook()


def disable_v2_behavior() -> None:
    disable_eager_execution()


def disable_tensor_equality() -> None:
    """``==`` compares tensors by identity and variables are hashable, as in TF 1."""
    from ..tensor import TENSOR_EQUALITY

    TENSOR_EQUALITY[0] = False


def enable_tensor_equality() -> None:
    """``==`` compares tensors elementwise (TF 2's behaviour, the default)."""
    from ..tensor import TENSOR_EQUALITY

    TENSOR_EQUALITY[0] = True


def placeholder(dtype, shape=None, name=None):
    """A TF 1 graph input, fed in ``Session.run(..., feed_dict={placeholder: value})``;
    graph mode only, as TensorFlow 2 (eager execution has nothing to feed)."""
    from .v1_graph import graph_mode
    from .v1_variables import install_variable_hook

    if not graph_mode():
        raise RuntimeError("tf.placeholder() is not compatible with eager execution.")
    install_variable_hook()  # tf.Variable(...) in this graph makes a graph variable too
    return _placeholder(dtype, shape, name, None)


def placeholder_with_default(input, shape, name=None):
    """``input`` unless a value is fed in its place."""
    from ..ops.creation import convert_to_tensor
    from .v1_graph import graph_mode

    if not graph_mode():
        return sys.modules["gpuflow"].ensure_shape(convert_to_tensor(input), shape)
    default = input if hasattr(input, "_node") else convert_to_tensor(input)
    return _placeholder(default.dtype, shape, name, default)


def _placeholder(dtype, shape, name, default):
    from .v1_record import make_placeholder

    return make_placeholder(dtype, shape, name, default)


def reset_default_graph() -> None:
    """``tf.compat.v1.reset_default_graph``: a fresh default graph (eager code records
    nothing into it); refused inside a ``with graph.as_default():`` block, as TensorFlow."""
    from . import v1_collections

    if default_graph() is not None:
        raise AssertionError(
            "Do not use tf.reset_default_graph() to clear nested graphs. If you need a cleared "
            "graph, exit the nesting and create a new graph."
        )
    v1_collections.DEFAULT[0] = Graph()  # a fresh graph: fresh collections, variable store


def get_default_session():
    """The session of the innermost ``with session:`` / ``session.as_default()`` block
    (an InteractiveSession once made), else None."""
    from .v1_default_session import default_session

    return default_session()


_SESSION_NAMES = (
    "ConfigProto",
    "GPUOptions",
    "GraphOptions",
    "OptimizerOptions",
    "Session",
    "InteractiveSession",
)
_INIT = (
    "zeros_initializer",
    "ones_initializer",
    "constant_initializer",
    "random_normal_initializer",
    "truncated_normal_initializer",
    "random_uniform_initializer",
    "glorot_uniform_initializer",
    "glorot_normal_initializer",
    "orthogonal_initializer",
    "variance_scaling_initializer",
)


def _namespaces(name: str):
    from . import v1_initializers

    if name == "initializers":
        return v1_initializers.initializers_namespace()
    if name == "losses":
        from . import v1_losses

        return v1_losses.namespace()
    if name == "data":
        from . import v1_data

        return v1_data.namespace()
    if name == "metrics":
        from . import v1_metrics_more

        return v1_metrics_more.namespace()
    return v1_initializers.NAMES[name]


# TF 1 graph mode: v1_<module>.<attribute>
_GRAPH_NAMES = {
    "Variable": "variables:make_variable",
    "VariableV1": "variables:make_variable",
    "get_variable": "variables:get_variable",
    "get_local_variable": "variables:get_local_variable",
    "global_variables_initializer": "variables:global_variables_initializer",
    "initialize_all_variables": "variables:global_variables_initializer",
    "local_variables_initializer": "variables:local_variables_initializer",
    "initialize_local_variables": "variables:local_variables_initializer",
    "variables_initializer": "variables:variables_initializer",
    "initialize_variables": "variables:variables_initializer",
    "tables_initializer": "variables:tables_initializer",
    "initialize_all_tables": "variables:tables_initializer",
    "is_variable_initialized": "variables:is_variable_initialized",
    "report_uninitialized_variables": "variables:report_uninitialized_variables",
    "assign": "variables:assign",
    "assign_add": "variables:assign_add",
    "assign_sub": "variables:assign_sub",
    "variable_scope": "scopes:variable_scope",
    "variable_op_scope": "scopes:variable_op_scope",
    "get_variable_scope": "scopes:get_variable_scope",
    "VariableScope": "scopes:VariableScope",
    "AUTO_REUSE": "scopes:AUTO_REUSE",
    "name_scope": "scopes:name_scope",
    "GraphKeys": "collections:GraphKeys",
    "add_to_collection": "collections:add_to_collection",
    "add_to_collections": "collections:add_to_collections",
    "get_collection": "collections:get_collection",
    "get_collection_ref": "collections:get_collection_ref",
    "global_variables": "collections:global_variables",
    "all_variables": "collections:all_variables",
    "trainable_variables": "collections:trainable_variables",
    "local_variables": "collections:local_variables",
    "model_variables": "collections:model_variables",
    "moving_average_variables": "collections:moving_average_variables",
    "gradients": "dispatch:gradients",
    "control_dependencies": "dispatch:control_dependencies",
    "group": "dispatch:group",
    "no_op": "dispatch:no_op",
    "train": "dispatch:train_namespace",
    "summary": "summary:namespace",
    "saved_model": "saved_model:namespace",
    **{
        name: f"protos:{name}"
        for name in (
            "Summary",
            "SummaryMetadata",
            "HistogramProto",
            "Event",
            "SessionLog",
            "LogMessage",
            "GraphDef",
            "NodeDef",
            "AttrValue",
            "NameAttrList",
            "MetaGraphDef",
            "TensorInfo",
            "RunOptions",
            "RunMetadata",
        )
    },  # fmt: skip
    "gfile": "gfile:gfile",
    "make_template": "template:make_template",
    "flags": "flags:namespace",
    "app": "flags:app",
}
_CASTS = {"to_float": "float32", "to_double": "float64", "to_int32": "int32", "to_int64": "int64"}


def set_random_seed(seed) -> None:
    """``tf.compat.v1.set_random_seed``: the global seed (``tf.random.set_seed``); in graph
    mode also the graph's seed, which its random ops derive their seeds from
    (v1_random.py)."""
    from ..random import set_seed
    from .v1_graph import graph_mode

    if graph_mode():
        from .v1_collections import default_graph

        default_graph().seed = None if seed is None else int(seed)
    set_seed(seed)


def _tf_record_iterator(path, options=None):
    """``tf.compat.v1.io.tf_record_iterator``: the records of a TFRecord file, as bytes
    (``options``: a compression type string or ``TFRecordOptions``)."""
    from ..io.tfrecord import compression_type_string, read_records

    compression = compression_type_string(options, "tf_record_iterator")
    return read_records(str(path), compression, None, "tf_record_iterator")


def _io_namespace():
    from .. import io as _io
    from ..io.tfrecord import TFRecordCompressionType

    names = {n: getattr(_io, n) for n in dir(_io) if not n.startswith("_")}
    return types.SimpleNamespace(
        **names,
        tf_record_iterator=_tf_record_iterator,
        TFRecordCompressionType=TFRecordCompressionType,
    )


def _python_io_namespace():
    """``tf.compat.v1.python_io``: TF 1's home of the TFRecord writer and reader."""
    io = _io_namespace()
    return types.SimpleNamespace(
        TFRecordWriter=io.TFRecordWriter,
        TFRecordOptions=io.TFRecordOptions,
        TFRecordCompressionType=io.TFRecordCompressionType,
        tf_record_iterator=_tf_record_iterator,
    )


class _V1Module(types.ModuleType):
    """A TF 2 namespace as tf.compat.v1 gives it (``tf.compat.v1.random``, ``.math``, ...):
    each function looked up there, recorded on TF 1 graph tensors (v1_graph.graph_aware)."""

    def __init__(self, name: str, module) -> None:
        super().__init__(f"gpuflow.compat.v1.{name}")
        self._module = module

    def __getattr__(self, name: str):
        from .v1_record import graph_aware

        extra = _NAMESPACE_EXTRAS.get(self.__name__.rsplit(".", 1)[-1], {}).get(name)
        if extra is not None:  # a TF 1 name of this namespace: tf.compat.v1's of that name
            value = sys.modules[__name__]
            for part in extra.split("."):
                value = getattr(value, part)
            return value
        return graph_aware(getattr(self._module, name))

    def __dir__(self) -> list:
        extras = _NAMESPACE_EXTRAS.get(self.__name__.rsplit(".", 1)[-1], {})
        return sorted(set(dir(self._module)) | set(extras))


# TF 1 names in tf.compat.v1.<namespace> that TF 2's namespace lacks: {name: the
# tf.compat.v1 name that is the same function}
_NAMESPACE_EXTRAS = {
    "random": {"set_random_seed": "set_random_seed", "multinomial": "multinomial"},
    "debugging": {n: n for n in ("is_finite", "is_inf", "is_nan", "is_non_decreasing",
                                 "is_strictly_increasing")},
    "linalg": {"transpose": "transpose"},
    "sets": {f"set_{n}": f"sets.{n}" for n in ("difference", "intersection", "size", "union")},
    "image": {"resize_image_with_crop_or_pad": "image.resize_with_crop_or_pad",
              "transpose_image": "image.transpose",
              "extract_image_patches": "extract_image_patches"},
}  # fmt: skip


_PROXIED = (
    "random", "math", "linalg", "image", "strings", "signal", "bitwise", "debugging", "sets",
)  # fmt: skip


class _V1Nn(types.ModuleType):
    """``tf.compat.v1.nn``: TF 2's ``tf.nn`` (each name looked up there) but for the
    functions whose TF 1 signature differs (``ctc_loss``), set as attributes."""

    def __getattr__(self, name: str):
        from .. import nn as _nn
        from .v1_record import graph_aware

        return graph_aware(getattr(_nn, name))


def _nn_namespace():
    from ..ops.nn_ctc_v1 import ctc_loss
    from .v1_nn import FUNCTIONS

    module = _V1Nn("gpuflow.compat.v1.nn")
    module.ctc_loss = ctc_loss
    for name, fn in FUNCTIONS.items():
        setattr(module, name, fn)
    return module


def get_default_graph() -> Graph:
    """The innermost graph entered with ``as_default`` on this thread, else the process's
    default graph."""
    from . import v1_collections

    return v1_collections.default_graph()


def __getattr__(name: str):
    if name == "io":  # built on first use: gpuflow.io imports more than v1 needs
        value = _io_namespace()
        globals()["io"] = value
        return value
    if name == "python_io":
        value = globals()[name] = _python_io_namespace()
        return value
    if name == "nn":  # built on first use, as io
        value = _nn_namespace()
        globals()["nn"] = value
        return value
    if name in _PROXIED:
        value = globals()[name] = _V1Module(name, getattr(sys.modules["gpuflow"], name))
        return value
    if name == "RegisterGradient":  # tf.compat.v1.RegisterGradient, as tf.RegisterGradient
        from ..autodiff.gradient_registry import RegisterGradient

        return RegisterGradient
    if name in ("initializers", "losses", "data", "metrics") or name in _INIT:
        value = globals()[name] = _namespaces(name)
        return value
    if name in _GRAPH_NAMES:
        module, attribute = _GRAPH_NAMES[name].split(":")
        value = globals()[name] = getattr(
            importlib.import_module(f"{__name__}_{module}"), attribute
        )
        return value
    if name in _SESSION_NAMES:
        from . import v1_session

        return getattr(v1_session, name)
    gpuflow = sys.modules["gpuflow"]  # the package this module belongs to, already imported
    from . import v1_aliases, v1_ops

    if name in v1_ops.OPS:
        value = globals()[name] = v1_ops.OPS[name]
        return value
    from . import v1_ops_more

    if name in v1_ops_more.OPS:
        value = globals()[name] = v1_ops_more.OPS[name]
        return value
    from .v1_record import graph_aware

    if name in v1_aliases.RENAMED:
        value = v1_aliases.resolve(gpuflow, v1_aliases.RENAMED[name])
        value = globals()[name] = graph_aware(value)
        return value
    if name in _CASTS:
        dtype = _CASTS[name]

        def to(x, name=None):
            return gpuflow.cast(x, dtype, name=name)

        to.__name__ = name
        globals()[name] = to  # made once, so tf.compat.v1.to_float is one function
        return to
    if not name.startswith("_") and hasattr(gpuflow, name) and name != "compat":
        # the TF 2 name (tf.compat.v1.nn is tf.nn), recorded on graph tensors in graph mode
        return graph_aware(getattr(gpuflow, name))
    raise AttributeError(f"module 'gpuflow.compat.v1' has no attribute {name!r}")
