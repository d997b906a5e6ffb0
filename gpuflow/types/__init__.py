"""``tf.types``: the abstract types TensorFlow code checks values against
(``isinstance(x, tf.types.experimental.TensorLike)``, ``...PolymorphicFunction``)."""

from . import experimental  # noqa: F401

__all__ = ["experimental"]
