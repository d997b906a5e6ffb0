# What a binary op does with an operand that is not a tensor: NumPy arrays and scalars are
# converted to the tensor's dtype (floats truncate into integers), Python floats and float
# lists refuse an integer tensor, and & | ^ ~ are bitwise on integer tensors.
import numpy as np
import tensorflow as tf

counts = tf.constant([3, 7])
scores = tf.constant([0.5, 1.5])

# NumPy values take the tensor's dtype, whichever side they are on.
shifted = counts + np.array([0.75, 0.75])
assert shifted.dtype == tf.int32 and shifted.numpy().tolist() == [3, 7]
assert (np.array([2.9]) * counts).numpy().tolist() == [6, 14]
assert (counts - np.float64(1.9)).numpy().tolist() == [2, 6]
assert tf.maximum(counts, np.array([4.2, 4.2])).numpy().tolist() == [4, 7]
halves = counts / np.array([2.0])
assert halves.dtype == tf.float64 and halves.numpy().tolist() == [1.5, 3.5]
assert (counts // np.array([2.0])).numpy().tolist() == [1, 3]
wider = scores * np.array([2, 4], dtype=np.int64)
assert wider.dtype == tf.float32 and wider.numpy().tolist() == [1.0, 6.0]
assert (scores + np.float64(0.25)).dtype == tf.float32
assert tf.multiply(np.float64(3.0), scores).numpy().tolist() == [1.5, 4.5]
small = tf.constant([250], tf.uint8) + np.array([10])
assert small.dtype == tf.uint8 and small.numpy().tolist() == [4]
half = tf.constant([1.0], tf.float16) * np.array([3.0])
assert half.dtype == tf.float16 and half.numpy().tolist() == [3.0]
assert (counts > np.array([3.5, 3.5])).numpy().tolist() == [False, True]

# Lists: ints fit a float tensor, bools an int tensor; floats do not fit an int tensor.
assert (scores + [1, 2]).numpy().tolist() == [1.5, 3.5]
assert (counts * [True, False]).numpy().tolist() == [3, 0]
for bad in (
    lambda: counts + [0.5, 0.5],
    lambda: counts + [1.0, 1.0],
    lambda: [0.5] * counts,
    lambda: counts * 2.0,
    lambda: 1.5 - counts,
    lambda: tf.multiply(counts, 0.5),
):
    try:
        bad()
    except (TypeError, tf.errors.InvalidArgumentError):
        pass
    else:
        raise AssertionError("a float operand with an int32 tensor should raise")

# Bitwise operators on integer tensors, logical ones on bool tensors.
assert (counts & 6).numpy().tolist() == [2, 6]
assert (counts | np.array([8, 8])).numpy().tolist() == [11, 15]
assert (5 ^ counts).numpy().tolist() == [6, 2]
assert (~counts).numpy().tolist() == [-4, -8]
flags = tf.constant([True, False])
assert (flags | np.array([0, 1])).numpy().tolist() == [True, True]
assert (~flags).numpy().tolist() == [False, True]
print("sp6_operand_dtypes: ok")
