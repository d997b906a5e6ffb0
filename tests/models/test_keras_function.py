"""keras.Function and Layer.compute_output_spec (Keras 3; values from TF 2.21's Keras 3.15)."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf

keras = gf.keras


def _graph():
    a, b = keras.Input((3,), name="a"), keras.Input((3,), name="b")
    h = keras.layers.Add(name="add")([a, b])
    out = keras.layers.Dense(2, kernel_initializer="ones", name="head")(h)
    return a, b, h, out


def test_function_reapplies_the_graph_in_the_outputs_structure():
    a, b, h, out = _graph()
    fn = keras.Function([a, b], {"h": h, "out": out}, name="f")
    assert [op.name for op in fn.operations] == ["a", "b", "add", "head"]
    assert fn.name == "f" and len(fn.inputs) == 2 and len(fn.outputs) == 2
    assert not isinstance(fn, keras.layers.Layer) and not hasattr(fn, "variables")
    ones = np.ones((2, 3), "float32")
    result = fn([ones, ones])
    assert sorted(result) == ["h", "out"]
    np.testing.assert_allclose(result["out"].numpy(), np.full((2, 2), 6.0))
    assert fn.compute_output_shape([(5, 3), (5, 3)]) == {"h": (5, 3), "out": (5, 2)}
    spec = fn.compute_output_spec([keras.KerasTensor((None, 3)), keras.KerasTensor((None, 3))])
    assert tuple(spec["out"].shape) == (None, 2) and spec["out"].dtype == "float32"
    assert keras.Function([a, b], h).name.startswith("function")


def test_function_refuses_concrete_outputs():
    with pytest.raises(ValueError, match="KerasTensors"):
        keras.Function(keras.Input((2,)), np.ones((1, 2)))


def test_layer_compute_output_spec():
    spec = keras.layers.Dense(4).compute_output_spec(keras.KerasTensor((None, 3)))
    assert isinstance(spec, keras.KerasTensor)
    assert tuple(spec.shape) == (None, 4) and spec.dtype == "float32"
    specs = keras.layers.Concatenate().compute_output_spec(
        [keras.KerasTensor((None, 3)), keras.KerasTensor((None, 2))]
    )
    assert tuple(specs.shape) == (None, 5)
