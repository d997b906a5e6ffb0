"""Which mask arguments a layer's call() receives, as Keras 3.15 on TensorFlow 2.21 passes
them (values checked there): ``mask`` only when call() gets one tensor argument; with
several, ``<name>_mask`` for each tensor argument that has such a parameter."""

from __future__ import annotations

import numpy as np

import gpuflow as tf

layers = tf.keras.layers
IDS = np.array([[3, 4, 0, 0]])


class _Seen(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seen = []


class OneArg(_Seen):
    def call(self, x, mask=None):
        self.seen.append(mask is not None)
        return x


class TwoArgs(_Seen):
    def call(self, x, context, mask=None):
        self.seen.append(mask is not None)
        return x + context


class NamedMasks(_Seen):
    def call(self, x, context, x_mask=None, context_mask=None):
        self.seen.append((x_mask is not None, context_mask is not None))
        return x + context


def _embedded():
    return layers.Embedding(10, 2, mask_zero=True)(IDS)


def test_one_tensor_argument_gets_mask():
    layer = OneArg()
    layer(_embedded())
    assert layer.seen == [True]


def test_two_tensor_arguments_get_no_mask():
    e = _embedded()
    layer = TwoArgs()
    layer(e, e)
    layer(e, context=e)
    assert layer.seen == [False, False]


def test_named_masks_are_filled_per_argument():
    e = _embedded()
    plain = tf.ones_like(e)
    layer = NamedMasks()
    layer(e, e)
    layer(e, plain)
    layer(e, e, context_mask=None, x_mask=None)  # as Keras: a None given is filled in
    assert layer.seen == [(True, True), (True, False), (True, True)]
    mask = tf.constant([[True, False, False, False]])
    out = NamedMasks()(e, e, x_mask=mask)
    assert out.shape == (1, 4, 2)


def test_functional_model_passes_masks_the_same_way():
    ids = tf.keras.Input((4,))
    e = layers.Embedding(10, 2, mask_zero=True)(ids)
    two, named = TwoArgs(), NamedMasks()
    model = tf.keras.Model(ids, [two(e, e), named(e, e)])
    model.predict(IDS, verbose=0)
    assert two.seen and not any(two.seen)
    assert named.seen and all(s == (True, True) for s in named.seen)
