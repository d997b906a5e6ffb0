"""The one place that imports the tensorboard package, and the error that names the extra.

gpuflow writes event files with the tensorboard package's own writer and summary
builders: they need only NumPy and protobuf (no TensorFlow), and they produce the
tensor-based summaries that ``tf.summary`` writes.
"""

from __future__ import annotations

import functools
import types

import numpy as np

INSTALL_HINT = "pip install 'gpuflow[tensorboard]'"


@functools.cache
def _load() -> types.SimpleNamespace:
    from tensorboard.compat.proto import (
        attr_value_pb2,
        event_pb2,
        graph_pb2,
        node_def_pb2,
        tensor_shape_pb2,
        types_pb2,
    )
    from tensorboard.plugins.histogram.summary_v2 import histogram_pb
    from tensorboard.plugins.hparams.summary_v2 import hparams_pb
    from tensorboard.plugins.scalar.summary_v2 import scalar_pb
    from tensorboard.plugins.text.summary_v2 import text_pb
    from tensorboard.summary.writer.event_file_writer import EventFileWriter

    return types.SimpleNamespace(
        EventFileWriter=EventFileWriter,
        scalar_pb=scalar_pb,
        histogram_pb=histogram_pb,
        text_pb=text_pb,
        hparams_pb=hparams_pb,
        event_pb2=event_pb2,
        graph_pb2=graph_pb2,
        node_def_pb2=node_def_pb2,
        attr_value_pb2=attr_value_pb2,
        tensor_shape_pb2=tensor_shape_pb2,
        types_pb2=types_pb2,
    )


def require(feature: str) -> types.SimpleNamespace:
    """Returns the tensorboard pieces gpuflow writes with.

    Args:
        feature: What asked for them, named in the error (e.g. ``"gpuflow.callbacks.TensorBoard"``).

    Raises:
        ImportError: The tensorboard package is missing or broken; the message names the extra.
    """
    try:
        return _load()
    except ImportError as exc:
        raise ImportError(
            f"{feature} needs the tensorboard package ({exc}); install it with: {INSTALL_HINT}"
        ) from None


def to_numpy(data) -> np.ndarray:
    """A gpuflow Tensor/Variable, CuPy array, NumPy array or Python value as a host NumPy array
    (a tf.IndexedSlices, such as an embedding's gradient, as its dense tensor)."""
    if getattr(type(data), "_gpuflow_dense", None) is not None:
        data = data._gpuflow_dense()
    if hasattr(data, "numpy"):
        data = data.numpy()
    elif type(data).__module__.split(".")[0] == "cupy":
        data = data.get()
    return np.asarray(data)
