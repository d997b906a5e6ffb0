"""DepthwiseConv1D, SeparableConv1D, SpatialDropout3D and RMSNormalization against NumPy
references (their outputs also matched tf.keras 3.15 to 1e-6 on the same weights)."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf
from gpuflow import layers as L


def _np_depthwise_1d(x, kernel, stride, padding, dilation):
    n, steps, c = x.shape
    k, _, m = kernel.shape
    eff = (k - 1) * dilation + 1
    if padding == "same":
        out = -(-steps // stride)
        total = max((out - 1) * stride + eff - steps, 0)
        x = np.pad(x, ((0, 0), (total // 2, total - total // 2), (0, 0)))
    else:
        out = (steps - eff) // stride + 1
    y = np.zeros((n, out, c, m))
    for t in range(out):
        for tap in range(k):
            y[:, t] += x[:, t * stride + tap * dilation, :, None] * kernel[tap]
    return y.reshape(n, out, c * m)


def _set_random(layer, seed=1):
    rng = np.random.default_rng(seed)
    weights = [rng.normal(size=tuple(w.shape)) for w in layer.weights]
    layer.set_weights([w.astype("float32") for w in weights])
    return weights


@pytest.mark.parametrize(
    "kwargs", [dict(), dict(strides=2, padding="same"), dict(dilation_rate=2, padding="same")]
)
def test_depthwise_conv1d(kwargs):
    x = np.random.default_rng(0).normal(size=(2, 9, 4)).astype("float32")
    layer = L.DepthwiseConv1D(3, depth_multiplier=2, **kwargs)
    layer(x)
    kernel, bias = _set_random(layer)
    assert kernel.shape == (3, 4, 2) and bias.shape == (8,)
    ref = _np_depthwise_1d(
        x.astype("float64"),
        kernel,
        kwargs.get("strides", 1),
        kwargs.get("padding", "valid"),
        kwargs.get("dilation_rate", 1),
    )
    np.testing.assert_allclose(layer(x).numpy(), ref + bias, rtol=1e-5, atol=1e-5)
    assert layer.compute_output_shape((None, 9, 4)) == (None,) + ref.shape[1:]
    assert layer.name.startswith("depthwise_conv1d")


def test_separable_conv1d():
    x = np.random.default_rng(0).normal(size=(2, 9, 4)).astype("float32")
    layer = L.SeparableConv1D(5, 3, depth_multiplier=2, dilation_rate=2, activation="relu")
    layer(x)
    depthwise, pointwise, bias = _set_random(layer)
    assert pointwise.shape == (1, 8, 5)
    ref = _np_depthwise_1d(x.astype("float64"), depthwise, 1, "valid", 2) @ pointwise[0] + bias
    np.testing.assert_allclose(layer(x).numpy(), np.maximum(ref, 0), rtol=1e-5, atol=1e-5)
    names = [w.name.split("/")[-1] for w in layer.weights]
    assert names == ["depthwise_kernel", "pointwise_kernel", "bias"]
    assert L.SeparableConvolution1D is L.SeparableConv1D
    clone = L.SeparableConv1D.from_config(layer.get_config())
    assert clone.filters == 5 and clone.dilation_rate == (2,)
    with pytest.raises(ValueError, match="padding"):
        L.SeparableConv1D(2, 3, padding="causal")
    with pytest.raises(ValueError, match=r"SeparableConv1D.*\[batch, steps, channels\]"):
        L.SeparableConv1D(2, 3)(np.zeros((2, 5, 5, 3), "float32"))


def test_rms_normalization():
    x = np.random.default_rng(0).normal(size=(2, 9, 4)).astype("float32")
    layer = L.RMSNormalization()
    layer(x)
    (scale,) = _set_random(layer)
    ref = x / np.sqrt(np.mean(x.astype("float64") ** 2, axis=-1, keepdims=True) + 1e-6) * scale
    np.testing.assert_allclose(layer(x).numpy(), ref, rtol=1e-5)
    assert layer.get_config()["axis"] == [-1] and layer.get_config()["epsilon"] == 1e-6
    multi = L.RMSNormalization(axis=[1, 2], epsilon=1e-3)
    multi(x)
    assert multi.scale.shape == (9, 4)
    ref = x / np.sqrt(np.mean(x.astype("float64") ** 2, axis=(1, 2), keepdims=True) + 1e-3)
    np.testing.assert_allclose(multi(x).numpy(), ref, rtol=1e-5)
    middle = L.RMSNormalization(axis=1)  # a non-last axis: the scale broadcasts over it
    middle(x)
    (scale,) = _set_random(middle)
    ref = x / np.sqrt(np.mean(x.astype("float64") ** 2, axis=1, keepdims=True) + 1e-6)
    np.testing.assert_allclose(middle(x).numpy(), ref * scale[:, None], rtol=1e-5)
    half = L.RMSNormalization(dtype="float16")(x.astype("float16"))
    assert half.dtype == "float16"
    with pytest.raises(ValueError, match="out of bounds"):
        L.RMSNormalization(axis=3)(x)


def test_rms_normalization_gradient_through_a_model():
    model = gf.keras.Sequential([gf.keras.Input((6,)), L.Dense(6), L.RMSNormalization()])
    model.compile("sgd", "mse")
    x = np.random.default_rng(1).normal(size=(8, 6)).astype("float32")
    before = model.layers[-1].scale.numpy().copy()
    model.fit(x, x, epochs=1, verbose=0)
    assert not np.allclose(model.layers[-1].scale.numpy(), before)


def test_spatial_dropout3d_drops_whole_channels():
    x = np.ones((4, 2, 3, 3, 16), "float32")
    layer = L.SpatialDropout3D(0.5, seed=3)
    np.testing.assert_array_equal(layer(x, training=False).numpy(), x)
    y = layer(x, training=True).numpy()
    per_channel = y.reshape(4, -1, 16)
    assert np.all(per_channel.min(axis=1) == per_channel.max(axis=1))  # whole maps kept/dropped
    assert set(np.unique(y)) <= {0.0, 2.0} and 0 < (y == 0).mean() < 1
    assert layer.get_config()["data_format"] == "channels_last"
    with pytest.raises(ValueError, match="SpatialDropout3D"):
        layer(np.ones((2, 3, 4, 5), "float32"), training=True)
    with pytest.raises(ValueError, match="data_format"):
        L.SpatialDropout3D(0.5, data_format="NDHWC")


def test_wrapper_subclass_builds_serializes_and_trains():
    class Doubled(L.Wrapper):
        def call(self, inputs):
            return 2.0 * self.layer(inputs)

    dense = L.Dense(3)
    wrapped = Doubled(dense, name="doubled")
    x = np.random.default_rng(0).normal(size=(4, 5)).astype("float32")
    out = wrapped(x)
    assert dense.built and [w.shape for w in wrapped.trainable_weights] == [(5, 3), (3,)]
    np.testing.assert_allclose(out.numpy(), 2 * dense(x).numpy(), rtol=1e-6)
    config = wrapped.get_config()
    assert config["layer"]["class_name"] == "Dense" and config["name"] == "doubled"
    clone = Doubled.from_config(config)
    assert isinstance(clone.layer, L.Dense) and clone.layer.units == 3
    model = gf.keras.Sequential([gf.keras.Input((5,)), Doubled(L.Dense(1))])
    model.compile("sgd", "mse")
    assert len(model.trainable_weights) == 2
    with pytest.raises(ValueError, match="supported layer type"):
        L.Wrapper("dense")


def _np_conv3d_transpose(x, kernel, strides, out_sizes, padding, dilation):
    """Scatter each input voxel times the kernel into the (padded) output, then crop."""
    from gpuflow.backend.geometry import conv_geometry

    n, *spatial, _ = x.shape
    ks = kernel.shape[:3]
    geo = [
        conv_geometry(o, (k - 1) * d + 1, s, padding)
        for o, k, s, d in zip(out_sizes, ks, strides, dilation)
    ]
    padded = tuple(o + b + a for o, (_, b, a) in zip(out_sizes, geo))
    full = np.zeros((n,) + padded + (kernel.shape[3],))
    for i in np.ndindex(*spatial):
        for t in np.ndindex(*ks):
            pos = tuple(ii * s + tt * d for ii, tt, s, d in zip(i, t, strides, dilation))
            full[(slice(None),) + pos] += x[(slice(None),) + i] @ kernel[t].T
    crop = tuple(slice(b, b + o) for o, (_, b, _a) in zip(out_sizes, geo))
    return full[(slice(None),) + crop]


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(),
        dict(strides=2),
        dict(strides=(2, 1, 2), padding="same"),
        dict(strides=2, output_padding=1),
        dict(dilation_rate=2, padding="same"),
    ],
)
def test_conv3d_transpose_matches_a_numpy_scatter(kwargs):
    x = np.random.default_rng(0).normal(size=(2, 3, 4, 5, 2)).astype("float32")
    layer = L.Conv3DTranspose(4, 3, **kwargs)
    out = layer(x)
    kernel, bias = _set_random(layer)
    assert kernel.shape == (3, 3, 3, 4, 2)
    ref = _np_conv3d_transpose(
        x.astype("float64"),
        kernel,
        layer.strides,
        tuple(out.shape[1:4]),
        layer.padding,
        layer.dilation_rate,
    )
    np.testing.assert_allclose(layer(x).numpy(), ref + bias, rtol=1e-4, atol=1e-4)
    assert layer.compute_output_shape((None, 3, 4, 5, 2)) == (None,) + tuple(out.shape[1:])


def test_conv3d_transpose_shapes_config_and_training():
    # output sizes recorded from tf.keras 3.15 for the same arguments
    x = np.zeros((1, 3, 4, 5, 2), "float32")
    assert L.Conv3DTranspose(4, 3, strides=2)(x).shape == (1, 7, 9, 11, 4)
    assert L.Conv3DTranspose(4, 2, strides=3, padding="same")(x).shape == (1, 9, 12, 15, 4)
    assert L.Convolution3DTranspose is L.Conv3DTranspose
    layer = L.Conv3DTranspose(2, (1, 2, 3), strides=(1, 2, 1), name="up")
    clone = L.Conv3DTranspose.from_config(layer.get_config())
    assert clone.kernel_size == (1, 2, 3) and clone.strides == (1, 2, 1)
    model = gf.keras.Sequential([gf.keras.Input((2, 3, 3, 1)), L.Conv3DTranspose(1, 2, strides=2)])
    model.compile(gf.keras.optimizers.Adam(0.05), "mse")
    xs = np.random.default_rng(0).normal(size=(4, 2, 3, 3, 1)).astype("float32")
    ys = np.repeat(np.repeat(np.repeat(xs, 2, 1), 2, 2), 2, 3)
    history = model.fit(xs, ys, epochs=20, verbose=0)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    with pytest.raises(ValueError, match=r"Conv3DTranspose.*\[batch, depth, height, width"):
        L.Conv3DTranspose(2, 3)(np.zeros((1, 4, 4, 2), "float32"))
