"""Sequential: a plain stack of layers, each taking the previous one's output."""
from __future__ import annotations

import numpy as np

from ..autodiff import no_grad
from ..layers import InputLayer, Layer, deserialize, serialize
from .model import Model


class Sequential(Model):
    """``Sequential([layer, ...])`` or ``Sequential()`` followed by ``.add(layer)``.

    The input shape comes from an ``Input(shape=...)`` first, or from ``input_shape=``
    on the first layer, or from the first data the model sees.
    """

    def __init__(self, layers=None, name=None, **kwargs) -> None:
        super().__init__(name=name, **kwargs)
        self._stack: list = []
        self._input_shape = None
        self._output_shapes: dict[int, tuple] = {}
        for layer in layers or []:
            self.add(layer)

    def add(self, layer) -> None:
        """Append ``layer`` (an ``Input(...)`` sets the input shape instead)."""
        if isinstance(layer, InputLayer):
            if self._stack:
                raise ValueError(f"Sequential {self.name!r}: Input must come before every other layer")
            self._input_shape = tuple(layer.shape)
            return
        if not isinstance(layer, Layer):
            raise TypeError(f"Sequential {self.name!r}.add: expected a Layer, received {type(layer).__name__}")
        if not self._stack and self._input_shape is None and getattr(layer, "_batch_input_shape", None):
            self._input_shape = tuple(layer._batch_input_shape)
        self._stack.append(layer)
        self.built = False
        if self._input_shape is not None:
            self.build(self._input_shape)

    def pop(self) -> Layer:
        if not self._stack:
            raise IndexError(f"Sequential {self.name!r}.pop: the model has no layers")
        layer = self._stack.pop()
        self.built = False
        return layer

    @property
    def layers(self) -> list:
        return list(self._stack)

    @property
    def input_shape(self):
        return self._input_shape

    @property
    def output_shape(self):
        return self._output_shapes.get(id(self._stack[-1])) if self._stack else None

    def build(self, input_shape=None) -> None:
        """Create every layer's weights by running one zero sample through the stack."""
        shape = tuple(input_shape if input_shape is not None else self._input_shape)
        if self._input_shape is not None and tuple(self._input_shape[1:]) != tuple(shape[1:]):
            raise ValueError(f"Sequential {self.name!r}: expected input shape {self._input_shape}, "
                             f"received {tuple(shape)}")
        self._input_shape = (None,) + tuple(shape[1:])
        x = np.zeros((1,) + tuple(shape[1:]), dtype=self.compute_dtype)
        with no_grad():
            for layer in self._stack:
                x = layer(x, training=False)
                self._output_shapes[id(layer)] = (None,) + tuple(x.shape[1:])
        self.built = True

    def _build_for(self, sample_shape, op: str) -> None:
        if self._input_shape is not None and tuple(self._input_shape[1:]) != tuple(sample_shape):
            raise ValueError(f"{op}: model {self.name!r} expects samples of shape {tuple(self._input_shape[1:])}, "
                             f"received data with samples of shape {tuple(sample_shape)}")
        self._data_shape = tuple(sample_shape)
        if not self.built:
            self.build((None,) + tuple(sample_shape))

    def call(self, inputs, training=None):
        x = inputs
        for layer in self._stack:
            x = layer(x, training=training)
        return x

    def layer_output_shape(self, layer):
        return self._output_shapes.get(id(layer))

    @property
    def trainable_weights(self) -> list:
        if not self.trainable:
            return []
        return [w for layer in self._stack for w in layer.trainable_weights]

    @property
    def non_trainable_weights(self) -> list:
        if not self.trainable:
            return [w for layer in self._stack for w in layer.weights]
        return [w for layer in self._stack for w in layer.non_trainable_weights]

    @property
    def weights(self) -> list:
        """Layer by layer, each layer's own order (as Keras' get_weights)."""
        return [w for layer in self._stack for w in layer.weights]

    def get_config(self) -> dict:
        return {"name": self.name, "input_shape": list(self._input_shape) if self._input_shape else None,
                "layers": [serialize(layer) for layer in self._stack]}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        model = cls(name=config.get("name"))
        if config.get("input_shape"):
            model._input_shape = tuple(config["input_shape"])
        for spec in config["layers"]:
            model.add(deserialize(spec, custom_objects=custom_objects))
        return model
