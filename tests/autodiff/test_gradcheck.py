"""Finite-difference checks (float64) of every differentiable op, on every device.

Inputs stay away from kinks (abs, relu, max ties) so that central differences are valid.
"""

from __future__ import annotations

import numpy as np
import pytest
from core_helpers import DEVICES, away_from, rand

import gpuflow as gf
from gpuflow.testing import gradcheck


def _pos(shape, seed=None):
    return rand(shape, "float64", 0.5, 2.0, seed)


def _x(shape, seed=None, kinks=(0.0,)):
    return away_from(rand(shape, "float64", seed=seed), kinks)


CASES = {
    # name: (fn, inputs)
    "add_broadcast": (gf.add, [_x((3, 4), 1), _x((4,), 2)]),
    "subtract_broadcast": (gf.subtract, [_x((3, 1), 1), _x((1, 4), 2)]),
    "multiply_broadcast": (gf.multiply, [_x((2, 3, 4), 1), _x((3, 1), 2)]),
    "divide": (gf.divide, [_x((3, 4), 1), _pos((4,), 2)]),
    "pow": (gf.pow, [_pos((3, 4), 1), _x((3, 4), 2)]),
    "pow_scalar": (lambda a: a**3, [_x((3, 4), 1)]),
    "rsub_rdiv": (lambda a: (1.0 - a) + 2.0 / a, [_pos((3,), 1)]),
    "maximum": (gf.maximum, [_x((3, 4), 1), _x((3, 4), 2) + 0.05]),
    "minimum": (gf.minimum, [_x((3, 4), 1), _x((4,), 2) + 0.05]),
    "maximum_scalar": (lambda a: gf.maximum(a, 0.0), [_x((3, 4), 1)]),
    "negative": (gf.negative, [_x((3,), 1)]),
    "abs": (gf.abs, [_x((3, 4), 1)]),
    "exp": (gf.exp, [_x((3, 4), 1)]),
    "log": (gf.log, [_pos((3, 4), 1)]),
    "sqrt": (gf.sqrt, [_pos((3, 4), 1)]),
    "square": (gf.square, [_x((3, 4), 1)]),
    "where": (lambda a, b: gf.where(a > 0, a, b), [_x((3, 4), 1), _x((4,), 2)]),
    "clip_by_value": (
        lambda a: gf.clip_by_value(a, -0.5, 0.5),
        [away_from(rand((4, 5), seed=1), (-0.5, 0.5), 0.05)],
    ),
    # reductions
    "reduce_sum": (lambda a: gf.reduce_sum(a, axis=1), [_x((3, 4), 1)]),
    "reduce_sum_all": (gf.reduce_sum, [_x((2, 3, 2), 1)]),
    "reduce_mean": (lambda a: gf.reduce_mean(a, axis=[0, 2], keepdims=True), [_x((2, 3, 2), 1)]),
    "reduce_max": (lambda a: gf.reduce_max(a, axis=-1), [_x((3, 4), 1)]),
    "reduce_min_all": (gf.reduce_min, [_x((3, 4), 1)]),
    "reduce_variance": (lambda a: gf.reduce_variance(a, axis=0), [_x((4, 3), 1)]),
    "reduce_std": (lambda a: gf.reduce_std(a, axis=1), [_x((3, 4), 1)]),
    "reduce_logsumexp": (lambda a: gf.reduce_logsumexp(a, axis=1), [_x((3, 4), 1)]),
    "tensor_sum_method": (lambda a: a.sum(axis=0, keepdims=True), [_x((3, 4), 1)]),
    # shape
    "reshape": (
        lambda a: gf.reshape(a, [4, -1]) * gf.constant(np.arange(3.0), device=a.device),
        [_x((2, 6), 1)],
    ),
    "transpose": (lambda a: gf.transpose(a, [2, 0, 1]), [_x((2, 3, 4), 1)]),
    "expand_squeeze": (lambda a: gf.squeeze(gf.expand_dims(a, 1), 1) * a, [_x((3, 4), 1)]),
    "concat": (lambda a, b: gf.concat([a, b, a], axis=1), [_x((2, 3), 1), _x((2, 2), 2)]),
    "stack": (lambda a, b: gf.stack([a, b], axis=-1), [_x((2, 3), 1), _x((2, 3), 2)]),
    "tile": (lambda a: gf.tile(a, [2, 3]), [_x((2, 3), 1)]),
    "broadcast_to": (lambda a: gf.broadcast_to(a, [2, 3, 4]), [_x((3, 1), 1)]),
    "getitem_basic": (lambda a: a[1:, ::2, 0], [_x((3, 4, 2), 1)]),
    "getitem_int_ellipsis_none": (lambda a: a[..., 1][None], [_x((3, 4), 1)]),
    "getitem_advanced_repeats": (lambda a: a[np.array([0, 2, 0, 0])], [_x((3, 4), 1)]),
    "getitem_advanced_pairs": (
        lambda a: a[np.array([0, 2, 2]), np.array([1, 3, 3])],
        [_x((3, 4), 1)],
    ),
    "getitem_bool_mask": (lambda a: a[np.array([True, False, True])], [_x((3, 4), 1)]),
    "getitem_mixed": (lambda a: a[1:, [3, 0, 3]], [_x((3, 4), 1)]),
    "gather": (lambda a: gf.gather(a, [1, 1, 0], axis=1), [_x((3, 4), 1)]),
    # linalg
    "matmul": (gf.matmul, [_x((3, 4), 1), _x((4, 5), 2)]),
    "matmul_batched_broadcast": (gf.matmul, [_x((2, 3, 4), 1), _x((4, 2), 2)]),
    "matmul_transposed": (
        lambda a, b: gf.matmul(a, b, transpose_a=True, transpose_b=True),
        [_x((4, 3), 1), _x((2, 4), 2)],
    ),
    # activations
    "relu": (gf.nn.relu, [_x((3, 4), 1)]),
    "leaky_relu": (lambda a: gf.nn.leaky_relu(a, 0.1), [_x((3, 4), 1)]),
    "elu": (gf.nn.elu, [_x((3, 4), 1)]),
    "sigmoid": (gf.sigmoid, [_x((3, 4), 1)]),
    "tanh": (gf.tanh, [_x((3, 4), 1)]),
    "softplus": (gf.nn.softplus, [_x((3, 4), 1)]),
    "gelu": (gf.nn.gelu, [_x((3, 4), 1)]),
    "gelu_tanh": (lambda a: gf.nn.gelu(a, approximate=True), [_x((3, 4), 1)]),
    "softmax": (gf.nn.softmax, [_x((3, 4), 1)]),
    "softmax_axis0": (lambda a: gf.nn.softmax(a, axis=0), [_x((3, 4), 1)]),
    "log_softmax": (gf.nn.log_softmax, [_x((3, 4), 1)]),
    "log_softmax_axis0": (lambda a: gf.nn.log_softmax(a, axis=0), [_x((3, 4), 1)]),
    # cross-entropies (labels and logits)
    # labels whose rows sum to 1: TensorFlow's logits gradient (softmax - labels) is the
    # loss's derivative only there (tests/ops/test_tf_op_table_fixes.py covers the rest)
    "softmax_xent": (
        gf.nn.softmax_cross_entropy_with_logits,
        [_pos((3, 4), 3) / _pos((3, 4), 3).sum(-1, keepdims=True), _x((3, 4), 1)],
    ),
    "sparse_softmax_xent": (
        lambda a: gf.nn.sparse_softmax_cross_entropy_with_logits(
            gf.constant([0, 3, 1], device=a.device), a
        ),
        [_x((3, 4), 1)],
    ),
    "sigmoid_xent": (gf.nn.sigmoid_cross_entropy_with_logits, [_pos((3, 4), 3) / 2, _x((3, 4), 1)]),
}

# Ops that run the custom CUDA kernels on cuda/cuda-emu. The emulator starts a thread per
# CUDA thread, so finite differences there (two launches per input element) would take
# minutes: they are gradchecked on the CPU, compared with the CPU's gradients on the other
# devices, and gradchecked end to end on every device at a tiny size.
KERNEL_CASES = {
    # fused dense (x, kernel[, bias]); relu outputs kept away from 0 by the bias
    "dense": (gf.nn.dense, [_x((4, 3), 1), _x((3, 5), 2)]),
    "dense_bias": (gf.nn.dense, [_x((4, 3), 1), _x((3, 5), 2), _x((5,), 3)]),
    "dense_relu": (
        lambda x, w: gf.nn.dense(x, w, activation="relu"),
        [_x((4, 3), 1), _x((3, 5), 2)],
    ),
    "dense_bias_relu": (
        lambda x, w, b: gf.nn.dense(x, w, b, activation="relu"),
        [_x((4, 3), 1), _x((3, 5), 2), _x((5,), 3)],
    ),
    "dense_3d_input": (
        lambda x, w, b: gf.nn.dense(x, w, b),
        [_x((2, 2, 3), 1), _x((3, 2), 2), _x((2,), 3)],
    ),
}
KERNEL_CASES.update(
    {
        f"conv2d_s{s}_{p}": (
            lambda x, k, s=s, p=p: gf.nn.conv2d(x, k, strides=s, padding=p),
            [_x((2, 5, 5, 2), 1), _x((3, 3, 2, 3), 2)],
        )
        for s in (1, 2)
        for p in ("valid", "same")
    }
)
KERNEL_CASES.update(
    {
        "conv2d_bias_relu": (
            lambda x, k, b: gf.nn.conv2d(
                x, k, strides=2, padding="same", bias=b, activation="relu"
            ),
            [_x((1, 5, 4, 2), 1), _x((2, 2, 2, 2), 2), _x((2,), 3)],
        ),
    }
)
POOL_CASES = {
    "max_pool_valid": (lambda x: gf.nn.max_pool2d(x, 2, 2, "valid"), [rand((2, 4, 4, 2), seed=1)]),
    "max_pool_same_overlap": (
        lambda x: gf.nn.max_pool2d(x, 3, 2, "same"),
        [rand((1, 5, 5, 2), seed=2)],
    ),
    # disjoint windows (written in place, not added): a padded remainder, and gaps between
    # windows (stride above the window) whose cells take no gradient
    "max_pool_same_disjoint": (
        lambda x: gf.nn.max_pool2d(x, 2, 2, "same"),
        [rand((1, 5, 5, 2), seed=3)],
    ),
    "max_pool_valid_gaps": (
        lambda x: gf.nn.max_pool2d(x, 2, 3, "valid"),
        [rand((1, 7, 8, 2), seed=4)],
    ),
    "avg_pool_valid": (lambda x: gf.nn.avg_pool2d(x, 2, 2, "valid"), [rand((2, 4, 4, 2), seed=1)]),
    "avg_pool_valid_gaps": (
        lambda x: gf.nn.avg_pool2d(x, 2, 3, "valid"),
        [rand((1, 7, 8, 2), seed=4)],
    ),
    "avg_pool_same_overlap": (
        lambda x: gf.nn.avg_pool2d(x, 3, 2, "same"),
        [rand((1, 5, 5, 2), seed=2)],
    ),
}
TINY_KERNEL_CASES = {
    "dense_bias_relu": (
        lambda x, w, b: gf.nn.dense(x, w, b, activation="relu"),
        [_x((2, 2), 1), _x((2, 2), 2), _x((2,), 3)],
    ),
    "conv2d_s2_same_bias": (
        lambda x, k, b: gf.nn.conv2d(x, k, strides=2, padding="same", bias=b),
        [_x((1, 3, 3, 1), 1), _x((2, 2, 1, 1), 2), _x((1,), 3)],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradcheck(name, device):
    fn, inputs = CASES[name]
    assert gradcheck(fn, [a.copy() for a in inputs], device=device)


@pytest.mark.parametrize("name", sorted(POOL_CASES))
def test_gradcheck_pool(name, device):
    fn, inputs = POOL_CASES[name]
    assert gradcheck(fn, [a.copy() for a in inputs], device=device)


def _tape_grads(fn, inputs, device):
    tensors = [gf.constant(a, device=device) for a in inputs]
    weights = None
    with gf.GradientTape() as tape:
        tape.watch(tensors)
        out = fn(*tensors)
        weights = gf.constant(np.random.default_rng(0).standard_normal(out.shape), device=device)
        loss = gf.reduce_sum(out * weights)
    return out.numpy(), [g.numpy() for g in tape.gradient(loss, tensors)]


@pytest.mark.parametrize("name", sorted(KERNEL_CASES))
def test_gradcheck_kernel_ops(name, device):
    """Finite differences on the CPU; elsewhere the same outputs and gradients as the CPU."""
    fn, inputs = KERNEL_CASES[name]
    if device == "cpu":
        assert gradcheck(fn, [a.copy() for a in inputs], device=device)
        return
    out_cpu, grads_cpu = _tape_grads(fn, inputs, "cpu")
    out_dev, grads_dev = _tape_grads(fn, inputs, device)
    np.testing.assert_allclose(out_dev, out_cpu, rtol=1e-10, atol=1e-10)
    for g_dev, g_cpu in zip(grads_dev, grads_cpu):
        np.testing.assert_allclose(g_dev, g_cpu, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("name", sorted(TINY_KERNEL_CASES))
def test_gradcheck_kernel_ops_tiny(name, device):
    fn, inputs = TINY_KERNEL_CASES[name]
    assert gradcheck(fn, [a.copy() for a in inputs], device=device)


def test_gradcheck_to_device():
    others = [d for d in DEVICES if d != "cpu"]
    if not others:
        pytest.skip("only the cpu device is available here (no cuda-emu, no GPU)")
    target = others[0]

    def fn(a):
        moved = a.to(target)
        assert moved.device == target
        return (moved * moved).to("cpu")

    assert gradcheck(fn, [_x((3, 4), 1)], device="cpu")


def test_gradcheck_reports_a_wrong_gradient():
    from gpuflow.autodiff import Function

    class WrongSquare(Function):
        def forward(self, x):
            self.x = x
            return x * x

        def backward(self, g):
            return (g * self.x,)  # missing factor 2

    with pytest.raises(AssertionError, match="gradcheck: gradient of input 0"):
        gradcheck(lambda a: WrongSquare()(a), [_x((3,), 1)])


def test_gradcheck_cast(device):
    """Through float32 and back: a step of 1e-3 keeps float32 rounding out of the differences."""

    def fn(a):
        # both factors back in float64: tensors of two dtypes do not mix (as in TensorFlow)
        through32 = gf.cast(gf.cast(a, "float32"), "float64")
        return gf.cast(gf.cast(a, "float32") * 3.0, "float64") * through32

    assert gradcheck(fn, [_x((3, 2), 1)], eps=1e-3, atol=1e-3, rtol=1e-3, device=device)


def test_cast_to_integer_stops_the_gradient():
    x = gf.constant([1.5, 2.5], dtype="float64")
    with gf.GradientTape() as tape:
        tape.watch(x)
        y = gf.cast(gf.cast(x, "int32"), "float64") * 2.0 + x
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), [1.0, 1.0])
