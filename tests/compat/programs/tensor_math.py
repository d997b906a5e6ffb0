# tf.math: elementwise functions, division flavours, segment ops, counting, clipping.
import numpy as np
import tensorflow as tf

x = tf.constant([-2.0, -0.5, 0.5, 2.0])
np.testing.assert_allclose(tf.math.log1p(tf.abs(x)).numpy(), np.log1p(np.abs(x.numpy())), rtol=1e-6)
np.testing.assert_allclose(tf.math.expm1(x).numpy(), np.expm1(x.numpy()), rtol=1e-6)
np.testing.assert_allclose(
    tf.math.sin(x).numpy() ** 2 + tf.math.cos(x).numpy() ** 2, 1.0, rtol=1e-6
)
np.testing.assert_allclose(
    tf.math.atan2(x, tf.ones_like(x)).numpy(), np.arctan(x.numpy()), rtol=1e-6
)
np.testing.assert_allclose(
    tf.math.erf(tf.constant([0.0, 1.0])).numpy(), [0.0, 0.8427008], rtol=1e-5
)
np.testing.assert_allclose(tf.math.softplus(x).numpy(), np.log1p(np.exp(x.numpy())), rtol=1e-6)
np.testing.assert_allclose(tf.math.log_sigmoid(x).numpy(), -np.log1p(np.exp(-x.numpy())), rtol=1e-6)
np.testing.assert_allclose(tf.math.rsqrt(tf.constant([4.0])).numpy(), [0.5])
np.testing.assert_allclose(tf.math.reciprocal(tf.constant([4.0])).numpy(), [0.25])
assert tf.math.floordiv(tf.constant([7, -7]), 2).numpy().tolist() == [3, -4]
assert (tf.constant([7, -7]) // 2).numpy().tolist() == [3, -4]
assert (tf.constant([7, -7]) % 3).numpy().tolist() == [1, 2]
assert tf.math.floormod(tf.constant([7.5]), 2.0).numpy().tolist() == [1.5]
assert tf.math.truediv(tf.constant([1.0]), tf.constant([4.0])).numpy().tolist() == [0.25]
np.testing.assert_array_equal(tf.math.squared_difference(x, 1.0).numpy(), (x.numpy() - 1) ** 2)
assert tf.math.divide_no_nan(tf.constant([1.0, 2.0]), tf.constant([0.0, 4.0])).numpy().tolist() == [
    0.0,
    0.5,
]
assert tf.math.multiply_no_nan(
    tf.constant([np.inf, 2.0]), tf.constant([0.0, 3.0])
).numpy().tolist() == [0.0, 6.0]
assert tf.math.is_nan(tf.constant([np.nan, 1.0])).numpy().tolist() == [True, False]
assert tf.math.is_inf(tf.constant([np.inf, 1.0])).numpy().tolist() == [True, False]
assert tf.math.is_finite(tf.constant([np.inf, 1.0])).numpy().tolist() == [False, True]
assert (
    tf.floor(tf.constant([1.7])).numpy()[0] == 1.0
    and tf.math.ceil(tf.constant([1.2])).numpy()[0] == 2.0
)
data = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
assert tf.math.segment_sum(data, [0, 0, 1]).numpy().tolist() == [[4.0, 6.0], [5.0, 6.0]]
assert tf.math.unsorted_segment_sum(data, [1, 0, 1], num_segments=2).numpy().tolist() == [
    [3.0, 4.0],
    [6.0, 8.0],
]
assert tf.add_n([data, data]).numpy()[2].tolist() == [10.0, 12.0]
assert tf.math.bincount(tf.constant([1, 1, 3])).numpy().tolist() == [0, 2, 0, 1]
assert tf.math.in_top_k(
    tf.constant([0, 1]), tf.constant([[0.9, 0.1], [0.8, 0.2]]), k=1
).numpy().tolist() == [True, False]
cm = tf.math.confusion_matrix([0, 1, 1], [0, 1, 0], num_classes=2)
assert cm.numpy().tolist() == [[1, 0], [1, 1]]
np.testing.assert_allclose(
    tf.math.l2_normalize(tf.constant([3.0, 4.0])).numpy(), [0.6, 0.8], rtol=1e-6
)
np.testing.assert_allclose(
    tf.clip_by_norm(tf.constant([3.0, 4.0]), 1.0).numpy(), [0.6, 0.8], rtol=1e-6
)
clipped, norm = tf.clip_by_global_norm([tf.constant([3.0]), tf.constant([4.0])], 2.5)
np.testing.assert_allclose(norm.numpy(), 5.0)
np.testing.assert_allclose([c.numpy()[0] for c in clipped], [1.5, 2.0], rtol=1e-6)
np.testing.assert_allclose(tf.clip_by_value(x, -1.0, 1.0).numpy(), [-1.0, -0.5, 0.5, 1.0])
print("ok")
