"""Every layer of issue 15: get_config/from_config and serialize/deserialize round trips (same
outputs from the same weights), and compute_output_shape equal to the output's shape."""

from __future__ import annotations

import json

import numpy as np
import pytest

import gpuflow as gf
from gpuflow import layers as L

SEQ, IMG, VEC = (2, 5, 4), (2, 6, 6, 3), (2, 4)

FACTORIES = {
    "Embedding": (lambda: L.Embedding(10, 3, mask_zero=True), "ids"),
    "LayerNormalization": (lambda: L.LayerNormalization(axis=[1, 2], epsilon=1e-4), SEQ),
    "Softmax": (lambda: L.Softmax(axis=1), SEQ),
    "ReLU": (lambda: L.ReLU(max_value=1.0, negative_slope=0.1, threshold=0.1), SEQ),
    "LeakyReLU": (lambda: L.LeakyReLU(0.2), SEQ),
    "PReLU": (lambda: L.PReLU(shared_axes=[1]), SEQ),
    "ELU": (lambda: L.ELU(0.5), SEQ),
    "Identity": (lambda: L.Identity(), SEQ),
    "Permute": (lambda: L.Permute((2, 1)), SEQ),
    "RepeatVector": (lambda: L.RepeatVector(3), VEC),
    "Masking": (lambda: L.Masking(0.5), SEQ),
    "GlobalAveragePooling1D": (lambda: L.GlobalAveragePooling1D(keepdims=True), SEQ),
    "GlobalMaxPooling1D": (lambda: L.GlobalMaxPooling1D(), SEQ),
    "GlobalAveragePooling2D": (lambda: L.GlobalAveragePooling2D(), IMG),
    "GlobalMaxPooling2D": (lambda: L.GlobalMaxPooling2D(keepdims=True), IMG),
    "Conv1D": (lambda: L.Conv1D(4, 3, padding="causal", dilation_rate=2, activation="tanh"), SEQ),
    "Conv2D": (lambda: L.Conv2D(4, 3, dilation_rate=2), IMG),
    "Conv2D_groups": (lambda: L.Conv2D(6, 2, groups=3, padding="same"), IMG),
    "Conv2DTranspose": (
        lambda: L.Conv2DTranspose(2, 3, strides=2, padding="same", output_padding=1),
        IMG,
    ),
    "Conv1DTranspose": (lambda: L.Conv1DTranspose(2, 3, strides=2), SEQ),
    "SeparableConv2D": (lambda: L.SeparableConv2D(4, 3, depth_multiplier=2), IMG),
    "DepthwiseConv2D": (lambda: L.DepthwiseConv2D(3, depth_multiplier=2, padding="same"), IMG),
    "UpSampling1D": (lambda: L.UpSampling1D(3), SEQ),
    "UpSampling2D": (lambda: L.UpSampling2D((2, 1), interpolation="bilinear"), IMG),
    "ZeroPadding1D": (lambda: L.ZeroPadding1D((1, 2)), SEQ),
    "ZeroPadding2D": (lambda: L.ZeroPadding2D(((1, 0), (0, 2))), IMG),
    "Cropping1D": (lambda: L.Cropping1D((1, 1)), SEQ),
    "Cropping2D": (lambda: L.Cropping2D(((1, 0), (2, 1))), IMG),
    "MaxPooling1D": (lambda: L.MaxPooling1D(2, padding="same"), SEQ),
    "AveragePooling1D": (lambda: L.AveragePooling1D(3, strides=1), SEQ),
    "SimpleRNN": (lambda: L.SimpleRNN(3, return_sequences=True, go_backwards=True), SEQ),
    "LSTM": (lambda: L.LSTM(3, return_state=True, unit_forget_bias=False), SEQ),
    "GRU": (lambda: L.GRU(3, reset_after=False, return_sequences=True), SEQ),
    "RNN": (lambda: L.RNN(L.LSTMCell(2), return_sequences=True), SEQ),
    "Bidirectional": (
        lambda: L.Bidirectional(L.GRU(2, return_sequences=True), merge_mode="ave"),
        SEQ,
    ),
    "TimeDistributed": (lambda: L.TimeDistributed(L.Dense(2)), SEQ),
    "GroupNormalization": (lambda: L.GroupNormalization(groups=2, epsilon=0.01), IMG[:3] + (4,)),
    "UnitNormalization": (lambda: L.UnitNormalization(axis=[1, 2]), SEQ),
    "GaussianNoise": (lambda: L.GaussianNoise(0.3, seed=1), SEQ),
    "GaussianDropout": (lambda: L.GaussianDropout(0.3), SEQ),
    "SpatialDropout1D": (lambda: L.SpatialDropout1D(0.4), SEQ),
    "SpatialDropout2D": (lambda: L.SpatialDropout2D(0.4), IMG),
    "ActivityRegularization": (lambda: L.ActivityRegularization(l1=0.1, l2=0.2), SEQ),
    "Rescaling": (lambda: L.Rescaling([0.5, 2.0, 1.0, 1.0], offset=1.0), SEQ),
    "CenterCrop": (lambda: L.CenterCrop(4, 3), IMG),
    "Resizing": (lambda: L.Resizing(3, 8, interpolation="nearest", crop_to_aspect_ratio=True), IMG),
    "Normalization": (
        lambda: L.Normalization(
            mean=[0.5, 1.0, 0.0, 2.0], variance=[1.0, 4.0, 2.0, 1.0], invert=True
        ),
        SEQ,
    ),
    "Discretization": (lambda: L.Discretization([-0.5, 0.0, 0.7], output_mode="count"), SEQ[:2]),
    "CategoryEncoding": (lambda: L.CategoryEncoding(10, output_mode="count"), "ids"),
    "IntegerLookup": (
        lambda: L.IntegerLookup(vocabulary=[4, 1, 2], mask_token=0, output_mode="multi_hot"),
        "ids",
    ),
    "Attention": (lambda: L.Attention(use_scale=True, score_mode="concat"), "pair"),
    "AdditiveAttention": (lambda: L.AdditiveAttention(), "pair"),
}


def _input(spec):
    if spec == "ids":
        return np.array([[1, 2, 0], [4, 0, 0]])
    if spec == "pair":
        return [_input(SEQ), _input((2, 3, 4))]
    return np.random.default_rng(0).standard_normal(spec).astype("float32")


def _outputs(out):
    return [o.numpy() for o in out] if isinstance(out, (list, tuple)) else [out.numpy()]


@pytest.mark.parametrize("key", sorted(FACTORIES))
def test_config_round_trip_gives_same_outputs(key):
    factory, spec = FACTORIES[key]
    layer = factory()
    x = _input(spec)
    out = layer(x)
    config = json.loads(json.dumps(gf.layers.serialize(layer)))  # JSON-compatible
    clone = gf.layers.deserialize(config)
    assert type(clone) is type(layer)
    clone(x)
    clone.set_weights(layer.get_weights())
    assert clone.get_config() == layer.get_config()
    for a, b in zip(_outputs(out), _outputs(clone(x))):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("key", sorted(FACTORIES))
def test_compute_output_shape_matches(key):
    factory, spec = FACTORIES[key]
    layer = factory()
    x = _input(spec)
    out = layer(x)
    if isinstance(x, list):
        shape = layer.compute_output_shape([(None,) + t.shape[1:] for t in x])
    else:
        shape = layer.compute_output_shape((None,) + x.shape[1:])
    outs = out if isinstance(out, (list, tuple)) else [out]
    shapes = shape if isinstance(shape, list) else [shape]
    assert len(outs) == len(shapes)
    for o, s in zip(outs, shapes):
        assert tuple(s[1:]) == tuple(o.shape[1:])
