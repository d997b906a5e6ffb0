"""tf.Module: variables and sub-modules found through attributes, lists and dicts."""

from __future__ import annotations

import pytest

import gpuflow as tf


class Dense(tf.Module):
    def __init__(self, n_in, n_out, name=None):
        super().__init__(name=name)
        self.w = tf.Variable(tf.ones([n_in, n_out]), name="w")
        self.b = tf.Variable(tf.zeros([n_out]), name="b", trainable=False)

    def __call__(self, x):
        return tf.matmul(x, self.w) + self.b


class MLP(tf.Module):
    def __init__(self):
        super().__init__()
        self.layers = [Dense(2, 3), Dense(3, 1)]
        self.extra = {"scale": tf.Variable(2.0, name="scale")}
        self.keras = tf.keras.layers.Dense(2)
        self.keras.build((None, 1))


def test_variables_trainable_and_submodules():
    mlp = MLP()
    assert mlp.name == "mlp"
    names = sorted(v.name for v in mlp.variables)
    assert names.count("w:0") == 2 and names.count("b:0") == 2 and "scale:0" in names  # as TF
    # 2 x (w, b) and scale: as in TF 2 with Keras 3, a Keras layer is not a tf.Module, so
    # its weights are not among the Module's variables (tf.train.Checkpoint still saves them)
    assert len(mlp.variables) == 5
    assert all(v.trainable for v in mlp.trainable_variables)
    assert sorted(v.name for v in mlp.non_trainable_variables) == ["b:0", "b:0"]
    subs = mlp.submodules
    assert len(subs) == 2 and all(isinstance(s, Dense) for s in subs)
    out = mlp.layers[1](mlp.layers[0](tf.ones([4, 2])))
    assert out.shape == (4, 1)


def test_name_validation():
    assert Dense(1, 1, name="encoder").name == "encoder"
    with pytest.raises(ValueError, match="name must be"):
        Dense(1, 1, name="has space")
