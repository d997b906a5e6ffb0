"""Saved functions that call objects on host values: preprocessing layers (StringLookup,
TextVectorization, IntegerLookup, Hashing), saved with their configs, and tf.lookup
tables, saved with their contents; loaded in a fresh process equal to the original."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

import gpuflow as tf

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORDS = ["the cat sat", "the dog ran", "a cat ran far"]


def _load_elsewhere(path, endpoint: str, value, dtype: str = "string") -> np.ndarray:
    """Loads ``path`` in a new process (no layer objects of this one) and calls it."""
    script = (
        "import json, sys, numpy as np, gpuflow as tf\n"
        f"m = tf.saved_model.load({str(path)!r})\n"
        f"out = getattr(m, {endpoint!r})(tf.constant(json.loads(sys.argv[1]), {dtype!r}))\n"
        "print(json.dumps(np.asarray(out).tolist()))\n"
    )
    env = dict(os.environ, PYTHONPATH=REPO, GPUFLOW_DEVICE="cpu")
    done = subprocess.run(
        [sys.executable, "-c", script, json.dumps(value)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return np.asarray(json.loads(done.stdout.strip().splitlines()[-1]))


def test_exported_model_with_string_lookup_and_text_vectorization(tmp_path):
    lookup = tf.keras.layers.StringLookup(vocabulary=["a", "b", "c"])
    inp = tf.keras.Input(shape=(), dtype="string")
    model = tf.keras.Model(inp, tf.keras.layers.Embedding(5, 2)(lookup(inp)))
    x = ["a", "c", "zz"]
    model.export(tmp_path / "lookup")
    np.testing.assert_allclose(
        _load_elsewhere(tmp_path / "lookup", "serve", x), model(tf.constant(x)).numpy(), rtol=1e-6
    )

    vectorize = tf.keras.layers.TextVectorization(max_tokens=10, output_sequence_length=4)
    vectorize.adapt(WORDS)
    inp = tf.keras.Input(shape=(), dtype="string")
    model = tf.keras.Model(inp, vectorize(inp))
    model.export(tmp_path / "text")
    x = ["the cat ran far", "unknown words"]
    np.testing.assert_array_equal(
        _load_elsewhere(tmp_path / "text", "serve", x), model(tf.constant(x)).numpy()
    )


def test_saved_module_with_integer_lookup_and_hashing(tmp_path):
    class Features(tf.Module):
        def __init__(self):
            self.ids = tf.keras.layers.IntegerLookup(vocabulary=[10, 20, 30], output_mode="int")
            self.hash = tf.keras.layers.Hashing(num_bins=7, salt=3)

        @tf.function(input_signature=[tf.TensorSpec([None], tf.int64)])
        def __call__(self, x):
            return self.ids(x) * 100 + self.hash(x)

    module = Features()
    x = [10, 30, 99, 20]
    expected = module(tf.constant(x, tf.int64)).numpy()
    tf.saved_model.save(module, tmp_path / "m")
    np.testing.assert_array_equal(_load_elsewhere(tmp_path / "m", "__call__", x, "int64"), expected)
    loaded = tf.saved_model.load(tmp_path / "m")  # in this process too
    np.testing.assert_array_equal(loaded(tf.constant(x, tf.int64)).numpy(), expected)


def test_a_layer_config_that_is_not_a_layer_is_refused(tmp_path):
    lookup = tf.keras.layers.StringLookup(vocabulary=["a", "b"])
    inp = tf.keras.Input(shape=(), dtype="string")
    tf.keras.Model(inp, lookup(inp)).export(tmp_path / "m")
    doc = json.loads((tmp_path / "m" / "saved_model.json").read_text())
    assert len(doc["objects"]) == 1  # the lookup layer, saved once
    doc["objects"][0]["config"] = {
        "__dict__": [
            ["module", "keras.initializers"],
            ["class_name", "Zeros"],
            ["config", {"__dict__": []}],
        ]
    }
    (tmp_path / "m" / "saved_model.json").write_text(json.dumps(doc))
    with pytest.raises(ValueError, match="built a Zeros, not a layer"):
        tf.saved_model.load(tmp_path / "m").serve(tf.constant(["a"]))


class Tables(tf.Module):
    def __init__(self):
        keys = tf.constant(["apple", "pear", "fig"])
        init = tf.lookup.KeyValueTensorInitializer(keys, tf.constant([1.5, 2.5, 3.5]))
        self.prices = tf.lookup.StaticHashTable(init, default_value=-1.0)
        ids = tf.lookup.KeyValueTensorInitializer(keys, tf.constant([0, 1, 2], tf.int64))
        self.ids = tf.lookup.StaticVocabularyTable(ids, num_oov_buckets=3)

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string)])
    def __call__(self, fruit):
        return self.prices.lookup(fruit) + tf.cast(self.ids.lookup(fruit), tf.float32) * 10.0


def test_saved_module_with_lookup_tables(tmp_path):
    module = Tables()
    x = ["fig", "kiwi", "apple", "mango", "pear"]
    expected = module(tf.constant(x)).numpy()
    tf.saved_model.save(module, tmp_path / "m")
    np.testing.assert_allclose(_load_elsewhere(tmp_path / "m", "__call__", x), expected)
    doc = json.loads((tmp_path / "m" / "saved_model.json").read_text())
    assert sorted(o["kind"] for o in doc["objects"]) == ["table", "table"]


def test_a_table_file_naming_another_class_is_refused(tmp_path):
    tf.saved_model.save(Tables(), tmp_path / "m")
    doc = json.loads((tmp_path / "m" / "saved_model.json").read_text())
    doc["objects"][0]["config"] = {"__dict__": [["class", "MutableHashTable"], ["name", None]]}
    (tmp_path / "m" / "saved_model.json").write_text(json.dumps(doc))
    with pytest.raises(ValueError, match="unknown saved object 'table'"):
        tf.saved_model.load(tmp_path / "m")(tf.constant(["fig"]))


def test_string_constants_keep_their_bytes(tmp_path):
    words = tf.constant([b"a\x00", b"", "é".encode(), b"\xff"])  # NULs, empty, non-UTF-8
    init = tf.lookup.KeyValueTensorInitializer(words, tf.constant([1, 2, 3, 4], tf.int64))
    module = tf.Module()
    module.table = tf.lookup.StaticHashTable(init, default_value=0)
    module.f = tf.function(
        lambda x: module.table.lookup(x), input_signature=[tf.TensorSpec([None], tf.string)]
    )
    tf.saved_model.save(module, tmp_path / "m")
    loaded = tf.saved_model.load(tmp_path / "m")
    got = loaded.f(tf.constant([b"\xff", b"a", b"a\x00", b"", "é".encode()])).numpy()
    np.testing.assert_array_equal(got, [4, 0, 1, 2, 3])


def test_a_damaged_string_array_is_refused(tmp_path):
    tf.saved_model.save(Tables(), tmp_path / "m")
    with np.load(tmp_path / "m" / "saved_model.npz") as npz:
        arrays = {k: npz[k] for k in npz.files}
    key = next(k for k in arrays if k.endswith(".bytes"))[: -len(".bytes")]
    lengths = arrays[key].copy()
    lengths[0], lengths[1] = lengths[0] + lengths[1] + 1, -1  # same total, one negative
    arrays[key] = lengths
    np.savez(tmp_path / "m" / "saved_model.npz", **arrays)
    with pytest.raises(ValueError, match="is damaged"):
        tf.saved_model.load(tmp_path / "m")(tf.constant(["fig"]))


def test_exported_model_with_geometric_augmentation(tmp_path):
    # Keras 3 serves a model by calling it without `training`, so augmentation layers run
    # in the SavedModel; their transforms must be saveable (fixed factors: deterministic)
    inp = tf.keras.Input(shape=(6, 6, 1))
    x = tf.keras.layers.RandomRotation(factor=(0.25, 0.25))(inp)  # a quarter turn
    x = tf.keras.layers.RandomZoom(height_factor=(-0.5, -0.5))(x)  # twice as large
    x = tf.keras.layers.RandomTranslation((0.25, 0.25), (-0.25, -0.25), fill_mode="constant")(x)
    model = tf.keras.Model(inp, x)
    images = np.arange(2 * 36, dtype="float32").reshape(2, 6, 6, 1)
    model.export(tmp_path / "geometry")
    served = _load_elsewhere(tmp_path / "geometry", "serve", images.tolist(), "float32")
    assert served.shape == (2, 6, 6, 1)
    np.testing.assert_allclose(served, model(images, training=True).numpy(), atol=1e-4)
    assert not np.allclose(served, images)

    crop = tf.keras.Sequential([tf.keras.Input(shape=(6, 6, 1)), tf.keras.layers.RandomCrop(4, 4)])
    crop.export(tmp_path / "crop")
    served = _load_elsewhere(tmp_path / "crop", "serve", images.tolist(), "float32")
    assert served.shape == (2, 4, 4, 1)
    windows = [images[:, i : i + 4, j : j + 4] for i in range(3) for j in range(3)]
    assert any(np.array_equal(served, w) for w in windows)  # one offset for the batch

    warp = tf.keras.Sequential(
        [tf.keras.Input(shape=(6, 6, 1)), tf.keras.layers.RandomPerspective(factor=(1.0, 1.0))]
    )
    warp.export(tmp_path / "warp")
    served = _load_elsewhere(tmp_path / "warp", "serve", images.tolist(), "float32")
    assert served.shape == (2, 6, 6, 1) and not np.allclose(served, images)
