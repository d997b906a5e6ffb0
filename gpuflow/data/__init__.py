"""``gpuflow.data`` (``tf.data``): input pipelines.

``Dataset`` is defined in ``dataset.py``; each transformation lives in the module of its
kind and is installed here as a ``Dataset`` method, as TensorFlow spells them.
"""

from __future__ import annotations

from . import experimental
from .batching import batch, padded_batch, unbatch
from .caching import cache
from .dataset import INFINITE as INFINITE_CARDINALITY
from .dataset import UNKNOWN as UNKNOWN_CARDINALITY
from .dataset import Dataset, DatasetIterator
from .generator import from_generator
from .prefetch import prefetch
from .ragged_batching import ragged_batch
from .sampling import choose_from_datasets, sample_from_datasets
from .shuffling import shuffle
from .slicing import repeat, shard, skip, take
from .sources import concatenate, from_tensor_slices, from_tensors, range_, zip_
from .sparse_batching import sparse_batch
from .structure import DatasetSpec
from .text_line import TextLineDataset
from .transformations import AUTOTUNE, enumerate_, filter_, flat_map, interleave, map_
from .windowing import window

range_.__name__ = range_.__qualname__ = "range"
zip_.__name__ = zip_.__qualname__ = "zip"
Dataset.from_tensor_slices = staticmethod(from_tensor_slices)
Dataset.from_tensors = staticmethod(from_tensors)
Dataset.from_generator = staticmethod(from_generator)
Dataset.range = staticmethod(range_)
Dataset.zip = staticmethod(zip_)
Dataset.sample_from_datasets = staticmethod(sample_from_datasets)
Dataset.choose_from_datasets = staticmethod(choose_from_datasets)
for _name, _method in {
    "concatenate": concatenate,
    "map": map_,
    "filter": filter_,
    "enumerate": enumerate_,
    "flat_map": flat_map,
    "interleave": interleave,
    "take": take,
    "skip": skip,
    "shard": shard,
    "repeat": repeat,
    "shuffle": shuffle,
    "cache": cache,
    "batch": batch,
    "padded_batch": padded_batch,
    "unbatch": unbatch,
    "window": window,
    "prefetch": prefetch,
    "ragged_batch": ragged_batch,
    "sparse_batch": sparse_batch,
}.items():
    _method.__name__ = _method.__qualname__ = _name
    setattr(Dataset, _name, _method)
del _name, _method

Iterator = DatasetIterator

from .counter import counter  # noqa: E402
from .dataset import NumpyIterator  # noqa: E402
from .experimental_more import snapshot as _snapshot  # noqa: E402

Dataset.snapshot = _snapshot
from .fingerprint import fingerprint  # noqa: E402
from .fixed_length import FixedLengthRecordDataset  # noqa: E402
from .grouping import bucket_by_sequence_length, group_by_window, scan  # noqa: E402
from .iterator_spec import IteratorSpec  # noqa: E402
from .list_files import list_files  # noqa: E402
from .options import Options, ThreadingOptions, options, with_options  # noqa: E402
from .random_source import random  # noqa: E402
from .resampling import rejection_resample  # noqa: E402
from .saving import load, save  # noqa: E402
from .selection import ignore_errors, rebatch, take_while, unique  # noqa: E402
from .tfrecord import TFRecordDataset  # noqa: E402

Dataset.random = staticmethod(random)
Dataset.counter = staticmethod(counter)
Dataset.list_files = staticmethod(list_files)
Dataset.load = staticmethod(load)
for _name, _method in {
    "scan": scan,
    "group_by_window": group_by_window,
    "bucket_by_sequence_length": bucket_by_sequence_length,
    "with_options": with_options,
    "options": options,
    "rejection_resample": rejection_resample,
    "save": save,
    "take_while": take_while,
    "unique": unique,
    "ignore_errors": ignore_errors,
    "rebatch": rebatch,
    "fingerprint": fingerprint,
}.items():
    _method.__name__ = _method.__qualname__ = _name
    setattr(Dataset, _name, _method)
del _name, _method

__all__ = [
    "AUTOTUNE",
    "Dataset",
    "DatasetSpec",
    "FixedLengthRecordDataset",
    "INFINITE_CARDINALITY",
    "Iterator",
    "IteratorSpec",
    "NumpyIterator",
    "Options",
    "ThreadingOptions",
    "TFRecordDataset",
    "TextLineDataset",
    "UNKNOWN_CARDINALITY",
    "experimental",
]
