"""tf.function corners from the API reference: tf.gradients on values made inside the
function, tf.while_loop's structure rules and results, tf.ensure_shape with unknown sizes,
and an image loader decorated with tf.function."""

import keras
import numpy as np
import tensorflow as tf


# --- tf.gradients inside a tf.function, on constants created there ---------------------
@tf.function
def slopes():
    u = tf.constant(1.5)
    v = 4.0 * u
    through = tf.gradients(u + v, [u, v])  # d/du goes through v as well
    held = tf.gradients(u + v, [u, v], stop_gradients=[u, v])
    p = tf.stop_gradient(tf.constant(2.0))
    q = tf.stop_gradient(3.0 * p)
    stopped = tf.gradients(p * q, [p, q])
    return through, held, stopped


through, held, stopped = slopes()
assert [float(g) for g in through] == [5.0, 1.0], through
assert [float(g) for g in held] == [1.0, 1.0], held
assert [float(g) for g in stopped] == [6.0, 2.0], stopped


@tf.function
def scaled_square_slope(x):
    frozen = tf.stop_gradient(2.0 * x)
    return tf.gradients(frozen * x, x)[0]


for value in (1.0, 3.0):
    assert float(scaled_square_slope(tf.constant(value))) == 2.0 * value


# --- tf.while_loop: tensors out, structure kept ----------------------------------------
count, (low, high) = tf.while_loop(
    lambda n, pair: n < 4, lambda n, pair: (n + 1, (pair[1], pair[0] + pair[1])), (0, (0, 1))
)
assert isinstance(count, tf.Tensor) and count.dtype == tf.int32
assert (int(count), int(low), int(high)) == (4, 3, 5)

try:
    tf.while_loop(lambda n, acc: n < 3, lambda n, acc: (n + 1, (acc, n)), (0, 0))
    raise AssertionError("a body that nests its result must fail")
except ValueError:
    pass
try:
    tf.while_loop(lambda n, acc: n < 3, lambda n, acc: (n + 1, list(acc)), (0, (1, 2)))
    raise AssertionError("a tuple that becomes a list must fail")
except TypeError:
    pass

total = keras.ops.fori_loop(0, 5, lambda i, acc: acc + i, 0)
assert int(total) == 10
try:
    keras.ops.fori_loop(0, 5, lambda i, acc: (i + 1, acc + i), 0)
    raise AssertionError("fori_loop with a body returning a pair for one value must fail")
except ValueError:
    pass


# --- tf.ensure_shape with sizes unknown when traced -------------------------------------
seen_shapes = []


@tf.function
def doubled_rows(rows):
    seen_shapes.append(rows.shape.as_list())
    rows = tf.ensure_shape(rows, [None, 3])
    seen_shapes.append(rows.shape.as_list())
    return rows * 2.0


concrete = doubled_rows.get_concrete_function(tf.TensorSpec([None, None], tf.float32))
assert seen_shapes == [[None, None], [None, 3]], seen_shapes
np.testing.assert_allclose(concrete(tf.ones([2, 3])).numpy(), np.full((2, 3), 2.0))
try:
    concrete(tf.ones([2, 5]))
    raise AssertionError("rows of 5 values must fail the ensured shape")
except tf.errors.InvalidArgumentError:
    pass


# --- an image loader decorated with tf.function ------------------------------------------
pixels = np.arange(4 * 6 * 3, dtype=np.uint8).reshape(4, 6, 3)
tf.io.write_file("tile.png", tf.image.encode_png(pixels))


@tf.function
def load_tile(path):
    image = tf.image.decode_png(tf.io.read_file(path), channels=3)
    return tf.image.convert_image_dtype(image, tf.float32)


tile = load_tile(tf.constant("tile.png"))
assert tile.shape == (4, 6, 3) and tile.dtype == tf.float32
np.testing.assert_allclose(tile.numpy(), pixels / 255.0, rtol=1e-6)
print("dx5_function_gradients_loops_shapes: ok")
