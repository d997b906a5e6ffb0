"""``tf.get_logger``: the logger gpuflow's messages go to (``logging.getLogger("gpuflow")``).

``tf.get_logger().setLevel("ERROR")`` quiets it as it quiets TensorFlow's.
"""

from __future__ import annotations

import logging


def get_logger() -> logging.Logger:
    """gpuflow's ``logging.Logger`` (TensorFlow returns its "tensorflow" logger)."""
    return logging.getLogger("gpuflow")
