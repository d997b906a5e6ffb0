"""KerasTensor: a symbolic tensor (shape, dtype, name) that records where it came from.

``keras.Input(...)`` returns one; calling a layer on KerasTensors records a :class:`Node`
and returns KerasTensors for its outputs. A functional ``Model(inputs, outputs)`` is the
graph of those nodes. A KerasTensor holds no values: using it where a value is needed
(``np.asarray(x)``, ``float(x)``) raises an error saying what to do instead.

Python operators and slicing on KerasTensors (``x + y``, ``2 * x``, ``x[:, 0]``) build
auto-wrapped ``TFOpLambda`` layers, as TensorFlow's Keras does (op_lambda.py installs them).
"""

from __future__ import annotations

import numpy as np

from .. import dtypes
from .naming import unique_name


class KerasTensor:
    """A symbolic tensor: the shape (``None`` for unknown sizes, the batch axis first), dtype, name.

    Attributes:
        shape: a tuple, e.g. ``(None, 784)``.
        dtype: the dtype's name, e.g. ``"float32"`` (a string, as Keras 3).
        name: the name of the tensor: an ``Input(name=...)``'s name, else ``keras_tensor``,
            ``keras_tensor_1``, ... in the order they are made, as Keras 3 names them (a
            model's export signature and TFLite runner take its inputs by these names).
    """

    __array_priority__ = 2000  # `np_array + keras_tensor` defers to __radd__
    _is_keras_tensor = True
    _symbolic_kind = "keras"  # how gpuflow/_symbolic_dispatch.py recognizes it without importing

    def __init__(self, shape, dtype="float32", name: str | None = None) -> None:
        self._shape = tuple(None if n is None else int(n) for n in shape)
        self._dtype = np.dtype(dtypes.as_dtype(dtype, "KerasTensor(dtype=...)"))
        self.name = unique_name("keras_tensor") if name is None else name
        #: (layer, node_index, tensor_index): the layer call that produced this tensor.
        self._keras_history = None
        #: the mask a masking layer attached (a bool KerasTensor), read as ``_keras_mask``
        self._mask = None

    @property
    def _keras_mask(self):
        """The attached mask; an AttributeError where there is none, as in Keras 3."""
        if self._mask is None:
            raise AttributeError("'KerasTensor' object has no attribute '_keras_mask'")
        return self._mask

    @_keras_mask.setter
    def _keras_mask(self, mask) -> None:
        self._mask = mask

    @_keras_mask.deleter
    def _keras_mask(self) -> None:
        if self._mask is None:
            raise AttributeError("'KerasTensor' object has no attribute '_keras_mask'")
        self._mask = None

    @property
    def shape(self) -> tuple:
        """The shape as a tuple (``(None, 3)``), as Keras 3 gives it; ``tf.TensorShape(x.shape)``
        gives TensorFlow's form."""
        return self._shape

    @property
    def dtype(self) -> str:
        """The dtype's name, as Keras 3 gives it (``"float32"``, ``"string"``); it compares
        equal to the DType too (``x.dtype == tf.float32``)."""
        return dtypes.keras_name(dtypes.of(self._dtype))

    @property
    def ndim(self) -> int:
        return len(self._shape)

    @property
    def node(self):
        """The Node that produced this tensor."""
        layer, node_index, _ = self._keras_history
        return layer._inbound_nodes[node_index]

    @property
    def sparse(self) -> bool:
        """Whether it stands for a SparseTensor (an ``Input(sparse=True)``)."""
        layer = self._keras_history[0] if self._keras_history else None
        return bool(getattr(layer, "sparse", False)) and type(layer).__name__ == "InputLayer"

    @property
    def ragged(self) -> bool:
        """Whether it stands for a RaggedTensor (an ``Input(ragged=True)``)."""
        layer = self._keras_history[0] if self._keras_history else None
        return bool(getattr(layer, "ragged", False)) and type(layer).__name__ == "InputLayer"

    def __repr__(self) -> str:
        return (
            f"<KerasTensor shape={self._shape}, dtype={self.dtype}, "
            f"sparse={self.sparse}, ragged={self.ragged}, name={self.name}>"
        )

    def __hash__(self) -> int:
        return id(self)

    # -- where a value is needed ---------------------------------------------------------
    def _no_value(self, what: str):
        raise TypeError(
            f"{what}: {self!r} is a symbolic tensor (an Input or a layer output in a functional "
            "model); it has no value. Inside a functional model, use layers: wrap the "
            "computation in keras.layers.Lambda(...) or use the matching layer (Add, Concatenate, "
            "...); or call the model on concrete data."
        )

    def __array__(self, dtype=None, copy=None):
        self._no_value("converting a KerasTensor to a NumPy array")

    def numpy(self):
        self._no_value("KerasTensor.numpy()")

    def __bool__(self) -> bool:
        self._no_value("using a KerasTensor as a Python bool (if/while)")

    def __float__(self) -> float:
        self._no_value("float(KerasTensor)")

    def __int__(self) -> int:
        self._no_value("int(KerasTensor)")

    def __len__(self) -> int:
        if self.ndim == 0 or self._shape[0] is None:
            raise TypeError(f"len() of {self!r}: its first axis has no fixed size")
        return self._shape[0]

    def __iter__(self):
        raise TypeError(f"{self!r} is not iterable; slice it (x[:, i]) or use a layer")


def is_symbolic(value) -> bool:
    """Whether ``value`` is, or (in a list, tuple or dict) contains, a KerasTensor."""
    if isinstance(value, KerasTensor):
        return True
    if isinstance(value, (list, tuple)):
        return any(is_symbolic(v) for v in value)
    if isinstance(value, dict):
        return any(is_symbolic(v) for v in value.values())
    return False
