"""Policies: the dtype of every weight, activation and gradient under each policy, on each
device; the global policy API; float64 end to end; the CPU's one-time float16 warning."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import gpuflow as gf
from gpuflow import layers
from gpuflow.backend import cpu as cpu_backend
from gpuflow.backend import cpu_kernels
from gpuflow.keras import mixed_precision
from gpuflow.mixed_precision import LossScaleOptimizer

# policy -> (compute dtype, variable dtype)
POLICIES = {
    "float16": ("float16", "float16"),
    "float32": ("float32", "float32"),
    "float64": ("float64", "float64"),
    "mixed_float16": ("float16", "float32"),
    "mixed_bfloat16": ("bfloat16", "float32"),
}


def _cnn():
    return gf.keras.Sequential(
        [
            layers.Conv2D(4, (3, 3), strides=(2, 2), activation="relu", input_shape=(9, 9, 1)),
            layers.Flatten(),
            layers.Dense(8, activation="relu"),
            layers.Dense(3, activation="softmax"),
        ]
    )


def test_keras_namespace_resolves_here():
    import gpuflow.mixed_precision as mp

    assert mixed_precision is mp and gf.keras.mixed_precision.Policy is mp.DTypePolicy


def test_set_global_policy_and_errors():
    mixed_precision.set_global_policy("mixed_float16")
    assert mixed_precision.global_policy().name == "mixed_float16"
    dense = layers.Dense(2)
    assert (dense.compute_dtype, dense.dtype) == ("float16", "float32")
    assert layers.Dense(2, dtype="float64").dtype_policy.name == "float64"  # per-layer dtype= wins
    with pytest.raises(ValueError, match="mixed_float16.*received 'mixed_float8'"):
        mixed_precision.set_global_policy("mixed_float8")
    mixed_precision.set_global_policy(None)
    assert mixed_precision.global_policy().name == gf.config.floatx()
    with mixed_precision.policy_scope("float64"):
        assert layers.Dense(1).dtype == "float64"
    assert layers.Dense(1).dtype == "float32"


@pytest.mark.parametrize("policy", list(POLICIES))
def test_dtypes_of_weights_activations_gradients(policy, device):
    compute, variable = POLICIES[policy]
    mixed_precision.set_global_policy(policy)
    with gf.device(device):
        model = _cnn()
        x = np.random.default_rng(0).random((5, 9, 9, 1)).astype("float32")
        model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
        with gf.GradientTape() as tape:
            h = gf.constant(x)
            for layer in model.layers:
                h = layer(h, training=True)
                assert h.dtype == compute, f"{layer.name} output under {policy}"
            loss = model.compiled_loss(gf.constant(np.array([0, 1, 2, 0, 1])), h)
        assert loss.dtype == (
            "float64" if policy == "float64" else "float32"
        )  # losses never in float16
        grads = tape.gradient(loss, model.trainable_variables)
    for var, grad in zip(model.trainable_variables, grads):
        assert var.dtype == variable and grad.dtype == variable, var.name
        assert var.device == device
    assert isinstance(model.optimizer, LossScaleOptimizer) == (policy == "mixed_float16")
    assert all(layer.dtype_policy.name == policy for layer in model.layers)


def test_float64_trains_end_to_end_on_every_device(device):
    """float64 weights, kernels (f64 GEMM/im2col on cuda-emu) and optimizer state."""
    mixed_precision.set_global_policy("float64")
    rng = np.random.default_rng(1)
    x = rng.random((24, 9, 9, 1))
    y = rng.integers(0, 3, 24)
    with gf.device(device):
        gf.random.set_seed(0)
        model = _cnn()
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        history = model.fit(x, y, epochs=3, batch_size=8, verbose=0, shuffle=False)
        out = model.predict(x, verbose=0)
    assert out.dtype == np.float64 and all(w.dtype == np.float64 for w in model.get_weights())
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_cpu_float16_warns_once(monkeypatch):
    monkeypatch.setattr(cpu_kernels._warn_float16, "shown", False)
    dev = cpu_backend.CpuDevice()
    a = np.ones((2, 2), np.float16)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = dev.matmul(a, a)
        dev.matmul(a, a)
        dev.matmul(a.astype(np.float32), a.astype(np.float32))
    slow = [w for w in caught if "float16 compute on device 'cpu' is slow" in str(w.message)]
    assert len(slow) == 1 and out.dtype == np.float16
