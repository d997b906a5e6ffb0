"""Multi-input and multi-output training: losses, weights, metrics and names per output."""

from __future__ import annotations

import numpy as np
import pytest
from trainer_helpers import TwoHeads


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((64, 4)).astype("float32")
    b = rng.standard_normal((64, 3)).astype("float32")
    cls = (a[:, 0] > 0).astype("int64") + (b[:, 0] > 0)
    reg = (a.sum(1, keepdims=True) - b.sum(1, keepdims=True)).astype("float32")
    return {"a": a, "b": b}, {"cls": cls, "reg": reg}


def _losses(model, x, y):
    p = model.predict(x, verbose=0)
    if isinstance(p, list):
        p = dict(zip(["cls", "reg"], p))
    ce = -np.log(np.clip(p["cls"][np.arange(len(y["cls"])), y["cls"]], 1e-7, 1)).mean()
    return float(ce), float(np.mean((p["reg"] - y["reg"]) ** 2))


def test_dict_losses_weights_and_metrics_name_the_history_as_keras(data):
    x, y = data
    model = TwoHeads()
    model.compile(
        optimizer="sgd",
        loss={"cls": "sparse_categorical_crossentropy", "reg": "mse"},
        loss_weights={"cls": 1.0, "reg": 0.5},
        metrics={"cls": "accuracy", "reg": ["mae"]},
    )
    history = model.fit(x, y, epochs=2, verbose=0, validation_data=(x, y))
    assert sorted(history.history) == [
        "cls_accuracy",
        "cls_loss",
        "loss",
        "reg_loss",
        "reg_mae",
        "val_cls_accuracy",
        "val_cls_loss",
        "val_loss",
        "val_reg_loss",
        "val_reg_mae",
    ]
    assert model.metrics_names == ["loss", "compile_metrics", "cls_loss", "reg_loss"]
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    ce, mse = _losses(model, x, y)
    assert logs["cls_loss"] == pytest.approx(ce, rel=1e-4)
    assert logs["reg_loss"] == pytest.approx(mse, rel=1e-4)
    assert logs["loss"] == pytest.approx(ce + 0.5 * mse, rel=1e-4)
    # the list form follows Keras 3's order: the losses, then the other metrics sorted by name
    values = model.evaluate(x, y, verbose=0)
    assert values == pytest.approx(
        [logs[k] for k in ("loss", "cls_loss", "reg_loss", "cls_accuracy", "reg_mae")]
    )
    predictions = model.predict(x, verbose=0)
    assert predictions["cls"].shape == (64, 3) and predictions["reg"].shape == (64, 1)


def test_list_outputs_with_list_losses_and_per_output_metrics(data):
    x, y = data
    model = TwoHeads(as_dict=False)
    model.compile(
        optimizer="adam",
        loss=["sparse_categorical_crossentropy", "mse"],
        loss_weights=[2.0, 1.0],
        metrics=[["accuracy"], ["mae"]],
    )
    history = model.fit([x["a"], x["b"]], [y["cls"], y["reg"]], epochs=3, verbose=0)
    assert sorted(history.history) == ["cls_accuracy", "cls_loss", "loss", "reg_loss", "reg_mae"]
    assert history.history["loss"][-1] < history.history["loss"][0]
    # y given as a dict keyed by output name works for list outputs too
    logs = model.evaluate([x["a"], x["b"]], y, verbose=0, return_dict=True)
    ce, mse = _losses(model, [x["a"], x["b"]], y)
    assert logs["loss"] == pytest.approx(2.0 * ce + mse, rel=1e-4)


def test_one_loss_for_every_output(data):
    x, y = data
    model = TwoHeads(as_dict=False)
    model.compile(optimizer="sgd", loss="mse", metrics=[["mae"], ["mae"]])
    one_hot = np.eye(3, dtype="float32")[y["cls"]]
    history = model.fit([x["a"], x["b"]], [one_hot, y["reg"]], epochs=1, verbose=0)
    assert sorted(history.history) == ["cls_loss", "cls_mae", "loss", "reg_loss", "reg_mae"]


def test_a_loss_for_some_outputs_only(data):
    x, y = data
    model = TwoHeads()
    model.compile(
        optimizer="sgd", loss={"cls": "sparse_categorical_crossentropy"}, metrics={"reg": "mae"}
    )
    history = model.fit(x, y, epochs=1, verbose=0)
    assert sorted(history.history) == ["loss", "reg_mae"]


def test_a_list_loss_with_none_takes_targets_for_the_other_outputs(data):
    # keras.io's miniature GPT: outputs [logits, hidden], loss=[loss_fn, None], y one array
    x, y = data
    model = TwoHeads(as_dict=False)
    model.compile(optimizer="sgd", loss=[None, "mse"])
    history = model.fit([x["a"], x["b"]], y["reg"], epochs=1, verbose=0)
    assert sorted(history.history) == ["loss"]
    logs = model.evaluate([x["a"], x["b"]], y["reg"], verbose=0, return_dict=True)
    reg = model.predict([x["a"], x["b"]], verbose=0)[1]
    assert logs["loss"] == pytest.approx(float(np.mean((reg - y["reg"]) ** 2)), rel=1e-4)
    # two targets for one loss still fail as before
    with pytest.raises(ValueError, match="one array, but the model has 2 outputs"):
        model.compile(optimizer="sgd", loss=["mse", "mse"])
        model.fit([x["a"], x["b"]], y["reg"], verbose=0)


def test_sample_weights_per_output(data):
    x, y = data
    model = TwoHeads()
    model.compile(optimizer="sgd", loss={"cls": "sparse_categorical_crossentropy", "reg": "mse"})
    zeros = np.zeros(64, "float32")
    ones = np.ones(64, "float32")
    logs = model.evaluate(
        x, y, sample_weight={"cls": zeros, "reg": ones}, verbose=0, return_dict=True
    )
    assert logs["cls_loss"] == 0.0 and logs["reg_loss"] > 0
    # one array weights every output
    same = model.evaluate(x, y, sample_weight=ones, verbose=0, return_dict=True)
    assert same["loss"] == pytest.approx(model.evaluate(x, y, verbose=0)[0], rel=1e-6)


@pytest.mark.parametrize("loss", [{"cls": "mse"}, {"cls": "mse", "reg": "mse", "bad": "mse"}])
def test_a_loss_dict_must_name_each_output(data, loss):
    x, y = data
    model = TwoHeads(as_dict=False)
    model.compile(optimizer="sgd", loss=loss)
    with pytest.raises(ValueError, match=r"Expected keys \['cls', 'reg'\] in loss dict"):
        model.fit([x["a"], x["b"]], [y["cls"], y["reg"]], verbose=0)


def test_a_target_key_that_matches_no_output(data):
    x, y = data
    model = TwoHeads()
    model.compile(optimizer="sgd", loss={"cls": "sparse_categorical_crossentropy", "reg": "mse"})
    with pytest.raises(ValueError, match=r"key\(s\) \['regX'\] that match no output.*'cls', 'reg'"):
        model.fit(x, {"cls": y["cls"], "regX": y["reg"]}, verbose=0)


def test_targets_counted_against_outputs(data):
    x, y = data
    model = TwoHeads(as_dict=False)
    model.compile(optimizer="sgd", loss=["sparse_categorical_crossentropy", "mse"])
    with pytest.raises(ValueError, match="one array, but the model has 2 outputs"):
        model.fit([x["a"], x["b"]], y["reg"], verbose=0)
    with pytest.raises(ValueError, match="loss is a list of 3 entries"):
        model.compile(optimizer="sgd", loss=["mse", "mse", "mse"])
        model.fit([x["a"], x["b"]], [y["cls"], y["reg"]], verbose=0)


def test_inputs_of_different_lengths(data):
    x, y = data
    model = TwoHeads()
    model.compile(optimizer="sgd", loss={"cls": "sparse_categorical_crossentropy", "reg": "mse"})
    with pytest.raises(ValueError, match="different lengths"):
        model.fit({"a": x["a"], "b": x["b"][:60]}, y, verbose=0)


def test_wrong_number_of_inputs_for_a_model_that_declares_them(data):
    x, y = data
    model = TwoHeads(as_dict=False)
    model.inputs = ["a", "b"]  # what a functional model declares (symbolic inputs there)
    model.compile(optimizer="sgd", loss=["sparse_categorical_crossentropy", "mse"])
    with pytest.raises(ValueError, match=r"expects 2 input\(s\), but it received 1 input"):
        model.fit(x["a"], [y["cls"], y["reg"]], verbose=0)
    with pytest.raises(ValueError, match=r"expects 2 input\(s\), but it received 3"):
        model.predict([x["a"], x["b"], x["b"]], verbose=0)
