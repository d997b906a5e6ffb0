"""TensorFlow's ``get_next`` / ``get_next_as_optional``, shared by gpuflow's iterators
(``iter(dataset)``'s and a distributed dataset's)."""

from __future__ import annotations

from ..errors import OutOfRangeError


class NextMethods:
    """``get_next`` and ``get_next_as_optional`` over the class's ``__next__`` and
    ``element_spec``."""

    def get_next(self):
        """The next element; raises ``gpuflow.errors.OutOfRangeError`` at the end."""
        try:
            return next(self)
        except StopIteration:
            raise OutOfRangeError(None, None, "End of sequence") from None

    def get_next_as_optional(self):
        """The next element as a ``tf.experimental.Optional``, empty at the end."""
        from .optional import Optional

        try:
            return Optional(next(self), self.element_spec)
        except StopIteration:
            return Optional.empty(self.element_spec)
