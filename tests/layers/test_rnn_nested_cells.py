"""RNN over a cell with several inputs per step and nested states of any shape (the
Keras 2 RNN guide's NestedCell; Keras 3.15 no longer builds it); "uniform"/"normal"/"one"/
"zero" initializer names as Keras 3."""

import numpy as np
import pytest

import gpuflow as tf
from gpuflow import keras


class NestedCell(keras.layers.Layer):
    def __init__(self, unit_1, unit_2, unit_3, **kwargs):
        self.unit_1, self.unit_2, self.unit_3 = unit_1, unit_2, unit_3
        self.state_size = [tf.TensorShape([unit_1]), tf.TensorShape([unit_2, unit_3])]
        self.output_size = [tf.TensorShape([unit_1]), tf.TensorShape([unit_2, unit_3])]
        super().__init__(**kwargs)

    def build(self, input_shapes):
        i1, (i2, i3) = input_shapes[0][1], input_shapes[1][1:]
        self.kernel_1 = self.add_weight(shape=(i1, self.unit_1), initializer="uniform", name="k1")
        self.kernel_2_3 = self.add_weight(
            shape=(i2, i3, self.unit_2, self.unit_3), initializer="normal", name="k23"
        )

    def call(self, inputs, states):
        input_1, input_2 = tf.nest.flatten(inputs)
        s1, s2 = states
        output_1 = tf.matmul(input_1, self.kernel_1)
        output_2_3 = tf.einsum("bij,ijkl->bkl", input_2, self.kernel_2_3)
        return (output_1, output_2_3), (s1 + output_1, s2 + output_2_3)


def test_nested_inputs_outputs_and_states():
    rng = np.random.default_rng(0)
    x1 = rng.random((4, 5, 6)).astype(np.float32)
    x2 = rng.random((4, 5, 7, 2)).astype(np.float32)
    layer = keras.layers.RNN(NestedCell(3, 4, 5), return_sequences=True, return_state=True)
    (seq_1, seq_2), s1, s2 = layer((tf.constant(x1), tf.constant(x2)))
    assert tuple(seq_1.shape) == (4, 5, 3) and tuple(seq_2.shape) == (4, 5, 4, 5)
    assert tuple(s1.shape) == (4, 3) and tuple(s2.shape) == (4, 4, 5)
    cell = layer.cell
    k1, k23 = cell.kernel_1.numpy(), cell.kernel_2_3.numpy()
    # the states are running sums of the step outputs
    np.testing.assert_allclose(s1.numpy(), (x1 @ k1).sum(axis=1), rtol=1e-4, atol=1e-5)
    expected_2 = np.einsum("btij,ijkl->bkl", x2, k23)
    np.testing.assert_allclose(s2.numpy(), expected_2, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(seq_1.numpy()[:, 2], x1[:, 2] @ k1, rtol=1e-5, atol=1e-6)


def test_a_model_with_a_nested_cell_trains():
    input_1 = keras.Input((None, 6))
    input_2 = keras.Input((None, 7, 2))
    out_1, out_2 = keras.layers.RNN(NestedCell(3, 4, 5))((input_1, input_2))
    assert tuple(out_1.shape) == (None, 3) and tuple(out_2.shape) == (None, 4, 5)
    model = keras.Model([input_1, input_2], [out_1, out_2])
    model.compile(optimizer="adam", loss="mse")
    rng = np.random.default_rng(1)
    x = [rng.random((16, 9, 6)), rng.random((16, 9, 7, 2))]
    y = [np.zeros((16, 3)), np.zeros((16, 4, 5))]
    history = model.fit(x, y, batch_size=8, epochs=3, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_rank_errors_name_the_layer():
    layer = keras.layers.RNN(NestedCell(3, 4, 5))
    with pytest.raises(ValueError, match=r"RNN 'rnn.*': expected each input of rank 3 or more"):
        layer((tf.ones([2, 6]), tf.ones([2, 5, 7, 2])))


@pytest.mark.parametrize(
    "name, cls",
    [("uniform", "RandomUniform"), ("normal", "RandomNormal"), ("one", "Ones"), ("zero", "Zeros")],
)
def test_keras_initializer_aliases(name, cls):
    assert type(keras.initializers.get(name)).__name__ == cls
