"""tf.string tensors: host-only object arrays of bytes, with TensorFlow's semantics."""

import warnings

import numpy as np
import pytest

import gpuflow as tf


def test_dtype_object_and_names():
    assert tf.string == "string" and tf.string.name == "string"
    assert repr(tf.string) == "tf.string" and str(tf.string) == "<dtype: 'string'>"
    assert tf.as_dtype("string") is tf.string
    assert tf.as_dtype(str) is tf.string and tf.as_dtype(bytes) is tf.string
    assert tf.string.as_datatype_enum == 7  # TensorFlow's DT_STRING
    assert not tf.string.is_floating and not tf.string.is_integer


def test_constant_from_str_bytes_lists_and_arrays():
    s = tf.constant(["ab", b"c"])
    assert s.dtype == tf.string and s.shape == (2,)
    np.testing.assert_array_equal(s.numpy(), np.array([b"ab", b"c"], dtype=object))
    assert s.numpy().dtype == object
    assert tf.constant("x").numpy() == b"x"  # a scalar is bytes, as in TF
    assert isinstance(tf.constant("x").numpy(), bytes)
    nested = tf.constant([["a", "b"], ["c", "d"]])
    assert nested.shape == (2, 2) and tf.rank(nested).numpy() == 2
    unicode = tf.constant(np.array(["a", "bé"]))
    assert unicode.numpy().tolist() == [b"a", "bé".encode()]
    assert tf.convert_to_tensor(["q"]).dtype == tf.string
    assert tf.constant([], dtype=tf.string).shape == (0,)


def test_strings_stay_on_the_host_whatever_the_device(emu):
    with tf.device(emu):
        s = tf.constant(["a", "b", "c"])
        idx = tf.constant([2, 0])
        assert idx._device.name == emu
        assert s._device.name == "cpu"
        assert s.to("cuda-emu") is s
        assert tf.gather(s, idx).numpy().tolist() == [b"c", b"a"]
        mask = tf.constant([True, False, True])
        assert tf.boolean_mask(s, mask).numpy().tolist() == [b"a", b"c"]
        assert tf.where(mask, s, tf.constant(["x", "y", "z"])).numpy().tolist() == [
            b"a",
            b"y",
            b"c",
        ]


def test_shape_ops_move_strings():
    s = tf.constant(["ab", "c", "d", "e"])
    assert tf.reshape(s, [2, 2]).numpy().tolist() == [[b"ab", b"c"], [b"d", b"e"]]
    assert tf.concat([s, s], 0).shape == (8,)
    assert tf.stack([s, s], axis=1).shape == (4, 2)
    assert tf.expand_dims(s, 0).shape == (1, 4)
    assert tf.transpose(tf.reshape(s, [2, 2])).numpy()[0].tolist() == [b"ab", b"d"]
    assert s[1].numpy() == b"c" and s[1].shape == ()
    assert s[::-1].numpy().tolist() == [b"e", b"d", b"c", b"ab"]
    assert tf.tile(s[:1], [2]).numpy().tolist() == [b"ab", b"ab"]
    assert [t.numpy() for t in tf.unstack(s)] == [b"ab", b"c", b"d", b"e"]
    assert tf.gather(s, [3, 0]).numpy().tolist() == [b"e", b"ab"]


def test_equal_add_and_creation():
    s = tf.constant(["ab", "c"])
    assert tf.equal(s, "c").numpy().tolist() == [False, True]
    assert (s == s).numpy().all() and not (s != s).numpy().any()
    assert (s + s).numpy().tolist() == [b"abab", b"cc"]  # TF's Add joins strings
    assert (s + "-x").numpy().tolist() == [b"ab-x", b"c-x"]
    assert tf.zeros([2], tf.string).numpy().tolist() == [b"", b""]
    assert tf.zeros_like(s).numpy().tolist() == [b"", b""]
    assert tf.fill([2], "q").numpy().tolist() == [b"q", b"q"]


@pytest.mark.parametrize(
    "fn, error, words",
    [
        (lambda s: s - s, tf.errors.InvalidArgumentError, "Sub: string"),
        (lambda s: s * 2, TypeError, "multiply: cannot combine a string"),
        (lambda s: s + 1, TypeError, "add: cannot combine a string"),
        (lambda s: s < s, tf.errors.InvalidArgumentError, "less: string"),
        (lambda s: tf.reduce_sum(s), tf.errors.InvalidArgumentError, "reduce_sum: string"),
        (lambda s: tf.reduce_max(s), tf.errors.InvalidArgumentError, "reduce_max: string"),
        (lambda s: tf.abs(s), tf.errors.InvalidArgumentError, "string"),
        (lambda s: tf.cast(s, tf.float32), tf.errors.UnimplementedError, "cast string"),
        (lambda s: tf.cast([1, 2], tf.string), tf.errors.UnimplementedError, "int32 to string"),
        (lambda s: tf.ones([2], tf.string), TypeError, "ones: dtype string"),
        (lambda s: tf.constant(1, dtype=tf.string), TypeError, "expected str or bytes"),
        (lambda s: tf.constant([1, "a"]), ValueError, "mixes numbers and strings"),
        (lambda s: tf.constant([["a"], ["b", "c"]]), ValueError, "not rectangular"),
        (lambda s: tf.constant(["a"], dtype=tf.float32), TypeError, "float32"),
    ],
)
def test_arithmetic_and_bad_input_errors(fn, error, words):
    s = tf.constant(["ab", "c"])
    with pytest.raises(error, match=words):
        fn(s)


def test_gradients_of_and_through_strings_are_none():
    s = tf.constant(["a", "b"])
    x = tf.Variable(2.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(s)
            picked = tf.gather(s, [1])
            y = x * tf.cast(tf.equal(picked, "b"), tf.float32)[0]
    assert tape.gradient(y, s) is None
    assert tape.gradient(y, x).numpy() == 1.0


def test_repr_and_iteration():
    s = tf.constant(["ab", "c"])
    assert "dtype=string" in repr(s) and "b'ab'" in repr(s)
    assert [t.numpy() for t in s] == [b"ab", b"c"]
    assert "b'x'" in repr(tf.constant("x"))


def test_string_options_keep_the_ops_own_errors():
    # a str argument is an option (device=, padding=), not text data: no string-kernel error
    with pytest.raises(ValueError, match="unknown device 'tpu'"):
        tf.zeros([1], device="tpu")
    x, w = tf.ones((1, 4, 4, 1)), tf.ones((3, 3, 1, 1))
    with pytest.raises(ValueError, match="(?i)padding") as info:
        tf.nn.conv2d(x, w, strides=1, padding="BOGUS")
    assert "string arguments are not supported" not in str(info.value)
    with pytest.raises((TypeError, tf.errors.InvalidArgumentError), match="string"):
        tf.exp(["a", "b"])


def test_adding_scalar_strings_eagerly_and_in_a_function():
    joined = tf.constant("a") + tf.constant("b")
    assert isinstance(joined._data, np.ndarray) and joined.numpy() == b"ab"

    @tf.function
    def double(a):
        return a + a

    assert double(tf.constant("xy")).numpy() == b"xyxy"
    assert double(tf.constant(["p", "q"])).numpy().tolist() == [b"pp", b"qq"]
