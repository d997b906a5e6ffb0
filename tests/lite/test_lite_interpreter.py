"""gpuflow's tf.lite.Interpreter on .tflite files written by REAL TensorFlow
(tests/lite/reference, made by make_reference.py): outputs match TF's own interpreter."""

from pathlib import Path

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.lite.model import ModelDef, OperatorDef, SignatureDef, SubgraphDef, TensorDef
from gpuflow.lite.runtime import Subgraph
from gpuflow.lite.write import write_model

REFERENCE = Path(__file__).parent / "reference"
NAMES = ["cnn", "functional", "flatten_shape_ops", "pad_transpose_tensordot", "float16_dense"]


@pytest.fixture(scope="module")
def expected():
    return np.load(REFERENCE / "expected.npz")


@pytest.mark.parametrize("name", NAMES)
def test_signature_runner_matches_tensorflow(name, expected):
    interpreter = tf.lite.Interpreter(model_path=str(REFERENCE / f"tf_{name}.tflite"))
    signatures = interpreter.get_signature_list()
    assert list(signatures) == ["serving_default"]
    assert signatures["serving_default"]["outputs"] == ["output_0"]
    key = signatures["serving_default"]["inputs"][0]
    runner = interpreter.get_signature_runner("serving_default")
    out = runner(**{key: expected[f"{name}_x"]})
    np.testing.assert_allclose(out["output_0"], expected[f"{name}_y"], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", NAMES)
def test_set_tensor_invoke_matches_tensorflow(name, expected):
    content = (REFERENCE / f"tf_{name}.tflite").read_bytes()
    interpreter = tf.lite.Interpreter(model_content=content, num_threads=1)
    x = expected[f"{name}_x"]
    inp = interpreter.get_input_details()[0]
    assert inp["shape"][0] == 1 and inp["shape_signature"][0] == -1
    interpreter.resize_tensor_input(inp["index"], x.shape, strict=True)
    interpreter.allocate_tensors()
    out = interpreter.get_output_details()[0]
    assert out["shape"][0] == 2  # the new batch reached the output at allocate_tensors()
    interpreter.set_tensor(inp["index"], x)
    interpreter.invoke()
    y = interpreter.get_tensor(out["index"])
    np.testing.assert_allclose(y, expected[f"{name}_y"], rtol=1e-5, atol=1e-6)


def test_details_have_tensorflows_keys():
    interpreter = tf.lite.Interpreter(model_path=str(REFERENCE / "tf_functional.tflite"))
    (inp,) = interpreter.get_input_details()
    assert inp["name"] == "serving_default_img:0"
    assert inp["index"] == 0
    np.testing.assert_array_equal(inp["shape"], [1, 12, 12, 2])
    np.testing.assert_array_equal(inp["shape_signature"], [-1, 12, 12, 2])
    assert inp["shape"].dtype == np.int32
    assert inp["dtype"] is np.float32
    assert inp["quantization"] == (0.0, 0)
    params = inp["quantization_parameters"]
    assert params["scales"].dtype == np.float32 and params["scales"].size == 0
    assert params["zero_points"].dtype == np.int32 and params["quantized_dimension"] == 0
    assert inp["sparsity_parameters"] == {}
    runner = interpreter.get_signature_runner()
    assert runner.get_input_details()["img"]["index"] == 0
    assert len(interpreter.get_tensor_details()) > 10


def test_api_errors_as_tensorflow():
    path = str(REFERENCE / "tf_functional.tflite")
    with pytest.raises(ValueError, match="must be specified"):
        tf.lite.Interpreter()
    with pytest.raises(ValueError, match="Can't both provide"):
        tf.lite.Interpreter(model_path=path, model_content=b"x")
    with pytest.raises(ValueError, match="not a TensorFlow Lite model"):
        tf.lite.Interpreter(model_content=b"\0" * 16)
    interpreter = tf.lite.Interpreter(model_path=path)
    x = np.zeros((1, 12, 12, 2), np.float32)
    with pytest.raises(ValueError, match="unallocated"):
        interpreter.set_tensor(0, x)
    with pytest.raises(RuntimeError, match="not ready"):
        interpreter.invoke()
    interpreter.allocate_tensors()
    with pytest.raises(ValueError, match="Got value of type FLOAT64 but expected type FLOAT32"):
        interpreter.set_tensor(0, x.astype(np.float64))
    with pytest.raises(ValueError, match="Got 2 but expected 1 for dimension 0"):
        interpreter.set_tensor(0, np.zeros((2, 12, 12, 2), np.float32))
    with pytest.raises(ValueError, match=r"Invalid signature_key provided: \"nope\""):
        interpreter.get_signature_runner("nope")
    runner = interpreter.get_signature_runner()
    with pytest.raises(ValueError, match=r"Invalid Input name \(foo\)"):
        runner(foo=x)
    with pytest.raises(ValueError, match="only allows mutating unknown dimensions"):
        interpreter.resize_tensor_input(0, [1, 5, 12, 2], strict=True)


def test_unsupported_op_is_named():
    tensors = [
        TensorDef("x", np.dtype(np.float32), 0, (1, 3)),
        TensorDef("y", np.dtype(np.float32), 0, (1, 3)),
    ]
    sub = SubgraphDef("main", tensors, [OperatorDef("HARD_SWISH", [0], [1])], [0], [1])
    content = write_model(ModelDef([sub], [SignatureDef("serving_default", {"x": 0}, {"y": 1})]))
    with pytest.raises(ValueError, match="Didn't find op for builtin opcode 'HARD_SWISH'"):
        tf.lite.Interpreter(model_content=content)


def test_quantized_tensors_are_refused_not_misread():
    scales = {"scales": np.array([0.1], np.float32), "zero_points": np.array([0], np.int32)}
    tensors = [
        TensorDef("x", np.dtype(np.float32), 0, (1, 3)),
        TensorDef("w", np.dtype(np.int8), 9, (2, 3), data=np.ones((2, 3), np.int8),
                  quantization=scales),
        TensorDef("y", np.dtype(np.float32), 0, (1, 2)),
    ]  # fmt: skip
    sub = SubgraphDef("main", tensors, [OperatorDef("FULLY_CONNECTED", [0, 1, -1], [2])], [0], [2])
    with pytest.raises(ValueError, match="quantized tensor 'w' \\(INT8\\).*float models only"):
        Subgraph(sub)
