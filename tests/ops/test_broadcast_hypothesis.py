"""Property tests: NumPy broadcasting and shape rules, zero-size dimensions included."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip(
    "hypothesis", reason="hypothesis is not installed (pip install 'gpuflow[test]')"
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import gpuflow as gf

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
OPS = [
    (gf.add, np.add),
    (gf.subtract, np.subtract),
    (gf.multiply, np.multiply),
    (gf.maximum, np.maximum),
]


@SETTINGS
@given(
    shapes=hnp.mutually_broadcastable_shapes(
        num_shapes=2, min_dims=0, max_dims=4, min_side=0, max_side=3
    ),
    op=st.sampled_from(OPS),
    seed=st.integers(0, 2**16),
)
def test_binary_broadcasting_matches_numpy(shapes, op, seed):
    rng = np.random.default_rng(seed)
    a, b = (rng.standard_normal(s) for s in shapes.input_shapes)
    fn, npfn = op
    out = fn(gf.constant(a), gf.constant(b))
    expected = npfn(a, b)
    assert out.shape == expected.shape == shapes.result_shape
    np.testing.assert_allclose(out.numpy(), expected)


@SETTINGS
@given(
    shapes=hnp.mutually_broadcastable_shapes(
        num_shapes=2, min_dims=0, max_dims=3, min_side=0, max_side=3
    )
)
def test_gradients_have_the_input_shapes(shapes):
    """Backward undoes broadcasting: each gradient has its input's shape, summed over
    broadcast axes."""
    a = gf.constant(np.ones(shapes.input_shapes[0]))
    b = gf.constant(np.full(shapes.input_shapes[1], 2.0))
    with gf.GradientTape() as tape:
        tape.watch([a, b])
        y = gf.reduce_sum(a * b + a)
    ga, gb = tape.gradient(y, [a, b])
    assert ga.shape == a.shape and gb.shape == b.shape
    n = int(np.prod(shapes.result_shape))
    np.testing.assert_allclose(ga.numpy().sum(), 3.0 * n)
    np.testing.assert_allclose(gb.numpy().sum(), 1.0 * n)


@SETTINGS
@given(
    shapes=hnp.mutually_broadcastable_shapes(
        num_shapes=2, min_dims=1, max_dims=3, min_side=1, max_side=3
    )
)
def test_incompatible_shapes_raise(shapes):
    a_shape = shapes.input_shapes[0]
    bad = tuple(n + 1 if n > 1 else 2 for n in a_shape)  # every axis differs and none is 1
    if any(n == 1 for n in a_shape):
        return
    try:
        gf.add(gf.ones(a_shape), gf.ones(bad))
    except ValueError:
        return
    raise AssertionError(f"adding shapes {a_shape} and {bad} did not raise")


@SETTINGS
@given(shape=hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4), data=st.data())
def test_reshape_and_transpose_roundtrip(shape, data):
    x = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape)
    t = gf.constant(x)
    flat = gf.reshape(t, [-1]) if x.size else gf.reshape(t, [0])
    assert flat.shape == (x.size,)
    perm = data.draw(st.permutations(range(len(shape))))
    out = gf.transpose(t, perm)
    np.testing.assert_array_equal(out.numpy(), x.transpose(perm))
    back = gf.transpose(out, list(np.argsort(perm)))
    np.testing.assert_array_equal(back.numpy(), x)


@pytest.mark.filterwarnings("ignore:Mean of empty slice", "ignore:invalid value encountered")
@SETTINGS
@given(shape=hnp.array_shapes(min_dims=1, max_dims=4, min_side=0, max_side=4), data=st.data())
def test_reductions_match_numpy_shapes(shape, data):
    x = np.random.default_rng(0).standard_normal(shape)
    axis = data.draw(st.none() | st.integers(-len(shape), len(shape) - 1))
    keepdims = data.draw(st.booleans())
    out = gf.reduce_sum(gf.constant(x), axis=axis, keepdims=keepdims)
    expected = np.sum(x, axis=axis, keepdims=keepdims)
    assert out.shape == np.shape(expected)
    np.testing.assert_allclose(out.numpy(), expected, atol=1e-12)
    mean = gf.reduce_mean(gf.constant(x), axis=axis, keepdims=keepdims)
    assert mean.shape == np.shape(expected)


@SETTINGS
@given(shape=hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4), data=st.data())
def test_concat_and_stack_shapes(shape, data):
    axis = data.draw(st.integers(0, len(shape) - 1))
    a, b = np.zeros(shape), np.ones(shape)
    out = gf.concat([gf.constant(a), gf.constant(b)], axis)
    np.testing.assert_array_equal(out.numpy(), np.concatenate([a, b], axis))
    st_axis = data.draw(st.integers(-len(shape) - 1, len(shape)))
    stacked = gf.stack([gf.constant(a), gf.constant(b)], st_axis)
    np.testing.assert_array_equal(stacked.numpy(), np.stack([a, b], st_axis))
