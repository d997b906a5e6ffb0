"""The functional API: keras.Input, layers called on symbolic tensors, keras.Model(in, out)."""

from __future__ import annotations

import json

import numpy as np
import pytest

import gpuflow as gf
from gpuflow import keras
from gpuflow.layers.keras_tensor import KerasTensor

L = keras.layers


def _two_input_model():
    a = keras.Input((3,), name="a")
    b = keras.Input((4,), name="b")
    x = L.Dense(2, name="da")(a)
    y = L.Dense(2, name="db")(b)
    merged = L.Concatenate(name="cat")([x, y])
    out = L.Dense(1, name="out")(merged)
    aux = L.Dense(1, name="aux")(x)
    return keras.Model(inputs={"a": a, "b": b}, outputs=[out, aux], name="two"), (a, b)


def test_input_and_layer_calls_are_symbolic():
    inp = keras.Input(shape=(784,), name="pixels")
    assert isinstance(inp, KerasTensor) and inp.shape == (None, 784) and inp.ndim == 2
    hidden = L.Dense(64, activation="relu")(inp)
    assert isinstance(hidden, KerasTensor) and hidden.shape == (None, 64)
    assert hidden.dtype == "float32"
    assert keras.Input((5,), batch_size=8).shape == (8, 5)
    assert L.Dense(2)(keras.Input((None, 3))).shape == (None, None, 2)


def test_model_constructor_dispatches_to_functional():
    inp = keras.Input((4,))
    model = keras.Model(inp, L.Dense(3)(inp), name="net")
    assert isinstance(model, keras.Model) and type(model).__name__ == "Functional"
    assert model.name == "net" and model.built
    same = keras.Model(inputs=inp, outputs=model.outputs[0])
    assert isinstance(same, keras.Model)


def test_run_matches_the_layers_applied_by_hand():
    inp = keras.Input((4,))
    d1, d2 = L.Dense(5, activation="relu"), L.Dense(2)
    model = keras.Model(inp, d2(d1(inp)))
    x = np.random.rand(6, 4).astype("float32")
    np.testing.assert_allclose(model(x).numpy(), d2(d1(x)).numpy(), rtol=1e-6)
    np.testing.assert_allclose(model.predict(x, verbose=0), d2(d1(x)).numpy(), rtol=1e-6)


def test_dict_inputs_list_outputs_and_names():
    model, (a, b) = _two_input_model()
    assert model.output_names == ["out", "aux"]
    assert model.input_names == ["a", "b"]
    assert model.inputs == [a, b] and len(model.outputs) == 2
    assert [layer.name for layer in model.layers] == ["a", "b", "da", "db", "cat", "out", "aux"]
    out, aux = model({"a": np.ones((2, 3)), "b": np.ones((2, 4))})
    assert out.shape == (2, 1) and aux.shape == (2, 1)
    with pytest.raises(ValueError, match=r"missing input\(s\) \['b'\].*received keys \['a', 'c'\]"):
        model({"a": np.ones((2, 3)), "c": np.ones((2, 4))})
    with pytest.raises(ValueError, match=r"missing input\(s\) \['b'\]"):
        model({"a": np.ones((2, 3))})
    # an extra key (a label column left in a DataFrame's dict) is ignored with a warning, as Keras 3
    with pytest.warns(UserWarning, match=r"key\(s\) \['target'\] match no input"):
        extra = model({"a": np.ones((2, 3)), "b": np.ones((2, 4)), "target": np.ones((2, 1))})
    np.testing.assert_allclose(extra[0].numpy(), out.numpy())


def test_dict_outputs_come_back_as_dicts():
    inp = keras.Input((3,))
    model = keras.Model(inp, {"p": L.Dense(2, name="p")(inp), "q": L.Dense(1, name="q")(inp)})
    result = model(np.ones((2, 3)))
    assert set(result) == {"p", "q"} and result["p"].shape == (2, 2)
    assert model.output_names == ["p", "q"]


def test_wrong_number_of_inputs_and_shapes():
    model, _ = _two_input_model()
    with pytest.raises(ValueError, match=r"Layer 'two' expects 2 input\(s\), but it received 1"):
        model([np.ones((2, 3))])
    inp = keras.Input((3,))
    single = keras.Model(inp, L.Dense(1)(inp), name="one")
    with pytest.raises(
        ValueError,
        match=r"Input 0 of layer 'one' is incompatible with the layer: "
        r"expected shape=\(None, 3\), found shape=\(2, 5\)",
    ):
        single(np.ones((2, 5)))


def test_numpy_in_the_graph_is_refused():
    inp = keras.Input((3,))
    with pytest.raises(
        ValueError,
        match=r"Concatenate 'concat_np' was called on a mix of symbolic "
        r"tensors.*ndarray of shape \(2, 3\)",
    ):
        L.Concatenate(name="concat_np")([inp, np.ones((2, 3))])
    eager = L.Dense(2)(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"`outputs` values must be KerasTensors.*concrete Tensor"):
        keras.Model(inp, eager)
    with pytest.raises(ValueError, match=r"all `inputs` values must be KerasTensors.*ndarray"):
        keras.Model(np.ones((2, 3)), L.Dense(2)(inp))


def test_graph_disconnected():
    a, b = keras.Input((3,), name="first"), keras.Input((3,), name="second")
    out = L.Add()([a, b])
    with pytest.raises(ValueError, match=r"Graph disconnected: .* at layer 'second'"):
        keras.Model(a, out)


def test_unknown_length_axis_with_a_layer_that_caps_the_length():
    # Keras never runs a layer to build the graph: a positional Embedding of 12 positions on
    # Input(shape=(None,)) is fine, and so is any call with at most 12 steps
    class PositionalEmbedding(L.Layer):
        def __init__(self, length, vocab, dim, **kwargs):
            super().__init__(**kwargs)
            self.tokens = L.Embedding(vocab, dim)
            self.positions = L.Embedding(length, dim)

        def call(self, inputs):
            return self.tokens(inputs) + self.positions(gf.range(gf.shape(inputs)[-1]))

    inputs = keras.Input(shape=(None,), dtype="int64")
    x = PositionalEmbedding(12, 20, 4)(inputs)
    assert tuple(x.shape) == (None, None, 4)
    model = keras.Model(inputs, L.Dense(1)(x))
    assert model(np.ones((2, 12), "int64")).shape == (2, 12, 1)
    with pytest.raises(ValueError, match="ids must be in"):
        model(np.ones((2, 13), "int64"))

    class Refuses(L.Layer):
        def call(self, inputs):
            raise ValueError("Refuses: never runs")

    # a layer that refuses every size raises its own error, once the sizes are tried
    with pytest.raises(ValueError, match="Refuses: never runs"):
        Refuses()(inputs)


def test_shared_layers_share_weights():
    shared = L.Dense(4, name="shared")
    a, b = keras.Input((3,)), keras.Input((3,))
    model = keras.Model([a, b], L.Subtract()([shared(a), shared(b)]))
    assert len(model.weights) == 2 and model.count_params() == 16
    assert [layer.name for layer in model.layers].count("shared") == 1
    x = np.random.rand(2, 3).astype("float32")
    np.testing.assert_allclose(model([x, x]).numpy(), np.zeros((2, 4)), atol=1e-7)
    assert len(shared._inbound_nodes) == 2
    assert shared.output is shared._inbound_nodes[0].outputs


def test_gradients_flow_through_the_graph():
    inp = keras.Input((3,))
    hidden = L.Dense(4, activation="tanh")
    model = keras.Model(inp, L.Dense(1)(L.add([hidden(inp), hidden(inp)])))
    x = np.random.rand(5, 3).astype("float32")
    with gf.GradientTape() as tape:
        loss = gf.reduce_sum(model(x) ** 2)
    grads = tape.gradient(loss, model.trainable_variables)
    assert len(grads) == 4 and all(g is not None and np.any(g.numpy() != 0) for g in grads)


def test_fit_trains_a_functional_model(blobs):
    x, y = blobs
    inp = keras.Input((20,))
    h = L.Dense(32, activation="relu")(inp)
    model = keras.Model(inp, L.Dense(4, activation="softmax")(h))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=3, batch_size=32, verbose=0)
    assert history.history["accuracy"][-1] > 0.8


def test_nested_models_and_feature_extraction():
    base = keras.Sequential(
        [keras.Input((6,)), L.Dense(5, activation="relu", name="h1"), L.Dense(3, name="h2")],
        name="base",
    )
    features = keras.Model(inputs=base.inputs, outputs=[layer.output for layer in base.layers])
    x = np.random.rand(2, 6).astype("float32")
    h1, h2 = features(x)
    np.testing.assert_allclose(h2.numpy(), base(x).numpy(), rtol=1e-6)
    assert h1.shape == (2, 5)
    inp = keras.Input((6,))
    outer = keras.Model(inp, L.Dense(1)(base(inp)))
    assert outer.layers[1] is base and len(outer.weights) == 6
    inner = keras.Model(inp, L.Dense(2, name="inner_out")(inp), name="inner")
    top_in = keras.Input((6,))
    top = keras.Model(top_in, L.Dense(1)(inner(top_in)))
    np.testing.assert_allclose(top(x).numpy(), top.layers[-1](inner(x)).numpy(), rtol=1e-6)


def test_intermediate_tensor_as_input():
    inp = keras.Input((4,))
    h = L.Dense(3, name="first")(inp)
    out = L.Dense(2, name="second")(h)
    head = keras.Model(h, out)
    assert head.layers[0].name == "first_input" and head.layers[1].name == "second"
    np.testing.assert_allclose(
        head(np.ones((1, 3))).numpy(), head.layers[1](np.ones((1, 3))).numpy(), rtol=1e-6
    )


def test_get_layer_on_functional_and_sequential():
    model, _ = _two_input_model()
    assert model.get_layer("cat").name == "cat" and model.get_layer(index=2).name == "da"
    with pytest.raises(ValueError, match=r"No such layer: nope. Existing layers are: \['a', 'b'"):
        model.get_layer("nope")
    with pytest.raises(ValueError, match="Provide only a layer name or a layer index"):
        model.get_layer("cat", 1)
    with pytest.raises(ValueError, match="only has 7 layers"):
        model.get_layer(index=7)
    seq = keras.Sequential([L.Dense(2, name="d1"), L.Dense(1, name="d2")])
    assert seq.get_layer("d2") is seq.layers[1] and seq.get_layer(index=0).name == "d1"


def test_summary_has_connected_to_column():
    model, _ = _two_input_model()
    lines = []
    model.summary(print_fn=lines.append)
    text = "\n".join(lines)
    assert "Connected to" in text
    rows = text.splitlines()
    cat = next(i for i, line in enumerate(rows) if line.startswith("│ cat (Concatenate)"))
    # one cell, "da[0][0], db[0][0]", wrapped inside the column as Keras 3's table
    assert "da[0][0]" in rows[cat] and "db[0][0]" in "".join(rows[cat : cat + 2])
    assert " Total params: 26 (104.00 B)" in text


def test_config_round_trip_through_json():
    model, _ = _two_input_model()
    config = json.loads(json.dumps(model.get_config()))
    assert config["input_layers"] == {"a": ["a", 0, 0], "b": ["b", 0, 0]}
    assert config["output_layers"] == [["out", 0, 0], ["aux", 0, 0]]
    clone = keras.Model.from_config(config)
    clone.set_weights(model.get_weights())
    data = {"a": np.random.rand(2, 3), "b": np.random.rand(2, 4)}
    for got, want in zip(clone(data), model(data)):
        np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-6)
    clone2 = keras.models.model_from_json(model.to_json())
    assert clone2.output_names == ["out", "aux"] and len(clone2.weights) == len(model.weights)


def test_config_of_a_shared_layer_keeps_node_indices():
    shared = L.Dense(2, name="shared")
    a = keras.Input((2,), name="ia")
    first = shared(a)
    second = shared(first)
    model = keras.Model(a, second)
    config = model.get_config()
    nodes = next(layer for layer in config["layers"] if layer["name"] == "shared")["inbound_nodes"]
    assert len(nodes) == 2 and config["output_layers"] == ["shared", 1, 0]
    clone = keras.Model.from_config(config)
    clone.set_weights(model.get_weights())
    x = np.random.rand(3, 2)
    np.testing.assert_allclose(clone(x).numpy(), model(x).numpy(), rtol=1e-6)


def test_clone_model_has_new_weights_same_architecture():
    model, _ = _two_input_model()
    clone = keras.models.clone_model(model)
    assert [layer.name for layer in clone.layers] == [layer.name for layer in model.layers]
    assert all(c is not w for c, w in zip(clone.weights, model.weights))
    seq = keras.Sequential([keras.Input((3,)), L.Dense(2)])
    seq_clone = keras.models.clone_model(seq)
    assert seq_clone.layers[0] is not seq.layers[0] and seq_clone.input_shape == (None, 3)


def test_clone_of_a_sequential_names_its_input_as_the_original_input_layer():
    # as Keras 3.15: the clone's Input takes the InputLayer's name, so its tensor has it too
    keras.backend.clear_session()
    keras.Input((1,))  # takes input_layer and keras_tensor
    model = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])
    assert model.inputs[0].name == "keras_tensor_1"
    clone = keras.models.clone_model(model)
    assert clone.inputs[0].name == "input_layer_1"
    assert clone.layers[0].name == "dense" and clone.output_shape == (None, 2)
    assert keras.Input((1,)).name == "keras_tensor_4"  # the clone's Dense made keras_tensor_3


def test_clone_of_a_compiled_model_is_compiled_alike_with_a_fresh_optimizer():
    model, _ = _two_input_model()
    assert not keras.models.clone_model(model).compiled
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
    seq = keras.Sequential([keras.Input((3,)), L.Dense(2)])
    seq.compile(optimizer="sgd", loss="mae")
    for original in (model, seq):
        clone = keras.models.clone_model(original)
        assert clone.compiled
        assert clone.get_compile_config() == original.get_compile_config()
        assert clone.optimizer is not original.optimizer


def test_duplicate_layer_names_are_refused():
    inp = keras.Input((3,))
    twice = L.Dense(2, name="same")(L.Dense(2, name="same")(inp))
    with pytest.raises(ValueError, match='The name "same" is used 2 times in the model'):
        keras.Model(inp, twice)


def test_single_input_layer_called_on_a_list():
    a, b = keras.Input((3,)), keras.Input((3,))
    with pytest.raises(
        ValueError,
        match=r"Layer 'one_in' \(Dense\) expects 1 input\(s\), but it "
        r"received 2 input tensors.*\(None, 3\)",
    ):
        L.Dense(2, name="one_in")([a, b])
    with pytest.raises(ValueError, match=r"expects 1 input\(s\), but it received 2"):
        L.Dense(2)([np.ones((2, 3)), np.ones((2, 3))])


def test_sequential_add_of_a_misfit_layer_leaves_the_model_as_it_was():
    seq = keras.Sequential([keras.Input((4,)), L.Dense(3)])
    with pytest.raises(ValueError, match="expected input of rank 4"):
        seq.add(L.Conv2D(2, 3))
    assert len(seq.layers) == 1 and seq.output_shape == (None, 3)
    seq.add(L.Dense(2))
    assert seq(np.ones((1, 4))).shape == (1, 2)


def test_training_flag_reaches_layers_in_the_graph():
    inp = keras.Input((16,))
    dropped = L.Dropout(0.5)(L.Dense(16, kernel_initializer="ones")(inp))
    always = L.Dropout(0.5)(inp, training=True)  # a flag recorded in the graph ...
    never = L.Dropout(0.5)(inp, training=False)
    model = keras.Model(inp, [dropped, always, never])
    x = np.ones((8, 16), "float32")
    eval_out, always_out, never_out = model(x)  # ... is used when the model gets none
    np.testing.assert_allclose(eval_out.numpy(), np.full((8, 16), 16.0))
    assert np.any(always_out.numpy() == 0) and not np.any(never_out.numpy() == 0)
    # ... and the model's own flag wins over it, as Keras 3's Functional (printed by
    # tensorflow-cpu 2.21)
    for out in model(x, training=False):
        assert not np.any(out.numpy() == 0)
    for out in model(x, training=True):
        assert np.any(out.numpy() == 0)
    assert not np.any(model.predict(x, verbose=0)[1] == 0)


def test_fit_trains_a_base_model_called_with_training_false_once_unfrozen():
    # The transfer-learning tutorial's fine-tuning: under Keras 3 fit's training=True
    # reaches the BatchNormalization layers of the unfrozen base model despite
    # base_model(x, training=False); frozen ones stay in inference mode.
    inner_in = keras.Input((4,))
    frozen = L.BatchNormalization(name="frozen")
    unfrozen = L.BatchNormalization(name="unfrozen")
    base = keras.Model(inner_in, unfrozen(frozen(inner_in)))
    inp = keras.Input((4,))
    model = keras.Model(inp, L.Dense(1)(base(inp, training=False)))
    frozen.trainable = False
    model.compile(optimizer="sgd", loss="mse")
    x = np.random.default_rng(0).normal(3.0, 1.0, (16, 4)).astype("float32")
    model.fit(x, np.zeros((16, 1), "float32"), epochs=1, batch_size=8, verbose=0)
    assert np.all(frozen.moving_mean.numpy() == 0.0)
    assert np.all(unfrozen.moving_mean.numpy() > 0.0)
    before = unfrozen.moving_mean.numpy().copy()
    model(x)  # no training flag: the recorded training=False holds
    np.testing.assert_array_equal(unfrozen.moving_mean.numpy(), before)


def test_weights_are_listed_layer_by_layer_as_keras_3():
    # Keras 3's order (printed by tensorflow-cpu 2.21): a layer's own weights, trainable
    # first, then the next layer's; set_weights(tf_model.get_weights()) relies on it
    inputs = keras.Input((3,))
    x = keras.layers.Dense(2, name="d1")(inputs)
    x = keras.layers.BatchNormalization(name="bn")(x)
    model = keras.Model(inputs, keras.layers.Dense(1, name="d2")(x))
    assert [w.path for w in model.weights] == [
        "d1/kernel",
        "d1/bias",
        "bn/gamma",
        "bn/beta",
        "bn/moving_mean",
        "bn/moving_variance",
        "d2/kernel",
        "d2/bias",
    ]
    assert [w.path for w in model.trainable_weights] == [
        "d1/kernel",
        "d1/bias",
        "bn/gamma",
        "bn/beta",
        "d2/kernel",
        "d2/bias",
    ]


def test_files_in_the_older_weight_order_load_by_name():
    from gpuflow.models.saving import _in_model_order

    inputs = keras.Input((3,))
    x = keras.layers.BatchNormalization(name="bn")(keras.layers.Dense(2, name="d")(inputs))
    model = keras.Model(inputs, x)
    paths = [w.path for w in model.weights]
    older = paths[:4] + paths[5:] + paths[4:5]  # a non-trainable weight moved last
    arrays = [np.full(2, i) for i in range(len(older))]
    ordered = _in_model_order(arrays, older, model)
    assert [int(a[0]) for a in ordered] == [older.index(p) for p in paths]
    assert _in_model_order(arrays, ["x"] * len(older), model) is arrays  # names unusable


def test_sequential_led_by_a_built_model_builds_once_a_second_layer_comes():
    base = keras.Sequential([keras.Input((8,)), L.Dense(4)], name="base")
    head = keras.Sequential([base])
    assert not head.built  # Keras builds only with two layers or more
    head.add(L.Dense(1))
    assert head.built and head.input_shape == (None, 8) and len(head.weights) == 4
    lone = L.Dense(2)
    lone(keras.Input((3,)))  # a plain layer does not lend its input shape
    assert not keras.Sequential([lone, L.Dense(1)]).built


def test_symbolic_call_does_not_keep_assignments_to_the_layers_variables():
    # Keras traces a call on keras.Input in a scratch graph: a layer that assigns to its own
    # variables in call (PixelCNN's masked kernel) changes them only when run on data
    class Masked(gf.keras.layers.Layer):
        def build(self, input_shape):
            self.kernel = self.add_weight(shape=(input_shape[-1], 2), initializer="ones")
            self.calls = self.add_weight(shape=(), initializer="zeros", trainable=False)

        def call(self, x):
            self.kernel.assign(self.kernel * np.array([[1.0, 0.0]] * 3, "float32"))
            self.calls.assign_add(1.0)
            return x @ self.kernel

    layer = Masked()
    inputs = gf.keras.Input((3,))
    model = gf.keras.Model(inputs, layer(inputs))
    np.testing.assert_array_equal(layer.kernel.numpy(), np.ones((3, 2)))
    assert float(layer.calls.numpy()) == 0.0
    out = model(np.ones((1, 3), "float32"))
    np.testing.assert_array_equal(out.numpy(), [[3.0, 0.0]])
    np.testing.assert_array_equal(layer.kernel.numpy()[:, 1], 0.0)
    assert float(layer.calls.numpy()) == 1.0


def test_shape_finding_runs_do_not_keep_assignments_to_held_tf_variables():
    # keras.io "MoE for MNIST": a layer counts expert usage in a tf.Variable made in
    # __init__ (not one of its weights); as in Keras, only calls on data count: not the
    # symbolic call, nor a subclassed model's build pass and target check in fit
    class Counting(gf.keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.rows = gf.Variable(0.0, trainable=False)
            self.calls = self.add_weight(shape=(), initializer="zeros", trainable=False)

        def call(self, x):
            self.rows.assign_add(gf.cast(gf.shape(x)[0], "float32"))
            self.calls.assign_add(1.0)
            return x * 2.0

    layer = Counting()
    inputs = gf.keras.Input((3,))
    model = gf.keras.Model(inputs, layer(inputs))
    assert float(layer.rows.numpy()) == 0.0 and float(layer.calls.numpy()) == 0.0
    model.predict(np.ones((4, 3), "float32"), verbose=0)
    assert float(layer.rows.numpy()) == 4.0 and float(layer.calls.numpy()) == 1.0

    class Sub(gf.keras.Model):
        def __init__(self):
            super().__init__()
            self.counting = Counting()
            self.dense = gf.keras.layers.Dense(1)

        def call(self, x):
            return self.dense(self.counting(x))

    sub = Sub()
    sub.compile("sgd", "mse", run_eagerly=True)
    sub.fit(np.ones((4, 3), "float32"), np.ones((4, 1), "float32"), batch_size=4, verbose=0)
    assert float(sub.counting.rows.numpy()) == 4.0
    assert float(sub.counting.calls.numpy()) == 1.0
    built = Sub()
    built.build((None, 3))
    assert built.built and float(built.counting.rows.numpy()) == 0.0


def test_weights_given_to_a_layer_built_by_its_symbolic_call_are_kept():
    class Lazy(gf.keras.layers.Layer):
        def call(self, x):
            if not hasattr(self, "dense"):
                self.dense = gf.keras.layers.Dense(2, kernel_initializer="ones")
            return self.dense(x)

    layer = Lazy()
    inputs = gf.keras.Input((3,))
    model = gf.keras.Model(inputs, layer(inputs))
    layer.dense.kernel.assign(np.full((3, 2), 2.0, "float32"))
    np.testing.assert_array_equal(model(np.ones((1, 3), "float32")).numpy(), [[6.0, 6.0]])
    dense = gf.keras.layers.Dense(2, weights=[np.full((3, 2), 5.0, "float32"), np.zeros(2)])
    out = dense(gf.keras.Input((3,)))
    assert out.shape == (None, 2)
    np.testing.assert_array_equal(dense.kernel.numpy(), np.full((3, 2), 5.0))


def test_build_leaves_a_functional_model_as_it_is_whatever_it_is_given():
    # the video classification tutorial: model.build(frames) with a batch of data
    inp = keras.Input((4,))
    model = keras.Model(inp, keras.layers.Dense(2)(inp))
    kernel = model.weights[0].numpy().copy()
    model.build(gf.zeros([3, 4]))
    model.build((None, 4))
    assert model.built and len(model.weights) == 2
    np.testing.assert_array_equal(model.weights[0].numpy(), kernel)
    assert model(np.ones((5, 4), np.float32)).shape == (5, 2)


def test_single_output_in_a_list_returns_the_tensor_as_keras3():
    inp = keras.Input((3,))
    out = keras.layers.Dense(2)(inp)
    x = np.ones((4, 3), "float32")
    for inputs, outputs in ((inp, [out]), ([inp], [out]), ([inp], (out,))):
        model = keras.Model(inputs, outputs)
        y = model(x)
        assert not isinstance(y, (list, tuple)) and tuple(y.shape) == (4, 2)
        assert model.output_shape == (None, 2)
        assert isinstance(model.predict(x, verbose=0), np.ndarray)
        assert isinstance(model.outputs, list) and len(model.outputs) == 1
    two = keras.Model(inp, [out, out * 2.0])
    assert isinstance(two(x), list) and two.output_shape == [(None, 2), (None, 2)]


def test_functional_input_check_ignores_the_batch_size_as_keras3():
    inp = keras.Input(batch_shape=(5, 3))
    model = keras.Model(inp, keras.layers.Dense(2)(inp))
    assert tuple(model(np.zeros((2, 3), "float32")).shape) == (2, 2)
    with pytest.raises(ValueError, match=r"expected shape=\(None, 3\), found shape=\(2, 4\)"):
        model(np.zeros((2, 4), "float32"))
