"""``keras.legacy`` (Keras 3): the legacy namespace, ``keras.legacy.saving``."""

from . import saving  # noqa: F401
