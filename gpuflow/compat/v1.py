"""``tf.compat.v1``: the names TF 2 programs still call. Graph-mode TF 1 (placeholders,
``Session.run``, ``disable_eager_execution``) is not gpuflow's model: those raise an error
that says so instead of running something else. The session set-up that TF 2 scripts keep
(``ConfigProto``, ``GPUOptions``, ``Session(config=...)``) works as in TF 2 (v1_session.py);
other names are TF 2's of the same name (``tf.compat.v1.nn.relu`` is ``tf.nn.relu``)."""

from __future__ import annotations

import logging as _logging
import sys
import types

from ..graph.graph_view import Graph, default_graph


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
)


def enable_eager_execution(config=None, device_policy=None, execution_mode=None) -> None:
    """Eager execution is always on in gpuflow, as in TensorFlow 2: nothing to do."""


def enable_v2_behavior() -> None:
    """TensorFlow 2 behaviour is gpuflow's only behaviour: nothing to do."""


def executing_eagerly() -> bool:
    return True


def _tf1_only(name: str):
    def refuse(*args, **kwargs):
        raise NotImplementedError(
            f"tf.compat.v1.{name}: TensorFlow 1 graph mode (sessions, placeholders) is not "
            "supported by gpuflow, which runs TensorFlow 2 code: use eager execution and "
            "tf.function instead"
        )

    refuse.__name__ = name
    return refuse


disable_eager_execution = _tf1_only("disable_eager_execution")
disable_v2_behavior = _tf1_only("disable_v2_behavior")


def placeholder(dtype, shape=None, name=None):
    """TensorFlow 2's answer: placeholders need graph mode."""
    raise RuntimeError(
        "tf.placeholder() is not compatible with eager execution. (gpuflow runs TensorFlow 2 "
        "code: pass values to a tf.function, with an input_signature for variable shapes.)"
    )


def reset_default_graph() -> None:
    """``tf.compat.v1.reset_default_graph``: a fresh default graph (eager code records
    nothing into it); refused inside a ``with graph.as_default():`` block, as TensorFlow."""
    global _DEFAULT_GRAPH
    if default_graph() is not None:
        raise AssertionError(
            "Do not use tf.reset_default_graph() to clear nested graphs. If you need a cleared "
            "graph, exit the nesting and create a new graph."
        )
    _DEFAULT_GRAPH = Graph()


def get_default_session():
    """None: eager execution has no default session, as in TensorFlow 2."""
    return None


_SESSION_NAMES = (
    "ConfigProto",
    "GPUOptions",
    "GraphOptions",
    "OptimizerOptions",
    "Session",
    "InteractiveSession",
)
_CASTS = {"to_float": "float32", "to_double": "float64", "to_int32": "int32", "to_int64": "int64"}


def set_random_seed(seed) -> None:
    """``tf.compat.v1.set_random_seed``: the global seed (``tf.random.set_seed``)."""
    from ..random import set_seed

    set_seed(seed)


def _tf_record_iterator(path, options=None):
    """``tf.compat.v1.io.tf_record_iterator``: the records of a TFRecord file, as bytes
    (``options``: a compression type string or ``TFRecordOptions``)."""
    from ..data.tfrecord import compression_type_of_writer
    from ..io.tfrecord import read_records

    compression = compression_type_of_writer(options) if options is not None else ""
    return read_records(str(path), compression, None, "tf_record_iterator")


def _io_namespace():
    from .. import io as _io

    names = {n: getattr(_io, n) for n in dir(_io) if not n.startswith("_")}
    return types.SimpleNamespace(**names, tf_record_iterator=_tf_record_iterator)


# The graph outside any ``with tf.Graph().as_default():`` block: eager execution records
# nothing into it; its ``gradient_override_map`` replaces op gradients with
# ``tf.RegisterGradient`` ones.
_DEFAULT_GRAPH = Graph()


class _V1Nn(types.ModuleType):
    """``tf.compat.v1.nn``: TF 2's ``tf.nn`` (each name looked up there) but for the
    functions whose TF 1 signature differs (``ctc_loss``), set as attributes."""

    def __getattr__(self, name: str):
        from .. import nn as _nn

        return getattr(_nn, name)


def _nn_namespace():
    from ..ops.nn_ctc_v1 import ctc_loss

    module = _V1Nn("gpuflow.compat.v1.nn")
    module.ctc_loss = ctc_loss
    return module


def get_default_graph() -> Graph:
    """The innermost graph entered with ``as_default`` on this thread, else the process's
    default graph."""
    return default_graph() or _DEFAULT_GRAPH


def __getattr__(name: str):
    if name == "io":  # built on first use: gpuflow.io imports more than v1 needs
        value = _io_namespace()
        globals()["io"] = value
        return value
    if name == "nn":  # built on first use, as io
        value = _nn_namespace()
        globals()["nn"] = value
        return value
    if name == "RegisterGradient":  # tf.compat.v1.RegisterGradient, as tf.RegisterGradient
        from ..autodiff.gradient_registry import RegisterGradient

        return RegisterGradient
    if name in _SESSION_NAMES:
        from . import v1_session

        return getattr(v1_session, name)
    gpuflow = sys.modules["gpuflow"]  # the package this module belongs to, already imported
    from . import v1_aliases, v1_ops

    if name in v1_ops.OPS:
        value = globals()[name] = v1_ops.OPS[name]
        return value
    if name in v1_aliases.RENAMED:
        value = globals()[name] = v1_aliases.resolve(gpuflow, v1_aliases.RENAMED[name])
        return value
    if name in _CASTS:
        dtype = _CASTS[name]

        def to(x, name=None):
            return gpuflow.cast(x, dtype, name=name)

        to.__name__ = name
        globals()[name] = to  # made once, so tf.compat.v1.to_float is one function
        return to
    if not name.startswith("_") and hasattr(gpuflow, name) and name != "compat":
        return getattr(gpuflow, name)  # the TF 2 name (tf.compat.v1.nn is tf.nn)
    raise AttributeError(f"module 'gpuflow.compat.v1' has no attribute {name!r}")
