"""tf.saved_model.experimental.read_fingerprint / Fingerprint (as TF 2.21's)."""

import pytest

import gpuflow as tf
from gpuflow.saved_model import fingerprint


class _Scale(tf.Module):
    def __init__(self):
        self.v = tf.Variable([1.0, 2.0])

    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def f(self, x):
        return x * self.v[0]


def test_same_model_same_singleprint_values_change_only_checkpoint_hash(tmp_path):
    m = _Scale()
    tf.saved_model.save(m, str(tmp_path / "a"))
    tf.saved_model.save(m, str(tmp_path / "b"))
    m.v.assign([3.0, 4.0])
    tf.saved_model.save(m, str(tmp_path / "c"))
    a, b, c = (tf.saved_model.experimental.read_fingerprint(str(tmp_path / d)) for d in "abc")
    assert a.singleprint() == b.singleprint()
    assert a.graph_def_program_hash == c.graph_def_program_hash
    assert a.signature_def_hash == c.signature_def_hash
    assert a.saved_object_graph_hash == c.saved_object_graph_hash
    assert a.checkpoint_hash != c.checkpoint_hash
    assert a.version.producer == fingerprint.PRODUCER
    assert str(a).startswith("SavedModel Fingerprint\n  saved_model_checksum: ")
    assert repr(a) == f"Fingerprint({a.saved_model_checksum}, {a.singleprint().replace('/', ', ')})"
    assert float(tf.saved_model.load(str(tmp_path / "c")).f(tf.constant([2.0]))[0]) == 6.0


def test_wire_format_round_trip_and_tensorflow_bytes():
    fp = tf.saved_model.experimental.Fingerprint(1, 2**64 - 1, 3, 4, 5, fingerprint.VersionDef(4))
    back = tf.saved_model.experimental.Fingerprint.from_proto(fingerprint._encode(fp))
    assert back == fp and back.version.producer == 4 and back.singleprint() == f"{2**64 - 1}/3/4/5"
    # fields 1-6 of a fingerprint.pb written by TensorFlow 2.21, then a shortened uuid
    # (field 7, skipped when read)
    tf_bytes = bytes.fromhex(
        "08de97b2fbe9b6d3b50810d688aec59fb184fe94011886efb0b2e4fcfd927320d6a292fdc3b6e9c797"
        "0128bb889bfcacc0f5e49701320208043a0431323334"
    )
    read = tf.saved_model.experimental.Fingerprint.from_proto(tf_bytes)
    assert repr(read) == (
        "Fingerprint(606664021565541342, 10735474896024601686, 8297310456893945734, "
        "10921129814977188182, 10937508477605954619)"
    )
    assert str(read.version) == "producer: 4\n"


def test_missing_fingerprint_and_bad_values_raise(tmp_path):
    with pytest.raises(FileNotFoundError, match="Could not find fingerprint in directory"):
        tf.saved_model.experimental.read_fingerprint(str(tmp_path))
    with pytest.raises(ValueError, match="invalid fingerprint values"):
        tf.saved_model.experimental.Fingerprint().singleprint()
