"""Subclassed models and layers: tracking, training flag, add_loss, losses, configs, summary."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf
from gpuflow import keras

L = keras.layers


class Linear(L.Layer):
    def __init__(self, units=2, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(
            name="w",
            shape=(input_shape[-1], self.units),
            initializer="random_normal",
            trainable=True,
            regularizer=keras.regularizers.L2(0.5),
        )
        self.b = self.add_weight(name="b", shape=(self.units,), initializer="zeros")
        self.counter = self.add_weight(name="count", shape=(), initializer="zeros", trainable=False)

    def call(self, x):
        return gf.matmul(x, self.w) + self.b

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        return {**super().get_config(), "units": self.units}


class Net(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.blocks = [Linear(4), Linear(4)]
        self.heads = {"out": L.Dense(1)}
        self.drop = L.Dropout(0.5)
        self.norm = L.BatchNormalization()

    def call(self, inputs, training=None, mask=None):
        x = inputs
        for block in self.blocks:
            x = block(x)
        x = self.norm(self.drop(x, training=training), training=training)
        return self.heads["out"](x)


def test_custom_layer_add_weight_build_and_config():
    layer = Linear(3, name="lin")
    y = layer(np.ones((2, 5), "float32"))
    assert y.shape == (2, 3) and layer.built
    assert [w.path for w in layer.weights] == ["lin/w", "lin/b", "lin/count"]
    assert len(layer.trainable_weights) == 2 and len(layer.non_trainable_weights) == 1
    assert layer.compute_output_shape((None, 5)) == (None, 3)
    clone = Linear.from_config(layer.get_config())
    assert clone.units == 3 and clone.name == "lin"
    penalty = 0.5 * np.sum(layer.w.numpy() ** 2)
    np.testing.assert_allclose(float(layer.losses[0]), penalty, rtol=1e-6)


def test_add_weight_accepts_keras3_order():
    class ShapeFirst(L.Layer):
        def build(self, input_shape):
            self.k = self.add_weight((input_shape[-1], 2), initializer="ones")

        def call(self, x):
            return gf.matmul(x, self.k)

    assert ShapeFirst()(np.ones((1, 3), "float32")).numpy().tolist() == [[3.0, 3.0]]


def test_weights_tracked_through_lists_and_dicts():
    net = Net()
    net(np.ones((3, 5), "float32"))
    assert [type(layer).__name__ for layer in net.layers] == [
        "Linear",
        "Linear",
        "Dense",
        "Dropout",
        "BatchNormalization",
    ]
    # 2 x (w, b) + dense (kernel, bias) + bn (gamma, beta) trainable; counters + bn stats frozen.
    assert len(net.trainable_weights) == 8 and len(net.non_trainable_weights) == 4
    assert len(net.losses) == 2  # one L2 penalty per Linear


def test_layers_found_in_a_list_that_starts_with_something_else():
    # keras.io "Forward-Forward": self.layer_list = [keras.Input(...)] then += [layers]
    class Stack(keras.Model):
        def __init__(self):
            super().__init__()
            self.layer_list = [keras.Input(shape=(4,)), "label"]
            self.layer_list += [L.Dense(3), L.Dense(2)]

    model = Stack()
    assert [type(layer).__name__ for layer in model.layers] == ["Dense", "Dense"]
    model.layer_list[2](np.ones((1, 4), "float32"))
    assert len(model.trainable_weights) == 2


def test_training_flag_reaches_dropout_and_batchnorm():
    net = Net()
    x = np.random.rand(64, 5).astype("float32") * 3
    eval_a = net(x, training=False).numpy()
    eval_b = net(x).numpy()
    np.testing.assert_allclose(eval_a, eval_b)
    moving = net.norm.moving_mean.numpy().copy()
    train = net(x, training=True).numpy()
    assert not np.allclose(train, eval_a)
    assert not np.allclose(net.norm.moving_mean.numpy(), moving)


def test_summary_after_build():
    net = Net(name="net")
    with pytest.raises(ValueError, match="count_params"):
        net.count_params()
    net(np.ones((1, 5), "float32"))
    lines = []
    net.summary(print_fn=lines.append)
    assert len(lines) == 1  # the whole text in one call, as Keras
    text = lines[0].splitlines()
    assert text[0] == 'Model: "net"'
    assert any(line.startswith("│ linear") for line in text)
    assert f"Total params: {net.count_params():,}" in "\n".join(lines)


def test_summary_shows_output_shapes_of_a_subclassed_models_layers():
    # as Keras 3: compute_output_shape of the shape each layer was built on; "?" for a
    # layer never called
    class CharModel(keras.Model):
        def __init__(self):
            super().__init__()
            self.embedding = L.Embedding(10, 4, name="embedding")
            self.gru = L.GRU(3, return_sequences=True, return_state=True, name="gru")
            self.spare = L.Dense(7, name="spare")
            self.dense = L.Dense(5, name="out")

        def call(self, x):
            x, _ = self.gru(self.embedding(x))
            return self.dense(x)

    model = CharModel()
    model(np.zeros((8, 6), "int32"))
    lines = []
    model.summary(print_fn=lines.append)
    rows = {
        line.strip("│ ").split()[0]: line.replace("│", " ")
        for line in "".join(lines).splitlines()
        if line.startswith("│")
    }
    assert "(8, 6, 4)" in rows["embedding"]
    assert "((8, 6, 3), (8, 3))" in rows["gru"]
    assert "(8, 6, 5)" in rows["out"]
    assert rows["spare"].split()[2] == "?"


def test_summary_shows_output_shapes_of_sub_models_with_inputs():
    class Coder(keras.Model):  # as the CVAE tutorial: called through methods, never as a whole
        def __init__(self):
            super().__init__(name="coder")
            self.encoder = keras.Sequential([L.InputLayer(shape=(6,)), L.Dense(4)])
            self.decoder = keras.Sequential([L.Dense(6)])

    coder = Coder()
    lines = []
    coder.summary(print_fn=lines.append)
    rows = {
        line.strip("│ ").split()[0]: line
        for line in "".join(lines).splitlines()
        if line.startswith("│ sequential")
    }
    encoder_row, decoder_row = rows[coder.encoder.name], rows[coder.decoder.name]
    assert "(None, 4)" in encoder_row and "28" in encoder_row
    assert "│ ?" in decoder_row and "0 (unbuilt)" in decoder_row  # as Keras 3


def test_add_loss_is_collected_per_forward_pass():
    class ActivityPenalty(L.Layer):
        def call(self, x):
            self.add_loss(0.1 * gf.reduce_sum(x))
            return x

    class WithLoss(keras.Model):
        def __init__(self):
            super().__init__()
            self.penalty = ActivityPenalty()
            self.dense = L.Dense(1, kernel_regularizer="l2")

        def call(self, x):
            return self.dense(self.penalty(x))

    model = WithLoss()
    model(np.ones((2, 3), "float32"))
    assert len(model.losses) == 2
    np.testing.assert_allclose(float(model.losses[0]), 0.6, rtol=1e-6)
    model(np.full((2, 3), 2.0, "float32"))
    assert len(model.losses) == 2  # reset at each outermost call, not accumulated
    np.testing.assert_allclose(float(model.losses[0]), 1.2, rtol=1e-6)
    with gf.GradientTape() as tape:
        out = model(np.ones((2, 3), "float32"))
        total = gf.reduce_sum(out) + model.losses[0] + model.losses[1]
    grads = tape.gradient(total, model.trainable_variables)
    assert all(g is not None for g in grads)


def test_add_loss_in_functional_model_and_symbolic_build_adds_nothing():
    class Penalty(L.Layer):
        def call(self, x):
            self.add_loss(gf.reduce_mean(x))
            return x

    inp = keras.Input((3,))
    model = keras.Model(inp, L.Dense(2)(Penalty()(inp)))
    assert model.losses == []
    model(np.ones((4, 3), "float32"))
    assert len(model.losses) == 1 and float(model.losses[0]) == 1.0


def test_activity_regularizer_divides_by_batch_size():
    layer = L.Dense(2, kernel_initializer="ones", activity_regularizer=keras.regularizers.L1(0.1))
    out = layer(np.ones((4, 3), "float32"))
    np.testing.assert_allclose(
        float(layer.losses[0]), 0.1 * np.abs(out.numpy()).sum() / 4, rtol=1e-6
    )
    assert layer.get_config()["activity_regularizer"] == {
        "module": "keras.regularizers",
        "class_name": "L1",
        "config": {"l1": 0.1},
        "registered_name": None,
    }


def test_subclassed_model_from_config():
    net = Net(name="custom")
    clone = Net.from_config(net.get_config())
    assert isinstance(clone, Net) and clone.name == "custom"

    class NeedsArgs(keras.Model):
        def __init__(self, units):
            super().__init__()
            self.units = units

    assert NeedsArgs(3).get_config()["units"] == 3  # Keras 3's automatic config
    assert NeedsArgs.from_config(NeedsArgs(5).get_config()).units == 5
    with pytest.raises(NotImplementedError, match="override get_config"):
        NeedsArgs(keras.layers.Dense(2)).get_config()  # not a plain value


def test_subclass_constructed_like_a_functional_model():
    class CustomModel(keras.Model):
        def describe(self):
            return f"custom with {len(self.layers)} layers"

    inp = keras.Input((2,))
    model = CustomModel(inp, L.Dense(1, name="head")(inp))
    assert isinstance(model, CustomModel) and isinstance(model, keras.Model)
    assert model.output_names == ["head"] and model.describe() == "custom with 2 layers"
    assert model(np.ones((3, 2), "float32")).shape == (3, 1)
    again = CustomModel(inputs=inp, outputs=model.outputs[0])
    assert again.layers[1] is model.layers[1]


def test_build_with_an_input_shape_creates_the_weights():
    class TwoDense(keras.Model):
        def __init__(self):
            super().__init__()
            self.a, self.b = L.Dense(3), L.Dense(2)

        def call(self, x):
            return self.b(self.a(x))

    model = TwoDense()
    model.build((None, 5))
    assert model.built and model.count_params() == 5 * 3 + 3 + 3 * 2 + 2
    lines = []
    model.summary(print_fn=lines.append)
    assert "Total params: 26" in "\n".join(lines)
    with pytest.raises(ValueError, match="give input_shape"):
        TwoDense().build()


def test_positional_arguments_other_than_inputs_outputs_are_refused():
    class Passes(gf.keras.Model):
        def __init__(self):
            super().__init__(self)  # an old tutorial's mistake, an error in Keras 3 too

    with pytest.raises(TypeError, match="positional arguments only as"):
        Passes()


def test_an_empty_name_is_a_name_and_layers_print_as_keras():
    # the custom-layers tutorial's ResnetIdentityBlock calls super().__init__(name='')
    class Block(gf.keras.Model):
        def __init__(self):
            super().__init__(name="")
            self.dense = gf.keras.layers.Dense(2)

        def call(self, x):
            return self.dense(x)

    block = Block()
    assert block.name == "" and tuple(block(gf.zeros([1, 3])).shape) == (1, 2)
    name = block.dense.name  # no prefix from the empty model name
    assert [v.path for v in block.variables] == [f"{name}/kernel", f"{name}/bias"]
    assert repr(block.dense) == f"<Dense name={name}, built=True>"
    with pytest.raises(ValueError, match="name must be a string without '/'"):
        gf.keras.layers.Dense(2, name="a/b")


def test_summary_of_a_model_whose_sublayer_returns_a_tuple():
    # the SNGP tutorial: its Gaussian-process output layer returns (logits, covariance)
    class Two(keras.layers.Layer):
        def build(self, shape):
            self.dense = keras.layers.Dense(3)
            self.dense.build(shape)

        def call(self, x):
            y = self.dense(x)
            return y, gf.matmul(y, y, transpose_b=True)

    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = keras.layers.Dense(4)
            self.two = Two()

        def call(self, x):
            logits, _ = self.two(self.hidden(x))
            return logits

    net = Net()
    net.build((None, 2))
    lines = []
    net.summary(print_fn=lines.append)
    assert any("two" in line for line in lines)
    shapes = net.two.compute_output_shape((None, 4))
    assert isinstance(shapes, tuple) and len(shapes) == 2 and shapes[0] == (None, 3)


class _KeepsSize(keras.layers.Layer):
    def build(self, input_shape):
        self.size = tuple(input_shape[1:3])
        self.mix = keras.layers.Conv2D(2, 1)

    def call(self, x):
        return self.mix(gf.image.crop_to_bounding_box(x, 0, 0, *self.size))


class _Cropping(keras.Model):
    def __init__(self):
        super().__init__()
        self.augment = keras.Sequential([keras.layers.RandomCrop(4, 4)])
        self.keeper = _KeepsSize()
        self.head = keras.layers.Dense(1)

    def call(self, images):
        x = self.keeper(self.augment(images))
        return self.head(keras.layers.GlobalAveragePooling2D()(x))


def test_first_call_builds_sub_layers_from_a_symbolic_run_as_keras_3():
    # Keras runs call() symbolically before the first real call of a model without build():
    # the layer after RandomCrop is built for the declared 4x4 crop, although the real call
    # at inference passes the 6x6 images through; training then feeds it 4x4 crops
    images = np.random.default_rng(0).uniform(size=(2, 6, 6, 3)).astype("float32")
    model = _Cropping()
    assert tuple(model(images, training=False).shape) == (2, 1)
    assert model.keeper.size == (4, 4) and tuple(model.keeper.mix.kernel.shape) == (1, 1, 3, 2)
    # the symbolic run leaves no graph behind on the layers it called
    assert model.keeper._inbound_nodes == [] and model.augment._inbound_nodes == []
    model.compile(optimizer="sgd", loss="mse")
    model.fit(images, np.zeros((2, 1), "float32"), epochs=1, verbose=0)


def test_sequential_symbolic_shape_follows_a_declared_crop():
    stack = keras.Sequential([keras.layers.Resizing(10, 10), keras.layers.RandomCrop(4, 4)])
    assert tuple(stack(keras.Input((8, 8, 3))).shape) == (None, 4, 4, 3)
    assert tuple(stack.compute_output_shape((None, 8, 8, 3))) == (None, 4, 4, 3)
