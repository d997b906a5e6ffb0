"""InputLayer and Input(): the declared input of a model, as Keras'."""

from __future__ import annotations

import warnings

from .base import Layer
from .input_spec import InputSpec
from .naming import unique_name
from .shape_arg import standardize_shape


class InputLayer(Layer):
    """A model's entry point: no weights, ``call`` is the identity (after casting to its dtype).

    Args:
        shape: the shape of one example (without the batch axis); ``input_shape``, its
            Keras 2 name, is accepted too.
        batch_size: a fixed batch size, or None.
        dtype: the dtype of the inputs (default: the global float type); integer dtypes
            keep integer inputs as they are.
        batch_shape: the full shape, batch axis first (instead of the two above);
            ``batch_input_shape``, its Keras 2 name, is accepted too.
        name: the layer name (default ``input_layer``, ``input_layer_1``, ...).
        optional: Keras 3's inputs that may be None: only False (the default) is supported.

    Attributes:
        shape: ``(batch_size,) + shape``.
    """

    _cast_int_inputs = False

    def __init__(
        self,
        shape=None,
        batch_size=None,
        dtype=None,
        sparse=None,
        ragged=None,
        batch_shape=None,
        name=None,
        optional=False,
        **kwargs,
    ) -> None:
        if "input_shape" in kwargs:  # Keras 2's name: Keras 3 warns and takes it
            warnings.warn("Argument `input_shape` is deprecated. Use `shape` instead.")
            shape = kwargs.pop("input_shape")
        if kwargs.get("batch_input_shape") is not None:
            batch_shape = kwargs.pop("batch_input_shape")
        if shape is not None and batch_shape is not None:
            raise ValueError(
                f"InputLayer: pass shape or batch_shape, not both; received shape={shape} "
                f"and batch_shape={batch_shape}"
            )
        if batch_size is not None and batch_shape is not None:
            raise ValueError(
                f"InputLayer: pass batch_size or batch_shape, not both; received "
                f"batch_size={batch_size} and batch_shape={batch_shape}"
            )
        if batch_shape is not None:
            kwargs["batch_input_shape"] = standardize_shape(batch_shape, "InputLayer")
        elif shape is None:
            raise ValueError(
                "InputLayer: give shape (the shape of one example, e.g. shape=(784,)) "
                "or batch_shape"
            )
        else:
            # As Keras 3: shape=784 (an int, not a tuple) is refused
            shape = standardize_shape(shape, "InputLayer")
            kwargs["batch_input_shape"] = (batch_size,) + tuple(shape)
        super().__init__(name=name or unique_name("input_layer"), dtype=dtype, **kwargs)
        if optional:
            raise ValueError(
                f"{self._where()}: optional inputs (optional=True, an input that may be None) "
                "are not supported; pass the input, or build the model without it"
            )
        # ragged=True: the model takes RaggedTensor batches (layers that accept them, such
        # as Embedding and GlobalAveragePooling1D, handle the rows), as Keras on TensorFlow
        self.ragged = bool(ragged)
        # sparse=True: the model takes SparseTensor batches (Dense multiplies them sparse x
        # dense; other layers see them as they come), as Keras on TensorFlow
        self.sparse = bool(sparse)
        if self.sparse and self.ragged:
            raise ValueError(
                f"{self._where()}: an input cannot be both sparse and ragged; received "
                "sparse=True and ragged=True"
            )
        self.input_spec = InputSpec(shape=self._batch_input_shape)
        self.built = True
        self._build_input_shape = self._batch_input_shape
        # The symbolic tensor this layer feeds into a functional graph (`Input()` returns it).
        # As Keras: without a dtype the input is floatx, also under a mixed policy (layers cast).
        from ..config import floatx
        from .keras_tensor import KerasTensor
        from .node import Node

        # As Keras 3: the tensor takes the name given (Input(name="x")), else keras_tensor_N
        input_dtype = self.compute_dtype if dtype is not None else floatx()
        self._input_dtype = str(getattr(input_dtype, "name", input_dtype))
        tensor = KerasTensor(self._batch_input_shape, input_dtype, name=name)
        self._inbound_nodes.append(Node(self, (), {}, tensor))
        tensor._keras_history = (self, 0, 0)

    @property
    def shape(self) -> tuple:
        return self._batch_input_shape

    @property
    def batch_shape(self) -> tuple:
        """The input's shape with the batch axis, as Keras 3's ``InputLayer.batch_shape``."""
        return self._batch_input_shape

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {  # Keras 3's keys and order
            "batch_shape": self._batch_input_shape,
            # the inputs' dtype, as Keras 3 ("float32" under mixed_float16, which Keras
            # refuses as an InputLayer dtype)
            "dtype": self._input_dtype,
            "sparse": self.sparse,
            "ragged": self.ragged,
            "name": self.name,
            "optional": False,
        }


def Input(
    shape=None, batch_size=None, name=None, dtype=None, sparse=None, ragged=None, batch_shape=None
):
    """Declare a model input: ``Sequential.add(Input(shape=(784,)))`` fixes the input shape.

    Args:
        shape: the shape of one example, without the batch axis (a tuple or list; a bare
            int such as ``784`` raises ValueError, as in Keras 3).
        batch_size: a fixed batch size, or None.
        name, dtype: as for :class:`InputLayer`.
        batch_shape: the full shape with the batch axis (instead of ``shape``/``batch_size``).

    Returns:
        A symbolic :class:`~gpuflow.layers.keras_tensor.KerasTensor` of shape
        ``(batch_size,) + tuple(shape)``: call layers on it and pass it to
        ``keras.Model(inputs, outputs)``, or give it first to ``Sequential``.
    """
    if batch_shape is not None:
        layer = InputLayer(
            name=name, dtype=dtype, sparse=sparse, ragged=ragged, batch_shape=batch_shape
        )
        return layer.output
    if shape is None:
        raise ValueError(
            "Input: give shape (the shape of one example, e.g. shape=(784,)) or batch_shape"
        )
    shape = standardize_shape(shape, "Input")  # as Keras 3: shape=784 is refused
    layer = InputLayer(
        shape=shape,
        batch_size=batch_size,
        name=name,
        dtype=dtype,
        sparse=sparse,
        ragged=ragged,
    )
    return layer.output
