"""Lambda (safe mode on loading), Masking and mask propagation, dtypes of the simple layers."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf
from gpuflow import layers as L


def _model_with_lambda():
    model = gf.keras.Sequential([L.Dense(3, input_shape=(4,)), L.Lambda(lambda t: t * 2.0 + 1.0)])
    model.compile(optimizer="sgd", loss="mse")
    return model


def test_lambda_refused_when_loading_unless_safe_mode_off(tmp_path):
    model = _model_with_lambda()
    x = np.random.default_rng(0).standard_normal((2, 4)).astype("float32")
    path = tmp_path / "m.gpuflow"
    model.save(path)
    with pytest.raises(
        ValueError,
        match="Lambda 'lambda': requested the deserialization of a Python lambda.*safe_mode=False",
    ):
        gf.keras.models.load_model(path)
    loaded = gf.keras.models.load_model(path, safe_mode=False)
    np.testing.assert_allclose(loaded(x).numpy(), model(x).numpy(), rtol=1e-6)


def test_lambda_named_function_loads_from_custom_objects():
    def double(t):
        return t * 2.0

    layer = L.Lambda(double)
    config = gf.layers.serialize(layer)
    # Keras 3's entry for a named function, and its TypeError when it cannot be found
    assert config["config"]["function"] == {
        "module": "builtins",
        "class_name": "function",
        "config": "double",
        "registered_name": "function",
    }
    with pytest.raises(TypeError, match="could not locate function 'double'.*custom_objects"):
        gf.layers.deserialize(config)
    clone = gf.layers.deserialize(config, custom_objects={"double": double})
    np.testing.assert_allclose(clone(np.ones((1, 2), "float32")).numpy(), [[2.0, 2.0]])
    with gf.saving.custom_object_scope({"double": double}):
        assert gf.layers.deserialize(config).function is double


def test_lambda_registered_function_clones_without_custom_objects():
    @gf.saving.register_keras_serializable(package="kxg_test")
    def triple(t):
        return t * 3.0

    layer = L.Lambda(triple)
    assert layer.get_config()["function"]["config"] == "kxg_test>triple"
    inputs = gf.keras.Input(shape=(2,))
    model = gf.keras.Model(inputs, layer(inputs))
    clone = gf.keras.models.clone_model(model)
    np.testing.assert_allclose(clone(np.ones((1, 2), "float32")).numpy(), [[3.0, 3.0]])


def test_masking_zeroes_and_masks_steps():
    x = np.ones((2, 3, 2), "float32")
    x[0, 1] = 0.0
    layer = L.Masking(0.0)
    y = layer(x)
    from gpuflow.layers._masks import get_mask

    np.testing.assert_array_equal(get_mask(y).numpy(), [[True, False, True], [True, True, True]])
    pooled = L.GlobalAveragePooling1D()(y)
    np.testing.assert_allclose(pooled.numpy(), np.ones((2, 2)))


def test_softmax_honours_mask():
    scores = np.zeros((1, 4), "float32")
    mask = np.array([[True, True, False, False]])
    out = L.Softmax()(scores, mask=gf.constant(mask))
    np.testing.assert_allclose(out.numpy(), [[0.5, 0.5, 0, 0]], atol=1e-7)


@pytest.mark.parametrize("dtype", ["float16", "float64"])
@pytest.mark.parametrize(
    "make,shape",
    [
        (lambda d: L.LayerNormalization(dtype=d), (2, 3, 5)),
        (lambda d: L.Conv2DTranspose(2, 3, strides=2, dtype=d), (1, 3, 3, 2)),
        (lambda d: L.Conv1D(2, 3, padding="causal", dtype=d), (2, 5, 3)),
        (lambda d: L.DepthwiseConv2D(2, dtype=d), (1, 4, 4, 2)),
        (lambda d: L.UpSampling2D(interpolation="bilinear", dtype=d), (1, 2, 3, 2)),
        (lambda d: L.PReLU(dtype=d), (2, 4)),
    ],
)
def test_float16_and_float64_agree_with_float64_reference(dtype, make, shape):
    x = np.random.default_rng(1).standard_normal(shape)
    ref, layer = make("float64"), make(dtype)
    ref(x)
    layer(x.astype(dtype))
    layer.set_weights([w.astype(dtype) for w in ref.get_weights()])
    y = layer(x.astype(dtype))
    assert y.dtype == dtype
    tol = 2e-2 if dtype == "float16" else 1e-12
    np.testing.assert_allclose(y.numpy(), ref(x).numpy(), rtol=tol, atol=tol)


def test_transposed_and_grouped_conv_on_every_device(device):
    """These layers use array ops only (no custom kernel), so each device gives the CPU's answer."""
    x = np.random.default_rng(2).standard_normal((1, 4, 4, 4)).astype("float32")
    for make in (
        lambda: L.Conv2DTranspose(2, 3, strides=2, padding="same"),
        lambda: L.Conv2D(4, 3, groups=2, dilation_rate=2, padding="same"),
    ):
        cpu_layer, dev_layer = make(), make()
        cpu_layer(x)
        with gf.device(device):
            xd = gf.constant(x, device=device)
            dev_layer(xd)
            dev_layer.set_weights(cpu_layer.get_weights())
            with gf.GradientTape() as tape:
                tape.watch(xd)
                y = dev_layer(xd)
                loss = gf.reduce_sum(y * y)
            gx = tape.gradient(loss, xd)
        assert y.device == device
        xc = gf.constant(x)
        with gf.GradientTape() as tape:
            tape.watch(xc)
            yc = cpu_layer(xc)
            lc = gf.reduce_sum(yc * yc)
        np.testing.assert_allclose(y.numpy(), yc.numpy(), rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(gx.numpy(), tape.gradient(lc, xc).numpy(), rtol=1e-5, atol=1e-5)


def test_lambda_receives_mask_and_training_when_it_takes_them():
    seen = {}

    def fn(x, mask=None, training=None):
        seen["mask"], seen["training"] = mask, training
        return x

    emb = L.Embedding(5, 2, mask_zero=True)
    out = L.Lambda(fn)(emb(np.array([[1, 0]])), training=True)
    np.testing.assert_array_equal(seen["mask"].numpy(), [[True, False]])
    assert seen["training"] is True and tuple(out.shape) == (1, 2, 2)
