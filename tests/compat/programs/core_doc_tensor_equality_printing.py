# What TF's own docstrings show for printing and comparing tensors: a Variable declared
# with an unknown shape, a string scalar ending in NUL bytes, == / != of shapes that do not
# broadcast (a scalar answer, not an error), RaggedTensor == (False where the rows differ),
# tf.get_static_value of a Variable, bool() of a RaggedTensor.
import tensorflow as tf

v = tf.Variable(1.0, shape=tf.TensorShape(None), name="v")
v.assign([[1.0]])
assert repr(v) == (
    "<tf.Variable 'v:0' shape=<unknown> dtype=float32, numpy=array([[1.]], dtype=float32)>"
), repr(v)
w = tf.Variable([[1.0], [2.0]], shape=[None, 1], name="w")
assert repr(w).startswith("<tf.Variable 'w:0' shape=(None, 1) dtype=float32, numpy="), repr(w)

serialized = tf.io.serialize_tensor(tf.constant(1))
assert serialized.numpy() == b'\x08\x03\x12\x00"\x04\x01\x00\x00\x00'
assert repr(serialized) == (
    "<tf.Tensor: shape=(), dtype=string, numpy=b'\\x08\\x03\\x12\\x00\"\\x04\\x01\\x00\\x00\\x00'>"
), repr(serialized)
assert str(tf.constant(b"ab\x00")) == "tf.Tensor(b'ab\\x00', shape=(), dtype=string)"

a, b = tf.constant([1, 2]), tf.constant([1, 2, 3])
eq, ne = a == b, a != b
assert eq.shape == () and eq.dtype == tf.bool and not bool(eq) and bool(ne)
assert (a == tf.constant([1, 3])).numpy().tolist() == [True, False]
try:
    tf.math.equal(a, b)
    raise AssertionError("tf.math.equal accepted shapes that do not broadcast")
except tf.errors.InvalidArgumentError:
    pass


@tf.function
def compare(x, y):
    return x == y


assert not bool(compare(a, b))
assert compare(a, tf.constant([1, 5])).numpy().tolist() == [True, False]

rt1 = tf.ragged.constant([[1, 2], [3]])
assert (rt1 == rt1).to_list() == [[True, True], [True]]
assert (rt1 == tf.ragged.constant([[1, 2], [4]])).to_list() == [[True, True], [False]]
assert (rt1 == tf.ragged.constant([[1, 2], [3, 4]])) is False
t = tf.constant([[1, 2], [3, 4]])
assert (rt1 == t) is False and (t == rt1) is False and (rt1 != t) is True
rt4 = tf.ragged.constant([[1, 2], [3, 4]])
assert (rt4 == t).to_list() == [[True, True], [True, True]]
assert (t == rt4).to_list() == [[True, True], [True, True]]
try:
    bool(rt1 == 1)
    raise AssertionError("a RaggedTensor was used as a bool")
except TypeError as e:
    assert "RaggedTensor may not be used as a boolean" in str(e)

assert tf.get_static_value(tf.constant(10)) == 10
assert tf.get_static_value(tf.Variable(30)) is None
print("ok")
