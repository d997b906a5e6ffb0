"""``tf.keras.preprocessing.text``: Keras 1's text tools, which tf.keras still exports.

``Tokenizer`` (word or character vocabularies, sequences, bag-of-words matrices, JSON),
``text_to_word_sequence``, ``one_hot``, ``hashing_trick`` and ``tokenizer_from_json``,
with Keras' arguments, defaults and results (Keras calls them deprecated; new code uses
``keras.layers.TextVectorization``).
"""

from __future__ import annotations

import collections
import hashlib
import json
import warnings

import numpy as np

__all__ = [
    "Tokenizer",
    "hashing_trick",
    "one_hot",
    "text_to_word_sequence",
    "tokenizer_from_json",
]

_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'


def text_to_word_sequence(input_text, filters=_FILTERS, lower=True, split=" "):
    """Splits a text into words: lowercased, ``filters`` characters turned into ``split``.

    Returns:
        The list of non-empty words.
    """
    if not isinstance(input_text, str):
        raise TypeError(
            f"text_to_word_sequence: expected input_text as a str, received "
            f"{type(input_text).__name__}"
        )
    if lower:
        input_text = input_text.lower()
    input_text = input_text.translate(str.maketrans({c: split for c in filters}))
    return [w for w in input_text.split(split) if w]


def one_hot(input_text, n, filters=_FILTERS, lower=True, split=" ", analyzer=None):
    """``hashing_trick`` with Python's ``hash``: each word to an index in ``[1, n)``.

    As in Keras, the indices change between processes unless ``PYTHONHASHSEED`` is set.
    """
    return hashing_trick(
        input_text, n, hash_function=hash, filters=filters, lower=lower, split=split,
        analyzer=analyzer,
    )  # fmt: skip


def hashing_trick(
    text, n, hash_function=None, filters=_FILTERS, lower=True, split=" ", analyzer=None
):
    """Maps each word of ``text`` to ``hash_function(word) % (n - 1) + 1``.

    Args:
        text: the text.
        n: the size of the hashing space (indices are 1..n-1; 0 is never produced).
        hash_function: None (Python's ``hash``), ``"md5"`` (stable across processes), or a
            function from str to int.
        filters, lower, split: as in :func:`text_to_word_sequence`.
        analyzer: a function from the text to its words, replacing the splitting.

    Returns:
        The list of word indices.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise ValueError(f"hashing_trick: n must be an integer >= 2, received {n!r}")
    if hash_function is None:
        hash_function = hash
    elif hash_function == "md5":

        def hash_function(w):
            return int(hashlib.md5(w.encode()).hexdigest(), 16)

    if analyzer is None:
        seq = text_to_word_sequence(text, filters=filters, lower=lower, split=split)
    else:
        seq = analyzer(text)
    return [(hash_function(w) % (n - 1) + 1) for w in seq]


class Tokenizer:
    """Builds a vocabulary from texts and turns texts into index sequences or matrices.

    Index 0 is never a word; the most frequent word has index 1 (2 when ``oov_token`` is
    set: the OOV token always has index 1).

    Args:
        num_words: if set, only the words of index < ``num_words`` are kept by
            ``texts_to_sequences`` / ``texts_to_matrix`` (the vocabulary keeps all words).
        filters: characters removed from the texts (replaced by ``split``).
        lower: lowercase the texts.
        split: the word separator.
        char_level: every character is a token.
        oov_token: if set, added to ``word_index`` and used for unknown words.
        analyzer: a function from a text to its tokens, replacing the splitting.

    Attributes:
        word_counts: ``OrderedDict`` word -> count, in order of first appearance.
        word_docs: ``defaultdict`` word -> number of texts it appears in.
        word_index, index_word: word -> index and back.
        index_docs: ``defaultdict`` index -> number of texts it appears in.
        document_count: the number of texts (or sequences) fitted on.
    """

    def __init__(
        self,
        num_words=None,
        filters=_FILTERS,
        lower=True,
        split=" ",
        char_level=False,
        oov_token=None,
        analyzer=None,
        **kwargs,
    ):
        if "nb_words" in kwargs:
            warnings.warn(
                "The `nb_words` argument in `Tokenizer` has been renamed `num_words`.",
                stacklevel=2,
            )
            num_words = kwargs.pop("nb_words")
        document_count = kwargs.pop("document_count", 0)
        if kwargs:
            raise TypeError(f"Unrecognized keyword arguments: {str(kwargs)}")
        self.word_counts = collections.OrderedDict()
        self.word_docs = collections.defaultdict(int)
        self.filters = filters
        self.split = split
        self.lower = lower
        self.num_words = num_words
        self.document_count = document_count
        self.char_level = char_level
        self.oov_token = oov_token
        self.index_docs = collections.defaultdict(int)
        self.word_index = {}
        self.index_word = {}
        self.analyzer = analyzer

    def _tokens(self, text, op):
        if self.char_level or isinstance(text, list):
            if self.lower:
                text = [t.lower() for t in text] if isinstance(text, list) else text.lower()
            return text
        if not isinstance(text, str):
            raise TypeError(
                f"Tokenizer.{op}: expected every text as a str (or a list of tokens), "
                f"received {type(text).__name__}"
            )
        if self.analyzer is None:
            return text_to_word_sequence(
                text, filters=self.filters, lower=self.lower, split=self.split
            )
        return self.analyzer(text)

    def fit_on_texts(self, texts):
        """Updates the vocabulary from a list of texts (each a str or a list of tokens)."""
        if isinstance(texts, str):
            raise TypeError(
                "Tokenizer.fit_on_texts: expected a list of texts, received one str "
                "(wrap it in a list)"
            )
        for text in texts:
            self.document_count += 1
            seq = self._tokens(text, "fit_on_texts")
            for w in seq:
                self.word_counts[w] = self.word_counts.get(w, 0) + 1
            for w in set(seq):
                self.word_docs[w] += 1
        counts = sorted(self.word_counts.items(), key=lambda wc: wc[1], reverse=True)
        vocab = [] if self.oov_token is None else [self.oov_token]
        vocab.extend(w for w, _ in counts)
        self.word_index = dict(zip(vocab, range(1, len(vocab) + 1)))
        self.index_word = {i: w for w, i in self.word_index.items()}
        for w, c in list(self.word_docs.items()):
            self.index_docs[self.word_index[w]] = c

    def fit_on_sequences(self, sequences):
        """Updates ``index_docs`` and ``document_count`` from index sequences (for tfidf)."""
        self.document_count += len(sequences)
        for seq in sequences:
            for i in set(seq):
                self.index_docs[i] += 1

    def texts_to_sequences(self, texts):
        """Returns each text as a list of word indices (unknown words dropped, or OOV)."""
        return list(self.texts_to_sequences_generator(texts))

    def texts_to_sequences_generator(self, texts):
        """Yields ``texts_to_sequences``' lists one text at a time."""
        if isinstance(texts, str):
            raise TypeError(
                "Tokenizer.texts_to_sequences: expected a list of texts, received one str "
                "(wrap it in a list)"
            )
        num_words = self.num_words
        oov = self.word_index.get(self.oov_token)
        for text in texts:
            vect = []
            for w in self._tokens(text, "texts_to_sequences"):
                i = self.word_index.get(w)
                if i is not None:
                    if num_words and i >= num_words:
                        if oov is not None:
                            vect.append(oov)
                    else:
                        vect.append(i)
                elif self.oov_token is not None:
                    vect.append(oov)
            yield vect

    def sequences_to_texts(self, sequences):
        """Returns each index sequence as a text (words joined by spaces)."""
        return list(self.sequences_to_texts_generator(sequences))

    def sequences_to_texts_generator(self, sequences):
        """Yields ``sequences_to_texts``' strings one sequence at a time."""
        num_words = self.num_words
        oov = self.word_index.get(self.oov_token)
        for seq in sequences:
            words = []
            for num in seq:
                word = self.index_word.get(num)
                if word is not None:
                    if num_words and num >= num_words:
                        if oov is not None:
                            words.append(self.index_word[oov])
                    else:
                        words.append(word)
                elif self.oov_token is not None:
                    words.append(self.index_word[oov])
            yield " ".join(words)

    def texts_to_matrix(self, texts, mode="binary"):
        """``sequences_to_matrix(texts_to_sequences(texts), mode)``."""
        return self.sequences_to_matrix(self.texts_to_sequences(texts), mode=mode)

    def sequences_to_matrix(self, sequences, mode="binary"):
        """Returns a float64 ``(len(sequences), num_words)`` bag-of-words matrix.

        Args:
            sequences: lists of word indices.
            mode: ``"binary"`` (1 where a word occurs), ``"count"``, ``"freq"`` (count /
                sequence length) or ``"tfidf"`` (``(1 + log(count)) * log(1 + documents /
                (1 + documents with the word))``).

        Raises:
            ValueError: no ``num_words`` and nothing fitted, ``tfidf`` before fitting, or
                another mode.
        """
        if mode not in ("binary", "count", "tfidf", "freq"):
            raise ValueError("Unknown vectorization mode:", mode)
        if not self.num_words:
            if self.word_index:
                num_words = len(self.word_index) + 1
            else:
                raise ValueError(
                    "Specify a dimension (`num_words` argument), or fit on some text data first."
                )
        else:
            num_words = self.num_words
        if mode == "tfidf" and not self.document_count:
            raise ValueError("Fit the Tokenizer on some data before using tfidf mode.")
        x = np.zeros((len(sequences), num_words))
        for i, seq in enumerate(sequences):
            if not seq:
                continue
            counts = collections.defaultdict(int)
            for j in seq:
                if j >= num_words:
                    continue
                counts[j] += 1
            for j, c in list(counts.items()):
                if mode == "count":
                    x[i][j] = c
                elif mode == "freq":
                    x[i][j] = c / len(seq)
                elif mode == "binary":
                    x[i][j] = 1
                else:
                    tf = 1 + np.log(c)
                    idf = np.log(1 + self.document_count / (1 + self.index_docs.get(j, 0)))
                    x[i][j] = tf * idf
        return x

    def get_config(self):
        """The tokenizer's settings and vocabulary (dicts as JSON strings), as Keras."""
        return {
            "num_words": self.num_words,
            "filters": self.filters,
            "lower": self.lower,
            "split": self.split,
            "char_level": self.char_level,
            "oov_token": self.oov_token,
            "document_count": self.document_count,
            "word_counts": json.dumps(self.word_counts),
            "word_docs": json.dumps(self.word_docs),
            "index_docs": json.dumps(self.index_docs),
            "index_word": json.dumps(self.index_word),
            "word_index": json.dumps(self.word_index),
        }

    def to_json(self, **kwargs):
        """Returns ``{"class_name": "Tokenizer", "config": ...}`` as a JSON string.

        ``kwargs`` go to ``json.dumps``. Read it back with :func:`tokenizer_from_json`.
        """
        return json.dumps(
            {"class_name": self.__class__.__name__, "config": self.get_config()}, **kwargs
        )


def tokenizer_from_json(json_string):
    """Rebuilds a :class:`Tokenizer` from :meth:`Tokenizer.to_json`'s string."""
    tokenizer_config = json.loads(json_string)
    config = tokenizer_config.get("config") if isinstance(tokenizer_config, dict) else None
    if not isinstance(config, dict):
        raise ValueError(
            "tokenizer_from_json: expected the JSON of Tokenizer.to_json() "
            '({"class_name": "Tokenizer", "config": {...}})'
        )
    config = dict(config)
    word_counts = json.loads(config.pop("word_counts"))
    word_docs = json.loads(config.pop("word_docs"))
    index_docs = {int(k): v for k, v in json.loads(config.pop("index_docs")).items()}
    index_word = {int(k): v for k, v in json.loads(config.pop("index_word")).items()}
    word_index = json.loads(config.pop("word_index"))
    tokenizer = Tokenizer(**config)
    tokenizer.word_counts = word_counts
    tokenizer.word_docs = word_docs
    tokenizer.index_docs = index_docs
    tokenizer.word_index = word_index
    tokenizer.index_word = index_word
    return tokenizer
