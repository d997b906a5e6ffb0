"""What tf.saved_model refuses to save (named), and that loading runs no code from the files:
op classes and host calls come from gpuflow's allow-lists, arrays are read without pickle."""

from __future__ import annotations

import json

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.autodiff.function import Function as Op


def _saved(tmp_path, fn, spec=(tf.TensorSpec([2], tf.float32),)):
    root = tf.Module()
    root.f = tf.function(fn, input_signature=list(spec))
    path = tmp_path / "m"
    tf.saved_model.save(root, path)
    return path


def _edit(path, change):
    doc = json.loads((path / "saved_model.json").read_text())
    change(doc)
    (path / "saved_model.json").write_text(json.dumps(doc))


class Twice(Op):  # a user's own op: not in gpuflow's registry
    def forward(self, x):
        return x * 2

    def backward(self, F, g):
        return (g * 2,)


def test_a_users_own_op_is_refused_with_its_name(tmp_path):
    with pytest.raises(ValueError, match=r"op Twice .*not one of gpuflow's own ops"):
        _saved(tmp_path, lambda x: Twice()(x))


def test_arbitrary_python_host_code_is_refused_naming_the_step(tmp_path):
    def body(x):
        return tf.py_function(lambda t: t * 2, [x], tf.float32)

    with pytest.raises(ValueError, match=r"the step `.*` calls Python code") as info:
        _saved(tmp_path, body)
    assert "tf.print, Variable.assign" in str(info.value)


def test_gradients_inside_a_saved_function_are_refused(tmp_path):
    v = tf.Variable([1.0, 2.0])

    def body(x):
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(v * x)
        return tape.gradient(y, v)

    with pytest.raises(ValueError, match=r"computes a gradient \(tape.gradient\) inside"):
        _saved(tmp_path, body)


def test_signature_without_input_signature_is_refused(tmp_path):
    root = tf.Module()
    root.f = tf.function(lambda x: x)
    with pytest.raises(ValueError, match="without an input_signature"):
        tf.saved_model.save(root, tmp_path / "m", signatures=root.f)


def test_calls_that_ran_eagerly_are_named_when_saving(tmp_path):
    # a RaggedTensor inside the function: its calls run eagerly, leaving no trace to save
    root = tf.Module()
    root.split = tf.function(lambda s: tf.strings.unicode_split(s, "UTF-8").to_tensor())
    with pytest.warns(RuntimeWarning, match="runs eagerly"):
        root.split(tf.constant(["ab", "c"]))
    with pytest.warns(RuntimeWarning, match=r"root.split ran eagerly for 1 .*RaggedTensors"):
        tf.saved_model.save(root, tmp_path / "m")
    loaded = tf.saved_model.load(tmp_path / "m")
    with pytest.raises(ValueError, match="0 option"):
        loaded.split(tf.constant(["ab", "c"]))


def test_untrackable_objects_and_bad_options(tmp_path):
    with pytest.raises(ValueError, match="Expected an object of type `Trackable`"):
        tf.saved_model.save(1, tmp_path / "m")
    with pytest.raises(TypeError, match="SaveOptions"):
        tf.saved_model.save(tf.Module(), tmp_path / "m", options={"x": 1})
    tf.saved_model.save(tf.Module(), tmp_path / "m")
    with pytest.raises(TypeError, match="LoadOptions"):
        tf.saved_model.load(tmp_path / "m", options=tf.saved_model.SaveOptions())
    with pytest.raises(TypeError):
        tf.saved_model.SaveOptions(bogus=1)
    assert tf.saved_model.SaveOptions().experimental_custom_gradients is True
    assert tf.saved_model.LoadOptions(allow_partial_checkpoint=True).allow_partial_checkpoint


def test_missing_and_tensorflow_saved_models(tmp_path):
    with pytest.raises(OSError, match="SavedModel file does not exist"):
        tf.saved_model.load(tmp_path / "none")
    (tmp_path / "tfmodel").mkdir()
    (tmp_path / "tfmodel" / "saved_model.pb").write_bytes(b"\x08\x01")
    assert tf.saved_model.contains_saved_model(tmp_path / "tfmodel")
    assert not tf.saved_model.contains_saved_model(tmp_path)
    with pytest.raises(ValueError, match="TensorFlow SavedModel .*cannot run"):
        tf.saved_model.load(tmp_path / "tfmodel")


def test_a_file_naming_other_code_is_refused(tmp_path):
    path = _saved(tmp_path, lambda x: tf.nn.relu(x) + 1.0)

    def rename_op(doc):
        doc["concrete_functions"][0]["steps"][0]["op"] = "os:system"

    _edit(path, rename_op)
    with pytest.raises(ValueError, match="names an op 'os:system'"):
        tf.saved_model.load(path)

    path = _saved(tmp_path, lambda x: tf.cast(x > 0, tf.float32))

    def rename_host(doc):
        steps = doc["concrete_functions"][0]["steps"]
        (host,) = [s for s in steps if "host" in s]
        host["host"] = "builtins:eval"

    _edit(path, rename_host)
    with pytest.raises(ValueError, match="host call 'builtins:eval'"):
        tf.saved_model.load(path)


def test_a_gpuflow_class_that_is_not_an_op_is_refused(tmp_path):
    path = _saved(tmp_path, lambda x: tf.nn.relu(x))

    def rename(doc):
        doc["concrete_functions"][0]["steps"][0]["op"] = "gpuflow.tensor:Variable"

    _edit(path, rename)
    with pytest.raises(ValueError, match="not one of gpuflow's ops"):
        tf.saved_model.load(path)


def test_dunder_attribute_names_are_refused(tmp_path):
    root = tf.Module()
    root.v = tf.Variable(1.0)
    tf.saved_model.save(root, tmp_path / "m")

    def rename(doc):
        children = doc["nodes"][doc["root"]]["children"]
        children["__class__"] = children.pop("v")

    _edit(tmp_path / "m", rename)
    with pytest.raises(ValueError, match="bad attribute name '__class__'"):
        tf.saved_model.load(tmp_path / "m")


def test_pickled_arrays_are_not_read(tmp_path):
    path = _saved(tmp_path, lambda x: x + tf.constant([1.0, 2.0]))
    np.savez(path / "saved_model.npz", a0=np.array([object()], dtype=object))
    with pytest.raises(ValueError, match="allow_pickle"):
        tf.saved_model.load(path)


def test_unknown_format_version(tmp_path):
    tf.saved_model.save(tf.Module(), tmp_path / "m")
    _edit(tmp_path / "m", lambda doc: doc.update(version=99))
    with pytest.raises(ValueError, match="format version 99"):
        tf.saved_model.load(tmp_path / "m")
