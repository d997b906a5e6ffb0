# Odds and ends of tf.test and tf.experimental as TF2 code uses them: a tf.test.Benchmark
# subclass timing a tf.function and reporting it; a training loop inside
# tf.experimental.async_scope that stops at the end of its data (OutOfRangeError, then
# async_clear_error); extension_type.as_dict; DLPack exchange with NumPy; RowPartition.
import contextlib
import io
import time

import numpy as np
import tensorflow as tf

tf.random.set_seed(3)


@tf.function
def matmul_chain(x):
    return tf.matmul(tf.matmul(x, x), x)


class MatmulBenchmark(tf.test.Benchmark):
    def benchmark_matmul_chain(self):
        x = tf.random.normal([32, 32])
        matmul_chain(x)  # trace once before timing
        tf.test.experimental.sync_devices()  # the warm-up has finished on every device
        iters = 5
        start = time.perf_counter()
        for _ in range(iters):
            result = matmul_chain(x)
        tf.test.experimental.sync_devices()
        wall = (time.perf_counter() - start) / iters
        self.report_benchmark(iters=iters, wall_time=wall, extras={"rows": 32, "op": "matmul"})
        return result


assert tf.test.Benchmark.is_abstract() and not MatmulBenchmark.is_abstract()
printed = io.StringIO()
with contextlib.redirect_stdout(printed):
    out = MatmulBenchmark().benchmark_matmul_chain()
report = printed.getvalue()
assert 'name: "MatmulBenchmark.benchmark_matmul_chain"' in report, report
assert "iters: 5" in report and "wall_time:" in report and 'string_value: "matmul"' in report
assert out.shape == (32, 32)
try:
    MatmulBenchmark().report_benchmark(extras=["not", "a", "dict"])
    raise AssertionError("extras must be a dict")
except TypeError:
    pass

# A loop of steps inside async_scope: the iterator's end surfaces as OutOfRangeError.
weights = tf.Variable([0.0, 0.0])
dataset = tf.data.Dataset.from_tensor_slices(
    (tf.constant([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), tf.constant([1.0, 2.0, 3.0]))
)
iterator = iter(dataset.repeat(60).batch(3))
optimizer = tf.keras.optimizers.SGD(learning_rate=0.3)


@tf.function
def train_step(features, labels):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean((tf.linalg.matvec(features, weights) - labels) ** 2)
    optimizer.apply_gradients([(tape.gradient(loss, weights), weights)])
    return loss


steps = 0
try:
    with tf.experimental.async_scope():
        for _ in range(200):
            train_step(*iterator.get_next())
            steps += 1
except tf.errors.OutOfRangeError:
    tf.experimental.async_clear_error()
assert steps == 60, steps
np.testing.assert_allclose(weights.numpy(), [1.0, 2.0], atol=1e-3)


class Box(tf.experimental.ExtensionType):
    corners: tf.Tensor
    label: str


box = Box(tf.constant([[0.0, 0.0], [1.0, 2.0]]), "cat")
fields = tf.experimental.extension_type.as_dict(box)
assert sorted(fields) == ["corners", "label"] and fields["label"] == "cat"
np.testing.assert_allclose(fields["corners"].numpy(), [[0.0, 0.0], [1.0, 2.0]])
assert isinstance(tf.type_spec_from_value(box), tf.experimental.ExtensionTypeSpec)

# DLPack: a capsule made by TensorFlow goes back into a tensor; NumPy reads a tensor.
t = tf.constant([[1.0, 2.0, 3.0]])
capsule = tf.experimental.dlpack.to_dlpack(t)
back = tf.experimental.dlpack.from_dlpack(capsule)
np.testing.assert_array_equal(back.numpy(), t.numpy())
assert back.dtype == tf.float32
from_numpy = tf.experimental.dlpack.from_dlpack(np.arange(4, dtype=np.int32).__dlpack__())
np.testing.assert_array_equal(from_numpy.numpy(), [0, 1, 2, 3])
assert from_numpy.dtype == tf.int32

# RowPartition: the row encodings of a ragged dimension, the same as a RaggedTensor's.
lengths = [2, 0, 3]
partition = tf.experimental.RowPartition.from_row_lengths(lengths)
rt = tf.RaggedTensor.from_row_lengths(tf.range(5), lengths)
np.testing.assert_array_equal(partition.row_splits().numpy(), rt.row_splits.numpy())
np.testing.assert_array_equal(partition.value_rowids().numpy(), rt.value_rowids().numpy())
assert int(partition.nrows()) == int(rt.nrows()) == 3 and int(partition.nvals()) == 5
assert partition.dtype == tf.int64 and not partition.is_uniform()
uniform = tf.experimental.RowPartition.from_uniform_row_length(2, nvals=6)
assert uniform.is_uniform() and list(uniform.row_lengths().numpy()) == [2, 2, 2]
try:
    tf.experimental.RowPartition.from_row_lengths([2, -1])
    raise AssertionError("negative row lengths must be refused")
except tf.errors.InvalidArgumentError:
    pass
print("tf.test and tf.experimental odds and ends: ok")
