"""Layer._flatten_layers walks sub-layers in Keras 3's order (a deque extended on the left:
a nested layer's own sub-layers come last first), and so do ``losses``; ``variables`` keeps
its layer-by-layer order. The expected lists are what TF 2.21 / Keras 3.15 print."""

import numpy as np

from gpuflow import keras


class _Penalty(keras.layers.Layer):
    def __init__(self, value, **kwargs):
        super().__init__(**kwargs)
        self.value = value

    def call(self, x):
        self.add_loss(keras.ops.convert_to_tensor(self.value, "float32") + 0 * keras.ops.sum(x))
        return x


class _Three(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.first = _Penalty(1.0, name="p1")
        self.second = _Penalty(2.0, name="p2")
        self.third = _Penalty(3.0, name="p3")

    def call(self, x):
        return self.third(self.second(self.first(x)))


def _model():
    return keras.Sequential(
        [_Penalty(10.0, name="outer_a"), _Three(name="three"), _Penalty(20.0, name="outer_b")]
    )


def test_nested_sub_layers_come_last_first():
    model = _model()
    model(np.ones((1, 2), "float32"))
    names = [layer.name for layer in model._flatten_layers() if layer.name != "input_layer"]
    assert names[0] == model.name
    assert names[1:] == ["outer_a", "three", "p3", "p2", "p1", "outer_b"]
    direct = [layer.name for layer in model._flatten_layers(include_self=False, recursive=False)]
    assert [n for n in direct if n != "input_layer"] == ["outer_a", "three", "outer_b"]


def test_losses_follow_the_same_order():
    model = _model()
    model(np.ones((1, 2), "float32"))
    assert [float(v) for v in model.losses] == [10.0, 3.0, 2.0, 1.0, 20.0]
    three = model.get_layer("three")
    assert [float(v) for v in three.losses] == [1.0, 2.0, 3.0]  # direct children in turn


def test_variables_stay_layer_by_layer():
    inner = keras.Sequential(
        [
            keras.layers.Dense(3, name="a"),
            keras.layers.Dropout(0.5),
            keras.layers.Dense(3, name="b"),
        ],
        name="inner",
    )
    model = keras.Sequential([keras.layers.Dense(2, name="first"), inner])
    model.build((None, 4))
    assert [v.path for v in model.variables] == [
        "sequential/first/kernel",
        "sequential/first/bias",
        "sequential/inner/a/kernel",
        "sequential/inner/a/bias",
        "seed_generator/seed_generator_state",
        "sequential/inner/b/kernel",
        "sequential/inner/b/bias",
    ]
