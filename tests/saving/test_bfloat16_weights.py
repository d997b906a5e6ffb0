"""bfloat16 weights in .weights.h5 / .keras as Keras 3 writes them: an opaque 2-byte HDF5
type with the attribute dtype="bfloat16"; files from Keras load here and back."""

from pathlib import Path

import numpy as np
import pytest

import gpuflow as tf

h5py = pytest.importorskip("h5py")
REF = Path(__file__).parent / "reference"
KERNEL = [0.10009765625, 0.2001953125, 0.30078125, 0.400390625, 0.5, 0.6015625]


def _model(dtype):
    return tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2, dtype=dtype)])


@pytest.mark.parametrize("dtype", ["bfloat16", "float32", "mixed_bfloat16"])
def test_keras_bfloat16_weights_file_loads(dtype):
    model = _model(dtype)
    model.load_weights(REF / "bfloat16_dense.weights.h5")
    kernel, bias = model.get_weights()
    assert kernel.dtype == ("bfloat16" if dtype == "bfloat16" else np.float32)
    assert kernel.astype(np.float32).ravel().tolist() == KERNEL
    assert bias.astype(np.float32).tolist() == [0.25, -1.5]


def test_keras_bfloat16_archive_loads():
    model = tf.keras.models.load_model(REF / "bfloat16_dense.keras")
    assert model.layers[0].dtype_policy.name == "bfloat16"
    kernel = model.get_weights()[0]
    assert kernel.dtype == "bfloat16" and kernel.astype(np.float32).ravel().tolist() == KERNEL
    out = model(np.ones((1, 3), np.float32))
    assert out.dtype == tf.bfloat16 and out.numpy().astype(np.float32).tolist() == [
        [1.15625, -0.296875]
    ]


def test_written_files_mark_bfloat16_as_keras(tmp_path):
    model = _model("bfloat16")
    model.load_weights(REF / "bfloat16_dense.weights.h5")
    model.save_weights(tmp_path / "m.weights.h5")
    with h5py.File(tmp_path / "m.weights.h5", "r") as h5:
        node = h5["layers/dense/vars/0"]
        assert node.dtype.itemsize == 2 and node.attrs["dtype"] == "bfloat16"
    model.save(tmp_path / "m.keras")
    fresh = _model("bfloat16")
    fresh.load_weights(tmp_path / "m.weights.h5")
    expected = [w.tolist() for w in model.get_weights()]
    for loaded in (tf.keras.models.load_model(tmp_path / "m.keras"), fresh):
        assert [w.dtype for w in loaded.get_weights()] == ["bfloat16", "bfloat16"]
        assert [w.tolist() for w in loaded.get_weights()] == expected


def test_unmarked_two_byte_data_is_refused(tmp_path):
    with h5py.File(tmp_path / "bad.weights.h5", "w") as h5:
        with h5py.File(REF / "bfloat16_dense.weights.h5", "r") as src:
            for key in src:
                src.copy(key, h5)
        del h5["layers/dense/vars/0"].attrs["dtype"]
    with pytest.raises(Exception, match="is not a real number type"):
        _model("bfloat16").load_weights(tmp_path / "bad.weights.h5")
