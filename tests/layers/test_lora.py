"""LoRA (Keras 3's enable_lora) on Dense, EinsumDense and Embedding."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf

keras = gf.keras


def _model(**dense_kwargs):
    return keras.Sequential(
        [keras.Input((8,)), keras.layers.Dense(16, **dense_kwargs), keras.layers.Dense(4)]
    )


def test_enable_lora_freezes_the_kernel_and_keeps_the_output():
    gf.random.set_seed(0)
    model = _model(activation="relu")
    x = np.random.default_rng(0).random((4, 8), dtype=np.float32)
    before = model(x).numpy()
    layer = model.layers[0]
    layer.enable_lora(2, lora_alpha=4)
    assert [w.name.split("/")[-1] for w in layer.weights] == [
        "kernel",
        "bias",
        "lora_kernel_a",
        "lora_kernel_b",
    ]
    assert [w.name.split("/")[-1] for w in layer.trainable_weights] == [
        "bias",
        "lora_kernel_a",
        "lora_kernel_b",
    ]
    assert not layer._kernel.trainable
    assert layer.lora_kernel_a.shape == (8, 2) and layer.lora_kernel_b.shape == (2, 16)
    assert layer.lora_kernel_a.dtype == gf.float32
    np.testing.assert_allclose(model(x).numpy(), before, rtol=1e-6)
    assert layer.get_config()["lora_rank"] == 2 and layer.get_config()["lora_alpha"] == 4


def test_the_correction_is_alpha_over_rank_times_a_at_b():
    layer = keras.layers.Dense(3, use_bias=False)
    x = np.eye(5, dtype=np.float32)
    layer(x)
    layer.enable_lora(2, lora_alpha=6)
    a = np.arange(10, dtype=np.float32).reshape(5, 2) / 10
    b = np.arange(6, dtype=np.float32).reshape(2, 3) / 10
    layer.lora_kernel_a.assign(a)
    layer.lora_kernel_b.assign(b)
    expected = layer._kernel.numpy() + (6 / 2) * a @ b
    # as Keras 3: `kernel` is the merged weight, `_kernel` the frozen Variable
    assert not isinstance(layer.kernel, gf.Variable)
    np.testing.assert_allclose(layer.kernel.numpy(), expected, rtol=1e-5)
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-5)


def test_fit_trains_only_the_factors_and_the_bias():
    gf.random.set_seed(1)
    model = _model()
    layer = model.layers[0]
    layer.enable_lora(2)
    kernel = layer._kernel.numpy().copy()
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    rng = np.random.default_rng(1)
    model.fit(rng.random((16, 8), dtype=np.float32), rng.random((16, 4)), epochs=2, verbose=0)
    np.testing.assert_array_equal(layer._kernel.numpy(), kernel)
    assert np.abs(layer.lora_kernel_b.numpy()).max() > 0


def test_keras_file_stores_the_merged_kernel_and_reloads_with_zero_factors(tmp_path):
    gf.random.set_seed(2)
    model = _model(lora_rank=2)
    layer = model.layers[0]
    layer.lora_kernel_b.assign(np.full((2, 16), 0.5, np.float32))
    x = np.random.default_rng(2).random((3, 8), dtype=np.float32)
    expected = model(x).numpy()
    path = str(tmp_path / "m.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(loaded(x).numpy(), expected, rtol=1e-5, atol=1e-6)
    assert loaded.layers[0].lora_enabled
    assert np.abs(loaded.layers[0].lora_kernel_b.numpy()).max() == 0
    weights = str(tmp_path / "w.weights.h5")
    model.save_weights(weights)
    again = _model(lora_rank=2)
    again.load_weights(weights)
    np.testing.assert_allclose(again(x).numpy(), expected, rtol=1e-5, atol=1e-6)


def test_einsum_dense_and_embedding():
    dense = keras.layers.EinsumDense("abc,cde->abde", output_shape=(3, 4, 5), bias_axes="de")
    z = np.random.default_rng(3).random((2, 3, 6), dtype=np.float32)
    before = dense(z).numpy()
    dense.enable_lora(2)
    assert dense.lora_kernel_a.shape == (6, 4, 2) and dense.lora_kernel_b.shape == (2, 5)
    np.testing.assert_allclose(dense(z).numpy(), before, rtol=1e-6)

    embedding = keras.layers.Embedding(10, 6, lora_rank=3)
    ids = np.array([[1, 2, 3]])
    out = embedding(ids).numpy()
    assert [w.name.split("/")[-1] for w in embedding.weights] == [
        "embeddings",
        "lora_embeddings_a",
        "lora_embeddings_b",
    ]
    np.testing.assert_allclose(out, embedding.embeddings.numpy()[ids], rtol=1e-6)
    embedding.lora_embeddings_b.assign(np.ones((3, 6), np.float32))
    a = embedding.lora_embeddings_a.numpy()
    expected = (embedding._embeddings.numpy() + a @ np.ones((3, 6), np.float32))[ids]
    np.testing.assert_allclose(embedding.embeddings.numpy()[ids], expected, rtol=1e-5)
    np.testing.assert_allclose(embedding(ids).numpy(), expected, rtol=1e-5)


def test_kernel_before_build_and_without_lora():
    layer = keras.layers.Dense(3)
    with pytest.raises(AttributeError, match="build the layer before accessing `kernel`"):
        layer.kernel
    layer.build((None, 2))
    assert layer.kernel is layer._kernel and isinstance(layer.kernel, gf.Variable)


def test_bad_uses_are_refused():
    layer = keras.layers.Dense(3)
    with pytest.raises(ValueError, match="isn't yet built"):
        layer.enable_lora(2)
    layer(np.ones((1, 4), np.float32))
    layer.enable_lora(2)
    with pytest.raises(ValueError, match="already enabled"):
        layer.enable_lora(2)
    constrained = keras.layers.Dense(3, kernel_constraint="non_neg")
    constrained(np.ones((1, 4), np.float32))
    with pytest.raises(ValueError, match="incompatible with kernel constraints"):
        constrained.enable_lora(2)
    with pytest.raises(ValueError, match="lora_rank must be a positive integer"):
        keras.layers.Dense(3, lora_rank="2")
    fresh = keras.layers.Dense(3)
    fresh(np.ones((1, 4), np.float32))
    with pytest.raises(ValueError, match="rank must be a positive integer"):
        fresh.enable_lora(0)
