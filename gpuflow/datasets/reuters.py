"""Reuters newswire topic classification data set, as ``keras.datasets.reuters``."""

from __future__ import annotations

import numpy as np

from ._keras_cache import KERAS_ORIGIN, cached_file, load_npz
from ._sequences import check_sequences, limit_words, offset_words, remove_long_seq, word_index

__all__ = ["get_label_names", "get_word_index", "load_data"]

SHA256 = "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916"
WORD_INDEX_MD5 = "4d44cc38712099c9e383dc6e5f11a921"

_LABEL_NAMES = (
    "cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing", "money-supply",
    "coffee", "sugar", "trade", "reserves", "ship", "cotton", "carcass", "crude", "nat-gas",
    "cpi", "money-fx", "interest", "gnp", "meal-feed", "alum", "oilseed", "gold", "tin",
    "strategic-metal", "livestock", "retail", "ipi", "iron-steel", "rubber", "heat", "jobs",
    "lei", "bop", "zinc", "orange", "pet-chem", "dlr", "gas", "silver", "wpi", "hog", "lead",
)  # fmt: skip


def load_data(
    path="reuters.npz",
    num_words=None,
    skip_top=0,
    maxlen=None,
    test_split=0.2,
    seed=113,
    start_char=1,
    oov_char=2,
    index_from=3,
):
    """Loads Reuters: 11,228 newswires as lists of word indices, labelled over 46 topics.

    Args:
        path: the file name in the Keras cache (``~/.keras/datasets``).
        num_words, skip_top, maxlen, seed, start_char, oov_char, index_from: as in
            :func:`gpuflow.datasets.imdb.load_data`.
        test_split: the fraction of the (shuffled) newswires that forms the test split.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: ``x_*`` object arrays of lists of ints,
        ``y_*`` integer topic labels 0..45.

    Raises:
        DataUnavailableError: not cached and no download possible (names the file to place).
        CorruptFileError: the file is not a Keras ``reuters.npz``.
    """
    op = "reuters.load_data"
    path = cached_file(op, path, f"{KERAS_ORIGIN}reuters.npz", SHA256)
    f = load_npz(op, path, ("x", "y"))
    xs, labels = f["x"], f["y"]
    check_sequences(op, path, "x", xs)

    rng = np.random.RandomState(seed)
    indices = np.arange(len(xs))
    rng.shuffle(indices)
    xs = xs[indices]
    labels = labels[indices]

    if start_char is not None or index_from:
        xs = offset_words(xs, start_char, index_from)
    if maxlen:
        xs, labels = remove_long_seq(maxlen, xs, labels)
    xs = limit_words(xs, num_words, skip_top, oov_char)

    idx = int(len(xs) * (1 - test_split))
    x_train, y_train = np.array(xs[:idx], dtype="object"), np.array(labels[:idx])
    x_test, y_test = np.array(xs[idx:], dtype="object"), np.array(labels[idx:])
    return (x_train, y_train), (x_test, y_test)


def get_word_index(path="reuters_word_index.json"):
    """Returns Reuters' ``{word: index}`` (before ``index_from`` is added), from the Keras cache."""
    return word_index("reuters.get_word_index", path, "reuters_word_index.json", WORD_INDEX_MD5)


def get_label_names():
    """Returns the 46 topic names, in label order (a tuple of str)."""
    return _LABEL_NAMES
