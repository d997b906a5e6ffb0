"""gpuflow.callbacks.TensorBoard on real fits: Keras' runs and tags, read back with
TensorBoard's reader."""

from __future__ import annotations

import os

import numpy as np
import pytest
from tb_helpers import need_tensorboard, read_run, scalars, tensor_values

import gpuflow
from gpuflow.keras import callbacks, layers

TRAIN_STEPS = 8  # 320 digits, validation_split=0.2 -> 256 train samples, batch 32


@pytest.fixture(autouse=True)
def _tensorboard():
    need_tensorboard()


def approx(values):
    return pytest.approx(values, rel=1e-6)  # event files keep float32


def test_train_and_validation_runs_hold_keras_epoch_scalars(digits_run):
    log_dir, _, history = digits_run
    h = history.history
    train, val = read_run(log_dir / "train"), read_run(log_dir / "validation")
    assert set(train.PluginTagToContent("scalars")) == {
        "epoch_loss",
        "epoch_accuracy",
        "epoch_learning_rate",
        "batch_loss",
        "batch_accuracy",
    }
    assert set(val.PluginTagToContent("scalars")) == {
        "epoch_loss",
        "epoch_accuracy",
        "evaluation_loss_vs_iterations",
        "evaluation_accuracy_vs_iterations",
    }
    assert scalars(train, "epoch_loss") == approx(dict(enumerate(h["loss"])))
    assert scalars(train, "epoch_accuracy") == approx(dict(enumerate(h["accuracy"])))
    assert scalars(train, "epoch_learning_rate") == approx({0: 0.01, 1: 0.01, 2: 0.01})
    assert scalars(val, "epoch_loss") == approx(dict(enumerate(h["val_loss"])))
    assert scalars(val, "epoch_accuracy") == approx(dict(enumerate(h["val_accuracy"])))
    assert h["loss"][-1] < h["loss"][0]  # real curves, not constants


def test_batch_scalars_every_batch_and_evaluation_vs_iterations(digits_run):
    log_dir, _, history = digits_run
    train, val = read_run(log_dir / "train"), read_run(log_dir / "validation")
    batch_loss = scalars(train, "batch_loss")
    assert sorted(batch_loss) == list(range(1, 3 * TRAIN_STEPS + 1))
    # the running loss after an epoch's last batch is that epoch's loss
    epoch_ends = {
        e * TRAIN_STEPS + TRAIN_STEPS: loss for e, loss in enumerate(history.history["loss"])
    }
    assert {s: batch_loss[s] for s in epoch_ends} == approx(epoch_ends)
    assert scalars(val, "evaluation_loss_vs_iterations") == approx(
        {(e + 1) * TRAIN_STEPS: v for e, v in enumerate(history.history["val_loss"])}
    )


def test_weight_and_gradient_histograms_every_epoch(digits_run):
    log_dir, model, _ = digits_run
    train = read_run(log_dir / "train")
    weights = {  # tagged by path: the Sequential's name comes first, as in Keras 3
        f"{model.name}/conv2d/kernel": (3, 3, 1, 4),
        f"{model.name}/conv2d/bias": (4,),
        f"{model.name}/dense/kernel": (676, 10),
        f"{model.name}/dense/bias": (10,),
    }
    expected = {f"{w}/{kind}" for w in weights for kind in ("histogram", "gradient")}
    assert set(train.PluginTagToContent("histograms")) == expected
    for name, shape in weights.items():
        for kind in ("histogram", "gradient"):
            per_step = tensor_values(train, f"{name}/{kind}")
            assert sorted(per_step) == [0, 1, 2]
            assert all(b[:, 2].sum() == np.prod(shape) for b in per_step.values())
    final = {
        f"{layer.name}/{w.name.split('/')[-1]}": w.numpy()
        for layer in model.layers
        for w in layer.weights
    }
    last = tensor_values(train, f"{model.name}/dense/kernel/histogram")[2]
    np.testing.assert_allclose(
        [last[0, 0], last[-1, 1]],
        [final["dense/kernel"].min(), final["dense/kernel"].max()],
        rtol=1e-6,
    )
    assert model.keep_gradients is True


def test_model_graph_has_layers_as_scopes_with_ops_weights_and_shapes(digits_run):
    log_dir, _, _ = digits_run
    graph = read_run(log_dir / "train").Graph()
    nodes = {n.name: n for n in graph.node}
    ops = {name: n.op for name, n in nodes.items()}
    assert ops == {
        "input": "Placeholder",
        "conv2d/kernel": "VariableV2",
        "conv2d/bias": "VariableV2",
        "conv2d/Conv2D": "Conv2D",
        "conv2d/BiasAdd": "BiasAdd",
        "conv2d/Relu": "Relu",
        "max_pooling2d/MaxPool": "MaxPool",
        "flatten/Reshape": "Reshape",
        "dense/kernel": "VariableV2",
        "dense/bias": "VariableV2",
        "dense/MatMul": "MatMul",
        "dense/BiasAdd": "BiasAdd",
        "dense/Softmax": "Softmax",
    }
    inputs = {name: list(n.input) for name, n in nodes.items() if n.input}
    assert inputs == {
        "conv2d/Conv2D": ["input", "conv2d/kernel"],
        "conv2d/BiasAdd": ["conv2d/Conv2D", "conv2d/bias"],
        "conv2d/Relu": ["conv2d/BiasAdd"],
        "max_pooling2d/MaxPool": ["conv2d/Relu"],
        "flatten/Reshape": ["max_pooling2d/MaxPool"],
        "dense/MatMul": ["flatten/Reshape", "dense/kernel"],
        "dense/BiasAdd": ["dense/MatMul", "dense/bias"],
        "dense/Softmax": ["dense/BiasAdd"],
    }

    def shape(name):
        return [d.size for d in nodes[name].attr["_output_shapes"].list.shape[0].dim]

    assert shape("input") == [-1, 28, 28, 1]
    assert shape("conv2d/Relu") == [-1, 26, 26, 4]
    assert shape("max_pooling2d/MaxPool") == [-1, 13, 13, 4]
    assert shape("flatten/Reshape") == [-1, 676]
    assert shape("dense/kernel") == [676, 10]
    assert nodes["conv2d/Conv2D"].attr["filters"].i == 4
    assert nodes["conv2d/Conv2D"].attr["padding"].s == b"valid"


def test_hyperparameters_are_an_hparams_session_in_log_dir(digits_run):
    from tensorboard.plugins.hparams import metadata

    log_dir, _, _ = digits_run
    content = read_run(log_dir).PluginTagToContent("hparams")[metadata.SESSION_START_INFO_TAG]
    info = metadata.parse_session_start_info_plugin_data(content)
    hp = {k: getattr(v, v.WhichOneof("kind")) for k, v in info.hparams.items()}
    assert {
        k: hp[k]
        for k in (
            "optimizer",
            "learning_rate",
            "batch_size",
            "epochs",
            "steps_per_epoch",
            "loss",
            "beta_1",
        )
    } == {
        "optimizer": "Adam",
        "learning_rate": pytest.approx(0.01),
        "batch_size": 32,
        "epochs": 3,
        "steps_per_epoch": TRAIN_STEPS,
        "loss": "sparse_categorical_crossentropy",
        "beta_1": 0.9,
    }
    assert info.group_name == os.path.normpath(str(log_dir))


def mlp():
    model = gpuflow.keras.Sequential(
        [
            layers.Dense(8, activation="relu", name="hidden"),
            layers.Dense(3, use_bias=False, name="out"),
        ],
        name="mlp",
    )
    model.compile(
        optimizer=gpuflow.keras.optimizers.SGD(learning_rate=0.05),
        loss="sparse_categorical_crossentropy",
    )
    return model


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(40, 5)).astype("float32"), rng.integers(0, 3, size=40)


def test_update_freq_n_histogram_freq_and_switches(tmp_path, data):
    x, y = data
    tb = callbacks.TensorBoard(
        tmp_path, histogram_freq=2, write_graph=False, update_freq=3, write_hparams=False
    )
    mlp().fit(x, y, epochs=3, batch_size=10, verbose=0, callbacks=[tb])  # 4 batches an epoch
    train = read_run(tmp_path / "train")
    assert sorted(scalars(train, "batch_loss")) == [3, 6, 9, 12]
    assert set(train.PluginTagToContent("histograms")) == {
        "mlp/hidden/kernel/histogram",
        "mlp/hidden/bias/histogram",
        "mlp/out/kernel/histogram",
        "mlp/hidden/kernel/gradient",
        "mlp/hidden/bias/gradient",
        "mlp/out/kernel/gradient",
    }
    assert sorted(tensor_values(train, "mlp/out/kernel/histogram")) == [0, 2]
    assert not train.Tags()["graph"]
    assert sorted(os.listdir(tmp_path)) == ["train"]  # no validation data, no hparams


def test_epoch_update_freq_writes_no_batch_scalars_and_flushes_each_epoch(tmp_path, data):
    x, y = data
    seen = []

    class Probe(callbacks.Callback):  # runs after TensorBoard's on_epoch_end: reads what is on disk
        def on_epoch_end(self, epoch, logs=None):
            seen.append(sorted(scalars(read_run(tmp_path / "train"), "epoch_loss")))

    mlp().fit(
        x,
        y,
        epochs=3,
        batch_size=10,
        verbose=0,
        callbacks=[callbacks.TensorBoard(tmp_path), Probe()],
    )
    assert seen == [[0], [0, 1], [0, 1, 2]]
    assert set(read_run(tmp_path / "train").PluginTagToContent("scalars")) == {
        "epoch_loss",
        "epoch_learning_rate",
    }


def test_evaluate_alone_logs_evaluation_vs_iterations(tmp_path, data):
    x, y = data
    model = mlp()
    model.fit(x, y, epochs=1, batch_size=10, verbose=0)
    results = model.evaluate(
        x,
        y,
        batch_size=10,
        verbose=0,
        callbacks=[callbacks.TensorBoard(tmp_path)],
        return_dict=True,
    )
    val = read_run(tmp_path / "validation")
    assert scalars(val, "evaluation_loss_vs_iterations") == approx({4: results["loss"]})


def test_bad_arguments_are_one_line_errors(tmp_path):
    with pytest.raises(
        ValueError, match="update_freq must be 'epoch', 'batch' or a positive int, received 'often'"
    ):
        callbacks.TensorBoard(tmp_path, update_freq="often")
    with pytest.raises(ValueError, match="update_freq .* received 0"):
        callbacks.TensorBoard(tmp_path, update_freq=0)
    with pytest.raises(ValueError, match="histogram_freq must be an int >= 0, received -1"):
        callbacks.TensorBoard(tmp_path, histogram_freq=-1)
    for bad in (-1, (5, 2), "a,b", (1, 2, 3), 1.5):
        with pytest.raises(ValueError, match="profile_batch must be a non-negative integer"):
            callbacks.TensorBoard(tmp_path, profile_batch=bad)
    for kwargs in ({"write_images": True}, {"embeddings_freq": 1}):
        with pytest.warns(UserWarning, match=f"{next(iter(kwargs))}=.* not supported"):
            callbacks.TensorBoard(tmp_path, **kwargs)


@pytest.mark.parametrize("profile_batch", [(2, 3), "2,3", 2])
def test_profile_batch_writes_a_timeline_of_those_batches(tmp_path, profile_batch):
    import glob
    import gzip
    import json

    model = gpuflow.keras.Sequential([layers.Input((4,)), layers.Dense(3), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", run_eagerly=True)
    x, y = np.ones((40, 4), np.float32), np.zeros((40, 1), np.float32)
    board = callbacks.TensorBoard(tmp_path, profile_batch=profile_batch)
    model.fit(x, y, batch_size=10, epochs=2, verbose=0, callbacks=[board])
    (path,) = glob.glob(str(tmp_path / "train" / "plugins" / "profile" / "*" / "*.trace.json.gz"))
    with gzip.open(path, "rt") as f:
        events = json.load(f)["traceEvents"]
    steps = [e["args"]["step_num"] for e in events if e["name"] == "Profiled Step"]
    # 1-based over the fit: batch 2 is the epoch's batch index 1
    assert steps == (["1", "2"] if profile_batch != 2 else ["1"])
    assert any(e["name"] == "Dense" or e["name"] == "MatMul" for e in events)
    assert not gpuflow.profiler.experimental.enabled()


def test_profile_range_past_the_fit_is_saved_at_its_end(tmp_path):
    import glob

    model = gpuflow.keras.Sequential([layers.Input((2,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    board = callbacks.TensorBoard(tmp_path, profile_batch=(3, 100))
    model.fit(np.ones((8, 2)), np.ones((8, 1)), batch_size=2, verbose=0, callbacks=[board])
    assert glob.glob(str(tmp_path / "train" / "plugins" / "profile" / "*" / "*.trace.json.gz"))
    assert not gpuflow.profiler.experimental.enabled()
    # the graphs exported at the fit's last batch (4 of 4), as Keras' _stop_trace(batch)
    assert "batch_4" in read_run(tmp_path / "train").Tags()["tensors"]


def test_profile_batch_exports_the_traced_graphs_as_batch_n(tmp_path):
    model = gpuflow.keras.Sequential([layers.Input((2,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    board = callbacks.TensorBoard(tmp_path, profile_batch=(2, 3))
    model.fit(np.ones((8, 2)), np.ones((8, 1)), batch_size=2, verbose=0, callbacks=[board])
    run = read_run(tmp_path / "train")
    assert [e.step for e in run.Tensors("batch_3")] == [3]  # Keras 3 writes "batch_<stop>"
    from gpuflow.graph import recording

    assert recording.recorded() == []  # the recording stopped with the export


def test_write_graph_also_writes_the_keras_model_json(tmp_path):
    import json

    from tensorboard.util import tensor_util

    model = gpuflow.keras.Sequential([layers.Input((2,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    board = callbacks.TensorBoard(tmp_path / "on")
    model.fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0, callbacks=[board])
    run = read_run(tmp_path / "on" / "train")
    (event,) = run.Tensors("keras")  # as Keras 3: the model's JSON at step 0
    assert event.step == 0
    config = json.loads(tensor_util.make_ndarray(event.tensor_proto).item())
    assert config["class_name"] == "Sequential"
    off = callbacks.TensorBoard(tmp_path / "off", write_graph=False)
    model.fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0, callbacks=[off])
    assert "keras" not in read_run(tmp_path / "off" / "train").Tags()["tensors"]


def test_default_log_dir_holds_only_the_runs_as_keras_writes_it(tmp_path, data):
    x, y = data
    board = callbacks.TensorBoard(tmp_path)
    mlp().fit(x, y, epochs=1, batch_size=10, verbose=0, validation_data=(x, y), callbacks=[board])
    assert sorted(os.listdir(tmp_path)) == ["train", "validation"]  # HParams only when asked


def test_an_embedding_gradient_histogram_counts_the_whole_table(tmp_path):
    # the table's gradient is a tf.IndexedSlices: its histogram is of the dense tensor
    model = gpuflow.keras.Sequential(
        [layers.Input((3,), dtype="int32"), layers.Embedding(7, 2), layers.Flatten()]
    )
    model.compile("sgd", "mse", run_eagerly=True)
    ids = np.array([[1, 1, 4], [0, 6, 6]], dtype="int32")
    board = callbacks.TensorBoard(tmp_path, histogram_freq=1, write_graph=False)
    model.fit(ids, np.zeros((2, 6), "float32"), epochs=1, verbose=0, callbacks=[board])
    train = read_run(tmp_path / "train")
    table = model.layers[0].name  # "embedding_N" after other tests made embeddings
    per_step = tensor_values(train, f"{model.name}/{table}/embeddings/gradient")
    assert all(b[:, 2].sum() == 14 for b in per_step.values())
