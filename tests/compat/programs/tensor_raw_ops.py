"""tf.raw_ops: TensorFlow's ops by their op names, keyword arguments only."""

import numpy as np
import tensorflow as tf

x = tf.constant([[1.0, -2.0], [3.0, 4.0]])
w = tf.constant([[0.5, 1.0], [2.0, -1.0]])


def check(value, expected):
    np.testing.assert_allclose(np.asarray(value, dtype=np.float64), expected, rtol=1e-5)


check(tf.raw_ops.AddV2(x=x, y=w), [[1.5, -1.0], [5.0, 3.0]])
check(tf.raw_ops.MatMul(a=x, b=w, transpose_b=True), [[-1.5, 4.0], [5.5, 2.0]])
check(tf.raw_ops.BatchMatMulV2(x=x[None], y=w[None], adj_x=True), [[[6.5, -2.0], [7.0, -6.0]]])
check(tf.raw_ops.LeakyRelu(features=x, alpha=0.1), [[1.0, -0.2], [3.0, 4.0]])
check(tf.raw_ops.Mean(input=x, axis=[1], keep_dims=True), [[-0.5], [3.5]])
check(tf.raw_ops.ArgMax(input=x, dimension=1), [0, 1])
assert tf.raw_ops.ArgMax(input=x, dimension=1).dtype == tf.int64
assert tf.raw_ops.Cast(x=x, DstT=tf.int32).dtype == tf.int32
check(tf.raw_ops.ConcatV2(values=[x, w], axis=0)[2:], [[0.5, 1.0], [2.0, -1.0]])
check(tf.raw_ops.Pack(values=[x, w], axis=1)[0], [[1.0, -2.0], [0.5, 1.0]])
check(
    tf.raw_ops.StridedSlice(input=x, begin=[0, 1], end=[2, 2], strides=[1, 1], shrink_axis_mask=2),
    [-2.0, 4.0],
)
check(tf.raw_ops.GatherV2(params=x, indices=[1, 0], axis=0), [[3.0, 4.0], [1.0, -2.0]])
check(tf.raw_ops.SelectV2(condition=x > 0, t=x, e=w), [[1.0, 1.0], [3.0, 4.0]])
check(tf.raw_ops.Pad(input=x, paddings=[[1, 0], [0, 1]])[0], [0.0, 0.0, 0.0])
check(tf.raw_ops.OneHot(indices=[0, 2], depth=3, on_value=1.0, off_value=0.0), np.eye(3)[[0, 2]])
check(tf.raw_ops.TopKV2(input=x, k=1).values, [[1.0], [4.0]])
check(tf.raw_ops.Cumsum(x=x, axis=1, exclusive=True), [[0.0, 1.0], [0.0, 3.0]])
check(tf.raw_ops.BiasAdd(value=x, bias=[1.0, 2.0]), [[2.0, 0.0], [4.0, 6.0]])
check(tf.raw_ops.Split(axis=1, value=x, num_split=2)[1], [[-2.0], [4.0]])
check(tf.raw_ops.Unique(x=[1, 1, 3]).idx, [0, 0, 1])
check(tf.unique([5, 5, 2]).y, [5, 2])
conv = tf.raw_ops.Conv2D(
    input=tf.ones([1, 4, 4, 1]), filter=tf.ones([2, 2, 1, 1]), strides=[1, 2, 2, 1], padding="VALID"
)
check(conv, np.full((1, 2, 2, 1), 4.0))
pooled = tf.raw_ops.MaxPool(
    input=tf.reshape(tf.range(16.0), [1, 4, 4, 1]),
    ksize=[1, 2, 2, 1],
    strides=[1, 2, 2, 1],
    padding="SAME",
)
check(pooled[0, :, :, 0], [[5.0, 7.0], [13.0, 15.0]])
check(tf.raw_ops.AddN(inputs=[x, w, x]), [[2.5, -3.0], [8.0, 7.0]])
check(tf.raw_ops.Einsum(inputs=[x, w], equation="ij,jk->ik"), [[-3.5, 3.0], [9.5, -1.0]])
check(tf.raw_ops.L2Loss(t=x), 15.0)
check(tf.raw_ops.Bincount(arr=[1, 1, 3], size=4, weights=[]), [0, 2, 0, 1])
check(tf.raw_ops.MatrixInverse(input=w), [[0.4, 0.4], [0.8, -0.2]])
check(tf.raw_ops.Bincount(arr=[1, 1, 3], size=4, weights=[0.5, 1.0, 2.0]), [0.0, 1.5, 0.0, 2.0])
check(tf.raw_ops.Select(condition=[True, False], x=x, y=w), [[1.0, -2.0], [2.0, -1.0]])

try:
    tf.raw_ops.Add(x, w)
except TypeError as error:
    assert "only takes keyword args" in str(error), error
else:
    raise AssertionError("raw ops take keyword arguments only")
print("raw ops ok")
