"""The class name a dataset's repr shows: TensorFlow's (``<_TensorSliceDataset
element_spec=...>``), which tutorials print; gpuflow's own class names stay as they are.

A transformation TensorFlow implements with another dataset class says so with its own
``_tf_name`` (``map(..., num_parallel_calls=n)`` is a ``_ParallelMapDataset``)."""

from __future__ import annotations

# gpuflow class -> the class of the dataset TensorFlow 2.21 returns for the same call
_TF_NAMES = {
    "AssertCardinalityDataset": "_AssertCardinalityDataset",
    "BatchDataset": "_BatchDataset",
    "ChooseDataset": "_DirectedInterleaveDataset",
    "ConcatenateDataset": "_ConcatenateDataset",
    "CounterDataset": "_ScanDataset",
    "CsvDataset": "CsvDatasetV2",
    "EnumerateDataset": "_ZipDataset",
    "FilterDataset": "_FilterDataset",
    "FixedLengthRecordDataset": "FixedLengthRecordDatasetV2",
    "FlatMapDataset": "_FlatMapDataset",
    "GeneratorDataset": "_FlatMapDataset",
    "GroupByReducerDataset": "_GroupByReducerDataset",
    "GroupByWindowDataset": "_GroupByWindowDataset",
    "IgnoreErrorsDataset": "_IgnoreErrorsDataset",
    "InterleaveDataset": "_InterleaveDataset",
    "LoadedDataset": "_LoadDataset",
    "_ListDataset": "_VariantDataset",  # a window of group_by_window
    "MapDataset": "_MapDataset",
    "PaddedBatchDataset": "_PaddedBatchDataset",
    "PrefetchDataset": "_PrefetchDataset",
    "RaggedBatchDataset": "_BatchDataset",
    "RandomDataset": "_RandomDataset",
    "RangeDataset": "_RangeDataset",
    "RebatchDataset": "_RebatchDataset",
    "RejectionResampleDataset": "_DirectedInterleaveDataset",
    "RepeatDataset": "_RepeatDataset",
    "SampleDataset": "_DirectedInterleaveDataset",
    "ScanDataset": "_ScanDataset",
    "ShardDataset": "_ShardDataset",
    "ShuffleDataset": "_ShuffleDataset",
    "SkipDataset": "_SkipDataset",
    "SparseBatchDataset": "_DenseToSparseBatchDataset",
    "TakeDataset": "_TakeDataset",
    "TakeWhileDataset": "_TakeWhileDataset",
    "TensorDataset": "_TensorDataset",
    "TensorSliceDataset": "_TensorSliceDataset",
    "TextLineDataset": "TextLineDatasetV2",
    "TFRecordDataset": "TFRecordDatasetV2",
    "UnbatchDataset": "_UnbatchDataset",
    "UniqueDataset": "_UniqueDataset",
    "WindowDataset": "_WindowDataset",
    "ZipDataset": "_ZipDataset",
}


def tf_class_name(dataset) -> str:
    """The name ``repr(dataset)`` shows (a user's subclass keeps its own)."""
    name = dataset.__dict__.get("_tf_name")
    if name is not None:
        return name
    cls = type(dataset)
    if cls.__module__.startswith("gpuflow.data."):
        return _TF_NAMES.get(cls.__name__, cls.__name__)
    return cls.__name__


def parallel(dataset, name: str, num_parallel_calls):
    """``dataset`` named as TensorFlow's parallel variant ``name`` when the call passed
    ``num_parallel_calls`` (any value, as TensorFlow chooses the class)."""
    if num_parallel_calls is not None:
        dataset._tf_name = name
    return dataset
