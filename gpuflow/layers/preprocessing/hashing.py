"""Hashing: values (strings, or integers as their decimal text) to ``num_bins`` bins by
FarmHash64, or by SipHash-2-4 keyed with ``salt``: the same bins as Keras on TensorFlow."""

from __future__ import annotations

import numpy as np

from ..._string_arrays import OBJECT, to_bytes
from ..._tracing import host_call
from ...ragged.ragged_tensor import RaggedTensor
from ...strings._farmhash import fingerprint64, siphash24
from ...tensor import Tensor
from ..base import Layer
from ._text_encoding import encode_ids, on_device

_MODES = ("int", "one_hot", "multi_hot", "count")


class Hashing(Layer):
    """Hashes each value into one of ``num_bins`` bins, as ``keras.layers.Hashing``.

    Args:
        num_bins: the number of bins (the mask bin included).
        mask_value: a value that goes to bin 0; the others then hash into ``num_bins - 1``
            bins shifted by one.
        salt: None (FarmHash64), an int or a pair of ints (SipHash-2-4 keyed with it).
        output_mode: ``"int"`` (bin indices, int64), ``"one_hot"``, ``"multi_hot"`` or
            ``"count"`` (vectors of ``num_bins``, float32).
    """

    _allow_non_tensor_positional_args = True  # as Keras' data layers: lists, strings

    _cast_int_inputs = False

    def __init__(
        self, num_bins, mask_value=None, salt=None, output_mode="int", sparse=False, **kwargs
    ) -> None:
        if kwargs.get("dtype") is None and output_mode == "int":
            kwargs["dtype"] = "int64"  # Keras' default (its configs carry it; int mode needs it)
        super().__init__(**kwargs)
        where = self._where()
        if num_bins is None or int(num_bins) <= 0:
            raise ValueError(
                f"{where}: num_bins cannot be None or non-positive, received num_bins={num_bins!r}"
            )
        if output_mode not in _MODES:
            raise ValueError(
                f"{where}: invalid value for output_mode; expected one of {_MODES}, received "
                f"output_mode={output_mode!r}"
            )
        if sparse:
            raise ValueError(f"{where}: sparse=True is not supported")
        if salt is not None:
            if isinstance(salt, (tuple, list)) and len(salt) == 2:
                salt = [int(salt[0]), int(salt[1])]
            elif isinstance(salt, int) and not isinstance(salt, bool):
                salt = [salt, salt]
            else:
                raise ValueError(
                    f"{where}: salt can only be a tuple of 2 integers or a single integer, "
                    f"received salt={salt!r}"
                )
        self.num_bins = int(num_bins)
        self.mask_value = mask_value
        self.salt = salt
        self.strong_hash = salt is not None
        self.output_mode = output_mode
        self.sparse = False
        self.built = True

    def _bins(self, values: np.ndarray) -> np.ndarray:
        """Bin indices (int64) of a host array of strings or numbers."""
        bins = self.num_bins
        mask = None
        if self.mask_value is not None and bins > 1:
            bins -= 1
            target = to_bytes(self.mask_value) if values.dtype is OBJECT else self.mask_value
            mask = values == target
        if values.dtype is OBJECT:
            texts = values.ravel().tolist()
        elif values.dtype.kind in "iufb":
            # TensorFlow: floats cast to int64, then numbers hash as their decimal text
            texts = [str(int(v)).encode() for v in values.astype(np.int64).ravel().tolist()]
        else:
            raise TypeError(f"{self._where()}: cannot hash values of dtype {values.dtype.name}")
        if self.strong_hash:
            key = tuple(self.salt)
            out = [siphash24(key, t) % bins for t in texts]
        else:
            out = [fingerprint64(t) % bins for t in texts]
        out = np.asarray(out, np.int64).reshape(values.shape)
        if mask is not None:
            out = np.where(mask, 0, out + 1)
        return out

    # One host step in a compiled function (gpuflow.function, fit).
    @host_call(effect=False)
    def call(self, inputs):
        if isinstance(inputs, RaggedTensor):
            if self.output_mode != "int":
                raise ValueError(
                    f"{self._where()}: ragged inputs need output_mode='int', received "
                    f"{self.output_mode!r}"
                )
            flat = inputs.flat_values
            values = flat._data if flat._data.dtype is OBJECT else flat.numpy()
            return inputs.with_flat_values(Tensor._wrap(self._bins(values), flat._device))
        if not isinstance(inputs, Tensor):
            inputs = Tensor(inputs)
        values = inputs._data if inputs._data.dtype is OBJECT else np.asarray(inputs.numpy())
        if self.output_mode == "one_hot" and values.ndim and values.shape[-1] == 1:
            values = values[..., 0]
        bins = self._bins(values)
        if self.output_mode == "int":
            return on_device(bins)
        encoded = encode_ids(bins, self.output_mode, self.num_bins)
        if self.output_mode == "multi_hot":
            encoded = np.minimum(encoded, 1)
        return on_device(encoded.astype(self.compute_dtype))

    def compute_output_shape(self, input_shape) -> tuple:
        if self.output_mode == "int":
            return tuple(input_shape)
        if len(input_shape) == 0:
            return (self.num_bins,)
        return tuple(input_shape[:-1]) + (self.num_bins,)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "num_bins": self.num_bins,
            "salt": self.salt,
            "mask_value": self.mask_value,
            "output_mode": self.output_mode,
            "sparse": False,
        }
