"""``tf.lite.TFLiteConverter``: Keras models (and concrete functions that call one) to float
TensorFlow Lite flatbuffers; quantization is not implemented and says so."""

from __future__ import annotations

from .concrete import check_concrete_functions, convert_concrete
from .converter import convert_keras_model
from .options import OpsSet, TargetSpec


class TFLiteConverter:
    """Converts a Keras model to a TensorFlow Lite flatbuffer (float32 ops)."""

    def __init__(self, model) -> None:
        self._model = model
        self.optimizations = set()
        self.representative_dataset = None
        self.target_spec = TargetSpec()
        self.inference_input_type = None
        self.inference_output_type = None
        self.allow_custom_ops = False
        self.exclude_conversion_metadata = False
        self.experimental_new_converter = True
        self.experimental_new_quantizer = True

    @classmethod
    def from_keras_model(cls, model):
        """A converter for the Sequential or functional ``model``."""
        return cls(model)

    @classmethod
    def from_concrete_functions(cls, funcs, trackable_obj=None):
        """A converter for one concrete function that calls the Keras model ``trackable_obj``
        (``tf.function(lambda x: model(x)).get_concrete_function(spec)``); ``convert()``
        checks that the function computes what the converted model computes."""
        converter = cls(trackable_obj)
        converter._concrete = check_concrete_functions(funcs, trackable_obj)
        return converter

    def _check_float(self) -> None:
        requested = [o for o in self.optimizations if o is not None]
        if requested:
            raise NotImplementedError(
                f"TFLiteConverter: optimizations {sorted(str(o) for o in requested)} quantize "
                "the model (int8 weights or activations, float16 weights); gpuflow's converter "
                "writes float32 models only: leave `optimizations` empty"
            )
        quantized = set(self.target_spec.supported_ops) - {OpsSet.TFLITE_BUILTINS}
        if quantized:
            raise NotImplementedError(
                f"TFLiteConverter: target_spec.supported_ops {sorted(map(str, quantized))}: "
                "gpuflow's converter writes float32 TFLITE_BUILTINS models only"
            )
        for name in ("inference_input_type", "inference_output_type"):
            value = getattr(self, name)
            if value is not None and getattr(value, "name", str(value)) != "float32":
                raise NotImplementedError(
                    f"TFLiteConverter: {name}={value}; gpuflow's converter writes float32 models"
                )

    def convert(self) -> bytes:
        """The TFLite flatbuffer (bytes) of the model."""
        self._check_float()
        concrete = getattr(self, "_concrete", None)
        if concrete is None:
            return convert_keras_model(self._model)
        return convert_concrete(concrete, self._model)
