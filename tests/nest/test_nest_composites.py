"""tf.nest with expand_composites=True opens RaggedTensor and SparseTensor into their
component tensors, as TensorFlow 2.21 (checked there)."""

import numpy as np
import pytest

import gpuflow as tf


def _parts():
    rt = tf.ragged.constant([[1, 2], [3]])
    st = tf.sparse.SparseTensor(indices=[[0, 1], [1, 0]], values=[10.0, 20.0], dense_shape=[2, 2])
    return rt, st


def test_flatten_and_pack_components():
    rt, st = _parts()
    s = {"r": rt, "s": st, "t": tf.constant(1.0)}
    flat = tf.nest.flatten(s, expand_composites=True)
    assert [x.numpy().tolist() for x in flat] == [
        [1, 2, 3],
        [0, 2, 3],
        [[0, 1], [1, 0]],
        [10.0, 20.0],
        [2, 2],
        1.0,
    ]
    assert len(tf.nest.flatten(s)) == 3 and tf.nest.flatten(rt)[0] is rt
    back = tf.nest.pack_sequence_as(s, flat, expand_composites=True)
    assert back["r"].to_list() == [[1, 2], [3]]
    np.testing.assert_array_equal(tf.sparse.to_dense(back["s"]).numpy(), [[0, 10], [20, 0]])
    rt2 = tf.ragged.constant([[[1], [2, 3]], [[4]]])
    flat2 = tf.nest.flatten(rt2, expand_composites=True)
    assert [x.numpy().tolist() for x in flat2] == [[1, 2, 3, 4], [0, 2, 3], [0, 1, 3, 4]]
    assert not tf.nest.is_nested(rt)


def test_map_structure_over_components():
    rt, st = _parts()
    out = tf.nest.map_structure(
        lambda x: x * 10 if x.dtype == tf.int32 else x,
        {"r": rt, "s": st},
        expand_composites=True,
    )
    assert out["r"].to_list() == [[10, 20], [30]]
    assert out["s"].values.numpy().tolist() == [10.0, 20.0]
    tf.nest.assert_same_structure({"r": rt}, {"r": out["r"]}, expand_composites=True)


def test_mismatches_raise_as_tensorflow():
    rt, st = _parts()
    with pytest.raises(ValueError, match="don't have the same nested structure"):
        tf.nest.assert_same_structure(rt, st, expand_composites=True)
    with pytest.raises(ValueError, match="don't have the same nested structure"):
        tf.nest.assert_same_structure(
            rt, tf.ragged.constant([[[1]], [[2]]]), expand_composites=True
        )
    with pytest.raises(ValueError, match="structure has 2 leaves, flat_sequence has 1"):
        tf.nest.pack_sequence_as(rt, [tf.constant([1])], expand_composites=True)
