"""Keras -> gpuflow -> Keras: reference files loaded here, saved again by gpuflow, and the
written archive checked for Keras 3's layout everywhere; where real Keras 3 is at hand
(``TF_VENV`` or an importable ``keras`` 3), it loads gpuflow's file and predicts the same."""

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

import gpuflow as tf

h5py = pytest.importorskip("h5py")
REF = Path(__file__).parent / "reference"
EXPECTED = np.load(REF / "expected.npz")
NAMES = ["mlp", "cnn", "two_input", "lstm_text", "gru_text", "wrapped", "objects"]


def _inputs(name):
    if name == "two_input":
        return [EXPECTED["two_input_a"], EXPECTED["two_input_b"]]
    return EXPECTED[f"{name}_x"]


def _resave(name, tmp_path):
    model = tf.keras.models.load_model(REF / f"{name}.keras")
    path = tmp_path / f"{name}.keras"
    model.save(path)
    return model, path


def _h5_layout(h5):
    out = {}
    h5.visititems(lambda key, node: out.setdefault(key, getattr(node, "shape", None)))
    return out


@pytest.mark.parametrize("name", NAMES)
def test_written_archive_has_keras_layout(name, tmp_path):
    model, path = _resave(name, tmp_path)
    with zipfile.ZipFile(path) as archive:
        assert set(archive.namelist()) == {"config.json", "metadata.json", "model.weights.h5"}
        config = json.loads(archive.read("config.json"))
        metadata = json.loads(archive.read("metadata.json"))
        ours = tmp_path / "ours.h5"
        ours.write_bytes(archive.read("model.weights.h5"))
    with zipfile.ZipFile(REF / f"{name}.keras") as archive:
        theirs_config = json.loads(archive.read("config.json"))
        theirs = tmp_path / "theirs.h5"
        theirs.write_bytes(archive.read("model.weights.h5"))
    assert metadata["keras_version"].startswith("3.")
    assert config["class_name"] == theirs_config["class_name"]
    assert config["module"] and config["registered_name"] == theirs_config["registered_name"]
    ours_layers = [(s["class_name"], s["config"]["name"]) for s in config["config"]["layers"]]
    theirs_layers = [
        (s["class_name"], s["config"]["name"]) for s in theirs_config["config"]["layers"]
    ]
    assert [c for c, _ in ours_layers] == [c for c, _ in theirs_layers]
    for spec, their in zip(config["config"]["layers"], theirs_config["config"]["layers"]):
        assert spec["module"] == their["module"]
        if spec["class_name"] != "InputLayer":
            assert spec["config"]["dtype"]["class_name"] == "DTypePolicy"
    # Same HDF5 paths and shapes as Keras wrote: layers/<class>/vars/i and optimizer/vars/i.
    with h5py.File(ours) as a, h5py.File(theirs) as b:
        ours_layout, theirs_layout = _h5_layout(a), _h5_layout(b)
    datasets = {k: v for k, v in theirs_layout.items() if v is not None}
    assert {k: v for k, v in ours_layout.items() if v is not None} == datasets
    np.testing.assert_allclose(
        tf.keras.models.load_model(path)(_inputs(name), training=False).numpy(),
        EXPECTED[f"{name}_y"],
        rtol=1e-5,
        atol=1e-6,
    )


def _keras_python():
    venv = os.environ.get("TF_VENV")
    if venv and Path(venv, "bin", "python").exists():
        return str(Path(venv, "bin", "python"))
    try:
        import keras  # noqa: F401

        if keras.__version__.startswith("3.") and "gpuflow" not in keras.__file__:
            return sys.executable
    except ImportError:
        pass
    return None


_CHECK = """
import sys, numpy as np, keras
path, name, expected = sys.argv[1], sys.argv[2], np.load(sys.argv[3])
x = [expected["two_input_a"], expected["two_input_b"]] if name == "two_input" \\
    else expected[name + "_x"]
model = keras.models.load_model(path)
np.testing.assert_allclose(model.predict(x, verbose=0), expected[name + "_y"],
                           rtol=1e-5, atol=1e-6)
if getattr(model, "optimizer", None) is not None and name != "cnn":
    assert int(model.optimizer.iterations) == 1, int(model.optimizer.iterations)
print("keras-ok")
"""


@pytest.mark.skipif(_keras_python() is None, reason="real Keras 3 not available (set TF_VENV)")
@pytest.mark.parametrize("name", NAMES)
def test_real_keras_loads_gpuflow_archive(name, tmp_path):
    _, path = _resave(name, tmp_path)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", CUDA_VISIBLE_DEVICES="")
    done = subprocess.run(
        [_keras_python(), "-c", _CHECK, str(path), name, str(REF / "expected.npz")],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        cwd=tmp_path,
    )
    assert done.returncode == 0 and "keras-ok" in done.stdout, done.stderr[-3000:]


def test_recurrent_dropout_options_load_back(tmp_path):
    # the cells' own options (dropout, recurrent_dropout, seed) sit on their base class
    model = tf.keras.Sequential(
        [
            tf.keras.Input((5, 2)),
            tf.keras.layers.LSTM(3, return_sequences=True, dropout=0.3, recurrent_dropout=0.2),
            tf.keras.layers.GRU(2, dropout=0.1, seed=4),
        ]
    )
    path = tmp_path / "rnn.keras"
    model.save(path)
    loaded = tf.keras.models.load_model(path)
    lstm, gru = loaded.layers
    assert (lstm.dropout, lstm.recurrent_dropout, gru.dropout) == (0.3, 0.2, 0.1)
    x = np.random.default_rng(0).normal(size=(2, 5, 2)).astype("float32")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_binary_accuracy_threshold_loads_back(tmp_path):
    # BinaryAccuracy's config carries threshold (Keras writes it too): the compiled
    # metrics of a saved model are rebuilt with it instead of refusing the file
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(1, "sigmoid")])
    model.compile(
        "adam",
        "binary_crossentropy",
        metrics=[
            tf.keras.metrics.BinaryAccuracy(name="acc", threshold=0.7),
            tf.keras.metrics.AUC(name="auc"),
        ],
    )
    x = np.random.default_rng(1).normal(size=(8, 3)).astype("float32")
    y = (x[:, :1] > 0).astype("float32")
    model.fit(x, y, epochs=1, verbose=0)
    path = tmp_path / "binary.keras"
    model.save(path)
    loaded = tf.keras.models.load_model(path)
    metric = loaded.evaluate(x, y, verbose=0, return_dict=True)
    assert sorted(metric) == ["acc", "auc", "loss"]
    (acc,) = loaded.get_compile_config()["metrics"][:1]
    assert acc["class_name"] == "BinaryAccuracy" and acc["config"]["threshold"] == 0.7
    assert (
        tf.keras.metrics.BinaryAccuracy.from_config(
            tf.keras.metrics.BinaryAccuracy(threshold=0.3).get_config()
        ).get_config()["threshold"]
        == 0.3
    )


def test_accumulated_and_ema_optimizer_state_loads_back(tmp_path):
    # Keras keeps an optimizer's EMA averages and gradient accumulators before its own slots
    # (optimizer/vars: iteration, learning_rate, averages, accumulators, m/v per variable);
    # a .keras file of an Adam with both loads back with every value in place
    tf.keras.utils.set_random_seed(0)
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2)])
    optimizer = tf.keras.optimizers.Adam(0.01, gradient_accumulation_steps=2, use_ema=True)
    model.compile(optimizer, "mse")
    x = np.arange(30, dtype="float32").reshape(10, 3) / 30
    model.fit(x, np.ones((10, 2), "float32"), batch_size=4, epochs=1, verbose=0)
    path = tmp_path / "accumulated.keras"
    model.save(path)
    loaded = tf.keras.models.load_model(path)
    names = [v.path for v in loaded.optimizer.variables]
    kinds = ["kernel_average", "bias_average"]
    kinds += ["kernel_gradient_accumulator", "bias_gradient_accumulator"]
    assert [name.endswith(kind) for name, kind in zip(names[2:6], kinds)] == [True] * 4
    before = [np.asarray(v) for v in model.optimizer.variables]
    after = [np.asarray(v) for v in loaded.optimizer.variables]
    assert len(before) == len(after) == 10
    accumulator = after[4]
    assert np.abs(accumulator).sum() > 0  # 3 batches: the third one's gradient waits
    for a, b in zip(before, after):
        np.testing.assert_allclose(b, a)
