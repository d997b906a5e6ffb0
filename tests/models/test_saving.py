"""Safe save/load: round trips, optimizer state, atomic writes, corrupt and tampered files."""

from __future__ import annotations

import json
import zipfile

import numpy as np
import pytest
from model_factory import mlp

import gpuflow
from gpuflow.models import saving


def trained(blobs, epochs=1):
    x, y = blobs
    model = mlp()
    model.compile(
        optimizer=gpuflow.keras.optimizers.Adam(0.01),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    model.fit(x, y, epochs=epochs, verbose=0)
    return model


def test_round_trip_architecture_weights_compile(blobs, tmp_path):
    x, y = blobs
    model = trained(blobs)
    path = tmp_path / "model.gpuflow"
    model.save(path)
    restored = gpuflow.keras.models.load_model(path)
    assert [type(layer).__name__ for layer in restored.layers] == ["Dense", "Dense"]
    for a, b in zip(model.get_weights(), restored.get_weights()):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(model.predict(x, verbose=0), restored.predict(x, verbose=0))
    assert restored.evaluate(x, y, verbose=0) == pytest.approx(model.evaluate(x, y, verbose=0))
    assert restored.optimizer.iterations == model.optimizer.iterations


def test_save_load_continue_equals_uninterrupted_run(blobs, tmp_path):
    x, y = blobs

    def run(interrupt):
        gpuflow.random.set_seed(7)
        model = trained(blobs, epochs=2)
        if interrupt:
            model.save(tmp_path / "mid.gpuflow")
            model = gpuflow.keras.models.load_model(tmp_path / "mid.gpuflow")
        model.fit(x, y, epochs=2, verbose=0)
        return model.get_weights()

    for a, b in zip(run(False), run(True)):
        np.testing.assert_array_equal(a, b)


def test_crash_mid_save_leaves_previous_file_intact(blobs, tmp_path, monkeypatch):
    model = trained(blobs)
    path = tmp_path / "model.gpuflow"
    model.save(path)
    before = path.read_bytes()

    def crash(*args, **kwargs):
        args[0].write(b"partial")
        raise KeyboardInterrupt("power cut")

    monkeypatch.setattr(saving.np, "savez", crash)
    with pytest.raises(KeyboardInterrupt):
        model.save(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.gpuflow"]


def test_truncated_file_gives_a_clear_error(blobs, tmp_path):
    path = tmp_path / "model.gpuflow"
    trained(blobs).save(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(gpuflow.saving.FileFormatError, match="not a readable gpuflow file"):
        gpuflow.keras.models.load_model(path)


def test_tampered_weights_fail_their_checksum(blobs, tmp_path):
    path = tmp_path / "model.gpuflow"
    trained(blobs).save(path)
    with np.load(path, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    arrays["weight.0"] = arrays["weight.0"] + 1
    with open(path, "wb") as f:
        np.savez(f, **arrays)
    with pytest.raises(ValueError, match="SHA-256"):
        gpuflow.keras.models.load_model(path)


def test_pickled_payload_is_refused(tmp_path):
    path = tmp_path / "evil.gpuflow"
    header = np.frombuffer(
        json.dumps({"format": "gpuflow", "version": 1, "arrays": {}}).encode(), np.uint8
    )
    with open(path, "wb") as f:
        np.savez(f, __meta__=header, payload=np.array([object()], dtype=object))
    with pytest.raises(gpuflow.saving.FileFormatError, match="not listed in the header"):
        gpuflow.keras.models.load_model(path)


def test_not_a_zip_and_missing_file(tmp_path):
    path = tmp_path / "junk.gpuflow"
    path.write_text("hello")
    with pytest.raises(gpuflow.saving.FileFormatError, match="not a readable gpuflow file") as err:
        gpuflow.keras.models.load_model(path)
    assert "pickle" not in str(err.value)
    with pytest.raises(FileNotFoundError, match="no such file"):
        gpuflow.keras.models.load_model(tmp_path / "absent.gpuflow")
    # a missing .keras file: Keras 3's ValueError (the tutorials' save/load guide hits it)
    with pytest.raises(ValueError, match=r"File not found: filepath=.*absent\.keras"):
        gpuflow.keras.models.load_model(tmp_path / "absent.keras")
    assert not zipfile.is_zipfile(path)
    # a folder (a Keras 2 SavedModel) is refused as Keras 3 refuses it, naming TFSMLayer
    (tmp_path / "saved_model").mkdir()
    with pytest.raises(ValueError, match=r"File format not supported(.|\n)*TFSMLayer"):
        gpuflow.keras.models.load_model(tmp_path / "saved_model")


def test_weights_only_files(blobs, tmp_path):
    model = trained(blobs)
    path = tmp_path / "w.weights"
    model.save_weights(path)
    fresh = mlp()
    fresh.load_weights(path)
    for a, b in zip(model.get_weights(), fresh.get_weights()):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="weights only"):
        gpuflow.keras.models.load_model(path)
    wrong = mlp(units=8)
    with pytest.raises(ValueError, match="shape"):
        wrong.load_weights(path)


def test_overwrite_false_refuses(blobs, tmp_path):
    model = trained(blobs)
    path = tmp_path / "m.gpuflow"
    model.save(path)
    with pytest.raises(FileExistsError):
        model.save(path, overwrite=False)


def test_custom_layer_and_loss_round_trip_through_custom_objects(blobs, tmp_path):
    x, y = blobs

    class Scale(gpuflow.keras.layers.Layer):
        def build(self, input_shape):
            self.factor = self.add_weight(name="factor", shape=(), initializer="ones")
            super().build(input_shape)

        def call(self, inputs):
            return inputs * self.factor

    def squared_hinge_free(y_true, y_pred):
        return gpuflow.keras.losses.sparse_categorical_crossentropy(y_true, y_pred)

    model = gpuflow.keras.Sequential(
        [
            gpuflow.keras.layers.Input(shape=(20,)),
            Scale(),
            gpuflow.keras.layers.Dense(4, activation="softmax"),
        ]
    )
    model.compile(optimizer="sgd", loss=squared_hinge_free)
    model.fit(x, y, epochs=1, verbose=0)
    path = tmp_path / "custom.gpuflow"
    model.save(path)
    with pytest.raises(ValueError, match="custom_objects"):
        gpuflow.keras.models.load_model(path)
    restored = gpuflow.keras.models.load_model(
        path, custom_objects={"Scale": Scale, "squared_hinge_free": squared_hinge_free}
    )
    np.testing.assert_array_equal(
        restored.predict(x[:8], verbose=0), model.predict(x[:8], verbose=0)
    )
    restored.fit(x, y, epochs=1, verbose=0)


def test_save_arguments_and_folder_paths_as_keras3(blobs, tmp_path):
    model = trained(blobs)
    # TF 2's SavedModel folder (model.save("dir")): Keras 3's ValueError about the extension
    folder = tmp_path / "saved"
    folder.mkdir()
    with pytest.raises(ValueError, match="Invalid filepath extension for saving"):
        model.save(folder)
    with pytest.raises(ValueError, match="Invalid filepath extension for saving"):
        gpuflow.keras.models.save_model(model, folder)
    # unknown keyword arguments: Keras 3's ValueError naming them
    with pytest.raises(ValueError, match=r"not supported: \['options'\]"):
        model.save(tmp_path / "m.keras", options=object())
    with pytest.raises(ValueError, match="save_format"):
        model.save(tmp_path / "m.gpuflow", save_format="tf")
    assert not (tmp_path / "m.keras").exists()
    # save_format with a .keras path and include_optimizer=False are accepted
    model.save(tmp_path / "m.keras", save_format="keras", include_optimizer=False)
    restored = gpuflow.keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_array_equal(restored.get_weights()[0], model.get_weights()[0])
