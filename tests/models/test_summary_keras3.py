"""model.summary() and model.layers as Keras 3.15 prints and orders them (texts taken from
TF 2.21's tf.keras at line_length 76)."""

import numpy as np
import pytest

import gpuflow as gf

keras = gf.keras

SEQUENTIAL = """Model: "seq"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ dense (Dense)                   │ (None, 3)              │            15 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dropout (Dropout)               │ (None, 3)              │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_1 (Dense)                 │ (None, 1)              │             4 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 19 (76.00 B)
 Trainable params: 19 (76.00 B)
 Non-trainable params: 0 (0.00 B)
"""

BRANCHED = """Model: "multi"
┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┓
┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to      ┃
┡━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━┩
│ a (InputLayer)      │ (None, 4)         │          0 │ -                 │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ ha (Dense)          │ (None, 5)         │         25 │ a[0][0]           │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ b (InputLayer)      │ (None, 3)         │          0 │ -                 │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ cat (Concatenate)   │ (None, 8)         │          0 │ ha[0][0], b[0][0] │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ o1 (Dense)          │ (None, 1)         │          9 │ cat[0][0]         │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ o2 (Dense)          │ (None, 2)         │         18 │ cat[0][0]         │
└─────────────────────┴───────────────────┴────────────┴───────────────────┘
 Total params: 52 (208.00 B)
 Trainable params: 52 (208.00 B)
 Non-trainable params: 0 (0.00 B)
"""


def _branched():
    a, b = keras.Input((4,), name="a"), keras.Input((3,), name="b")
    h = keras.layers.Dense(5, name="ha")(a)
    c = keras.layers.Concatenate(name="cat")([h, b])
    o1, o2 = keras.layers.Dense(1, name="o1")(c), keras.layers.Dense(2, name="o2")(c)
    return keras.Model([a, b], [o1, o2], name="multi")


def test_sequential_summary_is_keras_text():
    keras.backend.clear_session()
    model = keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(3),
            keras.layers.Dropout(0.1),
            keras.layers.Dense(1),
        ],
        name="seq",
    )
    lines = []
    model.summary(line_length=76, print_fn=lines.append)
    assert lines == [SEQUENTIAL]


def test_branched_functional_summary_and_layer_order():
    model = _branched()
    assert [layer.name for layer in model.layers] == ["a", "ha", "b", "cat", "o1", "o2"]
    lines = []
    model.summary(line_length=76, print_fn=lines.append)
    assert lines == [BRANCHED]
    model.compile("adam", "mse")
    model.fit([np.ones((2, 4)), np.ones((2, 3))], [np.ones((2, 1)), np.ones((2, 2))], verbose=0)
    lines = []
    model.summary(line_length=76, print_fn=lines.append)
    # 52 weights, and Adam's iteration, rate and two slots per weight: 2 + 104
    assert " Optimizer params: 106 (428.00 B)" in lines[0]
    assert " Total params: 158 (636.00 B)" in lines[0]


def test_expand_nested_and_layer_range():
    keras.backend.clear_session()
    inner = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(4), keras.layers.Dense(2)], name="inner"
    )
    x = keras.Input((3,), name="x")
    model = keras.Model(x, keras.layers.Dense(1, name="top")(inner(x)), name="outer")
    lines = []
    model.summary(line_length=76, expand_nested=True, print_fn=lines.append)
    rows = [r.split("│")[1].rstrip() for r in lines[0].splitlines() if r.startswith("│")]
    assert rows == [
        " x (InputLayer)",
        " inner (Sequential)",
        "    └ dense (Dense)",
        "    └ dense_1 (Dense)",
        " top (Dense)",
    ]
    lines = []
    model.summary(line_length=76, layer_range=["inner", "top"], print_fn=lines.append)
    rows = [r.split("│")[1].strip() for r in lines[0].splitlines() if r.startswith("│")]
    assert rows == ["inner (Sequential)", "top (Dense)"]
    with pytest.raises(ValueError, match="do not match the layer names"):
        model.summary(layer_range=["zz", "top"])


def test_subclassed_model_whose_block_returns_a_tuple():
    # a VAE's encoder block returns (mean, log_var, z): summary() lists it (it raised
    # AttributeError reading .shape of the tuple) with its params, and the tuple's shapes
    class Encoder(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.mean = keras.layers.Dense(3)
            self.log_var = keras.layers.Dense(3)

        def call(self, x):
            m, v = self.mean(x), self.log_var(x)
            return m, v, m + keras.ops.exp(0.5 * v)

    class Auto(keras.Model):
        def __init__(self):
            super().__init__(name="auto")
            self.encoder = Encoder(name="encoder")
            self.decoder = keras.layers.Dense(5, name="decoder")

        def call(self, x):
            return self.decoder(self.encoder(x)[2])

    model = Auto()
    model(np.ones((2, 5), "float32"))
    enc = model.encoder
    assert enc.compute_output_shape((None, 5)) == ((None, 3), (None, 3), (None, 3))
    lines = []
    model.summary(line_length=76, print_fn=lines.append)
    rows = [r.split("│") for r in lines[0].splitlines() if r.startswith("│")]
    assert [c.strip() for c in rows[0][1:4]] == [
        "encoder (Encoder)",
        "((None, 3), (None, 3),",
        "36",
    ]
    assert [c.strip() for c in rows[2][1:4]] == ["decoder (Dense)", "(2, 5)", "20"]
    assert " Total params: 56 (224.00 B)" in lines[0]


class _TwoDense(keras.Model):
    def __init__(self):
        super().__init__()
        self.a = keras.layers.Dense(4)
        self.b = keras.layers.Dense(2)

    def call(self, x):
        return self.b(self.a(x))


def _shapes(model):
    lines = []
    model.summary(line_length=76, print_fn=lines.append)
    return [r.split("│")[2].strip() for r in lines[0].splitlines() if r.startswith("│")]


@pytest.mark.parametrize(
    "how, batch",
    [("build", None), ("fit_partial_batches", None), ("fit_full_batches", 4), ("call", 5)],
)
def test_subclassed_model_summary_shows_the_batch_it_was_built_for(how, batch):
    # as TF 2.21: the build pass on a batch of one stands for the batch the build is for
    # (the sngp tutorial's build((None, 2)) showed (1, 128) for each layer)
    model = _TwoDense()
    if how == "build":
        model.build((None, 3))
    elif how == "call":
        model(np.zeros((5, 3), "float32"))
    else:
        n = 10 if how == "fit_partial_batches" else 8
        model.compile("sgd", "mse")
        model.fit(np.zeros((n, 3)), np.zeros((n, 2)), batch_size=4, verbose=0)
    assert _shapes(model) == [f"({batch}, 4)", f"({batch}, 2)"]
    assert model.a.get_build_config() == {"input_shape": (batch, 3)}


def test_summary_of_a_model_loaded_from_h5_counts_its_optimizer_as_keras(tmp_path):
    # Keras 3 builds the loaded optimizer on the model's own (empty) variable list:
    # TF 2.21 prints "Optimizer params: 2 (12.00 B)" (iteration int64 + learning_rate)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dense(2)])
    model.compile(
        optimizer="adam",
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=[keras.metrics.SparseCategoricalAccuracy()],
    )
    uncompiled_footer = []
    model.summary(print_fn=uncompiled_footer.append)
    assert "Optimizer params" not in uncompiled_footer[0]  # compiled, not built yet
    model.save(tmp_path / "m.h5")
    loaded = keras.models.load_model(tmp_path / "m.h5")
    lines = []
    loaded.summary(print_fn=lines.append)
    assert " Total params: 25 (104.00 B)" in lines[0]
    assert " Trainable params: 23 (92.00 B)" in lines[0]
    assert lines[0].endswith(" Optimizer params: 2 (12.00 B)\n")
    # unlike Keras (which then refuses the model's variables), training builds it on them
    x, y = np.zeros((8, 4), "float32"), np.zeros((8,), "int32")
    loaded.fit(x, y, epochs=1, verbose=0)
    lines = []
    loaded.summary(print_fn=lines.append)
    assert " Optimizer params: 48 (196.00 B)" in lines[0]  # 2 + m and v of 23 weights
    assert len(loaded.optimizer.variables) == 10


def test_a_layer_with_several_outputs_shows_them_as_a_list(capsys):
    import gpuflow as _gf

    k = _gf.keras
    tokens = k.Input((None,))
    seq = k.layers.Embedding(100, 8)(tokens)
    out, h, c = k.layers.LSTM(4, return_state=True, name="enc")(seq)
    k.Model(tokens, [out, h, c]).summary()
    text = capsys.readouterr().out
    assert "[(None, 4)," in text and "(None, 4)]" in text and "((None, 4)" not in text


def test_subclassed_layers_without_their_own_build_show_a_question_mark():
    # Keras 3.15 prints "?" for the layers built in __init__ (pooling, dropout: no graph
    # node, no build shapes) and never "multiple" (TF 2.21's text of this model)
    class Small(keras.Model):
        def __init__(self):
            super().__init__()
            self.conv = keras.layers.Conv2D(4, 3, name="conv")
            self.pool = keras.layers.MaxPooling2D(name="pool")
            self.drop = keras.layers.Dropout(0.1, name="drop")
            self.flat = keras.layers.Flatten(name="flat")

        def call(self, x):
            return self.flat(self.drop(self.pool(self.conv(x))))

    model = Small()
    model(np.zeros((2, 8, 8, 1), "float32"))
    lines = []
    model.summary(line_length=76, print_fn=lines.append)
    rows = [r.split("│") for r in lines[0].splitlines() if r.startswith("│")]
    assert [[c.strip() for c in r[1:3]] for r in rows] == [
        ["conv (Conv2D)", "(2, 6, 6, 4)"],
        ["pool (MaxPooling2D)", "?"],
        ["drop (Dropout)", "?"],
        ["flat (Flatten)", "(2, 36)"],  # built on its first call: Keras knows its shape
    ]
