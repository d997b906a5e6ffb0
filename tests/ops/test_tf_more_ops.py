"""Control flow (cond, while_loop, map_fn, scan, fold), more tf.math (xlogy, segment
mean/max/min/prod, searchsorted, ...), more tf.nn and tf.linalg: values against NumPy,
float64 gradient checks."""

from __future__ import annotations

import numpy as np
import pytest
from tolerances import assert_close

import gpuflow as tf
from gpuflow.testing import gradcheck

R = np.random.default_rng(3)
X = R.uniform(0.5, 2.0, (4, 3))
IDS = [0, 0, 2, 2]


def test_control_flow(device):
    x = tf.constant(3.0, device=device)
    assert float(tf.cond(x > 2, lambda: x * 2, lambda: x)) == 6.0
    assert float(tf.case([(x < 0, lambda: x), (x > 1, lambda: x + 1)], default=lambda: x)) == 4.0
    assert float(tf.switch_case(1, [lambda: x, lambda: x * 10])) == 30.0
    i, total = tf.while_loop(lambda i, t: i < 5, lambda i, t: (i + 1, t + i), (0, 0))
    assert (int(i), int(total)) == (5, 10)
    squares = tf.map_fn(lambda r: tf.reduce_sum(r * r), tf.constant(X, device=device))
    assert_close(squares, (X**2).sum(1), "float64")
    running = tf.scan(lambda acc, r: acc + r, tf.constant(X))
    assert_close(running, np.cumsum(X, axis=0), "float64")
    assert_close(tf.foldl(lambda a, r: a * r, tf.constant(X)), X.prod(0), "float64")
    assert_close(
        tf.foldr(lambda a, r: a - r, tf.constant(X), initializer=tf.zeros(3, dtype=tf.float64)),
        -X.sum(0),
        "float64",
    )
    assert len(tf.identity_n([x, x])) == 2 and tf.no_op() is None
    with pytest.raises(ValueError, match="cond: pred must be a scalar"):
        tf.cond(tf.constant([True, False]), lambda: 1, lambda: 2)


def test_map_fn_over_sparse_rows_and_to_a_sparse_result():
    # TF's map_fn docstring examples, and TF 2.21's values for the others
    st = tf.sparse.SparseTensor([[0, 0], [2, 0], [2, 1]], [2, 3, 4], [4, 4])
    sums = tf.map_fn(tf.sparse.reduce_sum, st, fn_output_signature=tf.int32)
    assert sums.numpy().tolist() == [2, 0, 7, 0]
    eyes = tf.map_fn(
        tf.sparse.eye,
        tf.constant([2, 3]),
        fn_output_signature=tf.SparseTensorSpec(None, tf.float32),
    )
    assert eyes.dense_shape.numpy().tolist() == [2, 3, 3]  # the largest row shape
    np.testing.assert_array_equal(tf.sparse.to_dense(eyes).numpy()[0], np.diag([1.0, 1.0, 0.0]))
    same = tf.map_fn(lambda row: row, st, fn_output_signature=tf.SparseTensorSpec(None, tf.int32))
    assert same.indices.numpy().tolist() == [[0, 0], [2, 0], [2, 1]]
    assert same.values.numpy().tolist() == [2, 3, 4]
    pairs = tf.map_fn(
        lambda x: tf.sparse.reduce_sum(x[0]) + x[1],
        (st, tf.constant([1, 2, 3, 4])),
        fn_output_signature=tf.int32,
    )
    assert pairs.numpy().tolist() == [3, 2, 10, 4]
    with pytest.raises(ValueError, match="map_fn: fn_output_signature is a SparseTensorSpec"):
        tf.map_fn(lambda r: r, tf.constant([1, 2]), fn_output_signature=tf.SparseTensorSpec())


class Vehicle(tf.experimental.BatchableExtensionType):
    top_speed: tf.Tensor
    mpg: tf.Tensor


def test_map_fn_over_the_rows_of_a_batchable_extension_type():
    # TF's BatchableExtensionType docstring example
    batch = Vehicle([120, 150, 80], [30, 40, 12])
    seen = []

    def fn(vehicle):
        seen.append(type(vehicle))
        return vehicle.top_speed * vehicle.mpg

    out = tf.map_fn(fn, batch, fn_output_signature=tf.int32)
    assert out.numpy().tolist() == [3600, 6000, 960] and seen == [Vehicle] * 3
    with pytest.raises(ValueError, match="map_fn: Vehicle elems must have tensor fields of rank"):
        tf.map_fn(fn, Vehicle(1, 2), fn_output_signature=tf.int32)


def test_gradients_flow_through_control_flow():
    gradcheck(lambda a: tf.map_fn(lambda r: tf.sin(r) * r, a), [X])
    gradcheck(lambda a: tf.scan(lambda acc, r: acc * r, a), [X])
    gradcheck(
        lambda a: tf.while_loop(lambda i, v: i < 3, lambda i, v: (i + 1, v * a), (0, a))[1], [X[0]]
    )


MATH = {
    "xlogy": (
        lambda a: tf.math.xlogy(
            a * tf.constant([0.0, 1.0, 2.0], dtype=a.dtype, device=a.device), a
        ),
        lambda a: a * np.array([0.0, 1.0, 2.0]) * np.log(a),
    ),
    "xdivy": (lambda a: tf.math.xdivy(a, a + 1), lambda a: a / (a + 1)),
    "xlog1py": (lambda a: tf.math.xlog1py(a, a), lambda a: a * np.log1p(a)),
    "softsign": (tf.math.softsign, lambda a: a / (1 + np.abs(a))),
    "reciprocal_no_nan": (tf.math.reciprocal_no_nan, lambda a: 1 / a),
    "scalar_mul": (lambda a: tf.math.scalar_mul(2.5, a), lambda a: 2.5 * a),
    "segment_mean": (
        lambda a: tf.math.segment_mean(a, IDS),
        lambda a: np.stack([a[:2].mean(0), np.zeros(3), a[2:].mean(0)]),
    ),
    "segment_max": (
        lambda a: tf.math.segment_max(a, [0, 0, 1, 1]),
        lambda a: np.stack([a[:2].max(0), a[2:].max(0)]),
    ),
    "segment_prod": (
        lambda a: tf.math.segment_prod(a, IDS),
        lambda a: np.stack([a[:2].prod(0), np.ones(3), a[2:].prod(0)]),
    ),
    "unsorted_segment_min": (
        lambda a: tf.math.unsorted_segment_min(a, [1, 0, 1, 0], 2),
        lambda a: np.stack([a[[1, 3]].min(0), a[[0, 2]].min(0)]),
    ),
    "unsorted_segment_mean": (
        lambda a: tf.math.unsorted_segment_mean(a, [1, 0, 1, 0], 2),
        lambda a: np.stack([a[[1, 3]].mean(0), a[[0, 2]].mean(0)]),
    ),
    "unsorted_segment_sqrt_n": (
        lambda a: tf.math.unsorted_segment_sqrt_n(a, [1, 0, 1, 1], 2),
        lambda a: np.stack([a[1], a[[0, 2, 3]].sum(0) / np.sqrt(3)]),
    ),
    "crelu": (tf.nn.crelu, lambda a: np.concatenate([np.maximum(a, 0), np.maximum(-a, 0)], -1)),
    "weighted_ce": (
        lambda a: tf.nn.weighted_cross_entropy_with_logits(a * 0 + 1, a, 2.0),
        lambda a: 2.0 * np.log1p(np.exp(-a)),
    ),
    "log_poisson_loss": (
        lambda a: tf.nn.log_poisson_loss(a * 0 + 3.0, a),
        lambda a: np.exp(a) - 3 * a,
    ),
    "batch_normalization": (
        lambda a: tf.nn.batch_normalization(a, 1.0, 4.0, 0.5, 2.0, 0.0),
        lambda a: 2 * (a - 1) / 2 + 0.5,
    ),
    "set_diag": (
        lambda a: tf.linalg.set_diag(a[:3], a[3]),
        lambda a: a[:3] - np.diag(np.diag(a[:3])) + np.diag(a[3]),
    ),
    "cross": (lambda a: tf.linalg.cross(a[:2], a[2:]), lambda a: np.cross(a[:2], a[2:])),
    "pinv": (lambda a: tf.linalg.pinv(a), lambda a: np.linalg.pinv(a)),
    "triangular_solve": (
        lambda a: tf.linalg.triangular_solve(
            a[:3] + 3 * tf.eye(3, dtype=a.dtype, device=a.device), a[:3]
        ),
        lambda a: np.linalg.solve(np.tril(a[:3] + 3 * np.eye(3)), a[:3]),
    ),
    "lstsq": (
        lambda a: tf.linalg.lstsq(a, a[:, :1]),
        lambda a: np.linalg.lstsq(a, a[:, :1], rcond=None)[0],
    ),
}


@pytest.mark.parametrize("name", sorted(MATH))
def test_more_ops_against_numpy(name, device):
    fn, ref = MATH[name]
    for dtype in ("float32", "float64"):
        out = fn(tf.constant(X.astype(dtype), device=device))
        assert out.dtype == dtype and out.device == device
        assert_close(
            out,
            ref(X.astype(dtype).astype(np.float64)),
            dtype,
            **({"rtol": 1e-4, "atol": 1e-4} if dtype == "float32" else {}),
        )


@pytest.mark.parametrize("name", sorted(MATH))
def test_more_ops_gradients(name):
    fn, _ = MATH[name]
    gradcheck(fn, [X])


def test_integer_helpers():
    seq = tf.constant([[1, 3, 5, 7], [2, 4, 6, 8]])
    np.testing.assert_array_equal(
        tf.searchsorted(seq, tf.constant([[3, 8], [1, 9]])).numpy(), [[1, 4], [0, 4]]
    )
    np.testing.assert_array_equal(
        tf.searchsorted(seq, [[3, 8], [1, 9]], side="right").numpy(), [[2, 4], [0, 4]]
    )
    np.testing.assert_array_equal(tf.truncatediv(tf.constant([7, -7]), 2).numpy(), [3, -3])
    np.testing.assert_array_equal(tf.truncatemod(tf.constant([7, -7]), 3).numpy(), [1, -1])
    np.testing.assert_array_equal(tf.math.invert_permutation([2, 0, 1]).numpy(), [1, 2, 0])
    assert bool(tf.math.is_non_decreasing([1, 1, 2])) and not bool(
        tf.math.is_strictly_increasing([1, 1, 2])
    )
    assert float(tf.math.zero_fraction(tf.constant([0.0, 1.0, 0.0, 2.0]))) == 0.5
    assert int(tf.linalg.matrix_rank(tf.constant([[1.0, 2.0], [2.0, 4.0]]))) == 1
    x = tf.reshape(tf.range(16.0), [1, 4, 4, 1])
    np.testing.assert_array_equal(
        tf.nn.depth_to_space(tf.nn.space_to_depth(x, 2), 2).numpy(), x.numpy()
    )
    assert tf.nn.space_to_depth(x, 2).shape == (1, 2, 2, 4)
    with pytest.raises(ValueError, match="invert_permutation"):
        tf.math.invert_permutation([0, 0])


def test_sorted_segment_max_min_give_zero_for_empty_segments():
    data = tf.constant([1.0, 2.0, -3.0, 4.0])
    assert tf.math.segment_max(data, [0, 0, 2, 2]).numpy().tolist() == [2.0, 0.0, 4.0]
    assert tf.math.segment_min(data, [0, 0, 2, 2]).numpy().tolist() == [1.0, 0.0, -3.0]
    # unsorted ones keep the dtype's lowest / highest for an empty segment
    assert tf.math.unsorted_segment_max(data, [0, 0, 2, 2], 3).numpy()[1] == np.finfo("f4").min


def test_unsorted_segment_ops_drop_negative_ids():
    data = tf.constant([1.0, 2.0, 3.0, 4.0, 5.0])
    ids = [1, -1, 0, 1, -1]
    assert tf.math.unsorted_segment_max(data, ids, 2).numpy().tolist() == [3.0, 4.0]
    assert tf.math.unsorted_segment_min(data, ids, 2).numpy().tolist() == [3.0, 1.0]
    assert tf.math.unsorted_segment_mean(data, ids, 2).numpy().tolist() == [3.0, 2.5]
    assert tf.math.unsorted_segment_prod(data, ids, 2).numpy().tolist() == [3.0, 4.0]
    assert_close(tf.math.unsorted_segment_sqrt_n(data, ids, 2), [3.0, 5.0 / np.sqrt(2.0)])
    with pytest.raises(tf.errors.InvalidArgumentError, match="num_segments=2"):
        tf.math.unsorted_segment_max(data, [0, 0, 2, 1, 1], 2)
    x = tf.Variable([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.math.unsorted_segment_mean(x, [0, -1, 0], 1))
    assert tape.gradient(y, x).numpy().tolist() == [0.5, 0.0, 0.5]


def test_lstsq_underdetermined_gives_the_minimum_norm_solution():
    a = R.standard_normal((2, 4))
    b = R.standard_normal((2, 1))
    assert_close(tf.linalg.lstsq(a, b), np.linalg.pinv(a) @ b, atol=1e-10)
    ridge = tf.linalg.lstsq(a, b, l2_regularizer=0.5)
    assert_close(ridge, a.T @ np.linalg.solve(a @ a.T + 0.5 * np.eye(2), b), atol=1e-10)


def test_segment_mean_and_sqrt_n_compile_with_constant_ids():
    """The per-segment counts come from host-known ids: a constant of a compiled step, so
    unsorted_segment_mean / sqrt_n (graph networks' neighbour averages) compile."""
    ids = [1, 0, 1, 1]
    w = tf.Variable([[1.0], [2.0], [3.0], [4.0]])

    @tf.function
    def step(x):
        with tf.GradientTape() as tape:
            mean = tf.math.unsorted_segment_mean(x * w, ids, 3)
            total = tf.reduce_sum(mean + tf.math.unsorted_segment_sqrt_n(x * w, ids, 3))
        return mean, tape.gradient(total, w)

    for x in ([[1.0], [1.0], [1.0], [1.0]], [[2.0], [0.5], [1.0], [3.0]]):
        mean, grad = step(tf.constant(x))
        xs = np.array(x)
        want = [(xs[1] * 2.0)[0], float(np.mean(xs[[0, 2, 3], 0] * [1.0, 3.0, 4.0])), 0.0]
        assert_close(mean.numpy()[:, 0], want)
        scale = np.array([1 / 3 + 1 / np.sqrt(3), 1 + 1, 1 / 3 + 1 / np.sqrt(3), 0])
        scale[3] = scale[0]
        assert_close(grad.numpy()[:, 0], xs[:, 0] * scale)
