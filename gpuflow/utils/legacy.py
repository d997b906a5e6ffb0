"""``keras.utils.legacy``: tf.keras 2's object serialization (``{"class_name", "config"}``
without Keras 3's ``module`` and ``registered_name``), kept by Keras 3 for old code."""

from __future__ import annotations

import inspect

from ..saving.object_registration import (
    custom_object_scope,
    get_registered_name,
    get_registered_object,
)


def serialize_keras_object(instance):
    """``{"class_name": name, "config": instance.get_config()}``; a function gives its
    (registered) name; None gives None."""
    if instance is None:
        return None
    if hasattr(instance, "get_config"):
        return {"class_name": get_registered_name(type(instance)), "config": instance.get_config()}
    if hasattr(instance, "__name__"):
        return get_registered_name(instance)
    raise ValueError(f"Cannot serialize {instance} because it doesn't implement `get_config()`.")


def deserialize_keras_object(
    identifier, module_objects=None, custom_objects=None, printable_module_name="object"
):
    """The object ``identifier`` describes: a ``{"class_name", "config"}`` dict (the class
    found in ``custom_objects``, the registered objects, then ``module_objects``; built by
    ``from_config``) or a name (a function, or a class instantiated without arguments)."""
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        if "class_name" not in identifier or "config" not in identifier:
            raise ValueError(f"Improper config format for {identifier}.")
        class_name = identifier["class_name"]
        cls = get_registered_object(class_name, custom_objects, module_objects)
        if cls is None:
            raise ValueError(
                f"Unknown {printable_module_name}: '{class_name}'. Please ensure you are "
                "using a `keras.utils.custom_object_scope` and that this object is included "
                "in the scope. See https://www.tensorflow.org/guide/keras/save_and_serialize"
                "#registering_the_custom_object for details."
            )
        config = identifier["config"] or {}
        with custom_object_scope(custom_objects):
            if hasattr(cls, "from_config"):
                return cls.from_config(config)
            return cls(**config)
    if isinstance(identifier, str):
        obj = get_registered_object(identifier, custom_objects, module_objects)
        if obj is None:
            raise ValueError(
                f"Unknown {printable_module_name}: '{identifier}'. Please ensure you are "
                "using a `keras.utils.custom_object_scope` and that this object is included "
                "in the scope."
            )
        return obj() if inspect.isclass(obj) else obj
    raise ValueError(f"Could not interpret serialized {printable_module_name}: {identifier}")
