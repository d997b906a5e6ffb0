"""Sequential: a plain stack of layers, each taking the previous one's output."""

from __future__ import annotations

import inspect

from ..layers import Input, InputLayer, Layer, deserialize, serialize
from ..layers._context import path_scope
from ..layers._tracking_order import unique_objects
from ..layers.dtype_policy import serialized_policy
from ..layers.keras_tensor import KerasTensor
from ..layers.naming import unique_name
from ..layers.shape_arg import standardize_shape
from ..tensor import Tensor
from ..trainers.symbolic_batch import recorded_batch
from .input_rank import adjust_rank, adjusted_sample_shape, check_rank
from .model import Model


class Sequential(Model):
    """``Sequential([layer, ...])`` or ``Sequential()`` followed by ``.add(layer)``.

    The input shape comes from an ``Input(shape=...)`` first, or from ``input_shape=``
    on the first layer, or from the first data the model sees.
    """

    def __init__(self, layers=None, name=None, **kwargs) -> None:
        super().__init__(name=name, **kwargs)
        self._input_layer = None  # the InputLayer whose tensor feeds the graph of layer calls
        self._graph_output = None
        self._stack: list = []
        self._input_shape = None
        self._output_shapes: dict[int, tuple] = {}
        self._constructing = True  # Keras builds once at the end of __init__, not per layer
        try:
            for layer in layers or []:
                self.add(layer)
        finally:
            self._constructing = False

    _untracked_attributes = Model._untracked_attributes | {"_input_layer"}

    def add(self, layer) -> None:
        """Append ``layer`` (an ``Input(...)`` sets the input shape instead)."""
        if isinstance(layer, KerasTensor) and isinstance(layer._keras_history[0], InputLayer):
            layer = layer._keras_history[0]  # keras.Input(...) gives the InputLayer's tensor
        if isinstance(layer, InputLayer):
            if self._stack:
                raise ValueError(
                    f"Sequential {self.name!r}: Input must come before every other layer"
                )
            self._input_shape = tuple(layer.shape)
            self._input_layer = layer
            return
        if not isinstance(layer, Layer):
            raise ValueError(  # Keras 3's error and message
                "Only instances of `keras.Layer` can be added to a Sequential model. "
                f"Received: {layer!r} (of type {type(layer)})"
            )
        if (
            not self._stack
            and self._input_shape is None
            and getattr(layer, "_batch_input_shape", None)
        ):
            self._input_shape = tuple(layer._batch_input_shape)
        self._stack.append(layer)
        try:
            if self.built and getattr(self, "_graph_output", None) is not None:
                # Extend the graph by one call: earlier layers keep their one node.
                with path_scope(self):
                    output = _stack_call(layer, self._graph_output)
                self._output_shapes[id(layer)] = tuple(output.shape)
                self._graph_output = output
                if not self.__dict__.get("_constructing"):
                    unique_name("functional")  # Keras rebuilds its inner Functional on add()
                return
            self.built = False
            if self._input_shape is None and len(self._stack) > 1:
                # Keras: a first layer that knows its input shape (a built model) builds
                # the stack once a second layer comes.
                self._input_shape = _known_input_shape(self._stack[0])
            if self._input_shape is not None:
                self.build(self._input_shape)
        except Exception:
            self._stack.pop()  # a layer that does not fit is not added
            raise

    def pop(self) -> Layer:
        if not self._stack:
            raise IndexError(f"Sequential {self.name!r}.pop: the model has no layers")
        layer = self._stack.pop()
        self.built = False
        self._graph_output = None
        if self._input_shape is not None and self._stack:
            self.build(self._input_shape)
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
        """Create every layer's weights by running one zero sample through the stack.

        As Keras 3, an argument that is not a shape (a data tensor such as
        ``tf.zeros([3, 4])``, a dict of inputs) leaves the model unbuilt without an error:
        it builds on its first call or ``fit``.
        """
        if input_shape is None:
            input_shape = self._input_shape
        try:
            shape = standardize_shape(input_shape)
        except ValueError:
            return
        if self._input_shape is not None and tuple(self._input_shape[1:]) != tuple(shape[1:]):
            raise ValueError(
                f"Sequential {self.name!r}: expected input shape {self._input_shape}, "
                f"received {tuple(shape)}"
            )
        source = getattr(self, "_input_layer", None)
        # Input(batch_shape=(5, 3)) keeps its batch size, as Keras does; so does a build on
        # data (model(x), build((10, 9))) unless a loop says otherwise (symbolic_batch.py)
        if source is not None and source.shape[1:] == shape[1:]:
            batch = source.shape[0]
        else:
            batch = self.__dict__.get(
                "_symbolic_batch", recorded_batch(shape[0]) if shape else None
            )
        self._input_shape = (batch,) + tuple(shape[1:])
        # Called on a symbolic input, each layer builds and records its place in the graph,
        # so `layer.output` and `model.inputs` / `outputs` work as in Keras.
        if source is None or tuple(source.shape[1:]) != self._input_shape[1:]:
            # Unnamed, as Keras' InputLayer here: "input_layer", "input_layer_1", ...
            tensor = Input(
                batch_shape=self._input_shape,
                dtype=self.__dict__.get("_text_input") or self.compute_dtype,
            )
            source = self._input_layer = tensor._keras_history[0]
        # Keras 3's Sequential runs through an inner Functional made at each build, which
        # takes a model name: the next keras.Model(...) is "functional_1", as in TensorFlow.
        unique_name("functional")
        x = self._graph_input = source.output
        with path_scope(self):  # its layers' weights: "sequential/dense/kernel", as Keras
            for layer in self._stack:
                x = _stack_call(layer, x)
                self._output_shapes[id(layer)] = (
                    tuple(x.shape) if isinstance(x, KerasTensor) else None
                )
        self._graph_output = x
        self.built = True

    @property
    def inputs(self) -> list:
        """The symbolic input, once the model is built."""
        if not self.built or getattr(self, "_graph_input", None) is None:
            raise AttributeError(
                f"Sequential model '{self.name}' has no defined inputs yet: give "
                "it an Input(shape=...) first, or call or build it"
            )
        return [self._graph_input]

    @property
    def outputs(self) -> list:
        """The symbolic output of the last layer, once the model is built."""
        self.inputs  # noqa: B018  (raises when not built)
        return [self._graph_output]

    @property
    def input(self):
        return self.inputs[0]

    @property
    def output(self):
        return self.outputs[0]

    @property
    def output_names(self) -> list:
        return [self._stack[-1].name] if self._stack else []

    @property
    def _symbolic_shape_from_compute_output_shape(self) -> bool:
        # a stack holding a layer whose graph shape is its declared one (RandomCrop): its
        # symbolic output follows the layers' shapes, as Keras 3's, not a run at inference
        return any(
            getattr(layer, "_symbolic_shape_from_compute_output_shape", False)
            for layer in self._stack
        )

    def compute_output_shape(self, input_shape):
        if not self._symbolic_shape_from_compute_output_shape:
            return super().compute_output_shape(input_shape)
        shape = tuple(input_shape)
        for layer in self._stack:
            shape = tuple(layer.compute_output_shape(shape))
        return shape

    def _build_and_init(self, inputs) -> None:
        # As Keras 3: a stack built on strings (TextVectorization first) takes string inputs
        if isinstance(inputs, Tensor) and inputs.dtype == "string":
            self._text_input = "string"
        super()._build_and_init(inputs)

    def _build_for(self, sample_shape, op: str, dtype=None) -> None:
        want = None if self._input_shape is None else tuple(self._input_shape[1:])
        spec = self.__dict__.get("_spec_sample_shape")  # built on a Dataset (trainers)
        if want is not None and spec is not None and len(spec) == len(want):
            want = tuple(None if s is None else w for s, w in zip(spec, want))
        shape = tuple(sample_shape)
        if want is not None:
            got = adjusted_sample_shape(want, shape)
            # a None in the declared shape (input_shape=(None, 28)) takes any size
            if len(want) != len(got) or any(w is not None and w != g for w, g in zip(want, got)):
                raise ValueError(
                    f"{op}: model {self.name!r} expects samples of shape {want}, "
                    f"received data with samples of shape {shape}"
                )
            shape = tuple(None if w is None else g for w, g in zip(want, got))
        self._data_shape = tuple(sample_shape)
        if not self.built:
            self.build((self.__dict__.get("_symbolic_batch"),) + shape)

    def call(self, inputs, training=None):
        x = inputs
        if self._input_shape is not None and type(x) is Tensor:
            x = adjust_rank(self._input_shape, x)  # (batch,) data for Input(shape=(1,))
            check_rank(self._input_shape, x, self.name)
        # as Keras' functional run: None is not passed on, so each layer inherits it
        kwargs = {} if training is None else {"training": training}
        for layer in self._stack:
            x = layer(x, **kwargs)
        return x

    def layer_output_shape(self, layer):
        return self._output_shapes.get(id(layer))

    @property
    def trainable_weights(self) -> list:
        if not self.trainable:
            return []
        return unique_objects([w for layer in self._stack for w in layer.trainable_weights])

    @property
    def non_trainable_weights(self) -> list:
        if not self.trainable:
            return self.weights
        return unique_objects([w for layer in self._stack for w in layer.non_trainable_weights])

    @property
    def weights(self) -> list:
        """Layer by layer, each layer's own order (as Keras' get_weights); a weight two layers
        share (a tied kernel) is listed once, as Keras 3."""
        return unique_objects([w for layer in self._stack for w in layer.weights])

    def get_config(self) -> dict:
        """Keras 3's: name, trainable, dtype, the layers (an ``InputLayer`` entry first once the
        input shape is known) and ``build_input_shape``, the batch shape."""
        layers = [serialize(layer) for layer in self._stack]
        config = {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": serialized_policy(self.dtype_policy.name),
            "layers": layers,
        }
        source = self._input_layer
        text = self.__dict__.get("_text_input") or (
            source is not None and source.output.dtype == "string"
        )
        if self._input_shape is None:
            if text:
                config["input_dtype"] = "string"  # a text model built from its first data
            return config
        if source is None or tuple(source.shape[1:]) != tuple(self._input_shape[1:]):
            source = InputLayer(
                batch_shape=self._input_shape, dtype="string" if text else None, name="input_layer"
            )
        layers.insert(0, serialize(source))
        config["build_input_shape"] = tuple(source.shape)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """A Sequential from :meth:`get_config`'s output (or a config gpuflow wrote before it
        kept Keras 3's InputLayer entry: ``input_shape`` / ``input_dtype``)."""
        kwargs = {"name": config.get("name")}
        if "trainable" in config:
            kwargs["trainable"] = config["trainable"]
        if isinstance(config.get("dtype"), (str, dict)):  # a name or a serialized policy
            kwargs["dtype"] = config["dtype"]
        model = cls(**kwargs)
        specs = list(config["layers"])
        first = specs[0] if specs else None
        if not (isinstance(first, dict) and first.get("class_name") == "InputLayer"):
            shape = config.get("build_input_shape") or config.get("input_shape")
            if shape:
                model._input_shape = tuple(shape)
        if config.get("input_dtype") == "string":
            model._text_input = "string"
        for spec in specs:
            model.add(deserialize(spec, custom_objects=custom_objects))
        return model


def _known_input_shape(layer):
    """The input shape of a first layer that is a model with one defined input (as Keras
    builds ``Sequential([base_model, Dense(1)])`` at once), else None."""
    if not isinstance(layer, Model):
        return None
    try:
        shape = layer.input_shape
    except (AttributeError, ValueError):
        return None
    if isinstance(shape, tuple) and all(d is None or isinstance(d, int) for d in shape):
        return shape
    return None


def _stack_call(layer, x):
    """``layer(x)`` while building the stack; as Keras 3, a TypeError from a layer whose
    ``call`` requires more than the input (``call(self, x, training)``) is a ValueError."""
    try:
        return layer(x)
    except TypeError:
        params = inspect.signature(layer.call).parameters.values()
        positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        required = [p for p in positional if p.default is inspect.Parameter.empty]
        if len(required) > 1:
            raise ValueError(
                "Layers added to a Sequential model can only have a single required "
                f"positional argument, the input tensor. Layer {type(layer).__name__} has "
                f"multiple required positional arguments: {required}"
            ) from None
        raise
