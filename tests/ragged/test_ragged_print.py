"""tf.print of RaggedTensors and SparseTensors writes what TensorFlow writes."""

from __future__ import annotations

import io

import gpuflow as tf


def _printed(*values, **kwargs) -> str:
    stream = io.StringIO()
    tf.print(*values, output_stream=stream, **kwargs)
    return stream.getvalue()


def test_ragged_tensors_print_as_ragged_tensor_to_string():
    assert _printed(tf.ragged.constant([[1], [2, 3]])) == "[[1], [2, 3]]\n"
    floats = tf.ragged.constant([[1.5], [], [2.25, 3.0]])
    assert _printed("r", floats) == "r [[1.500000], [], [2.250000, 3.000000]]\n"
    assert _printed(tf.ragged.constant([[[1, 2], [3]], [[4]]])) == "[[[1, 2], [3]], [[4]]]\n"
    long_rows = tf.ragged.constant([list(range(10)), [1]])
    assert _printed(long_rows, summarize=2) == "[[0, 1, ..., 8, 9], [1]]\n"
    assert _printed(tf.ragged.constant([[True], [False, True]])) == "[[true], [false, true]]\n"
    assert _printed(tf.ragged.constant([["a"], ["b", "c"]])) == "[['a'], ['b', 'c']]\n"


def test_sparse_tensors_print_with_tensorflows_template():
    st = tf.sparse.SparseTensor([[0, 0], [1, 2]], [1, 2], [3, 4])
    expected = "'SparseTensor(indices=[[0 0]\n [1 2]], values=[1 2], shape=[3 4])'\n"
    assert _printed(st) == expected
