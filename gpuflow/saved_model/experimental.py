"""``tf.saved_model.experimental``: the SavedModel fingerprint."""

from .fingerprint import Fingerprint, read_fingerprint

__all__ = ["Fingerprint", "read_fingerprint"]
