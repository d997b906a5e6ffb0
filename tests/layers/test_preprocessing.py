"""Preprocessing layers beyond the Keras references: adapt() on arrays, lists of batches and
generators, invert, vocabularies, errors."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf
from gpuflow import layers as L


def _data(shape=(100, 3), seed=0):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(shape) * [1.0, 3.0, 0.5] + [2.0, -1.0, 0.0]).astype("float32")


@pytest.mark.parametrize(
    "wrap",
    [
        lambda x: x,
        lambda x: gf.constant(x),
        lambda x: [x[i : i + 7] for i in range(0, len(x), 7)],  # a list of uneven batches
        lambda x: (x[i : i + 16] for i in range(0, len(x), 16)),  # a generator
        lambda x: [(x[i : i + 10], np.zeros(10)) for i in range(0, len(x), 10)],  # (x, y) batches
    ],
)
def test_normalization_adapt_on_arrays_and_iterables_of_batches(wrap):
    x = _data()
    layer = L.Normalization()
    layer.adapt(wrap(x))
    np.testing.assert_allclose(layer.adapt_mean.numpy(), x.mean(axis=0), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(layer.adapt_variance.numpy(), x.var(axis=0), rtol=1e-4)
    y = layer(x).numpy()
    np.testing.assert_allclose(y.mean(axis=0), 0, atol=1e-5)
    np.testing.assert_allclose(y.std(axis=0), 1, rtol=1e-4)


def test_normalization_invert_undoes_normalization_and_trains_through():
    x = _data()
    forward, inverse = L.Normalization(), L.Normalization(invert=True)
    forward.adapt(x)
    inverse.adapt(x)
    np.testing.assert_allclose(inverse(forward(x)).numpy(), x, rtol=1e-5, atol=1e-5)
    model = gf.keras.Sequential([forward, L.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, x[:, :1], epochs=1, verbose=0)
    assert not forward.trainable_weights  # the statistics are not trained


def test_normalization_errors():
    with pytest.raises(ValueError, match="pass both mean and variance"):
        L.Normalization(mean=1.0)
    layer = L.Normalization()
    layer.adapt(_data())
    with pytest.raises(
        ValueError,
        match=r"Normalization '.*': the layer was built for inputs of "
        r"shape \(100, 3\), but adapt\(\) received a batch of "
        r"shape \(5, 4\)",
    ):
        layer.adapt(np.zeros((5, 4), "float32"))
    with pytest.raises(ValueError, match="adapt.. received no batches"):
        L.Normalization().adapt([])


def test_discretization_adapt_finds_quantiles_and_encodes():
    x = np.arange(1000, dtype="float32")
    layer = L.Discretization(num_bins=4)
    layer.adapt(x)
    np.testing.assert_allclose(layer.bin_boundaries, [250, 500, 750], atol=15)
    ids = layer(np.array([[0.0, 300.0, 999.0]])).numpy()
    np.testing.assert_array_equal(ids, [[0, 1, 3]])
    assert ids.dtype == np.int32  # Keras 3's output dtype
    assert layer(gf.keras.Input(shape=(3,))).dtype == "int32"
    with pytest.raises(ValueError, match="call adapt"):
        L.Discretization(num_bins=3)(np.zeros(3))
    with pytest.raises(ValueError, match="bin_boundaries must be sorted"):
        L.Discretization([1.0, 0.0])


def test_category_encoding_errors_and_count_weights():
    layer = L.CategoryEncoding(4, output_mode="count")
    out = layer(np.array([[0, 1, 1]]), count_weights=np.array([[0.5, 1.0, 2.0]]))
    np.testing.assert_allclose(out.numpy(), [[0.5, 3.0, 0.0, 0.0]])
    assert out.dtype == "float32"  # the layer's dtype, not the float64 weights', as Keras
    with pytest.raises(
        ValueError,
        match=r"CategoryEncoding '.*': input values must be in the "
        r"range "
        r"0 <= values < 4 \(num_tokens\), received values in "
        r"\[0, 7\]",
    ):
        layer(np.array([[0, 7]]))
    with pytest.raises(
        ValueError, match="output_mode must be one of 'one_hot', 'multi_hot', 'count'"
    ):
        L.CategoryEncoding(4, output_mode="tf_idf")


def test_integer_lookup_vocabulary_round_trip():
    layer = L.IntegerLookup(mask_token=0)
    layer.adapt(np.array([[5, 5, 9, 0], [9, 5, 3, 0]]))
    assert layer.get_vocabulary() == [0, -1, 5, 9, 3]
    ids = layer(np.array([[5, 9, 3, 0, 77]]))
    np.testing.assert_array_equal(ids.numpy(), [[2, 3, 4, 0, 1]])
    back = L.IntegerLookup(vocabulary=[5, 9, 3], mask_token=0, invert=True)
    np.testing.assert_array_equal(back(ids).numpy(), [[5, 9, 3, 0, -1]])
    with pytest.raises(ValueError, match="not in the vocabulary and num_oov_indices=0"):
        L.IntegerLookup(vocabulary=[1], num_oov_indices=0)(np.array([2]))


def test_integer_lookup_casts_float_and_bool_tokens_and_inverts_oov_as_keras():
    # Keras casts the tokens to its int64 keys (floats truncate), and an index outside the
    # vocabulary inverts to the OOV token.
    layer = L.IntegerLookup(vocabulary=[3, 5, 7])
    out = layer(np.array([3.0, 4.0, 7.9]))
    assert out.dtype == gf.int64
    np.testing.assert_array_equal(out.numpy(), [1, 0, 3])
    np.testing.assert_array_equal(layer(np.array([True, False])).numpy(), [0, 0])
    with pytest.raises(TypeError, match="IntegerLookup"):
        layer(np.array(["3"]))
    back = L.IntegerLookup(vocabulary=[3, 5, 7], invert=True)
    np.testing.assert_array_equal(back(np.array([0, 1, 3, 4, -1])).numpy(), [-1, 3, 7, -1, -1])
    back = L.IntegerLookup(vocabulary=[3, 5, 7], mask_token=0, invert=True)
    np.testing.assert_array_equal(back(np.array([0, 1, 2, 9])).numpy(), [0, -1, 3, -1])
    back = L.IntegerLookup(vocabulary=[3, 5, 7], num_oov_indices=0, invert=True)
    np.testing.assert_array_equal(back(np.array([0.0, 2.0, 3.0])).numpy(), [3, 7, -1])


def test_image_layers_errors_and_rescaling():
    y = L.Rescaling(1 / 255)(np.full((1, 2, 2, 3), 255, "uint8"))
    assert y.dtype == "float32"
    np.testing.assert_allclose(y.numpy(), 1.0)
    with pytest.raises(ValueError, match=r"Resizing '.*': expected images of rank 3 .* or 4"):
        L.Resizing(2, 2)(np.zeros((4, 4), "float32"))
    with pytest.raises(ValueError, match="Invalid value for argument `interpolation`"):
        L.Resizing(2, 2, interpolation="cubic")
    with pytest.raises(ValueError, match=r"CenterCrop '.*': height must be a positive integer"):
        L.CenterCrop(0, 2)


def test_resizing_area_and_bicubic_as_tf_image_resize():
    # Keras 3 on TensorFlow calls tf.image.resize(method=interpolation); values from TF 2.21
    x = np.arange(2 * 7 * 5 * 2, dtype="float32").reshape(2, 7, 5, 2) ** 1.3
    area = L.Resizing(4, 3, interpolation="area")(x).numpy()
    np.testing.assert_allclose(area[0, :2, :2, 0], [[10.029, 16.798], [57.322, 68.011]], atol=1e-3)
    cubic = L.Resizing(10, 9, interpolation="bicubic")(x).numpy()
    assert cubic.shape == (2, 10, 9, 2)
    np.testing.assert_allclose(cubic[0, :2, :2, 0], [[-1.398, -0.7], [8.424, 9.665]], atol=1e-3)
    small = L.Resizing(3, 3, interpolation="area")(np.arange(36, dtype="uint8").reshape(6, 6, 1))
    assert small.dtype == "uint8"
    np.testing.assert_array_equal(small.numpy()[..., 0], [[4, 6, 8], [16, 18, 20], [28, 30, 32]])


def test_resizing_pads_to_aspect_ratio_antialiases_and_keeps_integer_dtypes():
    img = np.arange(12, dtype=np.uint8).reshape(1, 2, 6, 1) * 20
    padded = L.Resizing(4, 4, pad_to_aspect_ratio=True, fill_value=255)(img)
    assert padded.dtype == "uint8"  # Keras 3 rounds integer images back to their dtype
    # keras.layers.Resizing(4, 4, pad_to_aspect_ratio=True, fill_value=255), TF 2.21
    np.testing.assert_array_equal(
        padded.numpy()[0, :, :, 0],
        [[255, 255, 255, 255], [68, 90, 112, 135], [158, 180, 202, 225], [255, 255, 255, 255]],
    )
    x = np.random.default_rng(0).random((2, 9, 14, 3)).astype("float32")
    smooth = L.Resizing(4, 5, antialias=True)(x).numpy()
    np.testing.assert_allclose(smooth, gf.image.resize(x, (4, 5), antialias=True).numpy())
    assert L.Resizing(12, 20, interpolation="lanczos3")(x).shape == (2, 12, 20, 3)
    config = L.Resizing(4, 5, pad_to_aspect_ratio=True, antialias=True, fill_value=2.0).get_config()
    assert config["pad_to_aspect_ratio"] and config["antialias"] and config["fill_value"] == 2.0
    assert L.Resizing.from_config(config).get_config() == config
    with pytest.raises(ValueError, match="Only one of `crop_to_aspect_ratio`"):
        L.Resizing(4, 4, crop_to_aspect_ratio=True, pad_to_aspect_ratio=True)


def test_category_encoding_sparse_output():
    # Keras 3: sparse=True gives a SparseTensor of the same values; the config leaves it out
    layer = gf.keras.layers.CategoryEncoding(num_tokens=4, output_mode="multi_hot", sparse=True)
    out = layer(np.array([[0, 1], [2, 2]]))
    assert isinstance(out, gf.SparseTensor)
    np.testing.assert_array_equal(
        gf.sparse.to_dense(out).numpy(), [[1.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0]]
    )
    assert "sparse" not in layer.get_config()
    inputs = gf.keras.Input((2,), dtype="int32")
    dense = gf.keras.layers.Dense(1, kernel_initializer="ones")
    model = gf.keras.Model(inputs, dense(layer(inputs)))
    np.testing.assert_allclose(model(np.array([[0, 1], [3, 3]])).numpy(), [[2.0], [1.0]])
