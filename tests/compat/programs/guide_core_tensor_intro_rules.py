"""Introduction to tensors: string tensors (split, to_number, bytes_split, padding),
conversion of nested Python lists, dtype conversions and their errors, broadcasting and
its errors, and what cannot be a dense tensor."""

import numpy as np
import tensorflow as tf

# -- string tensors --------------------------------------------------------------------------
tensor_of_strings = tf.constant(["Gray wolf", "Quick brown fox", "Lazy dog"])
assert tensor_of_strings.shape == (3,) and tensor_of_strings.dtype == tf.string
words = tf.strings.split(tensor_of_strings, sep=" ")
assert isinstance(words, tf.RaggedTensor)
assert words.row_lengths().numpy().tolist() == [2, 3, 2]
text = tf.constant("1 10 100")
numbers = tf.strings.to_number(tf.strings.split(text, " "))
assert numbers.dtype == tf.float32 and numbers.numpy().tolist() == [1.0, 10.0, 100.0]
byte_strings = tf.strings.bytes_split(tf.constant("Duck"))
assert byte_strings.numpy().tolist() == [b"D", b"u", b"c", b"k"]
byte_ints = tf.io.decode_raw(tf.constant("Duck"), tf.uint8)
assert byte_ints.numpy().tolist() == [68, 117, 99, 107]
unicode = tf.constant("🥳👍")
assert tf.strings.length(unicode).numpy() == 8
assert tf.strings.length(unicode, unit="UTF8_CHAR").numpy() == 2
padded = tf.pad(tf.constant([["a", "b"]]), [[0, 1], [1, 0]])
assert padded.dtype == tf.string
assert padded.numpy().tolist() == [[b"", b"a", b"b"], [b"", b"", b""]]
marked = tf.pad(tf.constant(["x", "y"]), [[1, 1]], constant_values="<s>")
assert marked.numpy().tolist() == [b"<s>", b"x", b"y", b"<s>"]

# -- converting nested Python lists ------------------------------------------------------------
assert tf.convert_to_tensor([[1, 2], [3, 4]]).dtype == tf.int32
assert tf.convert_to_tensor([[1, 2.5], [3, 4]]).dtype == tf.float32  # one float: all floats
packed = tf.convert_to_tensor([tf.constant(1.0), 2.0, np.float32(3.0)])
assert packed.shape == (3,) and packed.numpy().tolist() == [1.0, 2.0, 3.0]
assert tf.constant(2**40).dtype == tf.int64  # too large for int32
for bad in ([[1, 2], [3]], [1, "a"]):
    try:
        tf.constant(bad)
        raise AssertionError(f"{bad!r} cannot be a dense tensor")
    except ValueError:
        pass
ragged = tf.ragged.constant([[0, 1, 2, 3], [4, 5], [6, 7, 8], [9]])
assert ragged.shape.as_list() == [4, None]

# -- dtypes: conversions and errors -----------------------------------------------------------
the_f64_tensor = tf.constant([2.2, 3.3, 4.4], dtype=tf.float64)
the_f16_tensor = tf.cast(the_f64_tensor, dtype=tf.float16)
the_u8_tensor = tf.cast(the_f16_tensor, dtype=tf.uint8)  # truncates
assert the_u8_tensor.numpy().tolist() == [2, 3, 4]
for value, dtype in ((1.5, tf.int32), ([1, 0], tf.bool), ("7", tf.int32)):
    try:
        tf.constant(value, dtype=dtype)
        raise AssertionError(f"{value!r} must not become {dtype.name} silently")
    except (TypeError, ValueError):
        pass
assert tf.constant(1.0, dtype=tf.float64).dtype == tf.float64
assert tf.constant([1, 2], dtype=tf.float32).numpy().tolist() == [1.0, 2.0]
clipped = tf.dtypes.saturate_cast(tf.constant([-5.0, 300.0]), tf.uint8)
assert clipped.numpy().tolist() == [0, 255]
assert (tf.int8.min, tf.int8.max) == (-128, 127)
assert tf.float32.is_floating and tf.int32.is_integer and tf.string.name == "string"
try:
    tf.as_dtype("floaty")
    raise AssertionError("an unknown dtype name must fail")
except TypeError:
    pass

# -- broadcasting ----------------------------------------------------------------------------
x = tf.constant([1, 2, 3])
assert (x * 2).numpy().tolist() == [2, 4, 6]
outer = tf.reshape(x, [3, 1]) * tf.range(1, 5)
assert outer.shape == (3, 4) and outer.numpy()[2].tolist() == [3, 6, 9, 12]
assert tf.broadcast_to(x, [2, 3]).numpy().tolist() == [[1, 2, 3], [1, 2, 3]]
assert tf.broadcast_static_shape(tf.TensorShape([3, 1]), tf.TensorShape([1, 4])) == [3, 4]
try:
    x + tf.constant([1, 2])
    raise AssertionError("shapes (3,) and (2,) do not broadcast")
except tf.errors.InvalidArgumentError:
    pass
try:
    tf.reshape(tf.range(6), [4, -1])
    raise AssertionError("6 elements do not fill [4, -1]")
except tf.errors.InvalidArgumentError:
    pass

print("guide_core_tensor_intro_rules OK")
