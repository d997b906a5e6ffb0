"""Recurrent layers beyond the Keras references: stateful, initial states, dropout, masks in a
Sequential model, dtypes, BPTT gradients (finite differences) and training."""

from __future__ import annotations

import numpy as np
import pytest
from layer_helpers import swapped

import gpuflow as gf
from gpuflow import layers as L
from gpuflow.testing import gradcheck


def _seq(shape=(2, 5, 3), seed=0, dtype="float32"):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def test_stateful_carries_states_between_calls_and_resets():
    x = _seq()
    stateful = L.LSTM(3, stateful=True)
    plain = L.LSTM(3)
    first = stateful(x[:, :2])
    plain(x)
    plain.set_weights(stateful.get_weights())
    second = stateful(x[:, 2:])
    np.testing.assert_allclose(second.numpy(), plain(x).numpy(), rtol=1e-5, atol=1e-6)
    stateful.reset_states()
    np.testing.assert_allclose(stateful(x[:, :2]).numpy(), first.numpy(), rtol=1e-6)


def test_initial_state_and_return_state_chain():
    x = _seq()
    layer = L.GRU(4, return_state=True)
    out, h = layer(x[:, :3])
    out2, _ = layer(x[:, 3:], initial_state=[h])
    whole, _ = layer(x)
    np.testing.assert_allclose(out2.numpy(), whole.numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("cls", [L.SimpleRNN, L.LSTM, L.GRU])
def test_dropout_only_in_training(cls):
    x = _seq()
    layer = cls(4, dropout=0.5, recurrent_dropout=0.3, seed=1)
    a, b = layer(x), layer(x)
    np.testing.assert_array_equal(a.numpy(), b.numpy())  # inference: deterministic
    c = layer(x, training=True)
    assert not np.allclose(a.numpy(), c.numpy())
    with gf.GradientTape() as tape:
        loss = gf.reduce_sum(layer(x, training=True))
    assert all(g is not None for g in tape.gradient(loss, layer.trainable_weights))


def test_mask_flows_through_sequential_from_embedding():
    ids = np.array([[3, 4, 0, 0], [5, 0, 0, 0]])
    model = gf.keras.Sequential([L.Embedding(8, 4, mask_zero=True), L.LSTM(3)])
    out = model(ids)
    # The padded steps are skipped: the same as running on the unpadded prefix.
    emb, lstm = model.layers
    np.testing.assert_allclose(out.numpy()[0], lstm(emb(ids[:1, :2])).numpy()[0], rtol=1e-5)
    np.testing.assert_allclose(out.numpy()[1], lstm(emb(ids[1:, :1])).numpy()[0], rtol=1e-5)


@pytest.mark.parametrize("dtype", ["float16", "float64"])
def test_dtypes(dtype):
    x = _seq(dtype=dtype)
    ref = L.LSTM(3, return_sequences=True, dtype="float64")
    layer = L.LSTM(3, return_sequences=True, dtype=dtype)
    ref(x.astype("float64"))
    y = layer(x)
    layer.set_weights(ref.get_weights())
    y = layer(x)
    assert y.dtype == dtype
    tol = 1e-2 if dtype == "float16" else 1e-10
    np.testing.assert_allclose(y.numpy(), ref(x.astype("float64")).numpy(), rtol=tol, atol=tol)


@pytest.mark.parametrize(
    "make",
    [
        lambda: L.SimpleRNN(2, return_sequences=True, dtype="float64"),
        lambda: L.LSTM(2, go_backwards=True, dtype="float64"),
        lambda: L.GRU(2, reset_after=False, dtype="float64"),
        lambda: L.GRU(2, dtype="float64"),
    ],
)
def test_bptt_gradients_match_finite_differences(make):
    layer = make()
    x = _seq((2, 4, 3), dtype="float64")
    layer(x)
    names = ["kernel", "recurrent_kernel", "bias"]

    def fn(inputs, *weights):  # the cell's weights replaced by the checked tensors
        with swapped(layer.cell, **dict(zip(names, weights))):
            return layer(inputs)

    assert gradcheck(fn, [x] + layer.get_weights())


def test_lstm_learns_a_sequence_sum():
    gf.random.set_seed(0)
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (64, 6, 1)).astype("float32")
    y = x.sum(axis=1)
    model = gf.keras.Sequential([L.LSTM(8), L.Dense(1)])
    model.compile(optimizer=gf.optimizers.Adam(0.02), loss="mse")
    history = model.fit(x, y, epochs=30, batch_size=16, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < 0.2 * losses[0]


def test_time_distributed_and_bidirectional_weights_order():
    bi = L.Bidirectional(L.LSTM(2))
    bi(_seq())
    assert bi.forward_layer.name == "forward_lstm" and bi.backward_layer.name == "backward_lstm"
    assert bi.backward_layer.go_backwards and not bi.forward_layer.go_backwards
    assert [w.shape for w in bi.get_weights()] == [(3, 8), (2, 8), (8,)] * 2


def test_stateful_with_declared_batch_size_trains_in_sequential():
    model = gf.keras.Sequential([L.LSTM(3, stateful=True, batch_input_shape=(4, 5, 2)), L.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x = _seq((8, 5, 2))
    model.fit(x, np.ones((8, 1), "float32"), batch_size=4, epochs=1, verbose=0, shuffle=False)
    lstm = model.layers[0]
    assert lstm.states[0].shape == (4, 3)
    kept = lstm.states[0].numpy()
    model(x[:1])  # another batch size than declared: a probe that leaves the states alone
    np.testing.assert_array_equal(lstm.states[0].numpy(), kept)


def test_stateful_states_are_untracked_keras_variables_assigned_in_place():
    gru = L.GRU(3, stateful=True)
    x = _seq((2, 4, 5))
    out = gru(x)
    (state,) = gru.states
    assert isinstance(state, gf.keras.Variable)
    assert not state.trainable and state.name.startswith("rnn_state")
    assert len(gru.weights) == 3 and all(w is not state for w in gru.weights)
    np.testing.assert_allclose(state.numpy(), np.asarray(out), rtol=1e-6)
    gru(x)
    assert gru.states[0] is state  # the same variable, assigned the new states
    gru.reset_state()
    assert gru.states[0] is state and not state.numpy().any()


def test_stateful_model_with_input_batch_size_fits_past_the_target_check():
    # fit checks the targets on a one-row probe of the model: a stateful GRU whose batch
    # size comes from keras.Input(batch_size=3) (not its own argument) must let it through
    inp = gf.keras.Input((4, 5), batch_size=3)
    gru = L.GRU(2, stateful=True)
    model = gf.keras.Model(inp, gru(inp))
    model.compile(optimizer=gf.keras.optimizers.SGD(0.0), loss="mse")
    x = _seq((6, 4, 5))
    model.fit(x, np.zeros((6, 2), "float32"), batch_size=3, epochs=1, verbose=0, shuffle=False)
    after_fit = gru.states[0].numpy()  # the second batch's, started from the first's
    gru.reset_states()
    expected = model.predict(x, batch_size=3, verbose=0)[3:]
    np.testing.assert_allclose(after_fit, expected, rtol=1e-5, atol=1e-6)


def test_get_initial_state_as_keras_3():
    # RNN.get_initial_state(batch_size), batch_size an int or a scalar tensor (tf.shape)
    gru = L.GRU(4)
    gru(np.ones((2, 3, 5), "float32"))
    states = gru.get_initial_state(gf.shape(gf.ones([3, 7]))[0])
    assert len(states) == 1 and tuple(states[0].shape) == (3, 4)
    assert not np.any(states[0].numpy())
    lstm_states = L.LSTMCell(2).get_initial_state(batch_size=5)
    assert [tuple(s.shape) for s in lstm_states] == [(5, 2), (5, 2)]
    with pytest.raises(TypeError, match="batch_size must be an int"):
        gru.get_initial_state(gf.ones([3, 7]))
    # Keras 2's get_initial_state(inputs): the error names the shape, not the values
    with pytest.raises(TypeError, match=r"float32 tensor of shape \(8, 100, 32\).*tf.shape"):
        gru.get_initial_state(gf.ones([8, 100, 32]))


@pytest.mark.parametrize("cls", ["SimpleRNN", "LSTM", "GRU"])
def test_weight_constraints_hold_after_fit_and_round_trip(cls):
    # Keras 3's kernel_constraint / recurrent_constraint / bias_constraint on the RNN layers
    # and cells (they raised "weight constraints are not supported")
    keras = gf.keras
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 6, 4)).astype("float32")
    y = rng.normal(size=(32, 3)).astype("float32")
    layer = getattr(keras.layers, cls)(
        3,
        kernel_constraint=keras.constraints.MaxNorm(0.5),
        recurrent_constraint="non_neg",
        bias_constraint=keras.constraints.NonNeg(),
    )
    model = keras.Sequential([keras.Input((6, 4)), layer])
    model.compile(keras.optimizers.SGD(0.5), "mse")
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    cell = layer.cell
    assert (np.linalg.norm(cell.kernel.numpy(), axis=0) <= 0.5 + 1e-5).all()
    assert (cell.recurrent_kernel.numpy() >= 0).all() and (cell.bias.numpy() >= 0).all()
    config = layer.get_config()
    assert config["kernel_constraint"]["class_name"] == "MaxNorm"
    assert config["bias_constraint"]["class_name"] == "NonNeg"
    clone = type(layer).from_config(config)
    assert isinstance(clone.cell.recurrent_constraint, keras.constraints.NonNeg)
    assert getattr(keras.layers, cls + "Cell")(2).get_config()["kernel_constraint"] is None


def test_rnn_of_a_list_of_cells_stacks_them():
    rnn = L.RNN([L.LSTMCell(4), L.GRUCell(3)], return_state=True)
    assert isinstance(rnn.cell, L.StackedRNNCells)
    out, lstm_states, gru_state = rnn(np.ones((2, 5, 3), "float32"))
    assert tuple(out.shape) == (2, 3) and [tuple(s.shape) for s in lstm_states] == [(2, 4)] * 2
    np.testing.assert_allclose(gru_state[0].numpy(), out.numpy())  # [h], as Keras 3
    again = L.RNN.from_config(rnn.get_config())
    assert [type(c).__name__ for c in again.cell.cells] == ["LSTMCell", "GRUCell"]


def test_return_state_and_unmerged_outputs_are_tuples_as_keras():
    # Keras 3: RNN returns ``(output, *states)``; Bidirectional(merge_mode=None) ``(fw, bw)``
    layers = gf.keras.layers
    x = np.ones((2, 4, 3), "float32")
    out = layers.LSTM(2, return_state=True)(x)
    assert isinstance(out, tuple) and len(out) == 3
    both = layers.Bidirectional(layers.GRU(2), merge_mode=None)(x)
    assert isinstance(both, tuple) and len(both) == 2
    with_states = layers.Bidirectional(layers.LSTM(2, return_state=True), merge_mode=None)(x)
    assert isinstance(with_states, tuple) and len(with_states) == 6
    conv = layers.ConvLSTM1D(2, 2, return_state=True)(np.ones((2, 3, 5, 1), "float32"))
    assert isinstance(conv, tuple) and len(conv) == 3


def _masked_seq():
    x = _seq((2, 5, 3), seed=3)
    x[0, 3:] = 0.0  # trailing padding
    x[1, :2] = 0.0  # leading padding
    return x


def test_bidirectional_zeroes_masked_steps_of_returned_sequences():
    # Keras forces zero_output_for_mask=return_sequences on both directions: masked steps
    # are zeros in the forward half too (a lone forward RNN repeats its last output there).
    x = _masked_seq()
    masked = L.Masking()(gf.constant(x))
    bi = L.Bidirectional(L.SimpleRNN(2, return_sequences=True))
    y = bi(masked).numpy()
    keep = (x != 0).any(-1)
    assert bi.forward_layer.zero_output_for_mask and bi.backward_layer.zero_output_for_mask
    np.testing.assert_array_equal(y[~keep], 0.0)
    fw = L.SimpleRNN(2, return_sequences=True)
    fw(masked)
    fw.set_weights(bi.forward_layer.get_weights())
    np.testing.assert_allclose(y[..., :2][keep], fw(masked).numpy()[keep], rtol=1e-6)


def test_bidirectional_last_output_unchanged_without_return_sequences():
    x = _masked_seq()
    masked = L.Masking()(gf.constant(x))
    bi = L.Bidirectional(L.GRU(2))
    assert not bi.forward_layer.zero_output_for_mask
    fw = L.GRU(2)
    y = bi(masked).numpy()
    fw(masked)
    fw.set_weights(bi.forward_layer.get_weights())
    np.testing.assert_allclose(y[:, :2], fw(masked).numpy(), rtol=1e-6)


def test_bidirectional_checks_the_pair_as_keras():
    with pytest.raises(ValueError, match="different go_backwards"):
        L.Bidirectional(L.SimpleRNN(2, go_backwards=True))
    with pytest.raises(ValueError, match="'return_sequences'"):
        L.Bidirectional(
            L.LSTM(2, return_sequences=True), backward_layer=L.LSTM(2, go_backwards=True)
        )
    bi = L.Bidirectional(L.LSTM(2, name="forward_enc"))
    assert bi.forward_layer.name == "forward_enc"  # no "forward_forward_"
    again = L.Bidirectional.from_config(bi.get_config())
    assert again.forward_layer.name == "forward_enc"


def test_time_distributed_calls_the_layer_per_timestep():
    # Keras 3 calls the inner layer once per timestep on a batch of N, so BatchNormalization
    # in training normalizes each timestep over the batch (not over all N*T rows).
    x = _seq((4, 3, 2), seed=1)
    td = L.TimeDistributed(L.BatchNormalization(momentum=0.5, epsilon=1e-3))
    y = td(x, training=True).numpy()
    mean = x.mean(axis=0, keepdims=True)
    ref = (x - mean) / np.sqrt(x.var(axis=0, keepdims=True) + 1e-3)
    np.testing.assert_allclose(y, ref, rtol=1e-4, atol=1e-5)
    moving = np.zeros(2)
    for t in range(3):  # one moving-average update per timestep
        moving = moving * 0.5 + x[:, t].mean(axis=0) * 0.5
    np.testing.assert_allclose(td.layer.moving_mean.numpy(), moving, rtol=1e-5, atol=1e-6)


def test_time_distributed_passes_each_timestep_mask_to_a_masking_layer():
    seen = []

    class Probe(L.Layer):
        def call(self, inputs, mask=None):
            seen.append(None if mask is None else mask.numpy().copy())
            return inputs

    mask = np.array([[True, False, True], [False, True, True]])
    L.TimeDistributed(Probe())(_seq((2, 3, 2)), mask=gf.constant(mask))
    assert len(seen) == 3
    for t, m in enumerate(seen):
        np.testing.assert_array_equal(m, mask[:, t])
    with pytest.raises(ValueError, match="mask's first two axes"):
        L.TimeDistributed(L.Dense(2))(_seq((2, 3, 2)), mask=gf.constant(mask[:, :2]))


def test_time_distributed_row_wise_layers_run_on_all_rows_at_once_with_per_step_results():
    rng = np.random.default_rng(5)
    x = rng.normal(size=(3, 4, 6)).astype("float32")
    wrapped = gf.keras.layers.TimeDistributed(gf.keras.layers.Dense(2))
    out = wrapped(x).numpy()
    dense = wrapped.layer
    per_step = np.stack([dense(x[:, t]).numpy() for t in range(4)], axis=1)
    np.testing.assert_allclose(out, per_step, rtol=1e-6)

    class MyDense(gf.keras.layers.Dense):  # a user's layer: one call per timestep
        calls = 0

        def call(self, inputs):
            MyDense.calls += 1
            return super().call(inputs)

    gf.keras.layers.TimeDistributed(MyDense(2))(x)
    assert MyDense.calls == 4
