"""Lambda: wraps a Python function as a layer; its bytecode is saved, but loaded only unsafely."""

from __future__ import annotations

import base64
import inspect
import marshal
import types

from ..saving.object_registration import function_config, get_registered_object
from .base import Layer
from .safe_mode import in_safe_mode

_UNSAFE = (
    "Lambda '{name}': requested the deserialization of a Python lambda, which runs code "
    "stored in the file; this is refused by default. If you trust the file, pass "
    "safe_mode=False to the loading function (or call "
    "gpuflow.layers.safe_mode.enable_unsafe_deserialization())."
)


def _serialize_function(fn):
    if getattr(fn, "__name__", "<lambda>") == "<lambda>" or fn.__closure__:
        code = base64.b64encode(marshal.dumps(fn.__code__)).decode("ascii")
        return {
            "class_name": "__lambda__",
            "config": {"code": code, "defaults": None, "closure": None},
        }
    return function_config(fn)  # Keras 3's entry: a registered function by "package>name"


def _deserialize_function(spec, name: str, custom_objects: dict | None, safe_mode: bool):
    if callable(spec):
        return spec
    if not isinstance(spec, dict):
        raise ValueError(f"Lambda '{name}': cannot read the function from config {spec!r}")
    if spec.get("class_name") == "__lambda__":
        if safe_mode:
            raise ValueError(_UNSAFE.format(name=name))
        code = marshal.loads(base64.b64decode(spec["config"]["code"]))
        return types.FunctionType(code, globals())
    fn_name = spec.get("config")
    # as Keras: registered functions, a custom_object_scope's and custom_objects
    fn = get_registered_object(fn_name, custom_objects)
    if fn is None:
        raise TypeError(
            f"Lambda '{name}': could not locate function {fn_name!r}. Make sure custom "
            "functions are decorated with `@keras.saving.register_keras_serializable()` "
            f"and imported before loading, or pass custom_objects={{{fn_name!r}: fn}}"
        )
    return fn


class Lambda(Layer):
    """``function(inputs, **arguments)`` as a layer (no weights).

    Args:
        function: the callable applied to the inputs.
        output_shape: the output shape without the batch axis, or a callable of the input
            shape; None: found by running the function.
        mask: a mask (tensor) or a callable ``(inputs, mask) -> mask`` for the output.
        arguments: extra keyword arguments for ``function``.

    Saving stores a lambda's bytecode; loading it needs ``safe_mode=False`` (as Keras).
    """

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs) -> None:
        super().__init__(**kwargs)
        if not callable(function):
            raise TypeError(f"{self._where()}: function must be callable, received {function!r}")
        self.function = function
        self._output_shape = output_shape
        self.mask = mask
        self.supports_masking = mask is not None  # Keras 3's (without one, a mask is dropped)
        self.arguments = dict(arguments or {})

    def call(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments)
        try:
            params = inspect.signature(self.function).parameters
        except (TypeError, ValueError):  # builtins without a signature
            params = {}
        # As Keras: the function receives mask / training when it takes them.
        if "mask" in params:
            kwargs["mask"] = mask
        if "training" in params:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_mask(self, inputs, mask=None):
        if callable(self.mask):
            return self.mask(inputs, mask)
        return self.mask

    def compute_output_shape(self, input_shape) -> tuple:
        if self._output_shape is None:
            return super().compute_output_shape(input_shape)
        if callable(self._output_shape):
            return tuple(self._output_shape(tuple(input_shape)))
        return (tuple(input_shape)[0],) + tuple(self._output_shape)

    def get_config(self) -> dict:
        shape = self._output_shape
        if callable(shape):
            shape = _serialize_function(shape)
        elif shape is not None:
            shape = list(shape)
        config = {**super().get_config(), "function": _serialize_function(self.function)}
        if shape is not None:  # as Keras 3: written only when given
            config["output_shape"] = shape
        config["arguments"] = self.arguments
        return config

    @classmethod
    def from_config(
        cls, config: dict, custom_objects: dict | None = None, safe_mode: bool | None = None
    ) -> Lambda:
        """The layer of ``config``; a stored lambda loads only with ``safe_mode=False`` (or in a
        ``SafeModeScope(False)``), as Keras."""
        config = dict(config)
        name = config.get("name", "lambda")
        safe = in_safe_mode() if safe_mode is None else bool(safe_mode)
        config["function"] = _deserialize_function(config["function"], name, custom_objects, safe)
        if isinstance(config.get("output_shape"), dict):
            config["output_shape"] = _deserialize_function(
                config["output_shape"], name, custom_objects, safe
            )
        return cls(**config)
