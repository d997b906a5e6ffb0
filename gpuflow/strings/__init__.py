"""``gpuflow.strings`` (``tf.strings``): ops on tf.string tensors.

String tensors live on the host as NumPy object arrays of ``bytes``; ops that give numbers
(``length``, ``to_number``, hash buckets) put them on the current device. Ops that split
text return RaggedTensors. ``to_hash_bucket_fast`` / ``to_hash_bucket_strong`` compute
FarmHash64 / SipHash-2-4 exactly as TensorFlow does, so bucket numbers agree.
"""

from __future__ import annotations

from ._graph import traceable as _traceable
from .basic import (
    as_string,
    length,
    lower,
    regex_full_match,
    regex_replace,
    strip,
    substr,
    to_number,
    upper,
)
from .format import format  # noqa: A004,F401  (tf.strings.format)
from .hashing import to_hash_bucket, to_hash_bucket_fast, to_hash_bucket_strong
from .join import join, reduce_join
from .split import bytes_split, ngrams, split, unicode_decode, unicode_encode, unicode_split
from .unicode_more import (
    unicode_decode_with_offsets,
    unicode_script,
    unicode_split_with_offsets,
    unicode_transcode,
    unsorted_segment_join,
)

# Inside gpuflow.function each op is one host step, replayed on each call's strings.
for _name in (
    "as_string",
    "bytes_split",
    "format",
    "join",
    "length",
    "lower",
    "ngrams",
    "reduce_join",
    "regex_full_match",
    "regex_replace",
    "split",
    "strip",
    "substr",
    "to_hash_bucket",
    "to_hash_bucket_fast",
    "to_hash_bucket_strong",
    "to_number",
    "unicode_decode",
    "unicode_decode_with_offsets",
    "unicode_encode",
    "unicode_script",
    "unicode_split",
    "unicode_split_with_offsets",
    "unicode_transcode",
    "unsorted_segment_join",
    "upper",
):
    globals()[_name] = _traceable(globals()[_name], f"strings.{_name}")
del _name

__all__ = [
    "as_string",
    "bytes_split",
    "join",
    "length",
    "lower",
    "ngrams",
    "reduce_join",
    "regex_full_match",
    "regex_replace",
    "split",
    "strip",
    "substr",
    "to_hash_bucket",
    "to_hash_bucket_fast",
    "to_hash_bucket_strong",
    "to_number",
    "unicode_decode",
    "unicode_decode_with_offsets",
    "unicode_encode",
    "unicode_script",
    "unicode_split",
    "unicode_split_with_offsets",
    "unicode_transcode",
    "unsorted_segment_join",
    "upper",
]
