"""``tf.distribute.DistributedValues``: the type of values a strategy holds per replica.

gpuflow runs one replica per process, so what ``strategy.run`` returns is that replica's
own tensor, as TensorFlow returns a plain tensor for a single replica. A ``tf.Variable``
that user code makes inside the ``scope()`` of a mirroring strategy (``MirroredStrategy``,
``MultiWorkerMirroredStrategy``) is a mirrored variable, a DistributedValues, as in
TensorFlow; variables made elsewhere, and the weights gpuflow makes for layers, metrics
and optimizers (Keras variables in TensorFlow), are not.
"""

from __future__ import annotations

import weakref

from ..variable_creator import variable_listener

_mirrored: dict = {}  # id(variable) -> a weak reference to it


def _forget(key):
    return lambda _ref: _mirrored.pop(key, None)


def _note(variable, module: str) -> None:
    if module == "gpuflow" or module.startswith("gpuflow."):
        return  # a layer's, metric's or optimizer's weight: a Keras variable in TensorFlow
    key = id(variable)
    _mirrored[key] = weakref.ref(variable, _forget(key))


def is_mirrored(variable) -> bool:
    """Whether ``variable`` was made by user code in a mirroring strategy's scope."""
    ref = _mirrored.get(id(variable))
    return ref is not None and ref() is variable


def mirroring():
    """The context a mirroring strategy's ``scope()`` enters: its new variables mirror."""
    return variable_listener(_note)


class _DistributedValuesMeta(type):
    def __instancecheck__(cls, value) -> bool:
        if type.__instancecheck__(cls, value):
            return True
        ref = _mirrored.get(id(value))
        return cls is DistributedValues and ref is not None and ref() is value


class DistributedValues(metaclass=_DistributedValuesMeta):
    """Base class of the values a ``tf.distribute`` strategy keeps per replica
    (``isinstance(v, tf.distribute.DistributedValues)``)."""
