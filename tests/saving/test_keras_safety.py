"""Hostile or damaged Keras files: refused with FileFormatError before anything is allocated or
run (Keras' safe mode: no Lambda code, no unknown classes, no pickle)."""

import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.saving import FileFormatError, limits

h5py = pytest.importorskip("h5py")
REF = Path(__file__).parent / "reference"


def _members(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _write(path, members, stored=False):
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _with_config(tmp_path, edit):
    members = _members(REF / "mlp.keras")
    config = json.loads(members["config.json"])
    edit(config)
    members["config.json"] = json.dumps(config).encode()
    return _write(tmp_path / "edited.keras", members)


def _lambda(config):
    layers = config["config"]["layers"]
    layers.insert(
        2,
        {
            "module": "keras.layers",
            "class_name": "Lambda",
            "registered_name": None,
            "config": {
                "name": "evil",
                "function": {
                    "class_name": "__lambda__",
                    "config": {"code": "4wEAAAAAAAAA", "defaults": None, "closure": None},
                },
            },
        },
    )


def test_lambda_layer_is_refused_in_safe_mode(tmp_path):
    path = _with_config(tmp_path, _lambda)
    with pytest.raises(FileFormatError, match="Lambda.*safe mode"):
        tf.keras.models.load_model(path)


def _halve(x):
    return x / 2.0


def test_lambda_of_a_named_function_loads_in_safe_mode(tmp_path):
    # a Lambda over a def'd function stores only its name: no code runs from the file, so
    # safe mode lets it load once custom_objects names the function (as Keras 3)
    inputs = tf.keras.Input((3,))
    model = tf.keras.Model(inputs, tf.keras.layers.Lambda(_halve, name="halve")(inputs))
    path = tmp_path / "named.keras"
    model.save(path)
    with pytest.raises(TypeError, match="could not locate function '_halve'"):
        tf.keras.models.load_model(path)
    loaded = tf.keras.models.load_model(path, custom_objects={"_halve": _halve})
    x = np.arange(6, dtype="float32").reshape(2, 3)
    np.testing.assert_allclose(np.asarray(loaded(x)), x / 2.0)


def test_unknown_class_needs_custom_objects(tmp_path):
    def edit(config):
        config["config"]["layers"][1]["class_name"] = "MyDense"

    with pytest.raises(FileFormatError, match=r"unknown layer class 'MyDense'.*custom_objects"):
        tf.keras.models.load_model(_with_config(tmp_path, edit))
    model = tf.keras.models.load_model(
        _with_config(tmp_path, edit), custom_objects={"MyDense": tf.keras.layers.Dense}
    )
    assert model.layers[0].units == 32


def test_unsupported_keras_option_is_named(tmp_path):
    def edit(config):
        config["config"]["layers"][1]["config"]["use_dora"] = True  # not a gpuflow option

    with pytest.raises(FileFormatError, match=r"dense.use_dora.*Dense"):
        tf.keras.models.load_model(_with_config(tmp_path, edit))


def test_not_a_zip_never_mentions_pickle(tmp_path):
    path = tmp_path / "m.keras"
    path.write_bytes(b"\x80\x04\x95 pickled? no" * 10)
    with pytest.raises(FileFormatError, match="not a Keras .keras archive") as info:
        tf.keras.models.load_model(path)
    assert "pickle" not in str(info.value)


def test_truncated_archive(tmp_path):
    data = (REF / "mlp.keras").read_bytes()
    path = tmp_path / "cut.keras"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(FileFormatError):
        tf.keras.models.load_model(path)


def test_missing_member_is_named(tmp_path):
    members = _members(REF / "mlp.keras")
    del members["model.weights.h5"]
    with pytest.raises(FileFormatError, match="model.weights.h5: missing"):
        tf.keras.models.load_model(_write(tmp_path / "m.keras", members))


def test_zip_bomb_stops_at_the_declared_size(tmp_path):
    members = _members(REF / "mlp.keras")
    members["config.json"] = b" " * (limits.MAX_JSON_BYTES + 1)  # compresses to ~60 KB
    path = _write(tmp_path / "bomb.keras", members)
    assert path.stat().st_size < 1 << 20
    with pytest.raises(FileFormatError, match="config.json: declares .* over the limit"):
        tf.keras.models.load_model(path)


def test_member_lying_about_its_size(tmp_path):
    members = _members(REF / "mlp.keras")
    path = _write(tmp_path / "lie.keras", members, stored=True)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("config.json")
    raw = bytearray(path.read_bytes())
    # Shrink the size the central directory declares for config.json.
    cd = raw.rfind(b"PK\x01\x02", 0, len(raw))
    while cd != -1:
        name_len = int.from_bytes(raw[cd + 28 : cd + 30], "little")
        if raw[cd + 46 : cd + 46 + name_len] == b"config.json":
            raw[cd + 24 : cd + 28] = (info.file_size // 2).to_bytes(4, "little")
            break
        cd = raw.rfind(b"PK\x01\x02", 0, cd)
    path.write_bytes(bytes(raw))
    with pytest.raises(FileFormatError, match="config.json"):
        tf.keras.models.load_model(path)


def _weights_with(tmp_path, key, data=None, shape=None, dtype="float32"):
    src = REF / "mlp.weights.h5"
    path = tmp_path / "w.weights.h5"
    path.write_bytes(src.read_bytes())
    with h5py.File(path, "a") as h5:
        del h5[key]
        if shape is not None:  # a declared shape with no data written: nothing is allocated
            h5.create_dataset(key, shape=shape, dtype=dtype)
        else:
            h5.create_dataset(key, data=data)
    return path


def _mlp():
    return tf.keras.Sequential(
        [tf.keras.Input((784,)), tf.keras.layers.Dense(32), tf.keras.layers.Dense(10)]
    )


def test_huge_declared_dataset_is_refused_before_reading(tmp_path):
    path = _weights_with(tmp_path, "layers/dense/vars/0", shape=(1 << 20, 1 << 20))
    with pytest.raises(FileFormatError, match=r"layers/dense/vars/0.*over the limit"):
        _mlp().load_weights(path)


def test_complex_weights_are_refused(tmp_path):
    path = _weights_with(tmp_path, "layers/dense/vars/1", data=np.zeros(32, np.complex64))
    with pytest.raises(FileFormatError, match="not a real number type"):
        _mlp().load_weights(path)


def test_missing_variable_is_named(tmp_path):
    path = tmp_path / "w.weights.h5"
    path.write_bytes((REF / "mlp.weights.h5").read_bytes())
    with h5py.File(path, "a") as h5:
        del h5["layers/dense_1/vars/1"]
    with pytest.raises(FileFormatError, match=r"layers/dense_1/vars: 1 variables.*has 2"):
        _mlp().load_weights(path)


def test_gpuflow_own_format_errors_share_the_type(tmp_path):
    path = tmp_path / "m.gpuflow"
    path.write_bytes(b"not a zip")
    with pytest.raises(FileFormatError, match="not a readable gpuflow file"):
        tf.keras.models.load_model(path)
    buffer = io.BytesIO()
    np.savez(buffer, __meta__=np.frombuffer(b'{"format": "other"}', np.uint8))
    path.write_bytes(buffer.getvalue())
    with pytest.raises(FileFormatError, match="header.format: expected 'gpuflow'"):
        tf.keras.models.load_model(path)


def test_negative_optimizer_iterations_are_refused(tmp_path):
    src = REF / "lstm_text.keras"
    members = _members(src)
    weights = tmp_path / "w.h5"
    weights.write_bytes(members["model.weights.h5"])
    with h5py.File(weights, "a") as h5:
        del h5["optimizer/vars/0"]
        h5["optimizer/vars/0"] = np.int64(-5)
    members["model.weights.h5"] = weights.read_bytes()
    with pytest.raises(FileFormatError, match="negative iterations"):
        tf.keras.models.load_model(_write(tmp_path / "neg.keras", members))


def test_small_file_declaring_a_huge_layer_fails_before_allocating(tmp_path):
    def edit(config):  # 784 x 4e9 float32 would be 12 TB
        config["config"]["layers"][1]["config"]["units"] = 4_000_000_000

    with pytest.raises(FileFormatError, match="more than the file's weight arrays hold"):
        tf.keras.models.load_model(_with_config(tmp_path, edit))


def test_gpuflow_own_file_declaring_a_huge_layer(tmp_path):
    from gpuflow.models import saving

    model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(2)])
    path = tmp_path / "m.gpuflow"
    model.save(path)
    meta, arrays = saving.read_file(path, "test")
    assert meta["config"]["layers"][0]["class_name"] == "InputLayer"  # listed first, as Keras 3
    meta["config"]["layers"][1]["config"]["units"] = 3_000_000_000
    meta.pop("arrays")
    saving.write_file(path, meta, arrays)
    with pytest.raises(FileFormatError, match="more than the file's weight arrays hold"):
        tf.keras.models.load_model(path)
