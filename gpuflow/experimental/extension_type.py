"""``tf.experimental.extension_type``: ``as_dict``, the fields of an ExtensionType value."""

from __future__ import annotations

from ..extension_type import ExtensionType


def as_dict(value) -> dict:
    """``{field name: value}`` of an ExtensionType value, top level only (nested extension
    types stay objects, unlike ``dataclasses.asdict``)."""
    if not isinstance(value, ExtensionType):
        # TensorFlow's error class (it reads a missing attribute), with a clear message
        raise AttributeError(
            f"extension_type.as_dict: expected an ExtensionType value, received "
            f"{type(value).__name__} {value!r}"
        )
    return {name: getattr(value, name) for name in value._tf_extension_type_fields}
