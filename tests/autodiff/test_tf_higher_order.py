"""Higher-order autodiff: nested tapes give correct second derivatives for every op that
TensorFlow differentiates twice (float64 finite differences), gradient penalties train."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.autodiff.function import Function
from gpuflow.testing import gradcheck, gradgradcheck

R = np.random.default_rng(0)


def _x(shape, low=-1.0, high=1.0):
    return R.uniform(low, high, shape)


def _spd(n):
    a = R.standard_normal((n, n))
    return a @ a.T + n * np.eye(n)


def _sym(a):
    return 0.5 * (a + tf.transpose(a))


# name: (function of tensors, inputs)
CASES = {
    "multiply": (lambda a, b: a * b, [_x((2, 3)), _x((3,))]),
    "divide": (lambda a, b: a / b, [_x((2, 3)), _x((3,), 1, 2)]),
    "pow": (lambda a, b: tf.pow(a, b), [_x((4,), 0.5, 2), _x((4,), -1, 2)]),
    "maximum": (lambda a, b: tf.maximum(a, b) * a, [_x((5,)), _x((5,))]),
    "atan2": (lambda a, b: tf.math.atan2(a, b), [_x((4,)), _x((4,), 0.5, 1)]),
    "squared_difference": (lambda a, b: tf.math.squared_difference(a, b), [_x((3,)), _x((3,))]),
    "divide_no_nan": (lambda a, b: tf.math.divide_no_nan(a, b), [_x((3,)), _x((3,), 1, 2)]),
    "floormod": (lambda a, b: tf.math.floormod(a, b) * a, [_x((3,), 0.1, 0.9), _x((3,), 1.5, 2)]),
    "where": (lambda a, b: tf.where(a > 0, a * a, b * a), [_x((4,)), _x((4,))]),
    "clip_by_value": (lambda a: tf.clip_by_value(a, -0.5, 0.5) * a, [_x((6,))]),
    "reduce_sum": (lambda a: tf.reduce_sum(a * a, axis=0), [_x((3, 2))]),
    "reduce_mean": (lambda a: tf.reduce_mean(a * a, axis=1, keepdims=True), [_x((3, 2))]),
    "reduce_max": (lambda a: tf.reduce_max(a * a, axis=1), [_x((3, 4))]),
    "reduce_prod": (lambda a: tf.reduce_prod(a, axis=1), [_x((2, 3), 0.5, 1.5)]),
    "reduce_logsumexp": (lambda a: tf.reduce_logsumexp(a, axis=1), [_x((2, 3))]),
    "reduce_std": (lambda a: tf.math.reduce_std(a, axis=0), [_x((4, 2))]),
    "reduce_euclidean_norm": (lambda a: tf.math.reduce_euclidean_norm(a), [_x((3,))]),
    "cumsum": (lambda a: tf.cumsum(a * a, axis=1, exclusive=True, reverse=True), [_x((2, 3))]),
    "cumprod": (lambda a: tf.math.cumprod(a, axis=0), [_x((3, 2), 0.5, 1.5)]),
    "reshape_transpose": (lambda a: tf.transpose(tf.reshape(a * a, [3, 2])), [_x((2, 3))]),
    "concat_split": (lambda a: tf.concat(tf.split(a * a, [1, 2], axis=1)[::-1], 1), [_x((2, 3))]),
    "stack_unstack": (lambda a: tf.stack(tf.unstack(a * a)[::-1]), [_x((3, 2))]),
    "tile_broadcast": (lambda a: tf.tile(tf.broadcast_to(a * a, [2, 3]), [2, 1]), [_x((3,))]),
    "getitem": (lambda a: (a * a)[::-1, 1:, tf.newaxis], [_x((3, 3))]),
    "gather": (lambda a: tf.gather(a * a, [2, 0, 2], axis=1), [_x((2, 3))]),
    "gather_nd": (lambda a: tf.gather_nd(a * a, [[0, 1], [1, 2]]), [_x((2, 3))]),
    "scatter_update": (
        lambda a, u: tf.tensor_scatter_nd_update(a * a, [[1]], u * u),
        [_x((3, 2)), _x((1, 2))],
    ),
    "pad_reflect": (lambda a: tf.pad(a * a, [[1, 1], [2, 0]], mode="REFLECT"), [_x((3, 3))]),
    "roll_reverse": (lambda a: tf.reverse(tf.roll(a * a, 1, 0), [1]), [_x((3, 2))]),
    "sort": (lambda a: tf.sort(a * a, direction="DESCENDING"), [_x((5,))]),
    "matmul": (lambda a, b: tf.linalg.matmul(a * a, b, transpose_b=True), [_x((2, 3)), _x((4, 3))]),
    "einsum": (lambda a, b: tf.einsum("ij,jk->ik", a * a, b), [_x((2, 3)), _x((3, 2))]),
    "tensordot": (lambda a, b: tf.tensordot(a * a, b, axes=1), [_x((2, 3)), _x((3, 2))]),
    "inv": (lambda a: tf.linalg.inv(a), [_spd(3)]),
    "det": (lambda a: tf.linalg.det(a), [_spd(3)]),
    "slogdet": (lambda a: tf.linalg.slogdet(a)[1], [_spd(3)]),
    "solve": (lambda a, b: tf.linalg.solve(a, b), [_spd(3), _x((3, 2))]),
    # Symmetrized inputs: cholesky and eigh read one triangle, their gradients are symmetric.
    "cholesky": (lambda a: tf.linalg.cholesky(_sym(a)), [_spd(3)]),
    "eigh": (
        lambda a: (
            tf.linalg.eigh(_sym(a))[0] + tf.reduce_sum(tf.linalg.eigh(_sym(a))[1] ** 2 * a, 0)
        ),
        [np.diag([1.0, 2.0, 4.0]) + 0.1 * _spd(3)],
    ),
    "svd": (lambda a: tf.linalg.svd(a, compute_uv=False), [_x((2, 3))]),
    "qr": (lambda a: tf.linalg.qr(a)[1] + tf.linalg.qr(a)[0][:3] ** 3, [_x((4, 3))]),
    "trace_diag": (
        lambda a: tf.linalg.trace(a * a) * tf.linalg.diag(tf.linalg.diag_part(a)),
        [_x((3, 3))],
    ),
    "norm": (lambda a: tf.norm(a, axis=1), [_x((2, 3))]),
    "softmax": (lambda a: tf.nn.softmax(a), [_x((2, 3))]),
    "log_softmax": (lambda a: tf.nn.log_softmax(a, axis=0), [_x((2, 3))]),
    "elu_selu": (lambda a: tf.nn.elu(a) + tf.nn.selu(a), [_x((5,))]),
    "gelu": (lambda a: tf.nn.gelu(a) + tf.nn.gelu(a, approximate=True), [_x((5,))]),
    "silu_softplus": (lambda a: tf.nn.silu(a) + tf.nn.softplus(a), [_x((5,))]),
    "leaky_relu_relu6": (lambda a: (tf.nn.leaky_relu(a) + tf.nn.relu6(a * 4)) * a, [_x((5,))]),
    "softmax_ce": (
        lambda y, z: tf.nn.softmax_cross_entropy_with_logits(y, z),
        [R.dirichlet([1, 1, 1], 2), _x((2, 3))],
    ),
    "sparse_softmax_ce": (
        lambda z: tf.nn.sparse_softmax_cross_entropy_with_logits([2, 0], z),
        [_x((2, 3))],
    ),
    "sigmoid_ce": (
        lambda y, z: tf.nn.sigmoid_cross_entropy_with_logits(y, z),
        [R.uniform(0, 1, (4,)), _x((4,))],
    ),
    "dense": (
        lambda a, w, b: tf.nn.dense(a, w, b, activation="relu") ** 2,
        [_x((3, 2)), _x((2, 4)), _x((4,))],
    ),
    "conv2d": (
        lambda a, k: tf.nn.conv2d(a * a, k, strides=1, padding="SAME"),
        [_x((1, 4, 4, 2)), _x((3, 3, 2, 2))],
    ),
    "max_pool2d": (lambda a: tf.nn.max_pool2d(a * a, 2, 2, "VALID"), [_x((1, 4, 4, 1))]),
    "avg_pool2d": (lambda a: tf.nn.avg_pool2d(a * a, 2, 1, "SAME"), [_x((1, 3, 3, 1))]),
    "l2_normalize": (lambda a: tf.math.l2_normalize(a, axis=1), [_x((2, 3))]),
    "moments": (lambda a: tf.nn.moments(a, axes=[0])[1], [_x((4, 2))]),
    "segment_sum": (lambda a: tf.math.unsorted_segment_sum(a * a, [1, 0, 1], 2), [_x((3, 2))]),
    "boolean_mask": (lambda a: tf.boolean_mask(a * a, [True, False, True]), [_x((3, 2))]),
}
UNARY = {  # tf.math unary functions: name -> input range
    "exp": (-1, 1),
    "log": (0.5, 2),
    "sqrt": (0.5, 2),
    "rsqrt": (0.5, 2),
    "reciprocal": (0.5, 2),
    "square": (-1, 1),
    "log1p": (0, 1),
    "expm1": (-1, 1),
    "sin": (-1, 1),
    "cos": (-1, 1),
    "tan": (-1, 1),
    "asin": (-0.8, 0.8),
    "acos": (-0.8, 0.8),
    "atan": (-1, 1),
    "sinh": (-1, 1),
    "cosh": (-1, 1),
    "tanh": (-1, 1),
    "asinh": (-1, 1),
    "acosh": (1.2, 2),
    "atanh": (-0.8, 0.8),
    "erf": (-1, 1),
    "erfc": (-1, 1),
    "negative": (-1, 1),
    "abs": (0.2, 1),
    "sigmoid": (-2, 2),
    "softplus": (-2, 2),
    "log_sigmoid": (-2, 2),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_second_derivatives(name):
    fn, inputs = CASES[name]
    gradcheck(fn, inputs)
    gradgradcheck(fn, inputs)


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_second_derivatives(name):
    low, high = UNARY[name]
    fn = getattr(tf.math, name)
    gradgradcheck(lambda a: fn(a) * a, [R.uniform(low, high, (4,))])


def test_nested_tapes_give_the_second_derivative():
    x = tf.Variable(3.0)
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            y = x * x * x
        dy = inner.gradient(y, x)
    assert float(dy) == 27.0
    assert float(outer.gradient(dy, x)) == 18.0


def test_third_derivative_through_three_tapes():
    x = tf.constant(2.0)
    with tf.GradientTape() as t3:
        t3.watch(x)
        with tf.GradientTape() as t2:
            t2.watch(x)
            with tf.GradientTape() as t1:
                t1.watch(x)
                y = tf.sin(x)
            d1 = t1.gradient(y, x)
        d2 = t2.gradient(d1, x)
    d3 = t3.gradient(d2, x)
    np.testing.assert_allclose(d3.numpy(), -np.cos(2.0), rtol=1e-6)


def test_persistent_tape_records_its_own_gradient():
    x = tf.constant(1.5)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = tf.exp(x)
        dy = tape.gradient(y, x)
    np.testing.assert_allclose(tape.gradient(dy, x).numpy(), np.exp(1.5), rtol=1e-6)


def test_plain_gradient_builds_no_graph():
    x = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.exp(x))
    g = tape.gradient(y, x)
    assert g._node is None  # computed on raw arrays: nothing recorded


def test_gradient_penalty_trains():
    """A critic trained only on the norm of its input gradient (WGAN-GP's penalty) moves
    that norm to 1."""
    tf.random.set_seed(1)
    w1 = tf.Variable(tf.random.normal([2, 8], seed=1))
    w2 = tf.Variable(tf.random.normal([8, 1], seed=2))
    x = tf.constant(np.random.default_rng(0).standard_normal((16, 2)), dtype=tf.float32)

    def penalty():
        with tf.GradientTape() as outer:
            with tf.GradientTape() as inner:
                inner.watch(x)
                critic = tf.reduce_sum(tf.matmul(tf.tanh(tf.matmul(x, w1)), w2))
            g = inner.gradient(critic, x)
            norm = tf.sqrt(tf.reduce_sum(g * g, axis=1) + 1e-12)
            loss = tf.reduce_mean((norm - 1.0) ** 2)
        return loss, outer.gradient(loss, [w1, w2])

    first, _ = penalty()
    for _ in range(100):
        loss, (g1, g2) = penalty()
        assert g1 is not None and g2 is not None
        w1.assign_sub(0.2 * g1)
        w2.assign_sub(0.2 * g2)
    assert float(loss) < 0.1 * float(first)


class _FirstOrderOnly(Function):
    twice_differentiable = False

    def forward(self, x):
        return x * x

    def backward(self, F, g):
        return (g * 2 * F.inputs(self)[0],)


def test_not_twice_differentiable_op_says_so():
    x = tf.constant(2.0)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = _FirstOrderOnly()(x)
        dy = inner.gradient(y, x)
    assert float(dy) == 4.0  # the first derivative still works
    with pytest.raises(LookupError, match="_FirstOrderOnly is not twice differentiable"):
        outer.gradient(dy, x)


def test_second_derivative_on_every_device(device):
    x = tf.constant([0.5, 1.0], device=device)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.reduce_sum(tf.nn.dense(x[None], tf.constant([[1.0], [2.0]], device=device)) ** 3)
        g = inner.gradient(y, x)
    h = outer.gradient(g, x)
    # y = (x0 + 2 x1)^3: d/dx sum(grad) = 6 (x0 + 2 x1) * (1 + 2) * [1, 2]
    np.testing.assert_allclose(h.numpy(), 6 * 2.5 * 3 * np.array([1.0, 2.0]), rtol=1e-5)


class _ArrayOnlySquare(Function):
    """An op written the older way: ``backward(self, g)`` on arrays."""

    def forward(self, x):
        self.x = x
        return x * x

    def backward(self, g):
        return (g * 2 * self.x,)


def test_array_only_backward_gives_first_derivatives_and_a_clear_second_order_error():
    x = tf.constant([1.0, 3.0])
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.reduce_sum(_ArrayOnlySquare()(x))
        g = inner.gradient(y, x)
    np.testing.assert_array_equal(g.numpy(), [2.0, 6.0])
    with pytest.raises(LookupError, match="_ArrayOnlySquare is not twice differentiable"):
        outer.gradient(g, x)
    gradcheck(lambda a: _ArrayOnlySquare()(a), [np.array([0.5, -2.0])])


@pytest.mark.parametrize(
    "name",
    ["conv2d", "max_pool2d", "avg_pool2d", "dense", "softmax_ce", "gather", "matmul", "cumsum"],
)
def test_hessian_vector_products_agree_across_devices(name, device):
    """The recorded backward runs the device's own kernels (im2col/col2im on cuda-emu)."""
    fn, inputs = CASES[name]

    def hvp(dev):
        xs = [tf.constant(a, device=dev) for a in inputs]
        with tf.GradientTape() as outer:
            outer.watch(xs)
            with tf.GradientTape() as inner:
                inner.watch(xs)
                y = tf.reduce_sum(fn(*xs) ** 2)
            grads = inner.gradient(y, xs)
            total = tf.add_n([tf.reduce_sum(g * g) for g in grads if g is not None])
        return [g.numpy() for g in outer.gradient(total, xs) if g is not None]

    for got, want in zip(hvp(device), hvp("cpu")):
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-9)
