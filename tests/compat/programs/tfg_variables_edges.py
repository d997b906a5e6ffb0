"""tf.Variable edges: assign shape/dtype checks, validate_shape, read_value, names, trainable."""

import numpy as np
import tensorflow as tf

v = tf.Variable([1.0, 2.0], name="weights")
assert v.name == "weights:0" and v.dtype == tf.float32 and v.shape == (2,)
assert v.trainable and tf.Variable(1, trainable=False).trainable is False
assert tf.Variable(3).dtype == tf.int32 and tf.Variable(3.0, dtype=tf.float64).dtype == tf.float64

# assign* return the variable (or nothing with read_value=False) and check shapes.
out = v.assign([3.0, 4.0])
np.testing.assert_array_equal(out, [3.0, 4.0])
assert v.assign_add([1.0, 1.0], read_value=False) is None
np.testing.assert_array_equal(v, [4.0, 5.0])
v.assign_sub([0.5, 0.5])
np.testing.assert_array_equal(v, [3.5, 4.5])
try:
    v.assign([1.0, 2.0, 3.0])
except (ValueError, tf.errors.InvalidArgumentError):
    pass
else:
    raise AssertionError("assigning a wrong shape should raise")
try:
    v.assign(tf.constant([1, 2]))  # a tensor of another dtype is never cast silently
except (TypeError, ValueError):
    pass
else:
    raise AssertionError("assigning int32 into float32 should raise")
v.assign([7, 8])  # Python ints convert to the variable's dtype
assert v.dtype == tf.float32 and v.numpy().tolist() == [7.0, 8.0]

# validate_shape=False / shape=TensorShape(None) allow the shape to change.
free = tf.Variable([1.0], shape=tf.TensorShape(None))
free.assign([1.0, 2.0, 3.0])
assert free.shape.rank is None and free.numpy().tolist() == [1.0, 2.0, 3.0]
part = tf.Variable(tf.zeros([2, 3]), shape=[None, 3])
part.assign(tf.ones([4, 3]))
assert part.shape.as_list() == [None, 3] and tf.shape(part).numpy().tolist() == [4, 3]
try:
    part.assign(tf.ones([4, 2]))
except (ValueError, tf.errors.InvalidArgumentError):
    pass
else:
    raise AssertionError("the fixed axis must still match")

# Variables act as tensors in ops, indexing and comparisons; in-place slice assign.
m = tf.Variable(tf.reshape(tf.range(6.0), [2, 3]))
assert isinstance(m + 1, tf.Tensor) and (m * 2).shape == (2, 3)
np.testing.assert_array_equal(m[1, 1:], [4.0, 5.0])
m[0, :].assign([9.0, 9.0, 9.0])
np.testing.assert_array_equal(m[0], [9.0, 9.0, 9.0])
m[:, 2].assign([-1.0, -2.0])
np.testing.assert_array_equal(m[:, 2], [-1.0, -2.0])
assert tf.reduce_sum(m).numpy() == 9.0 + 9.0 - 1.0 + 3.0 + 4.0 - 2.0
np.testing.assert_array_equal(tf.convert_to_tensor(m), m.numpy())
assert m.read_value().shape == (2, 3) and m.value().dtype == tf.float32

# Gradients: only float variables get one; a non-trainable one is not watched by default.
a = tf.Variable(2.0)
frozen = tf.Variable(3.0, trainable=False)
n = tf.Variable(4)
with tf.GradientTape() as tape:
    y = a * frozen * tf.cast(n, tf.float32)
ga, gf, gn = tape.gradient(y, [a, frozen, n])
assert float(ga) == 12.0 and gf is None and gn is None
with tf.GradientTape(watch_accessed_variables=False) as tape:
    tape.watch(frozen)
    y = a * frozen
g_a, g_frozen = tape.gradient(y, [a, frozen])
assert g_a is None and float(g_frozen) == 2.0

# Constraints, name scopes, and variables collected by a Module.
c = tf.Variable([-1.0, 2.0], constraint=lambda t: tf.clip_by_value(t, 0.0, 1.0))
opt = tf.keras.optimizers.SGD(0.1)
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(c)
opt.apply_gradients([(tape.gradient(loss, c), c)])
assert c.constraint is not None
np.testing.assert_allclose(c.constraint(c), [0.0, 1.0])
with tf.name_scope("block"):
    scoped = tf.Variable(0.0, name="bias")
assert scoped.name == "block/bias:0"


class Holder(tf.Module):
    def __init__(self):
        super().__init__(name="holder")
        with self.name_scope:
            self.w = tf.Variable(1.0, name="w")
        self.items = [tf.Variable(2.0), {"k": tf.Variable(3.0, trainable=False)}]


h = Holder()
assert h.w.name == "holder/w:0"
assert len(h.variables) == 3 and len(h.trainable_variables) == 2
assert sorted(float(x) for x in h.variables) == [1.0, 2.0, 3.0]
print("ok")
