"""``gpuflow.errors`` (``tf.errors``): the exceptions TensorFlow code catches by name."""
from __future__ import annotations


class OutOfRangeError(Exception):
    """Raised by ``iterator.get_next()`` when the dataset has no more elements.

    ``for x in dataset`` and ``next(iterator)`` stop with StopIteration instead, as in
    TensorFlow.

    Args:
        node_def: unused (TensorFlow's graph node); kept for TensorFlow's signature.
        op: unused (TensorFlow's operation); kept for TensorFlow's signature.
        message: what ran out.
    """

    def __init__(self, node_def=None, op=None, message: str = "End of sequence") -> None:
        super().__init__(message)
        self.node_def = node_def
        self.op = op
        self.message = message
