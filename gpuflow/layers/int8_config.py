"""What a layer's int8 ``quantization_config`` (Keras' ``Int8QuantizationConfig``, as an
object or as the dict a Keras file holds) asks of gpuflow's int8 layers: how inputs are
quantized (``AbsMaxQuantizer`` per row, or not at all: weight-only int8). Custom weight
quantizers and other modes are refused with ``NotImplementedError``."""

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


def int8_input_quantizer(config, where: str):
    """``(low, high, epsilon)`` of the inputs' ``AbsMaxQuantizer`` (Keras' default
    ``(-127, 127, 1e-7)`` when ``config`` is None), or None for weight-only int8."""
    if config is None:
        return (-127.0, 127.0, EPSILON)
    weight, activation, class_name, settings = _parts(config, where)
    if weight is not None:
        raise NotImplementedError(
            f"{where}: a custom weight_quantizer is not supported by gpuflow; leave it None "
            "(abs-max int8 per output unit, as Keras' default)"
        )
    if activation is None:
        return None
    if class_name != "AbsMaxQuantizer":
        raise NotImplementedError(
            f"{where}: activation_quantizer {class_name!r}: gpuflow implements "
            "AbsMaxQuantizer (or None for weight-only int8)"
        )
    low, high = (float(v) for v in settings.get("value_range", (-127, 127)))
    return (low, high, float(settings.get("epsilon", EPSILON)))


def check_quantization_config(config, where: str) -> None:
    """Refuse a ``quantization_config`` gpuflow cannot honour (see the module doc)."""
    if config is not None:
        int8_input_quantizer(config, where)


def serialize_quantization_config(config):
    """The config as Keras' files hold it (dicts pass through)."""
    if config is None or isinstance(config, dict):
        return config
    return keras_object_config(config, "keras.quantizers")
