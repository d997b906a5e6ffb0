"""Building a functional graph whose layer mixes an input of known first size with inputs of
unknown (None) first size (the keras.io MPNN readout: a node table of MAX_ATOMS * BATCH
rows and per-node indicator / mask inputs of shape ()): the symbolic call must work, as in
Keras 3, and give the same shapes."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf

keras = tf.keras
ops = keras.ops
ROWS, GRAPHS = 12, 3


class Readout(keras.layers.Layer):
    def call(self, inputs):
        nodes, indicator, mask = inputs
        weighted = nodes * ops.expand_dims(mask, -1)
        total = ops.segment_sum(weighted, ops.cast(indicator, "int32"), num_segments=GRAPHS)
        return total / ops.maximum(
            ops.segment_sum(mask, ops.cast(indicator, "int32"), num_segments=GRAPHS)[:, None],
            1e-6,
        )


class FixedTable(keras.layers.Layer):
    def build(self, input_shape):
        self.table = self.add_weight(shape=(ROWS, 4), initializer="ones")

    def call(self, x):
        return self.table + ops.sum(x) * 0.0


def test_layer_mixing_known_and_unknown_first_sizes_builds_and_runs():
    feats = keras.Input(shape=(4,), name="feats")
    indicator = keras.Input(shape=(), dtype="int32", name="indicator")
    mask = keras.Input(shape=(), name="mask")
    nodes = FixedTable()(feats)
    assert tuple(nodes.shape) == (ROWS, 4)
    pooled = Readout()([nodes, indicator, mask])
    assert tuple(pooled.shape) == (GRAPHS, 4)
    out = keras.layers.Dense(2)(pooled)
    model = keras.Model([feats, indicator, mask], out)
    result = model.predict(
        [
            np.zeros((ROWS, 4), "float32"),
            np.repeat(np.arange(GRAPHS), ROWS // GRAPHS),
            np.ones(ROWS),
        ],
        batch_size=ROWS,
        verbose=0,
    )
    assert result.shape == (GRAPHS, 2)


def test_a_call_that_fails_at_every_size_still_raises_its_first_error():
    class Broken(keras.layers.Layer):
        def call(self, inputs):
            a, b = inputs
            raise RuntimeError(f"broken at {tuple(a.shape)} / {tuple(b.shape)}")

    nodes = FixedTable()(keras.Input(shape=(4,)))
    with pytest.raises(RuntimeError, match=r"broken at \(12, 4\) / \(1,\)"):
        Broken()([nodes, keras.Input(shape=())])
