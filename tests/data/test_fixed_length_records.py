"""FixedLengthRecordDataset, IteratorSpec, and the read-only Dataset.options()."""

import gzip

import numpy as np
import pytest

import gpuflow as tf


def _write(path, body: bytes, header=b"HDR", footer=b"FT"):
    path.write_bytes(header + body + footer)
    return str(path)


def _values(ds):
    return [np.frombuffer(r, np.uint8).tolist() for r in ds.as_numpy_iterator()]


def test_records_after_the_header_and_before_the_footer(tmp_path):
    a = _write(tmp_path / "a.bin", bytes(range(12)))
    b = _write(tmp_path / "b.bin", bytes(range(100, 108)))
    ds = tf.data.FixedLengthRecordDataset([a, b], record_bytes=4, header_bytes=3, footer_bytes=2)
    assert ds.element_spec == tf.TensorSpec((), tf.string)
    assert _values(ds) == [
        [0, 1, 2, 3],
        [4, 5, 6, 7],
        [8, 9, 10, 11],
        [100, 101, 102, 103],
        [104, 105, 106, 107],
    ]
    both = tf.data.FixedLengthRecordDataset([a, b], 4, 3, 2, num_parallel_reads=2)
    assert [v[0] for v in _values(both)] == [0, 100, 4, 104, 8]


def test_compressed_files_and_bad_sizes(tmp_path):
    packed = tmp_path / "c.gz"
    with gzip.open(packed, "wb") as f:
        f.write(b"H" + bytes(range(9)))
    ds = tf.data.FixedLengthRecordDataset(str(packed), 4, header_bytes=1, compression_type="GZIP")
    # 9 body bytes: two records read, then the leftover byte is an error
    it = ds.as_numpy_iterator()
    assert [np.frombuffer(next(it), np.uint8).tolist() for _ in range(2)] == [
        [0, 1, 2, 3],
        [4, 5, 6, 7],
    ]
    with pytest.raises(tf.errors.InvalidArgumentError, match="body length 9 bytes"):
        next(it)
    plain = _write(tmp_path / "d.bin", bytes(range(12)))
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="not an exact multiple of the record length \\(5"
    ):
        list(tf.data.FixedLengthRecordDataset(plain, 5, 3, 2))
    with pytest.raises(tf.errors.NotFoundError, match="No such file"):
        list(tf.data.FixedLengthRecordDataset(str(tmp_path / "missing.bin"), 4))
    with pytest.raises(ValueError, match="record_bytes"):
        tf.data.FixedLengthRecordDataset(plain, 0)


def test_options_read_back_are_read_only():
    options = tf.data.Options()
    options.threading.private_threadpool_size = 2
    ds = tf.data.Dataset.range(3).with_options(options)
    assert ds.options().threading.private_threadpool_size == 2
    assert isinstance(ds.options().threading, tf.data.ThreadingOptions)
    with pytest.raises(ValueError, match="with_options"):
        ds.options().threading.private_threadpool_size = 8
    options.deterministic = False  # the user's own object stays writable


def test_iterator_spec_and_numpy_iterator():
    ds = tf.data.Dataset.range(3)
    spec = tf.data.IteratorSpec(ds.element_spec)
    assert spec == tf.data.IteratorSpec(tf.TensorSpec((), tf.int64))
    assert spec.is_compatible_with(iter(ds))
    assert repr(spec).startswith("IteratorSpec(TensorSpec(")
    assert isinstance(ds.as_numpy_iterator(), tf.data.NumpyIterator)
