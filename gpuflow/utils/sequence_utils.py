"""``keras.utils.pad_sequences`` (also ``keras.preprocessing.sequence.pad_sequences``):
lists of different lengths as one padded NumPy array."""

from __future__ import annotations

import numpy as np


def pad_sequences(
    sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre", value=0.0
) -> np.ndarray:
    """Pad (or cut) each sequence to ``maxlen`` (default: the longest), as Keras.

    Args:
        sequences: a list of sequences (lists or arrays; items may be arrays of one shape).
        maxlen: the output length; longer sequences are cut.
        dtype: the output dtype (``object`` for strings of any length).
        padding: ``"pre"`` or ``"post"``: where the padding goes.
        truncating: ``"pre"`` or ``"post"``: which end of a long sequence is cut.
        value: the padding value.

    Returns:
        A NumPy array of shape ``(len(sequences), maxlen) + item_shape``.

    Raises:
        ValueError: a sequence that is not iterable, an unknown padding/truncating, a
            string ``value`` with a numeric dtype, or items of different shapes.
    """
    if not hasattr(sequences, "__len__"):
        raise ValueError("`sequences` must be iterable.")
    lengths, sample_shape, found = [], (), False
    for x in sequences:
        try:
            lengths.append(len(x))
        except TypeError:
            raise ValueError(
                f"`sequences` must be a list of iterables. Found non-iterable: {x}"
            ) from None
        if not found and len(x):
            sample_shape = np.asarray(x).shape[1:]
            found = True
    if maxlen is None:
        maxlen = int(np.max(lengths)) if lengths else 0
    is_text = dtype is object or np.issubdtype(np.dtype(dtype), np.str_)
    if isinstance(value, str) and not is_text:
        raise ValueError(
            f"`dtype` {dtype} is not compatible with `value`'s type: {type(value)}\n"
            "You should set `dtype=object` for variable length strings."
        )
    if padding not in ("pre", "post"):
        raise ValueError(f'Padding type "{padding}" not understood')
    if truncating not in ("pre", "post"):
        raise ValueError(f'Truncating type "{truncating}" not understood')
    out = np.full((len(lengths), maxlen) + tuple(sample_shape), value, dtype=dtype)
    for i, s in enumerate(sequences):
        if not len(s) or maxlen == 0:
            continue
        kept = s[-maxlen:] if truncating == "pre" else s[:maxlen]
        kept = np.asarray(kept, dtype=dtype)
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
