"""What a layer's int8 ``quantization_config`` (Keras' ``Int8QuantizationConfig``, as an
object or as the dict a Keras file holds) asks of gpuflow's int8 layers: how inputs are
quantized (``AbsMaxQuantizer`` per row, a user's ``Quantizer`` object, or not at all:
weight-only int8) and, when quantizing, which ``weight_quantizer`` makes the int8 weight.
Other modes are refused with ``NotImplementedError``."""

from __future__ import annotations

from ..saving.object_registration import keras_object_config

EPSILON = 1e-7  # keras.config.epsilon(): AbsMaxQuantizer's default


def _parts(config, where: str):
    """``(weight quantizer, activation quantizer, its class name, its config)``."""
    if isinstance(config, dict):
        if config.get("class_name") != "Int8QuantizationConfig":
            raise NotImplementedError(
                f"{where}: quantization_config {config.get('class_name')!r}: gpuflow "
                "implements Int8QuantizationConfig only"
            )
        inner = config.get("config") or {}
        activation = inner.get("activation_quantizer")
        return (
            inner.get("weight_quantizer"),
            activation,
            activation and activation.get("class_name"),
            (activation or {}).get("config") or {},
        )
    if getattr(config, "mode", None) != "int8":
        raise NotImplementedError(
            f"{where}: quantization_config {type(config).__name__}: gpuflow implements "
            "Int8QuantizationConfig only"
        )
    activation = config.activation_quantizer
    return (
        config.weight_quantizer,
        activation,
        activation and type(activation).__name__,
        activation.get_config() if activation is not None else {},
    )


def weight_quantizer(config, where: str):
    """The config's ``weight_quantizer`` object (a ``Quantizer`` called as Keras calls it,
    ``q(kernel, to_numpy=True)``), or None for Keras' default (abs-max per output unit)."""
    if config is None:
        return None
    weight = _parts(config, where)[0]
    if weight is not None and not callable(weight):  # a file's dict: used only when quantizing
        raise NotImplementedError(
            f"{where}: weight_quantizer {weight.get('class_name')!r} given as a config; pass "
            "the quantizer object to quantize()"
        )
    return weight


def int8_input_quantizer(config, where: str):
    """``(low, high, epsilon)`` of the inputs' ``AbsMaxQuantizer`` (Keras' default
    ``(-127, 127, 1e-7)`` when ``config`` is None), None for weight-only int8, or a user's
    ``Quantizer`` object (called as Keras calls it: ``q(inputs, axis=-1)``)."""
    if config is None:
        return (-127.0, 127.0, EPSILON)
    _, activation, class_name, settings = _parts(config, where)
    if activation is None:
        return None
    if class_name != "AbsMaxQuantizer":
        if callable(activation):  # a user's Quantizer subclass
            return activation
        raise NotImplementedError(
            f"{where}: activation_quantizer {class_name!r} given as a config: gpuflow "
            "implements AbsMaxQuantizer (or None for weight-only int8) there; pass the "
            "quantizer object"
        )
    low, high = (float(v) for v in settings.get("value_range", (-127, 127)))
    return (low, high, float(settings.get("epsilon", EPSILON)))


def is_other_mode_config(config) -> bool:
    """Whether ``config`` is an int4 or float8 config (object or a file's dict): those
    layouts are checked by ``layers/int4_weights.py`` / ``layers/float8_weights.py``."""
    if isinstance(config, dict):
        return config.get("class_name") in ("Int4QuantizationConfig", "Float8QuantizationConfig")
    return getattr(config, "mode", None) in ("int4", "float8")


def check_quantization_config(config, where: str) -> None:
    """Refuse a ``quantization_config`` gpuflow cannot honour (see the module doc)."""
    if config is not None and not is_other_mode_config(config):
        int8_input_quantizer(config, where)


def serialize_quantization_config(config):
    """The config as Keras' files hold it (dicts pass through)."""
    if config is None or isinstance(config, dict):
        return config
    return keras_object_config(config, "keras.quantizers")
