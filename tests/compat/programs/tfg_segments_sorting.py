"""Segment reductions, sorting, top_k, searchsorted and unique."""

import numpy as np
import tensorflow as tf

data = tf.constant([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
ids = tf.constant([0, 0, 1, 3, 3, 3])
np.testing.assert_array_equal(tf.math.segment_sum(data, ids), [3.0, 3.0, 0.0, 15.0])
np.testing.assert_array_equal(tf.math.segment_mean(data, ids), [1.5, 3.0, 0.0, 5.0])
np.testing.assert_array_equal(tf.math.segment_prod(data, ids), [2.0, 3.0, 1.0, 120.0])
seg_max = tf.math.segment_max(data, ids)
assert seg_max.numpy()[0] == 2.0 and seg_max.numpy()[3] == 6.0
assert seg_max.numpy()[2] == 0.0  # empty sorted segments give 0
rows = tf.constant([[1, 2], [3, 4], [5, 6]])
np.testing.assert_array_equal(tf.math.segment_sum(rows, [0, 0, 1]), [[4, 6], [5, 6]])
try:
    tf.math.segment_sum(data, [1, 0, 0, 0, 0, 0])
except tf.errors.InvalidArgumentError:
    pass
else:
    raise AssertionError("unsorted segment ids should raise")

# unsorted_segment_*: any order, num_segments fixes the size, negative ids are dropped.
uids = tf.constant([2, 0, 2, -1, 0, 1])
np.testing.assert_array_equal(
    tf.math.unsorted_segment_sum(data, uids, num_segments=4), [7.0, 6.0, 4.0, 0.0]
)
np.testing.assert_array_equal(tf.math.unsorted_segment_mean(data, uids, 3), [3.5, 6.0, 2.0])
np.testing.assert_array_equal(tf.math.unsorted_segment_max(data, uids, 3), [5.0, 6.0, 3.0])
np.testing.assert_array_equal(tf.math.unsorted_segment_min(data, uids, 3), [2.0, 6.0, 1.0])
np.testing.assert_allclose(
    tf.math.unsorted_segment_sqrt_n(data, uids, 3), [7 / np.sqrt(2), 6.0, 4 / np.sqrt(2)]
)
empty_max = tf.math.unsorted_segment_max(data, uids, 5)
assert empty_max.numpy()[4] == np.finfo(np.float32).min
np.testing.assert_array_equal(tf.math.unsorted_segment_prod(data, uids, 4)[3], 1.0)
np.testing.assert_array_equal(tf.math.unsorted_segment_sum(rows, [1, 1, 0], 2), [[5, 6], [4, 6]])

# sort / argsort: stable argsort keeps ties in order; descending too.
v = tf.constant([3, 1, 2, 1, 3])
np.testing.assert_array_equal(tf.sort(v), [1, 1, 2, 3, 3])
np.testing.assert_array_equal(tf.sort(v, direction="DESCENDING"), [3, 3, 2, 1, 1])
np.testing.assert_array_equal(tf.argsort(v, stable=True), [1, 3, 2, 0, 4])
np.testing.assert_array_equal(tf.argsort(v, direction="DESCENDING", stable=True), [0, 4, 2, 1, 3])
assert tf.argsort(v).dtype == tf.int32
mat = tf.constant([[3.0, -1.0, 2.0], [0.0, 5.0, 1.0]])
np.testing.assert_array_equal(tf.sort(mat, axis=0), [[0.0, -1.0, 1.0], [3.0, 5.0, 2.0]])
try:
    tf.sort(v, direction="UP")
except ValueError:
    pass
else:
    raise AssertionError("bad direction should raise")

# top_k over the last axis, with ties broken by index.
vals, idx = tf.math.top_k(mat, k=2)
np.testing.assert_array_equal(vals, [[3.0, 2.0], [5.0, 1.0]])
np.testing.assert_array_equal(idx, [[0, 2], [1, 2]])
assert idx.dtype == tf.int32
tv, ti = tf.math.top_k(tf.constant([1, 5, 5, 2]), k=3)
np.testing.assert_array_equal(tv, [5, 5, 2])
np.testing.assert_array_equal(ti, [1, 2, 3])
try:
    tf.math.top_k(mat, k=4)
except (ValueError, tf.errors.InvalidArgumentError):
    pass
else:
    raise AssertionError("k larger than the axis should raise")
np.testing.assert_array_equal(tf.math.in_top_k([0, 0], mat, k=1), [True, False])

# searchsorted: per row, left/right sides, int64 out_type.
edges = tf.constant([[0.0, 1.0, 2.0, 3.0], [10.0, 20.0, 30.0, 40.0]])
q = tf.constant([[1.0, 2.5], [10.0, 45.0]])
np.testing.assert_array_equal(tf.searchsorted(edges, q), [[1, 3], [0, 4]])
np.testing.assert_array_equal(tf.searchsorted(edges, q, side="right"), [[2, 3], [1, 4]])
assert tf.searchsorted(edges, q, out_type=tf.int64).dtype == tf.int64
np.testing.assert_array_equal(
    tf.searchsorted(tf.constant([1, 3, 5]), tf.constant([0, 3, 6])), [0, 1, 3]
)

# unique / unique_with_counts keep first-appearance order.
y, idx = tf.unique(tf.constant([4, 1, 4, 2, 1]))
np.testing.assert_array_equal(y, [4, 1, 2])
np.testing.assert_array_equal(idx, [0, 1, 0, 2, 1])
y, idx, counts = tf.unique_with_counts(tf.constant(["b", "a", "b"]), out_idx=tf.int64)
assert y.numpy().tolist() == [b"b", b"a"] and idx.dtype == tf.int64
np.testing.assert_array_equal(counts, [2, 1])
assert counts.dtype == tf.int64
np.testing.assert_array_equal(tf.math.bincount(tf.constant([1, 1, 3])), [0, 2, 0, 1])
np.testing.assert_array_equal(
    tf.math.bincount(tf.constant([1, 1, 3]), weights=[0.5, 0.5, 2.0], minlength=5),
    [0.0, 1.0, 0.0, 2.0, 0.0],
)
print("ok")
