"""Behaviour TensorFlow's own API docstring examples show, found by running them on
gpuflow: constants reshaped to ``shape``, DataType enums, unsigned dtypes, list and NumPy
operands taking the tensor's dtype, conjugate transposes, per-row bincount, and more."""

import numpy as np
import pytest

import gpuflow as tf


def test_constant_reshapes_a_value_with_as_many_elements():
    t = tf.constant([1, 2, 3, 4, 5, 6], shape=[2, 3])
    np.testing.assert_array_equal(t.numpy(), [[1, 2, 3], [4, 5, 6]])
    image = tf.constant(np.arange(1, 28, dtype=np.float32), shape=[3, 3, 3])
    assert image.shape == (3, 3, 3) and float(image[2, 2, 2]) == 27.0


def test_as_dtype_takes_datatype_enum_values():
    assert tf.as_dtype(2) == tf.float64 and tf.as_dtype(3) == tf.int32
    assert tf.ones(2, 3).dtype == tf.int32  # dtype=3 is DT_INT32, as the einsum docs use
    for dtype in (tf.float32, tf.uint16, tf.string, tf.complex64):
        assert tf.as_dtype(dtype.as_datatype_enum) == dtype


def test_unsigned_integer_dtypes_compute():
    assert (tf.constant([70000], tf.uint32) + 1).numpy().tolist() == [70001]
    assert tf.io.decode_raw(tf.constant("12"), tf.uint16).numpy().tolist() == [12849]
    assert tf.bitcast(tf.constant(0xFFFFFFFF, tf.uint32), tf.uint8).numpy().tolist() == [255] * 4
    assert tf.reduce_sum(tf.constant([1, 2], tf.uint64)).dtype == tf.uint64


def test_list_and_numpy_operands_take_the_tensors_dtype():
    x = tf.constant([1, 2], dtype=tf.int8)
    wrapped = tf.add(x, [2**7 + 1, 2**7 + 2])
    assert wrapped.dtype == tf.int8 and wrapped.numpy().tolist() == [-126, -124]
    assert (tf.constant([1.0], tf.float16) + [2.0]).dtype == tf.float16
    assert (tf.constant([1.0]) * np.array([2.0])).dtype == tf.float32  # NumPy float64
    assert ([2.0] - tf.constant([1.0])).dtype == tf.float32
    # a list of floats next to an integer tensor raises, as in TensorFlow 2.21
    with pytest.raises((TypeError, tf.errors.InvalidArgumentError)):
        tf.constant([1]) + [2.5]


def test_transpose_conjugate():
    x = tf.constant([[1 + 1j, 2 + 2j], [3 + 3j, 4 + 4j]])
    np.testing.assert_array_equal(
        tf.transpose(x, conjugate=True).numpy(), [[1 - 1j, 3 - 3j], [2 - 2j, 4 - 4j]]
    )
    real = tf.constant([[1.0, 2.0]])
    assert tf.transpose(real, conjugate=True).numpy().tolist() == [[1.0], [2.0]]


def test_bincount_per_row_with_axis_minus_one():
    data = tf.constant([[1, 2, 3, 0], [0, 0, 1, 2]])
    assert tf.math.bincount(data, axis=-1).numpy().tolist() == [[1, 1, 1, 1], [2, 1, 1, 0]]
    binary = tf.math.bincount(data, axis=-1, binary_output=True, minlength=5)
    assert binary.numpy().tolist() == [[1, 1, 1, 1, 0], [1, 1, 1, 0, 0]]
    weighted = tf.math.bincount(data, weights=tf.ones((2, 4)), axis=-1)
    assert weighted.dtype == tf.float32 and weighted.numpy()[1].tolist() == [2.0, 1.0, 1.0, 0.0]
    assert tf.math.bincount(data).numpy().tolist() == [3, 2, 2, 1]
    with pytest.raises(tf.errors.InvalidArgumentError, match="axis must be None, 0 or -1"):
        tf.math.bincount(data, axis=1)


def test_ragged_constant_of_a_flat_list_is_a_dense_tensor():
    t = tf.ragged.constant([1, 2, 3])
    assert not isinstance(t, tf.RaggedTensor) and t.numpy().tolist() == [1, 2, 3]


def test_sparse_cross_separator():
    a = tf.sparse.from_dense(tf.constant([["a"], ["b"]]))
    b = tf.sparse.from_dense(tf.constant([["x"], ["y"]]))
    out = tf.sparse.cross([a, b], separator="_Y_")
    assert out.values.numpy().tolist() == [b"a_Y_x", b"b_Y_y"]


def test_padded_batch_takes_an_int_padded_shape_for_vectors():
    ds = tf.data.Dataset.range(1, 4).map(lambda x: tf.fill([x], x))
    batches = [b.numpy().tolist() for b in ds.padded_batch(2, padded_shapes=5)]
    assert batches == [[[1, 0, 0, 0, 0], [2, 2, 0, 0, 0]], [[3, 3, 3, 0, 0]]]


def test_linspace_of_start_and_stop_vectors_along_an_axis():
    out = tf.linspace([0.0, 5.0], [10.0, 40.0], 5, axis=0)
    np.testing.assert_allclose(
        out.numpy(), [[0.0, 5.0], [2.5, 13.75], [5.0, 22.5], [7.5, 31.25], [10.0, 40.0]]
    )
    assert out.dtype == tf.float32
    assert tf.linspace([0.0, 5.0], [10.0, 40.0], 5, axis=-1).shape == (2, 5)
    assert tf.linspace(0.0, 1.0, 3).numpy().tolist() == [0.0, 0.5, 1.0]


def test_numpy_function_gets_arrays_eagerly_and_numpy_scalars_in_a_function():
    seen = []

    def f(x, v):
        seen.append((type(x), type(v)))
        return np.sinh(x)

    # as TF 2.21: run eagerly, even a rank-0 tensor arrives as an ndarray ...
    y = tf.numpy_function(f, [tf.constant(1.0), tf.constant([1.0, 2.0])], tf.float32)
    assert seen == [(np.ndarray, np.ndarray)]
    np.testing.assert_allclose(y.numpy(), np.sinh(1.0), rtol=1e-6)

    # ... and inside a tf.function as a NumPy scalar
    @tf.function
    def g(x, v):
        return tf.numpy_function(f, [x, v], tf.float32)

    g(tf.constant(1.0), tf.constant([1.0, 2.0]))
    assert seen[-1] == (np.float32, np.ndarray)


def test_tensor_array_reads_a_slot_twice_inside_a_function():
    @tf.function
    def fibonacci(n):
        ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
        ta = ta.unstack([0.0, 1.0])
        for i in range(2, n):
            ta = ta.write(i, ta.read(i - 1) + ta.read(i - 2))
        return ta.stack()

    assert fibonacci(7).numpy().tolist() == [0.0, 1.0, 1.0, 2.0, 3.0, 5.0, 8.0]
    eager = tf.TensorArray(tf.float32, size=1)
    eager = eager.write(0, 1.0)
    eager.read(0)
    with pytest.raises(tf.errors.InvalidArgumentError, match="cleared after a previous read"):
        eager.read(0)


def test_unicode_transcode_reads_other_encodings():
    out = tf.strings.unicode_transcode(["A", "B", "C"], "US ASCII", "UTF-8")
    assert out.numpy().tolist() == [b"A", b"B", b"C"]
    latin = tf.strings.unicode_transcode(tf.constant(b"caf\xe9"), "ISO-8859-1", "UTF-8")
    assert latin.numpy().decode("utf-8") == "café"
    with pytest.raises(tf.errors.InvalidArgumentError, match="unknown input_encoding"):
        tf.strings.unicode_transcode(["A"], "NO-SUCH-CODEC", "UTF-8")


def test_a_variable_written_to_a_tensor_array_keeps_its_value_then():
    v = tf.Variable(1)

    @tf.function
    def f(x):
        ta = tf.TensorArray(tf.int32, size=0, dynamic_size=True)
        for i in tf.range(x):
            v.assign_add(i)
            ta = ta.write(i, v)
        return ta.stack()

    assert f(5).numpy().tolist() == [1, 2, 4, 7, 11]
    w = tf.Variable(2.0)
    ta = tf.TensorArray(tf.float32, size=1).write(0, w)
    w.assign(5.0)
    assert float(ta.read(0)) == 2.0


def test_sorting_ops_inside_a_function_follow_each_call():
    @tf.function
    def f(x):
        values, indices = tf.math.top_k(x, k=2)
        return values, indices, tf.sort(x, direction="DESCENDING"), tf.argsort(x)

    for rows in ([[3.0, 1.0, 2.0], [0.0, 5.0, 4.0]], [[9.0, 8.0, 7.0], [1.0, 2.0, 3.0]]):
        x = np.array(rows, np.float32)
        values, indices, ordered, order = f(tf.constant(x))
        np.testing.assert_array_equal(values.numpy(), -np.sort(-x)[:, :2])
        np.testing.assert_array_equal(indices.numpy(), np.argsort(-x, kind="stable")[:, :2])
        np.testing.assert_array_equal(ordered.numpy(), -np.sort(-x))
        np.testing.assert_array_equal(order.numpy(), np.argsort(x, kind="stable"))
        assert indices.dtype == tf.int32 and order.dtype == tf.int32
    assert f.experimental_get_tracing_count() == 1


def test_explicit_padding_of_max_pool2d_and_depthwise_conv2d():
    x = tf.constant(np.arange(1.0, 17.0).reshape(1, 4, 4, 1), tf.float32)
    explicit = [[0, 0], [1, 1], [1, 1], [0, 0]]
    out = tf.nn.max_pool2d(x, ksize=(2, 2), strides=(2, 2), padding=explicit)
    np.testing.assert_array_equal(out[0, :, :, 0].numpy(), [[1, 3, 4], [9, 11, 12], [13, 15, 16]])
    # padded positions never win, even against negative values
    low = tf.nn.max_pool(-x, ksize=2, strides=2, padding=explicit)
    assert float(tf.reduce_max(low)) == -1.0
    k = tf.ones((2, 2, 1, 2))
    conv = tf.nn.depthwise_conv2d(
        x, k, strides=[1, 1, 1, 1], padding=[[0, 0], [1, 0], [1, 0], [0, 0]]
    )
    assert conv.shape == (1, 4, 4, 2) and conv[0, :2, :2, 0].numpy().tolist() == [[1, 3], [6, 14]]
    with pytest.raises(tf.errors.InvalidArgumentError, match="explicit padding must be 4 pairs"):
        tf.nn.max_pool2d(x, 2, 2, [[1, 1], [1, 1], [0, 0], [0, 0]])
