"""``keras.layers.Wrapper``: the base of layers that wrap another layer (subclass it and
define ``call`` in terms of ``self.layer``)."""

from __future__ import annotations

from .base import Layer


class Wrapper(Layer):
    """Holds ``layer``; building the wrapper builds it; the config nests the layer's.

    Raises:
        ValueError: when ``layer`` is not a Layer.
    """

    def __init__(self, layer, **kwargs) -> None:
        if not isinstance(layer, Layer):
            raise ValueError(
                f"Layer {layer!r} supplied to Wrapper isn't a supported layer type. Please "
                "ensure wrapped layer is a valid Keras layer."
            )
        super().__init__(**kwargs)
        self.layer = layer

    def build(self, input_shape=None) -> None:
        if not self.layer.built:
            self.layer.build(input_shape)
            self.layer.built = True
        super().build(input_shape)

    def get_config(self) -> dict:
        from .serialization import serialize

        return {**super().get_config(), "layer": serialize(self.layer)}

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        from .serialization import deserialize

        config = dict(config)
        layer = deserialize(config.pop("layer"), custom_objects)
        return cls(layer, **config)
