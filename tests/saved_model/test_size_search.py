"""tf.saved_model.save of input_signatures whose None sizes set to 1 cannot be traced: the
sizes the body accepts are searched (size_search.py) and the loaded function serves every
shape when the steps do not depend on them, else the sizes found."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf


class Flattener(tf.Module):
    """A reshape to 12 values per example: any shape whose size is a multiple of 12."""

    def __init__(self):
        super().__init__()
        self.w = tf.Variable(np.arange(36, dtype="float32").reshape(12, 3) / 10.0)

    @tf.function(input_signature=[tf.TensorSpec([None, None, None], tf.uint8)])
    def __call__(self, x):
        x = tf.cast(tf.reshape(x, [-1, 12]), tf.float32) / 255.0
        return tf.matmul(x, self.w)


def _onehot_last(x):
    code = tf.cast(x[:, -1], tf.int32)
    return tf.concat([x[:, :-1], tf.one_hot(code, 3)], axis=1)


class Normalized(tf.Module):
    """A mean of 6 values after a one-hot that turns 4 columns into 6: only width 4."""

    def __init__(self):
        super().__init__()
        self.mean = tf.constant(np.arange(6, dtype="float32"))
        self.w = tf.Variable(np.ones((6, 1), "float32"))

    @tf.function(input_signature=[tf.TensorSpec([None, None], tf.float32)])
    def __call__(self, x):
        return tf.squeeze(tf.matmul(_onehot_last(x) - self.mean, self.w), axis=1)


def test_reshape_to_fixed_width_serves_every_shape(tmp_path):
    m = Flattener()
    tf.saved_model.save(m, str(tmp_path))
    loaded = tf.saved_model.load(str(tmp_path))
    rng = np.random.default_rng(0)
    for shape in [(2, 3, 4), (5, 12, 1), (1, 6, 2)]:
        x = rng.integers(0, 255, shape).astype("uint8")
        want = (x.reshape(-1, 12).astype("float32") / 255.0) @ m.w.numpy()
        got = loaded(tf.constant(x))
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-5)
    out = loaded.signatures["serving_default"](x=tf.constant(np.zeros((3, 2, 6), "uint8")))
    assert tuple(out["output_0"].shape) == (3, 3)
    # the original (not a probe) keeps working, and no probe trace is left behind
    assert tuple(m(tf.zeros([4, 4, 3], tf.uint8)).shape) == (4, 3)


def test_fixed_feature_width_is_pinned(tmp_path):
    m = Normalized()
    tf.saved_model.save(m, str(tmp_path))
    loaded = tf.saved_model.load(str(tmp_path))
    x = np.array([[1.0, 2.0, 3.0, 0.0], [0.5, 0.0, 1.0, 2.0], [2.0, 2.0, 2.0, 1.0]], "float32")
    np.testing.assert_allclose(loaded(tf.constant(x)).numpy(), m(tf.constant(x)).numpy())
    np.testing.assert_allclose(loaded(tf.constant(x[:1])).numpy(), m(tf.constant(x[:1])).numpy())
    with pytest.raises(ValueError, match="sizes it accepts"):
        loaded(tf.zeros([2, 5]))


def test_shapes_of_earlier_calls_are_tried_first(tmp_path):
    class Pairs(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([None, None], tf.float32)])
        def __call__(self, x):
            # only width 70 works (above the small sizes searched)
            return tf.reshape(x, [-1, 7, 10])[:, 0, :] + tf.zeros([10])

    m = Pairs()
    m(tf.ones([2, 70]))
    tf.saved_model.save(m, str(tmp_path))
    loaded = tf.saved_model.load(str(tmp_path))
    x = np.arange(3 * 70, dtype="float32").reshape(3, 70)
    np.testing.assert_allclose(loaded(tf.constant(x)).numpy(), x.reshape(3, 7, 10)[:, 0, :])


def test_body_that_fits_no_size_raises_its_error(tmp_path):
    class Broken(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([None, None], tf.float32)])
        def __call__(self, x):
            return tf.reshape(x, [-1, 1000003])

    with pytest.raises(tf.errors.InvalidArgumentError, match="reshape"):
        tf.saved_model.save(Broken(), str(tmp_path))


def test_probe_and_search_traces_print_nothing(tmp_path, capsys):
    class Loud(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([None, None], tf.float32)])
        def __call__(self, x):
            print("tracing", x.shape)
            return tf.reshape(x, [-1, 6])

    tf.saved_model.save(Loud(), str(tmp_path))
    # the one trace TensorFlow makes prints (here at sizes 1, which fails); the search
    # and the probes at other sizes print nothing
    assert capsys.readouterr().out.count("tracing") == 1
    loaded = tf.saved_model.load(str(tmp_path))
    assert tuple(loaded(tf.zeros([2, 12])).shape) == (4, 6)


def test_unknown_rank_concrete_function_is_pinned_to_a_size_it_takes(tmp_path):
    # extension_type guide: a wrapper traced with TensorSpec(None) that multiplies by a
    # 4-vector works for vectors of 4 only (a scalar broadcasts, other sizes fail)
    class Weighted(tf.Module):
        def __init__(self):
            super().__init__()
            self.v = tf.Variable([3.0, 2.0, 8.0, 5.0])

        @tf.function
        def mean(self, values, mask):
            kept = tf.where(mask, values * self.v, 0.0)
            return tf.reduce_sum(kept) / tf.reduce_sum(tf.cast(mask, tf.float32))

    m = Weighted()
    m.mean.get_concrete_function(tf.TensorSpec(None, tf.float32), tf.TensorSpec(None, tf.bool))
    tf.saved_model.save(m, str(tmp_path))
    loaded = tf.saved_model.load(str(tmp_path))
    out = loaded.mean(tf.constant([1.0, 2.0, 3.0, 4.0]), tf.constant([False, True, False, True]))
    assert float(out) == pytest.approx((2.0 * 2.0 + 4.0 * 5.0) / 2.0)
