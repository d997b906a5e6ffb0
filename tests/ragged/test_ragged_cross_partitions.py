"""tf.ragged.cross / cross_hashed and tf.ragged.stack_dynamic_partitions; expected values
printed by TensorFlow 2.21 (the first of each: the op's docstring example)."""

import pytest

import gpuflow as tf


def test_cross_keeps_the_inputs_order_whatever_their_kind():
    crossed = tf.ragged.cross(
        [
            tf.ragged.constant([["a"], ["b", "c"]]),
            tf.ragged.constant([["d"], ["e"]]),
            tf.ragged.constant([["f"], ["g"]]),
        ]
    )
    assert crossed.to_list() == [[b"a_X_d_X_f"], [b"b_X_e_X_g", b"c_X_e_X_g"]]
    mixed = tf.ragged.cross(
        [
            tf.constant([["x"], ["y"]]),
            tf.ragged.constant([["a"], ["b", "c"]]),
            tf.sparse.from_dense(tf.constant([["s", ""], ["t", "u"]])),
        ]
    )
    assert mixed.to_list() == [
        [b"x_X_a_X_s"],
        [b"y_X_b_X_t", b"y_X_b_X_u", b"y_X_c_X_t", b"y_X_c_X_u"],
    ]
    with pytest.raises(ValueError, match="tf.ragged.cross: inputs must have rank 2"):
        tf.ragged.cross([tf.constant(["a", "b"])])


def test_cross_hashed_equals_tensorflow():
    inputs = [tf.ragged.constant([["a"], ["b", "c"]]), tf.constant([[1], [2]], tf.int64)]
    assert tf.ragged.cross_hashed(inputs, num_buckets=100).to_list() == [[85], [57, 23]]
    words = [tf.ragged.constant([["a"], ["b", "c"]]), tf.constant([["q"], ["r"]])]
    assert tf.ragged.cross_hashed(words).to_list() == [
        [5772008083553757323],
        [4528061004646853358, 4302532056514807790],
    ]


def test_stack_dynamic_partitions():
    out = tf.ragged.stack_dynamic_partitions(["a", "b", "c", "d", "e"], [3, 0, 2, 2, 3], 5)
    assert out.to_list() == [[b"b"], [], [b"c", b"d"], [b"a", b"e"], []]
    blocks = tf.reshape(tf.range(12), [3, 2, 2])
    out = tf.ragged.stack_dynamic_partitions(blocks, [[1, 0], [0, 0], [2, 1]], 3)
    assert out.to_list() == [[[2, 3], [4, 5], [6, 7]], [[0, 1], [10, 11]], [[8, 9]]]
    rows = tf.ragged.constant([[1], [2, 3], [], [4]])
    out = tf.ragged.stack_dynamic_partitions(rows, [1, 0, 1, 1], 2)
    assert out.to_list() == [[[2, 3]], [[1], [], [4]]]
    with pytest.raises(ValueError, match="partitions must lie in \\[0, num_partitions=2\\)"):
        tf.ragged.stack_dynamic_partitions([1, 2], [0, 2], 2)
    with pytest.raises(ValueError, match="must be a prefix of data.shape"):
        tf.ragged.stack_dynamic_partitions([1, 2], [0, 1, 1], 2)
