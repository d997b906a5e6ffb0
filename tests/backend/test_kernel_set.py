"""The KernelSet protocol: every device implements all of it, each implementation agrees
with the NumPy float64 references, and the ops reach a device only through it."""

from __future__ import annotations

import inspect

import kernel_reference as ref
import numpy as np
import pytest

import gpuflow as gf
from gpuflow.backend import get_device
from gpuflow.backend.cpu import CpuDevice
from gpuflow.backend.cpu_kernels import CpuKernels
from gpuflow.backend.geometry import WindowGeometry
from gpuflow.backend.kernel_set import KernelSet

PROTOCOL = sorted(
    name
    for name, fn in vars(KernelSet).items()
    if inspect.isfunction(fn) and not name.startswith("_")
)
TOL = {"float32": dict(rtol=1e-4, atol=1e-4), "float64": dict(rtol=1e-10, atol=1e-10)}


def test_protocol_lists_the_fused_ops():
    for name in (
        "matmul",
        "dense_forward",
        "dense_backward",
        "im2col",
        "col2im",
        "conv2d_forward",
        "conv2d_backward",
        "int8_matmul",
        "int8_dense",
    ):
        assert name in PROTOCOL


def test_every_device_implements_the_whole_protocol(device):
    kernels = get_device(device).kernels
    assert isinstance(kernels, KernelSet)
    missing = [
        name for name in PROTOCOL if getattr(type(kernels), name) is getattr(KernelSet, name)
    ]
    assert not missing, f"{device}: {type(kernels).__name__} does not implement {missing}"


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("relu", [False, True])
def test_dense_against_reference(device, dtype, relu):
    dev = get_device(device)
    rng = np.random.default_rng(0)
    x, w, b, g = (rng.standard_normal(s).astype(dtype) for s in ((5, 7), (7, 3), (3,), (5, 3)))
    out = dev.kernels.dense_forward(dev.asarray(x), dev.asarray(w), dev.asarray(b), relu)
    want = ref.dense_forward(x, w, b, relu)
    np.testing.assert_allclose(dev.to_host(out), want, **TOL[dtype])
    dx, dw, db = dev.kernels.dense_backward(
        dev.asarray(x), dev.asarray(w), out, dev.asarray(g), relu
    )
    for got, expected in zip((dx, dw, db), ref.dense_backward(x, w, want, g, relu)):
        np.testing.assert_allclose(dev.to_host(got), expected, **TOL[dtype])
    dx, _, db = dev.kernels.dense_backward(
        dev.asarray(x), dev.asarray(w), out, dev.asarray(g), relu, need_dx=False, need_db=False
    )
    assert dx is None and db is None


@pytest.mark.parametrize(
    "case",
    [(2, 7, 9, 3, 3, 3, 1, "same"), (1, 8, 11, 2, 3, 2, 2, "same"), (2, 9, 9, 1, 3, 3, 2, "valid")],
    ids=str,
)
def test_im2col_col2im_and_conv_against_reference(device, case):
    dev = get_device(device)
    n, h, w, c, kh, kw, s, padding = case
    geo = WindowGeometry((n, h, w, c), kh, kw, s, s, padding)
    numbers = (kh, kw, s, s, geo.pt, geo.pl, geo.oh, geo.ow)
    rng = np.random.default_rng(1)
    x = rng.standard_normal((n, h, w, c))
    cols = dev.to_host(dev.kernels.im2col(dev.asarray(x), *numbers))
    np.testing.assert_array_equal(cols, ref.im2col(x, *numbers))
    dcols = rng.standard_normal(cols.shape)
    dx = dev.to_host(dev.kernels.col2im(dev.asarray(dcols), x.shape, *numbers))
    np.testing.assert_allclose(dx, ref.col2im(dcols, x.shape, *numbers), **TOL["float64"])

    kernel, bias = rng.standard_normal((kh, kw, c, 4)), rng.standard_normal(4)
    y, saved = dev.kernels.conv2d_forward(
        dev.asarray(x), dev.asarray(kernel), dev.asarray(bias), True, geo
    )
    pre = ref.conv2d_direct(x, kernel, s, s, geo.pt, geo.pl, geo.oh, geo.ow) + bias
    np.testing.assert_allclose(dev.to_host(y), np.maximum(pre, 0), **TOL["float64"])
    g = rng.standard_normal(pre.shape)
    dx, dk, db = dev.kernels.conv2d_backward(saved, dev.asarray(g))
    gm = g * (pre > 0)
    k2 = kernel.reshape(-1, 4)
    np.testing.assert_allclose(
        dev.to_host(dk).reshape(k2.shape),
        ref.im2col(x, *numbers).T @ gm.reshape(-1, 4),
        **TOL["float64"],
    )
    np.testing.assert_allclose(dev.to_host(db), gm.reshape(-1, 4).sum(0), **TOL["float64"])
    np.testing.assert_allclose(
        dev.to_host(dx), ref.col2im(gm.reshape(-1, 4) @ k2.T, x.shape, *numbers), **TOL["float64"]
    )


def test_int8_against_numpy(device):
    dev = get_device(device)
    rng = np.random.default_rng(2)
    x, wt = (rng.integers(-127, 128, s).astype(np.int8) for s in ((6, 10), (3, 10)))
    sums = x.astype(np.int32) @ wt.T.astype(np.int32)
    np.testing.assert_array_equal(
        dev.to_host(dev.kernels.int8_matmul(dev.asarray(x), dev.asarray(wt))), sums
    )
    scale, bias = np.float32([0.5, 1, 2]), np.float32([1, -1, 0])
    got = dev.kernels.int8_dense(
        dev.asarray(x), dev.asarray(wt), 0.25, dev.asarray(scale), dev.asarray(bias), True
    )
    np.testing.assert_allclose(
        dev.to_host(got), np.maximum(sums * (0.25 * scale) + bias, 0), rtol=1e-6
    )


class _RecordingKernels(CpuKernels):
    """A new device's kernel set: the CPU's methods, each call recorded."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __getattribute__(self, name):
        if name in PROTOCOL:
            object.__getattribute__(self, "calls").append(name)
        return object.__getattribute__(self, name)


class _NewDevice(CpuDevice):
    name = kind = "recording"

    def __init__(self) -> None:
        super().__init__()
        self.kernels = _RecordingKernels()


def test_a_new_device_is_one_kernel_set_and_ops_call_only_it():
    dev = _NewDevice()
    with gf.device(dev):
        x = gf.Variable(np.ones((2, 6, 6, 1), "float32"))
        k = gf.Variable(np.full((3, 3, 1, 2), 0.1, "float32"))
        w = gf.Variable(np.full((8, 3), 0.1, "float32"))
        with gf.GradientTape() as tape:
            y = gf.nn.conv2d(x, k, strides=2, padding="SAME")
            y = gf.reshape(gf.nn.relu(y), (2, -1))[:, :8]
            hidden = gf.ops.nn.dense(y, w, activation="relu")
            loss = gf.reduce_sum(gf.matmul(hidden, gf.ones((3, 1))))
        tape.gradient(loss, [x, k, w])
    calls = dev.kernels.calls
    for name in ("conv2d_forward", "conv2d_backward", "dense_forward", "dense_backward", "matmul"):
        assert name in calls, f"{name} not called: {calls}"


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("relu", [False, True])
def test_dense_backward_update_applies_sgd_to_the_kernel(device, dtype, relu):
    dev = get_device(device)
    rng = np.random.default_rng(4)
    x, w, b, g = (rng.standard_normal(s).astype(dtype) for s in ((5, 7), (7, 3), (3,), (5, 3)))
    out = ref.dense_forward(x, w, b, relu).astype(dtype)
    want_dx, want_dw, want_db = ref.dense_backward(x, w, out, g, relu)
    target = dev.asarray(w.copy())
    dx, db = dev.kernels.dense_backward_update(
        dev.asarray(x), target, dev.asarray(out), dev.asarray(g), relu, True, True, 0.5, target
    )
    # dx from the kernel before its update, although the update is in place
    np.testing.assert_allclose(dev.to_host(dx), want_dx, **TOL[dtype])
    np.testing.assert_allclose(dev.to_host(db), want_db, **TOL[dtype])
    np.testing.assert_allclose(dev.to_host(target), w - 0.5 * want_dw, **TOL[dtype])
