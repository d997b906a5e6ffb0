"""``tf.keras.preprocessing.sequence``: ``pad_sequences`` and Keras 1's sequence tools that
tf.keras still exports: ``TimeseriesGenerator``, ``skipgrams``, ``make_sampling_table``."""

from __future__ import annotations

import json
import random

import numpy as np

from ...utils.py_dataset import PyDataset
from ...utils.sequence_utils import pad_sequences

__all__ = ["TimeseriesGenerator", "make_sampling_table", "pad_sequences", "skipgrams"]


class TimeseriesGenerator(PyDataset):
    """Batches of (window of past steps, target) from a series, for ``model.fit``.

    Sample ``k`` of the output ends at row ``i = start_index + length + k * stride``: its
    input is ``data[i - length : i : sampling_rate]`` and its target ``targets[i]``.

    Args:
        data: rows indexed by time (a list or array; axis 0 is time).
        targets: one target per row of ``data``.
        length: the window, in time steps.
        sampling_rate: the step between rows inside a window.
        stride: the step between the end rows of consecutive samples.
        start_index, end_index: rows before ``start_index`` / after ``end_index`` are not
            used as end rows (``end_index`` default: the last row).
        shuffle: draw the end rows at random (``np.random``) instead of in order.
        reverse: windows in reverse time order.
        batch_size: samples per batch (the last batch may be smaller).
        **kwargs: ``workers``, ``use_multiprocessing``, ``max_queue_size`` of PyDataset.

    Raises:
        ValueError: ``data`` and ``targets`` differ in length, or
            ``start_index + length > end_index``.
    """

    def __init__(
        self,
        data,
        targets,
        length,
        sampling_rate=1,
        stride=1,
        start_index=0,
        end_index=None,
        shuffle=False,
        reverse=False,
        batch_size=128,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if len(data) != len(targets):
            raise ValueError(
                "Data and targets have to be "
                f"of same length. Data length is {len(data)} "
                f"while target length is {len(targets)}"
            )
        for name, value, low in (
            ("length", length, 1),
            ("sampling_rate", sampling_rate, 1),
            ("stride", stride, 1),
            ("batch_size", batch_size, 1),
        ):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
                raise ValueError(
                    f"TimeseriesGenerator: {name} must be an integer >= {low}, received {value!r}"
                )
        self.data = data
        self.targets = targets
        self.length = length
        self.sampling_rate = sampling_rate
        self.stride = stride
        self.start_index = start_index + length
        if end_index is None:
            end_index = len(data) - 1
        self.end_index = end_index
        self.shuffle = shuffle
        self.reverse = reverse
        self.batch_size = batch_size
        if self.start_index > self.end_index:
            raise ValueError(
                f"`start_index+length={self.start_index} "
                f"> end_index={self.end_index}` "
                "is disallowed, as no part of the sequence "
                "would be left to be used as current step."
            )

    def __len__(self):
        step = self.batch_size * self.stride
        return (self.end_index - self.start_index + step) // step

    def __getitem__(self, index):
        if self.shuffle:
            rows = np.random.randint(self.start_index, self.end_index + 1, size=self.batch_size)
        else:
            if not 0 <= index < len(self):
                raise IndexError(
                    f"TimeseriesGenerator: batch index {index} out of range [0, {len(self)})"
                )
            i = self.start_index + self.batch_size * self.stride * index
            rows = np.arange(
                i, min(i + self.batch_size * self.stride, self.end_index + 1), self.stride
            )
        samples = np.array(
            [self.data[row - self.length : row : self.sampling_rate] for row in rows]
        )
        targets = np.array([self.targets[row] for row in rows])
        if self.reverse:
            return samples[:, ::-1, ...], targets
        return samples, targets

    def get_config(self):
        """The generator's settings, ``data`` and ``targets`` as JSON strings (as Keras)."""

        def dumps(value, what):
            if type(value).__module__ == np.__name__:
                value = value.tolist()
            try:
                return json.dumps(value)
            except TypeError as e:
                raise TypeError(f"{what} not JSON Serializable: {value}") from e

        return {
            "data": dumps(self.data, "Data"),
            "targets": dumps(self.targets, "Targets"),
            "length": self.length,
            "sampling_rate": self.sampling_rate,
            "stride": self.stride,
            "start_index": self.start_index,
            "end_index": self.end_index,
            "shuffle": self.shuffle,
            "reverse": self.reverse,
            "batch_size": self.batch_size,
        }

    def to_json(self, **kwargs):
        """``{"class_name": "TimeseriesGenerator", "config": get_config()}`` as JSON."""
        return json.dumps(
            {"class_name": self.__class__.__name__, "config": self.get_config()}, **kwargs
        )


def make_sampling_table(size, sampling_factor=1e-5):
    """Word2vec's probability of keeping the word of each frequency rank (Zipf's law).

    ``p(rank) = min(1, sqrt(f / sampling_factor) / (f / sampling_factor))`` with the
    frequency ``f`` of a rank approximated as ``1 / (rank (log rank + gamma) + 1/2 -
    1 / (12 rank))``.

    Returns:
        A float64 array of ``size`` probabilities (rank 0 treated as rank 1).
    """
    gamma = 0.577
    rank = np.arange(size)
    rank[0] = 1
    inv_fq = rank * (np.log(rank) + gamma) + 0.5 - 1.0 / (12.0 * rank)
    f = sampling_factor * inv_fq
    return np.minimum(1.0, f / np.sqrt(f))


def skipgrams(
    sequence,
    vocabulary_size,
    window_size=4,
    negative_samples=1.0,
    shuffle=True,
    categorical=False,
    sampling_table=None,
    seed=None,
):
    """Skip-gram pairs of a sequence of word indices, with negative samples.

    Positive pairs ``[w_i, w_j]`` (label 1) join each word to the words at most
    ``window_size`` positions away; ``negative_samples`` times as many negative pairs
    ``[w, random word in [1, vocabulary_size)]`` (label 0) follow. Index 0 is skipped. The
    random draws use Python's ``random`` module, as Keras does, so ``random.seed`` makes
    them repeatable; ``seed`` seeds the final shuffle.

    Args:
        sequence: a list of word indices.
        vocabulary_size: the largest word index + 1.
        window_size: half the window.
        negative_samples: negatives per positive (0: none).
        shuffle: shuffle the pairs (pairs and labels together).
        categorical: labels as ``[0, 1]`` / ``[1, 0]`` instead of 1 / 0.
        sampling_table: per-index keep probabilities (see :func:`make_sampling_table`).
        seed: seed of the shuffle.

    Returns:
        ``(couples, labels)``: a list of ``[word, context]`` pairs and a list of labels.
    """
    couples = []
    labels = []
    for i, wi in enumerate(sequence):
        if not wi:
            continue
        if sampling_table is not None:
            if sampling_table[wi] < random.random():
                continue
        window_start = max(0, i - window_size)
        window_end = min(len(sequence), i + window_size + 1)
        for j in range(window_start, window_end):
            if j != i:
                wj = sequence[j]
                if not wj:
                    continue
                couples.append([wi, wj])
                labels.append([0, 1] if categorical else 1)
    if negative_samples > 0 and couples:
        num_negative_samples = int(len(labels) * negative_samples)
        words = [c[0] for c in couples]
        random.shuffle(words)
        couples += [
            [words[i % len(words)], random.randint(1, vocabulary_size - 1)]
            for i in range(num_negative_samples)
        ]
        if categorical:
            labels += [[1, 0]] * num_negative_samples
        else:
            labels += [0] * num_negative_samples
    if shuffle:
        if seed is None:
            seed = random.randint(0, int(10e6))
        random.seed(seed)
        random.shuffle(couples)
        random.seed(seed)
        random.shuffle(labels)
    return couples, labels
