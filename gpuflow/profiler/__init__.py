"""``tf.profiler``: the TF2 profiler API (``tf.profiler.experimental``)."""

from . import experimental

__all__ = ["experimental"]
