# TF docstring examples of RaggedTensor / SparseTensor / tf.map_fn / tf.linalg that need
# more than the common cases: from_tensor with nested row lengths, nested_value_rowids,
# SparseTensor.set_shape, sparse.bincount dtypes, map_fn over sparse rows and to a sparse
# result, diag_part / set_diag of off-main diagonals and bands.
import numpy as np
import tensorflow as tf

dt = tf.constant([[[5, 0], [7, 0], [0, 0]], [[0, 0], [3, 0], [0, 0]], [[6, 0], [0, 0], [0, 0]]])
rt = tf.RaggedTensor.from_tensor(dt, lengths=([2, 0, 3], [1, 1, 2, 0, 1]))
assert rt.ragged_rank == 2
assert rt.to_list() == [[[5], [7]], [], [[6, 0], [], [0]]]
assert str(rt) == "<tf.RaggedTensor [[[5], [7]], [], [[6, 0], [], [0]]]>"

deep = tf.ragged.constant([[[[3, 1, 4, 1], [], [5, 9, 2]], [], [[6], []]]])
ids = [t.numpy().tolist() for t in deep.nested_value_rowids()]
assert ids == [[0, 0, 0], [0, 0, 0, 2, 2], [0, 0, 0, 0, 2, 2, 2, 3]]
assert [t.numpy().tolist() for t in deep.nested_row_lengths()] == [[3], [3, 0, 2], [4, 0, 3, 1, 0]]

st = tf.SparseTensor(indices=[[0, 0], [1, 2]], values=[1, 2], dense_shape=[3, 4])
st.set_shape([3, None])
try:
    st.set_shape([1, 4])
    raise AssertionError("set_shape accepted an incompatible shape")
except ValueError:
    pass
tf.debugging.assert_type(st, tf_type=tf.int32)

counts = tf.sparse.bincount(tf.constant([[3, 2, 1, 1], [5, 0, 0, 5]]), axis=-1)
assert counts.values.dtype == tf.int32 and counts.values.numpy().tolist() == [2, 1, 1, 2, 2]
counts64 = tf.sparse.bincount(tf.constant([[10, 20, 30, 20]], tf.int64), axis=-1)
assert counts64.values.dtype == tf.int64 and counts64.values.numpy().tolist() == [1, 2, 1]

sp = tf.sparse.SparseTensor([[0, 0], [2, 0], [2, 1]], [2, 3, 4], [4, 4])
sums = tf.map_fn(tf.sparse.reduce_sum, sp, fn_output_signature=tf.int32)
assert sums.numpy().tolist() == [2, 0, 7, 0]
eyes = tf.map_fn(
    tf.sparse.eye, tf.constant([2, 3]), fn_output_signature=tf.SparseTensorSpec(None, tf.float32)
)
dense_eyes = tf.sparse.to_dense(eyes).numpy()
assert dense_eyes.shape == (2, 3, 3)
np.testing.assert_array_equal(dense_eyes[0], np.diag([1.0, 1.0, 0.0]))
np.testing.assert_array_equal(dense_eyes[1], np.eye(3))

x = tf.reshape(tf.range(1.0, 13.0), [3, 4])
assert tf.linalg.diag_part(x).numpy().tolist() == [1, 6, 11]
assert tf.linalg.diag_part(x, k=1).numpy().tolist() == [2, 7, 12]
assert tf.linalg.diag_part(x, k=-2).numpy().tolist() == [9]
band = tf.linalg.diag_part(x, k=(-1, 2), padding_value=9)
assert band.numpy().tolist() == [[9, 3, 8], [2, 7, 12], [1, 6, 11], [5, 10, 9]]
band = tf.linalg.diag_part(x, k=(-1, 2), padding_value=9, align="LEFT_RIGHT")
assert band.numpy().tolist() == [[3, 8, 9], [2, 7, 12], [1, 6, 11], [9, 5, 10]]
# tf.linalg.banded_triangular_solve's docstring: its bands as a matrix through set_diag
bands = tf.constant([[2.0, 3.0, 4.0], [1.0, 2.0, 3.0]])
z = tf.linalg.set_diag(tf.zeros([3, 3]), bands, align="LEFT_RIGHT", k=(-1, 0))
assert z.numpy().tolist() == [[2, 0, 0], [2, 3, 0], [0, 3, 4]]
soln = tf.linalg.banded_triangular_solve(bands, tf.ones([3, 1]))
np.testing.assert_allclose(soln.numpy(), [[0.5], [0.0], [0.25]], atol=1e-6)
np.testing.assert_allclose(soln.numpy(), tf.linalg.triangular_solve(z, tf.ones([3, 1])).numpy())
upper = tf.constant([[2.0, 3.0, 4.0, 5.0], [-1.0, -2.0, -3.0, -4.0]])
z = tf.linalg.set_diag(tf.zeros([4, 4]), upper, align="LEFT_RIGHT", k=(0, 1))
assert z.numpy().tolist() == [[-1, 2, 0, 0], [0, -2, 3, 0], [0, 0, -3, 4], [0, 0, 0, -4]]
w = tf.Variable(tf.ones([3, 3]))
d = tf.Variable([5.0, 6.0])
with tf.GradientTape() as tape:
    out = tf.reduce_sum(tf.linalg.set_diag(w, d, k=1) * tf.reshape(tf.range(9.0), [3, 3]))
gw, gd = tape.gradient(out, [w, d])
assert gw.numpy().tolist() == [[0, 0, 2], [3, 4, 0], [6, 7, 8]] and gd.numpy().tolist() == [1, 5]
print("ok")
