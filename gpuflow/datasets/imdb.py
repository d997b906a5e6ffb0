"""IMDB movie-review sentiment data set, as ``keras.datasets.imdb``."""

from __future__ import annotations

import numpy as np

from ._keras_cache import KERAS_ORIGIN, cached_file, load_npz
from ._sequences import (
    check_kwargs,
    check_sequences,
    limit_words,
    offset_words,
    remove_long_seq,
    word_index,
)

__all__ = ["get_word_index", "load_data"]

SHA256 = "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"
WORD_INDEX_MD5 = "bfafd718b763782e994055a2d397834f"


def load_data(
    path="imdb.npz",
    num_words=None,
    skip_top=0,
    maxlen=None,
    seed=113,
    start_char=1,
    oov_char=2,
    index_from=3,
    **kwargs,
):
    """Loads IMDB: 25,000 training and 25,000 test reviews as lists of word indices.

    Words are ranked by frequency (index ``i + index_from`` is the i-th most frequent word).

    Args:
        path: the file name in the Keras cache (``~/.keras/datasets``).
        num_words: keep the ``num_words`` most frequent words; others become ``oov_char``.
            None: all words.
        skip_top: the most frequent words to replace by ``oov_char``.
        maxlen: drop the sequences that are ``maxlen`` or longer (after the start mark).
        seed: seed of the shuffle of each split.
        start_char: prepended to every sequence (None: nothing).
        oov_char: replaces the words cut by ``num_words`` / ``skip_top`` (None: drop them).
        index_from: added to every word index.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: ``x_*`` object arrays of lists of ints,
        ``y_*`` integer arrays of 0/1 labels.

    Raises:
        ValueError: no sequence is left after ``maxlen``.
        DataUnavailableError: not cached and no download possible (names the file to place).
        CorruptFileError: the file is not a Keras ``imdb.npz``.
    """
    op = "imdb.load_data"
    check_kwargs(op, kwargs)
    path = cached_file(op, path, f"{KERAS_ORIGIN}imdb.npz", SHA256)
    f = load_npz(op, path, ("x_train", "y_train", "x_test", "y_test"))
    x_train, labels_train = f["x_train"], f["y_train"]
    x_test, labels_test = f["x_test"], f["y_test"]
    check_sequences(op, path, "x_train", x_train)
    check_sequences(op, path, "x_test", x_test)

    rng = np.random.RandomState(seed)
    indices = np.arange(len(x_train))
    rng.shuffle(indices)
    x_train = x_train[indices]
    labels_train = labels_train[indices]
    indices = np.arange(len(x_test))
    rng.shuffle(indices)
    x_test = x_test[indices]
    labels_test = labels_test[indices]

    x_train = offset_words(x_train, start_char, index_from)
    x_test = offset_words(x_test, start_char, index_from)
    if maxlen:
        x_train, labels_train = remove_long_seq(maxlen, x_train, labels_train)
        x_test, labels_test = remove_long_seq(maxlen, x_test, labels_test)
        if not x_train or not x_test:
            raise ValueError(
                "After filtering for sequences shorter than maxlen="
                f"{str(maxlen)}, no sequence was kept. Increase maxlen."
            )
    xs = limit_words(x_train + x_test, num_words, skip_top, oov_char)
    labels = np.concatenate([labels_train, labels_test])
    idx = len(x_train)
    x_train, y_train = np.array(xs[:idx], dtype="object"), labels[:idx]
    x_test, y_test = np.array(xs[idx:], dtype="object"), labels[idx:]
    return (x_train, y_train), (x_test, y_test)


def get_word_index(path="imdb_word_index.json"):
    """Returns IMDB's ``{word: index}`` (before ``index_from`` is added), from the Keras cache."""
    return word_index("imdb.get_word_index", path, "imdb_word_index.json", WORD_INDEX_MD5)
