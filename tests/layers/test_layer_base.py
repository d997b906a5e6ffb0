"""The Layer contract: names, kwargs, tracking, trainable, weights I/O, training flag, dtypes,
configs."""

from __future__ import annotations

import numpy as np
import pytest
from layer_helpers import assert_close

import gpuflow as gf
from gpuflow import layers


class Scale(layers.Layer):
    """A custom layer: ``x * w + b`` with one weight per feature."""

    def __init__(self, init="ones", **kwargs):
        super().__init__(**kwargs)
        self.init = init

    def build(self, input_shape):
        self.w = self.add_weight(name="w", shape=(input_shape[-1],), initializer=self.init)
        self.b = self.add_weight(
            name="b", shape=(input_shape[-1],), initializer="zeros", trainable=False
        )
        super().build(input_shape)

    def call(self, inputs):
        return inputs * self.w + self.b

    def get_config(self):
        return {**super().get_config(), "init": self.init}


class Block(layers.Layer):
    """Sub-layers assigned before super().__init__(), in a list, and a keras.Variable."""

    def __init__(self, **kwargs):
        self.first = layers.Dense(4, activation="relu")
        super().__init__(**kwargs)
        self.rest = [layers.Dense(3), Scale()]
        self.offset = gf.keras.Variable(np.zeros(3, "float32"), name="offset")

    def call(self, inputs, training=None):
        self.seen_training = training
        x = self.first(inputs)
        for layer in self.rest:
            x = layer(x)
        return x + self.offset


class Probe(layers.Layer):
    def call(self, inputs, training=None):
        self.training = training
        return inputs


def test_auto_names_are_unique_snake_case():
    assert [layers.Dense(1).name, layers.Dense(1).name, layers.Conv2D(1, 1).name] == [
        "dense",
        "dense_1",
        "conv2d",
    ]
    assert layers.MaxPooling2D().name == "max_pooling2d"
    assert layers.BatchNormalization().name == "batch_normalization"
    assert Scale().name == "scale" and layers.Dense(1, name="head").name == "head"
    layers.reset_name_counters()
    assert layers.Dense(1).name == "dense"


def test_keras_shape_kwargs_and_unknown_kwargs():
    assert layers.Dense(3, input_shape=(784,))._batch_input_shape == (None, 784)
    assert layers.Dense(3, input_dim=5)._batch_input_shape == (None, 5)
    assert layers.Flatten(batch_input_shape=(8, 2, 2))._batch_input_shape == (8, 2, 2)
    with pytest.raises(ValueError, match="passed to Flatten: {'units': 3}"):
        layers.Flatten(units=3)
    with pytest.raises(ValueError, match="passed to Scale: {'bogus': 1}"):
        Scale(bogus=1)


def test_plain_tf_variable_attribute_is_not_a_layer_weight():
    # Keras 3 (on TensorFlow too) tracks Keras variables only: a tf.Variable assigned to a
    # layer is not in its weights, so fit does not train it and saving does not store it
    class WithPlain(layers.Layer):
        def __init__(self):
            super().__init__()
            self.plain = gf.Variable(np.ones(2, "float32"), name="plain")
            self.kept = gf.keras.Variable(np.zeros(2, "float32"), name="kept")

        def call(self, x):
            return x * self.plain + self.kept

    layer = WithPlain()
    assert [w.name for w in layer.weights] == ["kept"]
    assert [w.name for w in layer.trainable_variables] == ["kept"]
    assert layer.variables == layer.weights and layer.non_trainable_weights == []
    np.testing.assert_allclose(layer(np.full((1, 2), 3.0, "float32")).numpy(), [[3.0, 3.0]])


def test_custom_layer_add_weight_and_tracking():
    block = Block(name="block")
    assert not block.built and block.weights == [block.offset]
    y = block(np.ones((2, 5), "float32"))
    assert tuple(y.shape) == (2, 3) and block.built
    names = [w.path for w in block.trainable_weights]
    assert names == [  # layers built inside the block's call get its prefix (Keras 3)
        "offset",
        "block/dense/kernel",
        "block/dense/bias",
        "block/dense_1/kernel",
        "block/dense_1/bias",
        "block/scale/w",
    ]
    assert [w.path for w in block.non_trainable_weights] == ["block/scale/b"]
    assert [w.path for w in block.weights] == names + ["block/scale/b"]
    assert block.trainable_variables == block.trainable_weights and block.variables == block.weights
    assert block.count_params() == 3 + 5 * 4 + 4 + 4 * 3 + 3 + 3 + 3
    # weights live on the default device (GPUFLOW_DEVICE=cuda makes that cuda:0)
    default = gf.current_device().name
    assert isinstance(block.rest[1].w, gf.Variable) and block.rest[1].w.device == default


def test_custom_layer_gradients_flow_to_every_weight():
    block = Block()
    x = np.random.default_rng(0).normal(size=(4, 5)).astype("float32")
    block(x)
    with gf.GradientTape() as tape:
        loss = gf.reduce_sum(block(x) ** 2)
    grads = tape.gradient(loss, block.trainable_weights)
    assert all(
        g is not None and tuple(g.shape) == tuple(w.shape)
        for g, w in zip(grads, block.trainable_weights)
    )


def test_trainable_false_hides_weights():
    block = Block(name="b")
    block(np.ones((1, 5), "float32"))
    block.rest[0].trainable = False
    assert [w.path for w in block.trainable_weights] == [
        "offset",
        "b/dense/kernel",
        "b/dense/bias",
        "b/scale/w",
    ]
    assert len(block.weights) == 7
    block.trainable = False
    assert block.trainable_weights == [] and len(block.non_trainable_weights) == 7
    assert not block.first.trainable  # freezing a layer freezes its sub-layers, as Keras


def test_get_set_weights_round_trip_and_errors():
    layer = layers.Dense(3, name="fc")
    with pytest.raises(ValueError, match="Dense 'fc': count_params\\(\\) needs the layer built"):
        layer.count_params()
    layer.build((None, 2))
    kernel, bias = np.arange(6, dtype="float32").reshape(2, 3), np.ones(3, "float32")
    layer.set_weights([kernel, bias])
    got = layer.get_weights()
    assert all(isinstance(a, np.ndarray) for a in got)
    np.testing.assert_array_equal(got[0], kernel)
    got[0][0, 0] = 99  # a copy, not a view of the variable
    assert layer.get_weights()[0][0, 0] == 0
    with pytest.raises(
        ValueError,
        match=r"Dense 'fc': weight 'kernel' has shape \(2, 3\), "
        r"received an array of shape \(3, 2\)",
    ):
        layer.set_weights([kernel.T, bias])
    with pytest.raises(
        ValueError,
        match=r"Dense 'fc': set_weights expected 2 arrays \(kernel, bias\), received 1",
    ):
        layer.set_weights([kernel])
    np.testing.assert_array_equal(layer.get_weights()[0], kernel)  # nothing half-assigned


def test_weights_kwarg_sets_initial_values():
    kernel, bias = np.full((2, 1), 2.0, "float32"), np.array([1.0], "float32")
    layer = layers.Dense(1, weights=[kernel, bias])
    assert_close(layer(np.ones((1, 2), "float32")), [[5.0]], "float32")


def test_training_flag_is_passed_and_inherited():
    probe = Probe()
    probe(np.ones(2))
    assert probe.training is None
    probe(np.ones(2), training=True)
    assert probe.training is True

    class Outer(layers.Layer):
        def __init__(self):
            super().__init__()
            self.inner = Probe()

        def call(self, inputs):  # no training argument: the inner call inherits the outer flag
            return self.inner(inputs)

    outer = Outer()
    outer(np.ones(2), training=True)
    assert outer.inner.training is True
    outer(np.ones(2), training=False)
    assert outer.inner.training is False


class _NeedsTraining(layers.Layer):
    def call(self, x, training):  # no default: Keras requires it at every call
        return x * (2.0 if training else 1.0)


def test_training_without_default_must_be_passed_as_keras():
    missing = "missing a required argument: 'training'"
    with pytest.raises(TypeError, match=missing):
        _NeedsTraining()(np.ones(2, "float32"))
    np.testing.assert_array_equal(_NeedsTraining()(np.ones(2), training=True).numpy(), [2, 2])
    np.testing.assert_array_equal(_NeedsTraining()(np.ones(2), training=None).numpy(), [1, 1])
    with pytest.raises(TypeError, match=missing):  # symbolic calls too
        _NeedsTraining()(gf.keras.Input((2,)))

    class Outer(gf.keras.Model):
        def __init__(self):
            super().__init__()
            self.inner = _NeedsTraining()

        def call(self, x, training=None):
            return self.inner(x)  # the context's value is not enough

    with pytest.raises(TypeError, match=missing):
        Outer()(np.ones((1, 2), "float32"), training=True)
    inputs = gf.keras.Input((2,))
    model = gf.keras.Model(inputs, _NeedsTraining()(inputs, training=True))
    np.testing.assert_array_equal(model(np.ones((1, 2))).numpy(), [[2, 2]])
    with pytest.raises(ValueError, match="single required positional argument"):
        gf.keras.Sequential([gf.keras.Input((2,)), _NeedsTraining()])


def test_explicit_training_none_reaches_call_as_none():
    class DefaultsToTraining(layers.Layer):  # as Keras' augmentation layers: training=True
        def call(self, inputs, training=True):
            self.training = training
            return inputs

    layer = DefaultsToTraining()
    layer(np.ones(2))
    assert layer.training is True  # omitted: call's own default
    layer(np.ones(2), training=None)
    assert layer.training is None  # passed, even as None: what call gets (Keras 3)

    class Forwards(layers.Layer):  # a custom layer that hands its flag on as Keras code does
        def __init__(self):
            super().__init__()
            self.inner = DefaultsToTraining()

        def call(self, inputs, training=None):
            return self.inner(inputs, training=training)

    outer = Forwards()
    outer(np.ones(2))  # called directly (inference): the inner layer sees None, not True
    assert outer.inner.training is None
    outer(np.ones(2), training=True)
    assert outer.inner.training is True

    seq = gf.keras.Sequential([DefaultsToTraining()])
    seq(np.ones((1, 2)))  # Sequential does not pass None on: the layer's default applies
    assert seq.layers[0].training is True
    seq(np.ones((1, 2)), training=False)
    assert seq.layers[0].training is False


def test_training_values_stay_in_the_call_context_for_later_layers():
    # Keras 3 keeps one training value per outermost call: each layer leaves the value it
    # ran with for the layers called after it, siblings included
    class Seen(layers.Layer):
        def call(self, inputs, training=None):
            self.training = training
            return inputs

    class Augment(Seen):
        def call(self, inputs, training=True):
            self.training = training
            return inputs

    class Chain(layers.Layer):
        def __init__(self):
            super().__init__()
            self.first, self.augment, self.after = Seen(), Augment(), Seen()
            self.frozen, self.later = Seen(), Seen()

        def call(self, inputs):
            x = self.after(self.augment(self.first(inputs)))
            return self.later(self.frozen(x, training=False))

    chain = Chain()

    def seen():
        return [chain.first.training, chain.augment.training, chain.after.training]

    chain(np.ones(2))
    assert seen() == [None, True, True]  # the augmentation's default reaches `after`
    assert chain.later.training is False  # the sibling's explicit False reaches `later`
    chain(np.ones(2), training=True)
    assert seen() == [True, True, True] and chain.later.training is False
    chain(np.ones(2), training=False)
    assert seen() == [False, False, False]
    chain(np.ones(2))  # a new outermost call starts from nothing again
    assert seen() == [None, True, True]

    class Fails(layers.Layer):
        def call(self, inputs, training=None):
            raise ValueError("fails")

    with pytest.raises(ValueError, match="fails"):
        Fails()(np.ones(2), training=True)
    chain(np.ones(2))  # a failed call leaves no value behind
    assert seen() == [None, True, True]


def _policy_config(name):
    return {
        "module": "keras",
        "class_name": "DTypePolicy",
        "config": {"name": name},
        "registered_name": None,
    }


_POLICY_F32, _POLICY_F64 = _policy_config("float32"), _policy_config("float64")


def test_dtype_policies():
    assert layers.Dense(2).dtype == "float32" and layers.Dense(2).compute_dtype == "float32"
    gf.config.set_floatx("float64")
    assert layers.Dense(2).dtype == "float64"
    gf.config.set_floatx("float32")
    layer = layers.Dense(2, dtype="float64")
    layer(np.ones((1, 3), "float32"))
    assert layer.kernel.dtype == "float64"
    # Keras 3.15 writes a serialized DTypePolicy; from_config takes it or a plain name
    assert layer.get_config()["dtype"] == _POLICY_F64
    assert layers.Dense.from_config(layer.get_config()).dtype == "float64"
    assert layers.Dense.from_config(dict(layer.get_config(), dtype="float64")).dtype == "float64"
    mixed = layers.Dense(2, dtype="mixed_float16", activation="relu")
    y = mixed(np.ones((1, 3), "float32"))
    assert (
        mixed.kernel.dtype == "float32"
        and y.dtype == "float16"
        and mixed.compute_dtype == "float16"
    )
    with gf.GradientTape() as tape:
        loss = gf.reduce_sum(gf.cast(mixed(np.ones((1, 3), "float32")), "float32"))
    assert tape.gradient(loss, mixed.kernel).dtype == "float32"
    with pytest.raises(ValueError, match="dtype policy: expected .*received 'float8'"):
        layers.Dense(2, dtype="float8")


def test_weights_live_on_the_device_of_the_first_input(device):
    layer = layers.Dense(2)
    y = layer(gf.constant(np.ones((1, 3), "float32"), device=device))
    assert layer.kernel.device == device and y.device == device
    with gf.device(device):
        explicit = layers.Dense(2)
        explicit.build((None, 3))
    assert explicit.kernel.device == device


def test_custom_config_round_trip_and_custom_objects():
    layer = Scale(init="zeros", name="s")
    config = layers.serialize(layer)
    assert config == {  # Keras 3: a user class keeps its module and registered name
        "module": Scale.__module__,
        "registered_name": "Scale",
        "class_name": "Scale",
        "config": {"name": "s", "trainable": True, "dtype": _POLICY_F32, "init": "zeros"},
    }
    with pytest.raises(ValueError, match="unknown layer 'Scale'; pass it in custom_objects"):
        layers.deserialize(config)
    clone = layers.deserialize(config, custom_objects={"Scale": Scale})
    assert isinstance(clone, Scale) and clone.get_config() == config["config"]

    class NoConfig(layers.Layer):
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.units = units

    # Keras 3: without get_config, the plain arguments __init__ received are the config
    assert NoConfig(3, name="n").get_config() == {
        "name": "n",
        "units": 3,
        "trainable": True,
        "dtype": _POLICY_F32,
    }
    assert NoConfig.from_config(NoConfig([2, 4]).get_config()).units == [2, 4]
    with pytest.raises(  # an argument that is not a plain value leaves no automatic config
        NotImplementedError, match=r"NoConfig 'no_config.*': override get_config\(\).*\(units\)"
    ):
        NoConfig(np.ones(2)).get_config()
    assert Probe(name="p").get_config() == {  # Layer's own arguments, as Keras 3 lists them
        "name": "p",
        "activity_regularizer": None,
        "trainable": True,
        "dtype": _POLICY_F32,
    }


def test_layers_get():
    dense = layers.Dense(2)
    assert layers.get(dense) is dense
    assert isinstance(layers.get("Flatten"), layers.Flatten)
    with pytest.raises(ValueError, match="layers.get\\('Dense'\\): Dense needs arguments"):
        layers.get("Dense")


def test_default_compute_output_shape_and_output_shape():
    assert Scale().compute_output_shape((None, 4)) == (None, 4)
    dense = layers.Dense(3)
    with pytest.raises(
        AttributeError, match="output_shape is not defined before the layer is built"
    ):
        _ = dense.output_shape
    dense(np.ones((5, 2), "float32"))
    assert dense.output_shape == (None, 3)


def test_regularizer_losses():
    layer = layers.Dense(2, kernel_regularizer=lambda w: 0.5 * gf.reduce_sum(w * w))
    layer(np.ones((1, 3), "float32"))
    (penalty,) = layer.losses
    assert_close(penalty, 0.5 * (layer.get_weights()[0] ** 2).sum(), "float32")
    outer = Block()
    outer.rest.append(layer)
    assert len(outer.losses) == 1


def test_inputs_by_the_name_of_calls_first_argument():
    # Keras lets a caller name the inputs as call's first argument: layer(x=x)
    class Doubles(layers.Layer):
        def call(self, x, scale=2.0):
            return x * scale

    layer = Doubles()
    np.testing.assert_allclose(layer(x=np.ones(2, "float32")).numpy(), [2.0, 2.0])
    np.testing.assert_allclose(layer(x=np.ones(2, "float32"), scale=3.0).numpy(), [3.0, 3.0])
    with pytest.raises(TypeError, match="called without inputs"):
        layer(scale=3.0)


def test_a_custom_call_gets_integer_inputs_as_they_are():
    # Keras 3 casts only floating inputs to the compute dtype: a user layer or model taking
    # node ids / an edge list keeps them integer (tf.gather needs integer indices), while
    # floating inputs are still cast and built-in layers keep their own rule
    seen = {}

    class Gather(gf.keras.layers.Layer):
        def call(self, inputs):
            values, ids = inputs
            seen["dtypes"] = (values.dtype.name, ids.dtype.name)
            return gf.gather(values, ids)

    values = np.arange(6, dtype="float64").reshape(3, 2)
    out = Gather()((values, np.array([2, 0], "int64")))
    assert seen["dtypes"] == ("float32", "int64")
    np.testing.assert_array_equal(out.numpy(), [[4.0, 5.0], [0.0, 1.0]])

    class Ids(gf.keras.Model):
        def __init__(self):
            super().__init__()
            self.table = gf.constant(np.eye(4, dtype="float32"))

        def call(self, ids):
            seen["model"] = ids.dtype.name
            return gf.gather(self.table, ids)

    assert Ids()(np.array([3, 1])).shape == (2, 4) and seen["model"] == "int64"

    class Explicit(gf.keras.layers.Layer):
        _cast_int_inputs = True

        def call(self, inputs):
            return inputs

    assert Explicit()(np.array([1, 2])).dtype.name == "float32"


def test_variable_paths_follow_the_layers_that_build_them_as_keras():
    keras = gf.keras

    class Outer(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.inner = keras.layers.Dense(2, name="inner")

        def build(self, input_shape):
            self.w = self.add_weight(shape=(2,), name="w")

        def call(self, x):
            return self.inner(x)

    class Net(keras.Model):
        def __init__(self):
            super().__init__(name="net")
            self.outer = Outer(name="outer")

        def call(self, x):
            return self.outer(x)

    net = Net()
    net(np.ones((1, 3), "float32"))
    assert [w.path for w in net.weights] == [
        "net/outer/w",
        "net/outer/inner/kernel",
        "net/outer/inner/bias",
    ]
    inp = gf.keras.Input((3,))
    functional = keras.Model(inp, Outer(name="o2")(inp))  # built outside any model
    assert [w.path for w in functional.weights] == ["o2/w", "o2/inner/kernel", "o2/inner/bias"]
    seq = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="a")], name="s")
    seq.add(keras.layers.Dense(1, name="b"))
    assert [w.path for w in seq.weights] == ["s/a/kernel", "s/a/bias", "s/b/kernel", "s/b/bias"]
    bi = keras.layers.Bidirectional(keras.layers.GRU(2, name="gru"), name="bi")
    bi(np.ones((1, 2, 3), "float32"))
    assert bi.weights[0].path == "bi/forward_gru/gru_cell/kernel"
    assert bi.weights[-1].path == "bi/backward_gru/gru_cell/bias"


def test_keras_name_scope_prefixes_variable_paths():
    # Keras 3: keras.name_scope prefixes the paths of weights built and keras.Variables
    # created inside it; a layer's parent path is fixed the first time it opens its scope
    k = gf.keras
    with k.name_scope("x"):
        dense = k.layers.Dense(2)
        dense.build((None, 3))
        var = k.Variable(1.0, name="vv")
        tf_var = gf.Variable(1.0, name="tv")
    assert dense.kernel.path == f"x/{dense.name}/kernel" and dense.kernel.name == "kernel"
    assert var.path == "x/vv" and var.name == "vv"
    assert tf_var.name == "x/tv:0"
    named = k.layers.Dense(2, name="dd")
    with k.name_scope("outer"), k.name_scope("inner"):
        named.build((None, 3))
    assert named.bias.path == "outer/inner/dd/bias"
    with k.name_scope("top"):
        model = k.Sequential([k.Input((3,)), k.layers.Dense(2, name="q")], name="seq")
    assert [w.path for w in model.weights] == ["top/seq/q/kernel", "top/seq/q/bias"]

    class Sub(k.layers.Layer):
        def build(self, shape):
            self.w = self.add_weight(shape=(1,), name="w")
            with k.name_scope("sub"):  # the layer's own weights keep its path
                self.u = self.add_weight(shape=(1,), name="u")

    sub = Sub(name="ll")
    sub.build((1,))
    assert (sub.w.path, sub.u.path) == ("ll/w", "ll/u")
    for bad in ("a/b", 3):
        with pytest.raises(ValueError, match="cannot contain character"):
            k.name_scope(bad)


def test_unnamed_weights_are_named_as_keras_names_them():
    gf.keras.backend.clear_session()

    class Pair(layers.Layer):
        def __init__(self):
            super().__init__()
            self.a = self.add_weight(shape=())
            self.b = self.add_weight(shape=(2,))

    first, second = Pair(), Pair()
    assert [w.name for w in first.weights] == ["variable", "variable_1"]
    assert [w.path for w in first.weights] == ["pair/variable", "pair/variable_1"]
    assert [w.path for w in second.weights] == ["pair_1/variable_2", "pair_1/variable_3"]


def test_layer_trainable_flags_the_weights_it_created_trainable_as_keras3():
    bn = gf.keras.layers.BatchNormalization()
    model = gf.keras.Sequential([gf.keras.Input((3,)), gf.keras.layers.Dense(2), bn])
    model.trainable = False
    assert [v.trainable for v in model.weights] == [False] * 6
    assert model.trainable_weights == [] and len(model.non_trainable_weights) == 6
    model.trainable = True
    # gamma, beta and the kernel/bias come back; the moving statistics stay non-trainable
    assert [v.trainable for v in model.weights] == [True, True, True, True, False, False]
    bn.trainable = False
    assert [v.trainable for v in bn.weights] == [False] * 4
    assert len(model.trainable_weights) == 2


def test_unknown_arguments_raise_keras_value_error_named_after_the_layer():
    with pytest.raises(ValueError, match=r"passed to LSTM: \{'bar': 1\}"):
        gf.keras.layers.LSTM(2, bar=1)
    with pytest.raises(ValueError, match=r"passed to Dense: \{'kernel_layout': 1\}"):
        gf.keras.layers.Dense(2, kernel_layout=1)


def test_keras3_warnings_for_keras2_arguments():
    import warnings as _warnings

    with _warnings.catch_warnings(record=True) as caught:
        _warnings.simplefilter("always")
        layer = gf.keras.layers.Dense(2, input_shape=(3,))
        relu = gf.keras.layers.LeakyReLU(alpha=0.5)
        gf.keras.layers.Dense(2)  # no warning without them
    texts = [str(w.message) for w in caught]
    assert texts == [
        "Do not pass an `input_shape`/`input_dim` argument to a layer. When using Sequential "
        "models, prefer using an `Input(shape)` object as the first layer in the model instead.",
        "Argument `alpha` is deprecated. Use `negative_slope` instead.",
    ]
    assert layer._batch_input_shape == (None, 3) and relu.negative_slope == 0.5


def test_python_lists_as_positional_inputs_follow_keras3():
    # guide/intro_to_modules: `simple_layer([[2.0, 2.0, 2.0]])` raises on TF 2.21 (Keras 3)
    with pytest.raises(ValueError, match=r"keyword argument: 2.0 \(of type <class 'float'>\)"):
        layers.Dense(2)([[2.0, 2.0, 2.0]])
    with pytest.raises(ValueError, match="Only input tensors"):
        gf.keras.Sequential([gf.keras.Input((2,)), layers.Dense(2)])([[1.0, 2.0]])
    with pytest.raises(ValueError, match="Only input tensors"):
        layers.Concatenate()([[[1.0]], [[2.0]]])
    # arrays, NumPy scalars, tensors, and lists of them are inputs
    assert layers.Add()([np.ones((1, 2)), gf.ones([1, 2])]).shape == (1, 2)
    assert layers.Dense(2)(np.ones((1, 3), "float32")).shape == (1, 2)
    # data (preprocessing) layers take plain Python values, as Keras' DataLayer
    assert layers.Rescaling(2.0)([[1.0, 2.0]]).numpy().tolist() == [[2.0, 4.0]]
    lookup = gf.keras.layers.StringLookup(vocabulary=["a", "b"])
    assert lookup(["b", "a", "z"]).numpy().tolist() == [2, 1, 0]


def test_positional_arguments_after_the_inputs_follow_keras3():
    # Keras 3: extra positional arguments must be tensors (or None), and none may take
    # the place of `training` (Keras passes it by keyword); Functional allows non-tensors
    # there but then training is given twice
    x = np.ones((2, 3), "float32")
    dropout = layers.Dropout(0.5)
    with pytest.raises(ValueError, match="Only input tensors may be passed as positional"):
        dropout(x, True)
    with pytest.raises(TypeError, match="multiple values for argument 'training'"):
        dropout(x, np.ones((2, 3)))
    inputs = gf.keras.Input((3,))
    model = gf.keras.Model(inputs, layers.Dropout(0.5)(inputs))
    with pytest.raises(TypeError, match="Functional.call.. got multiple values for argument"):
        model(x, True)
    sequential = gf.keras.Sequential([gf.keras.Input((3,)), layers.Dropout(0.5)])
    with pytest.raises(ValueError, match="Only input tensors"):
        sequential(x, False)
    # by keyword, and tensors positionally where call names them, still work
    np.testing.assert_array_equal(dropout(x, training=False).numpy(), x)

    class Masked(layers.Layer):
        def call(self, inputs, mask=None, training=None):
            return inputs * gf.cast(mask, inputs.dtype)[:, :, None]

    seq = np.ones((1, 3, 2), "float32")
    keep = np.array([[True, False, True]])
    np.testing.assert_array_equal(Masked()(seq, keep).numpy()[0, :, 0], [1.0, 0.0, 1.0])


def test_auto_config_keeps_name_only_for_a_kwargs_named_kwargs():
    # Keras 3.15's Operation.get_config keeps "name" when __init__ takes ``name`` or a
    # ``**kwargs`` by that very name; ``**kw`` could not take it back in Keras' eyes
    class ShortKw(layers.Layer):
        def __init__(self, units=3, **kw):
            super().__init__(**kw)
            self.units = units

    class LongKw(layers.Layer):
        def __init__(self, units=3, **kwargs):
            super().__init__(**kwargs)
            self.units = units

    assert ShortKw(name="a").get_config() == {"units": 3, "trainable": True, "dtype": _POLICY_F32}
    assert LongKw(name="b").get_config()["name"] == "b"
    assert ShortKw.from_config(ShortKw(units=5).get_config()).units == 5
