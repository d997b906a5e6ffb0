"""tf.io base64, decompression, file patterns, serialized SparseTensors, JPEG shape and
crop, WebP (bytes checked against TensorFlow 2.21 where it matters)."""

import gzip
import io
import zlib

import numpy as np
import pytest

import gpuflow as tf


def test_web_safe_base64_round_trip():
    encoded = tf.io.encode_base64([b"hello?>", b"\xff\xfe"])
    assert encoded.numpy().tolist() == [b"aGVsbG8_Pg", b"__4"]
    assert tf.io.encode_base64("hi", pad=True).numpy() == b"aGk="
    assert tf.io.decode_base64(encoded).numpy().tolist() == [b"hello?>", b"\xff\xfe"]
    with pytest.raises(tf.errors.InvalidArgumentError, match="decode_base64"):
        tf.io.decode_base64("a")


def test_decode_compressed():
    assert tf.io.decode_compressed(zlib.compress(b"abc"), "ZLIB").numpy() == b"abc"
    got = tf.io.decode_compressed([gzip.compress(b"xyz")], compression_type="GZIP")
    assert got.numpy().tolist() == [b"xyz"]
    assert tf.io.decode_compressed(b"raw").numpy() == b"raw"
    with pytest.raises(tf.errors.InvalidArgumentError, match="could not decompress ZLIB"):
        tf.io.decode_compressed(b"not zlib", "ZLIB")


def test_matching_files_sorted(tmp_path):
    for name in ("b.txt", "a.txt", "c.csv"):
        (tmp_path / name).write_text("")
    got = tf.io.matching_files(str(tmp_path / "*.txt")).numpy().tolist()
    assert [p.rsplit(b"/", 1)[-1] for p in got] == [b"a.txt", b"b.txt"]


def test_sparse_tensors_as_strings_round_trip():
    sp = tf.sparse.SparseTensor([[0, 1], [2, 0]], [1.5, 2.5], [3, 4])
    one = tf.io.serialize_sparse(sp)
    assert one.shape == (3,) and one.dtype == tf.string
    # TensorFlow's bytes: the indices' TensorProto
    assert (
        one.numpy()[0].hex()
        == tf.io.serialize_tensor(tf.constant([[0, 1], [2, 0]], tf.int64)).numpy().hex()
    )
    many = tf.io.serialize_many_sparse(sp)
    assert many.shape == (3, 3)
    back = tf.io.deserialize_many_sparse(many, tf.float32)
    assert back.indices.numpy().tolist() == [[0, 1], [2, 0]]
    assert back.values.numpy().tolist() == [1.5, 2.5]
    assert back.dense_shape.numpy().tolist() == [3, 4]
    stacked = tf.io.deserialize_many_sparse(tf.stack([one, one]), tf.float32)
    assert stacked.dense_shape.numpy().tolist() == [2, 3, 4]
    with pytest.raises(tf.errors.InvalidArgumentError, match="shape \\[rows, 3\\]"):
        tf.io.deserialize_many_sparse(one, tf.float32)


def test_jpeg_shape_crop_and_webp():
    image = (np.arange(8 * 10 * 3) % 255).astype(np.uint8).reshape(8, 10, 3)
    jpeg = tf.io.encode_jpeg(image)
    assert tf.io.extract_jpeg_shape(jpeg).numpy().tolist() == [8, 10, 3]
    crop = tf.image.decode_and_crop_jpeg(jpeg, [1, 2, 4, 5])
    np.testing.assert_array_equal(crop.numpy(), tf.io.decode_jpeg(jpeg).numpy()[1:5, 2:7])
    with pytest.raises(tf.errors.InvalidArgumentError, match="does not fit"):
        tf.io.decode_and_crop_jpeg(jpeg, [6, 0, 4, 4])
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="WEBP", lossless=True)
    frames = tf.io.decode_webp(buffer.getvalue())
    assert frames.shape == (1, 8, 10, 3)
    np.testing.assert_array_equal(frames.numpy()[0], image)
    with pytest.raises(tf.errors.InvalidArgumentError, match="not a WebP"):
        tf.io.decode_webp(b"RIFF0000WAVE")
