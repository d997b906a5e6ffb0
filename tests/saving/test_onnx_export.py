"""ONNX export: onnx.checker validates, onnxruntime runs the file, and its outputs match
gpuflow's predictions (float32, 1e-5 relative)."""

from pathlib import Path

import numpy as np
import pytest

import gpuflow as tf

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")
L = tf.keras.layers
REF = Path(__file__).parent / "reference"
rng = np.random.default_rng(0)


def _run(path, inputs):
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    names = [i.name for i in session.get_inputs()]
    return session.run(None, {n: np.asarray(x, np.float32) for n, x in zip(names, inputs)})


def _check(model, inputs, tmp_path, rtol=1e-5):
    path = tmp_path / "m.onnx"
    model.export(path, format="onnx")
    proto = onnx.load(path)
    onnx.checker.check_model(proto, full_check=True)
    assert proto.opset_import[0].version >= 17
    got = _run(path, inputs)[0]
    want = model(inputs if len(inputs) > 1 else inputs[0], training=False).numpy()
    np.testing.assert_allclose(got, want, rtol=rtol, atol=1e-6 * np.abs(want).max())
    return proto


def lecture_mlp():
    model = tf.keras.Sequential()
    model.add(L.Input(shape=(784,)))
    model.add(L.Dense(512, activation="relu"))
    model.add(L.Dense(10, activation="softmax"))
    return model


def lecture_cnn():
    conv_net = tf.keras.Sequential()
    conv_net.add(L.Input(shape=[28, 28, 1]))
    conv_net.add(L.Conv2D(filters=16, kernel_size=(3, 3), strides=(2, 2), activation="relu"))
    conv_net.add(L.Conv2D(filters=16, kernel_size=(3, 3), strides=(2, 2), activation="relu"))
    conv_net.add(L.Flatten())
    conv_net.add(L.Dense(64, activation="relu"))
    conv_net.add(L.Dense(10, activation="softmax"))
    return conv_net


def two_input():
    a, b = tf.keras.Input((6,), name="numbers"), tf.keras.Input((4,), name="extra")
    h = L.Dense(8, activation="gelu")(L.Concatenate()([a, b]))
    h = L.BatchNormalization()(L.Add()([h, L.Dense(8)(a)]))
    return tf.keras.Model([a, b], L.Dense(3, activation="softmax")(L.Reshape((8,))(h)))


def text_model(rnn):
    tokens = tf.keras.Input((7,))
    h = rnn(L.Embedding(50, 8)(tokens))
    return tf.keras.Model(tokens, L.Dense(1, activation="sigmoid")(L.LayerNormalization()(h)))


def test_lecture_mlp(tmp_path):
    _check(lecture_mlp(), [rng.random((4, 784), dtype=np.float32)], tmp_path)


def test_lecture_cnn_after_training(tmp_path):
    model = lecture_cnn()
    x = rng.random((8, 28, 28, 1), dtype=np.float32)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x, np.arange(8), epochs=1, verbose=0)
    _check(model, [x], tmp_path)


def test_two_input_functional(tmp_path):
    model = two_input()
    xs = [rng.random((5, 6), dtype=np.float32), rng.random((5, 4), dtype=np.float32)]
    norm = next(layer for layer in model.layers if isinstance(layer, L.BatchNormalization))
    norm.moving_mean.assign(rng.normal(size=8).astype(np.float32))  # as after training
    norm.moving_variance.assign(rng.uniform(0.5, 2, 8).astype(np.float32))
    proto = _check(model, xs, tmp_path)
    assert [i.name for i in proto.graph.input] == ["numbers", "extra"]


@pytest.mark.parametrize(
    "rnn",
    [
        lambda: L.LSTM(6),
        lambda: L.GRU(5),
        lambda: L.GRU(5, reset_after=False),
        lambda: L.SimpleRNN(4),
        lambda: L.LSTM(3, return_sequences=True),
    ],
)
def test_text_models(rnn, tmp_path):
    tokens = rng.integers(0, 50, (4, 7)).astype(np.float32)
    proto = _check(text_model(rnn()), [tokens], tmp_path)
    assert {"LSTM", "GRU", "RNN"} & {n.op_type for n in proto.graph.node}


def test_conv1d_pooling_and_activations(tmp_path):
    model = tf.keras.Sequential(
        [
            tf.keras.Input((10, 3)),
            L.Conv1D(4, 3, padding="causal", activation="tanh"),
            L.MaxPooling1D(2),
            L.Conv1D(4, 2, padding="same"),
            L.AveragePooling1D(2, padding="same"),
            L.GlobalMaxPooling1D(),
            L.Dropout(0.5),
            L.Dense(6),
            L.LeakyReLU(),
            L.Dense(2),
            L.Activation("swish"),
        ]
    )
    _check(model, [rng.random((2, 10, 3), dtype=np.float32)], tmp_path)


def test_conv2d_padding_pooling(tmp_path):
    model = tf.keras.Sequential(
        [
            tf.keras.Input((9, 9, 2)),
            L.Conv2D(3, 3, strides=2, padding="same", activation="elu"),
            L.MaxPooling2D(padding="same"),
            L.BatchNormalization(),
            L.AveragePooling2D(1),
            L.GlobalAveragePooling2D(),
            L.Dense(2, activation="softmax"),
        ]
    )
    _check(model, [rng.random((3, 9, 9, 2), dtype=np.float32)], tmp_path)


def test_int8_model_exports_as_qdq(tmp_path):
    x = rng.random((16, 28, 28, 1), dtype=np.float32)
    int8 = tf.quantization.quantize_model(lecture_cnn(), x)
    proto = _check(int8, [x], tmp_path)
    ops = {n.op_type for n in proto.graph.node}
    assert {"QuantizeLinear", "DequantizeLinear"} <= ops
    kernels = [t for t in proto.graph.initializer if t.name.endswith("_kernel_q")]
    assert kernels and all(t.data_type == onnx.TensorProto.INT8 for t in kernels)


def test_keras_reference_file_to_onnx(tmp_path):
    expected = np.load(REF / "expected.npz")
    model = tf.keras.models.load_model(REF / "lstm_text.keras")
    model.export(tmp_path / "lstm.onnx", format="onnx")
    got = _run(tmp_path / "lstm.onnx", [expected["lstm_text_x"]])[0]
    np.testing.assert_allclose(got, expected["lstm_text_y"], rtol=1e-5, atol=1e-6)


def test_layer_without_mapping_is_named(tmp_path):
    model = tf.keras.Sequential([tf.keras.Input((4, 4, 1)), L.UpSampling2D(name="up"), L.Flatten()])
    with pytest.raises(ValueError, match=r"layer 'up' \(UpSampling2D\) has no ONNX mapping"):
        model.export(tmp_path / "m.onnx", format="onnx")
    assert not (tmp_path / "m.onnx").exists()


def test_other_formats_and_subclassed_models_are_refused(tmp_path):
    with pytest.raises(ValueError, match="format='onnx'"):
        lecture_mlp().export(tmp_path / "m", format="tflite")

    class Sub(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.d = L.Dense(2)

        def call(self, x):
            return self.d(x)

    sub = Sub()
    sub(np.ones((1, 3), np.float32))
    with pytest.raises(ValueError, match="subclassed model"):
        sub.export(tmp_path / "m.onnx", format="onnx")


def test_cli_export(tmp_path, capsys):
    from gpuflow.cli import main

    assert main(["export", str(REF / "cnn.keras"), str(tmp_path / "cnn.onnx")]) == 0
    assert "wrote" in capsys.readouterr().out
    expected = np.load(REF / "expected.npz")
    got = _run(tmp_path / "cnn.onnx", [expected["cnn_x"]])[0]
    np.testing.assert_allclose(got, expected["cnn_y"], rtol=1e-5, atol=1e-6)
    assert main(["export", str(REF / "cnn.keras"), str(tmp_path / "cnn.txt")]) == 2
