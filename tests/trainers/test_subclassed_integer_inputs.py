"""fit / evaluate / predict on a subclassed model whose inputs are integer indices (the
keras.io GAT example: call() gathers rows of a node table with ops.take). As in Keras 3,
integer and bool data reach call() as they come; only floats take the compute dtype."""

from __future__ import annotations

import numpy as np

import gpuflow as tf

keras = tf.keras


class _RowPicker(keras.Model):
    def __init__(self, table):
        super().__init__()
        self.table = table
        self.dense = keras.layers.Dense(3)
        self.seen = []

    def call(self, indices):
        self.seen.append(indices.dtype)
        return keras.ops.take(self.dense(self.table), indices, axis=0)


def test_fit_builds_an_index_model_with_the_data_dtype():
    table = keras.ops.convert_to_tensor(np.random.default_rng(0).random((10, 4)), "float32")
    model = _RowPicker(table)
    model.compile(
        optimizer="sgd",
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    idx = np.arange(10)
    history = model.fit(idx, idx % 3, batch_size=4, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    assert all(d.is_integer for d in model.seen)
    assert model.predict(idx[:5], verbose=0).shape == (5, 3)
    assert len(model.evaluate(idx, idx % 3, verbose=0)) == 2


def test_float64_data_still_builds_in_the_compute_dtype():
    class Echo(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(1)
            self.seen = []

        def call(self, x):
            self.seen.append(x.dtype)
            return self.dense(x)

    model = Echo()
    model.compile("sgd", "mse")
    model.fit(np.ones((4, 2), "float64"), np.ones((4, 1)), verbose=0)
    assert model.seen and all(d == tf.float32 for d in model.seen)


def test_list_inputs_reach_train_step_as_tuples():
    """As Keras on TensorFlow (batches come through tf.data): x=[a, b] arrives as a tuple,
    so the keras.io WGAN-graphs idiom ``if isinstance(inputs[0], tuple)`` works."""
    seen = []

    class Probe(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(1)

        def call(self, inputs):
            return self.dense(tf.concat(list(inputs), axis=-1))

        def train_step(self, data):
            seen.append((type(data).__name__, type(data[0]).__name__))
            return {"n": tf.constant(float(len(data[0])))}

    a, b = np.zeros((4, 2), "float32"), np.ones((4, 3), "float32")
    model = Probe()
    model.compile(optimizer="sgd")
    model.fit([a, b], epochs=1, batch_size=4, verbose=0)
    model.fit([a, b], np.zeros((4, 1)), epochs=1, batch_size=4, verbose=0)
    assert seen == [("tuple", "tuple"), ("tuple", "tuple")]
    assert model.predict([a, b], verbose=0).shape == (4, 1)
