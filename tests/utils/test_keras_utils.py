"""keras.backend and keras.utils: settings, session reset, registry, get_file, plot_model."""

from __future__ import annotations

import sys
import types

import numpy as np
import pytest

import gpuflow as gf
from gpuflow import keras


def test_backend_settings():
    backend = keras.backend
    assert backend.floatx() == "float32"
    backend.set_floatx("float64")
    assert keras.layers.Dense(2).dtype == "float64" and gf.config.floatx() == "float64"
    backend.set_floatx("float32")
    assert backend.epsilon() == 1e-7
    backend.set_epsilon(1e-5)
    try:
        assert backend.epsilon() == 1e-5
    finally:
        backend.set_epsilon(1e-7)
    assert backend.image_data_format() == "channels_last"
    backend.set_image_data_format("channels_first")
    assert backend.image_data_format() == "channels_first"
    assert keras.layers.Conv2D(2, 3).data_format == "channels_first"
    backend.set_image_data_format("channels_last")
    with pytest.raises(ValueError, match="must be one of {'channels_first', 'channels_last'}"):
        backend.set_image_data_format("NCHW")
    assert backend.is_keras_tensor(keras.Input((2,))) and not backend.is_keras_tensor(np.ones(2))
    assert backend.int_shape(keras.Input((2, 3))) == (None, 2, 3)


def test_clear_session_restarts_layer_names():
    keras.backend.clear_session()
    assert keras.layers.Dense(1).name == "dense"
    assert keras.layers.Dense(1).name == "dense_1"
    keras.backend.clear_session()
    assert keras.layers.Dense(1).name == "dense"
    keras.utils.clear_session()
    assert keras.layers.Dense(1).name == "dense"


def test_utils_reexports():
    assert keras.utils.Progbar is gf.callbacks.Progbar
    np.testing.assert_array_equal(keras.utils.to_categorical([0, 2], 3), [[1, 0, 0], [0, 0, 1]])
    np.testing.assert_allclose(keras.utils.normalize(np.array([[3.0, 4.0]])), [[0.6, 0.8]])
    keras.utils.set_random_seed(3)
    first = gf.random.uniform((2,)).numpy()
    keras.utils.set_random_seed(3)
    np.testing.assert_array_equal(gf.random.uniform((2,)).numpy(), first)


def test_registry_and_scopes():
    @keras.saving.register_keras_serializable(package="utils_test", name="Thing")
    class MyLayer(keras.layers.Layer):
        pass

    assert keras.saving.get_registered_name(MyLayer) == "utils_test>Thing"
    assert keras.utils.get_registered_name(keras.layers.Dense) == "Dense"
    assert keras.saving.get_custom_objects()["utils_test>Thing"] is MyLayer
    assert keras.saving.get_registered_object("utils_test>Thing") is MyLayer
    assert keras.utils.register_keras_serializable is keras.saving.register_keras_serializable
    with keras.saving.custom_object_scope({"Alias": MyLayer}):
        assert keras.saving.get_registered_object("Alias") is MyLayer
        layer = keras.layers.deserialize({"class_name": "Alias", "config": {"name": "x"}})
        assert isinstance(layer, MyLayer)
    assert keras.saving.get_registered_object("Alias") is None
    with pytest.raises(ValueError, match="package must be a string without '>'"):
        keras.saving.register_keras_serializable(package="a>b")


def test_get_file_uses_the_cache_and_fails_clearly_offline(tmp_path):
    cached = tmp_path / "datasets" / "data.txt"
    cached.parent.mkdir()
    cached.write_text("hello")
    path = keras.utils.get_file(
        "data.txt", origin="http://unused.invalid/data.txt", cache_dir=str(tmp_path)
    )
    assert path == str(cached)
    url = "http://nowhere.invalid/x.bin"
    with pytest.raises(
        OSError,
        match=r"URL fetch failure on http://nowhere.invalid/x.bin .* place "
        r"it at .*x.bin",
    ):
        keras.utils.get_file("x.bin", origin=url, cache_dir=str(tmp_path))
    with pytest.raises(ValueError, match='specify the "origin" argument'):
        keras.utils.get_file()
    with pytest.raises(ValueError, match='specify the "origin" argument'):
        keras.utils.get_file("data.txt", cache_dir=str(tmp_path))  # Keras needs it, cached or not


def test_get_file_extracts_cached_archives_under_keras3_names(tmp_path):
    import io
    import tarfile
    import zipfile

    folder = tmp_path / "datasets"
    folder.mkdir()
    with tarfile.open(folder / "photos_archive", "w:gz") as tar:
        data = b"pixels"
        info = tarfile.TarInfo("roses/a.jpg")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    with zipfile.ZipFile(folder / "table.zip", "w") as zf:
        zf.writestr("table.csv", "a,b\n1,2\n")
    url = "http://unused.invalid/"
    photos = keras.utils.get_file("photos", url + "p.tgz", untar=True, cache_dir=str(tmp_path))
    assert photos == str(folder / "photos")
    assert (folder / "photos" / "roses" / "a.jpg").read_bytes() == b"pixels"
    table = keras.utils.get_file("table.zip", url + "t.zip", extract=True, cache_dir=str(tmp_path))
    assert table == str(folder / "table_extracted")
    assert (folder / "table_extracted" / "table.csv").read_text() == "a,b\n1,2\n"
    with zipfile.ZipFile(folder / "evil.zip", "w") as zf:
        zf.writestr("../outside.txt", "no")
        zf.writestr("inside.txt", "yes")
    with pytest.warns(UserWarning, match="Skipping invalid path during archive extraction"):
        evil = keras.utils.get_file("evil.zip", url, extract=True, cache_dir=str(tmp_path))
    assert not (tmp_path / "outside.txt").exists() and not (folder / "outside.txt").exists()
    assert (folder / "evil_extracted" / "inside.txt").read_text() == "yes"
    assert evil == str(folder / "evil_extracted")
    (folder / "plain.txt").write_text("not an archive")
    with pytest.warns(UserWarning, match="Could not extract archive"):
        keras.utils.get_file("plain.txt", url, extract=True, cache_dir=str(tmp_path))


def _model():
    inp = keras.Input((3,), name="in")
    a = keras.layers.Dense(2, name="a")(inp)
    b = keras.layers.Dense(2, name="b")(inp)
    return keras.Model(inp, keras.layers.Add(name="sum")([a, b]))


def test_plot_model_without_pydot_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "pydot", None)
    with pytest.raises(
        ImportError,
        match=r"You must install pydot \(`pip install pydot`\) and "
        r"install graphviz",
    ):
        keras.utils.plot_model(_model(), to_file="m.png")


def test_plot_model_of_an_unbuilt_model_says_so_before_asking_for_pydot(monkeypatch):
    monkeypatch.setitem(sys.modules, "pydot", None)
    unbuilt = keras.Sequential([keras.layers.Dense(2)])
    for draw in (keras.utils.plot_model, keras.utils.model_to_dot):
        with pytest.raises(ValueError, match="This model has not yet been built"):
            draw(unbuilt)


def test_model_to_dot_edges_with_a_recording_pydot(monkeypatch, tmp_path):
    calls = {"nodes": [], "edges": [], "write": []}

    class Dot:
        def __init__(self, **kwargs):
            calls["graph"] = kwargs

        def set_node_defaults(self, **kwargs):
            pass

        def add_node(self, node):
            calls["nodes"].append(node)

        def add_edge(self, edge):
            calls["edges"].append(edge)

        def write(self, path, format):
            calls["write"].append((path, format))

    fake = types.SimpleNamespace(
        Dot=Dot, Node=lambda name, label: (name, label), Edge=lambda a, b: (a, b)
    )
    monkeypatch.setitem(sys.modules, "pydot", fake)
    model = _model()
    keras.utils.plot_model(model, to_file=str(tmp_path / "m.dot"), show_shapes=True)
    labels = [label for _, label in calls["nodes"]]
    assert labels[0].startswith("in (InputLayer)") and "output: (None, 2)" in labels[-1]
    ids = {layer.name: str(id(layer)) for layer in model.layers}
    assert sorted(calls["edges"]) == sorted(
        [
            (ids["in"], ids["a"]),
            (ids["in"], ids["b"]),
            (ids["a"], ids["sum"]),
            (ids["b"], ids["sum"]),
        ]
    )
    assert calls["write"] == [(str(tmp_path / "m.dot"), "raw")]
