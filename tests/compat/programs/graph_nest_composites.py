"""tf.nest with expand_composites=True: RaggedTensor and SparseTensor flatten into their
component tensors and pack back (TensorFlow 2.21)."""

import numpy as np
import tensorflow as tf

rt = tf.ragged.constant([[1, 2], [3]])
st = tf.sparse.SparseTensor(indices=[[0, 1], [1, 0]], values=[10.0, 20.0], dense_shape=[2, 2])
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
assert len(tf.nest.flatten(s)) == 3
assert tf.nest.flatten(rt)[0] is rt and not tf.nest.is_nested(rt)

back = tf.nest.pack_sequence_as(s, flat, expand_composites=True)
assert isinstance(back["r"], tf.RaggedTensor) and back["r"].to_list() == [[1, 2], [3]]
np.testing.assert_array_equal(tf.sparse.to_dense(back["s"]).numpy(), [[0, 10], [20, 0]])

doubled = tf.nest.map_structure(
    lambda x: x * 2 if x.dtype in (tf.int32, tf.float32) else x, s, expand_composites=True
)
assert doubled["r"].to_list() == [[2, 4], [6]]
assert doubled["s"].values.numpy().tolist() == [20.0, 40.0]
assert doubled["s"].indices.numpy().tolist() == [[0, 1], [1, 0]]
tf.nest.assert_same_structure(s, doubled, expand_composites=True)

rt2 = tf.ragged.constant([[[1], [2, 3]], [[4]]])
assert [x.numpy().tolist() for x in tf.nest.flatten(rt2, expand_composites=True)] == [
    [1, 2, 3, 4],
    [0, 2, 3],
    [0, 1, 3, 4],
]
for a, b in ((rt, st), (rt, rt2)):
    try:
        tf.nest.assert_same_structure(a, b, expand_composites=True)
        raise AssertionError("different composites must not match")
    except ValueError as exc:
        assert "same nested structure" in str(exc)
try:
    tf.nest.pack_sequence_as(rt, [tf.constant([1])], expand_composites=True)
    raise AssertionError("a short flat_sequence must fail")
except ValueError:
    pass
print("nest composites ok")
