"""``keras.utils.timeseries_dataset_from_array``: sliding windows over a series."""

from __future__ import annotations

import numpy as np

from ..data import Dataset
from ..data.structure import to_array


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(f"timeseries_dataset_from_array: {message}")


def timeseries_dataset_from_array(
    data,
    targets,
    sequence_length,
    sequence_stride=1,
    sampling_rate=1,
    batch_size=128,
    shuffle=False,
    seed=None,
    start_index=None,
    end_index=None,
):
    """A dataset of sliding windows over ``data`` (and the target at each window's start).

    Window ``i`` holds ``data[s + i * sequence_stride + k * sampling_rate]`` for
    ``k < sequence_length``, with ``s = start_index``; its target is
    ``targets[s + i * sequence_stride]``.

    Args:
        data: an array (or Tensor) of timesteps along axis 0.
        targets: targets per timestep, or None for a dataset of windows only.
        sequence_length: timesteps per window.
        sequence_stride: timesteps between the starts of two windows.
        sampling_rate: timesteps between two samples inside a window.
        batch_size: windows per batch; None for unbatched windows.
        shuffle: shuffle the windows.
        seed: seed for the shuffle.
        start_index: first timestep to use (default 0).
        end_index: timestep after the last one to use (default ``len(data)``).

    Returns:
        A Dataset of ``windows`` or ``(windows, targets)``.
    """
    data = to_array(data, "timeseries_dataset_from_array(data)")
    n = len(data)
    if start_index:
        _check(start_index >= 0, f"start_index must be 0 or greater, received {start_index}")
        _check(
            start_index < n,
            f"start_index must be lower than the length of the data, "
            f"received start_index={start_index} for data of length {n}",
        )
    if end_index:
        _check(
            not start_index or end_index > start_index,
            f"end_index must be higher than start_index, received start_index={start_index} "
            f"and end_index={end_index}",
        )
        _check(
            end_index < n,
            f"end_index must be lower than the length of the data, received "
            f"end_index={end_index} for data of length {n}",
        )
    _check(0 < sampling_rate < n, f"sampling_rate must be in (0, {n}), received {sampling_rate}")
    _check(
        0 < sequence_stride < n, f"sequence_stride must be in (0, {n}), received {sequence_stride}"
    )
    start = start_index or 0
    stop = end_index if end_index is not None else n
    count = stop - start - (sequence_length - 1) * sampling_rate
    if targets is not None:
        targets = to_array(targets, "timeseries_dataset_from_array(targets)")
        count = min(count, len(targets))
    starts = np.arange(0, max(count, 0), sequence_stride, dtype=np.int64)
    if shuffle:
        if seed is None:
            seed = np.random.randint(1_000_000)
        np.random.RandomState(seed).shuffle(starts)
    offsets = np.arange(sequence_length, dtype=np.int64) * sampling_rate
    series = data[start:stop]
    labels = None if targets is None else targets[start:stop]

    def windows(positions):
        index = np.asarray(positions.numpy())
        x = series[index[..., None] + offsets]
        return x if labels is None else (x, labels[index])

    dataset = Dataset.from_tensor_slices(starts)
    if shuffle:  # a local shuffle on every pass, as Keras does
        dataset = dataset.shuffle(8 * (batch_size or 128), seed=seed)
    if batch_size is not None:
        dataset = dataset.batch(batch_size)
    return dataset.map(windows)
