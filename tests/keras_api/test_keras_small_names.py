"""Keras 3 names gpuflow lacked: IoU metrics, metric-function aliases, initializer and
activation aliases, mixed_precision.dtype_policy, saving.save_weights/load_weights,
utils.get_source_inputs."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf

k = gf.keras


def test_iou_metrics_match_keras_values():
    # every expected value below was computed by tf.keras 3.15 on the same inputs
    binary = k.metrics.BinaryIoU(target_class_ids=[1], threshold=0.3)
    binary.update_state([0, 1, 1, 0], [0.2, 0.4, 0.1, 0.5])
    assert float(binary.result()) == pytest.approx(1 / 3, rel=1e-5)
    iou = k.metrics.IoU(3, [0, 2])
    iou.update_state([0, 1, 2, 2, 0], [0, 2, 2, 1, 1], sample_weight=[1, 2, 1, 1, 3])
    assert float(iou.result()) == pytest.approx(0.25, rel=1e-5)
    labels = np.eye(3)[[0, 1, 2, 2]]
    scores = np.array([[0.9, 0.1, 0], [0.2, 0.5, 0.3], [0.1, 0.1, 0.8], [0.6, 0.2, 0.2]])
    one_hot = k.metrics.OneHotIoU(3, [1, 2])
    one_hot.update_state(labels, scores)
    assert float(one_hot.result()) == pytest.approx(0.75, rel=1e-5)
    mean = k.metrics.OneHotMeanIoU(3)
    mean.update_state(labels, scores)
    assert float(mean.result()) == pytest.approx(2 / 3, rel=1e-5)
    assert [m.name for m in (iou, binary, one_hot, mean)] == [
        "io_u",
        "binary_io_u",
        "one_hot_io_u",
        "one_hot_mean_io_u",
    ]


def test_iou_against_a_numpy_confusion_matrix():
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.integers(0, 4, 200), rng.integers(0, 4, 200)
    cm = np.zeros((4, 4))
    np.add.at(cm, (y_true, y_pred), 1)
    tp = np.diag(cm)
    per_class = tp / (cm.sum(0) + cm.sum(1) - tp)
    metric = k.metrics.IoU(4, target_class_ids=[1, 3])
    metric.update_state(y_true[:120], y_pred[:120])
    metric.update_state(y_true[120:], y_pred[120:])
    assert float(metric.result()) == pytest.approx(per_class[[1, 3]].mean(), rel=1e-5)
    metric.reset_state()
    assert float(metric.result()) == 0.0


def test_iou_config_lookup_and_errors():
    metric = k.metrics.IoU(3, [0, 2], name="iou02")
    clone = k.metrics.IoU.from_config(metric.get_config())
    assert clone.target_class_ids == [0, 2] and clone.name == "iou02"
    binary = k.metrics.BinaryIoU(threshold=0.7)
    assert k.metrics.BinaryIoU.from_config(binary.get_config()).threshold == 0.7
    assert isinstance(k.metrics.deserialize(k.metrics.serialize(metric)), k.metrics.IoU)
    with pytest.raises(ValueError, match="out of range"):
        k.metrics.IoU(3, [3])


def test_metric_function_aliases_compute_the_losses():
    y_true = np.array([[0.0, 1.0], [1.0, 0.0]])
    y_pred = np.array([[0.2, 0.8], [0.6, 0.4]])
    assert k.metrics.huber is k.losses.huber
    np.testing.assert_allclose(
        k.metrics.kullback_leibler_divergence(y_true, y_pred).numpy(),
        np.sum(np.where(y_true > 0, y_true * np.log(np.clip(y_true, 1e-7, 1) / y_pred), 0), -1),
        rtol=1e-5,
    )
    with pytest.raises(ValueError):  # Keras 3: "huber" names no metric class
        k.metrics.get("huber")
    assert callable(k.metrics.binary_focal_crossentropy)
    assert callable(k.metrics.categorical_focal_crossentropy)


def test_initializer_activation_and_policy_aliases():
    assert k.initializers.OrthogonalInitializer is k.initializers.Orthogonal
    assert k.initializers.lecun_normal is k.initializers.LecunNormal
    assert k.initializers.variance_scaling is k.initializers.VarianceScaling
    values = k.initializers.lecun_uniform(seed=1)((400, 50)).numpy()
    limit = np.sqrt(3.0 / 400)
    assert values.min() >= -limit and values.max() <= limit and values.std() > limit / 3
    x = np.linspace(-3, 3, 7)
    np.testing.assert_allclose(k.activations.silu(x).numpy(), x / (1 + np.exp(-x)), rtol=1e-6)
    assert k.mixed_precision.dtype_policy is k.mixed_precision.global_policy
    k.mixed_precision.set_dtype_policy("mixed_float16")
    try:
        assert k.mixed_precision.dtype_policy().name == "mixed_float16"
    finally:
        k.mixed_precision.set_dtype_policy("float32")


def test_saving_functions(tmp_path):
    model = k.Sequential([k.Input((3,)), k.layers.Dense(2)])
    k.saving.save_weights(model, tmp_path / "m.weights.h5")
    other = k.Sequential([k.Input((3,)), k.layers.Dense(2)])
    k.saving.load_weights(other, tmp_path / "m.weights.h5")
    for a, b in zip(other.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="skip_mismatch"):
        k.saving.load_weights(other, tmp_path / "m.weights.h5", skip_mismatch=True)


def test_get_source_inputs():
    a, b = k.Input((3,)), k.Input((3,))
    total = k.layers.Add()([k.layers.Dense(3)(a), b])
    out = k.layers.Dense(1)(total)
    sources = k.utils.get_source_inputs(out)
    assert len(sources) == 2 and sources[0] is a and sources[1] is b
    assert k.utils.get_source_inputs(a) == [a]
    assert k.utils.get_source_inputs(5) == 5


def test_interactive_logging_switch(capsys, caplog):
    import logging

    model = k.Sequential([k.Input((2,)), k.layers.Dense(1)])
    model.compile("sgd", "mse")
    x, y = np.ones((4, 2), "float32"), np.ones((4, 1), "float32")
    assert k.utils.is_interactive_logging_enabled()
    k.utils.disable_interactive_logging()
    try:
        assert not k.utils.is_interactive_logging_enabled()
        with caplog.at_level(logging.INFO, logger="gpuflow"):
            model.fit(x, y, epochs=2, verbose=1)
        assert "Epoch 1/2" not in capsys.readouterr().out
        assert any("Epoch 1/2" in r.getMessage() for r in caplog.records)
        assert any("loss" in r.getMessage() for r in caplog.records)
    finally:
        k.utils.enable_interactive_logging()
    model.fit(x, y, epochs=2, verbose=1)
    assert "Epoch 1/2" in capsys.readouterr().out


def test_correlation_metrics_match_keras():
    r = np.random.default_rng(0)
    yt = r.normal(size=(4, 6)).astype("float32")
    yp = (yt * 0.7 + r.normal(size=(4, 6)) * 0.5).astype("float32")
    pearson = k.metrics.PearsonCorrelation()
    pearson.update_state(yt[:2], yp[:2])
    pearson.update_state(yt[2:], yp[2:], sample_weight=[1, 3])
    # the values below are what tf.keras 3.15 gives for the same calls
    assert float(pearson.result()) == pytest.approx(0.7165396213531494, rel=1e-6)
    ccc = k.metrics.ConcordanceCorrelation()
    ccc.update_state(yt, yp)
    assert float(ccc.result()) == pytest.approx(0.6358416676521301, rel=1e-6)
    by_column = k.metrics.ConcordanceCorrelation(axis=0)
    by_column.update_state(yt, yp)
    assert float(by_column.result()) == pytest.approx(0.5050081610679626, rel=1e-5)
    np.testing.assert_allclose(
        k.metrics.pearson_correlation(yt, yp).numpy(),
        [np.corrcoef(a, b)[0, 1] for a, b in zip(yt, yp)],
        rtol=1e-5,
    )
    assert pearson.get_config() == {"name": "pearson_correlation", "dtype": "float32", "axis": -1}
    assert isinstance(k.metrics.get("pearson_correlation"), k.metrics.PearsonCorrelation)


def test_keras_version_is_keras_dunder_version():
    assert gf.keras.version() == gf.keras.__version__


def test_keras_device_places_on_the_named_device():
    with k.device("cpu:0"):
        assert "CPU" in k.ops.ones(2).device


def test_keras_remat_keeps_values_and_gradients():
    layer = k.layers.Dense(3, activation="relu")
    x = gf.constant(np.random.default_rng(0).normal(size=(4, 5)).astype("float32"))
    layer.build((4, 5))
    remat_layer = k.remat(layer)
    with gf.GradientTape(persistent=True) as tape:
        plain = gf.reduce_sum(layer(x) ** 2)
        again = gf.reduce_sum(remat_layer(x) ** 2)
    np.testing.assert_allclose(again.numpy(), plain.numpy(), rtol=1e-6)
    for a, b in zip(
        tape.gradient(again, layer.trainable_variables),
        tape.gradient(plain, layer.trainable_variables),
    ):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5)
