"""Results that differed from TensorFlow 2.21 in a differential run of tf.* ops (the
expected values are TF's outputs for the same inputs)."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf


def test_igamma_keeps_the_broadcast_shape():
    a = tf.constant([[1.0, 2.0], [3.0, 0.5]])
    x = tf.constant([[0.5, 1.0], [2.0, 3.0]])
    for fn in (tf.math.igamma, tf.math.igammac):
        out = fn(a, x)
        assert out.shape == (2, 2)
        np.testing.assert_allclose(fn(a[:1], x).numpy()[1], fn(a[0], x[1]).numpy(), rtol=1e-6)
    np.testing.assert_allclose(
        tf.math.igamma(a, x).numpy(), [[0.39346934, 0.26424112], [0.32332358, 0.9856941]]
    )
    a64, x64 = tf.constant([[1.0, 2.0]], tf.float64), tf.constant([[0.5], [2.0]], tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(x64)
        y = tf.reduce_sum(tf.math.igamma(a64, x64))
    assert tape.gradient(y, x64).shape == (2, 1)


def test_integer_segment_mean_keeps_dtype_and_truncates():
    out = tf.math.segment_mean(tf.constant([-1, -2, 3, 4, 7]), tf.constant([0, 0, 1, 1, 3]))
    assert out.dtype == tf.int32
    np.testing.assert_array_equal(out.numpy(), [-1, 3, 0, 7])
    out64 = tf.math.segment_mean(tf.constant([1, 2], tf.int64), tf.constant([0, 0]))
    assert out64.dtype == tf.int64 and out64.numpy().tolist() == [1]
    # the unsorted one divides with / (float64 for int32), as TensorFlow
    assert tf.math.unsorted_segment_mean(tf.constant([1, 2]), [0, 0], 1).dtype == tf.float64


@pytest.mark.parametrize(
    "fn, expected",
    [
        (tf.math.unsorted_segment_sum, [1.0, 9.0, 0.0]),
        (tf.math.unsorted_segment_mean, [1.0, 3.0, 0.0]),
        (tf.math.unsorted_segment_max, [1.0, 4.0, np.finfo(np.float32).min]),
        (tf.math.unsorted_segment_min, [1.0, 2.0, np.finfo(np.float32).max]),
        (tf.math.unsorted_segment_prod, [1.0, 24.0, 1.0]),
        (tf.math.unsorted_segment_sqrt_n, [1.0, 9 / np.sqrt(3), 0.0]),
    ],
)
def test_unsorted_segments_take_ids_shaped_as_a_prefix_of_data(fn, expected):
    data = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    out = fn(data, tf.constant([[0, 1], [1, 1]]), 3)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-6)
    rows = fn(tf.reshape(tf.range(12.0), [2, 2, 3]), tf.constant([[0, 1], [1, -1]]), 2)
    assert rows.shape == (2, 3)


def test_matrix_norm_ord_2_is_the_largest_singular_value():
    x = np.array([[[3.0, -4.0, 1.0], [1.0, 2.0, -2.0]], [[0.0, 1.0, 5.0], [2.0, 2.0, 2.0]]])
    expected = np.linalg.norm(x, ord=2, axis=(-2, -1))
    np.testing.assert_allclose(tf.norm(x, ord=2, axis=[-2, -1]).numpy(), expected)
    kept = tf.norm(x, ord=2, axis=[-2, -1], keepdims=True)
    assert kept.shape == (2, 1, 1)
    np.testing.assert_allclose(
        tf.norm(x, ord=2, axis=[0, 2]).numpy(),
        np.linalg.norm(x.transpose(1, 0, 2), ord=2, axis=(-2, -1)),
    )
    t = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(t)
        y = tf.reduce_sum(tf.norm(t, ord=2, axis=[-2, -1]))
    u, _, vt = np.linalg.svd(x)
    np.testing.assert_allclose(
        tape.gradient(y, t).numpy(), u[..., :, :1] @ vt[..., :1, :], rtol=1e-6, atol=1e-9
    )


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(ord="fro"), "supported vector norm.*axis=\\[-2, -1\\]"),
        (dict(ord=0), "supported vector norm"),
        (dict(ord=3, axis=[0, 1]), "supported matrix norm"),
        (dict(axis=[0, 0]), "2 unique integers"),
        (dict(axis=(0, 1, 1)), "2 unique integers"),
    ],
)
def test_norm_refuses_unsupported_ord_and_axis_with_valueerror(kwargs, message):
    # TF 2.21 raises ValueError for each of these before computing anything
    with pytest.raises(ValueError, match=message):
        tf.norm(tf.constant([[4.0, 1.0], [1.0, 3.0]]), **kwargs)


def test_empty_list_converts_to_an_integer_tensor():
    for dt in (tf.int32, tf.int64, tf.uint8, tf.bool):
        t = tf.constant([], dt)
        assert t.dtype == dt and t.shape == (0,)
    assert tf.constant([[]], tf.int64).shape == (1, 0)
    assert tf.math.bincount(tf.constant([], tf.int32)).numpy().tolist() == []
    with pytest.raises(TypeError):
        tf.constant([1.5], tf.int32)  # values still do not narrow silently


def test_a_list_index_is_a_tuple_index_as_in_tensorflow():
    t = tf.reshape(tf.range(60), [3, 4, 5])
    np.testing.assert_array_equal(t[[0, 2]].numpy(), t[0, 2].numpy())
    assert t[[0, 2]].shape == (5,)
    assert t[[slice(0, 2), 1]].shape == (2, 5)
    assert t[[0]].shape == (4, 5)
    x = tf.constant(np.arange(12.0).reshape(3, 4))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x[[1, 2]] * 3.0
    g = tape.gradient(y, x).numpy()
    assert g[1, 2] == 3.0 and g.sum() == 3.0


def test_integer_reduce_mean_rounds_toward_zero():
    assert tf.reduce_mean(tf.constant([-1, -2])).numpy() == -1
    out = tf.reduce_mean(tf.constant([[-7, 0], [5, 2]], tf.int64), axis=1)
    assert out.dtype == tf.int64 and out.numpy().tolist() == [-3, 3]
    assert tf.reduce_mean(tf.constant([200, 200], tf.uint8)).numpy() == 200


def test_unique_keeps_each_nan_apart():
    y, idx = tf.unique(tf.constant([4.0, 1.0, np.nan, 4.0, np.nan]))
    np.testing.assert_array_equal(y.numpy(), [4.0, 1.0, np.nan, np.nan])
    assert idx.numpy().tolist() == [0, 1, 2, 0, 3]
    assert tf.unique_with_counts(tf.constant([np.nan, np.nan])).count.numpy().tolist() == [1, 1]


@pytest.mark.parametrize(
    "call",
    [
        lambda: tf.math.floor(tf.constant([1, 2])),
        lambda: tf.math.rint(tf.constant([1, 2])),
        lambda: tf.math.reciprocal(tf.constant([1, 2])),
        lambda: tf.nn.softmax(tf.constant([1, 2])),
        lambda: tf.gather(tf.constant([1, 2, 3]), tf.constant([1.0])),
    ],
)
def test_a_dtype_without_kernel_is_tfs_invalid_argument_error(call):
    with pytest.raises(tf.errors.InvalidArgumentError, match="expected a float|integers"):
        call()
    with pytest.raises(TypeError):  # still a TypeError, as gpuflow's other dtype errors
        call()


def test_linspace_of_integer_starts_is_float64():
    assert tf.linspace(0, 10, 4).dtype == tf.float64
    assert tf.linspace(tf.constant(0), tf.constant(10), 4).dtype == tf.float64
    assert tf.linspace([0, 1], [10, 11], 3).dtype == tf.float64
    np.testing.assert_allclose(tf.linspace(0, 10, 4).numpy(), np.linspace(0, 10, 4))
    assert tf.linspace(0.0, 10, 3).dtype == tf.float32
    assert tf.linspace(0, 1, 3, dtype=tf.float32).dtype == tf.float32


@pytest.mark.parametrize(
    "equation, shapes",
    [
        ("ii->i", [(3, 3)]),
        ("ii", [(3, 3)]),
        ("iji->ij", [(2, 3, 2)]),
        ("ii,ij->j", [(3, 3), (3, 4)]),
        ("bii->b", [(2, 3, 3)]),
    ],
)
def test_einsum_gradient_of_a_repeated_index(equation, shapes):
    from gpuflow.testing import gradcheck

    rng = np.random.default_rng(0)
    xs = [tf.constant(rng.standard_normal(s)) for s in shapes]
    assert gradcheck(lambda *a: tf.einsum(equation, *a), xs)
    with tf.GradientTape() as tape:
        tape.watch(xs[0])
        y = tf.reduce_sum(tf.einsum(equation, *xs))
    g = tape.gradient(y, xs[0]).numpy()
    off = ~np.eye(shapes[0][-1], dtype=bool) if equation in ("ii->i", "ii") else None
    if off is not None:
        assert (g[off] == 0).all() and (np.diag(g) == 1).all()


def test_softmax_cross_entropy_along_another_axis():
    labels = np.array([[0.1, 0.9], [1.0, 0.0], [0.0, 0.0]], np.float32)
    logits = np.array([[-2.0, 3.0], [0.1, 1.0], [1.0, 1.0]], np.float32)
    out = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits, axis=0)
    expected = tf.nn.softmax_cross_entropy_with_logits(labels=labels.T, logits=logits.T)
    assert out.shape == (2,)
    np.testing.assert_allclose(out.numpy(), expected.numpy(), rtol=1e-6)
    np.testing.assert_allclose(out.numpy(), [1.6135317, 0.21559034], rtol=1e-6)  # TF 2.21
    with pytest.raises(tf.errors.InvalidArgumentError, match="axis 2"):
        tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits, axis=2)


def test_selu_and_elu_slopes_at_zero_are_tfs():
    x = tf.constant([0.0, -1.0, 1.0], tf.float64)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        selu, elu = tf.nn.selu(x), tf.nn.elu(x)
    scale, alpha = 1.0507009873554805, 1.6732632423543772
    np.testing.assert_allclose(
        tape.gradient(selu, x).numpy(), [scale, scale * alpha * np.exp(-1), scale]
    )
    np.testing.assert_allclose(tape.gradient(elu, x).numpy(), [1.0, np.exp(-1), 1.0])


@pytest.mark.parametrize(
    "pixel, expected",
    [  # TF 2.21's gradient of sum(rgb_to_hsv) for pixels with tied channels
        ([0.4, 0.4, 0.1], [1.0694444, 0.5555556, -2.5]),
        ([0.4, 0.4, 0.4], [3.5, 0.0, -2.5]),
        ([0.1, 0.1, 0.4], [0.5555556, -3.0555556, 1.625]),
    ],
)
def test_rgb_to_hsv_gradient_gives_a_tie_to_one_channel(pixel, expected):
    x = tf.constant([[pixel]], tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(tf.image.rgb_to_hsv(x))
    np.testing.assert_allclose(tape.gradient(y, x).numpy()[0, 0], expected, rtol=1e-5)


@pytest.mark.parametrize("kind", ["avg", "max"])
def test_rank_dispatching_pools(kind):
    rng = np.random.default_rng(0)
    pool = getattr(tf.nn, f"{kind}_pool")
    x1 = tf.constant(rng.standard_normal((1, 7, 2)), tf.float32)
    np.testing.assert_allclose(
        pool(x1, 4, 3, "SAME").numpy(), getattr(tf.nn, f"{kind}_pool1d")(x1, 4, 3, "SAME").numpy()
    )
    x2 = tf.constant(rng.standard_normal((1, 6, 6, 2)), tf.float32)
    np.testing.assert_allclose(
        pool(x2, 3, 2, "SAME").numpy(), getattr(tf.nn, f"{kind}_pool2d")(x2, 3, 2, "SAME").numpy()
    )
    x3 = tf.constant(rng.standard_normal((1, 4, 4, 4, 1)), tf.float32)
    assert pool(x3, 2, 2, "VALID").shape == (1, 2, 2, 2, 1)
    with pytest.raises(tf.errors.InvalidArgumentError, match="rank 3, 4 or 5"):
        pool(tf.ones([2, 3]), 2, 2, "VALID")


def test_conv2d_transpose_with_explicit_padding():
    rng = np.random.default_rng(0)
    x = tf.constant(rng.standard_normal((1, 4, 4, 3)))
    k = tf.constant(rng.standard_normal((3, 3, 2, 3)))
    pads = [[0, 0], [1, 0], [1, 2], [0, 0]]
    out = tf.nn.conv2d_transpose(x, k, [1, 8, 7, 2], 2, pads)
    assert out.shape == (1, 8, 7, 2)
    # the adjoint of conv2d with the same explicit padding: <conv2d(y), x> == <y, conv2d_T(x)>
    y = tf.constant(rng.standard_normal((1, 8, 7, 2)))
    lhs = tf.reduce_sum(tf.nn.conv2d(y, k, 2, pads) * x)
    np.testing.assert_allclose(lhs.numpy(), tf.reduce_sum(y * out).numpy(), rtol=1e-10)
    with pytest.raises(tf.errors.InvalidArgumentError, match="does not map back"):
        tf.nn.conv2d_transpose(x, k, [1, 11, 7, 2], 2, pads)


def test_embedding_lookup_of_div_sharded_params():
    shards = [np.arange(9.0).reshape(3, 3), np.arange(9.0, 15.0).reshape(2, 3)]
    whole = np.concatenate(shards)
    out = tf.nn.embedding_lookup(shards, [[4, 0], [2, 3]])
    np.testing.assert_array_equal(out.numpy(), whole[[[4, 0], [2, 3]]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="'div' strategy"):
        tf.nn.embedding_lookup([np.ones((1, 3)), np.ones((3, 3))], [0])
    # max_norm clips each embedding over all its axes (rank-3 params)
    p = tf.constant(np.arange(24.0).reshape(4, 3, 2))
    clipped = tf.nn.embedding_lookup(p, [3], max_norm=1.0).numpy()
    np.testing.assert_allclose(np.linalg.norm(clipped[0]), 1.0)


def test_relu6_of_integers_and_leaky_relu_of_integers():
    out = tf.nn.relu6(tf.constant([-1, 3, 8]))
    assert out.dtype == tf.int32 and out.numpy().tolist() == [0, 3, 6]
    assert tf.nn.relu6(tf.constant([-1, 9], tf.int64)).numpy().tolist() == [0, 6]
    leaky = tf.nn.leaky_relu(tf.constant([-1, 3]))
    assert leaky.dtype == tf.float32
    np.testing.assert_allclose(leaky.numpy(), [-0.2, 3.0])


def test_ops_return_tfs_named_tuples():
    s = tf.linalg.slogdet(tf.constant([[2.0, 0.0], [0.0, -3.0]]))
    assert s.sign.numpy() == -1 and np.isclose(s.log_abs_determinant.numpy(), np.log(6))
    q = tf.linalg.qr(tf.constant([[2.0, 1.0], [1.0, 2.0], [0.0, 1.0]]))
    np.testing.assert_allclose((q.q @ q.r).numpy(), [[2, 1], [1, 2], [0, 1]], atol=1e-6)
    wide = tf.linalg.qr(tf.constant([[2.0, 1.0, 0.0], [1.0, 2.0, 1.0]]))
    assert wide.r.shape == (2, 3)
    lu = tf.linalg.lu(tf.constant([[1.0, 2.0], [3.0, 4.0]]))
    assert lu.p.numpy().tolist() == [1, 0] and lu.lu.shape == (2, 2)
    iso = tf.nn.isotonic_regression(tf.constant([[3.0, 1.0, 2.0]]))
    np.testing.assert_allclose(iso.output.numpy(), [[3.0, 1.5, 1.5]])
    assert iso.segments.numpy().tolist() == [[0, 1, 1]]
    pooled = tf.nn.max_pool_with_argmax(tf.reshape(tf.range(16.0), [1, 4, 4, 1]), 2, 2, "VALID")
    assert pooled.argmax.numpy().ravel().tolist() == [5, 7, 13, 15]
    assert pooled.output.numpy().ravel().tolist() == [5.0, 7.0, 13.0, 15.0]
    sign, logabs = s  # still plain tuples to unpack
    assert sign is s.sign and logabs is s.log_abs_determinant


def test_searchsorted_places_nan_as_tf():
    s, v = tf.constant([1.0, 2.0, 3.0]), tf.constant([np.nan, -np.inf, np.inf, 2.0])
    assert tf.searchsorted(s, v).numpy().tolist() == [0, 0, 3, 1]
    assert tf.searchsorted(s, v, side="right").numpy().tolist() == [3, 0, 3, 2]


def test_matrix_ops_of_integers_raise_invalid_argument():
    with pytest.raises(tf.errors.InvalidArgumentError, match="det: expected a float"):
        tf.linalg.det(tf.constant([[1, 2], [3, 4]]))


@pytest.mark.parametrize(
    "values, amax, amin",
    [  # TF 2.21's results
        ([1.0, np.nan, 3.0], 2, 0),
        ([np.nan, 1.0, 2.0], 2, 1),
        ([3.0, np.nan, 1.0], 0, 2),
        ([np.nan, np.nan], 0, 0),
        ([-np.inf, np.nan], 0, 0),
    ],
)
def test_argmax_and_argmin_skip_nan(values, amax, amin):
    assert tf.math.argmax(tf.constant(values)).numpy() == amax
    assert tf.math.argmin(tf.constant(values)).numpy() == amin


def test_range_stepping_away_from_the_limit_raises():
    for args in [(1, 0, 1), (0, 1, -1), (1.0, 0.5, 0.1)]:
        with pytest.raises(tf.errors.InvalidArgumentError, match="range: requires start"):
            tf.range(*args)
    assert tf.range(1, 1, 1).shape == (0,)
    assert tf.range(5, 0, -2).numpy().tolist() == [5, 3, 1]


def test_histogram_of_nan_names_the_op():
    with pytest.raises(tf.errors.InvalidArgumentError, match="histogram_fixed_width: .*NaN"):
        tf.histogram_fixed_width(tf.constant([np.nan, 0.5]), [0.0, 2.0], nbins=2)


def test_euclidean_norm_of_integers_keeps_the_dtype():
    out = tf.math.reduce_euclidean_norm(tf.constant([[3, 4], [1, 1], [-3, -4]]), axis=1)
    assert out.dtype == tf.int32 and out.numpy().tolist() == [5, 1, 5]
    rows = tf.math.reduce_euclidean_norm(tf.constant([[1, 2, 3], [4, 5, 7]]), 1)
    assert rows.numpy().tolist() == [3, 9]
    assert tf.math.reduce_euclidean_norm(tf.constant([200, 200], tf.uint8)).numpy() == 11  # TF


def test_dropout_of_integers_raises_instead_of_zeroing():
    with pytest.raises(ValueError, match="dropout: x must be a floating point tensor"):
        tf.nn.dropout(tf.ones([3], tf.int32), 0.5)


def test_reduction_over_a_duplicate_axis_names_the_op():
    for axis in ([1, 1], [1, -1]):
        with pytest.raises(tf.errors.InvalidArgumentError, match="reduce_sum: .*duplicate"):
            tf.reduce_sum(tf.ones([2, 3]), axis=axis)


def test_a_list_index_gathers_under_numpy_behaviour():
    from gpuflow.dtypes import numpy_behavior

    t = tf.reshape(tf.range(12), [3, 4])
    enabled = numpy_behavior.enabled
    numpy_behavior.enabled = True  # what tnp.experimental_enable_numpy_behavior switches on
    try:
        np.testing.assert_array_equal(t[[0, 2]].numpy(), np.arange(12).reshape(3, 4)[[0, 2]])
    finally:
        numpy_behavior.enabled = enabled
