"""StringLookup: string tokens to contiguous indices (vocabulary given or learned by adapt()).

Keras' index layout: with ``output_mode="int"`` the mask token (if any) is index 0, then
``num_oov_indices`` OOV indices, then the vocabulary; in the other modes the mask token has
no index (masked tokens count nowhere). With several OOV indices a token's OOV index is
FarmHash64 of it (SipHash with ``salt``) modulo ``num_oov_indices``, equal to Keras on TF.
"""

from __future__ import annotations

import itertools
from collections import Counter

import numpy as np

from ..._string_arrays import OBJECT, bytes_array, to_bytes
from ..._tracing import host_call
from ...errors import InvalidArgumentError
from ...ragged.ragged_tensor import RaggedTensor
from ...strings._farmhash import fingerprint64, siphash24
from ...tensor import Tensor
from .._context import probing
from ..base import Layer
from ._text_data import text_batches
from ._text_encoding import MODES, encode_ids, on_device


class StringLookup(Layer):
    """Maps strings to indices (or, with ``invert=True``, indices back to strings), as
    ``keras.layers.StringLookup``.

    Args:
        max_tokens: the largest vocabulary (OOV and mask indices included); None: no limit.
        num_oov_indices: indices for out-of-vocabulary tokens; 0 makes them an error.
        mask_token: a token that means "masked" (index 0 in "int" mode); None: none.
        oov_token: what :meth:`get_vocabulary` and ``invert=True`` show for OOV indices.
        vocabulary: a list of strings, an array, or the path of a text file (one token a
            line); else call :meth:`adapt`, which orders tokens by decreasing count, ties
            by decreasing token.
        idf_weights: with ``output_mode="tf_idf"`` and a ``vocabulary``, one weight a token.
        invert: map indices to tokens.
        output_mode: ``"int"``, ``"one_hot"``, ``"multi_hot"``, ``"count"`` or ``"tf_idf"``.
        pad_to_max_tokens: make the encoded axis ``max_tokens`` wide.
        salt: with several OOV indices, hash OOV tokens with SipHash keyed by ``salt`` (an
            int or a pair of ints) instead of FarmHash64.
        encoding: the text encoding of str inputs (only ``"utf-8"``).
    """

    _allow_non_tensor_positional_args = True  # as Keras' data layers: lists, strings

    _cast_int_inputs = False

    def __init__(
        self,
        max_tokens=None,
        num_oov_indices=1,
        mask_token=None,
        oov_token="[UNK]",
        vocabulary=None,
        idf_weights=None,
        invert=False,
        output_mode="int",
        pad_to_max_tokens=False,
        sparse=False,
        encoding="utf-8",
        name=None,
        oov_method="floormod",
        salt=None,
        vocabulary_size=None,
        **kwargs,
    ) -> None:
        kwargs.pop("vocabulary_dtype", None)
        super().__init__(name=name, **kwargs)
        where = self._where()
        if max_tokens is not None and int(max_tokens) <= 1:
            raise ValueError(
                f"{where}: if set, max_tokens must be greater than 1, received "
                f"max_tokens={max_tokens!r}"
            )
        if int(num_oov_indices) < 0:
            raise ValueError(
                f"{where}: num_oov_indices must be greater than or equal to 0, received "
                f"num_oov_indices={num_oov_indices!r}"
            )
        if output_mode == "tf-idf":
            output_mode = "tf_idf"
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode not in MODES:
            raise ValueError(
                f"{where}: unknown value for output_mode; allowed values are {MODES}, "
                f"received output_mode={output_mode!r}"
            )
        if invert and output_mode != "int":
            raise ValueError(
                f"{where}: output_mode must be 'int' when invert is true, received "
                f"output_mode={output_mode!r}"
            )
        if sparse:
            raise ValueError(f"{where}: sparse=True is not supported")
        if encoding.lower().replace("-", "") != "utf8":
            raise ValueError(f"{where}: only encoding='utf-8' is supported, received {encoding!r}")
        if oov_method not in ("floormod", "farmhash"):
            raise ValueError(
                f"{where}: oov_method must be 'floormod' or 'farmhash', received {oov_method!r}"
            )
        if idf_weights is not None and output_mode != "tf_idf":
            raise ValueError(
                f"{where}: idf_weights should only be set if output_mode is 'tf_idf', "
                f"received output_mode={output_mode!r}"
            )
        if output_mode == "tf_idf" and vocabulary is not None and idf_weights is None:
            raise ValueError(
                f"{where}: when specifying the vocabulary argument in TF-IDF output mode, "
                "the idf_weights argument must also be provided"
            )
        self.max_tokens = None if max_tokens is None else int(max_tokens)
        self.num_oov_indices = int(num_oov_indices)
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.invert = bool(invert)
        self.output_mode = output_mode
        self.pad_to_max_tokens = bool(pad_to_max_tokens)
        self.sparse = False
        self.encoding = encoding
        self.oov_method = oov_method
        self.salt = _salt(salt, where)
        self.input_vocabulary = vocabulary
        self.input_idf_weights = idf_weights
        self._tokens: list = []  # the vocabulary as bytes, without special tokens
        # Keras' config records the vocabulary size; a Keras file keeps an adapted
        # vocabulary as an asset, restored after the model is built: until then the
        # recorded size gives the encodings' width
        self._pending_size = None if vocabulary is not None else vocabulary_size
        self._idf = None  # tf_idf: a weight per index
        self.built = True
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)

    # -- the index layout ----------------------------------------------------------------------
    def _oov_start(self) -> int:
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start(self) -> int:
        return self._oov_start() + self.num_oov_indices

    def vocabulary_size(self) -> int:
        """The number of indices: mask (in "int" mode), OOV indices and the vocabulary."""
        if not self._tokens and self._pending_size is not None:
            return int(self._pending_size)
        return self._token_start() + len(self._tokens)

    def get_vocabulary(self, include_special_tokens=True) -> list:
        """Every index's token (as str); without the mask and OOV tokens when asked."""
        # Keras lists the learned tokens as NumPy strings (np.str_), the special ones as str
        tokens = [np.str_(t.decode("utf-8")) for t in self._tokens]
        vocab = [self.oov_token] * self._token_start() + tokens
        if self.mask_token is not None and self.output_mode == "int":
            vocab[0] = self.mask_token
        return vocab if include_special_tokens else vocab[self._token_start() :]

    def set_vocabulary(self, vocabulary, idf_weights=None) -> None:
        """Use ``vocabulary`` (strings, or a file of one token a line); it may start with
        the special tokens in index order, as :meth:`get_vocabulary` lists them."""
        where = self._where()
        if self.output_mode == "tf_idf" and idf_weights is None:
            raise ValueError(f"{where}: idf_weights must be set if output_mode is 'tf_idf'")
        if isinstance(vocabulary, str):
            with open(vocabulary, encoding="utf-8") as f:
                vocabulary = [line for line in f.read().splitlines()]
            while vocabulary and vocabulary[-1] == "":
                vocabulary.pop()
        if isinstance(vocabulary, Tensor):
            vocabulary = vocabulary.numpy()
        tokens = list(bytes_array(np.asarray(vocabulary, dtype=object).reshape(-1), where))
        if not tokens:
            raise ValueError(f"{where}: cannot set an empty vocabulary")
        specials = [self._mask_bytes()] * self._oov_start() + [
            to_bytes(self.oov_token)
        ] * self.num_oov_indices
        found_specials = tokens[: len(specials)] == specials
        if found_specials:
            tokens = tokens[len(specials) :]
        repeated = sorted(t for t, n in Counter(tokens).items() if n > 1)
        if repeated:
            raise ValueError(
                f"{where}: the passed vocabulary has at least one repeated term; the "
                f"repeated terms are {[t.decode('utf-8') for t in repeated]}"
            )
        if self.mask_token is not None and self._mask_bytes() in tokens:
            raise ValueError(
                f"{where}: found the mask token {self.mask_token!r} inside the vocabulary; "
                f"leave it out, or give the special tokens first in this order: "
                f"{[s.decode('utf-8') for s in specials]}"
            )
        if self.invert and self.oov_token is not None and to_bytes(self.oov_token) in tokens:
            raise ValueError(
                f"{where}: found the OOV token {self.oov_token!r} inside the vocabulary"
            )
        size = self._token_start() + len(tokens)
        if self.max_tokens is not None and size > self.max_tokens:
            raise ValueError(
                f"{where}: attempted to set a vocabulary larger than the maximum vocab size; "
                f"the vocabulary size is {size}, max_tokens is {self.max_tokens}"
            )
        self._tokens = tokens
        self._pending_size = None
        if self.output_mode == "tf_idf":
            weights = np.asarray(
                idf_weights.numpy() if isinstance(idf_weights, Tensor) else idf_weights,
                dtype=np.float64,
            )
            if weights.ndim != 1 or len(weights) != len(vocabulary):
                raise ValueError(
                    f"{where}: idf_weights must be one weight per vocabulary entry "
                    f"({len(vocabulary)}), received shape {weights.shape}"
                )
            front = 0 if found_specials else self._token_start()
            weights = np.concatenate([np.full(front, weights.mean()), weights])
            self._idf = self._pad_idf(weights)

    def _restore_keras_assets(self, lines: list, idf_weights) -> None:
        """A vocabulary Keras saved as an asset (special tokens first; with its tf-idf
        weights, one per index): what adapt() learned in Keras."""
        if self.input_vocabulary is not None:
            return  # a vocabulary given in the config wins, as in Keras
        specials = self._token_start()
        self._tokens = [t.encode("utf-8") for t in lines[specials:]]
        self._pending_size = None
        if self.output_mode == "tf_idf" and idf_weights is not None:
            self._idf = np.asarray(idf_weights, dtype=np.float32)

    def _keras_own_variables(self) -> dict:
        """What Keras' save_own_variables writes for this layer in a .keras file."""
        if self.output_mode != "tf_idf":
            return {}
        idf = self._idf if self._idf is not None else np.zeros(self._token_start(), np.float32)
        return {"idf_weights": np.asarray(idf, np.float32)}

    def _pad_idf(self, weights: np.ndarray) -> np.ndarray:
        if self.pad_to_max_tokens and self.max_tokens is not None:
            weights = np.pad(weights, (0, self.max_tokens - len(weights)))
        return weights.astype(np.float32)

    @property
    def idf_weights(self):
        """tf_idf: a weight per index (None in the other modes)."""
        return None if self._idf is None else Tensor(self._idf)

    def _mask_bytes(self):
        return None if self.mask_token is None else to_bytes(self.mask_token)

    # -- adapt ---------------------------------------------------------------------------------
    def adapt(self, data, batch_size=None, steps=None) -> None:
        """Learn the vocabulary (and tf_idf weights) from strings: an array or list, a
        Tensor, or a Dataset / iterable of batches. A rank-1 array is one token a document."""
        where = self._where()
        if self.input_vocabulary is not None:
            raise ValueError(
                f"{where}: cannot adapt a layer after setting a static vocabulary via the "
                "vocabulary argument or set_vocabulary()"
            )
        self._adapt_rows(text_batches(data, steps, where))

    def _adapt_rows(self, batches) -> None:
        """Learn the vocabulary from ``batches`` (lists of documents: lists of bytes)."""
        counts: Counter = Counter()
        doc_counts: Counter = Counter()
        documents = 0
        for rows in batches:
            if self.output_mode != "tf_idf":  # one count over the whole batch's tokens
                counts.update(itertools.chain.from_iterable(rows))
                continue
            for row in rows:
                counts.update(row)
                doc_counts.update(set(row))
                documents += 1
        for special in (self._mask_bytes(), to_bytes(self.oov_token) if self.oov_token else None):
            counts.pop(special, None)
        ordered = sorted(counts.items(), key=lambda item: (item[1], item[0]), reverse=True)
        tokens = [t for t, _ in ordered]
        if self.max_tokens:
            tokens = tokens[: max(self.max_tokens - self._token_start(), 0)]
        self._tokens = tokens
        self._pending_size = None
        if self.output_mode == "tf_idf":
            df = np.asarray([doc_counts[t] for t in tokens], dtype=np.float64)
            idf = np.log(1 + documents / (1 + df))
            mean = idf.mean() if idf.size else 0.0
            self._idf = self._pad_idf(np.concatenate([np.full(self._token_start(), mean), idf]))

    # -- call ----------------------------------------------------------------------------------
    # One host step in a compiled function (gpuflow.function, fit): it runs again on each
    # call's strings, as TensorFlow runs the layer inside its graph.
    @host_call(effect=False)
    def call(self, inputs):
        if isinstance(inputs, RaggedTensor):
            return self._call_ragged(inputs)
        if not isinstance(inputs, Tensor):
            inputs = Tensor(inputs)
        data = np.asarray(inputs) if inputs._data.dtype is not OBJECT else inputs._data
        if self.invert:
            return self._invert(data)
        ids = self._lookup(data)
        return self._encode(ids)

    def _call_ragged(self, inputs: RaggedTensor):
        flat = inputs.flat_values
        data = flat._data if flat._data.dtype is OBJECT else flat.numpy()
        if self.invert:
            return inputs.with_flat_values(Tensor._wrap(self._invert_array(data), flat._device))
        ids = self._lookup(data)
        if self.output_mode == "int":
            return inputs.with_flat_values(Tensor._wrap(ids, flat._device))
        if inputs.ragged_rank != 1:
            raise ValueError(
                f"{self._where()}: output_mode={self.output_mode!r} takes ragged inputs of "
                f"ragged_rank 1, received ragged_rank {inputs.ragged_rank}"
            )
        splits = inputs.row_splits.numpy()
        depth = self._depth()
        counts = np.zeros((len(splits) - 1, depth), np.int64)
        rows = np.repeat(np.arange(len(splits) - 1), np.diff(splits))
        keep = ids >= 0
        np.add.at(counts, (rows[keep], ids[keep]), 1)
        return on_device(self._finish(counts))

    def _lookup(self, data: np.ndarray) -> np.ndarray:
        where = self._where()
        if data.dtype is not OBJECT:
            raise TypeError(f"{where}: expected string inputs, received dtype {data.dtype.name}")
        index = {t: i + self._token_start() for i, t in enumerate(self._tokens)}
        mask = self._mask_bytes()
        mask_value = 0 if self.output_mode == "int" else -1
        start, n_oov = self._oov_start(), self.num_oov_indices
        flat = data.ravel().tolist()
        out = np.empty(len(flat), np.int64)
        for k, token in enumerate(flat):
            i = index.get(token)
            if i is None:
                if mask is not None and token == mask:
                    i = mask_value
                elif n_oov == 0 and probing():  # a placeholder '' of a symbolic call
                    i = self._token_start()
                elif n_oov == 0:
                    raise InvalidArgumentError(
                        None,
                        where,
                        f"{where}: when num_oov_indices=0 all inputs should be in the "
                        f"vocabulary, found OOV value {token!r}; consider num_oov_indices=1",
                    )
                elif n_oov == 1:
                    i = start
                elif self.salt is not None:
                    i = start + siphash24(tuple(self.salt), token) % n_oov
                else:
                    i = start + fingerprint64(token) % n_oov
            out[k] = i
        return out.reshape(data.shape)

    def _depth(self) -> int:
        if self.pad_to_max_tokens and self.max_tokens is not None:
            return self.max_tokens
        return self.vocabulary_size()

    def _encode(self, ids: np.ndarray):
        if self.output_mode == "int":
            return on_device(ids)
        return on_device(self._finish(encode_ids(ids, self.output_mode, self._depth())))

    def _finish(self, counts: np.ndarray) -> np.ndarray:
        if self.output_mode == "tf_idf":
            # before adapt(): weights of 0, as Keras' zero-initialized idf_weights
            idf = self._idf if self._idf is not None else np.zeros(counts.shape[-1], np.float32)
            return (counts * idf).astype(self.compute_dtype)
        if self.output_mode in ("multi_hot",):
            return np.minimum(counts, 1)
        return counts

    def _invert(self, data: np.ndarray):
        return on_device(self._invert_array(data))

    def _invert_array(self, data: np.ndarray) -> np.ndarray:
        if data.dtype.kind not in "iu":
            raise TypeError(
                f"{self._where()}: invert=True expects integer indices, received dtype "
                f"{data.dtype.name}"
            )
        vocab = bytes_array(self.get_vocabulary(), self._where())
        inside = (data >= 0) & (data < len(vocab))
        out = np.where(inside, vocab[np.clip(data, 0, len(vocab) - 1)], to_bytes(self.oov_token))
        return out.astype(object)

    def compute_output_shape(self, input_shape) -> tuple:
        shape = tuple(input_shape)
        if self.output_mode == "int":
            return shape
        depth = self._depth()
        if self.output_mode == "one_hot":
            if len(shape) > 1 and shape[-1] == 1:
                return shape[:-1] + (depth,)
            return shape + (depth,)
        return shape[:-1] + (depth,)

    def get_config(self) -> dict:
        # The learned vocabulary is kept in the config (Keras keeps it as an asset file), so
        # that from_config and saved models recreate the layer with it.
        vocabulary = self.get_vocabulary(include_special_tokens=False) or None
        idf = None
        if self._idf is not None:
            idf = self._idf[self._token_start() : self._token_start() + len(self._tokens)]
            idf = [float(w) for w in idf]
        return {
            **super().get_config(),
            "invert": self.invert,
            "max_tokens": self.max_tokens,
            "num_oov_indices": self.num_oov_indices,
            "oov_token": self.oov_token,
            "mask_token": self.mask_token,
            "output_mode": self.output_mode,
            "sparse": False,
            "pad_to_max_tokens": self.pad_to_max_tokens,
            "idf_weights": idf,
            "vocabulary": vocabulary,
            "vocabulary_size": self.vocabulary_size(),
            "oov_method": self.oov_method,
            "salt": self.salt,
            "encoding": self.encoding,
        }


def _salt(salt, where):
    if salt is None:
        return None
    if isinstance(salt, (list, tuple)) and len(salt) == 2:
        return [int(salt[0]), int(salt[1])]
    if isinstance(salt, int) and not isinstance(salt, bool):
        return [salt, salt]
    raise ValueError(
        f"{where}: salt can only be a tuple of 2 integers or a single integer, received {salt!r}"
    )
