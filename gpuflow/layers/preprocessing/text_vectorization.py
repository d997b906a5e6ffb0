"""TextVectorization: raw strings to token ids (or multi-hot, count, tf-idf vectors).

Keras' pipeline, step by step: standardize (lower-case ASCII and strip punctuation, or a
callable), split (on whitespace, into characters, or a callable), n-grams, then a
StringLookup whose mask token ``""`` is index 0 and OOV token ``"[UNK]"`` index 1.
"""

from __future__ import annotations

import numpy as np

from ..._tracing import host_call, tracing
from ...ragged.ragged_tensor import RaggedTensor
from ...saving.object_registration import (
    function_config,
    get_registered_name,
    is_function_config,
    lookup,
)
from ...tensor import Tensor
from ..base import Layer
from ._text_data import raw_batches, rows_of
from ._text_encoding import on_device
from .string_lookup import StringLookup

_PUNCTUATION = r'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']'
_STANDARDIZE = ("lower_and_strip_punctuation", "lower", "strip_punctuation")
_SPLIT = ("whitespace", "character")
_MODES = ("int", "multi_hot", "count", "tf_idf")


class TextVectorization(Layer):
    """Turns strings into sequences of token ids or into one vector per string, as
    ``keras.layers.TextVectorization``.

    Args:
        max_tokens: the largest vocabulary (the mask "" and OOV "[UNK]" included).
        standardize: ``"lower_and_strip_punctuation"`` (default), ``"lower"``,
            ``"strip_punctuation"``, None, or a callable on a string tensor.
        split: ``"whitespace"`` (default), ``"character"``, None, or a callable returning
            a RaggedTensor of tokens.
        ngrams: None, an int n (all n-grams up to n), or a tuple of widths.
        output_mode: ``"int"``, ``"multi_hot"``, ``"count"`` or ``"tf_idf"``.
        output_sequence_length: "int" mode: pad with 0 or cut each sequence to this length
            (None: pad to the longest in the batch).
        pad_to_max_tokens: encoded modes: make the vector ``max_tokens`` wide.
        vocabulary: a list of tokens or a file path (else call :meth:`adapt`).
        idf_weights: tf_idf with a vocabulary: one weight a token.
        ragged: "int" mode: return a RaggedTensor of ids instead of padding.
    """

    _allow_non_tensor_positional_args = True  # as Keras' data layers: lists, strings

    _cast_int_inputs = False

    def __init__(
        self,
        max_tokens=None,
        standardize="lower_and_strip_punctuation",
        split="whitespace",
        ngrams=None,
        output_mode="int",
        output_sequence_length=None,
        pad_to_max_tokens=False,
        vocabulary=None,
        idf_weights=None,
        sparse=False,
        ragged=False,
        encoding="utf-8",
        name=None,
        vocabulary_size=None,
        **kwargs,
    ) -> None:
        kwargs.pop("has_input_vocabulary", None)
        super().__init__(name=name, **kwargs)
        where = self._where()
        if output_mode == "tf-idf":
            output_mode = "tf_idf"
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode not in _MODES:
            raise ValueError(
                f"{where}: unknown value for output_mode; allowed values are {_MODES}, "
                f"received output_mode={output_mode!r}"
            )
        if not (standardize is None or standardize in _STANDARDIZE or callable(standardize)):
            raise ValueError(
                f"{where}: standardize must be None, a callable or one of {_STANDARDIZE}, "
                f"received standardize={standardize!r}"
            )
        if not (split is None or split in _SPLIT or callable(split)):
            raise ValueError(
                f"{where}: split must be None, a callable or one of {_SPLIT}, received "
                f"split={split!r}"
            )
        if max_tokens is not None and int(max_tokens) < 1:
            raise ValueError(f"{where}: max_tokens must be > 0, received max_tokens={max_tokens}")
        if ngrams is not None and not (
            isinstance(ngrams, int)
            or (isinstance(ngrams, (tuple, list)) and all(isinstance(n, int) for n in ngrams))
        ):
            raise ValueError(
                f"{where}: ngrams must be None, an integer, or a tuple of integers, received "
                f"ngrams={ngrams!r}"
            )
        if output_mode == "int" and not (
            output_sequence_length is None or isinstance(output_sequence_length, int)
        ):
            raise ValueError(
                f"{where}: output_sequence_length must be None or an integer when output_mode "
                f"is 'int', received output_sequence_length={output_sequence_length!r}"
            )
        if output_mode != "int" and output_sequence_length is not None:
            raise ValueError(
                f"{where}: output_sequence_length must not be set if output_mode is not "
                f"'int', received output_sequence_length={output_sequence_length!r}"
            )
        if ragged and output_mode != "int":
            raise ValueError(
                f"{where}: ragged=True needs output_mode='int', received "
                f"output_mode={output_mode!r}"
            )
        self._standardize = standardize
        self._split = split
        self._ngrams_arg = tuple(ngrams) if isinstance(ngrams, list) else ngrams
        self._ngrams = tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else ngrams
        self._ragged = bool(ragged)
        self._output_mode = output_mode
        self._output_sequence_length = output_sequence_length
        self._encoding = encoding
        self._has_input_vocabulary = vocabulary is not None  # Keras' attribute (FeatureSpace)
        self._lookup_layer = StringLookup(
            max_tokens=max_tokens,
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            pad_to_max_tokens=pad_to_max_tokens,
            mask_token="",
            output_mode=output_mode,
            sparse=sparse,
            encoding=encoding,
            vocabulary_size=vocabulary_size,  # Keras' config: the width until its asset loads
            name=f"{self.name}_lookup",
        )
        self.built = True

    # -- vocabulary ----------------------------------------------------------------------------
    def get_vocabulary(self, include_special_tokens=True) -> list:
        """The tokens by index: "" (padding), "[UNK]", then the vocabulary."""
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def vocabulary_size(self) -> int:
        return self._lookup_layer.vocabulary_size()

    def set_vocabulary(self, vocabulary, idf_weights=None) -> None:
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights=idf_weights)

    def _keras_own_variables(self) -> dict:
        """Keras writes the tf-idf weights for this layer and for its _lookup_layer."""
        own = self._lookup_layer._keras_own_variables()
        return {**own, **{f"_lookup_layer/vars/{k}": v for k, v in own.items()}}

    def _restore_keras_assets(self, lines: list, idf_weights) -> None:
        """See StringLookup._restore_keras_assets (Keras saves the lookup's vocabulary)."""
        self._lookup_layer._restore_keras_assets(lines, idf_weights)

    def adapt(self, data, batch_size=None, steps=None) -> None:
        """Learn the vocabulary from strings (an array, a list, a Tensor, a Dataset or
        iterable of batches): tokens by decreasing count, ties by decreasing token; with
        ``max_tokens`` the most frequent ones."""
        where = self._where()

        def documents():
            for batch, whole in raw_batches(data, steps, where):
                if isinstance(batch, (str, bytes)):
                    batch = [batch]
                tokens = self._preprocess(batch)
                if isinstance(tokens, Tensor):
                    tokens = tokens._data
                yield rows_of(tokens, whole)

        self._lookup_layer.input_vocabulary = None
        self._lookup_layer._adapt_rows(documents())

    # -- call ----------------------------------------------------------------------------------
    def _preprocess(self, inputs, standardized: bool = False):
        """``standardized``: a callable ``standardize`` was already applied (in call)."""
        from ... import strings

        x = inputs if isinstance(inputs, (Tensor, RaggedTensor)) else Tensor(inputs, dtype="string")
        if self._standardize in ("lower", "lower_and_strip_punctuation"):
            x = strings.lower(x)
        if self._standardize in ("strip_punctuation", "lower_and_strip_punctuation"):
            x = strings.regex_replace(x, _PUNCTUATION, "")
        if callable(self._standardize) and not standardized:
            x = self._standardize(x)
        if self._split is not None:
            if isinstance(x, Tensor) and x.ndim > 1:
                if x.shape[-1] != 1:
                    raise ValueError(
                        f"{self._where()}: when tokenizing strings the input rank must be 1 "
                        f"or the last dimension must be 1, received shape {tuple(x.shape)}"
                    )
                x = Tensor._wrap(x._data[..., 0], x._device)
            if self._split == "whitespace":
                x = strings.split(x)
            elif self._split == "character":
                x = strings.unicode_split(x, "UTF-8")
            else:
                x = self._split(x)
        if self._ngrams is not None:
            x = strings.ngrams(x, ngram_width=self._ngrams, separator=" ")
        return x

    def call(self, inputs):
        if tracing.trace is not None and self._output_mode == "int" and self._ragged:
            from ...graph.trace import NotSupportedInGraphError

            raise NotSupportedInGraphError(
                f"{self._where()}: ragged=True gives a RaggedTensor, which a compiled step "
                "cannot replay yet; run it eagerly (or set ragged=False)"
            )
        standardized = tracing.trace is not None and callable(self._standardize)
        if standardized:
            # the user's function (tf.strings ops) is recorded as its own steps, so that a
            # SavedModel holds it as TensorFlow's graph does (saved_objects.py saves this
            # layer without it)
            if not isinstance(inputs, (Tensor, RaggedTensor)):
                inputs = Tensor(inputs, dtype="string")
            inputs = self._standardize(inputs)
        if (
            self._output_mode == "int"
            and self._output_sequence_length is None
            and self._split is not None
        ):
            # the token count of each batch sets the output's length: in a compiled step
            # the steps after it must not hold that length (graph/step_compare.py)
            return self._vectorize_tokens(inputs, standardized)
        return self._vectorize(inputs, standardized)

    def _config_for_saved_functions(self, config: dict) -> dict:
        """The Keras config a SavedModel keeps for this layer (saved_objects.py): a
        callable ``standardize`` runs as the saved function's own steps (see ``call``), so
        the kept layer has none and loading needs no Python function."""
        if callable(self._standardize):
            config = dict(config, config=dict(config["config"], standardize=None))
        return config

    def _vectorize_call(self, inputs, standardized: bool = False):
        """The layer's output for ``inputs``, on host values."""
        tokens = self._preprocess(inputs, standardized)
        ids = self._lookup_layer.call(tokens)
        if self._output_mode != "int":
            return ids
        length = self._output_sequence_length
        if isinstance(ids, RaggedTensor):
            if self._ragged:
                return ids
            dense = ids.to_tensor(default_value=0)
            array = dense._device.to_host(dense._data)
        else:
            array = ids._device.to_host(ids._data)
        if length is not None and not self._ragged:
            array = array[..., :length]
            missing = length - array.shape[-1]
            if missing > 0:
                pad = [(0, 0)] * (array.ndim - 1) + [(0, missing)]
                array = np.pad(array, pad)
        return on_device(np.ascontiguousarray(array, dtype=np.int64))

    # One host step in a compiled function (gpuflow.function, fit): it runs again on each
    # call's strings, as TensorFlow runs the layer inside its graph.
    _vectorize = host_call(effect=False)(_vectorize_call)
    _vectorize_tokens = host_call(effect=False, varying=-1)(_vectorize_call)

    def compute_output_shape(self, input_shape) -> tuple:
        input_shape = tuple(input_shape)
        if self._output_mode == "int":
            return (input_shape[0], self._output_sequence_length)
        if self._split is None:
            if len(input_shape) <= 1:
                input_shape = input_shape + (1,)
        else:
            input_shape = input_shape + (None,)
        return self._lookup_layer.compute_output_shape(input_shape)

    def _symbolic_output_shape(self, input_shape) -> tuple:
        """The output shape of a call on symbolic inputs (node.py asks): in "int" mode the
        sequence length is unknown without ``output_sequence_length``; the encoded modes
        give ``(batch, depth)`` for ``(batch,)`` or ``(batch, 1)`` inputs (Keras' own
        symbolic shape there keeps a stray axis of 1 that its outputs do not have)."""
        input_shape = tuple(input_shape)
        if self._output_mode == "int":
            return self.compute_output_shape(input_shape)
        if len(input_shape) > 1 and input_shape[-1] == 1:
            input_shape = input_shape[:-1]
        return input_shape + (self._lookup_layer._depth(),)

    # -- config --------------------------------------------------------------------------------
    def get_config(self) -> dict:
        lookup_layer = self._lookup_layer
        config = lookup_layer.get_config()  # keeps the adapted vocabulary (Keras: an asset)
        return {
            **super().get_config(),
            "max_tokens": lookup_layer.max_tokens,
            "standardize": _callable_name(self._standardize, "standardize", self._where()),
            "split": _callable_name(self._split, "split", self._where()),
            "ngrams": self._ngrams_arg,
            "output_mode": self._output_mode,
            "output_sequence_length": self._output_sequence_length,
            "pad_to_max_tokens": lookup_layer.pad_to_max_tokens,
            "sparse": False,
            "ragged": self._ragged,
            "vocabulary": config["vocabulary"],
            "idf_weights": config["idf_weights"],
            "encoding": self._encoding,
            "vocabulary_size": self.vocabulary_size(),
        }

    @classmethod
    def from_config(cls, config: dict) -> "TextVectorization":
        config = dict(config)
        for key in ("standardize", "split"):
            value = config.get(key)
            if is_function_config(value):  # Keras's form of a function it has no name for
                found = lookup([str(value.get("config"))])
                if found is None:
                    raise TypeError(
                        f"TextVectorization.from_config: could not locate the {key} function "
                        f"{value.get('config')!r}; register it with "
                        "@keras.saving.register_keras_serializable() or pass it in "
                        f"custom_objects. Full object config: {value!r}"
                    )
                config[key] = found
            elif isinstance(value, str) and value not in _STANDARDIZE + _SPLIT:
                found = lookup([value])
                if found is None:
                    raise ValueError(
                        f"TextVectorization.from_config: unknown {key} function {value!r}; "
                        "register it with keras.saving.register_keras_serializable"
                    )
                config[key] = found
        if isinstance(config.get("ngrams"), list):
            config["ngrams"] = tuple(config["ngrams"])
        return cls(**config)


def _callable_name(value, what: str, where: str):
    if not callable(value):
        return value
    name = get_registered_name(value)
    if lookup([name]) is None:
        # Keras 3 writes such a function by its name, which only a load that is given the
        # function again (custom_objects) can find
        return function_config(value)
    return name
