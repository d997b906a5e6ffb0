# tf.function with an input_signature: one trace for every batch size, checked arguments.
import numpy as np
import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec(shape=[None, 3], dtype=tf.float32)])
def row_norms(x):
    return tf.sqrt(tf.reduce_sum(x * x, axis=1))


np.testing.assert_allclose(row_norms(tf.constant([[3.0, 4.0, 0.0]])).numpy(), [5.0])
np.testing.assert_allclose(row_norms(tf.ones([4, 3])).numpy(), np.full(4, np.sqrt(3.0)), rtol=1e-6)
np.testing.assert_allclose(row_norms(np.zeros((2, 3), "float32")).numpy(), [0.0, 0.0])
assert row_norms.experimental_get_tracing_count() == 1

for bad in (tf.ones([2, 4]), tf.ones([2, 3], dtype=tf.int32), tf.ones([3])):
    try:
        row_norms(bad)
    except (TypeError, ValueError):
        pass
    else:
        raise AssertionError(f"accepted {bad.shape} {bad.dtype}")

spec = tf.TensorSpec(shape=[None, 3], dtype=tf.float32, name="x")
assert spec.shape.as_list() == [None, 3]
assert spec.dtype == tf.float32
assert spec.is_compatible_with(tf.zeros([7, 3]))
assert not spec.is_compatible_with(tf.zeros([7, 2]))
assert tf.TensorSpec.from_tensor(tf.zeros([2, 5])) == tf.TensorSpec([2, 5], tf.float32)


# A method with an input_signature, on a tf.Module.
class Affine(tf.Module):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable([[1.0], [2.0]])
        self.b = tf.Variable([0.5])

    @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float32)])
    def __call__(self, x):
        return tf.matmul(x, self.w) + self.b


layer = Affine()
np.testing.assert_allclose(layer(tf.constant([[1.0, 1.0]])).numpy(), [[3.5]])
layer.b.assign([1.5])
np.testing.assert_allclose(layer(tf.constant([[1.0, 0.0], [0.0, 1.0]])).numpy(), [[2.5], [3.5]])
print("ok")
