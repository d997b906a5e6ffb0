"""KerasTensor: symbolic shapes, auto-wrapped ops (TFOpLambda), layer.input / output, errors."""

from __future__ import annotations

import json

import numpy as np
import pytest

import gpuflow as gf
from gpuflow import keras, layers


def _round_trip(model):
    clone = keras.models.model_from_json(model.to_json())
    clone.set_weights(model.get_weights())
    return clone


def test_operators_and_slicing_build_layers():
    a = keras.Input((3,), name="a")
    b = keras.Input((3,), name="b")
    outs = [
        a + b,
        a - 1.0,
        2.0 * a,
        a / 2.0,
        -a,
        abs(a),
        a**2,
        a[:, 1:],
        a[:, 0],
        a[..., None],
        1.0 - a,
    ]
    assert [tuple(o.shape) for o in outs] == [(None, 3)] * 7 + [
        (None, 2),
        (None,),
        (None, 3, 1),
        (None, 3),
    ]
    model = keras.Model([a, b], outs)
    assert any(type(layer).__name__ == "TFOpLambda" for layer in model.operations)
    # as Keras 3: the wrapped ops are operations, not layers
    assert not any(type(layer).__name__ == "TFOpLambda" for layer in model.layers)
    x, y = np.random.rand(2, 3).astype("float32"), np.random.rand(2, 3).astype("float32")
    want = [x + y, x - 1, 2 * x, x / 2, -x, abs(x), x**2, x[:, 1:], x[:, 0], x[..., None], 1 - x]
    for model_ in (model, _round_trip(model)):
        for got, expected in zip(model_([x, y]), want):
            np.testing.assert_allclose(got.numpy(), expected, rtol=1e-6)


def test_tf_functions_on_symbolic_tensors_build_layers():
    a = keras.Input((4,))
    c = gf.concat([a, a], axis=1)
    m = gf.reduce_mean(c, axis=1, keepdims=True)
    r = gf.nn.relu(a)
    s = gf.math.square(a)
    assert c.shape == (None, 8) and m.shape == (None, 1) and r.shape == (None, 4)
    model = keras.Model(a, [c, m, r, s])
    x = np.random.randn(3, 4).astype("float32")
    for model_ in (model, _round_trip(model)):
        got = model_(x)
        np.testing.assert_allclose(
            got[1].numpy(), np.concatenate([x, x], 1).mean(1, keepdims=True), rtol=1e-6
        )
        np.testing.assert_allclose(got[2].numpy(), np.maximum(x, 0))
        np.testing.assert_allclose(got[3].numpy(), x * x, rtol=1e-6)
    assert float(gf.add(1.0, 2.0)) == 3.0  # plain calls still go straight to the op


def test_no_value_errors_say_what_to_do():
    a = keras.Input((3,))
    with pytest.raises(TypeError, match="symbolic tensor .* keras.layers.Lambda"):
        np.asarray(a)
    with pytest.raises(TypeError, match="Python bool"):
        bool(a)
    with pytest.raises(TypeError, match="symbolic tensor"):
        a.numpy()


def test_unknown_axes_stay_unknown():
    seq = keras.Input((None, 6))
    assert layers.Dense(2)(seq).shape == (None, None, 2)
    images = keras.Input((None, None, 3))
    conv = layers.Conv2D(4, 3, strides=2, padding="same")(images)
    assert conv.shape == (None, None, None, 4)
    assert layers.Flatten()(keras.Input((4, 5))).shape == (None, 20)
    assert keras.Input((3,), batch_size=5).shape == (5, 3)
    assert layers.Dense(2)(keras.Input((3,), batch_size=5)).shape == (5, 2)


def test_layer_input_output_and_build_with_symbolic_shapes():
    seen = []

    class Probe(layers.Layer):
        def build(self, input_shape):
            seen.append(input_shape)
            self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="w")

        def call(self, x):
            return x * self.w

    inp = keras.Input((5,))
    probe = Probe()
    out = probe(inp)
    assert seen == [(None, 5)] and probe.input is inp and probe.output is out
    assert probe.output_shape == (None, 5)
    with pytest.raises(AttributeError, match="has never been called on symbolic tensors"):
        _ = layers.Dense(2).output


def test_input_spec_checked_on_symbolic_shapes():
    dense = layers.Dense(2)
    dense(keras.Input((3,)))
    with pytest.raises(
        ValueError,
        match=r"Dense '.*': expected input with last axis 3, "
        r"received shape \(None, 4\)",
    ):
        dense(keras.Input((4,)))


def test_config_is_json():
    a = keras.Input((3,))
    model = keras.Model(a, a[:, ::2] * 3.0)
    config = json.loads(model.to_json())["config"]
    names = [layer["class_name"] for layer in config["layers"]]
    assert names == ["InputLayer", "GetItem", "Multiply"]  # Keras 3's op nodes
    clone = keras.models.model_from_json(model.to_json())
    x = np.arange(6, dtype="float32").reshape(2, 3)
    np.testing.assert_allclose(clone.predict(x, verbose=0), x[:, ::2] * 3.0)


def test_printed_forms_match_keras3():
    # Keras 3 prints a KerasTensor's shape as a tuple and names sparse/ragged in its repr
    x = keras.Input((3,))
    y = layers.Dense(2)(x)
    assert repr(y.shape) == "(None, 2)" and repr(y.shape[1:]) == "(2,)"
    assert type(y.shape) is tuple and type(y.shape[1:]) is tuple
    assert y.shape + (1,) == (None, 2, 1) and type(y.shape + (1,)) is tuple
    assert not hasattr(y.shape, "as_list")  # Keras 3: a plain tuple
    assert repr(y).startswith(
        "<KerasTensor shape=(None, 2), dtype=float32, sparse=False, ragged=False"
    )
    r = keras.Input((None,), ragged=True, dtype="int32")
    assert r.ragged and not r.sparse and "ragged=True" in repr(r)


def test_dtype_is_a_string_that_equals_the_dtype():
    x = gf.keras.Input((3,))
    assert type(x.dtype) is not np.dtype and isinstance(x.dtype, str)
    assert repr(x.dtype) == "'float32'"
    assert x.dtype == "float32" and x.dtype == gf.float32 and x.dtype != gf.int32
    y = gf.keras.layers.Dense(2)(x)
    model = gf.keras.Model(x, y)
    assert model.inputs[0].dtype == "float32" and model.outputs[0].dtype == "float32"
    s = gf.keras.Input((1,), dtype="string")
    assert s.dtype == "string" and s.dtype == gf.string
    i = gf.keras.Input((2,), dtype="int32")
    assert i.dtype.is_integer and i.dtype.name == "int32" and np.dtype(i.dtype) == np.int32


def test_ops_on_an_unknown_batch_keep_it_as_keras():
    # the probe runs ops on batches of 2 and 3: squeeze does not take the batch for a
    # size-1 axis, and shapes that follow the batch stay unknown (Keras 3's shapes)
    x = keras.Input((2, 2, 1))
    assert keras.ops.squeeze(x).shape == (None, 2, 2)
    assert keras.ops.squeeze(x, axis=-1).shape == (None, 2, 2)
    assert keras.ops.squeeze(keras.Input((None, 1))).shape == (None, None)
    assert keras.ops.squeeze(keras.Input((1, 3), batch_size=1)).shape == (3,)
    assert x[0].shape == (2, 2, 1) and x[:, 0].shape == (None, 2, 1)
    assert keras.ops.reshape(x, (-1,)).shape == (None,)
    assert keras.ops.sum(x, axis=0).shape == (2, 2, 1)
    model = keras.Model(x, keras.ops.squeeze(x))
    assert tuple(model(np.ones((1, 2, 2, 1), "float32")).shape) == (2, 2)
    assert tuple(model(np.ones((3, 2, 2, 1), "float32")).shape) == (3, 2, 2)


def test_none_entries_of_nested_inputs_reach_call():
    class First(layers.Layer):
        def call(self, inputs):
            self.seen = inputs["bar"]["baz"]
            return inputs["foo"] * 2.0

    layer = First()
    out = layer({"foo": np.ones((2, 1), "float32"), "bar": {"baz": None}})
    assert layer.seen is None
    np.testing.assert_allclose(out.numpy(), [[2.0], [2.0]])
    symbolic = layer({"foo": keras.Input((1,)), "bar": {"baz": None}})
    assert symbolic.shape == (None, 1)


def test_list_holding_a_list_of_tensors_reaches_call_as_a_structure():
    # [head, [a, b]]: a nested list of tensors is not packed into one tensor (Keras 3 keeps
    # the structure; the neural eikonal solver passes [traveltime, receiver_inputs])
    class HeadTimesSum(layers.Layer):
        def call(self, inputs):
            head, rest = inputs
            assert isinstance(rest, list) and len(rest) == 2
            return head * (rest[0] + rest[1])

    values = [np.full((1, 2), v, "float32") for v in (2.0, 3.0, 4.0)]
    out = HeadTimesSum()([gf.constant(values[0]), [gf.constant(values[1]), values[2]]])
    np.testing.assert_allclose(out.numpy(), [[14.0, 14.0]])
    a, b, c = (keras.Input((2,)) for _ in range(3))
    symbolic = layers.Lambda(lambda x: x[0] - x[1][0] - x[1][1])([a, (b, c)])
    assert symbolic.shape == (None, 2)
    model = keras.Model([a, b, c], symbolic)
    np.testing.assert_allclose(np.asarray(model(values)), [[-5.0, -5.0]])


def test_symbolic_add_loss_is_refused_as_keras3():
    inputs = keras.Input((2,))
    outputs = layers.Dense(1)(inputs)
    model = keras.Model(inputs, outputs)
    with pytest.raises(NotImplementedError, match="add_loss"):
        model.add_loss(keras.ops.mean(outputs))


def test_unnamed_keras_tensors_are_numbered_as_keras3_names_them():
    # TF 2.21 / Keras 3.15 give these names: one per Input, layer output and mask, in order
    keras.backend.clear_session()
    aug = keras.Sequential([
        layers.RandomFlip("horizontal", input_shape=(8, 8, 3)),
        layers.RandomZoom(0.1),
    ])  # fmt: skip
    assert [aug.inputs[0].name, aug.layers[0].output.name, aug.outputs[0].name] == [
        "keras_tensor",
        "keras_tensor_1",
        "keras_tensor_2",
    ]
    model = keras.Sequential([aug, layers.Rescaling(1 / 255), layers.Flatten(), layers.Dense(2)])
    assert (model.inputs[0].name, model.outputs[0].name) == ("keras_tensor_3", "keras_tensor_7")
    named = keras.Input((5,), dtype="int32", name="tokens")
    embedded = layers.Embedding(10, 3, mask_zero=True)(named)
    assert (named.name, embedded.name, embedded._keras_mask.name) == (
        "tokens",
        "keras_tensor_8",
        "keras_tensor_9",
    )
    unnamed = keras.Input((2,))
    assert unnamed.name == "keras_tensor_10" and unnamed._keras_history[0].name == "input_layer_2"
    assert "name=keras_tensor_10>" in repr(unnamed)
    keras.backend.clear_session()
    assert keras.Input((2,)).name == "keras_tensor"


def test_operators_on_keras_tensors_promote_as_keras_ops():
    # Keras 3 builds KerasTensor operators from keras.ops: mixed dtypes promote there,
    # where TensorFlow's own ops (and gpuflow's eager tensors) refuse them
    inputs = gf.keras.Input((3,))
    counts = gf.keras.Input((3,), dtype="int32")
    h = gf.keras.layers.Dense(3, kernel_initializer="ones", use_bias=False)(inputs)
    out = h * (h > 0.0) + counts * 0.5
    model = gf.keras.Model([inputs, counts], out)
    x = np.array([[1.0, -2.0, 0.5], [1.0, 2.0, 0.5]], "float32")
    got = model.predict([x, np.array([[2, 4, 6]] * 2, "int32")], verbose=0)
    # h is sum(x) per unit: -0.5 is masked to 0, 3.5 kept
    np.testing.assert_allclose(got, [[1.0, 2.0, 3.0], [4.5, 5.5, 6.5]])
    assert got.dtype == np.float32
    # eager tensors: TensorFlow 2.21's * with a bool tensor casts both to int32 and back to bool
    mixed = gf.constant([1.0, 1.0, 0.5]) * gf.constant([True, False, True])
    assert mixed.dtype == gf.bool and mixed.numpy().tolist() == [True, False, False]
    with pytest.raises(gf.errors.InvalidArgumentError):
        gf.ones([3]) + gf.constant([True, False, True])


class _BatchSizes(layers.Layer):
    """Dense-like layer that notes the batch sizes its call sees."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seen = []

    def call(self, x):
        self.seen.append(x.shape[0])
        return x * 2.0


def test_a_known_batch_size_is_not_computed_at_full_size():
    # Keras never runs a layer to learn its output shape; gpuflow runs it on stand-in
    # batches, which must stay small for Input((128, 128, 3), batch_size=32) to build fast
    probe = _BatchSizes()
    inp = keras.Input((4, 5), batch_size=32)
    out = layers.Flatten()(probe(inp))
    pooled = gf.reduce_sum(out, axis=1)
    assert probe.seen and max(probe.seen) < 32
    assert tuple(out.shape) == (32, 20)
    assert tuple(pooled.shape) == (32,)
    model = keras.Model(inp, pooled)
    x = np.ones((32, 4, 5), np.float32)
    np.testing.assert_allclose(model(x).numpy(), np.full(32, 40.0))


def test_a_layer_that_hard_codes_the_batch_size_builds_at_the_real_size():
    class SplitRows(layers.Layer):
        def call(self, x):  # only right for a batch of 8
            return gf.reshape(x, (8, -1, 2))

    inp = keras.Input((6,), batch_size=8)
    out = SplitRows()(inp)
    assert tuple(out.shape) == (8, 3, 2)
    squeezed = gf.squeeze(keras.Input((1, 3), batch_size=4), axis=1)
    assert tuple(squeezed.shape) == (4, 3)


def test_a_stateful_rnn_with_a_fixed_batch_keeps_its_batch():
    inp = keras.Input((5, 3), batch_size=4)
    out = layers.LSTM(6, stateful=True, return_sequences=True)(inp)
    assert tuple(out.shape) == (4, 5, 6)
    model = keras.Model(inp, out)
    assert model(np.ones((4, 5, 3), np.float32)).shape == (4, 5, 6)
