"""``keras.legacy.saving``: tf.keras 2's ``serialize_keras_object`` /
``deserialize_keras_object`` (``{"class_name", "config"}``), the same functions as
``keras.utils.legacy``'s, as Keras 3 exports them."""

from ...utils.legacy import deserialize_keras_object, serialize_keras_object

__all__ = ["deserialize_keras_object", "serialize_keras_object"]
