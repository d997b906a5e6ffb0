"""More of ``tf.data.experimental``: save/load and snapshot, pad_to_cardinality, the
tf.Example readers (parse_example_dataset, make_batched_features_dataset), SHARD_HINT and
RandomDataset."""

from __future__ import annotations

import os

import numpy as np

from .. import nest
from .dataset import INFINITE, UNKNOWN
from .fingerprint import fingerprint

#: ``shard_func`` hint of TensorFlow's auto-sharding: gpuflow shards by worker instead
SHARD_HINT = -1


def save(dataset, path, compression=None, shard_func=None, checkpoint_args=None) -> None:
    """``dataset.save(path, ...)`` under its older name."""
    return dataset.save(path, compression, shard_func, checkpoint_args)


def load(path, element_spec=None, compression=None, reader_func=None):
    """``tf.data.Dataset.load(path, ...)`` under its older name."""
    from .saving import load as _load

    return _load(path, element_spec, compression, reader_func)


def snapshot(self, path, compression="AUTO", reader_func=None, shard_func=None, name=None):
    """The dataset, written under the directory ``path`` on the first full pass and read
    from there on later passes, also by later programs (``Dataset.snapshot``). As in
    TensorFlow, each pipeline has its own subdirectory, named by its fingerprint: a changed
    pipeline writes a new snapshot rather than reading another's."""
    if not isinstance(path, (str, os.PathLike)) or not os.fspath(path):
        raise TypeError(f"Dataset.snapshot: path must be a directory name, received {path!r}")
    folder = os.path.join(os.fspath(path), str(int(fingerprint(self).numpy())))
    os.makedirs(folder, exist_ok=True)
    return self.cache(os.path.join(folder, "snapshot"))


def snapshot_transformation(path, compression="AUTO", reader_func=None, shard_func=None):
    """``tf.data.experimental.snapshot``: ``dataset.apply(...)`` form of :func:`snapshot`."""
    return lambda dataset: snapshot(dataset, path, compression, reader_func, shard_func)


def pad_to_cardinality(cardinality, mask_key="valid"):
    """``dataset -> dataset`` with fake (zero) elements appended up to ``cardinality``; the
    elements (dicts) get ``mask_key``: True for the real ones, False for the padding.

    Raises:
        ValueError: for elements that are not dicts, an unknown or infinite cardinality, or
            one larger than ``cardinality``.
    """

    def apply(dataset):
        spec = dataset.element_spec
        if not isinstance(spec, dict):
            raise ValueError(
                f"pad_to_cardinality: the dataset's elements must be dicts, received {spec!r}"
            )
        if mask_key in spec:
            raise ValueError(f"pad_to_cardinality: the elements already have {mask_key!r}")
        have = dataset._cardinality()
        if have in (UNKNOWN, INFINITE):
            raise ValueError(
                "pad_to_cardinality: the dataset's cardinality must be known and finite; "
                "use dataset.apply(tf.data.experimental.assert_cardinality(n)) first"
            )
        if have > int(cardinality):
            raise ValueError(
                f"pad_to_cardinality: the dataset has {have} elements, more than "
                f"cardinality={int(cardinality)}"
            )
        from ..ops.creation import constant
        from .sources import from_tensors

        real = dataset.map(lambda element: {**element, mask_key: constant(True)})
        zeros = nest.map_structure(lambda s: np.zeros(tuple(s.shape), s.dtype.as_numpy_dtype), spec)
        fake = from_tensors({**zeros, mask_key: np.asarray(False)})
        return real.concatenate(fake.repeat(int(cardinality) - have))

    return apply


def parse_example_dataset(features, num_parallel_calls=1, deterministic=None):
    """``dataset -> dataset`` mapping batches of serialized tf.Examples through
    ``tf.io.parse_example(features)``."""
    from ..io import parse_example

    return lambda dataset: dataset.map(
        lambda serialized: parse_example(serialized, features),
        num_parallel_calls=num_parallel_calls,
        deterministic=deterministic,
    )


def make_batched_features_dataset(
    file_pattern,
    batch_size,
    features,
    reader=None,
    label_key=None,
    reader_args=None,
    num_epochs=None,
    shuffle=True,
    shuffle_buffer_size=10000,
    shuffle_seed=None,
    prefetch_buffer_size=None,
    reader_num_threads=None,
    parser_num_threads=None,
    sloppy_ordering=False,
    drop_final_batch=False,
):
    """Batches of parsed tf.Examples from the files matching ``file_pattern`` (TFRecord
    files by default): dicts of features, or ``(features, label)`` with ``label_key``."""
    from .list_files import list_files
    from .tfrecord import TFRecordDataset
    from .transformations import AUTOTUNE

    reader = reader or TFRecordDataset
    files = list_files(file_pattern, shuffle=shuffle, seed=shuffle_seed)
    dataset = files.interleave(
        lambda name: reader(name, *(reader_args or [])),
        cycle_length=reader_num_threads or 1,
        num_parallel_calls=reader_num_threads,
        deterministic=not sloppy_ordering,
    )
    dataset = dataset.repeat(num_epochs)
    if shuffle:
        dataset = dataset.shuffle(shuffle_buffer_size, seed=shuffle_seed)
    dataset = dataset.batch(batch_size, drop_remainder=drop_final_batch)
    dataset = dataset.apply(parse_example_dataset(features, parser_num_threads or 1))
    if label_key is not None:
        if label_key not in features:
            raise ValueError(
                f"make_batched_features_dataset: label_key {label_key!r} is not one of the "
                f"features {sorted(features)}"
            )
        dataset = dataset.map(lambda parsed: _split_label(parsed, label_key))
    return dataset.prefetch(prefetch_buffer_size or AUTOTUNE)


def _split_label(parsed: dict, label_key: str):
    features = dict(parsed)
    return features, features.pop(label_key)


def RandomDataset(seed=None, name=None):  # noqa: N802 - TensorFlow's class name
    """``tf.data.Dataset.random(seed)`` under its older name."""
    from .random_source import random

    return random(seed)
