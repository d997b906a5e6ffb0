"""Custom layers and models that build and compile their own way survive a .keras round
trip, as in Keras 3: a layer's get_build_config/build_from_config, a model's
get_compile_config/compile_from_config, and a custom compile() without them (skipped,
with a warning)."""

import warnings

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.saving import FileFormatError

keras = tf.keras


@keras.utils.register_keras_serializable(package="BuildTest")
class SeededDense(keras.layers.Layer):
    def __init__(self, units=4, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape, seed):  # an extra argument: only build_from_config knows it
        init = keras.initializers.RandomNormal(seed=seed)
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer=init)

    def call(self, x):
        return tf.matmul(x, self.w)

    def get_config(self):
        return {**super().get_config(), "units": self.units}

    def get_build_config(self):
        return {"input_shape": (None, 3), "seed": 7}

    def build_from_config(self, config):
        self.build(config["input_shape"], config["seed"])


def test_custom_layer_is_rebuilt_from_its_build_config(tmp_path):
    layer = SeededDense(5)
    layer.build_from_config(layer.get_build_config())
    model = keras.Sequential([layer])
    x = np.random.default_rng(0).random((2, 3)).astype("float32")
    model.save(str(tmp_path / "m.keras"))
    loaded = keras.models.load_model(str(tmp_path / "m.keras"))
    np.testing.assert_allclose(loaded(x).numpy(), model(x).numpy(), rtol=1e-6)
    inputs = keras.Input((3,))
    inner = SeededDense(2)
    inner.build_from_config(inner.get_build_config())
    functional = keras.Model(inputs, inner(inputs))
    config = functional.get_config()
    assert config["layers"][1]["build_config"] == {"input_shape": (None, 3), "seed": 7}
    rebuilt = keras.Model.from_config(config)
    assert rebuilt.layers[1].built and rebuilt.layers[1].w.shape == (3, 2)


@keras.utils.register_keras_serializable(package="BuildTest")
class OwnCompile(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(2)

    def call(self, x):
        return self.dense(x)

    def compile(self, optimizer, loss_fn):
        super().compile(optimizer)
        self.model_optimizer, self.loss_fn = optimizer, loss_fn


@keras.utils.register_keras_serializable(package="BuildTest")
class OwnCompileConfig(OwnCompile):
    def get_compile_config(self):
        return {
            "model_optimizer": keras.utils.serialize_keras_object(self.model_optimizer),
            "loss_fn": keras.utils.serialize_keras_object(self.loss_fn),
        }

    def compile_from_config(self, config):
        self.compile(
            optimizer=keras.utils.deserialize_keras_object(config["model_optimizer"]),
            loss_fn=keras.utils.deserialize_keras_object(config["loss_fn"]),
        )


def _saved(cls, tmp_path):
    model = cls()
    model(np.zeros((1, 3), "float32"))
    model.compile(optimizer=keras.optimizers.SGD(0.25), loss_fn=keras.losses.Huber(0.5))
    path = str(tmp_path / "m.keras")
    model.save(path)
    return path


def test_get_and_compile_from_config_round_trip(tmp_path):
    loaded = keras.models.load_model(_saved(OwnCompileConfig, tmp_path))
    assert isinstance(loaded.model_optimizer, keras.optimizers.SGD)
    assert abs(float(loaded.model_optimizer.learning_rate) - 0.25) < 1e-7
    assert isinstance(loaded.loss_fn, keras.losses.Huber)


def test_custom_compile_without_compile_from_config_is_skipped_with_a_warning(tmp_path):
    path = _saved(OwnCompile, tmp_path)
    with pytest.warns(UserWarning, match="compile\\(\\) was not called"):
        loaded = keras.models.load_model(path)
    assert not hasattr(loaded, "model_optimizer")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        keras.models.load_model(path, compile=False)


class Explicit(keras.layers.Layer):
    def build(self, input_shape):  # sets no self.built: Keras marks the layer built anyway
        self.w = self.add_weight(shape=(input_shape[-1], 2), initializer="ones")

    def call(self, x):
        return tf.matmul(x, self.w)


def test_an_explicit_build_marks_the_layer_built():
    layer = Explicit()
    layer.build((None, 3))
    assert layer.built and layer.get_build_config() == {"input_shape": (None, 3)}
    layer.w.assign(tf.fill((3, 2), 2.0))
    out = layer(np.ones((1, 3), "float32"))
    assert len(layer.weights) == 1  # not built a second time
    np.testing.assert_allclose(out.numpy(), [[6.0, 6.0]])


@keras.saving.register_keras_serializable(package="BuildTest")
def half_mse(y_true, y_pred):
    return 0.5 * tf.reduce_mean(tf.square(y_true - y_pred), axis=-1)


def test_registered_loss_function_and_built_optimizer_survive_the_archive(tmp_path):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, name="d")])
    model.compile(optimizer="adam", loss=half_mse, metrics=[keras.metrics.mean_absolute_error])
    x = np.ones((4, 3), "float32")
    model.fit(x, np.zeros((4, 1)), verbose=0)
    assert model.get_compile_config()["loss"]["config"] == "BuildTest>half_mse"
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert loaded.loss is half_mse
    # the optimizer is built on the loaded variables: its slots are listed at once
    assert [v.path for v in loaded.optimizer.variables] == [
        v.path for v in model.optimizer.variables
    ]
    assert loaded.evaluate(x, np.zeros((4, 1)), verbose=0) == pytest.approx(
        model.evaluate(x, np.zeros((4, 1)), verbose=0)
    )


@keras.utils.register_keras_serializable(package="BuildTest")
class StrictBuild(keras.layers.Layer):
    """Reads a key its build config does not have (the serialization guide's mistake)."""

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], 2))

    def call(self, x):
        return tf.matmul(x, self.w)

    def build_from_config(self, config):
        self.build(config["input_shape_typo"])


def test_an_error_of_the_users_own_build_from_config_comes_through(tmp_path):
    # Keras lets the user's KeyError through; it is not a malformed file
    model = keras.Sequential([keras.Input((3,)), StrictBuild()])
    path = str(tmp_path / "strict.keras")
    model.save(path)
    with pytest.raises(KeyError, match="input_shape_typo") as info:
        keras.models.load_model(path)
    assert not isinstance(info.value, FileFormatError)
