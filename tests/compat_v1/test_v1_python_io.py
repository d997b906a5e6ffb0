"""tf.compat.v1.python_io: TFRecordCompressionType numbers accepted as compression types,
tf_record_iterator reading with a TFRecordOptions."""

import pytest

import gpuflow as tf

v1 = tf.compat.v1


def test_compression_numbers_and_options_round_trip(tmp_path):
    kinds = v1.python_io.TFRecordCompressionType
    assert (kinds.NONE, kinds.ZLIB, kinds.GZIP) == (0, 1, 2)
    get = v1.python_io.TFRecordOptions.get_compression_type_string
    assert [get(k) for k in (kinds.NONE, kinds.ZLIB, kinds.GZIP, None)] == ["", "ZLIB", "GZIP", ""]
    for kind in (kinds.ZLIB, kinds.GZIP):
        options = v1.python_io.TFRecordOptions(kind)
        path = str(tmp_path / f"r{kind}")
        with v1.python_io.TFRecordWriter(path, options) as writer:
            writer.write(b"ab")
            writer.write(b"")
        assert list(v1.python_io.tf_record_iterator(path, options)) == [b"ab", b""]
        assert list(v1.python_io.tf_record_iterator(path, kind)) == [b"ab", b""]
    with pytest.raises(ValueError, match="Not a valid compression_type"):
        get(7)
