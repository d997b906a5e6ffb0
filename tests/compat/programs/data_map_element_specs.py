"""tf.data guide: what a mapped dataset says about its elements. TensorFlow traces the map
function once on the input spec, so sizes that follow unknown sizes or the values are None,
and a batched, padded or filtered pipeline keeps them None (TensorFlow 2.21)."""

import numpy as np
import tensorflow as tf

# a size that follows the values is unknown
lengths = tf.data.Dataset.range(7).map(lambda x: tf.fill([x % 3 + 1], x))
assert lengths.element_spec.shape.as_list() == [None]
assert lengths.element_spec.dtype == tf.int64

# padded_batch pads each batch to its longest element: both sizes unknown
padded = lengths.padded_batch(3)
assert padded.element_spec.shape.as_list() == [None, None]
row_sums = padded.map(lambda b: tf.reduce_sum(b, axis=1))
assert row_sums.element_spec.shape.as_list() == [None]
sizes = padded.map(lambda b: tf.shape(b))
assert sizes.element_spec.shape.as_list() == [2]
got = [s.tolist() for s in sizes.as_numpy_iterator()]
assert got == [[3, 3], [3, 3], [1, 1]], got
np.testing.assert_array_equal(next(iter(row_sums)).numpy(), [0, 2, 6])

# a function of fixed output sizes keeps them, whatever the batch
rows = tf.data.Dataset.from_tensor_slices(np.arange(12, dtype=np.float32).reshape(4, 3))
assert rows.map(lambda r: tf.reshape(r, [-1, 1])).element_spec.shape.as_list() == [3, 1]
flat = rows.batch(2).map(lambda b: tf.reshape(b, [2, 3]))
assert flat.element_spec.shape.as_list() == [2, 3]
scaled = rows.batch(3).map(lambda b: (b * 2.0, tf.shape(b)[0]))
assert scaled.element_spec[0].shape.as_list() == [None, 3]
assert scaled.element_spec[1].shape.as_list() == []
assert scaled.element_spec[1].dtype == tf.int32
assert [int(n) for _, n in scaled] == [3, 1]

# filter keeps its input's spec; a concatenation of known sizes is known
kept = rows.filter(lambda r: r[0] > 2.0).map(lambda r: tf.concat([r, r[:1]], 0))
assert kept.element_spec.shape.as_list() == [4]
assert [r.tolist() for r in kept.as_numpy_iterator()] == [
    [3.0, 4.0, 5.0, 3.0],
    [6.0, 7.0, 8.0, 6.0],
    [9.0, 10.0, 11.0, 9.0],
]

# dict elements: each component has its own spec
records = tf.data.Dataset.range(5).batch(2).map(lambda x: {"ids": x, "count": tf.size(x)})
spec = records.element_spec
assert spec["ids"].shape.as_list() == [None] and spec["count"].shape.as_list() == []
assert [int(r["count"]) for r in records] == [2, 2, 1]
print("data_map_element_specs: ok")
