"""The batch size a Sequential model records when it is built on data (Keras 3 on TF)."""

import numpy as np
import pytest

import gpuflow as tf

keras = tf.keras


def _model(*layers):
    model = keras.Sequential(list(layers) or [keras.layers.Dense(2)])
    model.compile("sgd", "mse")
    return model


def _data(n):
    return np.zeros((n, 9), "float32"), np.zeros((n, 2), "float32")


def test_calling_or_building_keeps_the_batch_size():
    model = _model(keras.layers.Dense(2), keras.layers.Dense(3))
    model(np.zeros((10, 9), "float32"))
    assert model.input_shape == (10, 9) and model.output_shape == (10, 3)
    assert tuple(model.inputs[0].shape) == (10, 9)
    assert tuple(model.layers[1].output.shape) == (10, 3)
    model(np.zeros((3, 9), "float32"))  # another batch size still runs
    assert model.input_shape == (10, 9)
    built = _model()
    built.build((4, 9))
    assert built.input_shape == (4, 9)
    unknown = _model()
    unknown.build((None, 9))
    assert unknown.input_shape == (None, 9)


def test_an_input_layer_decides_the_batch_size():
    model = _model(keras.Input((9,)), keras.layers.Dense(2))
    model(np.zeros((10, 9), "float32"))
    assert model.input_shape == (None, 9)


def test_fit_and_evaluate_keep_it_only_when_every_batch_is_full():
    for n, batch_size, expected in [(10, 5, 5), (10, None, None), (64, None, 32), (70, 32, None)]:
        model = _model()
        model.fit(*_data(n), batch_size=batch_size, verbose=0)
        assert model.input_shape == (expected, 9), (n, batch_size)
    model = _model()
    model.evaluate(*_data(64), batch_size=64, verbose=0)
    assert model.input_shape == (64, 9)
    model = _model()
    model.fit(*_data(12), batch_size=4, validation_split=0.25, verbose=0)  # 9 rows train
    assert model.input_shape == (None, 9)


def test_datasets_in_fit_give_none_and_predict_takes_the_first_batch():
    x, y = _data(10)
    model = _model()
    model.fit(tf.data.Dataset.from_tensor_slices((x, y)).batch(5), verbose=0)
    assert model.input_shape == (None, 9)
    model = _model()
    model.predict(tf.data.Dataset.from_tensor_slices(x).batch(5), verbose=0)
    assert model.input_shape == (5, 9)
    model = _model()
    model.predict(np.zeros((70, 9), "float32"), verbose=0)
    assert model.input_shape == (32, 9)


def test_single_batch_methods_keep_the_batch_size():
    for method in ("train_on_batch", "test_on_batch"):
        model = _model()
        getattr(model, method)(*_data(10))
        assert model.input_shape == (10, 9), method
    model = _model()
    model.predict_on_batch(_data(6)[0])
    assert model.input_shape == (6, 9)


def test_a_declared_none_axis_takes_any_size_in_fit():
    model = keras.Sequential([keras.layers.LSTM(4, input_shape=(None, 3)), keras.layers.Dense(2)])
    model.compile("sgd", "mse")
    model.fit(np.zeros((8, 5, 3), "float32"), np.zeros((8, 2), "float32"), verbose=0)
    assert model.input_shape == (None, None, 3)


class _Coder(keras.Model):
    """A subclassed model holding Sequential parts without an Input (an autoencoder)."""

    def __init__(self):
        super().__init__()
        self.encoder = keras.Sequential([keras.Input((9,)), keras.layers.Dense(3)])
        self.decoder = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(9)])

    def call(self, x):
        return self.decoder(self.encoder(x))


def _coder():
    model = _Coder()
    model.compile("sgd", "mse")
    return model


def test_sequential_parts_of_a_subclassed_model_record_the_loops_batch():
    # Keras 3 builds them on the trace's tensors, not on the one-row build pass
    for n, batch_size, expected in [(10, 5, 5), (70, 32, None)]:
        model = _coder()
        x = _data(n)[0]
        model.fit(x, x, batch_size=batch_size, verbose=0)
        assert tuple(model.decoder.inputs[0].shape) == (expected, 3), (n, batch_size)
        assert tuple(model.decoder.layers[0].output.shape) == (expected, 4)
    model = _coder()
    x = _data(10)[0]
    model.fit(tf.data.Dataset.from_tensor_slices((x, x)).batch(5), verbose=0)
    assert tuple(model.decoder.inputs[0].shape) == (None, 3)
    model = _coder()
    model.predict(x, verbose=0)
    assert tuple(model.decoder.inputs[0].shape) == (10, 3)
    model = _coder()
    model.build((None, 9))
    assert tuple(model.decoder.inputs[0].shape) == (None, 3)
    model = _coder()
    model(np.zeros((3, 9), "float32"))  # a call on data keeps its batch size
    assert tuple(model.decoder.inputs[0].shape) == (3, 3)


def test_a_built_model_refuses_data_of_another_rank():
    # Keras 3: an unbatched image for a model built on batches, sequences for one built on
    # vectors; the (batch,) data of an Input(shape=(1,)) still gets its axis
    model = _model(keras.layers.Dense(3))
    model(np.zeros((2, 4), "float32"))
    with pytest.raises(ValueError, match=r"Invalid input shape.*\(2, 4\).*\(2, 3, 4\)"):
        model(np.zeros((2, 3, 4), "float32"))
    images = keras.Sequential([keras.layers.RandomFlip("horizontal")])
    images(np.zeros((1, 6, 6, 3), "float32"))
    with pytest.raises(ValueError, match="Invalid input shape"):
        images(np.zeros((6, 6, 3), "float32"))
    assert images(np.zeros((2, 8, 8, 3), "float32")).shape == (2, 8, 8, 3)
    column = _model(keras.Input((1,)), keras.layers.Dense(2))
    assert column(np.zeros((5,), "float32")).shape == (5, 2)
