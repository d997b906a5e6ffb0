"""Symbolic shapes on inputs of unknown length (gpuflow probes the layer with stand-in sizes):
a kernel longer than the first stand-in, and a stride that maps both stand-ins to the same
length, still give the unknown axis as None (Keras 3 / TF 2.21 shapes)."""

from __future__ import annotations

import numpy as np

import gpuflow as gf

keras = gf.keras
layers = keras.layers


def test_long_kernel_on_unknown_length():
    inputs = keras.Input((None, 1))
    out = layers.Conv1D(4, 64)(inputs)
    assert out.shape == (None, None, 4)
    spec = layers.STFTSpectrogram(frame_length=64, frame_step=24, fft_length=64)(inputs)
    assert spec.shape == (None, None, 33)
    model = keras.Model(inputs, out)
    assert model.predict(np.zeros((2, 100, 1), "float32"), verbose=0).shape == (2, 37, 4)


def test_large_stride_keeps_the_axis_unknown():
    inputs = keras.Input((None, 1))
    out = layers.Conv1D(2, 3, strides=24, padding="same")(inputs)
    assert out.shape == (None, None, 2)
    spec = layers.STFTSpectrogram(
        frame_length=48, frame_step=24, fft_length=128, padding="same", expand_dims=True
    )(inputs)
    assert spec.shape == (None, None, 65, 1)
