"""keras.saving.KerasFileEditor on gpuflow's .keras / .weights.h5 files."""

import h5py
import numpy as np
import pytest

import gpuflow as gf
from gpuflow.saving import FileFormatError, KerasFileEditor


def _model():
    gf.random.set_seed(0)
    return gf.keras.Sequential(
        [
            gf.keras.Input((3, 4)),
            gf.keras.layers.LSTM(2, return_sequences=True),
            gf.keras.layers.Dense(1, name="head"),
        ]
    )


def test_reads_nested_objects_and_round_trips(tmp_path, capsys):
    model = _model()
    path = str(tmp_path / "m.weights.h5")
    model.save_weights(path)
    editor = KerasFileEditor(path)
    layers = editor.weights_dict["layers"]
    assert sorted(layers) == ["dense", "lstm"]
    assert [v.shape for v in layers["lstm"]["cell"].values()] == [(4, 8), (2, 8), (8,)]
    assert editor.object_metadata["/layers/dense"] == {"name": "head"}
    editor.summary()
    printed = capsys.readouterr().out
    assert "cell" in printed and "0: shape=(4, 8), dtype=float32" in printed
    assert editor.compare(model) == {"status": "success", "error_count": 0, "match_count": 5}
    editor.add_weights("dense", {"1": np.full(1, 7.0, "float32")})  # a bare, unique name
    out = str(tmp_path / "edited.weights.h5")
    editor.save(out)
    model.load_weights(out)
    np.testing.assert_array_equal(model.layers[1].bias.numpy(), [7.0])


def test_compare_reports_missing_and_mismatched(tmp_path):
    model = _model()
    path = str(tmp_path / "m.weights.h5")
    model.save_weights(path)
    editor = KerasFileEditor(path)
    editor.delete_weight("layers/dense", "1")
    editor.add_weights("layers/lstm/cell", {"2": np.zeros(3, "float32")})
    report = editor.compare(model)
    assert report["status"] == "error" and report["error_count"] == 2
    with pytest.raises(ValueError, match="occurs more than once"):
        KerasFileEditor(path).delete_weight("0", "x")


def test_refuses_links_and_other_extensions(tmp_path):
    path = str(tmp_path / "bad.weights.h5")
    with h5py.File(path, "w") as h5:
        h5.create_dataset("layers/dense/vars/0", data=np.ones(2))
        h5["layers/dense/vars/1"] = h5py.SoftLink("/layers/dense/vars/0")
    with pytest.raises(FileFormatError, match="SoftLink"):
        KerasFileEditor(path)
    with pytest.raises(ValueError, match="expected a `.keras` `.weights.h5` extension"):
        KerasFileEditor(str(tmp_path / "m.h5"))
