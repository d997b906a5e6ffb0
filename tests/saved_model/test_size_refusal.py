"""A signature with None sizes is saved for every size, or refused at save; never kept for
the sizes it was traced at while TensorFlow would serve all of them."""

import numpy as np
import pytest

import gpuflow as tf


def _module(fn, spec):
    m = tf.Module()
    m.f = tf.function(fn, input_signature=[spec])
    return m


def test_resize_in_a_serving_function_serves_every_image_size(tmp_path):
    model = tf.keras.Sequential(
        [tf.keras.Input((8, 8, 3)), tf.keras.layers.Flatten(), tf.keras.layers.Dense(2)]
    )
    spec = tf.TensorSpec([None, None, None, 3])
    m = _module(lambda im: {"y": model(tf.image.resize(im, (8, 8)))}, spec)
    tf.saved_model.save(m, str(tmp_path), signatures={"serving_default": m.f})
    loaded = tf.saved_model.load(str(tmp_path))
    rng = np.random.default_rng(1)
    for shape in [(1, 8, 8, 3), (2, 16, 12, 3), (3, 5, 7, 3)]:
        x = tf.constant(rng.random(shape, dtype=np.float32))
        want = m.f(x)["y"].numpy()
        np.testing.assert_allclose(loaded.f(x)["y"].numpy(), want, rtol=1e-5, atol=1e-6)
        got = loaded.signatures["serving_default"](im=x)["y"]
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=1e-6)


def test_bicubic_resize_is_refused_naming_the_op_and_dimension(tmp_path):
    # its interpolation matrices are computed from the input size when traced
    m = _module(
        lambda im: tf.image.resize(im, (4, 4), method="bicubic"),
        tf.TensorSpec([None, None, None, 3]),
    )
    with pytest.raises(ValueError, match="cannot save one function for every size") as info:
        tf.saved_model.save(m, str(tmp_path / "m"))
    text = str(info.value)
    assert "function 'f'" in text
    assert "dimension 1 of TensorSpec(shape=(None, None, None, 3)" in text
    assert "dimension 2 of" in text and "dimension 0 of" not in text
    assert not (tmp_path / "m" / "saved_model.json").exists()


@pytest.mark.parametrize(
    "fn",
    [
        lambda im: tf.image.resize(im, (4, 4), method="nearest"),
        lambda im: tf.image.resize_with_crop_or_pad(im, 4, 5),
    ],
)
def test_nearest_resize_and_crop_or_pad_serve_every_image_size(tmp_path, fn):
    # their indices and offsets follow the input's size on each call (_saved_keys)
    m = _module(fn, tf.TensorSpec([None, None, None, 3]))
    tf.saved_model.save(m, str(tmp_path))
    loaded = tf.saved_model.load(str(tmp_path))
    rng = np.random.default_rng(2)
    for shape in [(1, 8, 8, 3), (2, 3, 9, 3), (3, 5, 4, 3)]:
        x = tf.constant(rng.random(shape, dtype=np.float32))
        np.testing.assert_array_equal(loaded.f(x).numpy(), fn(x).numpy())


@pytest.mark.parametrize(
    "fn",
    [
        lambda x: tf.reshape(x, [tf.shape(x)[0] * tf.shape(x)[1], 3]),
        lambda x: x * tf.cast(tf.shape(x)[1], tf.float32),
        lambda x: x * tf.cast(tf.shape(x)[1] // 2 + tf.shape(x)[0] % 2, tf.float32),
    ],
)
def test_sizes_read_into_arithmetic_serve_every_size(tmp_path, fn):
    # traced again with tf.shape recorded as a step (tracing.symbolic_shapes), as TF
    m = _module(fn, tf.TensorSpec([None, None, 3]))
    tf.saved_model.save(m, str(tmp_path))
    loaded = tf.saved_model.load(str(tmp_path))
    rng = np.random.default_rng(3)
    for shape in [(4, 5, 3), (6, 2, 3), (3, 9, 3), (1, 1, 3)]:
        x = tf.constant(rng.random(shape, dtype=np.float32))
        np.testing.assert_allclose(loaded.f(x).numpy(), fn(x).numpy(), rtol=1e-6)


@pytest.mark.parametrize(
    "fn",
    [
        lambda x: tf.ones_like(x) + x,
        lambda x: tf.zeros(tf.shape(x)) - x,
        lambda x: tf.image.crop_to_bounding_box(x, 1, 1, 2, 2),
        lambda x: tf.reduce_mean(x, axis=[0, 1]),
        lambda x: tf.reshape(x, [-1, 3]),
    ],
)
def test_unequal_none_sizes_are_served_after_load(tmp_path, fn):
    m = _module(fn, tf.TensorSpec([None, None, 3]))
    tf.saved_model.save(m, str(tmp_path))
    loaded = tf.saved_model.load(str(tmp_path))
    rng = np.random.default_rng(0)
    for shape in [(4, 5, 3), (6, 3, 3), (3, 8, 3)]:
        x = tf.constant(rng.random(shape, dtype=np.float32))
        np.testing.assert_allclose(loaded.f(x).numpy(), fn(x).numpy(), rtol=1e-6)


def test_batch_and_width_reshape_follow_each_size(tmp_path):
    # each number of the saved steps follows one None dimension (here a reshape to
    # [batch, width * 2]): calls of unequal sizes get their own numbers
    m = _module(
        lambda x: tf.reshape(tf.concat([x, x], axis=1), [tf.shape(x)[0], -1]),
        tf.TensorSpec([None, None]),
    )
    tf.saved_model.save(m, str(tmp_path))
    loaded = tf.saved_model.load(str(tmp_path))
    for shape in [(2, 3), (5, 4), (1, 9)]:
        x = np.arange(np.prod(shape), dtype="float32").reshape(shape)
        out = loaded.f(tf.constant(x)).numpy()
        np.testing.assert_array_equal(out, np.concatenate([x, x], axis=1))


def test_slice_bound_from_a_size_follows_each_size(tmp_path):
    # a slice bounded by tf.shape(x)[1] // 2 (equal at sizes 2 and 3) is not kept at the
    # traced bound: the bound is a step, as in TensorFlow, and every size is served
    m = _module(lambda x: x[:, : tf.shape(x)[1] // 2], tf.TensorSpec([None, None, 3]))
    tf.saved_model.save(m, str(tmp_path))
    loaded = tf.saved_model.load(str(tmp_path))
    for shape in [(2, 6, 3), (1, 5, 3), (3, 2, 3)]:
        x = np.arange(np.prod(shape), dtype="float32").reshape(shape)
        np.testing.assert_array_equal(loaded.f(tf.constant(x)).numpy(), x[:, : shape[1] // 2])
