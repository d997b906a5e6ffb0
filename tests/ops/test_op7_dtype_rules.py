"""TF 2.21's dtype rules at the public entry points (compared with TensorFlow)."""

import numpy as np
import pytest

import gpuflow as tf

InvalidArgumentError = tf.errors.InvalidArgumentError


def test_add_and_matmul_convert_the_first_operand_on_its_own():
    x = tf.constant([1.5])
    with pytest.raises(InvalidArgumentError, match="int32 tensor but is a float32"):
        tf.add(1, x)
    with pytest.raises(InvalidArgumentError, match="int64 tensor but is a float32"):
        tf.math.add(np.array([1]), x)
    with pytest.raises(InvalidArgumentError, match="float64 tensor but is a float32"):
        tf.matmul(np.ones((1, 1)), x[None])
    with pytest.raises(InvalidArgumentError):
        tf.linalg.matmul([[1]], x[None])
    # the tensor first, a matching first operand and the operators still compute
    assert tf.add(x, 1).numpy().tolist() == [2.5]
    assert tf.add(np.float32(1), x).numpy().tolist() == [2.5]
    assert (1 + x).numpy().tolist() == [2.5]
    assert tf.matmul([[2.0]], x[None]).numpy().tolist() == [[3.0]]
    assert (np.ones((1, 1), np.float32) @ x[None]).numpy().tolist() == [[1.5]]
    assert tf.add(1.0, 2.0).numpy() == 3.0


def test_stack_and_concat_refuse_tensors_of_two_dtypes():
    f, i = tf.constant([1.5]), tf.constant([1])
    with pytest.raises(InvalidArgumentError, match="Pack as input #1.*float32.*int32"):
        tf.stack([f, i])
    with pytest.raises(InvalidArgumentError, match="ConcatV2 as input #1"):
        tf.concat([f, tf.constant([1.0], tf.float64)], 0)
    # non-tensor values still take the first tensor's dtype
    assert tf.concat([f, [2]], 0).dtype == tf.float32
    assert tf.stack([np.ones(1), f]).dtype == tf.float32


def test_bool_tensors_in_arithmetic():
    b = tf.constant([True, False])
    with pytest.raises(InvalidArgumentError):
        b + 2
    with pytest.raises(InvalidArgumentError):
        tf.reduce_sum(b)
    with pytest.raises(InvalidArgumentError):
        tf.multiply(b, b)
    out = b * tf.constant([False, True])
    assert out.dtype == tf.bool and out.numpy().tolist() == [False, False]
    out = b * 2
    assert out.dtype == tf.bool and out.numpy().tolist() == [True, False]
    out = tf.constant([0.5, 3.0]) * tf.constant([True, True])  # 0.5 is 0 in int32
    assert out.dtype == tf.bool and out.numpy().tolist() == [False, True]
    assert int(tf.reduce_sum(tf.cast(b, tf.int32))) == 1


@pytest.mark.parametrize(
    "dtype, expected",
    [(tf.int8, tf.float32), (tf.int16, tf.float32), (tf.uint8, tf.float32), (tf.int32, tf.float64)],
)
def test_linspace_of_integer_endpoints_follows_the_truediv_table(dtype, expected):
    out = tf.linspace(tf.constant(0, dtype), tf.constant(4, dtype), 3)
    assert out.dtype == expected and out.numpy().tolist() == [0.0, 2.0, 4.0]


def test_sigmoid_cross_entropy_refuses_labels_of_another_dtype():
    logits = tf.constant([0.5, -1.0])
    with pytest.raises(InvalidArgumentError, match="labels of dtype int32"):
        tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.constant([1, 0]), logits=logits)
    out = tf.nn.sigmoid_cross_entropy_with_logits(labels=[1.0, 0.0], logits=logits)
    np.testing.assert_allclose(
        out.numpy(), [np.log1p(np.exp(-0.5)), np.log1p(np.exp(-1.0))], rtol=1e-6
    )


def test_strings_join_broadcasts_scalars_only():
    assert tf.strings.join([["a", "b"], "c"], separator="-").numpy().tolist() == [b"a-c", b"b-c"]
    with pytest.raises(InvalidArgumentError, match="one shape or be scalars"):
        tf.strings.join([["a", "b"], ["c"]])


def test_linspace_between_tensors_has_a_gradient():
    x = tf.Variable([0.0, 1.0])
    with tf.GradientTape() as tape:
        values = tf.linspace(x[0], x[1], 4)
        y = tf.reduce_sum(values**2)
    np.testing.assert_allclose(values.numpy(), [0.0, 1 / 3, 2 / 3, 1.0], rtol=1e-6)
    # d/dstart = sum(2 v (1 - f)), d/dstop = sum(2 v f) with f = [0, 1/3, 2/3, 1]
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [8 / 9, 28 / 9], rtol=1e-5)
    assert tf.linspace(tf.constant(0.0, tf.float64), 1, 3).dtype == tf.float64
