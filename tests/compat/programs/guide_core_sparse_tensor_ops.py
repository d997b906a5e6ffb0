"""Working with sparse tensors guide: building and printing SparseTensors, sparse + sparse
with a threshold, sparse x dense matmul, concat / slice, zero-preserving elementwise ops
(tf.math.abs, tf.cast, ...) applied to the values, tf.function and tf.data with
SparseTensors, and why reductions over sparse data differ from dense ones."""

import tensorflow as tf

st1 = tf.sparse.SparseTensor(indices=[[0, 3], [2, 4]], values=[10, 20], dense_shape=[3, 10])
assert st1.dtype == tf.int32 and st1.shape == (3, 10)
assert "SparseTensor(indices=" in str(st1)
assert tf.sparse.to_dense(st1).numpy()[2].tolist() == [0, 0, 0, 0, 20, 0, 0, 0, 0, 0]

# sparse + sparse, with entries whose magnitude is below threshold dropped
st_a = tf.sparse.SparseTensor(indices=[[0, 2], [3, 4]], values=[31, 2], dense_shape=[4, 10])
st_b = tf.sparse.SparseTensor(indices=[[0, 2], [3, 0]], values=[56, 38], dense_shape=[4, 10])
st_sum = tf.sparse.add(st_a, st_b)
assert st_sum.indices.numpy().tolist() == [[0, 2], [3, 0], [3, 4]]
assert st_sum.values.numpy().tolist() == [87, 38, 2]
cancel = tf.sparse.SparseTensor(indices=[[0, 2]], values=[-30], dense_shape=[4, 10])
kept = tf.sparse.add(st_a, cancel, threshold=2)
assert kept.indices.numpy().tolist() == [[3, 4]]  # 31 - 30 = 1 fell below the threshold

# sparse x dense
st_c = tf.sparse.SparseTensor(
    indices=([0, 1], [1, 0], [1, 1]), values=[13, 15, 17], dense_shape=(2, 2)
)
mb = tf.constant([[4], [6]])
assert tf.sparse.sparse_dense_matmul(st_c, mb).numpy().tolist() == [[78], [162]]
assert tf.sparse.sparse_dense_matmul(st_c, mb, adjoint_a=True).numpy().tolist() == [[90], [154]]

# concat and slice
left = tf.sparse.SparseTensor(indices=[[0, 1], [2, 0]], values=[1, 1], dense_shape=[3, 2])
right = tf.sparse.SparseTensor(indices=[[1, 2]], values=[1], dense_shape=[3, 3])
both = tf.sparse.concat(axis=1, sp_inputs=[left, right])
assert both.dense_shape.numpy().tolist() == [3, 5]
assert both.indices.numpy().tolist() == [[0, 1], [1, 4], [2, 0]]
piece = tf.sparse.slice(both, start=[0, 0], size=[3, 2])
assert piece.indices.numpy().tolist() == [[0, 1], [2, 0]]

# elementwise ops that keep zeros zero apply to the values (TensorFlow's dispatch)
signed = tf.sparse.SparseTensor(indices=[[0, 0], [1, 2]], values=[-4.0, 9.0], dense_shape=[2, 3])
magnitude = tf.math.abs(signed)
assert isinstance(magnitude, tf.sparse.SparseTensor)
assert magnitude.values.numpy().tolist() == [4.0, 9.0]
assert tf.math.sqrt(magnitude).values.numpy().tolist() == [2.0, 3.0]
assert tf.math.negative(signed).values.numpy().tolist() == [4.0, -9.0]
as_int = tf.cast(signed, tf.int32)
assert isinstance(as_int, tf.sparse.SparseTensor) and as_int.dtype == tf.int32
assert tf.sparse.to_dense(tf.math.square(signed)).numpy().tolist() == [[16, 0, 0], [0, 0, 81]]
plus_one = tf.sparse.map_values(tf.add, st1, 1)  # explicit: only the stored values change
assert plus_one.values.numpy().tolist() == [11, 21]


# tf.function takes SparseTensors
@tf.function
def sparse_times_ones(x):
    return tf.sparse.sparse_dense_matmul(x, tf.ones([10, 2], tf.int32))


assert sparse_times_ones(st1).numpy().tolist() == [[10, 10], [0, 0], [20, 20]]

# tf.data slices and batches them
rows = tf.sparse.SparseTensor(
    indices=[[0, 1], [1, 0], [2, 2]], values=[1, 2, 3], dense_shape=[3, 3]
)
dataset = tf.data.Dataset.from_tensor_slices(rows)
assert [tf.sparse.to_dense(e).numpy().tolist() for e in dataset] == [
    [0, 1, 0],
    [2, 0, 0],
    [0, 0, 3],
]
batches = [tf.sparse.to_dense(b).numpy().tolist() for b in dataset.batch(2)]
assert batches == [[[0, 1, 0], [2, 0, 0]], [[0, 0, 3]]]
assert len(list(dataset.batch(2).unbatch())) == 3

# missing values are not zeros: a sparse reduction only sees the stored values
sparse_pattern = tf.sparse.SparseTensor(
    indices=[[0, 1], [0, 3], [2, 0]], values=[-5, 0, 1], dense_shape=[3, 5]
)
assert tf.sparse.reduce_max(sparse_pattern, axis=1).numpy().tolist()[0] == 0
assert tf.math.reduce_max(tf.sparse.to_dense(sparse_pattern), axis=1).numpy().tolist() == [0, 0, 1]

print("guide_core_sparse_tensor_ops OK")
