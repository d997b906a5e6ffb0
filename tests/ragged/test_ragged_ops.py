"""Ragged math, broadcasting, reductions, concat/stack, boolean_mask, gradients."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.testing import gradcheck

ROWS = [[1.0, 2.0, 3.0], [], [4.0, 5.0], [6.0]]


def _rt(device, rows=ROWS):
    with tf.device(device):
        return tf.ragged.constant(rows)


def _rows_apply(fn, rows):
    return [[fn(v) for v in r] for r in rows]


def test_elementwise_with_scalars_ragged_and_dense(device):
    rt = _rt(device)
    assert (rt + 1).to_list() == _rows_apply(lambda v: v + 1, ROWS)
    assert (2 * rt).to_list() == _rows_apply(lambda v: 2 * v, ROWS)
    assert (rt - rt).to_list() == _rows_apply(lambda v: 0.0, ROWS)
    assert (rt * rt).to_list() == _rows_apply(lambda v: v * v, ROWS)
    assert (-rt).to_list() == _rows_apply(lambda v: -v, ROWS)
    assert (1.0 / rt).to_list() == _rows_apply(lambda v: np.float32(1.0) / np.float32(v), ROWS)
    assert (rt > 2.5).to_list() == _rows_apply(lambda v: v > 2.5, ROWS)
    with tf.device(device):
        per_row = tf.constant([[10.0], [20.0], [30.0], [40.0]])
    out = rt + per_row
    assert out.to_list() == [[11.0, 12.0, 13.0], [], [34.0, 35.0], [46.0]]
    assert out.flat_values.device == device
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"cannot broadcast .* \(2, 2\)"):
        rt + tf.ones([2, 2])
    with pytest.raises(tf.errors.InvalidArgumentError, match="different row lengths"):
        rt + tf.ragged.constant([[1.0], [], [4.0, 5.0], [6.0, 7.0]])


def test_inner_uniform_axis_broadcast(device):
    with tf.device(device):
        rt = tf.ragged.constant([[[1.0, 2.0]], [[3.0, 4.0], [5.0, 6.0]]], ragged_rank=1)
        out = rt * tf.constant([10.0, 100.0])
    assert out.to_list() == [[[10.0, 200.0]], [[30.0, 400.0], [50.0, 600.0]]]


def test_map_flat_values(device):
    rt = _rt(device)
    assert tf.ragged.map_flat_values(tf.square, rt).to_list() == _rows_apply(lambda v: v * v, ROWS)
    both = tf.ragged.map_flat_values(tf.add, rt, rt)
    assert both.to_list() == _rows_apply(lambda v: 2 * v, ROWS)
    cast = tf.ragged.map_flat_values(tf.cast, rt, tf.int32)
    assert cast.dtype == np.int32
    with pytest.raises(tf.errors.InvalidArgumentError, match="one row per flat value"):
        tf.ragged.map_flat_values(tf.reduce_sum, rt)


def _np_rows(fn, rows, empty):
    return np.array([fn(r) if r else empty for r in rows], dtype=np.float32)


@pytest.mark.parametrize(
    "name, fn, empty",
    [
        ("sum", np.sum, 0.0),
        ("mean", np.mean, np.nan),
        ("max", np.max, np.finfo(np.float32).min),
        ("min", np.min, np.finfo(np.float32).max),
    ],
)
def test_reduce_along_ragged_axis(device, name, fn, empty):
    rt = _rt(device)
    out = getattr(tf, f"reduce_{name}")(rt, axis=1)
    np.testing.assert_allclose(out.numpy(), _np_rows(fn, ROWS, empty), rtol=1e-6)
    kept = getattr(tf, f"reduce_{name}")(rt, axis=1, keepdims=True)
    assert kept.shape == (4, 1)
    flat = np.concatenate([np.asarray(r) for r in ROWS])
    np.testing.assert_allclose(float(getattr(tf, f"reduce_{name}")(rt)), fn(flat), rtol=1e-6)


def test_reduce_axis0_and_inner_axes(device):
    rt = _rt(device)
    np.testing.assert_allclose(tf.reduce_sum(rt, axis=0).numpy(), [1 + 4 + 6, 2 + 5, 3])
    np.testing.assert_allclose(tf.reduce_max(rt, axis=0).numpy(), [6, 5, 3])
    with tf.device(device):
        r3 = tf.ragged.constant([[[1.0, 2.0], [3.0]], [[4.0]], []])
        inner = tf.ragged.constant([[[1.0, 2.0]], [[3.0, 4.0], [5.0, 6.0]]], ragged_rank=1)
    assert tf.reduce_sum(r3, axis=2).to_list() == [[3.0, 3.0], [4.0], []]
    assert tf.reduce_sum(inner, axis=2).to_list() == [[3.0], [7.0, 11.0]]
    np.testing.assert_allclose(tf.reduce_mean(inner, axis=1).numpy(), [[1, 2], [4, 5]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="axis 3 is out of range"):
        tf.reduce_sum(r3, axis=3)
    with pytest.raises(
        tf.errors.UnimplementedError, match="axis 1 of a RaggedTensor with ragged_rank 2"
    ):
        tf.reduce_sum(r3, axis=1)


def test_concat_and_stack(device):
    a = _rt(device)
    b = _rt(device, [[7.0], [8.0, 9.0], [], []])
    assert tf.concat([a, b], axis=0).to_list() == ROWS + [[7.0], [8.0, 9.0], [], []]
    assert tf.concat([a, b], axis=1).to_list() == [
        [1.0, 2.0, 3.0, 7.0],
        [8.0, 9.0],
        [4.0, 5.0],
        [6.0],
    ]
    stacked = tf.stack([a, b], axis=0)
    assert stacked.shape.as_list() == [2, None, None]
    assert stacked.to_list() == [ROWS, [[7.0], [8.0, 9.0], [], []]]
    assert tf.stack([a, b], axis=1).to_list() == [
        [r1, r2] for r1, r2 in zip(ROWS, [[7.0], [8.0, 9.0], [], []])
    ]
    with tf.device(device):
        mixed = tf.concat([a, tf.constant([[0.0, 1.0]])], axis=0)
    assert mixed.to_list() == ROWS + [[0.0, 1.0]]
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"row counts differ: \[4, 1\]"):
        tf.concat([a, tf.ragged.constant([[1.0]])], axis=1)


def test_boolean_mask(device):
    with tf.device(device):
        data = tf.constant([[1, 2, 3], [4, 5, 6]])
        mask = tf.constant([[True, False, True], [False, False, True]])
        out = tf.ragged.boolean_mask(data, mask)
        rows = tf.ragged.boolean_mask(data, tf.constant([False, True]))
        rt = tf.ragged.constant([[1, 2], [3], [4, 5, 6]])
        rmask = tf.ragged.constant([[True, False], [False], [True, True, False]])
    assert isinstance(out, tf.RaggedTensor) and out.to_list() == [[1, 3], [6]]
    np.testing.assert_array_equal(rows.numpy(), [[4, 5, 6]])
    assert tf.ragged.boolean_mask(rt, rmask).to_list() == [[1], [], [4, 5]]
    assert tf.ragged.boolean_mask(rt, tf.constant([True, False, True])).to_list() == [
        [1, 2],
        [4, 5, 6],
    ]
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"mask shape \(3,\)"):
        tf.ragged.boolean_mask(data, tf.constant([True, False, True]))


def test_gradients_reach_flat_values(device):
    rng = np.random.default_rng(0)
    flat = rng.normal(size=6)
    lengths = [3, 0, 2, 1]

    def fn(values):
        rt = tf.RaggedTensor.from_row_lengths(values, lengths)
        dense = (rt * 2.0 + 1.0).to_tensor(default_value=0.5)
        return tf.concat(
            [
                tf.reshape(dense, [-1]),
                tf.reduce_sum(rt, axis=1),
                tf.reduce_max(rt, axis=1)[:1],
                tf.reduce_sum(rt[1:, :1], axis=1),
                tf.reduce_sum(tf.concat([rt, rt], axis=1), axis=1),
            ],
            0,
        )

    with tf.device(device):
        assert gradcheck(fn, [flat], device=device)


def test_gradient_of_ragged_mean_matches_numpy(device):
    with tf.device(device):
        values = tf.constant([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
        with tf.GradientTape() as tape:
            tape.watch(values)
            rt = tf.RaggedTensor.from_row_lengths(values, [3, 1, 2])
            loss = tf.reduce_sum(tf.reduce_mean(rt, axis=1))
    np.testing.assert_allclose(
        tape.gradient(loss, values).numpy(), [1 / 3, 1 / 3, 1 / 3, 1.0, 0.5, 0.5], rtol=1e-6
    )


def test_ragged_stack_of_dense_rows(device):
    with tf.device(device):
        rows = [tf.constant([1.0, 2.0]), tf.constant([3.0]), tf.constant([], tf.float32)]
        out = tf.ragged.stack(rows)
        pairs = tf.ragged.stack([tf.ones([2, 3]), tf.zeros([1, 3])])
        batch = tf.ragged.stack_rows([tf.ones([2, 3]), tf.zeros([1, 3])])
    assert out.to_list() == [[1.0, 2.0], [3.0], []] and out.flat_values.device == device
    assert pairs.shape.as_list() == [2, None, None]  # as TensorFlow: every axis ragged
    assert pairs.to_list() == [[[1.0] * 3] * 2, [[0.0] * 3]]
    assert batch.shape.as_list() == [2, None, 3] and batch.ragged_rank == 1
    assert tf.ragged.stack([out, out]).shape.as_list() == [2, None, None]
    with pytest.raises(tf.errors.InvalidArgumentError, match="differ beyond their first axis"):
        tf.ragged.stack_rows([tf.ones([2, 3]), tf.ones([2, 2])])


def test_ragged_range_dtype_follows_tensorflow():
    # Python ints give int32 (not NumPy's int64); the widest of starts/limits/deltas wins
    rt = tf.ragged.range([1, 3], [3, 4])
    assert rt.dtype == tf.int32 and rt.to_list() == [[1, 2], [3]]
    assert tf.ragged.range(3).dtype == tf.int32
    assert tf.ragged.range(tf.constant([2], tf.int64)).dtype == tf.int64
    assert tf.ragged.range([1.0], [3]).dtype == tf.float32
    assert tf.ragged.range([2], dtype=tf.float64).to_list() == [[0.0, 1.0]]
