# tf.print and tf.debugging assertions.
import numpy as np
import tensorflow as tf

tf.print(tf.constant([[1, 2], [3, 4]]), "label", tf.constant(2.5), output_stream="file://out.txt")
tf.print(tf.range(10), output_stream="file://out.txt")
with open("out.txt") as handle:
    text = handle.read()
assert text == "[[1 2]\n [3 4]] label 2.5\n[0 1 2 ... 7 8 9]\n", repr(text)
tf.print("printed to stderr, as TensorFlow does")
x = tf.constant([1.0, 2.0])
tf.debugging.assert_equal(x, tf.constant([1.0, 2.0]))
tf.debugging.assert_near(x, tf.constant([1.0, 2.0 + 1e-7]))
tf.debugging.assert_less(x, 3.0)
tf.debugging.assert_non_negative(x)
assert tf.debugging.check_numerics(x, "fine").shape == (2,)
for call in (
    lambda: tf.debugging.assert_equal(x, tf.constant([1.0, 5.0])),
    lambda: tf.debugging.assert_near(x, tf.constant([1.0, 2.5])),
    lambda: tf.debugging.check_numerics(tf.constant([np.nan]), "bad"),
):
    try:
        call()
        raise AssertionError("the assertion did not fire")
    except (ValueError, tf.errors.InvalidArgumentError) if hasattr(tf, "errors") else ValueError:
        pass
print("ok")
