"""convolution_op (Keras 3): the convolution alone, used by call() so a subclass can change
the kernel; bias and activation still follow."""

from __future__ import annotations

import numpy as np
import pytest

from gpuflow import layers


class _DoubledKernel:
    def convolution_op(self, inputs, kernel):
        return super().convolution_op(inputs, kernel * 2.0)


@pytest.mark.parametrize(
    "base,shape,kwargs",
    [
        (layers.Conv1D, (2, 7, 3), {}),
        (layers.Conv2D, (2, 6, 6, 3), {}),
        (layers.Conv2D, (2, 6, 6, 4), {"dilation_rate": 2, "groups": 2}),
        (layers.Conv3D, (1, 4, 4, 4, 2), {}),
    ],
)
def test_overridden_convolution_op_is_used_by_call(base, shape, kwargs):
    doubled = type("Doubled", (_DoubledKernel, base), {})
    x = np.random.default_rng(0).normal(size=shape).astype("float32")
    plain = base(4, 2, bias_initializer="ones", activation="relu", **kwargs)
    custom = doubled(4, 2, bias_initializer="ones", activation="relu", **kwargs)
    plain(x)
    custom(x)
    custom.set_weights(plain.get_weights())
    kernel, bias = plain.get_weights()
    plain.set_weights([kernel * 2.0, bias])
    np.testing.assert_allclose(custom(x).numpy(), plain(x).numpy(), rtol=1e-5, atol=1e-5)
    # the base op alone: no bias, no activation
    raw = plain.convolution_op(x, plain.kernel).numpy()
    np.testing.assert_allclose(np.maximum(raw + 1.0, 0), plain(x).numpy(), atol=1e-5)


def test_conv1d_causal_padding_keeps_its_own_path():
    x = np.random.default_rng(1).normal(size=(1, 5, 1)).astype("float32")
    layer = layers.Conv1D(1, 2, padding="causal", use_bias=False, kernel_initializer="ones")
    y = layer(x).numpy()[0, :, 0]
    np.testing.assert_allclose(y, x[0, :, 0] + np.concatenate([[0], x[0, :-1, 0]]), atol=1e-6)
