# TF docstring examples of APIs gpuflow lacked: tf.strings.to_hash_bucket, tf.ragged.cross /
# cross_hashed / stack_dynamic_partitions, tf.sparse.sampled_addmm, tf.quantization fake
# quantization, tf.data.experimental tables from datasets, blockwise LinearOperator
# arguments, map_fn over a BatchableExtensionType, the elementwise-assert dispatcher, and
# TF's error for converting an unsupported object.
import numpy as np
import tensorflow as tf

buckets = tf.strings.to_hash_bucket(["", "a", "Hello", "TensorFlow", "123456789abcdefgh"], 2**62)
assert buckets.numpy().tolist() == [
    105434511174508091,
    2996632905371535868,
    1802903312739808229,
    4519201464338240520,
    3528730858989792003,
]

crossed = tf.ragged.cross(
    [
        tf.ragged.constant([["a"], ["b", "c"]]),
        tf.ragged.constant([["d"], ["e"]]),
        tf.ragged.constant([["f"], ["g"]]),
    ]
)
assert crossed.to_list() == [[b"a_X_d_X_f"], [b"b_X_e_X_g", b"c_X_e_X_g"]]
hashed = tf.ragged.cross_hashed(
    [tf.ragged.constant([["a"], ["b", "c"]]), tf.constant([[1], [2]], tf.int64)], num_buckets=100
)
assert hashed.to_list() == [[85], [57, 23]]
parts = tf.ragged.stack_dynamic_partitions(["a", "b", "c", "d", "e"], [3, 0, 2, 2, 3], 5)
assert parts.to_list() == [[b"b"], [], [b"c", b"d"], [b"a", b"e"], []]

_, sampled, _ = tf.sparse.sampled_addmm(
    tf.constant([0, 0, 1, 1], shape=[2, 2]),
    tf.constant([0.5, 0.3]),
    tf.constant([2, 2]),
    tf.constant([1, 2, 3, 4, 5, 6], shape=[2, 3], dtype=tf.float32),
    tf.constant([7, 8, 9, 10, 11, 12], shape=[3, 2], dtype=tf.float32),
    alpha=0.75,
    beta=0.25,
)
np.testing.assert_allclose(sampled.numpy(), [43.625, 115.575], rtol=1e-6)

quantized = tf.quantization.fake_quant_with_min_max_vars(
    inputs=tf.constant([[1.2, -0.3, 0.7], [2.1, 0.5, -1.0]]), min=-0.5, max=0.8, num_bits=8
)
np.testing.assert_allclose(
    quantized.numpy(),
    [[0.8003921, -0.3007843, 0.6984313], [0.8003921, 0.4996078, -0.4996078]],
    atol=1e-6,
)
low, high, x = (
    tf.Variable(-0.5),
    tf.Variable(0.8),
    tf.Variable([[1.2, -0.3, 0.7], [2.1, 0.5, -1.0]]),
)
with tf.GradientTape() as tape:
    y = tf.quantization.fake_quant_with_min_max_vars(x, low, high)
    loss = tf.reduce_sum(y * tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]))
gx, glow, ghigh = tape.gradient(loss, [x, low, high])
assert gx.numpy().tolist() == [[0, 2, 3], [0, 5, 0]] and float(glow) == 6 and float(ghigh) == 5

pairs = tf.data.Dataset.zip(
    (
        tf.data.Dataset.range(100),
        tf.data.Dataset.range(100).map(lambda v: tf.strings.as_string(v * 2)),
    )
)
table = tf.lookup.StaticHashTable(tf.data.experimental.DatasetInitializer(pairs), "")
assert table.lookup(tf.constant([0, 1, 2], dtype=tf.int64)).numpy().tolist() == [b"0", b"2", b"4"]
keys = tf.data.Dataset.range(100).map(lambda v: tf.strings.as_string(v * 2))
index = tf.data.experimental.index_table_from_dataset(keys, num_oov_buckets=3, vocab_size=10)
assert index.lookup(tf.constant(["0", "2", "18", "20", "zz"])).numpy().tolist() == [0, 1, 9, 12, 11]

L = tf.linalg
rng = np.random.default_rng(0)
o44 = L.LinearOperatorFullMatrix(tf.constant(rng.normal(size=[2, 3, 4, 4]), tf.float32))
o54 = L.LinearOperatorFullMatrix(tf.constant(rng.normal(size=[1, 3, 5, 4]), tf.float32))
o55 = L.LinearOperatorFullMatrix(tf.constant(rng.normal(size=[1, 3, 5, 5]), tf.float32))
operator_99 = L.LinearOperatorBlockLowerTriangular([[o44], [o54, o55]])
y_blockwise = operator_99.matvec(
    [
        tf.constant(rng.normal(size=[2, 1, 4]), tf.float32),
        tf.constant(rng.normal(size=[2, 3, 5]), tf.float32),
    ]
)
assert [b.shape.as_list() for b in y_blockwise] == [[2, 3, 4], [2, 3, 5]]


class Vehicle(tf.experimental.BatchableExtensionType):
    top_speed: tf.Tensor
    mpg: tf.Tensor


batch = Vehicle([120, 150, 80], [30, 40, 12])
speeds = tf.map_fn(lambda v: v.top_speed * v.mpg, batch, fn_output_signature=tf.int32)
assert speeds.numpy().tolist() == [3600, 6000, 960]


class MaskedTensor(tf.experimental.ExtensionType):
    values: tf.Tensor
    mask: tf.Tensor


@tf.experimental.dispatch_for_binary_elementwise_assert_apis(MaskedTensor, MaskedTensor)
def masked_assert(assert_func, x, y):
    merged = tf.logical_and(x.mask, y.mask)
    assert_func(tf.boolean_mask(x.values, merged), tf.boolean_mask(y.values, merged))


tf.debugging.assert_equal(
    MaskedTensor([1, 1, 0, 1, 1], [False, False, True, True, True]),
    MaskedTensor([2, 2, 0, 2, 2], [True, True, True, False, False]),
)
try:
    tf.debugging.assert_greater(
        MaskedTensor([1, 1, 1, 1, 1], [True] * 5), MaskedTensor([0, 0, 0, 0, 2], [True] * 5)
    )
    raise AssertionError("assert_greater passed")
except tf.errors.InvalidArgumentError:
    pass

for bad in (None, {1: 2}):
    try:
        tf.constant(bad)
        raise AssertionError(f"converted {bad!r}")
    except ValueError as e:
        assert "Attempt to convert a value" in str(e)
print("ok")
