"""Dataset.scan, group_by_window, bucket_by_sequence_length and Dataset.random; expected
outputs from TensorFlow 2.21 where marked."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf

D = tf.data.Dataset


def test_scan_running_state():
    ds = D.range(5).scan(tf.constant(0, tf.int64), lambda s, x: (s + x, s * 10))
    assert list(ds.as_numpy_iterator()) == [0, 0, 10, 30, 60]  # TensorFlow 2.21
    assert ds.element_spec == tf.TensorSpec((), tf.int64)
    assert int(ds.cardinality()) == 5
    # a structured state and a tuple element (unpacked only at the top level, as TF)
    pairs = D.from_tensor_slices(([1.0, 2.0, 3.0], [10, 20, 30]))
    running = pairs.scan(
        (tf.constant(0.0), tf.constant(0)), lambda s, e: ((s[0] + e[0], s[1] + e[1]), s[0] * 2)
    )
    assert list(running.as_numpy_iterator()) == [0.0, 2.0, 6.0]


def test_scan_state_type_errors():
    with pytest.raises(TypeError, match="element types for the new state must match"):
        list(D.range(3).scan(tf.constant(0, tf.int32), lambda s, x: (tf.cast(x, tf.float32), s)))
    with pytest.raises(TypeError, match="must return a pair"):
        list(D.range(3).scan(0, lambda s, x: s))


def test_group_by_window():
    ds = D.range(10).group_by_window(
        key_func=lambda x: x % 3, reduce_func=lambda k, w: w.batch(2), window_size=2
    )
    # TensorFlow 2.21
    assert [x.tolist() for x in ds.as_numpy_iterator()] == [
        [0, 3],
        [1, 4],
        [2, 5],
        [6, 9],
        [7],
        [8],
    ]
    sized = D.range(8).group_by_window(
        key_func=lambda x: x % 2,
        reduce_func=lambda k, w: w.batch(4).map(lambda b: (k, b)),
        window_size_func=lambda k: 1 + 2 * k,
    )
    out = [(int(k), b.tolist()) for k, b in sized.as_numpy_iterator()]
    assert out == [(0, [0]), (0, [2]), (0, [4]), (1, [1, 3, 5]), (0, [6]), (1, [7])]  # TF 2.21
    with pytest.raises(ValueError, match="exactly one of window_size"):
        D.range(3).group_by_window(lambda x: x, lambda k, w: w)
    with pytest.raises(ValueError, match="scalar integer"):
        list(D.range(3).group_by_window(lambda x: 0.5, lambda k, w: w, window_size=2))


def _ragged():
    def gen():
        for n in [3, 1, 4, 1, 5, 9, 2, 6, 5, 3]:
            yield np.arange(n, dtype=np.int32) + 1

    return D.from_generator(gen, output_signature=tf.TensorSpec([None], tf.int32))


def test_bucket_by_sequence_length_matches_tensorflow():
    buckets = _ragged().bucket_by_sequence_length(lambda x: tf.shape(x)[0], [3, 6], [2, 2, 2])
    got = [b.numpy().tolist() for b in buckets]
    assert got == [  # TensorFlow 2.21
        [[1, 2, 3, 0], [1, 2, 3, 4]],
        [[1], [1]],
        [[1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 5, 6, 0, 0, 0]],
        [[1, 2, 3, 4, 5], [1, 2, 3, 4, 5]],
        [[1, 2]],
        [[1, 2, 3]],
    ]
    padded = _ragged().bucket_by_sequence_length(
        lambda x: tf.shape(x)[0],
        [3, 7],
        [2, 2, 2],
        pad_to_bucket_boundary=True,
        drop_remainder=True,
    )
    got = [b.numpy().tolist() for b in padded.take(3)]
    assert got == [  # TensorFlow 2.21
        [[1, 2, 3, 0, 0, 0], [1, 2, 3, 4, 0, 0]],
        [[1, 0], [1, 0]],
        [[1, 2, 3, 4, 5, 0], [1, 2, 3, 4, 5, 6]],
    ]
    plain = D.from_tensor_slices(np.arange(6)).bucket_by_sequence_length(
        lambda x: x, [3], [2, 3], no_padding=True
    )
    assert [b.tolist() for b in plain.as_numpy_iterator()] == [[0, 1], [3, 4, 5], [2]]
    with pytest.raises(ValueError, match="must equal len\\(bucket_boundaries\\) \\+ 1"):
        _ragged().bucket_by_sequence_length(lambda x: tf.shape(x)[0], [3, 6], [2, 2])


def test_random_dataset():
    a = list(D.random(seed=4).take(5).as_numpy_iterator())
    b = list(D.random(seed=4).take(5).as_numpy_iterator())
    assert a == b and len(set(a)) == 5
    assert all(0 <= v < 2**32 for v in a)
    assert D.random().element_spec == tf.TensorSpec((), tf.int64)
    assert int(D.random().cardinality()) == tf.data.INFINITE_CARDINALITY
    again = D.random(seed=1, rerandomize_each_iteration=True).take(3)
    assert list(again.as_numpy_iterator()) != list(again.as_numpy_iterator())
