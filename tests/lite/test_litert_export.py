"""model.export(path, format="litert") (Keras 3): a .tflite file the interpreter runs, the
converter settings passed as keywords, Keras' errors; keras.layers.InputSpec's arguments."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf
from gpuflow import keras


def _model():
    keras.utils.set_random_seed(4)
    return keras.Sequential(
        [keras.Input((6,)), keras.layers.Dense(5, activation="relu"), keras.layers.Dense(2)]
    )


def test_export_litert_runs_in_the_interpreter(tmp_path, capsys):
    model = _model()
    path = tmp_path / "m.tflite"
    model.export(str(path), format="litert")
    assert capsys.readouterr().out.strip() == f"Saved artifact at '{path}'."
    interpreter = tf.lite.Interpreter(model_path=str(path))
    interpreter.allocate_tensors()
    (inp,), (out,) = interpreter.get_input_details(), interpreter.get_output_details()
    x = np.linspace(-1, 1, 24, dtype="float32").reshape(4, 6)
    interpreter.resize_tensor_input(inp["index"], [4, 6])
    interpreter.allocate_tensors()
    interpreter.set_tensor(inp["index"], x)
    interpreter.invoke()
    got = interpreter.get_tensor(interpreter.get_output_details()[0]["index"])
    np.testing.assert_allclose(got, model(x).numpy(), rtol=1e-5, atol=1e-6)
    assert list(interpreter.get_signature_list()) == ["serving_default"]
    assert out["shape"].tolist() == [1, 2]
    # a signature with the model's own shapes is accepted; verbose=False prints nothing
    spec = [keras.layers.InputSpec(shape=(None, 6), dtype="float32")]
    model.export(str(tmp_path / "s.tflite"), format="litert", input_signature=spec, verbose=False)
    assert (tmp_path / "s.tflite").stat().st_size > 0 and capsys.readouterr().out == ""


def test_export_litert_errors(tmp_path):
    model = _model()
    with pytest.raises(
        ValueError, match=r"requires the filepath to end with '\.tflite'\. Got: .*m\.bin"
    ):
        model.export(str(tmp_path / "m.bin"), format="litert")
    with pytest.raises(ValueError, match="Unknown converter attribute 'nope'"):
        model.export(str(tmp_path / "m.tflite"), format="litert", nope=1)
    with pytest.raises(ValueError, match="Unknown target_spec attribute 'nope'"):
        model.export(str(tmp_path / "m.tflite"), format="litert", target_spec={"nope": 1})
    with pytest.raises(NotImplementedError, match="optimizations"):
        model.export(
            str(tmp_path / "m.tflite"), format="litert", optimizations=[tf.lite.Optimize.DEFAULT]
        )
    spec = [keras.layers.InputSpec(shape=(None, 7))]
    with pytest.raises(NotImplementedError, match="input_signature shapes"):
        model.export(str(tmp_path / "m.tflite"), format="litert", input_signature=spec)


def test_input_spec_takes_keras_arguments():
    spec = keras.layers.InputSpec(
        dtype="float32", max_ndim=3, min_ndim=2, axes={-1: 4}, name="x", optional=True
    )
    assert (spec.dtype, spec.max_ndim, spec.name, spec.optional) == ("float32", 3, "x", True)
    spec.check("layer", (2, 4))
    with pytest.raises(ValueError, match="rank 3 or less"):
        spec.check("layer", (1, 2, 3, 4))
    positional = keras.layers.InputSpec("int32", (None, 5))
    assert positional.dtype == "int32" and positional.shape == (None, 5)
    assert positional.ndim == 2
