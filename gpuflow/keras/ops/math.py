"""``keras.ops`` math extras: segment reductions, ``extract_sequences``, and the
``keras.ops.math`` names that live elsewhere (``logsumexp``, ``top_k``, ``rsqrt``, ...)."""

from __future__ import annotations

from ...ops import math_extra as _mx
from ...ops import math_more as _mm
from ...ops import shape as _sh
from ...ops.indexing import gather as _gather
from ._dtypes import convert_to_tensor
from .linalg import logdet, qr  # noqa: F401  (keras.ops.math names)
from .math_fft import (  # noqa: F401
    erfinv,
    fft,
    fft2,
    ifft2,
    irfft,
    istft,
    rfft,
    stft,
    view_as_complex,
    view_as_real,
)
from .numpy_math import erf, erfc, rsqrt  # noqa: F401
from .numpy_reduce import in_top_k, logsumexp, top_k  # noqa: F401


def _segment(fn_sorted, fn_unsorted, name: str):
    def op(data, segment_ids, num_segments=None, sorted=False):  # noqa: A002 - Keras's name
        x = convert_to_tensor(data)
        ids = convert_to_tensor(segment_ids)
        if ids.ndim != 1:
            raise ValueError(f"{name}: segment_ids must be 1-D, received shape {tuple(ids.shape)}")
        if num_segments is None:
            if sorted:
                return fn_sorted(x, ids)
            num_segments = int(ids.numpy().max()) + 1 if ids.shape[0] else 0
        return fn_unsorted(x, ids, int(num_segments))

    op.__name__ = op.__qualname__ = name
    op.__doc__ = (
        f"The {name.split('_')[1]} of the rows of ``data`` in each segment of "
        "``segment_ids`` (``num_segments`` rows out; empty segments give the identity)."
    )
    return op


segment_sum = _segment(_mx.segment_sum, _mx.unsorted_segment_sum, "segment_sum")
segment_max = _segment(_mm.segment_max, _mm.unsorted_segment_max, "segment_max")
segment_min = _segment(_mm.segment_min, _mm.unsorted_segment_min, "segment_min")
segment_prod = _segment(_mm.segment_prod, _mm.unsorted_segment_prod, "segment_prod")


def extract_sequences(x, sequence_length, sequence_stride):
    """Frames of ``sequence_length`` along the last axis, every ``sequence_stride`` steps:
    shape ``[..., num_frames, sequence_length]``."""
    t = convert_to_tensor(x)
    n = t.shape[-1]
    length, stride = int(sequence_length), int(sequence_stride)
    if length < 1 or stride < 1 or length > n:
        raise ValueError(
            f"extract_sequences: need 1 <= sequence_length <= {n} and sequence_stride >= 1, "
            f"received {sequence_length} and {sequence_stride}"
        )
    import numpy as np

    frames = (n - length) // stride + 1
    index = np.arange(frames)[:, None] * stride + np.arange(length)[None, :]
    flat = _gather(t, index.reshape(-1), axis=t.ndim - 1)
    return _sh.reshape(flat, list(t.shape[:-1]) + [frames, length])
