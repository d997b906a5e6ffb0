"""keras.distillation: Distiller, LogitsDistillation, FeatureDistillation (Keras 3.12+)."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf
from gpuflow import keras

L = keras.layers
D = keras.distillation


def _pair(hidden_t="t_hidden", hidden_s="s_hidden"):
    teacher = keras.Sequential(
        [keras.Input((4,)), L.Dense(6, activation="relu", name=hidden_t), L.Dense(3, name="t_out")]
    )
    student = keras.Sequential(
        [keras.Input((4,)), L.Dense(6, activation="relu", name=hidden_s), L.Dense(3, name="s_out")]
    )
    return teacher, student


def test_logits_distillation_values():
    t = np.array([[1.0, 2.0, 0.5]], "float32")
    s = np.array([[0.5, 1.0, 2.0]], "float32")
    # the "kl_divergence" name is Keras's function: applied to the scaled logits themselves
    # (clipped to [1e-7, 1]), as Keras does
    assert float(D.LogitsDistillation(temperature=2.0).compute_loss(t, s)) == pytest.approx(
        np.log(2.0), rel=1e-5
    )
    # a KLDivergence instance compares the softmax of the scaled logits, times T**2
    loss = D.LogitsDistillation(temperature=2.0, loss=keras.losses.KLDivergence())
    p, q = np.exp(t / 2) / np.exp(t / 2).sum(), np.exp(s / 2) / np.exp(s / 2).sum()
    expected = 4.0 * np.sum(p * np.log(p / q))
    assert float(loss.compute_loss(t, s)) == pytest.approx(expected, rel=1e-5)
    # a structure of losses with None skipping an output
    pair = D.LogitsDistillation(temperature=1.0, loss=["mse", None])
    value = pair.compute_loss([t, t], [s, s])
    assert float(value) == pytest.approx(np.mean((t - s) ** 2), rel=1e-5)
    assert D.LogitsDistillation(3.0).get_config()["temperature"] == 3.0


def test_feature_distillation_values_and_config():
    t = np.array([[1.0, 2.0, 0.5]], "float32")
    s = np.array([[0.5, 1.0, 2.0]], "float32")
    fd = D.FeatureDistillation()
    assert float(fd.compute_loss(t, s)) == pytest.approx(np.mean((t - s) ** 2), rel=1e-5)
    config = D.FeatureDistillation(loss="mae", teacher_layer_name="a").get_config()
    assert config["teacher_layer_name"] == "a" and config["student_layer_name"] is None
    again = D.FeatureDistillation.from_config(config)
    assert float(again.compute_loss(t, s)) == pytest.approx(np.mean(np.abs(t - s)), rel=1e-5)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: D.LogitsDistillation(temperature=0.0), "temperature must be positive"),
        (lambda: D.LogitsDistillation(temperature="3"), "temperature must be a number"),
        (lambda: D.LogitsDistillation(loss=[None, None]), "at least one non-None"),
        (lambda: D.FeatureDistillation(loss=None), "at least one non-None"),
    ],
)
def test_loss_argument_errors(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_distiller_trains_the_student_only_and_logs_its_losses():
    gf.random.set_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 4)).astype("float32")
    y = np.argmax(x[:, :3], axis=1)
    teacher, student = _pair()
    distiller = D.Distiller(
        teacher=teacher,
        student=student,
        distillation_losses=[
            D.LogitsDistillation(temperature=2.0, loss=keras.losses.KLDivergence()),
            D.FeatureDistillation(teacher_layer_name="t_hidden", student_layer_name="s_hidden"),
        ],
        distillation_loss_weights=[1.0, 0.5],
        student_loss_weight=0.3,
    )
    assert teacher.trainable is False
    assert len(distiller.trainable_weights) == len(student.trainable_weights) == 4
    distiller.compile(
        optimizer=keras.optimizers.Adam(0.01),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    teacher_before = [w.copy() for w in teacher.get_weights()]
    history = distiller.fit(x, y, epochs=3, batch_size=16, verbose=0)
    assert set(history.history) == {
        "loss",
        "accuracy",
        "student_loss",
        "distillation_loss",
        "total_loss",
    }
    logs = history.history
    np.testing.assert_allclose(logs["loss"], logs["total_loss"], rtol=1e-6)
    for before, after in zip(teacher_before, teacher.get_weights()):
        np.testing.assert_array_equal(before, after)
    # the loss of one batch: 0.3 * student + 0.7 * (KD + 0.5 * feature MSE)
    xb, yb = x[:16], y[:16]
    s_out, t_out = student(xb).numpy(), teacher(xb).numpy()
    sce = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(yb, s_out)
    kd = D.LogitsDistillation(2.0, keras.losses.KLDivergence()).compute_loss(t_out, s_out)
    hidden = lambda m, name: keras.Model(m.inputs, m.get_layer(name).output)(xb)  # noqa: E731
    feat = np.mean((hidden(teacher, "t_hidden").numpy() - hidden(student, "s_hidden").numpy()) ** 2)
    total = distiller.compute_loss(x=xb, y=yb, y_pred=student(xb))
    expected = 0.3 * float(sce) + 0.7 * (float(kd) + 0.5 * feat)
    assert float(total) == pytest.approx(expected, rel=1e-5)
    # call and predict are the student's
    np.testing.assert_allclose(distiller.predict(x[:5], verbose=0), student(x[:5]).numpy(), 1e-6)


def test_distiller_config_round_trip():
    teacher, student = _pair()
    distiller = D.Distiller(teacher, student, D.LogitsDistillation(temperature=4.0))
    config = distiller.get_config()
    assert config["distillation_loss_weights"] == [1.0] and config["student_loss_weight"] == 0.5
    again = D.Distiller.from_config(config)
    assert isinstance(again.distillation_losses[0], D.LogitsDistillation)
    assert again.distillation_losses[0].temperature == 4.0
    assert [type(x).__name__ for x in again.student.layers] == ["Dense", "Dense"]


def test_distiller_argument_errors():
    teacher, student = _pair()
    kd = D.LogitsDistillation()
    with pytest.raises(ValueError, match="student_loss_weight must be between 0.0 and 1.0"):
        D.Distiller(teacher, student, kd, student_loss_weight=1.5)
    with pytest.raises(ValueError, match="'distillation_losses' cannot be None"):
        D.Distiller(teacher, student, None)
    with pytest.raises(ValueError, match=r"distillation_loss_weights \(1\) must match"):
        D.Distiller(teacher, student, [kd, kd], distillation_loss_weights=[1.0])
    with pytest.raises(ValueError, match="Teacher must be a keras.Model"):
        D.Distiller(L.Dense(3), student, kd)
    wide = keras.Sequential([keras.Input((5,)), L.Dense(3)])
    with pytest.raises(ValueError, match="input shapes are incompatible"):
        D.Distiller(wide, student, kd)
    with pytest.raises(ValueError, match="In teacher model"):
        D.Distiller(teacher, student, D.FeatureDistillation(teacher_layer_name="missing"))
    distiller = D.Distiller(teacher, student, kd)
    with pytest.raises(ValueError, match="'loss' cannot be None"):
        distiller.compile(optimizer="adam")
