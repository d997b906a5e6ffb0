"""TensorFlow guide "Introduction to tensor slicing": tf.slice, gather (axis, batch_dims),
gather_nd, scatter_nd, tensor_scatter_nd_*, strided_slice masks, Python slicing, and
variable updates (sliced assign, scatter_* with IndexedSlices, inside tf.function)."""

import numpy as np
import tensorflow as tf

t1 = tf.constant([0, 1, 2, 3, 4, 5, 6, 7])
assert tf.slice(t1, begin=[1], size=[3]).numpy().tolist() == [1, 2, 3]
assert t1[1:4].numpy().tolist() == [1, 2, 3]
assert t1[-3:].numpy().tolist() == [5, 6, 7]
t2 = tf.constant([[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [10, 11, 12, 13, 14], [15, 16, 17, 18, 19]])
assert t2[:-1, 1:3].numpy().tolist() == [[1, 2], [6, 7], [11, 12]]
t3 = tf.constant([[[1, 3, 5, 7], [9, 11, 13, 15]], [[17, 19, 21, 23], [25, 27, 29, 31]]])
s = tf.slice(t3, begin=[1, 1, 0], size=[1, 1, 2])
assert s.numpy().tolist() == [[[25, 27]]]
s = tf.slice(t3, begin=[0, 0, 1], size=[-1, -1, 2])
assert s.shape == (2, 2, 2), s.shape
assert tf.gather(t1, indices=[0, 3, 6]).numpy().tolist() == [0, 3, 6]
assert t1[::3].numpy().tolist() == [0, 3, 6]
alphabet = tf.constant(list("abcdefghijklmnopqrstuvwxyz"))
g = tf.gather(alphabet, indices=[2, 0, 19, 18])
assert g.numpy().tolist() == [b"c", b"a", b"t", b"s"]
t4 = tf.constant([[0, 5], [1, 6], [2, 7], [3, 8], [4, 9]])
assert tf.gather_nd(t4, indices=[[2], [3], [0]]).numpy().tolist() == [[2, 7], [3, 8], [0, 5]]
t5 = np.reshape(np.arange(18), [2, 3, 3])
r = tf.gather_nd(t5, indices=[[0, 0, 0], [1, 2, 1]])
assert r.numpy().tolist() == [0, 16]
r = tf.gather_nd(t5, indices=[[[0, 0], [0, 2]], [[1, 0], [1, 2]]])
assert r.shape == (2, 2, 3)
r = tf.gather_nd(t5, indices=[[0, 0], [0, 2], [1, 0], [1, 2]])
assert r.numpy().tolist() == [[0, 1, 2], [6, 7, 8], [9, 10, 11], [15, 16, 17]]
t6 = tf.constant([10])
indices = tf.constant([[1], [3], [5], [7], [9]])
data = tf.constant([2, 4, 6, 8, 10])
sc = tf.scatter_nd(indices=indices, updates=data, shape=t6)
assert sc.numpy().tolist() == [0, 2, 0, 4, 0, 6, 0, 8, 0, 10]
t7 = tf.SparseTensor(
    indices=[[0, 2], [0, 4], [1, 0], [2, 2]], values=[9, 11, 17, 3], dense_shape=[3, 5]
)
t8 = tf.sparse.to_dense(t7)
assert t8.numpy().tolist() == [[0, 0, 9, 0, 11], [17, 0, 0, 0, 0], [0, 0, 3, 0, 0]]
t10 = tf.constant([[11, 12, 13, 14], [21, 22, 23, 24], [31, 32, 33, 34]])
sc2 = tf.scatter_nd([[0, 2], [2, 1], [0, 2]], [5, 6, 7], [3, 4])  # repeated indices add up
assert sc2.numpy().tolist() == [[0, 0, 12, 0], [0, 0, 0, 0], [0, 6, 0, 0]]
# tensor_scatter_nd_add
t11 = tf.constant([[2, 7, 0], [9, 0, 1], [0, 3, 8]])
t12 = tf.tensor_scatter_nd_add(t11, indices=[[0, 2], [1, 1], [2, 0]], updates=[6, 5, 4])
assert t12.numpy().tolist() == [[2, 7, 6], [9, 5, 1], [4, 3, 8]]
t13 = tf.tensor_scatter_nd_sub(t11, indices=[[0, 2], [1, 1], [2, 0]], updates=[6, 5, 4])
assert t13.numpy().tolist() == [[2, 7, -6], [9, -5, 1], [-4, 3, 8]]
t14 = tf.tensor_scatter_nd_min(t11, indices=[[0, 2], [1, 1], [2, 0]], updates=[-6, -5, -4])
assert t14.numpy().tolist() == [[2, 7, -6], [9, -5, 1], [-4, 3, 8]]
t15 = tf.tensor_scatter_nd_max(t11, indices=[[0, 2], [1, 1], [2, 0]], updates=[6, 5, 4])
assert t15.numpy().tolist() == [[2, 7, 6], [9, 5, 1], [4, 3, 8]]
t16 = tf.tensor_scatter_nd_update(t11, indices=[[0, 2], [1, 1], [2, 0]], updates=[6, 5, 4])
assert t16.numpy().tolist() == [[2, 7, 6], [9, 5, 1], [4, 3, 8]]
# batch_dims gather
params = tf.constant([[0, 1, 2, 3], [10, 11, 12, 13]])
idx = tf.constant([[2, 0], [1, 3]])
g = tf.gather(params, idx, batch_dims=1)
assert g.numpy().tolist() == [[2, 0], [11, 13]]
g = tf.gather(params, [1, 0], axis=1)
assert g.numpy().tolist() == [[1, 0], [11, 10]]
g = tf.gather(params, idx, axis=1, batch_dims=1)
assert g.numpy().tolist() == [[2, 0], [11, 13]]
g = tf.gather(params, idx, axis=-1, batch_dims=-1)
assert g.numpy().tolist() == [[2, 0], [11, 13]]
g = tf.gather(params, [[0, 1], [1, 0]], axis=0)
assert g.shape == (2, 2, 4)
# gather_nd with batch_dims
p = tf.reshape(tf.range(24), [2, 3, 4])
gi = tf.gather_nd(p, [[[0, 1]], [[2, 3]]], batch_dims=1)
assert gi.numpy().tolist() == [[1], [12 + 11]], gi
gi = tf.gather_nd(p, [[1], [0]], batch_dims=1)
assert gi.numpy().tolist() == [[4, 5, 6, 7], [12, 13, 14, 15]], gi
# strided slice with masks
x = tf.reshape(tf.range(60), [3, 4, 5])
ss = tf.strided_slice(x, [0, 1, 0], [3, 3, 5], [1, 1, 2])
assert ss.numpy().tolist() == x.numpy()[0:3, 1:3, 0:5:2].tolist()
ss = tf.strided_slice(x, [1, 0, 0], [2, 0, 0], [1, 1, 1], begin_mask=6, end_mask=6)
assert ss.shape == (1, 4, 5), ss.shape
ss = tf.strided_slice(
    x, [1, 0, 0], [2, 0, 0], [1, 1, 1], shrink_axis_mask=1, begin_mask=6, end_mask=6
)
assert ss.shape == (4, 5), ss.shape
ss = tf.strided_slice(x, [0, 2], [0, 3], [1, 1], ellipsis_mask=1)
assert ss.shape == (3, 4, 1), ss.shape
ss = tf.strided_slice(x, [0, 0], [1, 2], [1, 1], new_axis_mask=1)
assert ss.shape == (1, 2, 4, 5), ss.shape
ss = tf.strided_slice(x, [-1, 0, 4], [-4, 4, 0], [-1, 2, -2])
assert ss.numpy().tolist() == x.numpy()[-1:-4:-1, 0:4:2, 4:0:-2].tolist()
# python slicing
assert x[tf.newaxis, ..., 1].shape == (1, 3, 4)
assert x[..., tf.newaxis].shape == (3, 4, 5, 1)
assert x[1, ..., ::2].shape == (4, 3)
assert x[:, tf.newaxis, 2, -1].numpy().tolist() == [[14], [34], [54]]
i = tf.constant(1)
assert x[i, i + 1, i:].numpy().tolist() == list(range(31, 35))
assert x[..., ::-1][0, 0].numpy().tolist() == [4, 3, 2, 1, 0]
# variables
v = tf.Variable([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
v.scatter_nd_update(indices=[[1], [3]], updates=[20.0, 40.0])
assert v.numpy().tolist() == [1, 20, 3, 40, 5, 6]
v.scatter_nd_add([[0]], [10.0])
v.scatter_nd_sub([[5]], [1.0])
assert v.numpy().tolist() == [11, 20, 3, 40, 5, 5]
v.scatter_update(tf.IndexedSlices(tf.constant([7.0, 8.0]), tf.constant([2, 4])))
assert v.numpy().tolist() == [11, 20, 7, 40, 8, 5]
v.scatter_add(tf.IndexedSlices(tf.constant([1.0, 1.0]), tf.constant([0, 0])))
assert v.numpy().tolist() == [13, 20, 7, 40, 8, 5]
r = v[1:3].assign([0.0, -1.0])
assert v.numpy().tolist() == [13, 0, -1, 40, 8, 5]
w = tf.Variable(tf.zeros([3, 3]))
w[1, :].assign([1.0, 2.0, 3.0])
w[:, 2].assign(w[:, 2] + tf.ones([3]))
w[0:2, 0:1].assign(w[0:2, 0:1] - [[5.0], [5.0]])
assert w.numpy().tolist() == [[-5, 0, 1], [-4, 2, 4], [0, 0, 1]], w.numpy()
w[::2].assign(tf.fill([2, 3], 9.0))
assert w.numpy().tolist() == [[9, 9, 9], [-4, 2, 4], [9, 9, 9]]
m = tf.Variable([[1, 2], [3, 4]])
m.scatter_max(tf.IndexedSlices(tf.constant([[5, 0]]), tf.constant([1])))
assert m.numpy().tolist() == [[1, 2], [5, 4]]
m.scatter_min(tf.IndexedSlices(tf.constant([[0, 5]]), tf.constant([0])))
assert m.numpy().tolist() == [[0, 2], [5, 4]]
# errors
try:
    tf.gather(t1, [9]).numpy()
    raise SystemExit("expected error")
except tf.errors.InvalidArgumentError as e:
    print("ok err", type(e).__name__)
try:
    tf.slice(t1, [6], [5])
    raise SystemExit("expected error")
except tf.errors.InvalidArgumentError as e:
    print("ok err", type(e).__name__)

v = tf.Variable([1.0, 2.0, 3.0, 4.0])


@tf.function
def step(x, i):
    v.scatter_nd_update([[0]], [x])
    v[1:2].assign([x * 2])
    v[i].assign(x * 3)
    v.scatter_add(tf.IndexedSlices(tf.stack([x, x]), tf.constant([3, 3])))
    return v.read_value()


assert step(tf.constant(5.0), tf.constant(2)).numpy().tolist() == [5, 10, 15, 14]
assert step(tf.constant(6.0), tf.constant(2)).numpy().tolist() == [6, 12, 18, 26]
assert step(tf.constant(7.0), tf.constant(3)).numpy().tolist() == [7, 14, 18, 35]
try:
    v.scatter_update([1, 2])
    raise SystemExit("expected TypeError")
except TypeError:
    pass
rv = tf.Variable([[1, 2], [3, 4]])
assert rv.sparse_read([1]).numpy().tolist() == [[3, 4]]
assert rv.gather_nd([[1, 0]]).numpy().tolist() == [3]
try:
    x[5]
    raise SystemExit("expected InvalidArgumentError")
except tf.errors.InvalidArgumentError:
    pass
print("OK")
