"""tf.saved_model.Asset: files copied into assets/ and found there after loading."""

from __future__ import annotations

import json
import os

import pytest

import gpuflow as tf


class Vocab(tf.Module):
    def __init__(self, path, other=None):
        self.vocab = tf.saved_model.Asset(path)
        init = tf.lookup.TextFileInitializer(
            self.vocab.asset_path,
            tf.string,
            tf.lookup.TextFileIndex.WHOLE_LINE,
            tf.int64,
            tf.lookup.TextFileIndex.LINE_NUMBER,
        )
        self.table = tf.lookup.StaticHashTable(init, -1)
        if other is not None:
            self.extra = [tf.saved_model.Asset(other)]

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string)])
    def __call__(self, x):
        return self.table.lookup(x)


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return str(path)


def test_asset_is_copied_and_found_after_loading(tmp_path):
    source = _write(tmp_path / "src" / "vocab.txt", "a\nb\nc\n")
    module = Vocab(source)
    assert module.vocab.asset_path.numpy() == source.encode()
    tf.saved_model.save(module, tmp_path / "m")
    os.remove(source)
    loaded = tf.saved_model.load(tmp_path / "m")
    copied = os.path.join(str(tmp_path / "m"), "assets", "vocab.txt")
    assert loaded.vocab.asset_path.numpy() == copied.encode()
    assert open(copied).read() == "a\nb\nc\n"
    assert loaded(tf.constant(["c", "a", "z"])).numpy().tolist() == [2, 0, -1]


def test_assets_with_the_same_name_are_numbered(tmp_path):
    first = _write(tmp_path / "one" / "vocab.txt", "x\n")
    second = _write(tmp_path / "two" / "vocab.txt", "y\n")
    tf.saved_model.save(Vocab(first, other=second), tmp_path / "m")
    assert sorted(os.listdir(tmp_path / "m" / "assets")) == ["vocab.txt", "vocab_1.txt"]
    loaded = tf.saved_model.load(tmp_path / "m")
    assert open(loaded.extra[0].asset_path.numpy().decode()).read() == "y\n"


def test_asset_errors(tmp_path):
    with pytest.raises(TypeError, match="Asset: path must be a string"):
        tf.saved_model.Asset(3)
    module = tf.Module()
    module.asset = tf.saved_model.Asset(str(tmp_path / "missing.txt"))
    with pytest.raises(ValueError, match="missing.txt', which is not a file"):
        tf.saved_model.save(module, tmp_path / "m")
    source = _write(tmp_path / "v.txt", "a\n")
    tf.saved_model.save(Vocab(source), tmp_path / "ok")
    doc_path = tmp_path / "ok" / "saved_model.json"
    doc = json.loads(doc_path.read_text())
    (node,) = [n for n in doc["nodes"] if n["kind"] == "asset"]
    node["filename"] = "../../etc/passwd"
    doc_path.write_text(json.dumps(doc))
    with pytest.raises(ValueError, match="bad asset file name"):
        tf.saved_model.load(tmp_path / "ok")


def test_checkpoint_of_a_module_with_an_asset(tmp_path):
    module = Vocab(_write(tmp_path / "v.txt", "a\n"))
    module.w = tf.Variable(3.0)
    path = tf.train.Checkpoint(model=module).write(str(tmp_path / "ckpt"))
    module.w.assign(0.0)
    tf.train.Checkpoint(model=module).read(path)
    assert float(module.w) == 3.0
