"""gpuflow's own files: one error type, no pickle advice, named partial files, IDX checks."""

from __future__ import annotations

import gzip
import struct

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.datasets import CorruptFileError
from gpuflow.datasets._idx import read_idx
from gpuflow.datasets.mnist import RAW_IDX_FILES
from gpuflow.saving import FileFormatError
from gpuflow.saving.atomic import atomic_write


def test_not_a_zip_never_mentions_pickle(tmp_path):
    path = tmp_path / "m.gpuflow"
    np.save(path.with_suffix(".npy"), np.ones(3))
    path.write_bytes(path.with_suffix(".npy").read_bytes())
    with pytest.raises(FileFormatError) as err:
        tf.keras.models.load_model(path)
    assert "pickle" not in str(err.value) and str(path) in str(err.value)
    assert "not a readable gpuflow file" in str(err.value)


def test_load_weights_refuses_complex_weights_by_field(tmp_path):
    model = tf.keras.Sequential([tf.keras.layers.Dense(2)])
    model.build((None, 3))
    path = tmp_path / "w.gpuflow"
    model.save_weights(path)
    with np.load(path) as z:
        arrays = {k: z[k] for k in z.files}
    import json

    meta = json.loads(arrays.pop("__meta__").tobytes())
    from malformed_corpus import write_crafted

    write_crafted(path, meta, dict(arrays, **{"weight.0": arrays["weight.0"] > 0}))
    with pytest.raises(FileFormatError, match=r"arrays\.weight\.0: dtype bool"):
        model.load_weights(path)


def test_a_failed_save_leaves_no_partial_file(tmp_path):
    path = tmp_path / "out.bin"
    with pytest.raises(RuntimeError):
        with atomic_write(path) as f:
            f.write(b"half")
            raise RuntimeError("disk full")
    assert list(tmp_path.iterdir()) == []


def test_corrupt_file_error_is_the_file_format_error():
    assert issubclass(CorruptFileError, FileFormatError)
    err = CorruptFileError("/d/x.gz: not gzip")
    assert (err.path, err.problem, str(err)) == ("/d/x.gz", "not gzip", "/d/x.gz: not gzip")


def _idx(dims, payload):
    return struct.pack(">I", 0x0800 | len(dims)) + struct.pack(f">{len(dims)}I", *dims) + payload


def test_raw_idx_sizes_and_published_checksums(tmp_path):
    labels = tmp_path / "t10k-labels-idx1-ubyte"
    labels.write_bytes(_idx((12,), bytes(range(12))))  # the user's own data: read as is
    assert read_idx(labels, 1, (), known=RAW_IDX_FILES[labels.name]).tolist() == list(range(12))
    labels.write_bytes(_idx((10000,), bytes(10000)))  # the published shape, not its content
    with pytest.raises(CorruptFileError, match="SHA-256"):
        read_idx(labels, 1, (), known=RAW_IDX_FILES[labels.name])
    gz = tmp_path / "t10k-labels-idx1-ubyte.gz"  # same check after decompression
    gz.write_bytes(gzip.compress(_idx((10000,), bytes(10000))))
    with pytest.raises(CorruptFileError, match="SHA-256"):
        read_idx(gz, 1, (), known=RAW_IDX_FILES["t10k-labels-idx1-ubyte"])
    labels.write_bytes(_idx((12,), bytes(13)))
    with pytest.raises(CorruptFileError, match="file holds 13 bytes"):
        read_idx(labels, 1, ())


def test_gz_idx_never_reads_past_its_declared_size(tmp_path):
    gz = tmp_path / "x.gz"
    gz.write_bytes(gzip.compress(_idx((2, 28, 28), bytes(2 * 784 + 5_000_000))))
    with pytest.raises(CorruptFileError, match=r"file holds 1569 bytes"):  # declared + 1
        read_idx(gz, 3, (28, 28))


def test_damaged_checkpoints_are_data_loss_and_file_format_errors(tmp_path):
    from gpuflow.train import storage

    ckpt = tf.train.Checkpoint(v=tf.Variable(np.arange(16, dtype="float32")))
    prefix = ckpt.write(str(tmp_path / "ck"))
    index = storage.read_index(prefix, "test")
    key = "v/.ATTRIBUTES/VARIABLE_VALUE"
    index["values"][key]["shape"] = "sixteen"  # a crafted index: not a shape
    with pytest.raises(FileFormatError) as err:
        storage.read_values(prefix, index, [key], "test")
    assert isinstance(err.value, tf.errors.DataLossError)
    data = prefix + storage.DATA_SUFFIX
    raw = bytearray(open(data, "rb").read())
    raw[len(raw) // 2] ^= 0xFF
    open(data, "wb").write(bytes(raw))
    with pytest.raises(tf.errors.DataLossError) as err:
        ckpt.read(prefix)
    assert isinstance(err.value, FileFormatError) and err.value.path == data
