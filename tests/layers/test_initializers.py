"""gpuflow.initializers: distributions, seeding, dtypes, devices, lookup and serialization."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf
from gpuflow import initializers


def test_constant_kinds(device, float_dtype):
    with gf.device(device):
        for init, value in [
            (initializers.Zeros(), 0),
            (initializers.Ones(), 1),
            (initializers.Constant(2.5), 2.5),
        ]:
            t = init((2, 3), dtype=float_dtype)
            assert isinstance(t, gf.Tensor) and t.dtype == float_dtype and t.device == device
            np.testing.assert_array_equal(t.numpy(), np.full((2, 3), value, float_dtype))
    assert initializers.Zeros()((2,)).dtype == "float32"  # default: floatx
    np.testing.assert_array_equal(initializers.Constant([1, 2])((3, 2)).numpy(), [[1, 2]] * 3)


@pytest.mark.parametrize(
    "name,shape,check",
    [
        (
            "glorot_uniform",
            (200, 300),
            lambda a: abs(a).max() <= np.sqrt(6 / 500) and a.std() > 0.9 * np.sqrt(2 / 500),
        ),
        (
            "he_uniform",
            (400, 100),
            lambda a: abs(a).max() <= np.sqrt(6 / 400) and a.std() > 0.9 * np.sqrt(2 / 400),
        ),
        (
            "glorot_normal",
            (200, 300),
            lambda a: abs(a.std() - np.sqrt(2 / 500)) < 0.05 * np.sqrt(2 / 500),
        ),
        (
            "he_normal",
            (400, 100),
            lambda a: abs(a.std() - np.sqrt(2 / 400)) < 0.05 * np.sqrt(2 / 400),
        ),
        (
            "lecun_normal",
            (3, 3, 40, 8),
            lambda a: abs(a.std() - np.sqrt(1 / 360)) < 0.08 * np.sqrt(1 / 360),
        ),
        (
            "random_normal",
            (300, 300),
            lambda a: abs(a.std() - 0.05) < 0.002 and abs(a.mean()) < 0.002,
        ),
        (
            "random_uniform",
            (300, 300),
            lambda a: a.min() >= -0.05 and a.max() < 0.05 and abs(a.mean()) < 0.002,
        ),
        ("truncated_normal", (300, 300), lambda a: abs(a).max() <= 0.1 and abs(a.mean()) < 0.002),
    ],
)
def test_distributions(name, shape, check):
    values = initializers.get(name)(shape).numpy()
    assert values.shape == shape and values.dtype == "float32"
    assert check(values.astype("float64"))


def test_fans_of_conv_kernels():
    assert initializers.compute_fans((3, 3, 16, 32)) == (144.0, 288.0)
    assert initializers.compute_fans((10, 5)) == (10.0, 5.0)
    assert initializers.compute_fans((7,)) == (7.0, 7.0)


def test_seeded_by_set_seed_and_op_seed(device):
    with gf.device(device):
        gf.random.set_seed(42)
        a = initializers.GlorotUniform()((4, 5)).numpy()
        b = initializers.GlorotUniform()((4, 5)).numpy()
        gf.random.set_seed(42)
        c = initializers.GlorotUniform()((4, 5)).numpy()
        d = initializers.HeNormal(seed=7)((4, 5)).numpy()
        e = initializers.HeNormal(seed=7)((4, 5)).numpy()
    np.testing.assert_array_equal(a, c)
    assert not np.array_equal(a, b)
    np.testing.assert_array_equal(d, e)


def test_layer_weights_are_reproducible():
    def kernel():
        gf.random.set_seed(3)
        layer = gf.layers.Dense(4)
        layer.build((None, 6))
        return layer.get_weights()[0]

    np.testing.assert_array_equal(kernel(), kernel())


def test_get_serialize_deserialize():
    assert isinstance(initializers.get("glorot_uniform"), initializers.GlorotUniform)
    assert isinstance(initializers.get("HeNormal"), initializers.HeNormal)
    assert isinstance(initializers.get(initializers.Ones), initializers.Ones)
    assert initializers.get(None) is None

    def fn(shape, dtype=None):
        return gf.zeros(shape, dtype=dtype)

    assert initializers.get(fn) is fn
    init = initializers.RandomUniform(-1.0, 2.0, seed=5)
    config = initializers.serialize(init)
    assert config == {
        "module": "keras.initializers",
        "registered_name": None,
        "class_name": "RandomUniform",
        "config": {"minval": -1.0, "maxval": 2.0, "seed": 5},
    }
    clone = initializers.get(config)
    np.testing.assert_array_equal(clone((3,)).numpy(), init((3,)).numpy())
    vs = initializers.VarianceScaling(2.0, "fan_out", "uniform")
    assert initializers.deserialize(initializers.serialize(vs)).get_config() == vs.get_config()
    with pytest.raises(
        ValueError, match=r"^unknown initializer 'glorot'; expected one of constant, .*zeros"
    ):
        initializers.get("glorot")
    with pytest.raises(ValueError, match="mode must be one of"):
        initializers.VarianceScaling(mode="fan")


def test_variance_scaling_fan_axes_and_config_as_keras_315():
    # Keras 3.15: the presets and VarianceScaling take input_axes / output_axes (fans of an
    # einsum kernel) and write them in their configs (None by default)
    from gpuflow import initializers as init

    assert init.GlorotUniform(seed=1).get_config() == {
        "seed": 1,
        "input_axes": None,
        "output_axes": None,
    }
    assert init.VarianceScaling(2.0, "fan_out", "uniform", seed=3).get_config() == {
        "scale": 2.0,
        "mode": "fan_out",
        "distribution": "uniform",
        "seed": 3,
        "input_axes": None,
        "output_axes": None,
    }
    assert init.compute_fans((4, 3, 5), input_axes=[0], output_axes=[1, 2]) == (4.0, 15.0)
    assert init.compute_fans((4, 3, 5)) == (12.0, 20.0)  # the kernel-layout rule otherwise
    glorot = init.GlorotUniform(seed=5, input_axes=[0], output_axes=[1, 2])
    w = np.asarray(glorot((4, 3, 5)))
    limit = (6 / (4 + 15)) ** 0.5  # not the layout rule's (6 / (12 + 20)) ** 0.5
    assert np.abs(w).max() <= limit and np.abs(w).max() > (6 / 32) ** 0.5
    again = init.GlorotUniform.from_config(glorot.get_config())
    assert again.input_axes == [0] and again.output_axes == [1, 2]
