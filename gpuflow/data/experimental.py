"""``gpuflow.data.experimental`` (``tf.data.experimental``): cardinality constants and
helpers, options classes, ``Counter``, ``Optional``, ``Reducer``, and the transformations
in their older form: functions that return ``dataset -> dataset`` for ``Dataset.apply``."""

from __future__ import annotations

import numpy as np

from .counter import Counter, assert_cardinality
from .csv import CsvDataset, make_csv_dataset
from .dataset import INFINITE as INFINITE_CARDINALITY
from .dataset import UNKNOWN as UNKNOWN_CARDINALITY
from .experimental_more import (  # noqa: F401
    SHARD_HINT,
    RandomDataset,
    load,
    make_batched_features_dataset,
    pad_to_cardinality,
    parse_example_dataset,
    save,
)
from .experimental_more import snapshot_transformation as snapshot  # noqa: F401
from .grouping import GroupByReducerDataset, Reducer
from .lookup_tables import DatasetInitializer, index_table_from_dataset, table_from_dataset
from .optional import Optional
from .options import (
    AutoShardPolicy,
    AutotuneOptions,
    DistributeOptions,
    ExternalStatePolicy,
    OptimizationOptions,
    ThreadingOptions,
)
from .sampling import choose_from_datasets as _choose
from .sampling import sample_from_datasets as _sample
from .tfrecord import TFRecordWriter
from .transformations import AUTOTUNE


def cardinality(dataset):
    """``dataset.cardinality()``, as ``tf.data.experimental.cardinality(dataset)``."""
    return dataset.cardinality()


def sample_from_datasets(datasets, weights=None, seed=None, stop_on_empty_dataset=False):
    """``tf.data.Dataset.sample_from_datasets`` under its older name."""
    return _sample(datasets, weights, seed, stop_on_empty_dataset)


def choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset=False):
    """``tf.data.Dataset.choose_from_datasets`` under its older name (whose default is not
    to stop when a chosen dataset has ended)."""
    return _choose(datasets, choice_dataset, stop_on_empty_dataset)


def from_list(elements, name=None):
    """A dataset of the given elements (each a tensor or a structure of them, all of one
    structure), in order. As in tf.data, a Python list inside an element is one tensor
    (tuples and dicts are structures), and the elements may differ in shape: a component
    whose shape varies gets None sizes in ``element_spec``."""
    from .. import nest
    from ..ops._common import as_tensor
    from ..tensor_spec import TensorSpec
    from .generator import from_generator
    from .sources import from_tensor_slices

    elements = [_lists_as_tensors(e, as_tensor) for e in elements]
    if not elements:
        raise ValueError("tf.data.experimental.from_list: elements must not be empty")
    flat = [nest.flatten(e) for e in elements]
    for i, f in enumerate(flat):
        if len(f) != len(flat[0]):
            raise ValueError(
                "tf.data.experimental.from_list: every element must have the first one's "
                f"structure; element {i} has {len(f)} components, the first {len(flat[0])}"
            )
    columns = [[_host_value(v) for v in column] for column in zip(*flat)]
    shapes = [{np.shape(v) for v in column} for column in columns]
    if all(len(s) == 1 for s in shapes):
        return from_tensor_slices(nest.pack_sequence_as(elements[0], [list(c) for c in columns]))
    specs = []
    for column, column_shapes in zip(columns, shapes):
        ranks = {len(s) for s in column_shapes}
        if len(ranks) > 1:
            raise ValueError(
                "tf.data.experimental.from_list: a component's elements must have one rank, "
                f"received shapes {sorted(column_shapes)}"
            )
        dims = _common_dims(column_shapes)
        specs.append(TensorSpec(dims, as_tensor(column[0]).dtype))
    signature = nest.pack_sequence_as(elements[0], specs)
    return from_generator(lambda: iter(elements), output_signature=signature)


def _common_dims(shapes: set) -> list:
    """Each axis's size where every shape has the same, else None."""
    return [sizes[0] if len(set(sizes)) == 1 else None for sizes in zip(*shapes)]


def _lists_as_tensors(value, as_tensor):
    """``value`` with each Python list turned into one tensor (tf.data's structure: tuples,
    namedtuples and dicts are structures, lists are values)."""
    if isinstance(value, list):
        return as_tensor(value)
    if isinstance(value, dict):
        return {k: _lists_as_tensors(v, as_tensor) for k, v in value.items()}
    if isinstance(value, tuple):
        items = [_lists_as_tensors(v, as_tensor) for v in value]
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    return value


def _host_value(value):
    return value.numpy() if hasattr(value, "numpy") else value


def at(dataset, index):
    """The element at ``index`` (as Tensors); ``OutOfRangeError`` past the end."""
    from ..errors import OutOfRangeError

    index = int(_host_value(index))
    if index < 0:
        raise ValueError(f"tf.data.experimental.at: index must be >= 0, received {index}")
    iterator = iter(dataset.skip(index))
    try:
        return next(iterator)
    except StopIteration:
        raise OutOfRangeError(
            None, None, f"tf.data.experimental.at: index {index} is past the dataset's end"
        ) from None


def get_single_element(dataset):
    """``dataset.get_single_element()``."""
    return dataset.get_single_element()


def get_structure(dataset_or_iterator):
    """The ``element_spec`` of a dataset or of an iterator over one."""
    return dataset_or_iterator.element_spec


def get_next_as_optional(iterator):
    """``iterator.get_next_as_optional()``."""
    return iterator.get_next_as_optional()


def enable_debug_mode():
    """TensorFlow's switch to run dataset functions eagerly; gpuflow always does, so this
    only exists for programs that call it."""


def group_by_reducer(key_func, reducer):
    """``dataset -> dataset`` with one element per key: its elements folded by ``reducer``."""
    return lambda dataset: GroupByReducerDataset(dataset, key_func, reducer)


def take_while(predicate):
    return lambda dataset: dataset.take_while(predicate)


def unique():
    return lambda dataset: dataset.unique()


def ignore_errors(log_warning=False):
    return lambda dataset: dataset.ignore_errors(log_warning)


def unbatch():
    return lambda dataset: dataset.unbatch()


def enumerate_dataset(start=0):
    return lambda dataset: dataset.enumerate(start)


def scan(initial_state, scan_func):
    return lambda dataset: dataset.scan(initial_state, scan_func)


def dense_to_ragged_batch(batch_size, drop_remainder=False, row_splits_dtype="int64"):
    return lambda dataset: dataset.ragged_batch(batch_size, drop_remainder, row_splits_dtype)


def dense_to_sparse_batch(batch_size, row_shape):
    return lambda dataset: dataset.sparse_batch(batch_size, row_shape)


def group_by_window(key_func, reduce_func, window_size=None, window_size_func=None):
    return lambda dataset: dataset.group_by_window(
        key_func, reduce_func, window_size, window_size_func
    )


def bucket_by_sequence_length(
    element_length_func,
    bucket_boundaries,
    bucket_batch_sizes,
    padded_shapes=None,
    padding_values=None,
    pad_to_bucket_boundary=False,
    no_padding=False,
    drop_remainder=False,
):
    return lambda dataset: dataset.bucket_by_sequence_length(
        element_length_func,
        bucket_boundaries,
        bucket_batch_sizes,
        padded_shapes,
        padding_values,
        pad_to_bucket_boundary,
        no_padding,
        drop_remainder,
    )


def rejection_resample(class_func, target_dist, initial_dist=None, seed=None):
    return lambda dataset: dataset.rejection_resample(class_func, target_dist, initial_dist, seed)


def shuffle_and_repeat(buffer_size, count=None, seed=None):
    """``dataset.shuffle(buffer_size, seed).repeat(count)`` (a new order each epoch)."""
    return lambda dataset: dataset.shuffle(buffer_size, seed).repeat(count)


def map_and_batch(
    map_func, batch_size, num_parallel_batches=None, drop_remainder=False, num_parallel_calls=None
):
    """``dataset.map(map_func, num_parallel_calls).batch(batch_size, drop_remainder)``."""
    return lambda dataset: dataset.map(map_func, num_parallel_calls).batch(
        batch_size, drop_remainder
    )


def parallel_interleave(
    map_func,
    cycle_length,
    block_length=1,
    sloppy=False,
    buffer_output_elements=None,
    prefetch_input_elements=None,
):
    """``dataset.interleave(map_func, cycle_length, block_length)`` (in the deterministic
    order, which ``sloppy=False`` asks for and ``sloppy=True`` allows)."""
    return lambda dataset: dataset.interleave(map_func, cycle_length, block_length)


def copy_to_device(target_device, source_device="/cpu:0"):
    """Elements already go to the iterating device when a pass makes tensors of them; this
    keeps the dataset as it is, for programs that ask for it."""
    return lambda dataset: dataset


def prefetch_to_device(device, buffer_size=None):
    """``dataset.prefetch(buffer_size)``: a pass puts elements on the iterating device."""
    from .transformations import AUTOTUNE as _auto

    return lambda dataset: dataset.prefetch(_auto if buffer_size is None else buffer_size)


__all__ = [
    "AUTOTUNE",
    "AutoShardPolicy",
    "AutotuneOptions",
    "Counter",
    "CsvDataset",
    "DatasetInitializer",
    "DistributeOptions",
    "ExternalStatePolicy",
    "INFINITE_CARDINALITY",
    "OptimizationOptions",
    "Optional",
    "Reducer",
    "TFRecordWriter",
    "ThreadingOptions",
    "UNKNOWN_CARDINALITY",
    "assert_cardinality",
    "at",
    "bucket_by_sequence_length",
    "cardinality",
    "choose_from_datasets",
    "copy_to_device",
    "dense_to_ragged_batch",
    "dense_to_sparse_batch",
    "enable_debug_mode",
    "enumerate_dataset",
    "from_list",
    "get_next_as_optional",
    "get_single_element",
    "get_structure",
    "group_by_reducer",
    "group_by_window",
    "ignore_errors",
    "index_table_from_dataset",
    "make_csv_dataset",
    "map_and_batch",
    "parallel_interleave",
    "prefetch_to_device",
    "rejection_resample",
    "sample_from_datasets",
    "scan",
    "shuffle_and_repeat",
    "table_from_dataset",
    "take_while",
    "unbatch",
    "unique",
]
