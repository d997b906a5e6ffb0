"""``tf.compat.v1``: the names TF 2 programs still call. Graph-mode TF 1 (sessions,
placeholders, ``disable_eager_execution``) is not gpuflow's model: those raise an error
that says so instead of running something else."""

from __future__ import annotations

import logging as _logging
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
Session = _tf1_only("Session")
placeholder = _tf1_only("placeholder")


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


def get_default_graph() -> Graph:
    """The innermost graph entered with ``as_default`` on this thread, else the process's
    default graph."""
    return default_graph() or _DEFAULT_GRAPH


def __getattr__(name: str):
    if name == "io":  # built on first use: gpuflow.io imports more than v1 needs
        value = _io_namespace()
        globals()["io"] = value
        return value
    if name == "RegisterGradient":  # tf.compat.v1.RegisterGradient, as tf.RegisterGradient
        from ..autodiff.gradient_registry import RegisterGradient

        return RegisterGradient
    raise AttributeError(f"module 'gpuflow.compat.v1' has no attribute {name!r}")
