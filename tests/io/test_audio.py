"""tf.audio.decode_wav / encode_wav: 16-bit PCM WAV, values as tensorflow-cpu 2.21 gives them
(the simple audio recognition tutorial reads its clips with decode_wav)."""

import numpy as np
import pytest

import gpuflow as tf


def test_round_trip_matches_tensorflow():
    audio = tf.constant(np.array([[0.0, 0.5], [-0.5, 0.25], [1.0, -1.0]], np.float32))
    wav = tf.audio.encode_wav(audio, 16000)
    assert wav.dtype == tf.string and len(wav.numpy()) == 56  # as TF's file, header included
    decoded, rate = tf.audio.decode_wav(wav)
    # TF 2.21: 1.0 clips to 32767 / 32768; -1.0 is exact
    np.testing.assert_array_equal(
        decoded.numpy(), [[0.0, 0.5], [-0.5, 0.25], [0.999969482421875, -1.0]]
    )
    assert rate.dtype == tf.int32 and int(rate) == 16000


def test_desired_channels_and_samples():
    wav = tf.audio.encode_wav(tf.constant([[0.0, 0.5], [-0.5, 0.25], [1.0, -1.0]]), 16000)
    mono, _ = tf.audio.decode_wav(wav, desired_channels=1, desired_samples=5)
    np.testing.assert_array_equal(mono.numpy()[:, 0], [0.0, -0.5, 0.999969482421875, 0.0, 0.0])
    one = tf.audio.encode_wav(tf.constant([[0.1], [0.2]]), 8000)
    three, _ = tf.audio.decode_wav(one, desired_channels=3)
    np.testing.assert_array_equal(three.numpy(), [[0.100006103515625] * 3, [0.20001220703125] * 3])
    short, _ = tf.audio.decode_wav(one, desired_samples=1)
    assert short.shape == (1, 1)


def test_bad_input_names_the_op(tmp_path):
    with pytest.raises(tf.errors.InvalidArgumentError, match="decode_wav: expected a 16-bit"):
        tf.audio.decode_wav(tf.constant(b"nope"))
    with pytest.raises(tf.errors.InvalidArgumentError, match="encode_wav: audio must be"):
        tf.audio.encode_wav(tf.constant([0.1, 0.2]), 8000)
    path = str(tmp_path / "clip.wav")
    tf.io.write_file(path, tf.audio.encode_wav(tf.zeros((4, 1)), 8000))
    audio, rate = tf.audio.decode_wav(tf.io.read_file(path), desired_channels=1)
    assert audio.shape == (4, 1) and int(rate) == 8000


def test_read_file_and_decode_wav_inside_function(tmp_path):
    # the audio tutorial's ExportModel: a tf.function on a file name, traced from a string
    # TensorSpec before any file is read; each call reads the file it is given
    for name, value in (("a", 0.5), ("b", -0.25)):
        wav = tf.audio.encode_wav(tf.fill([3, 1], value), 8000)
        tf.io.write_file(str(tmp_path / f"{name}.wav"), wav)

    @tf.function
    def load(path):
        audio, rate = tf.audio.decode_wav(tf.io.read_file(path), desired_samples=5)
        return audio[:, 0], rate

    concrete = load.get_concrete_function(tf.TensorSpec(shape=(), dtype=tf.string))
    audio, rate = concrete(tf.constant(str(tmp_path / "a.wav")))
    np.testing.assert_array_equal(audio.numpy(), [0.5, 0.5, 0.5, 0.0, 0.0])
    assert int(rate) == 8000
    audio, _ = load(tf.constant(str(tmp_path / "b.wav")))
    np.testing.assert_array_equal(audio.numpy(), [-0.25, -0.25, -0.25, 0.0, 0.0])
    assert load.experimental_get_tracing_count() == 1

    @tf.function
    def size(path):
        return tf.strings.length(tf.io.read_file(path))

    (tmp_path / "t.txt").write_bytes(b"abc")
    assert int(size(tf.constant(str(tmp_path / "t.txt")))) == 3
    (tmp_path / "t.txt").write_bytes(b"abcdef")  # read again on each call, not captured
    assert int(size(tf.constant(str(tmp_path / "t.txt")))) == 6
