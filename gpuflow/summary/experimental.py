"""``gpuflow.summary.experimental``: the default step, as ``tf.summary.experimental``."""

from __future__ import annotations

from ._state import get_step, set_step

__all__ = ["get_step", "set_step"]
