"""Pipeline: layers applied one after another, without being a Model, as
``keras.layers.Pipeline`` (preprocessing chains, also inside ``tf.data`` maps)."""

from __future__ import annotations

from .base import Layer


class Pipeline(Layer):
    """Applies ``layers`` in order; ``training`` and masks are passed to the layers that
    take them.

    Args:
        layers: a list of layers.
        name: the pipeline's name.
    """

    _allow_non_tensor_positional_args = True  # as Keras' data layers: lists, strings

    def __init__(self, layers, name=None, **kwargs) -> None:
        super().__init__(name=name, **kwargs)
        layers = list(layers)
        for layer in layers:
            if not callable(layer):
                raise ValueError(
                    f"Pipeline: every element of layers must be a layer, received {layer!r}"
                )
        self._pipeline_layers = layers
        self.built = True

    @property
    def layers(self) -> list:
        return self._pipeline_layers

    def call(self, inputs, training=True, mask=None):
        from ._masks import get_mask

        for layer in self._pipeline_layers:
            kwargs = {}
            if getattr(layer, "_call_takes_mask", False) and mask is not None:
                kwargs["mask"] = mask
            if getattr(layer, "_call_takes_training", False) and training is not None:
                kwargs["training"] = training
            inputs = layer(inputs, **kwargs)
            mask = get_mask(inputs)
        return inputs

    def get_config(self) -> dict:
        from .serialization import serialize

        return {"layers": [serialize(layer) for layer in self._pipeline_layers], "name": self.name}

    @classmethod
    def from_config(cls, config: dict, custom_objects=None) -> Pipeline:
        from .serialization import deserialize

        layers = config.get("layers")
        if not isinstance(layers, (list, tuple)):
            raise ValueError(
                "`Pipeline` config must contain a `layers` key mapping to a list of "
                f"serialized layers. Received config with layers={layers}."
            )
        config = dict(config)
        config["layers"] = [deserialize(c, custom_objects) for c in layers]
        return cls(**config)
