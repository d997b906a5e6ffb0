"""The word-index processing that ``keras.datasets.imdb`` and ``reuters`` share."""

from __future__ import annotations

import json

from ._idx import CorruptFileError
from ._keras_cache import KERAS_ORIGIN, cached_file


def remove_long_seq(maxlen, seq, label):
    """Keeps the (sequence, label) pairs whose sequence is shorter than ``maxlen``."""
    new_seq, new_label = [], []
    for x, y in zip(seq, label):
        if len(x) < maxlen:
            new_seq.append(x)
            new_label.append(y)
    return new_seq, new_label


def check_kwargs(op: str, kwargs: dict) -> None:
    if kwargs:
        raise TypeError(f"{op}: unexpected keyword arguments {sorted(kwargs)}")


def offset_words(xs, start_char, index_from):
    """Prepends ``start_char`` (unless None) and adds ``index_from`` to every word index."""
    if start_char is not None:
        return [[start_char] + [w + index_from for w in x] for x in xs]
    if index_from:
        return [[w + index_from for w in x] for x in xs]
    return [[w for w in x] for x in xs]


def limit_words(xs, num_words, skip_top, oov_char):
    """Words outside ``[skip_top, num_words)`` become ``oov_char`` (dropped when it is None).

    ``num_words`` None or 0 means the largest index present, as in Keras (whose bound is
    exclusive, so that word then becomes ``oov_char`` too).
    """
    if not num_words:
        num_words = max(max(x) for x in xs)
    if oov_char is not None:
        return [[w if skip_top <= w < num_words else oov_char for w in x] for x in xs]
    return [[w for w in x if skip_top <= w < num_words] for x in xs]


def check_sequences(op: str, path: str, name: str, xs) -> None:
    if xs.ndim != 1:
        raise CorruptFileError(
            path, name, f"{op}: expected {name} as a 1-D array of sequences, received {xs.shape}"
        )


def word_index(op: str, fname: str, remote: str, md5: str) -> dict:
    """Reads a ``{word: index}`` JSON file from the Keras cache (downloaded once)."""
    path = cached_file(op, fname, KERAS_ORIGIN + remote, md5)
    try:
        with open(path) as f:
            index = json.load(f)
    except (ValueError, UnicodeDecodeError) as exc:
        raise CorruptFileError(path, "json", f"{op}: not a JSON word index ({exc})") from exc
    if not isinstance(index, dict):
        raise CorruptFileError(
            path,
            "json",
            f"{op}: expected a JSON object {{word: index}}, received {type(index).__name__}",
        )
    return index
