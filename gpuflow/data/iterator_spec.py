"""``tf.data.IteratorSpec``: the type of an iterator over a dataset's elements."""

from __future__ import annotations

from .dataset import DatasetIterator


class IteratorSpec:
    """Describes an iterator over elements of ``element_spec`` (``tf.data.IteratorSpec``)."""

    def __init__(self, element_spec) -> None:
        self.element_spec = element_spec

    @property
    def value_type(self):
        return DatasetIterator

    def is_compatible_with(self, value) -> bool:
        spec = getattr(value, "element_spec", None)
        return spec is not None and spec == self.element_spec

    def __eq__(self, other) -> bool:
        return isinstance(other, IteratorSpec) and other.element_spec == self.element_spec

    def __hash__(self) -> int:
        return hash(repr(self.element_spec))

    def __repr__(self) -> str:
        return f"IteratorSpec({self.element_spec!r},)"
