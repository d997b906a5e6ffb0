"""Property tests over every op in op_table.OPS: values against NumPy, gradients against
central finite differences, on random shapes (zero-size and broadcasting included).

Profiles: the default ("ci") runs a few examples per op so the whole file stays well under
a minute on two cores; ``GPUFLOW_HYPOTHESIS=long`` runs many more.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402
from op_table import DOMAINS, OPS  # noqa: E402

import gpuflow as tf  # noqa: E402

PROFILES = {"ci": dict(max_examples=10), "long": dict(max_examples=200)}
PROFILE = os.environ.get("GPUFLOW_HYPOTHESIS", "ci")
SETTINGS = settings(
    deadline=None,
    derandomize=PROFILE == "ci",
    database=None,
    suppress_health_check=list(HealthCheck),
    **PROFILES[PROFILE],
)
GRAD_OPS = [op for op in OPS if op.grad]


def _draw(rng, shape, domain):
    low, high = DOMAINS[domain]
    x = rng.uniform(low, high, size=shape)
    if domain == "nonzero":
        x *= rng.choice([-1.0, 1.0], size=shape)
    return np.asarray(x, dtype=np.float64)


def _spread(rng, x, gap=0.05):
    """Move the values apart (no ties) so max/min have one well-defined gradient."""
    if x.size:
        x = x.copy()
        flat = x.reshape(-1)
        flat[rng.permutation(flat.size)] = np.arange(flat.size) * 0.3 - 1 + rng.uniform(0, gap)
    return x


@st.composite
def cases(draw, op):
    """(inputs, kwargs) for ``op``: shapes from 0-d to 3-d, sizes 0 to 3."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    min_side = max(op.min_side, 1 if op.nonempty else 0)
    if op.kind == "binary":
        shapes = draw(
            hnp.mutually_broadcastable_shapes(
                num_shapes=2, min_dims=0, max_dims=3, min_side=min_side, max_side=3
            )
        )
        a, b = (
            _draw(rng, shapes.input_shapes[0], op.domain),
            _draw(rng, shapes.input_shapes[1], op.domain2),
        )
        if op.distinct:
            b = np.broadcast_to(b, np.broadcast_shapes(a.shape, b.shape)).copy()
            a, b = _spread(rng, a), b + 0.15  # |a - b| never 0
        return (a, b), {}
    if op.kind == "matmul":
        batch = draw(hnp.array_shapes(min_dims=0, max_dims=2, min_side=0, max_side=2))
        n, k, m = (draw(st.integers(0, 3)) for _ in range(3))
        return (_draw(rng, batch + (n, k), op.domain), _draw(rng, batch + (k, m), op.domain)), {}
    min_dims = max(op.min_dims, 1 if op.kind == "reduce" else 0)
    shape = draw(hnp.array_shapes(min_dims=min_dims, max_dims=3, min_side=min_side, max_side=3))
    x = _draw(rng, shape, op.domain)
    if op.distinct:
        x = _spread(rng, x)
    if op.kind == "reduce":
        axis = draw(st.sampled_from([None] + list(range(-len(shape), len(shape)))))
        if op.name in ("argmax", "argmin") and axis is None:
            axis = 0
        return (x,), {"axis": axis}
    return (x,), {}


def _numpy(op, inputs, kwargs):
    with np.errstate(all="ignore"):
        return np.asarray(op.ref(*inputs, **kwargs))


@pytest.mark.parametrize("op", OPS, ids=[op.name for op in OPS])
def test_values_match_numpy(op):
    @SETTINGS
    @given(case=cases(op))
    def check(case):
        inputs, kwargs = case
        with tf.device("cpu"):
            got = op.fn(*(tf.constant(x) for x in inputs), **kwargs).numpy()
        want = _numpy(op, inputs, kwargs)
        assert got.shape == want.shape, (op.name, [x.shape for x in inputs], kwargs)
        if want.dtype.kind == "f":
            np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-9, err_msg=op.name)
        else:
            np.testing.assert_array_equal(got, want, err_msg=op.name)

    check()


def _weighted_sum(op, inputs, kwargs, weights):
    out = op.fn(*inputs, **kwargs)
    return tf.reduce_sum(out * weights)


@pytest.mark.parametrize("op", GRAD_OPS, ids=[op.name for op in GRAD_OPS])
def test_gradients_match_finite_differences(op):
    @SETTINGS
    @given(case=cases(op))
    def check(case):
        inputs, kwargs = case
        with tf.device("cpu"):
            out_shape = np.shape(_numpy(op, inputs, kwargs))
            weights = tf.constant(np.random.default_rng(1).uniform(0.5, 1.5, out_shape))
            xs = [tf.Variable(x) for x in inputs]
            with tf.GradientTape() as tape:
                loss = _weighted_sum(op, xs, kwargs, weights)
            grads = tape.gradient(loss, xs)
            h = 1e-6
            for x, g, i in zip(inputs, grads, range(len(inputs))):
                numeric = np.zeros_like(x)
                for index in np.ndindex(x.shape):
                    shifted = []
                    for sign in (1, -1):
                        moved = [np.array(v, copy=True) for v in inputs]
                        moved[i][index] += sign * h
                        value = _weighted_sum(op, [tf.constant(v) for v in moved], kwargs, weights)
                        shifted.append(float(value.numpy()))
                    numeric[index] = (shifted[0] - shifted[1]) / (2 * h)
                got = np.zeros_like(x) if g is None else np.asarray(tf.convert_to_tensor(g))
                assert got.shape == x.shape, (op.name, i, got.shape, x.shape)
                np.testing.assert_allclose(
                    got, numeric, rtol=1e-4, atol=1e-6, err_msg=f"{op.name} d/d input {i}"
                )

    check()
