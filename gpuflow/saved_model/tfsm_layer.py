"""TFSMLayer: a SavedModel (``model.export()``, ``tf.saved_model.save``) reloaded as a
Keras layer, as ``keras.layers.TFSMLayer``.

It lives with the SavedModel code it builds on (layers sit below saved_model); the
``keras`` namespace (``gpuflow/keras/__init__.py``) lists it under ``keras.layers``."""

from __future__ import annotations

import os

from ..layers.base import Layer
from ..layers.safe_mode import in_safe_mode
from ..tensor import Variable
from .load import _UserObject, load


def _endpoint(reloaded, name: str, filepath):
    """The function ``name`` names: an attribute of the reloaded object, or a signature."""
    if hasattr(reloaded, name):
        return getattr(reloaded, name)
    signatures = getattr(reloaded, "signatures", {}) or {}
    if name in signatures:
        return signatures[name]
    raise ValueError(
        f"TFSMLayer: the endpoint '{name}' is neither an attribute of the reloaded SavedModel "
        f"({os.fspath(filepath)!r}), nor an entry in the `signatures` field of the reloaded "
        "SavedModel. Select another endpoint via the `call_endpoint` argument. Available "
        f"endpoints for this SavedModel: {list(signatures.keys())}"
    )


class TFSMLayer(Layer):
    """Reload a model or layer saved as a SavedModel, to call (and fine-tune) as a layer.

    Args:
        filepath: the SavedModel's folder.
        call_endpoint: the function ``call`` runs: ``"serve"`` for ``model.export()``
            (the default), ``"serving_default"`` for a plain ``tf.saved_model.save``.
        call_training_endpoint: the function ``call(..., training=True)`` runs, if saved.
        trainable: whether the SavedModel's trainable variables train with this layer.

    The SavedModel's variables are this layer's weights (the objects the reloaded
    functions read, so training updates what they compute). Only endpoints taking one
    ``inputs`` argument (a tensor, or a dict / tuple / list of them) are supported, as in
    Keras.

    Raises:
        ValueError: an endpoint that the SavedModel does not have (listing those it has).
    """

    def __init__(
        self,
        filepath,
        call_endpoint="serve",
        call_training_endpoint=None,
        trainable=True,
        name=None,
        dtype=None,
        **kwargs,
    ) -> None:
        super().__init__(trainable=trainable, name=name, dtype=dtype, **kwargs)
        self._reloaded_obj = load(os.fspath(filepath))
        self.filepath = filepath
        self.call_endpoint = call_endpoint
        self.call_training_endpoint = call_training_endpoint
        self.call_endpoint_fn = _endpoint(self._reloaded_obj, call_endpoint, filepath)
        self.call_training_endpoint_fn = (
            _endpoint(self._reloaded_obj, call_training_endpoint, filepath)
            if call_training_endpoint
            else None
        )
        found = list(getattr(self._reloaded_obj, "variables", ()) or ())
        if not found:  # tf.saved_model.save(keras_model): the variables sit in its children
            found = _variables_below(self._reloaded_obj)
        # as Keras: the trainable ones first, then the others
        for variable in [v for v in found if v.trainable] + [v for v in found if not v.trainable]:
            if all(variable is not v for v in self._own_weights):
                self._own_weights.append(variable)
        self.built = True

    def call(self, inputs, training=False, **kwargs):
        if training and self.call_training_endpoint_fn is not None:
            return self.call_training_endpoint_fn(inputs, **kwargs)
        return self.call_endpoint_fn(inputs, **kwargs)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "filepath": os.fspath(self.filepath),
            "call_endpoint": self.call_endpoint,
            "call_training_endpoint": self.call_training_endpoint,
        }

    @classmethod
    def from_config(cls, config: dict, custom_objects=None, safe_mode=None) -> TFSMLayer:
        """Refused in safe mode (the default), as Keras: a SavedModel holds recorded code."""
        safe = in_safe_mode() if safe_mode is None else bool(safe_mode)
        if safe:
            raise ValueError(
                "Requested the deserialization of a `TFSMLayer`, which loads an external "
                "SavedModel. This carries a potential risk of arbitrary code execution and "
                "thus it is disallowed by default. If you trust the source of the artifact, "
                "you can override this error by passing `safe_mode=False` to the loading "
                "function, or calling `keras.config.enable_unsafe_deserialization()`."
            )
        return cls(**config)


def _variables_below(obj, seen=None) -> list:
    """The Variables among the restored object's children, depth first in saved order
    (lists and dicts of them included)."""
    seen = set() if seen is None else seen
    found: list = []
    values = vars(obj).values() if isinstance(obj, _UserObject) else obj
    if isinstance(obj, dict):
        values = obj.values()
    for value in values:
        if id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, Variable):
            found.append(value)
        elif isinstance(value, (_UserObject, list, tuple, dict)):
            found += _variables_below(value, seen)
    return found
