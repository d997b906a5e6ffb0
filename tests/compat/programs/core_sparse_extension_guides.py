"""TensorFlow guides "Working with sparse tensors" and "Extension types", the parts that
map values, transpose and expand sparse tensors, and an extension type with its own nested
Spec class (properties and a constructor) used as a tf.function input signature."""

import numpy as np
import tensorflow as tf

# -- sparse tensors ----------------------------------------------------------------------
st2 = tf.sparse.from_dense([[1, 0, 0, 8], [0, 0, 0, 0], [0, 0, 3, 0]])
st2_plus_5 = tf.sparse.map_values(tf.add, st2, 5)
assert tf.sparse.to_dense(st2_plus_5).numpy().tolist() == [
    [6, 0, 0, 13],
    [0, 0, 0, 0],
    [0, 0, 8, 0],
]
same = tf.sparse.SparseTensor(st2.indices, st2.values + 5, st2.dense_shape)
assert np.array_equal(tf.sparse.to_dense(same), tf.sparse.to_dense(st2_plus_5))
squared = tf.sparse.map_values(tf.multiply, st2, st2)
assert squared.values.numpy().tolist() == [1, 64, 9]


@tf.function
def f(x, y):
    return tf.sparse.sparse_dense_matmul(x, y)


a = tf.sparse.SparseTensor(indices=[[0, 3], [2, 4]], values=[15, 25], dense_shape=[3, 10])
a_t = tf.sparse.transpose(a)
assert a_t.dense_shape.numpy().tolist() == [10, 3]
assert a_t.indices.numpy().tolist() == [[3, 0], [4, 2]]
c = f(a, tf.sparse.to_dense(a_t))
assert c.numpy().tolist() == [[225, 0, 0], [0, 0, 0], [0, 0, 625]]
expanded = tf.sparse.expand_dims(a, axis=0)
assert expanded.dense_shape.numpy().tolist() == [1, 3, 10]
assert expanded.indices.numpy().tolist() == [[0, 0, 3], [0, 2, 4]]

st_d = tf.sparse.SparseTensor(
    indices=[[0, 0], [0, 1], [1, 0]], values=[0.0, np.nan, 2], dense_shape=[2, 2]
)
kept = tf.sparse.retain(st_d, tf.math.logical_not(tf.math.is_nan(st_d.values)))
assert kept.values.numpy().tolist() == [0.0, 2.0]


# -- an extension type with its own Spec ------------------------------------------------
class MaskedTensor(tf.experimental.ExtensionType):
    values: tf.Tensor
    mask: tf.Tensor

    shape = property(lambda self: self.values.shape)
    dtype = property(lambda self: self.values.dtype)

    def with_default(self, default):
        return tf.where(self.mask, self.values, default)

    class Spec:
        def __init__(self, shape, dtype=tf.float32):
            self.values = tf.TensorSpec(shape, dtype)
            self.mask = tf.TensorSpec(shape, tf.bool)

        shape = property(lambda self: self.values.shape)
        dtype = property(lambda self: self.values.dtype)

        def with_shape(self):
            return self.values.shape


spec = MaskedTensor.Spec(shape=[None], dtype=tf.float32)
assert spec.shape.as_list() == [None] and spec.dtype == tf.float32
assert spec.with_shape().rank == 1


@tf.function(input_signature=[MaskedTensor.Spec(shape=[None], dtype=tf.float32)])
def fill_missing(mt):
    return mt.with_default(-1.0)


mt = MaskedTensor(tf.constant([1.0, 2.0, 3.0]), tf.constant([True, False, True]))
assert fill_missing(mt).numpy().tolist() == [1.0, -1.0, 3.0]
value_spec = tf.type_spec_from_value(mt)
assert isinstance(value_spec, MaskedTensor.Spec)
assert value_spec.shape.as_list() == [3] and value_spec.dtype == tf.float32
other = MaskedTensor(tf.constant([5.0, 6.0, 7.0]), tf.constant([False, False, True]))
assert value_spec == tf.type_spec_from_value(other)
print("sparse and extension type guides: ok")
