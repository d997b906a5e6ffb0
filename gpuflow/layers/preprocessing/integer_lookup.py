"""IntegerLookup: integer tokens to contiguous indices (vocabulary given or learned by adapt())."""

from __future__ import annotations

from collections import Counter

import numpy as np

from ..._tracing import host_call
from ...strings._farmhash import fingerprint64, siphash24
from ...tensor import Tensor
from .._context import probing
from ..base import Layer
from ._data import batches
from ._encoding import check_mode, encode
from .string_lookup import _salt


class IntegerLookup(Layer):
    """Maps integer tokens to indices: the mask token (if any) to 0, unknown tokens to the OOV
    indices, the vocabulary after them, as ``keras.layers.IntegerLookup``.

    Args:
        max_tokens: the largest vocabulary adapt() keeps (OOV and mask indices included).
        num_oov_indices: indices for unknown tokens (token ``% num_oov_indices`` picks one,
            or its hash with ``oov_method="farmhash"``); 0 makes unknown tokens an error.
        mask_token: a token mapped to index 0 (None: no mask index).
        oov_token: the token :meth:`get_vocabulary` and ``invert=True`` show for OOV indices.
        vocabulary: a list of tokens (else call :meth:`adapt`, which orders tokens by
            decreasing frequency, ties by decreasing value, as Keras).
        vocabulary_dtype: ``"int64"`` (the only one, as Keras).
        invert: map indices back to tokens.
        output_mode: ``"int"``, ``"one_hot"``, ``"multi_hot"`` or ``"count"``.
        oov_method: ``"floormod"`` or ``"farmhash"`` (FarmHash64 of the token's decimal
            string, as Keras on TensorFlow: ``tf.strings.to_hash_bucket_fast``).
        salt: with ``"farmhash"``, SipHash keyed by it instead (an int or two ints).
    """

    _allow_non_tensor_positional_args = True  # as Keras' data layers: lists, strings

    _cast_int_inputs = False

    def __init__(
        self,
        max_tokens=None,
        num_oov_indices=1,
        mask_token=None,
        oov_token=-1,
        vocabulary=None,
        vocabulary_dtype="int64",
        idf_weights=None,
        invert=False,
        output_mode="int",
        sparse=False,
        pad_to_max_tokens=False,
        vocabulary_size=None,
        oov_method="floormod",
        salt=None,
        **kwargs,
    ) -> None:
        # Keras' IntegerLookup computes in int64 unless given a dtype: its encodings are int64.
        self._encoding_dtype = "int64" if kwargs.get("dtype") is None else None
        super().__init__(**kwargs)
        where = self._where()
        if max_tokens is not None and int(max_tokens) <= 1:
            raise ValueError(
                f"{where}: max_tokens must be greater than 1 (or None), received "
                f"max_tokens={max_tokens!r}"
            )
        if int(num_oov_indices) < 0:
            raise ValueError(
                f"{where}: num_oov_indices must be >= 0, received "
                f"num_oov_indices={num_oov_indices!r}"
            )
        if idf_weights is not None or sparse or pad_to_max_tokens:
            raise ValueError(
                f"{where}: idf_weights, sparse and pad_to_max_tokens are not supported"
            )
        if vocabulary_dtype != "int64":
            raise ValueError(
                f"{where}: only vocabulary_dtype='int64' is supported (as Keras), "
                f"received vocabulary_dtype={vocabulary_dtype!r}"
            )
        if oov_method not in ("floormod", "farmhash"):
            raise ValueError(
                f"{where}: oov_method must be 'floormod' or 'farmhash', received {oov_method!r}"
            )
        if salt is not None and oov_method != "farmhash":
            raise ValueError(
                f"{where}: salt can only be used when oov_method='farmhash', received "
                f"oov_method={oov_method!r}"
            )
        self.oov_method = oov_method
        self.salt = _salt(salt, where)
        self.max_tokens = None if max_tokens is None else int(max_tokens)
        self.num_oov_indices = int(num_oov_indices)
        self.mask_token = None if mask_token is None else int(mask_token)
        self.oov_token = int(oov_token)
        self.vocabulary_dtype = vocabulary_dtype
        self.invert = bool(invert)
        if output_mode == "binary":  # Keras 3's alias (the structured-data examples use it)
            output_mode = "multi_hot"
        self.output_mode = check_mode(output_mode, where)
        if self.invert and self.output_mode != "int":
            raise ValueError(
                f"{where}: invert=True needs output_mode='int', received "
                f"output_mode={output_mode!r}"
            )
        self._vocabulary: list = []
        self._given_vocabulary = vocabulary is not None
        # the size Keras' config records, the encodings' width until a Keras file's
        # vocabulary asset is restored (see StringLookup)
        self._pending_size = None if vocabulary is not None else vocabulary_size
        if vocabulary is not None:
            self.set_vocabulary(vocabulary)

    def _restore_keras_assets(self, lines: list, idf_weights) -> None:
        """The vocabulary Keras saved as an asset of a ``.keras`` file (mask and OOV tokens
        first): what adapt() learned in Keras. A vocabulary given in the config wins."""
        if not self._given_vocabulary:
            self.set_vocabulary([int(t) for t in lines[self._reserved() :]])

    def _reserved(self) -> int:
        return self.num_oov_indices + (self.mask_token is not None)

    def set_vocabulary(self, vocabulary) -> None:
        """Use ``vocabulary`` (a list or array of distinct ints, without OOV and mask tokens)."""
        tokens = [int(t) for t in np.asarray(vocabulary).reshape(-1)]
        if len(set(tokens)) != len(tokens):
            raise ValueError(
                f"{self._where()}: the vocabulary must not repeat tokens, received {tokens}"
            )
        if self.mask_token is not None and self.mask_token in tokens:
            raise ValueError(
                f"{self._where()}: the vocabulary must not hold the mask token {self.mask_token}"
            )
        self._vocabulary = tokens
        self._pending_size = None

    def get_vocabulary(self, include_special_tokens=True) -> list:
        """Every index's token: [mask token], OOV tokens, then the vocabulary (as np.int64,
        as Keras lists them); without the mask and OOV tokens when asked."""
        tokens = [np.int64(t) for t in self._vocabulary]
        if not include_special_tokens:
            return tokens
        head = [] if self.mask_token is None else [self.mask_token]
        return head + [self.oov_token] * self.num_oov_indices + tokens

    def vocabulary_size(self) -> int:
        if not self._vocabulary and self._pending_size is not None:
            return int(self._pending_size)
        return self._reserved() + len(self._vocabulary)

    def adapt(self, data, batch_size=None, steps=None) -> None:
        """Learn the vocabulary from ``data`` (an array or iterable of batches) by frequency."""
        counts: Counter = Counter()
        for batch in batches(data, steps, self._where()):
            counts.update(int(t) for t in batch.reshape(-1))
        counts.pop(self.mask_token, None)
        ordered = sorted(counts.items(), key=lambda item: (-item[1], -item[0]))
        tokens = [t for t, _ in ordered]
        if self.max_tokens is not None:
            tokens = tokens[: max(self.max_tokens - self._reserved(), 0)]
        self._vocabulary = tokens
        self._pending_size = None

    @host_call(effect=False)  # works on host arrays: one step of a compiled call
    def call(self, inputs):
        data = inputs._device.to_host(inputs._data)
        if data.dtype.kind in "fb":
            # As Keras (tf.cast to its int64 keys): floats truncate toward zero, bools are 0/1.
            data = data.astype("int64")
        elif data.dtype.kind not in "iu":
            raise TypeError(
                f"{self._where()}: expected integer tokens, received dtype {inputs.dtype.name}"
            )
        if self.invert:
            return self._invert(data, inputs)
        table = {t: i + self._reserved() for i, t in enumerate(self._vocabulary)}
        flat = data.reshape(-1)
        out = np.empty(flat.shape, dtype="int64")
        offset = int(self.mask_token is not None)
        for k, token in enumerate(flat.tolist()):
            index = table.get(token)
            if index is None:
                if self.mask_token is not None and token == self.mask_token:
                    index = 0
                elif self.num_oov_indices == 0 and probing():  # a symbolic call's zeros
                    index = offset
                elif self.num_oov_indices == 0:
                    raise ValueError(
                        f"{self._where()}: token {token} is not in the vocabulary and "
                        "num_oov_indices=0"
                    )
                elif self.oov_method == "farmhash" and self.num_oov_indices > 1:
                    # Keras: the token's decimal string, FarmHash64 (SipHash with a salt)
                    text = str(token).encode()
                    if self.salt is not None:
                        digest = siphash24(tuple(self.salt), text)
                    else:
                        digest = fingerprint64(text)
                    index = offset + digest % self.num_oov_indices
                else:
                    index = offset + token % self.num_oov_indices
            out[k] = index
        ids = Tensor._wrap(inputs._device.asarray(out.reshape(data.shape)), inputs._device)
        return encode(
            ids,
            self.output_mode,
            self.vocabulary_size(),
            self._encoding_dtype or self.compute_dtype,
            self._where(),
        )

    def _invert(self, data, inputs):
        vocab = np.asarray(self.get_vocabulary(), dtype=self.vocabulary_dtype)
        # As Keras: an index outside the vocabulary inverts to the OOV token.
        inside = (data >= 0) & (data < len(vocab))
        tokens = np.where(inside, vocab[np.where(inside, data, 0)], self.oov_token)
        tokens = tokens.astype(self.vocabulary_dtype)
        return Tensor._wrap(inputs._device.asarray(tokens), inputs._device)

    def compute_output_shape(self, input_shape) -> tuple:
        shape = tuple(input_shape)
        if self.output_mode == "int":
            return shape
        depth = self.vocabulary_size()
        if self.output_mode == "one_hot" and shape[-1] != 1:
            return shape + (depth,)
        return shape[:-1] + (depth,)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "max_tokens": self.max_tokens,
            "num_oov_indices": self.num_oov_indices,
            "mask_token": self.mask_token,
            "oov_token": self.oov_token,
            "vocabulary": list(self._vocabulary) or None,
            "vocabulary_dtype": self.vocabulary_dtype,
            "invert": self.invert,
            "output_mode": self.output_mode,
            # Keras 3's keys, with the only values gpuflow's IntegerLookup takes
            "sparse": False,
            "pad_to_max_tokens": False,
            "idf_weights": None,
            "vocabulary_size": self.vocabulary_size(),
            "oov_method": self.oov_method,
            "salt": self.salt,
        }
