"""``gpuflow.train`` (``tf.train``): checkpoints of Variables, models, optimizers and Modules.

On disk a checkpoint has TensorFlow's layout (``prefix.index``, ``prefix.data-00000-of-00001``
and a ``checkpoint`` state file) in gpuflow's own safe encoding (see ``storage``); it is
not TensorFlow's binary format. See docs/checkpoints.md.
"""

from __future__ import annotations

from . import experimental  # noqa: F401  (tf.train.experimental.PythonState)
from .checkpoint import Checkpoint, LoadStatus
from .coordination import ClusterSpec, Coordinator, checkpoints_iterator, get_checkpoint_state
from .manager import CheckpointManager, latest_checkpoint
from .moving_averages import ExponentialMovingAverage
from .reader import CheckpointReader, list_variables, load_checkpoint, load_variable
from .views import CheckpointView, TrackableView


class CheckpointOptions:
    """Accepted for TensorFlow's API (``options=``); gpuflow's saves have no options yet."""

    def __init__(
        self, experimental_io_device=None, experimental_enable_async_checkpoint=False, **kwargs
    ) -> None:
        self.experimental_io_device = experimental_io_device
        self.experimental_enable_async_checkpoint = experimental_enable_async_checkpoint


__all__ = [
    "BytesList",
    "Example",
    "Feature",
    "FeatureList",
    "FeatureLists",
    "Features",
    "FloatList",
    "Int64List",
    "SequenceExample",
    "Checkpoint",
    "CheckpointManager",
    "ClusterSpec",
    "Coordinator",
    "checkpoints_iterator",
    "get_checkpoint_state",
    "CheckpointOptions",
    "CheckpointReader",
    "CheckpointView",
    "TrackableView",
    "experimental",
    "ExponentialMovingAverage",
    "LoadStatus",
    "latest_checkpoint",
    "list_variables",
    "load_checkpoint",
    "load_variable",
]

#: tf.train.Example and its parts (gpuflow/io/protos.py): protobuf classes, loaded on first
#: use so that checkpoints do not import protobuf.
_PROTOS = (
    "BytesList",
    "Example",
    "Feature",
    "FeatureList",
    "FeatureLists",
    "Features",
    "FloatList",
    "Int64List",
    "SequenceExample",
)


def __getattr__(name: str):
    if name in _PROTOS:
        from ..io import protos

        value = getattr(protos, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'gpuflow.train' has no attribute {name!r}")


def __dir__() -> list:
    return sorted(set(globals()) | set(_PROTOS))
