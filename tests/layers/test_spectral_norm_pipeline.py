"""SpectralNormalization (one training call against values printed by Keras 3.15 on TF 2.21
for the same kernel, vector_u and inputs; spectral norm near 1 after training; config) and
Pipeline (order, training flag, config round trip)."""

import numpy as np
import pytest

import gpuflow.keras as keras
from gpuflow.keras import layers

rng = np.random.default_rng(0)
K = rng.normal(size=(4, 3)).astype("float32")
U = rng.normal(size=(1, 3)).astype("float32")
X = rng.normal(size=(2, 4)).astype("float32")

KERAS_Y = [
    [-0.48652052879333496, -0.0754348635673523, -0.19153329730033875],
    [1.2320119142532349, 0.7370291948318481, -0.16537009179592133],
]
KERAS_KERNEL = [
    [0.05650825425982475, -0.05937327817082405, 0.2878319025039673],
    [0.04714636504650116, -0.24075153470039368, 0.16251547634601593],
    [0.5860704779624939, 0.42565658688545227, -0.3162871301174164],
    [-0.5687317252159119, -0.28012481331825256, 0.018573569133877754],
]
KERAS_U = [[-0.8068758845329285, -0.5256560444831848, 0.2695125937461853]]


def test_one_training_call_matches_keras():
    sn = layers.SpectralNormalization(layers.Dense(3, use_bias=False), power_iterations=2)
    sn.build((None, 4))
    sn.layer.kernel.assign(K)
    sn.vector_u.assign(U)
    y = sn(X, training=True)
    np.testing.assert_allclose(y.numpy(), KERAS_Y, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(sn.layer.kernel.numpy(), KERAS_KERNEL, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(sn.vector_u.numpy(), KERAS_U, rtol=1e-5, atol=1e-6)
    before = sn.layer.kernel.numpy()
    sn(X)  # inference leaves the kernel alone
    np.testing.assert_array_equal(sn.layer.kernel.numpy(), before)


def test_fit_keeps_the_spectral_norm_near_one_and_config():
    model = keras.Sequential(
        [
            keras.Input((4,)),
            layers.SpectralNormalization(layers.Dense(8, use_bias=False), power_iterations=3),
        ]
    )
    assert not model.layers[0].vector_u.trainable
    model.compile(keras.optimizers.SGD(0.01), "mse")
    model.fit(rng.normal(size=(64, 4)), rng.normal(size=(64, 8)) * 10, epochs=3, verbose=0)
    sigma = np.linalg.svd(model.layers[0].layer.kernel.numpy(), compute_uv=False)[0]
    assert 0.8 < sigma < 1.3, sigma
    config = model.layers[0].get_config()
    assert config["power_iterations"] == 3 and config["layer"]["class_name"] == "Dense"
    clone = layers.SpectralNormalization.from_config(config)
    assert isinstance(clone.layer, layers.Dense) and clone.power_iterations == 3
    with pytest.raises(ValueError, match="`power_iterations` should be greater than zero"):
        layers.SpectralNormalization(layers.Dense(2), power_iterations=0)
    with pytest.raises(ValueError, match="has no attribute 'kernel' nor 'embeddings'"):
        layers.SpectralNormalization(layers.Flatten()).build((None, 2))


def test_pipeline():
    pipe = layers.Pipeline(
        [layers.Rescaling(2.0), layers.Dropout(0.5, seed=1), layers.Rescaling(1.0, offset=1.0)]
    )
    x = np.ones((4, 10), np.float32)
    np.testing.assert_allclose(pipe(x, training=False).numpy(), np.full((4, 10), 3.0))
    trained = pipe(x).numpy()  # training defaults to True in a Pipeline
    assert set(np.unique(trained).tolist()) == {1.0, 5.0}
    assert [type(layer).__name__ for layer in pipe.layers] == ["Rescaling", "Dropout", "Rescaling"]
    config = pipe.get_config()
    assert [c["class_name"] for c in config["layers"]] == ["Rescaling", "Dropout", "Rescaling"]
    clone = layers.Pipeline.from_config(config)
    np.testing.assert_allclose(clone(x, training=False).numpy(), np.full((4, 10), 3.0))
    with pytest.raises(ValueError, match="must contain a `layers` key"):
        layers.Pipeline.from_config({"name": "p"})


def test_training_call_compiles_inside_function():
    # fit's train step compiles with the wrapper inside (no eager fallback), and the
    # compiled step normalises the kernel as an eager call does
    import warnings

    import gpuflow as tf

    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [keras.Input((3,)), layers.SpectralNormalization(layers.Dense(4)), layers.Dense(1)]
    )
    model.compile(optimizer="sgd", loss="mse")
    x, y = np.ones((8, 3), "float32"), np.zeros((8, 1), "float32")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.fit(x, y, epochs=2, verbose=0)

    sn = layers.SpectralNormalization(layers.Dense(5), power_iterations=3)
    data = np.random.default_rng(0).normal(size=(2, 4)).astype("float32")
    sn(data)
    eager = layers.SpectralNormalization(layers.Dense(5), power_iterations=3)
    eager(data)
    eager.set_weights(sn.get_weights())
    step = tf.function(lambda t: sn(t, training=True))
    for _ in range(3):
        out = step(data)
        ref = eager(data, training=True)
    np.testing.assert_allclose(out.numpy(), ref.numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(sn.vector_u.numpy(), eager.vector_u.numpy(), rtol=1e-5, atol=1e-6)
    # an all-zero kernel stays as it is, compiled or not
    zero = layers.SpectralNormalization(layers.Dense(2))
    zero(data)
    zero.layer.kernel.assign(np.zeros((4, 2), "float32"))
    tf.function(lambda t: zero(t, training=True))(data)
    assert not np.any(zero.layer.kernel.numpy())
