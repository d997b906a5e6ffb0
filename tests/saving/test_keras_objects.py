"""keras.saving.serialize_keras_object / deserialize_keras_object for every kind of Keras
object, and custom functions found through custom_objects when a model loads."""

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.saving.errors import UnknownObjectError

keras = tf.keras
serialize = keras.utils.serialize_keras_object
deserialize = keras.utils.deserialize_keras_object


@keras.utils.register_keras_serializable(package="KObjTest")
def registered_square(x):
    return x * x


def unregistered_shift(x):
    return tf.nn.relu(x) + 1.0


@pytest.mark.parametrize(
    "obj, module, check",
    [
        (keras.regularizers.L1(0.25), "keras.regularizers", lambda o: o.l1 == 0.25),
        (keras.initializers.Constant(3.0), "keras.initializers", lambda o: o.value == 3.0),
        (keras.constraints.MaxNorm(2.0), "keras.constraints", lambda o: o.max_value == 2.0),
        (keras.losses.Huber(delta=0.5), "keras.losses", lambda o: o.get_config()["delta"] == 0.5),
        (keras.metrics.MeanAbsoluteError(name="m"), "keras.metrics", lambda o: o.name == "m"),
        (keras.optimizers.Adam(0.5), "keras.optimizers", lambda o: float(o.learning_rate) == 0.5),
        (
            keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.5),
            "keras.optimizers.schedules",
            lambda o: abs(float(o(10)) - 0.05) < 1e-7,
        ),
        (keras.layers.Dense(3, activation="relu"), "keras.layers", lambda o: o.units == 3),
    ],
)
def test_round_trip_by_module(obj, module, check):
    config = serialize(obj)
    assert config["module"] == module
    assert config["class_name"] == type(obj).__name__
    assert config["registered_name"] is None
    back = deserialize(config)
    assert type(back) is type(obj) and back is not obj
    assert check(back)


def test_functions_and_primitives():
    assert serialize(keras.activations.relu) == {
        "module": "builtins",
        "class_name": "function",
        "config": "relu",
        "registered_name": "function",
    }
    assert serialize(registered_square)["config"] == "KObjTest>registered_square"
    assert deserialize(serialize(registered_square)) is registered_square
    assert deserialize(serialize(keras.activations.relu)) is keras.activations.relu
    assert serialize(None) is None and serialize(3) == 3 and serialize((1, 2)) == (1, 2)
    nested = serialize({"a": keras.regularizers.L2(0.5)})
    assert nested["a"]["class_name"] == "L2"
    assert deserialize(nested)["a"].l2 == 0.5


def test_unknown_function_and_class_are_type_errors_naming_them():
    with pytest.raises(TypeError, match="could not locate function 'unregistered_shift'"):
        deserialize(serialize(unregistered_shift))
    found = deserialize(serialize(unregistered_shift), {"unregistered_shift": unregistered_shift})
    assert found is unregistered_shift
    with pytest.raises(TypeError, match="could not locate class 'Mine'"):
        deserialize({"module": "my.pkg", "class_name": "Mine", "config": {}})
    with pytest.raises(ValueError, match="'keras.layers.Nope'"):
        deserialize({"module": "keras.layers", "class_name": "Nope", "config": {}})


def test_sequential_round_trip_keeps_weights_shape():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    config = serialize(model)
    assert config["module"] == "keras"
    back = deserialize(config)
    assert [w.shape for w in back.weights] == [w.shape for w in model.weights]


class Scale(keras.layers.Layer):
    def __init__(self, scale=2.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale

    def call(self, x):
        return x * self.scale

    def get_config(self):
        return {**super().get_config(), "scale": self.scale}


def _model_with_custom_parts():
    inputs = keras.Input((4,))
    outputs = keras.layers.Dense(2, activation=unregistered_shift)(Scale(3.0)(inputs))
    return keras.Model(inputs, outputs)


def test_load_model_passes_custom_objects_to_layer_activations(tmp_path):
    model = _model_with_custom_parts()
    path = str(tmp_path / "m.keras")
    model.save(path)
    x = np.random.default_rng(0).random((5, 4)).astype("float32")
    objects = {"Scale": Scale, "unregistered_shift": unregistered_shift}
    loaded = keras.models.load_model(path, custom_objects=objects)
    np.testing.assert_allclose(loaded(x).numpy(), model(x).numpy(), rtol=1e-6)
    with keras.utils.custom_object_scope(objects):
        scoped = keras.models.load_model(path)
    np.testing.assert_allclose(scoped(x).numpy(), model(x).numpy(), rtol=1e-6)
    rebuilt = keras.Model.from_config(model.get_config(), custom_objects=objects)
    assert rebuilt.layers[2].activation is unregistered_shift


def test_load_model_unknown_class_is_a_type_error_too(tmp_path):
    path = str(tmp_path / "m.keras")
    _model_with_custom_parts().save(path)
    with pytest.raises(TypeError, match="unknown layer class 'Scale'") as info:
        keras.models.load_model(path)
    assert isinstance(info.value, ValueError) and isinstance(info.value, UnknownObjectError)


class CountAbove(keras.metrics.Metric):
    def __init__(self, threshold=0.5, name="count_above", **kwargs):
        super().__init__(name=name, **kwargs)
        self.threshold = threshold
        self.count = self.add_weight(name="count", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        self.count.assign_add(tf.reduce_sum(tf.cast(y_pred > self.threshold, "float32")))

    def result(self):
        return self.count

    def get_config(self):
        return {**super().get_config(), "threshold": self.threshold}


class ScaledMSE(keras.losses.Loss):
    def __init__(self, scale=2.0, name="scaled_mse", reduction="sum_over_batch_size"):
        super().__init__(name=name, reduction=reduction)
        self.scale = scale

    def call(self, y_true, y_pred):
        return self.scale * tf.reduce_mean(tf.square(y_true - y_pred), axis=-1)

    def get_config(self):
        return {**super().get_config(), "scale": self.scale}


def test_loaded_model_compiles_with_custom_loss_and_metric_classes(tmp_path):
    inputs = keras.Input((3,))
    a = keras.layers.Dense(1, name="a")(inputs)
    b = keras.layers.Dense(1, name="b", activation="sigmoid")(inputs)
    model = keras.Model(inputs, [a, b])
    model.compile(
        "adam",
        loss={"a": ScaledMSE(3.0), "b": "binary_crossentropy"},
        loss_weights={"a": 0.5, "b": 4.0},
        metrics={"a": ["mae"], "b": [CountAbove(0.25)]},
        weighted_metrics={"a": ["mse"], "b": []},
    )
    rng = np.random.default_rng(1)
    x = rng.random((16, 3)).astype("float32")
    y = {"a": rng.random((16, 1)), "b": (rng.random((16, 1)) > 0.5).astype("float32")}
    model.fit(x, y, sample_weight=np.linspace(0.5, 1.5, 16), epochs=1, verbose=0)
    path = str(tmp_path / "m.keras")
    model.save(path)
    objects = {"ScaledMSE": ScaledMSE, "CountAbove": CountAbove}
    loaded = keras.models.load_model(path, custom_objects=objects)
    assert loaded.get_compile_config()["loss_weights"] == {"a": 0.5, "b": 4.0}
    w = np.linspace(2.0, 0.0, 16)
    want = model.evaluate(x, y, sample_weight=w, verbose=0, return_dict=True)
    got = loaded.evaluate(x, y, sample_weight=w, verbose=0, return_dict=True)
    assert set(got) == set(want) and {"b_count_above", "a_mse"} <= set(got)
    np.testing.assert_allclose(want["loss"], 0.5 * want["a_loss"] + 4.0 * want["b_loss"], 1e-5)
    for key in want:
        np.testing.assert_allclose(got[key], want[key], rtol=1e-5)


def test_per_kind_serialize_writes_the_keras3_form():
    # keras.<kind>.serialize is serialize_keras_object in Keras 3: module and registered_name
    # beside class_name and config (the keras.optimizers.schedules.serialize docstring)
    k = tf.keras
    cases = [
        (k.regularizers.serialize(k.regularizers.L2(0.1)), "keras.regularizers", "L2"),
        (k.initializers.serialize(k.initializers.Ones()), "keras.initializers", "Ones"),
        (k.constraints.serialize(k.constraints.NonNeg()), "keras.constraints", "NonNeg"),
        (k.losses.serialize(k.losses.MeanSquaredError()), "keras.losses", "MeanSquaredError"),
        (k.metrics.serialize(k.metrics.AUC()), "keras.metrics", "AUC"),
        (k.optimizers.serialize(k.optimizers.SGD()), "keras.optimizers", "SGD"),
        (k.layers.serialize(k.layers.Dense(2)), "keras.layers", "Dense"),
        (k.layers.serialize(k.Sequential([k.layers.Dense(2)])), "keras", "Sequential"),
    ]
    for config, module, name in cases:
        assert set(config) >= {"module", "class_name", "config", "registered_name"}, config
        assert (config["module"], config["class_name"], config["registered_name"]) == (
            module,
            name,
            None,
        )
    schedule = k.optimizers.schedules.ExponentialDecay(
        0.1, decay_steps=100000, decay_rate=0.96, staircase=True
    )
    assert k.optimizers.schedules.serialize(schedule) == {
        "module": "keras.optimizers.schedules",
        "class_name": "ExponentialDecay",
        "config": {
            "initial_learning_rate": 0.1,
            "decay_steps": 100000,
            "decay_rate": 0.96,
            "staircase": True,
            "name": "ExponentialDecay",
        },
        "registered_name": None,
    }
    piecewise = k.optimizers.schedules.PiecewiseConstantDecay([1], [0.1, 0.01])
    assert piecewise.get_config()["name"] == "PiecewiseConstant"
    again = k.optimizers.schedules.deserialize(k.optimizers.schedules.serialize(schedule))
    assert again.get_config() == schedule.get_config()
    # the TF2-era form without module still loads
    old = k.losses.deserialize({"class_name": "MeanSquaredError", "config": {}})
    assert isinstance(old, k.losses.MeanSquaredError)


def test_a_class_of_the_main_script_is_written_with_module_none():
    # Keras 3 writes "module": None (not "__main__") for a user's class defined in the
    # script that runs; a class of an importable module keeps its module's name
    class Doubler(keras.layers.Layer):
        def call(self, x):
            return x * 2.0

    Doubler.__module__ = "__main__"
    config = keras.layers.serialize(Doubler())
    assert (config["module"], config["class_name"], config["registered_name"]) == (
        None,
        "Doubler",
        "Doubler",
    )
    assert keras.utils.serialize_keras_object(Doubler())["module"] is None
    model = keras.Sequential([keras.Input((2,)), Doubler()])
    assert model.get_config()["layers"][1]["module"] is None
    again = keras.Sequential.from_config(model.get_config(), custom_objects={"Doubler": Doubler})
    np.testing.assert_allclose(again(np.ones((1, 2), "float32")), [[2.0, 2.0]])
    Doubler.__module__ = "my_package.layers"
    assert keras.layers.serialize(Doubler())["module"] == "my_package.layers"
