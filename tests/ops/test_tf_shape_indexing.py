"""Shape and indexing ops of the issue's list against NumPy on every device, gradients
where TF defines them, and errors that name the op."""

from __future__ import annotations

import numpy as np
import pytest
from tolerances import assert_close

import gpuflow as tf
from gpuflow.testing import gradcheck

X = np.arange(24, dtype=np.float64).reshape(2, 3, 4) / 7


def _c(a, device, dtype="float32"):
    return tf.constant(np.asarray(a).astype(dtype), device=device)


# name: (gpuflow fn of x, NumPy reference of x); x is X in the test's dtype
CASES = {
    "split_count": (lambda x: tf.split(x, 2, axis=2)[1], lambda x: x[:, :, 2:]),
    "split_sizes": (lambda x: tf.split(x, [1, -1], axis=1)[1], lambda x: x[:, 1:]),
    "unstack": (lambda x: tf.unstack(x, axis=1)[2], lambda x: x[:, 2]),
    "pad_constant": (
        lambda x: tf.pad(x, [[0, 1], [1, 0], [0, 0]], constant_values=2),
        lambda x: np.pad(x, [[0, 1], [1, 0], [0, 0]], constant_values=2),
    ),
    "pad_reflect": (
        lambda x: tf.pad(x, [[1, 1], [2, 1], [0, 3]], mode="REFLECT"),
        lambda x: np.pad(x, [[1, 1], [2, 1], [0, 3]], mode="reflect"),
    ),
    "pad_symmetric": (
        lambda x: tf.pad(x, [[2, 0], [0, 3], [1, 1]], mode="SYMMETRIC"),
        lambda x: np.pad(x, [[2, 0], [0, 3], [1, 1]], mode="symmetric"),
    ),
    "gather_axis": (lambda x: tf.gather(x, [3, 0, 3], axis=2), lambda x: x[:, :, [3, 0, 3]]),
    "gather_batch_dims": (
        lambda x: tf.gather(x, [[0, 2], [1, 1]], axis=1, batch_dims=1),
        lambda x: np.stack([x[0, [0, 2]], x[1, [1, 1]]]),
    ),
    "gather_nd": (
        lambda x: tf.gather_nd(x, [[1, 2], [0, 0]]),
        lambda x: np.stack([x[1, 2], x[0, 0]]),
    ),
    "boolean_mask": (
        lambda x: tf.boolean_mask(x, [[True, False, True], [False, False, True]]),
        lambda x: x[np.array([[True, False, True], [False, False, True]])],
    ),
    "sort": (lambda x: tf.sort(-x, axis=1), lambda x: np.sort(-x, axis=1)),
    "reverse": (lambda x: tf.reverse(x, [0, 2]), lambda x: x[::-1, :, ::-1]),
    "roll": (
        lambda x: tf.roll(x, shift=[1, -1], axis=[1, 2]),
        lambda x: np.roll(x, (1, -1), axis=(1, 2)),
    ),
    "repeat": (lambda x: tf.repeat(x, [1, 3], axis=0), lambda x: np.repeat(x, [1, 3], axis=0)),
    "slice": (lambda x: tf.slice(x, [0, 1, 1], [2, -1, 2]), lambda x: x[:, 1:, 1:3]),
    "strided_slice": (
        lambda x: tf.strided_slice(x, [0, 2, 3], [2, 0, 0], [1, -1, -2]),
        lambda x: x[0:2, 2:0:-1, 3:0:-2],
    ),
    "ellipsis_newaxis_negative": (lambda x: x[..., tf.newaxis, ::-2], lambda x: x[..., None, ::-2]),
    "squeeze_axis": (lambda x: tf.squeeze(x[:, :1], axis=1), lambda x: x[:, 0]),
    "ensure_shape": (lambda x: tf.ensure_shape(x, [2, None, 4]), lambda x: x),
    "clip_by_norm": (
        lambda x: tf.clip_by_norm(x, 1.5, axes=[2]),
        lambda x: x * 1.5 / np.maximum(np.sqrt((x**2).sum(2, keepdims=True)), 1.5),
    ),
    "clip_by_global_norm": (
        lambda x: tf.clip_by_global_norm([x, x * 2], 3.0)[0][1],
        lambda x: 2 * x * 3.0 / max(np.sqrt(5 * (x**2).sum()), 3.0),
    ),
    "where_select": (lambda x: tf.where(x > 1.01, x, -x), lambda x: np.where(x > 1.01, x, -x)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_against_numpy(name, device, float_dtype):
    fn, ref = CASES[name]
    out = fn(_c(X, device, float_dtype))
    assert out.device == device and out.dtype == float_dtype
    assert_close(out, ref(X.astype(float_dtype).astype(np.float64)), float_dtype)


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradients(name):
    fn, _ = CASES[name]
    gradcheck(fn, [X])


def test_integer_and_bool_results(device):
    x = _c([3.0, 1.0, 2.0, 1.0], device)
    np.testing.assert_array_equal(tf.argsort(x).numpy(), [1, 3, 2, 0])
    np.testing.assert_array_equal(tf.argsort(x, direction="DESCENDING").numpy(), [0, 2, 1, 3])
    where = tf.where(_c([[True, False], [False, True]], device, "bool"))
    assert where.dtype == tf.int64
    np.testing.assert_array_equal(where.numpy(), [[0, 0], [1, 1]])
    y, idx = tf.unique(_c([4, 1, 4, 2, 1], device, "int32"))
    np.testing.assert_array_equal(y.numpy(), [4, 1, 2])
    np.testing.assert_array_equal(idx.numpy(), [0, 1, 0, 2, 1])
    np.testing.assert_array_equal(
        tf.sequence_mask([1, 3, 0], 4).numpy(), [[1, 0, 0, 0], [1, 1, 1, 0], [0, 0, 0, 0]]
    )
    xs, ys = tf.meshgrid(tf.range(3), tf.range(2))
    np.testing.assert_array_equal(xs.numpy(), np.meshgrid(np.arange(3), np.arange(2))[0])
    np.testing.assert_array_equal(
        tf.meshgrid(tf.range(3), tf.range(2), indexing="ij")[1].numpy(),
        np.meshgrid(np.arange(3), np.arange(2), indexing="ij")[1],
    )
    s = tf.scatter_nd([[1], [3], [1]], _c([9, 10, 11], device, "int32"), [5])
    np.testing.assert_array_equal(s.numpy(), [0, 20, 0, 10, 0])


def test_one_hot(device):
    idx = _c([0, 2, -1], device, "int32")
    out = tf.one_hot(idx, 3, on_value=5.0, off_value=-1.0)
    np.testing.assert_array_equal(out.numpy(), [[5, -1, -1], [-1, -1, 5], [-1, -1, -1]])
    assert tf.one_hot(idx, 3).dtype == tf.float32
    assert tf.one_hot(idx, 3, dtype=tf.int32).dtype == tf.int32
    np.testing.assert_array_equal(tf.one_hot([0, 2], 3, axis=0).numpy(), np.eye(3)[:, [0, 2]])
    with pytest.raises(ValueError, match="one_hot: depth must be >= 0, received -1"):
        tf.one_hot([0], -1)
    with pytest.raises(TypeError, match="one_hot: depth must be an integer"):
        tf.one_hot([0], 2.5)
    # as TensorFlow: a NumPy float array becomes int64 indices (truncated), as the MNIST
    # labels of the Keras guides (float32) do; float tensors and float lists are refused
    labels = np.array([1.0, 2.7, -1.0], "float32")
    np.testing.assert_array_equal(tf.one_hot(labels, 3).numpy(), [[0, 1, 0], [0, 0, 1], [0, 0, 0]])
    for floats in (_c([1.0], device, "float32"), [1.0, 2.0]):
        with pytest.raises(tf.errors.InvalidArgumentError, match="indices must be integers"):
            tf.one_hot(floats, 3)


ERRORS = {
    "split": (lambda: tf.split(tf.ones([5]), 2), ValueError, "split: axis 0 of size 5"),
    "unstack": (lambda: tf.unstack(tf.constant(1.0)), ValueError, "unstack"),
    "pad": (lambda: tf.pad(tf.ones([2]), [[3, 0]], mode="REFLECT"), ValueError, "pad: REFLECT"),
    "pad_mode": (lambda: tf.pad(tf.ones([2]), [[1, 0]], mode="EDGE"), ValueError, "pad: mode"),
    "gather": (lambda: tf.gather(tf.ones([3]), [3]), ValueError, "gather: indices must be in"),
    "gather_nd": (lambda: tf.gather_nd(tf.ones([2, 2]), [[0, 5]]), ValueError, "gather_nd"),
    "scatter_nd": (lambda: tf.scatter_nd([[0]], [1.0, 2.0], [3]), ValueError, "scatter_nd"),
    "boolean_mask": (lambda: tf.boolean_mask(tf.ones([3]), [True]), ValueError, "boolean_mask"),
    "sort": (lambda: tf.sort(tf.ones([2]), direction="UP"), ValueError, "sort: direction"),
    "roll": (lambda: tf.roll(tf.ones([2]), [1, 2], [0]), ValueError, "roll"),
    "repeat": (lambda: tf.repeat(tf.ones([2]), [1, 2, 3], axis=0), ValueError, "repeat"),
    "slice": (lambda: tf.slice(tf.ones([2]), [1], [5]), ValueError, "slice"),
    "strided_slice": (
        lambda: tf.strided_slice(tf.ones([2]), [0], [1], [0]),
        ValueError,
        "strided_slice: strides must be non-zero",
    ),
    "getitem": (lambda: tf.ones([2])[5], IndexError, "getitem: indexing a tensor of shape (2,)"),
    "getitem_float": (lambda: tf.ones([2])[1.5], TypeError, "getitem"),
    "ensure_shape": (lambda: tf.ensure_shape(tf.ones([2]), [3]), ValueError, "ensure_shape"),
    "squeeze": (lambda: tf.squeeze(tf.ones([2, 1]), axis=0), ValueError, "squeeze: axis 0"),
    "meshgrid": (lambda: tf.meshgrid(tf.ones([2, 2])), ValueError, "meshgrid"),
    "unique": (lambda: tf.unique(tf.ones([2, 2])), ValueError, "unique"),
    "sequence_mask": (lambda: tf.sequence_mask([1.5]), TypeError, "sequence_mask"),
    "clip_by_norm": (lambda: tf.clip_by_norm(tf.ones([2]), -1.0), ValueError, "clip_by_norm"),
    "clip_by_global_norm": (
        lambda: tf.clip_by_global_norm(tf.ones([2]), 1.0),
        TypeError,
        "clip_by_global_norm",
    ),
    "reshape": (lambda: tf.reshape(tf.ones([6]), [4, -1]), ValueError, "reshape"),
    "concat": (lambda: tf.concat([tf.ones([2, 2]), tf.ones([3, 3])], 0), ValueError, "concat"),
    "tile": (lambda: tf.tile(tf.ones([2]), [1, 2]), ValueError, "tile"),
    "transpose": (lambda: tf.transpose(tf.ones([2, 2]), [0, 0]), ValueError, "transpose"),
    "expand_dims": (lambda: tf.expand_dims(tf.ones([2]), 3), ValueError, "expand_dims"),
    "broadcast_to": (lambda: tf.broadcast_to(tf.ones([3]), [2, 2]), ValueError, "broadcast_to"),
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_argument_errors_name_the_op(name):
    call, error, text = ERRORS[name]
    with pytest.raises(error) as info:
        call()
    assert text in str(info.value)


def test_tensor_scatter_nd_min_max_values_and_tensorflow_gradients():
    t = tf.constant([[2.0, 7.0], [9.0, 0.0]])
    u = tf.constant([1.0, 9.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([t, u])
        hi = tf.tensor_scatter_nd_max(t, [[0, 0], [1, 0]], u)
        lo = tf.tensor_scatter_nd_min(t, [[0, 0], [1, 0]], u)
    np.testing.assert_array_equal(hi.numpy(), [[2, 7], [9, 0]])
    np.testing.assert_array_equal(lo.numpy(), [[1, 7], [9, 0]])
    # values from tensorflow-cpu 2.21: a tie (9 and 9) shares the gradient equally
    dt, du = tape.gradient(hi, [t, u])
    np.testing.assert_allclose(dt.numpy(), [[1, 1], [0.5, 1]])
    np.testing.assert_allclose(du.numpy(), [0, 0.5])
    dt, du = tape.gradient(lo, [t, u])
    np.testing.assert_allclose(dt.numpy(), [[0, 1], [0.5, 1]])
    np.testing.assert_allclose(du.numpy(), [1, 0.5])
    ints = tf.tensor_scatter_nd_min(tf.constant([[2, 7], [9, 0]]), [[0, 0]], [1])
    assert ints.dtype == tf.int32 and ints.numpy().tolist() == [[1, 7], [9, 0]]


def test_roll_by_a_shift_known_only_when_the_function_runs():
    # DeepDream's random_roll: tf.roll(img, shift=tf.random.uniform(..., dtype=tf.int32))
    x = tf.Variable(np.arange(12, dtype="float32").reshape(3, 4))
    weights = tf.constant(np.arange(12, dtype="float32").reshape(3, 4))

    @tf.function
    def f(shift):
        with tf.GradientTape() as tape:
            y = tf.roll(x, shift=shift, axis=[0, 1])
            loss = tf.reduce_sum(y * weights)
        return y, tape.gradient(loss, x)

    for shift in ([1, 2], [-1, 5]):
        y, grad = f(tf.constant(shift))
        np.testing.assert_array_equal(y.numpy(), np.roll(x.numpy(), shift, axis=(0, 1)))
        # the gradient rolls the weights back
        np.testing.assert_array_equal(
            grad.numpy(), np.roll(weights.numpy(), [-s for s in shift], axis=(0, 1))
        )
    np.testing.assert_array_equal(
        tf.roll(tf.constant([1, 2, 3]), tf.constant(1), 0).numpy(), [3, 1, 2]
    )
    with pytest.raises(ValueError, match="roll: shift and axis need one length"):
        tf.roll(tf.ones([2, 2]), tf.constant([1, 1]), 0)
    with pytest.raises(TypeError, match="roll: shift must be an integer tensor"):
        tf.roll(tf.ones([2]), tf.constant(1.0), 0)


def test_pad_string_tensors_with_bytes():
    words = tf.constant([["a", "b"]])
    out = tf.pad(words, [[0, 1], [1, 0]])
    assert out.dtype == tf.string
    assert out.numpy().tolist() == [[b"", b"a", b"b"], [b"", b"", b""]]
    assert all(type(v) is bytes for v in out.numpy().ravel())
    filled = tf.pad(tf.constant(["x"]), [[2, 0]], constant_values="<pad>")
    assert filled.numpy().tolist() == [b"<pad>", b"<pad>", b"x"]
    with pytest.raises(TypeError, match="pads with a string"):
        tf.pad(words, [[0, 0], [0, 1]], constant_values=1)


def test_gather_nd_batch_dims_must_match_the_tensor():
    params = tf.reshape(tf.range(12), [3, 4])
    assert tf.gather_nd(params, [[1], [0], [3]], batch_dims=1).numpy().tolist() == [1, 4, 11]
    with pytest.raises(tf.errors.InvalidArgumentError, match="first 1 axes of the indices"):
        tf.gather_nd(params, [[1], [0]], batch_dims=1)


def test_boolean_mask_takes_a_numeric_mask_as_tensorflow():
    x = tf.Variable([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.boolean_mask(x, [1, 0, 2]))  # non-zero entries are kept
    assert tape.gradient(y, x).numpy().tolist() == [1.0, 0.0, 1.0]
    kept = tf.boolean_mask(tf.constant([[1, 2], [3, 4]]), [[0.0, 0.5], [1.0, 0.0]])
    assert kept.numpy().tolist() == [2, 3]
    with pytest.raises(tf.errors.InvalidArgumentError, match="boolean_mask: mask must be"):
        tf.boolean_mask(tf.constant([1, 2]), ["a", ""])
    with pytest.raises(ValueError, match="mask cannot be scalar"):
        tf.boolean_mask(tf.constant([1, 2]), True)
