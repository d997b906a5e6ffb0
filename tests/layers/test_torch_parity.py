"""Dense and Conv2D outputs and gradients vs PyTorch (same weights, layouts converted), float32."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf
from gpuflow import layers

torch = pytest.importorskip(
    "torch", reason="PyTorch is not installed (pip install 'gpuflow[peers]')"
)
F = torch.nn.functional
TOL = {"rtol": 1e-4, "atol": 1e-5}


def _run_gpuflow(layer, x, device):
    """Output and gradients of ``sum(layer(x) * g)`` w.r.t. x, kernel and bias, and ``g``."""
    xt = gf.constant(x, device=device)
    with gf.GradientTape() as tape:
        tape.watch(xt)
        y = layer(xt)
        g = np.random.default_rng(1).standard_normal(tuple(y.shape)).astype("float32")
        loss = gf.reduce_sum(y * gf.constant(g, device=device))
    dx, dk, db = tape.gradient(loss, [xt, layer.kernel, layer.bias])
    return y.numpy(), dx.numpy(), dk.numpy(), db.numpy(), g


def _torch_grads(out, g, *leaves):
    (out * torch.from_numpy(g)).sum().backward()
    return [leaf.grad.numpy() for leaf in leaves]


@pytest.mark.parametrize("activation", [None, "relu"])
def test_dense_matches_torch_linear(device, activation):
    x = np.random.default_rng(0).standard_normal((8, 20)).astype("float32")
    with gf.device(device):
        layer = layers.Dense(7, activation=activation, bias_initializer="random_normal")
        y, dx, dk, db, g = _run_gpuflow(layer, x, device)
    kernel, bias = layer.get_weights()
    tx = torch.tensor(x, requires_grad=True)
    tw = torch.tensor(kernel.T.copy(), requires_grad=True)  # torch weight is [out, in]
    tb = torch.tensor(bias, requires_grad=True)
    out = F.linear(tx, tw, tb)
    out = F.relu(out) if activation == "relu" else out
    t_dx, t_dw, t_db = _torch_grads(out, g, tx, tw, tb)
    np.testing.assert_allclose(y, out.detach().numpy(), **TOL)
    np.testing.assert_allclose(dx, t_dx, **TOL)
    np.testing.assert_allclose(dk, t_dw.T, **TOL)
    np.testing.assert_allclose(db, t_db, **TOL)


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel lengths")
@pytest.mark.parametrize("activation", [None, "relu"])
@pytest.mark.parametrize(
    "kernel_size,strides,padding",
    [(3, 1, "same"), (3, 2, "valid"), ((2, 3), 1, "same"), ((3, 2), (2, 1), "valid")],
)
def test_conv2d_matches_torch_conv2d(device, activation, kernel_size, strides, padding):
    x = np.random.default_rng(0).standard_normal((2, 7, 6, 3)).astype("float32")
    with gf.device(device):
        layer = layers.Conv2D(
            4,
            kernel_size,
            strides=strides,
            padding=padding,
            activation=activation,
            bias_initializer="random_normal",
        )
        y, dx, dk, db, g = _run_gpuflow(layer, x, device)
    kernel, bias = layer.get_weights()
    tx = torch.tensor(x.transpose(0, 3, 1, 2).copy(), requires_grad=True)  # NHWC -> NCHW
    tw = torch.tensor(
        kernel.transpose(3, 2, 0, 1).copy(), requires_grad=True
    )  # [KH,KW,C,F] -> [F,C,KH,KW]
    tb = torch.tensor(bias, requires_grad=True)
    out = F.conv2d(tx, tw, tb, stride=layer.strides, padding=padding)
    out = F.relu(out) if activation == "relu" else out
    t_dx, t_dw, t_db = _torch_grads(out, g.transpose(0, 3, 1, 2).copy(), tx, tw, tb)
    np.testing.assert_allclose(y, out.detach().numpy().transpose(0, 2, 3, 1), **TOL)
    np.testing.assert_allclose(dx, t_dx.transpose(0, 2, 3, 1), **TOL)
    np.testing.assert_allclose(dk, t_dw.transpose(2, 3, 1, 0), **TOL)
    np.testing.assert_allclose(db, t_db, **TOL)
