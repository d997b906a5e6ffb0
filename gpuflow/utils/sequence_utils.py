"""``keras.utils.pad_sequences``: lists of sequences of different lengths as one padded
NumPy array, and the small Keras 3 utilities ``is_keras_tensor`` and ``standardize_dtype``."""

from __future__ import annotations

import numpy as np


def pad_sequences(
    sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre", value=0.0
):
    """Pad (and truncate) ``sequences`` to a common length ``maxlen`` (default: the
    longest).

    Args:
        sequences: a list of sequences (lists or arrays; their items may be arrays too).
        maxlen: the output length; longer sequences are truncated.
        dtype: the output dtype (``object`` for strings of different lengths).
        padding: ``"pre"`` or ``"post"``: where the padding goes.
        truncating: ``"pre"`` or ``"post"``: which end a long sequence loses.
        value: the padding value.

    Returns:
        A NumPy array ``[len(sequences), maxlen, *item_shape]``.

    Raises:
        ValueError: for a non-iterable sequence, items of different shapes, or an unknown
            ``padding`` / ``truncating``.
    """
    if not hasattr(sequences, "__len__"):
        raise ValueError("`sequences` must be iterable.")
    if padding not in ("pre", "post"):
        raise ValueError(f'Padding type "{padding}" not understood')
    if truncating not in ("pre", "post"):
        raise ValueError(f'Truncating type "{truncating}" not understood')
    lengths, sample_shape = [], None
    for x in sequences:
        try:
            lengths.append(len(x))
        except TypeError:
            raise ValueError(
                f"`sequences` must be a list of iterables. Found non-iterable: {x}"
            ) from None
        if sample_shape is None and len(x):
            sample_shape = np.asarray(x).shape[1:]
    sample_shape = sample_shape or ()
    if maxlen is None:
        maxlen = int(np.max(lengths)) if lengths else 0
    is_text = np.issubdtype(dtype, np.str_) or np.issubdtype(dtype, np.bytes_)
    if isinstance(value, str) and dtype is not object and not is_text:
        raise ValueError(
            f"`dtype` {dtype} is not compatible with `value`'s type: {type(value)}\n"
            "You should set `dtype=object` for variable length strings."
        )
    out = np.full((len(sequences), maxlen) + tuple(sample_shape), value, dtype=dtype)
    for i, seq in enumerate(sequences):
        if not len(seq) or maxlen == 0:
            continue
        kept = np.asarray(seq[-maxlen:] if truncating == "pre" else seq[:maxlen], dtype=dtype)
        if kept.shape[1:] != tuple(sample_shape):
            raise ValueError(
                f"Shape of sample {kept.shape[1:]} of sequence at position {i} is different "
                f"from expected shape {tuple(sample_shape)}"
            )
        if padding == "post":
            out[i, : len(kept)] = kept
        else:
            out[i, -len(kept) :] = kept
    return out


def is_keras_tensor(x) -> bool:
    """Whether ``x`` is a symbolic tensor (from ``keras.Input`` or a layer called on one)."""
    from ..layers.keras_tensor import KerasTensor

    return isinstance(x, KerasTensor)


def standardize_dtype(dtype) -> str:
    """The Keras name of ``dtype`` (``"float32"``, ``"int64"``, ...; None is the float type)."""
    from .. import dtypes

    if dtype is None:
        return dtypes.floatx().name
    if dtype is int:
        return "int64"
    if dtype is float:
        return "float32"
    if dtype is bool:
        return "bool"
    return dtypes.as_dtype(dtype, "standardize_dtype").name
