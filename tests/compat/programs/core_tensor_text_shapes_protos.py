"""TensorFlow guide "Introduction to Tensors" details users print and rely on: dtype and
TensorShape text, shape slices and arithmetic, tf.constant's dtype rules for Python
numbers, TensorProto round trips (tf.make_tensor_proto / tf.make_ndarray) and
tf.types.experimental isinstance checks."""

import numpy as np
import tensorflow as tf

# dtypes: str() and f-strings give "<dtype: ...>", repr() gives "tf.float32"
assert str(tf.float32) == "<dtype: 'float32'>" and repr(tf.float32) == "tf.float32"
assert f"{tf.constant([1, 2]).dtype}" == "<dtype: 'int32'>"
assert tf.constant([1.0]).dtype.name == "float32"
print("Type of every element:", tf.zeros([3, 2]).dtype)

# shapes: repr is TensorShape([...]), str a tuple; slices stay shapes
rank_4_tensor = tf.zeros([3, 2, 4, 5])
shape = rank_4_tensor.shape
assert repr(shape) == "TensorShape([3, 2, 4, 5])" and str(shape) == "(3, 2, 4, 5)"
assert f"Shape of tensor: {shape}" == "Shape of tensor: (3, 2, 4, 5)"
assert shape[1:].as_list() == [2, 4, 5] and isinstance(shape[1:], tf.TensorShape)
assert shape[0] == 3 and shape[-1] == 5
assert shape == [3, 2, 4, 5] and shape != [3, 2, 4, 6]
partial = tf.TensorShape([None, 28])
assert repr(partial) == "TensorShape([None, 28])" and str(partial) == "(None, 28)"
assert repr(partial + [1]) == "TensorShape([None, 28, 1])"
assert repr([8] + partial) == "TensorShape([8, None, 28])"
assert partial.most_specific_compatible_shape([4, 28]) == [None, 28]
assert tf.TensorShape([4, 28]).is_subtype_of(partial) and not partial.is_subtype_of(
    tf.TensorShape([4, 28])
)
assert partial.with_rank_at_least(2) == partial
try:
    partial.with_rank_at_most(1)
    raise AssertionError("expected a ValueError")
except ValueError as e:
    assert "must have rank at most 1" in str(e)
unknown = tf.TensorShape(None)
assert repr(unknown) == "TensorShape(None)" and str(unknown) == "<unknown>"
assert unknown.rank is None and (partial + unknown) == unknown

# Python numbers: ints that do not fit int32 become int64, floats refuse integer dtypes
assert tf.constant(2**31 - 1).dtype == tf.int32
assert tf.constant(2**31).dtype == tf.int64 and int(tf.constant(2**31)) == 2**31
assert tf.constant([1, 2**40]).numpy().tolist() == [1, 2**40]
for value in (1.5, 3.0, [1, 2.5]):
    try:
        tf.constant(value, dtype=tf.int32)
        raise AssertionError(f"expected a TypeError for {value!r}")
    except TypeError:
        pass
assert tf.constant(np.array([1.7, 2.2]), dtype=tf.int32).numpy().tolist() == [1, 2]  # cast
assert tf.constant(True, dtype=tf.int32).numpy() == 1

# TensorProtos
proto = tf.make_tensor_proto([[1.5, 2.5], [3.5, 4.5]])
assert proto.dtype == tf.float32.as_datatype_enum
assert [d.size for d in proto.tensor_shape.dim] == [2, 2]
back = tf.make_ndarray(proto)
assert back.dtype == np.float32 and back.tolist() == [[1.5, 2.5], [3.5, 4.5]]
scalar = tf.make_tensor_proto(7)
assert list(scalar.int_val) == [7] and tf.make_ndarray(scalar) == 7
short = tf.make_tensor_proto([1, 2], shape=[4])
assert tf.make_ndarray(short).tolist() == [1, 2, 2, 2]
words = tf.make_ndarray(tf.make_tensor_proto(["Gray wolf", "Lazy dog"]))
assert words.tolist() == [b"Gray wolf", b"Lazy dog"]
assert tf.make_ndarray(tf.make_tensor_proto(tf.constant([3, 4]))).tolist() == [3, 4]
try:
    tf.make_tensor_proto([1, 2, 3], shape=[2])
    raise AssertionError("expected a ValueError")
except ValueError as e:
    assert "Too many elements provided" in str(e)

# tf.types.experimental
TensorLike = tf.types.experimental.TensorLike
for value in (tf.constant(1.0), tf.Variable(2.0), np.ones(3), 4, 2.5, "text", [1, 2]):
    assert isinstance(value, TensorLike), type(value)
assert not isinstance(None, TensorLike)
assert not isinstance(tf.ragged.constant([[1], []]), TensorLike)
double = tf.function(lambda x: x * 2)
assert isinstance(double, tf.types.experimental.PolymorphicFunction)
concrete = double.get_concrete_function(tf.TensorSpec([None], tf.float32))
assert isinstance(concrete, tf.types.experimental.ConcreteFunction)
assert not isinstance(double, tf.types.experimental.ConcreteFunction)
print("tensor text, shapes and protos: ok")
