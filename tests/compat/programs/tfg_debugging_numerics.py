"""tf.debugging: check_numerics, enable_check_numerics and the assert_* family."""

import numpy as np
import tensorflow as tf

ok = tf.debugging.check_numerics(tf.constant([1.0, 2.0]), "fine")
np.testing.assert_array_equal(ok, [1.0, 2.0])
for bad in [np.nan, np.inf, -np.inf]:
    try:
        tf.debugging.check_numerics(tf.constant([1.0, bad]), "found a bad value")
    except tf.errors.InvalidArgumentError as e:
        assert "found a bad value" in str(e)
    else:
        raise AssertionError(f"{bad} should raise")
try:
    tf.debugging.check_numerics(tf.constant([1, 2]), "ints")
except (TypeError, ValueError, tf.errors.InvalidArgumentError):
    pass
else:
    raise AssertionError("check_numerics on ints should raise")


@tf.function
def safe_log(x):
    return tf.debugging.check_numerics(tf.math.log(x), "log blew up")


np.testing.assert_allclose(safe_log(tf.constant([1.0, np.e])), [0.0, 1.0], rtol=1e-6)
try:
    safe_log(tf.constant([0.0]))
except tf.errors.InvalidArgumentError:
    pass
else:
    raise AssertionError("log(0) should trip check_numerics inside tf.function")

# enable_check_numerics makes every op check its float outputs.
tf.debugging.enable_check_numerics()
try:
    _ = tf.math.log(tf.constant([-1.0])) + 1.0
except tf.errors.InvalidArgumentError:
    pass
else:
    raise AssertionError("NaN from log(-1) should raise with enable_check_numerics")
np.testing.assert_allclose(tf.sqrt(tf.constant([4.0])), [2.0])
tf.debugging.disable_check_numerics()
assert bool(tf.math.is_nan(tf.math.log(tf.constant(-1.0))))

# Value assertions raise InvalidArgumentError with the message and the data.
x = tf.constant([1.0, 2.0, 3.0])
tf.debugging.assert_equal(x, [1.0, 2.0, 3.0])
tf.debugging.assert_near(x, x + 1e-7)
tf.debugging.assert_positive(x)
tf.debugging.assert_non_negative(tf.zeros([2]))
tf.debugging.assert_less(x, 4.0)
tf.debugging.assert_greater_equal(x, 1.0)
tf.debugging.assert_rank(x, 1)
tf.debugging.assert_type(x, tf.float32)
tf.debugging.assert_all_finite(x, "finite")
checks = [
    lambda: tf.debugging.assert_equal(x, [1.0, 2.0, 4.0], message="not equal"),
    lambda: tf.debugging.assert_negative(x),
    lambda: tf.debugging.assert_less(x, 3.0),
    lambda: tf.debugging.assert_near(x, x + 0.1),
    lambda: tf.debugging.assert_non_positive(x),
    lambda: tf.debugging.assert_all_finite(tf.constant([np.nan]), "nan here"),
]
for check in checks:
    try:
        check()
    except tf.errors.InvalidArgumentError:
        pass
    else:
        raise AssertionError("an assertion should have failed")
try:
    tf.debugging.assert_equal(x, [1.0, 2.0, 4.0], message="custom text")
except tf.errors.InvalidArgumentError as e:
    assert "custom text" in str(e)
# Static checks raise ValueError / TypeError at once.
for check, err in [
    (lambda: tf.debugging.assert_rank(x, 2), ValueError),
    (lambda: tf.debugging.assert_type(x, tf.int32), TypeError),
    (lambda: tf.debugging.assert_shapes([(x, ("N",)), (tf.ones([4]), ("N",))]), ValueError),
]:
    try:
        check()
    except err:
        pass
    else:
        raise AssertionError(f"expected {err.__name__}")
tf.debugging.assert_shapes([(tf.ones([2, 3]), ("B", 3)), (tf.ones([2]), ("B",))])
assert tf.debugging.is_numeric_tensor(x) and not tf.debugging.is_numeric_tensor(tf.constant("a"))
assert tf.debugging.assert_proper_iterable([1, 2]) is None
try:
    tf.debugging.assert_proper_iterable("abc")
except TypeError:
    pass
else:
    raise AssertionError("a string is not a proper iterable")


# Assertions inside tf.function run with the data.
@tf.function
def checked_div(a, b):
    tf.debugging.assert_none_equal(b, 0.0, message="division by zero")
    return a / b


np.testing.assert_allclose(checked_div(tf.constant(1.0), tf.constant(4.0)), 0.25)
try:
    checked_div(tf.constant(1.0), tf.constant(0.0))
except tf.errors.InvalidArgumentError:
    pass
else:
    raise AssertionError("assert_none_equal should fail inside tf.function")
print("ok")
