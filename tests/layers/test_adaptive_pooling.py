"""keras.layers.AdaptiveAveragePooling1D/2D/3D, AdaptiveMaxPooling1D/2D/3D and
keras.ops.adaptive_average_pool / adaptive_max_pool; the expected bins are Keras 3's on
TensorFlow 2.21 (bin i of L pooled to n: [floor(i L / n), ceil((i + 1) L / n)))."""

import numpy as np
import pytest

import gpuflow as tf

L = tf.keras.layers


def _reference(x, size, reduce):
    """Pool axis 1 of ``x`` (batch, length, channels) by hand."""
    length = x.shape[1]
    bins = [
        (int(np.floor(i * length / size)), int(np.ceil((i + 1) * length / size)))
        for i in range(size)
    ]
    return np.stack([reduce(x[:, a:b], axis=1) for a, b in bins], axis=1)


@pytest.mark.parametrize("length,size", [(7, 5), (2, 3), (10, 4), (8, 8)])
def test_1d_matches_the_bins(length, size):
    x = np.random.default_rng(length).normal(size=(2, length, 3)).astype("float32")
    np.testing.assert_allclose(
        L.AdaptiveAveragePooling1D(size)(x).numpy(), _reference(x, size, np.mean), rtol=1e-5
    )
    np.testing.assert_allclose(
        L.AdaptiveMaxPooling1D(size)(x).numpy(), _reference(x, size, np.max), rtol=1e-6
    )


def test_2d_3d_values_from_keras():
    x = np.arange(2 * 5 * 4, dtype="float32").reshape(2, 5, 4, 1)
    # Keras 3 (TF 2.21): AdaptiveAveragePooling2D((2, 3)) and AdaptiveMaxPooling2D((2, 3))
    avg = L.AdaptiveAveragePooling2D((2, 3))(x).numpy()[0, ..., 0]
    np.testing.assert_allclose(avg, [[4.5, 5.5, 6.5], [12.5, 13.5, 14.5]])
    mx = L.AdaptiveMaxPooling2D((2, 3))(x).numpy()[1, ..., 0]
    np.testing.assert_allclose(mx, [[29.0, 30.0, 31.0], [37.0, 38.0, 39.0]])
    cube = np.random.default_rng(0).normal(size=(1, 4, 6, 5, 2)).astype("float32")
    out = L.AdaptiveAveragePooling3D(2)(cube).numpy()
    assert out.shape == (1, 2, 2, 2, 2)
    np.testing.assert_allclose(out[0, 0, 0, 0], cube[0, :2, :3, :3].mean(axis=(0, 1, 2)), rtol=1e-5)
    out = L.AdaptiveMaxPooling3D((1, 2, 1))(cube).numpy()
    np.testing.assert_allclose(out[0, 0, 1, 0], cube[0, :, 3:, :].max(axis=(0, 1, 2)), rtol=1e-6)


def test_channels_first_ops_and_gradient():
    x = np.random.default_rng(1).normal(size=(2, 3, 9, 7)).astype("float32")
    first = L.AdaptiveAveragePooling2D((4, 3), data_format="channels_first")(x).numpy()
    last = L.AdaptiveAveragePooling2D((4, 3))(np.transpose(x, (0, 2, 3, 1))).numpy()
    np.testing.assert_allclose(first, np.transpose(last, (0, 3, 1, 2)), rtol=1e-5)
    np.testing.assert_allclose(
        tf.keras.ops.adaptive_max_pool(x, (4, 3), data_format="channels_first").numpy(),
        np.transpose(
            L.AdaptiveMaxPooling2D((4, 3))(np.transpose(x, (0, 2, 3, 1))).numpy(), (0, 3, 1, 2)
        ),
    )
    v = tf.Variable(np.ones((1, 4, 1), "float32"))
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.keras.ops.adaptive_average_pool(v, 3))
    # bins [0,2) [1,3) [2,4): the middle elements are in two bins of two
    np.testing.assert_allclose(tape.gradient(y, v).numpy().ravel(), [0.5, 1.0, 1.0, 0.5])


def test_in_a_model_config_and_errors():
    inp = tf.keras.Input((None, None, 3))
    layer = L.AdaptiveMaxPooling2D(2)
    assert tuple(layer(tf.keras.Input((8, 6, 3))).shape) == (None, 2, 2, 3)
    assert layer.get_config()["output_size"] == (2, 2)
    assert L.AdaptiveAveragePooling2D.from_config(layer.get_config()).output_size == (2, 2)
    with pytest.raises(TypeError, match=r"output_size` must be an integer or \(height, width\)"):
        L.AdaptiveAveragePooling2D((2, 2, 2))
    with pytest.raises(ValueError, match="data_format must be .channels_last. or .channels_first."):
        L.AdaptiveMaxPooling1D(2, data_format="NHWC")
    with pytest.raises(ValueError, match="expected inputs of rank 4"):
        L.AdaptiveAveragePooling2D(2)(np.ones((2, 3, 3), "float32"))
    # unknown spatial sizes are fine symbolically (as Keras), and pool whatever comes
    model = tf.keras.Model(inp, L.AdaptiveAveragePooling2D(2)(inp))
    assert model(np.ones((1, 5, 7, 3), "float32")).shape == (1, 2, 2, 3)
    with pytest.raises(ValueError, match="1D, 2D, or 3D inputs only"):
        tf.keras.ops.adaptive_average_pool(np.ones((2, 3), "float32"), 2)
