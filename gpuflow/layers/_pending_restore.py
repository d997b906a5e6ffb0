"""Values a ``tf.train.Checkpoint`` restored before a layer was built (train/checkpoint.py
leaves them in ``layer.__dict__["_pending_restore"]``)."""

from __future__ import annotations


def restore_pending(layer) -> None:
    """Assign them once ``layer``'s weights exist: each way of building a layer (its first
    call, a Sequential's symbolic build) calls this right after the build."""
    pending = layer.__dict__.get("_pending_restore")
    if pending is not None:
        pending(layer)
