# tf.bfloat16 tensors: the DType, casts (round to nearest even), arithmetic, matmul,
# reductions, .numpy() as an ml_dtypes array, gradients through bfloat16 ops and casts,
# and the error of an op with no bfloat16 kernel.
import numpy as np
import tensorflow as tf

bf = tf.bfloat16
assert tf.dtypes.bfloat16 == bf and tf.as_dtype("bfloat16") == bf and bf.name == "bfloat16"
assert bf.is_floating and not bf.is_integer and bf.size == 2 and bf.as_datatype_enum == 14
assert float(bf.max) == 3.3895313892515355e38 and float(bf.min) == -float(bf.max)
assert tf.as_dtype(np.dtype(bf.as_numpy_dtype)) == bf

x = tf.constant([[0.1, 1.7, -2.3], [3.14159, 100.5, 1e-3]])
b = tf.cast(x, bf)
assert b.dtype == bf
arr = b.numpy()
assert arr.dtype == np.dtype(bf.as_numpy_dtype) and arr.dtype.name == "bfloat16"
assert arr.astype(np.float32).tolist() == [
    [0.10009765625, 1.703125, -2.296875],
    [3.140625, 100.5, 0.00099945068359375],
]
assert tf.constant([[0.1, 1.7, -2.3], [3.14159, 100.5, 1e-3]], dtype=bf).numpy().tolist() == (
    arr.tolist()
)
assert tf.constant(arr).dtype == bf  # an ml_dtypes array keeps its dtype
assert tf.cast(b, tf.int32).numpy().tolist() == [[0, 1, -2], [3, 100, 0]]

w = tf.cast(tf.constant([[0.3, -1.1], [0.7, 0.25], [-0.9, 1.9]]), bf)
y = tf.matmul(b, w)
assert y.dtype == bf and y.numpy().astype(np.float32).tolist() == [
    [3.28125, -4.03125],
    [71.0, 21.625],
]
assert (b @ w).numpy().tolist() == y.numpy().tolist()
s = tf.reduce_sum(b)
assert s.dtype == bf and float(s) == 103.0
assert tf.reduce_mean(b, 1).numpy().astype(np.float32).tolist() == [-0.1640625, 34.5]
assert tf.exp(b[0]).numpy().astype(np.float32).tolist() == [1.1015625, 5.5, 0.1005859375]
assert (b / 3).numpy().astype(np.float32)[0].tolist() == [0.033447265625, 0.56640625, -0.765625]
assert (b * 2.0).dtype == bf and (b + 1).dtype == bf
sm = tf.nn.softmax(tf.cast([[1.0, 2.0]], bf))
assert sm.dtype == bf and sm.numpy().astype(np.float32).tolist() == [[0.26953125, 0.73046875]]

v = tf.Variable(w)
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(tf.square(tf.matmul(b, v)))
g = tape.gradient(loss, v)
expected = [[446.0, 135.0], [14272.0, 4320.0], [-14.9375, 18.5]]
assert g.dtype == bf and g.numpy().astype(np.float32).tolist() == expected

master = tf.Variable(tf.constant([[0.3, -1.1], [0.7, 0.25], [-0.9, 1.9]]))
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(tf.cast(tf.matmul(b, tf.cast(master, bf)), tf.float32) ** 2)
g = tape.gradient(loss, master)
assert g.dtype == tf.float32 and g.numpy().tolist() == expected

try:
    tf.linalg.inv(tf.cast(tf.eye(2), bf))
    raise AssertionError("inv accepted bfloat16")
except tf.errors.InvalidArgumentError as e:
    assert "bfloat16" in str(e)
print("ok")
