"""Merge layers: values against NumPy, gradients, shape errors naming both shapes, configs."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf
from gpuflow import keras, layers

RNG = np.random.default_rng(0)


def _pair(shape=(3, 4)):
    return RNG.normal(size=shape).astype("float32"), RNG.normal(size=shape).astype("float32")


@pytest.mark.parametrize(
    "layer, reference",
    [
        (layers.Add, lambda a, b: a + b),
        (layers.Subtract, lambda a, b: a - b),
        (layers.Multiply, lambda a, b: a * b),
        (layers.Average, lambda a, b: (a + b) / 2),
        (layers.Maximum, np.maximum),
        (layers.Minimum, np.minimum),
    ],
)
def test_elementwise_merges_match_numpy(layer, reference, device):
    a, b = _pair()
    with gf.device(device):
        out = layer()([gf.constant(a), gf.constant(b)])
    assert out.device == device
    np.testing.assert_allclose(out.numpy(), reference(a, b), rtol=1e-6)


@pytest.mark.parametrize(
    "fn, reference",
    [
        (layers.add, lambda xs: xs[0] + xs[1] + xs[2]),
        (layers.multiply, lambda xs: xs[0] * xs[1] * xs[2]),
        (layers.average, lambda xs: sum(xs) / 3),
        (layers.maximum, lambda xs: np.maximum(np.maximum(xs[0], xs[1]), xs[2])),
        (layers.minimum, lambda xs: np.minimum(np.minimum(xs[0], xs[1]), xs[2])),
        (lambda xs: layers.concatenate(xs, axis=0), lambda xs: np.concatenate(xs, 0)),
    ],
)
def test_function_forms_take_three_inputs(fn, reference):
    xs = [RNG.normal(size=(2, 3)).astype("float32") for _ in range(3)]
    np.testing.assert_allclose(fn([gf.constant(x) for x in xs]).numpy(), reference(xs), rtol=1e-6)


def test_subtract_needs_exactly_two_inputs():
    a, b = _pair()
    with pytest.raises(
        ValueError,
        match=r"Subtract 'sub3': expected a list of exactly 2 inputs, "
        r"received 3",
    ):
        layers.Subtract(name="sub3")([a, b, a])
    assert layers.subtract([a, b]).shape == (3, 4)


def test_broadcast_of_size_one_axes():
    a = RNG.normal(size=(3, 4)).astype("float32")
    b = RNG.normal(size=(3, 1)).astype("float32")
    np.testing.assert_allclose(layers.Add()([a, b]).numpy(), a + b, rtol=1e-6)


def test_mismatched_shapes_name_layer_and_both_shapes():
    x = keras.Input((3,))
    y = keras.Input((4,))
    with pytest.raises(
        ValueError,
        match=r"Add 'bad_add': inputs have incompatible shapes. "
        r"Received shapes \(None, 3\) and \(None, 4\)",
    ):
        layers.Add(name="bad_add")([x, y])
    with pytest.raises(
        ValueError,
        match=r"Multiply 'bad_mul': inputs have incompatible shapes. "
        r"Received shapes \(2, 3\) and \(2, 4\)",
    ):
        layers.Multiply(name="bad_mul")([np.ones((2, 3)), np.ones((2, 4))])
    with pytest.raises(
        ValueError,
        match=r"Concatenate 'bad_cat': a Concatenate layer requires "
        r"inputs with matching shapes except for the "
        r"concatenation axis \(-1\). Received shapes "
        r"\(None, 2, 3\) and \(None, 5, 3\)",
    ):
        layers.Concatenate(name="bad_cat")([keras.Input((2, 3)), keras.Input((5, 3))])
    with pytest.raises(ValueError, match=r"Add 'none': "):
        layers.Add(name="none")([])
    with pytest.raises(ValueError, match=r"Subtract 'one': expected a list of exactly 2 inputs"):
        layers.Subtract(name="one")([keras.Input((3,))])


def test_merge_of_one_input_returns_it():
    # Keras 3 merges a list of one input (a feature-group helper that concatenates
    # whatever the group holds): the result is that input
    value = np.arange(6, dtype="float32").reshape(2, 3)
    for cls in (layers.Concatenate, layers.Add, layers.Multiply, layers.Average):
        np.testing.assert_array_equal(np.asarray(cls()([value])), value)
    for cls in (layers.Maximum, layers.Minimum):
        np.testing.assert_array_equal(np.asarray(cls()([value])), value)
    symbolic = layers.concatenate([keras.Input((4,))])
    assert symbolic.shape == (None, 4)


def test_concatenate_axes_and_symbolic_shapes():
    a, b = keras.Input((2, 3)), keras.Input((2, 5))
    assert layers.Concatenate()([a, b]).shape == (None, 2, 8)
    assert layers.Concatenate(axis=1)([a, keras.Input((4, 3))]).shape == (None, 6, 3)
    assert layers.concatenate([keras.Input((None, 3)), keras.Input((None, 3))], axis=1).shape == (
        None,
        None,
        3,
    )


def _cosine(a, b, axis):
    a = a / np.linalg.norm(a, axis=axis, keepdims=True)
    b = b / np.linalg.norm(b, axis=axis, keepdims=True)
    return a, b


def test_dot_matches_numpy():
    a, b = _pair((3, 4))
    out = layers.Dot(axes=1)([a, b])
    assert out.shape == (3, 1)
    np.testing.assert_allclose(out.numpy()[:, 0], np.sum(a * b, 1), rtol=1e-5)
    na, nb = _cosine(a, b, 1)
    np.testing.assert_allclose(
        layers.dot([a, b], axes=1, normalize=True).numpy()[:, 0], np.sum(na * nb, 1), rtol=1e-5
    )
    x = RNG.normal(size=(2, 3, 4)).astype("float32")
    y = RNG.normal(size=(2, 5, 4)).astype("float32")
    np.testing.assert_allclose(
        layers.Dot(axes=(2, 2))([x, y]).numpy(), np.einsum("bik,bjk->bij", x, y), rtol=1e-5
    )
    y2 = RNG.normal(size=(2, 3, 5)).astype("float32")
    np.testing.assert_allclose(
        layers.Dot(axes=1)([x, y2]).numpy(), np.einsum("bki,bkj->bij", x, y2), rtol=1e-5
    )
    assert layers.Dot(axes=(2, 2))([keras.Input((3, 4)), keras.Input((5, 4))]).shape == (None, 3, 5)


def test_dot_errors():
    with pytest.raises(
        ValueError,
        match=r"Dot 'd': dimension incompatibility 3 != 4. Layer "
        r"shapes: \(None, 3\), \(None, 4\)",
    ):
        layers.Dot(axes=1, name="d")([keras.Input((3,)), keras.Input((4,))])
    with pytest.raises(ValueError, match="axis 0 is the batch axis"):
        layers.Dot(axes=0)([np.ones((2, 3)), np.ones((2, 3))])


def test_merge_gradients_match_numpy():
    a, b = _pair((2, 3))
    ta, tb = gf.Variable(a), gf.Variable(b)
    with gf.GradientTape() as tape:
        loss = gf.reduce_sum(layers.Multiply()([ta, tb]) + layers.Maximum()([ta, tb]))
    ga, gb = tape.gradient(loss, [ta, tb])
    np.testing.assert_allclose(ga.numpy(), b + (a > b), rtol=1e-6)
    np.testing.assert_allclose(gb.numpy(), a + (b >= a), rtol=1e-6)
    with gf.GradientTape() as tape:
        loss = gf.reduce_sum(layers.Dot(axes=1)([ta, tb]))
    ga, gb = tape.gradient(loss, [ta, tb])
    np.testing.assert_allclose(ga.numpy(), b, rtol=1e-6)


@pytest.mark.parametrize(
    "layer",
    [
        layers.Add(),
        layers.Concatenate(axis=1),
        layers.Dot(axes=(1, 2)),
        layers.Dot(axes=1, normalize=True),
        layers.Average(),
    ],
)
def test_config_round_trip(layer):
    config = layer.get_config()
    assert layers.deserialize(layers.serialize(layer)).get_config() == config


def test_merge_masks_follow_keras():
    # values checked against Keras 3 on TensorFlow: Add ORs the masks, Concatenate joins
    # them (an unmasked input counts as all True), Dot drops them
    ids_a = np.array([[1, 2, 0, 0]])
    ids_b = np.array([[3, 0, 4, 0]])
    a = layers.Embedding(5, 3, mask_zero=True)(ids_a)
    b = layers.Embedding(5, 2, mask_zero=True)(ids_b)
    a3 = layers.Embedding(5, 3, mask_zero=True)(ids_b)
    np.testing.assert_array_equal(layers.Add()([a, a3])._keras_mask.numpy(), [[1, 1, 1, 0]])
    np.testing.assert_array_equal(layers.Concatenate()([a, b])._keras_mask.numpy(), [[1, 1, 1, 0]])
    ones = np.ones((1, 4, 2), "float32")
    np.testing.assert_array_equal(
        layers.Concatenate()([a, ones])._keras_mask.numpy(), [[1, 1, 1, 1]]
    )
    np.testing.assert_array_equal(
        layers.Concatenate(axis=1)([a, a3])._keras_mask.numpy(), [[1, 1, 0, 0, 1, 0, 1, 0]]
    )
    assert not hasattr(layers.Add()([a, np.ones((1, 4, 3), "float32")]), "_keras_mask")
    assert not hasattr(layers.Dot(axes=2)([a, a3]), "_keras_mask")


def test_add_carries_the_mask_to_pooling_in_a_functional_model():
    # a residual block after a masked embedding: extra padding changes no pooled vector
    ids = keras.Input(shape=(None,), dtype="int32")
    x = layers.Embedding(10, 4, mask_zero=True)(ids)
    y = layers.Add()([x, layers.Dense(4)(x)])
    assert y._keras_mask is not None
    pooled = layers.GlobalAveragePooling1D()(layers.LayerNormalization()(y))
    model = keras.Model(ids, pooled)
    short = model.predict(np.array([[1, 2, 3, 0]]), verbose=0)
    long = model.predict(np.array([[1, 2, 3, 0, 0, 0, 0]]), verbose=0)
    np.testing.assert_allclose(short, long, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("cls", [layers.Add, layers.Maximum, layers.Multiply])
def test_batch_axis_never_broadcasts(cls):
    # Keras: size-one axes broadcast, but inputs with different batch sizes are an error.
    a, b = np.ones((2, 3, 4), "float32"), np.ones((1, 3, 4), "float32")
    with pytest.raises(ValueError, match="different batch sizes.*\\(2, 3, 4\\), \\(1, 3, 4\\)"):
        cls()([a, b])
    assert cls()([a, np.ones((2, 1, 4), "float32")]).shape == (2, 3, 4)


def _masked(x):
    return layers.Masking()(gf.constant(x))


def _masked_pair():
    rng = np.random.default_rng(5)
    a = rng.normal(size=(2, 4, 3)).astype("float32")
    b = rng.normal(size=(2, 4, 3)).astype("float32")
    a[0, 2:] = 0.0  # a masked at steps 2, 3 of example 0
    b[0, 3] = 0.0  # b masked at step 3 of example 0
    return a, b, (a != 0).any(-1), (b != 0).any(-1)


def test_multiply_treats_masked_values_as_one_as_keras():
    a, b, ma, mb = _masked_pair()
    y = layers.Multiply()([_masked(a), b])  # only a has a mask: its masked steps pass b
    np.testing.assert_allclose(y.numpy(), np.where(ma[..., None], a, 1.0) * b, rtol=1e-6)
    both = layers.Multiply()([_masked(a), _masked(b)])
    ref = np.where(ma[..., None], a, 1.0) * np.where(mb[..., None], b, 1.0)
    ref = np.where((ma | mb)[..., None], ref, 0.0)  # masked in every input: 0
    np.testing.assert_allclose(both.numpy(), ref, rtol=1e-6)
    np.testing.assert_array_equal(both._keras_mask.numpy(), ma | mb)


@pytest.mark.parametrize("cls,op", [(layers.Maximum, np.maximum), (layers.Minimum, np.minimum)])
def test_maximum_minimum_skip_masked_values_as_keras(cls, op):
    a, b, ma, mb = _masked_pair()
    y = cls()([_masked(a), b]).numpy()
    np.testing.assert_allclose(y, np.where(ma[..., None], op(a, b), b), rtol=1e-6)
    y = cls()([_masked(a), _masked(b)]).numpy()
    ref = np.where(mb[..., None], np.where(ma[..., None], op(a, b), b), a)
    np.testing.assert_allclose(y, ref, rtol=1e-6)


def test_concatenate_on_values_that_do_not_fit_raises_invalid_argument_after_build():
    # the CycleGAN tutorial's U-Net on an image whose size its skips do not fit
    a, b = keras.Input((None, None, 2)), keras.Input((None, None, 2))
    model = keras.Model([a, b], layers.Concatenate()([a, b]))
    with pytest.raises(gf.errors.InvalidArgumentError, match="matching shapes"):
        model([gf.zeros([1, 4, 4, 2]), gf.zeros([1, 3, 3, 2])])
    # not built yet: the build's ValueError (not an op error), as Keras
    with pytest.raises(ValueError) as info:
        layers.Concatenate()([gf.zeros([1, 4, 2]), gf.zeros([1, 3, 2])])
    assert not isinstance(info.value, gf.errors.InvalidArgumentError)
    # symbolic inputs: ValueError
    with pytest.raises(ValueError):
        layers.Concatenate()([keras.Input((4, 2)), keras.Input((3, 2))])
