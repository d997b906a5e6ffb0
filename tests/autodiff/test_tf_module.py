"""tf.Module: names, name scopes and variables found through attributes and containers."""

from __future__ import annotations

import pytest

import gpuflow as tf


class Dense(tf.Module):
    def __init__(self, n_in, n_out, name=None):
        super().__init__(name=name)
        self.w = tf.Variable(tf.ones([n_in, n_out]), name="w")
        self.b = tf.Variable(tf.zeros([n_out]), name="b")
        self.steps = tf.Variable(0, trainable=False, name="steps")

    def __call__(self, x):
        return tf.matmul(x, self.w) + self.b


class MLP(tf.Module):
    def __init__(self):
        super().__init__()
        self.layers = [Dense(2, 3), Dense(3, 1, name="head")]
        self.extra = {"a": (tf.Variable(1.0),), "shared": self.layers[0]}

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


def test_variables_and_submodules_found_recursively():
    model = MLP()
    assert model.name == "mlp"
    assert [m.name for m in model.submodules] == ["dense", "head"]
    assert len(model.variables) == 7  # 2 x (w, b, steps) + the one in the dict's tuple
    assert len(model.trainable_variables) == 5
    assert len(model.non_trainable_variables) == 2
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(model(tf.ones([4, 2])))
    grads = tape.gradient(y, model.trainable_variables)
    assert sum(g is not None for g in grads) == 4  # the dict's variable is unused


def test_name_scope_and_names():
    m = Dense(1, 1, name="my_dense")
    with m.name_scope as scope:
        assert scope == "my_dense/"
    with pytest.raises(ValueError, match="Module: name must be a valid Python identifier"):
        tf.Module(name="not valid")

    class WithScope(tf.Module):
        @tf.Module.with_name_scope
        def scoped(self):
            from gpuflow.module import current_name_scope

            return current_name_scope()

    assert WithScope().scoped() == "with_scope/"


def test_module_repr_is_pythons_default_as_tf():
    # tf.Module defines no __repr__: printing a tuple of submodules shows "object at 0x..."
    m = Dense(1, 1, name="my_dense")
    assert repr(m) == object.__repr__(m)
    assert repr(m).startswith(f"<{__name__}.Dense object at 0x")
    assert "object at 0x" in repr(tf.Module(name="plain"))
