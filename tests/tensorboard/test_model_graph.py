"""model_graph_def on layers the table does not know, without shapes, with odd weights."""

from __future__ import annotations

import numpy as np
import pytest
from tb_helpers import need_tensorboard, read_run

import gpuflow
from gpuflow.summary.model_graph import model_graph_def


@pytest.fixture(autouse=True)
def _tensorboard():
    need_tensorboard()


class W:
    def __init__(self, name, shape, dtype="float64"):
        self.name, self.shape, self.dtype = name, shape, np.dtype(dtype)


class Gate:  # a custom layer: unknown class, two weights, a callable activation
    name = "gate"
    weights = (W("gate/w", (4, 4)), W("gate/scale", (4,)))

    def get_config(self):
        return {"name": "gate", "activation": np.tanh, "units": 4, "rate": 0.5, "mode": "soft"}

    def compute_output_shape(self, shape):
        raise NotImplementedError


class Dense:
    name = "head"
    weights = (W("head/kernel", (4, 2)),)  # use_bias=False: no BiasAdd

    def get_config(self):
        return {"activation": "linear"}


class FakeModel:
    layers = operations = (Gate(), Dense())

    @property
    def input_shape(self):
        raise ValueError("not built")


def test_unknown_layers_get_one_op_reading_all_their_weights():
    nodes = {n.name: n for n in model_graph_def(FakeModel()).node}
    assert {name: n.op for name, n in nodes.items()} == {
        "input": "Placeholder",
        "gate/w": "VariableV2",
        "gate/scale": "VariableV2",
        "gate/Gate": "Gate",
        "gate/Tanh": "Tanh",
        "head/kernel": "VariableV2",
        "head/MatMul": "MatMul",
    }
    assert list(nodes["gate/Gate"].input) == ["input", "gate/w", "gate/scale"]
    assert list(nodes["head/MatMul"].input) == ["gate/Tanh", "head/kernel"]
    assert nodes["gate/Gate"].attr["units"].i == 4
    assert nodes["gate/Gate"].attr["rate"].f == 0.5
    assert nodes["gate/Gate"].attr["mode"].s == b"soft"
    assert "_output_shapes" not in nodes["gate/Gate"].attr  # shapes unknown: edges unlabeled
    assert [d.size for d in nodes["gate/w"].attr["shape"].shape.dim] == [4, 4]
    assert nodes["gate/w"].attr["dtype"].type == 2  # DT_DOUBLE


def test_summary_graph_accepts_a_model(tmp_path):
    model = gpuflow.keras.Sequential(
        [gpuflow.keras.layers.Input((3,)), gpuflow.keras.layers.Dense(2, name="only")]
    )
    writer = gpuflow.summary.create_file_writer(tmp_path)
    with writer.as_default():
        assert gpuflow.summary.graph(model)
    writer.close()
    names = [n.name for n in read_run(tmp_path).Graph().node]
    assert names == ["input", "only/kernel", "only/bias", "only/MatMul", "only/BiasAdd"]
