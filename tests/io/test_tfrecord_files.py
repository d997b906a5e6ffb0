"""TFRecord files: CRC32C framing, TFRecordWriter / TFRecordOptions, TFRecordDataset.

The byte literals were written by real TensorFlow 2.21 (``tf.io.TFRecordWriter``) and
copied here; the files gpuflow writes were also read back with TensorFlow when this test
was written.
"""

import struct
import zlib

import pytest

import gpuflow as tf
from gpuflow.io import tfrecord

# tf.io.TFRecordWriter: records b"hello", b"world!!" (TensorFlow 2.21).
TF_PLAIN = (
    b"\x05\x00\x00\x00\x00\x00\x00\x00\xea\xb2\x04>hello\xbb\x1f\x1c\x19"
    b"\x07\x00\x00\x00\x00\x00\x00\x00\xbb\xd7\x9f\x11world!!wT\xcdZ"
)
# tf.io.TFRecordWriter(path, "GZIP") and TFRecordOptions(compression_type="ZLIB"): b"abc".
TF_GZIP = (
    b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03cf\x80\x80\r3=\xf9\x12\x93\x92\xf3\xc2?*\x02"
    b"\x002\xa9{9\x13\x00\x00\x00"
)
TF_ZLIB = b"x\x9ccf\x80\x80\r3=\xf9\x12\x93\x92\xf3\xc2?*\x02\x00\x1cy\x04\xa1"


def _write(path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


def _records(dataset) -> list:
    return list(dataset.as_numpy_iterator())


def test_crc32c_check_value_and_mask():
    # The CRC-32C check value of "123456789" (RFC 3720 / the Castagnoli polynomial).
    assert tfrecord.crc32c(b"123456789") == 0xE3069283
    crc = 0xE3069283
    expected = ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF
    assert tfrecord.masked_crc32c(b"123456789") == expected


def test_frame_equals_tensorflow_bytes():
    assert tfrecord.frame(b"hello") + tfrecord.frame(b"world!!") == TF_PLAIN
    framed = tfrecord.frame(b"")
    assert struct.unpack("<Q", framed[:8]) == (0,) and len(framed) == 16


def test_writer_writes_tensorflow_bytes(tmp_path):
    path = str(tmp_path / "a.tfrecord")
    with tf.io.TFRecordWriter(path) as writer:
        writer.write(b"hello")
        writer.write(tf.constant(b"world!!"))  # a scalar string tensor works too
    assert open(path, "rb").read() == TF_PLAIN


@pytest.mark.parametrize(
    "compression, data", [("", TF_PLAIN), ("GZIP", TF_GZIP), ("ZLIB", TF_ZLIB)]
)
def test_reads_files_tensorflow_wrote(tmp_path, compression, data):
    path = _write(tmp_path / "tf.tfrecord", data)
    expected = [b"hello", b"world!!"] if data is TF_PLAIN else [b"abc"]
    ds = tf.data.TFRecordDataset(path, compression_type=compression)
    assert ds.element_spec == tf.TensorSpec([], tf.string)
    assert _records(ds) == expected


@pytest.mark.parametrize("options", ["", "GZIP", "ZLIB", tf.io.TFRecordOptions("GZIP")])
def test_round_trip_many_records_small_buffer(tmp_path, options):
    path = str(tmp_path / "r.tfrecord")
    records = [b"rec%d" % i * (i % 7) for i in range(300)]
    with tf.io.TFRecordWriter(path, options=options) as writer:
        for record in records:
            writer.write(record)
    kind = tf.io.TFRecordOptions.get_compression_type_string(options)
    raw = open(path, "rb").read()
    if kind == "GZIP":
        assert raw[:2] == b"\x1f\x8b"
    elif kind == "ZLIB":
        assert zlib.decompress(raw) == b"".join(tfrecord.frame(r) for r in records)
    ds = tf.data.TFRecordDataset([path], compression_type=kind, buffer_size=64)
    assert _records(ds) == records
    assert [t.numpy() for t in ds.take(2)] == records[:2]


def test_compression_level_and_flush(tmp_path):
    path = str(tmp_path / "c.tfrecord")
    writer = tf.io.TFRecordWriter(path, tf.io.TFRecordOptions("ZLIB", compression_level=9))
    writer.write(b"x" * 1000)
    writer.flush()  # a sync flush: what is written so far decompresses
    partial = zlib.decompressobj().decompress(open(path, "rb").read())
    assert partial == tfrecord.frame(b"x" * 1000)
    writer.write(b"y")
    writer.close()
    writer.close()  # closing twice is fine
    with pytest.raises(ValueError, match="closed"):
        writer.write(b"z")
    assert _records(tf.data.TFRecordDataset(path, "ZLIB")) == [b"x" * 1000, b"y"]


def test_num_parallel_reads_interleaves_like_tensorflow(tmp_path):
    files = []
    for name, records in [
        ("A", [b"a1", b"a2", b"a3"]),
        ("B", [b"b1"]),
        ("C", [b"c1", b"c2"]),
        ("D", [b"d1", b"d2", b"d3", b"d4"]),
    ]:
        files.append(_write(tmp_path / name, b"".join(tfrecord.frame(r) for r in records)))
    # The orders TensorFlow 2.21 gives for these files.
    two = [b"a1", b"b1", b"a2", b"a3", b"c1", b"c2", b"d1", b"d2", b"d3", b"d4"]
    three = [b"a1", b"b1", b"c1", b"a2", b"c2", b"a3", b"d1", b"d2", b"d3", b"d4"]
    assert _records(tf.data.TFRecordDataset(files, num_parallel_reads=2)) == two
    assert _records(tf.data.TFRecordDataset(files, num_parallel_reads=3)) == three
    one_by_one = _records(tf.data.TFRecordDataset(tf.constant(files)))
    assert one_by_one == [b"a1", b"a2", b"a3", b"b1", b"c1", b"c2", b"d1", b"d2", b"d3", b"d4"]


def test_corrupted_data_crc_names_file_and_offset(tmp_path):
    bad = bytearray(TF_PLAIN)
    bad[14] ^= 1  # inside the first record's data
    path = _write(tmp_path / "bad.tfrecord", bytes(bad))
    with pytest.raises(tf.errors.DataLossError, match=r"bad\.tfrecord: corrupted record at 12"):
        _records(tf.data.TFRecordDataset(path))


def test_corrupted_second_record(tmp_path):
    bad = bytearray(TF_PLAIN)
    bad[-1] ^= 1  # the second record's data CRC
    path = _write(tmp_path / "bad2.tfrecord", bytes(bad))
    iterator = iter(tf.data.TFRecordDataset(path))
    assert next(iterator).numpy() == b"hello"
    with pytest.raises(tf.errors.DataLossError, match="corrupted record at 33"):
        next(iterator)


def test_corrupted_length_and_not_a_tfrecord(tmp_path):
    bad = bytearray(TF_PLAIN)
    bad[0] ^= 1
    path = _write(tmp_path / "len.tfrecord", bytes(bad))
    with pytest.raises(tf.errors.DataLossError, match="corrupted record at 0 .Is this even"):
        _records(tf.data.TFRecordDataset(path))
    # A GZIP file read without its compression type is not a TFRecord file.
    gz = _write(tmp_path / "g.tfrecord", TF_GZIP)
    with pytest.raises(tf.errors.DataLossError, match="Is this even a TFRecord file"):
        _records(tf.data.TFRecordDataset(gz))
    with pytest.raises(tf.errors.DataLossError, match="g.tfrecord"):
        _records(tf.data.TFRecordDataset(_write(tmp_path / "g.tfrecord", b"junk"), "GZIP"))


def test_truncated_record(tmp_path):
    path = _write(tmp_path / "t.tfrecord", TF_PLAIN[:-3])
    with pytest.raises(tf.errors.DataLossError, match="truncated record at 21"):
        _records(tf.data.TFRecordDataset(path))
    # DataLossError is also a ValueError, as gpuflow's errors document.
    with pytest.raises(ValueError):
        _records(tf.data.TFRecordDataset(_write(tmp_path / "h.tfrecord", TF_PLAIN[:5])))


def test_missing_file_and_bad_arguments(tmp_path):
    with pytest.raises(tf.errors.NotFoundError, match="nope.tfrecord"):
        _records(tf.data.TFRecordDataset(str(tmp_path / "nope.tfrecord")))
    with pytest.raises(ValueError, match='Not a valid compression_type: "BZ2"'):
        tf.io.TFRecordWriter(str(tmp_path / "x"), "BZ2")
    with pytest.raises(ValueError, match="compression_type"):
        tf.data.TFRecordDataset("x", compression_type="BZ2")
    with pytest.raises(ValueError, match="compression_type"):
        tf.io.TFRecordOptions(compression_type="LZ4")
    with pytest.raises(TypeError, match="filenames must be strings"):
        tf.data.TFRecordDataset([1, 2])
    with pytest.raises(tf.errors.NotFoundError):
        tf.io.TFRecordWriter(str(tmp_path / "no" / "dir" / "x.tfrecord"))
    with pytest.raises(TypeError, match="record"):
        with tf.io.TFRecordWriter(str(tmp_path / "y")) as writer:
            writer.write(12)


def test_options_compression_type_string():
    get = tf.io.TFRecordOptions.get_compression_type_string
    assert get(None) == "" and get("GZIP") == "GZIP"
    assert get(tf.io.TFRecordOptions(compression_type="ZLIB")) == "ZLIB"
    assert get(tf.io.TFRecordOptions()) == ""


def test_filenames_from_a_dataset_and_in_interleave(tmp_path):
    first = _write(tmp_path / "f1.tfrecord", tfrecord.frame(b"one") + tfrecord.frame(b"two"))
    second = _write(tmp_path / "f2.tfrecord", tfrecord.frame(b"three"))
    names = tf.data.Dataset.list_files(str(tmp_path / "f*.tfrecord"), shuffle=False)
    assert _records(tf.data.TFRecordDataset(names)) == [b"one", b"two", b"three"]
    mixed = tf.data.Dataset.from_tensor_slices([first, second]).interleave(
        tf.data.TFRecordDataset, cycle_length=2
    )
    assert _records(mixed) == [b"one", b"three", b"two"]
    with pytest.raises(TypeError, match="scalar tf.string elements"):
        tf.data.TFRecordDataset(tf.data.Dataset.range(2))
