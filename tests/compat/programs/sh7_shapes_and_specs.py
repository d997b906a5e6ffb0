"""Specs of unknown rank, shapes returned by tf.function, and a custom layer's declared
output shape on symbolic inputs."""

import keras
import numpy as np
import tensorflow as tf

# An unknown-rank spec has an unknown-rank TensorShape, not None
anything = tf.TensorSpec(None, tf.float32)
assert isinstance(anything.shape, tf.TensorShape)
assert anything.shape.rank is None and anything.shape.ndims is None
assert anything.is_compatible_with(tf.zeros([2, 3, 4]))
assert not anything.is_compatible_with(tf.zeros([2], tf.int32))
ragged_spec = tf.RaggedTensorSpec(None, tf.int32, ragged_rank=1)
assert ragged_spec.shape.rank is None
assert tf.TensorSpec([None, 2]).shape.as_list() == [None, 2]

# a dataset from a generator declared with an unknown-rank spec
ds = tf.data.Dataset.from_generator(
    lambda: (np.arange(n, dtype="float32") for n in (1, 3)),
    output_signature=tf.TensorSpec(None, tf.float32),
)
assert ds.element_spec.shape.rank is None
assert [len(x) for x in ds.as_numpy_iterator()] == [1, 3]


# a function traced on an unknown-rank signature
@tf.function(input_signature=[tf.TensorSpec(None, tf.float32)])
def plus_one(t):
    return t + 1.0


concrete = plus_one.get_concrete_function()
assert concrete.structured_input_signature[0][0].shape.rank is None
np.testing.assert_allclose(plus_one(tf.ones([2, 2])).numpy(), np.full((2, 2), 2.0))

# a tf.function returning a fully known shape returns its sizes as an int32 vector
sizes = tf.function(lambda x: (x.shape, x.shape[-1]))
vec, last = sizes(tf.zeros([4, 6]))
assert vec.dtype == tf.int32 and vec.numpy().tolist() == [4, 6]
assert last.dtype == tf.int32 and int(last) == 6
vec, _ = sizes(tf.zeros([2, 5]))
assert vec.numpy().tolist() == [2, 5]
# ... and one with an unknown size cannot be returned
open_rows = tf.function(lambda x: x.shape, input_signature=[tf.TensorSpec([None, 6])])
try:
    open_rows(tf.zeros([4, 6]))
    raise AssertionError("expected a TypeError")
except TypeError as err:
    assert "TensorShape" in str(err)


# A custom layer's own compute_output_shape decides its symbolic output shape
class Project(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.traced = 0

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), initializer="ones")

    def call(self, x):
        self.traced += 1
        return keras.ops.matmul(x, self.kernel)

    def compute_output_shape(self, input_shape):
        return input_shape[:-1] + (self.units,)


class MinMax(keras.layers.Layer):
    def call(self, x):
        return keras.ops.min(x, axis=-1), keras.ops.max(x, axis=-1)

    def compute_output_shape(self, input_shape):
        return (input_shape[:-1], input_shape[:-1])


inputs = keras.Input((5, 3))
project = Project(2)
projected = project(inputs)
assert tuple(projected.shape) == (None, 5, 2) and projected.dtype == "float32"
assert project.built and project.traced == 0  # call is not run on symbolic inputs
low, high = MinMax()(projected)
assert tuple(low.shape) == (None, 5) and tuple(high.shape) == (None, 5)
model = keras.Model(inputs, [low, high])
assert [tuple(s) for s in model.output_shape] == [(None, 5), (None, 5)]
lo, hi = model.predict(np.arange(30, dtype="float32").reshape(2, 5, 3), verbose=0)
np.testing.assert_allclose(lo, hi)
np.testing.assert_allclose(lo[0, 0], 0.0 + 1.0 + 2.0)
half = Project(4, dtype="float16")(inputs)
assert half.dtype == "float16" and tuple(half.shape) == (None, 5, 4)

print("sh7_shapes_and_specs: OK")
