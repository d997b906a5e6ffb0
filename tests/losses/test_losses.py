"""Losses against NumPy references, gradchecks, stability, float16, reductions and errors."""

from __future__ import annotations

import re

import numpy as np
import pytest
from tolerances import assert_close

import gpuflow as gf
from gpuflow import losses
from gpuflow.errors import InvalidArgumentError
from gpuflow.testing import gradcheck

RNG = np.random.default_rng(0)
EPS = 1e-7


def _log_softmax(z):
    z = z - z.max(axis=-1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def _data(n=6, c=4, dtype="float64"):
    logits = RNG.standard_normal((n, c)).astype(dtype)
    ids = RNG.integers(0, c, n)
    onehot = np.eye(c, dtype=dtype)[ids]
    probs = np.exp(_log_softmax(logits.astype(np.float64))).astype(dtype)
    return logits, ids, onehot, probs


# -- NumPy references ---------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_categorical_crossentropy_matches_numpy(device, dtype):
    logits, _, onehot, probs = _data(dtype=dtype)
    expected = -(onehot * _log_softmax(logits.astype(np.float64))).sum(-1)
    with gf.device(device):
        got_logits = losses.categorical_crossentropy(onehot, logits, from_logits=True)
        got_probs = losses.categorical_crossentropy(onehot, probs)
    assert got_logits.shape == (6,) and got_logits.dtype == np.dtype(dtype)
    assert_close(got_logits.numpy(), expected, dtype)
    assert_close(got_probs.numpy(), expected, dtype, rtol=1e-5, atol=1e-6)


def test_categorical_label_smoothing_and_axis():
    logits, _, onehot, _ = _data()
    smooth = onehot * 0.8 + 0.2 / 4
    expected = -(smooth * _log_softmax(logits)).sum(-1)
    got = losses.categorical_crossentropy(onehot, logits, from_logits=True, label_smoothing=0.2)
    assert_close(got.numpy(), expected, "float64")
    # The class axis first: same values as the transposed problem.
    got_t = losses.categorical_crossentropy(onehot.T, logits.T, from_logits=True, axis=0)
    assert_close(got_t.numpy(), -(onehot * _log_softmax(logits)).sum(-1), "float64")


@pytest.mark.parametrize("label_shape", ["flat", "column"])
def test_sparse_categorical_crossentropy_matches_numpy(device, label_shape):
    logits, ids, _, probs = _data()
    labels = ids if label_shape == "flat" else ids[:, None]
    expected = -_log_softmax(logits)[np.arange(6), ids]
    with gf.device(device):
        assert_close(
            losses.sparse_categorical_crossentropy(labels, logits, from_logits=True).numpy(),
            expected,
            "float64",
        )
        assert_close(
            losses.sparse_categorical_crossentropy(labels, probs).numpy(),
            expected,
            "float64",
            rtol=1e-6,
        )
        # Integral float labels, as NumPy datasets often carry them.
        got = losses.sparse_categorical_crossentropy(
            labels.astype("float32"), logits, from_logits=True
        )
        assert_close(got.numpy(), expected, "float64")


def test_binary_crossentropy_matches_numpy(device):
    x = RNG.standard_normal((5, 3))
    z = RNG.integers(0, 2, (5, 3)).astype(np.float64)
    p = 1 / (1 + np.exp(-x))
    expected = -(z * np.log(p) + (1 - z) * np.log(1 - p)).mean(-1)
    with gf.device(device):
        assert_close(
            losses.binary_crossentropy(z, x, from_logits=True).numpy(), expected, "float64"
        )
        assert_close(losses.binary_crossentropy(z, p).numpy(), expected, "float64", rtol=1e-6)
        smooth = z * 0.9 + 0.05
        assert_close(
            losses.binary_crossentropy(z, x, from_logits=True, label_smoothing=0.1).numpy(),
            -(smooth * np.log(p) + (1 - smooth) * np.log(1 - p)).mean(-1),
            "float64",
        )


def test_binary_pairs_flat_labels_with_column_predictions():
    p = np.array([[0.2], [0.7], [0.9]])
    got = losses.binary_crossentropy(np.array([0.0, 1.0, 1.0]), p)
    assert got.shape == (3,)
    assert_close(got.numpy(), -np.log([0.8, 0.7, 0.9]), "float64")


def test_regression_losses_match_numpy(device):
    a, b = RNG.standard_normal((4, 3)), RNG.standard_normal((4, 3))
    with gf.device(device):
        assert_close(losses.mean_squared_error(a, b).numpy(), ((a - b) ** 2).mean(-1), "float64")
        assert_close(losses.mae(a, b).numpy(), np.abs(a - b).mean(-1), "float64")
        # (N,) targets with (N, 1) predictions compare per sample, never broadcast to (N, N).
        got = losses.MSE(a[:, 0], b[:, :1])
    assert got.shape == (4,)
    assert_close(got.numpy(), (a[:, 0] - b[:, 0]) ** 2, "float64")
    assert losses.mse is losses.mean_squared_error and losses.MAE is losses.mean_absolute_error


# -- gradients ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "case",
    [
        "cce_logits",
        "cce_probs",
        "cce_smooth",
        "scce_logits",
        "scce_probs",
        "bce_logits",
        "bce_probs",
        "mse",
        "mae",
    ],
)
def test_gradcheck(case):
    logits, ids, onehot, probs = _data(n=3, c=4)
    z = RNG.integers(0, 2, (3, 4)).astype(np.float64)
    sig = 1 / (1 + np.exp(-logits))
    fns = {
        "cce_logits": (
            lambda x: losses.categorical_crossentropy(onehot, x, from_logits=True),
            logits,
        ),
        "cce_probs": (lambda p: losses.categorical_crossentropy(onehot, p), probs),
        "cce_smooth": (lambda x: losses.categorical_crossentropy(onehot, x, True, 0.1), logits),
        "scce_logits": (
            lambda x: losses.sparse_categorical_crossentropy(ids, x, from_logits=True),
            logits,
        ),
        "scce_probs": (lambda p: losses.sparse_categorical_crossentropy(ids, p), probs),
        "bce_logits": (lambda x: losses.binary_crossentropy(z, x, from_logits=True), logits),
        "bce_probs": (lambda p: losses.binary_crossentropy(z, p), sig),
        "mse": (lambda p: losses.mean_squared_error(onehot, p), logits),
        "mae": (lambda p: losses.mean_absolute_error(onehot, p), logits),
    }
    fn, x = fns[case]
    assert gradcheck(fn, [x])


def test_gradcheck_through_recorded_softmax_and_sigmoid():
    logits, ids, onehot, _ = _data(n=3, c=4)
    assert gradcheck(lambda x: losses.categorical_crossentropy(onehot, gf.nn.softmax(x)), [logits])
    assert gradcheck(
        lambda x: losses.sparse_categorical_crossentropy(ids, gf.nn.softmax(x)), [logits]
    )
    assert gradcheck(lambda x: losses.binary_crossentropy(onehot, gf.sigmoid(x)), [logits])


# -- stability ----------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float16", "float32"])
def test_large_logits_are_finite(device, dtype):
    scale = 1e4 if dtype == "float32" else 6e4
    logits = np.array([[1.0, -1.0, 0.5], [-1.0, 1.0, 0.0]], dtype=dtype) * np.asarray(scale, dtype)
    onehot = np.eye(3, dtype=dtype)[[1, 1]]
    expected = -(onehot * _log_softmax(logits.astype(np.float64))).sum(-1)
    with gf.device(device):
        x = gf.Variable(logits)
        with gf.GradientTape() as tape:
            loss = losses.CategoricalCrossentropy(from_logits=True)(onehot, x)
        grad = tape.gradient(loss, x).numpy()
        bce = losses.binary_crossentropy(np.ones_like(logits), logits, from_logits=True).numpy()
        scce = losses.sparse_categorical_crossentropy([1, 1], logits, from_logits=True).numpy()
    assert np.isfinite(loss.numpy()) and np.all(np.isfinite(grad))
    assert np.all(np.isfinite(bce)) and np.all(np.isfinite(scce))
    assert_close(loss.numpy(), expected.mean(), "float32", rtol=1e-4)


def test_softmax_output_uses_the_logits_path():
    """The softmax activation (keras.activations.softmax, a layer's activation="softmax")
    attaches its logits: cross-entropy on its probabilities gives the true loss (about 2e4),
    not the clipped -log(1e-7) = 16.1, and a finite gradient -- with or without a tape."""
    logits = np.array([[1.0, -1.0, 0.5]], dtype="float32") * 1e4
    onehot = np.array([[0.0, 1.0, 0.0]], dtype="float32")
    x = gf.Variable(logits)
    with gf.GradientTape() as tape:
        probs = gf.keras.activations.softmax(x)
        loss = losses.CategoricalCrossentropy()(onehot, probs)
        sparse = losses.SparseCategoricalCrossentropy()([1], probs)
    assert_close(loss.numpy(), 2e4, "float32")
    assert_close(sparse.numpy(), 2e4, "float32")
    assert_close(tape.gradient(loss, x).numpy(), [[1.0, -1.0, 0.0]], "float32", atol=1e-4)
    assert_close(
        losses.categorical_crossentropy(
            onehot, gf.keras.activations.softmax(gf.constant(logits))
        ).numpy(),
        [2e4],
        "float32",
    )
    # tf.nn.softmax attaches nothing: its probabilities are clipped, as in TF's eager mode.
    clipped = losses.categorical_crossentropy(onehot, gf.nn.softmax(gf.constant(logits)))
    assert_close(clipped.numpy(), [-np.log(EPS)], "float32", rtol=1e-4)


def test_sigmoid_output_uses_the_logits_path():
    x = gf.Variable(np.array([[-200.0], [300.0]], dtype="float32"))
    with gf.GradientTape() as tape:
        loss = losses.BinaryCrossentropy()(
            np.array([[1.0], [0.0]]), gf.keras.activations.sigmoid(x)
        )
    assert_close(loss.numpy(), 250.0, "float32")
    assert np.all(np.isfinite(tape.gradient(loss, x).numpy()))


def test_clipped_probabilities_never_give_inf():
    onehot = np.array([[0.0, 1.0]], dtype="float32")
    assert_close(
        losses.categorical_crossentropy(onehot, [[1.0, 0.0]]).numpy(),
        [-np.log(EPS)],
        "float32",
        rtol=1e-4,
    )
    assert np.isfinite(losses.binary_crossentropy([[1.0]], [[0.0]]).numpy()).all()


def test_float16_inputs_compute_in_float32(device):
    logits, ids, onehot, probs = _data(dtype="float16")
    expected = -(onehot * _log_softmax(logits.astype(np.float64))).sum(-1)
    with gf.device(device):
        for got in (
            losses.categorical_crossentropy(onehot, logits, from_logits=True),
            losses.sparse_categorical_crossentropy(ids, logits, from_logits=True),
            losses.categorical_crossentropy(onehot, probs),
        ):
            assert got.dtype == np.float32
            assert_close(got.numpy(), expected, "float16")
        assert losses.mse(onehot, probs).dtype == np.float32
        assert losses.binary_crossentropy(onehot, logits, from_logits=True).dtype == np.float32


# -- Loss classes and reductions ------------------------------------------------------------
def test_reductions_and_sample_weight():
    a, b = RNG.standard_normal((4, 3)), RNG.standard_normal((4, 3))
    per = ((a - b) ** 2).mean(-1)
    w = np.array([1.0, 0.0, 2.0, 0.5])
    assert_close(losses.MeanSquaredError()(a, b).numpy(), per.mean(), "float32")
    assert_close(losses.MeanSquaredError(reduction="sum")(a, b).numpy(), per.sum(), "float32")
    assert_close(losses.MeanSquaredError(reduction="none")(a, b).numpy(), per, "float32")
    assert_close(
        losses.MeanSquaredError()(a, b, sample_weight=w).numpy(), (per * w).sum() / 4, "float32"
    )
    assert_close(
        losses.MeanSquaredError()(a, b, sample_weight=w[:, None]).numpy(),
        (per * w).sum() / 4,
        "float32",
    )
    assert_close(losses.MeanSquaredError(reduction="auto")(a, b).numpy(), per.mean(), "float32")
    assert losses.MeanSquaredError()(a, b).shape == ()
    # Keras 3 converts y_true/y_pred to the loss's dtype (floatx) first: float64 arrays in,
    # float32 out, unless floatx is float64
    assert losses.MeanSquaredError()(a, b).dtype == gf.float32
    assert losses.MeanSquaredError().dtype == "float32"
    probs = np.array([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]])  # float64, with int64 class ids
    sparse = losses.SparseCategoricalCrossentropy()(np.array([0, 2]), probs)
    assert sparse.dtype == gf.float32
    np.testing.assert_allclose(sparse.numpy(), -(np.log(0.2) + np.log(0.8)) / 2, rtol=1e-6)
    gf.config.set_floatx("float64")
    try:
        assert losses.MeanSquaredError()(a.astype("float32"), b).dtype == gf.float64
    finally:
        gf.config.set_floatx("float32")


def test_every_loss_class_takes_keras3_dtype_argument():
    """Keras 3: each loss class takes ``dtype=`` and computes in it (a float64 model's loss
    stays float64 without changing floatx)."""
    import inspect

    from gpuflow.losses.classes import Loss, LossFunctionWrapper

    classes = [
        c
        for c in vars(gf.keras.losses).values()
        if inspect.isclass(c) and issubclass(c, Loss) and c not in (Loss, LossFunctionWrapper)
    ]
    assert len(classes) > 20
    for cls in classes:
        assert cls(dtype="float64").dtype == "float64", cls.__name__
    a = np.ones((2, 3), "float32")
    assert losses.MeanSquaredError(dtype="float64")(a, 0 * a).dtype == gf.float64
    sparse = losses.SparseCategoricalCrossentropy(from_logits=True, dtype="float64")
    assert sparse(np.array([0, 1]), a[:, :2]).dtype == gf.float64


def test_user_losses_see_float_labels_as_keras3():
    """Keras 3 converts labels to the loss's dtype: a user's loss function or Loss subclass
    gets float32 labels from integer ones (gpuflow's own losses keep class ids as they are,
    with the same results)."""
    seen = {}

    def my_loss(y_true, y_pred):
        seen["function"] = y_true.dtype
        return gf.reduce_mean(gf.square(y_true - y_pred), axis=-1)

    class MyLoss(losses.Loss):
        def call(self, y_true, y_pred):
            seen["subclass"] = y_true.dtype
            return gf.reduce_mean(gf.square(y_true - y_pred), axis=-1)

    y, p = np.array([[1], [0]]), np.array([[0.5], [0.25]], "float32")
    for loss in (losses.LossFunctionWrapper(my_loss), MyLoss()):
        assert abs(float(loss(y, p)) - (0.25 + 0.0625) / 2) < 1e-7
    assert seen == {"function": gf.float32, "subclass": gf.float32}
    sparse = losses.SparseCategoricalCrossentropy()
    assert abs(float(sparse(np.array([1]), np.array([[0.25, 0.75]]))) + np.log(0.75)) < 1e-6


def test_bad_reduction_and_sample_weight():
    with pytest.raises(ValueError, match="MeanSquaredError: reduction must be one of"):
        losses.MeanSquaredError(reduction="average")
    with pytest.raises(ValueError, match=r"sample_weight shape \(3,\) does not fit .* \(4,\)"):
        losses.MeanSquaredError()(np.zeros((4, 2)), np.zeros((4, 2)), sample_weight=np.ones(3))


def test_custom_loss_subclass_and_wrapper():
    class Double(losses.Loss):
        def call(self, y_true, y_pred):
            return losses.mean_squared_error(y_true, y_pred) * 2.0

    a, b = np.ones((2, 2)), np.zeros((2, 2))
    assert Double().name == "double"
    assert_close(Double()(a, b).numpy(), 2.0, "float64")
    wrapped = losses.as_loss(lambda t, p: losses.mae(t, p) * 3.0)
    assert isinstance(wrapped, losses.LossFunctionWrapper)
    assert_close(wrapped(a, b).numpy(), 3.0, "float64")


def test_wrapped_function_sees_same_rank_labels_and_predictions():
    # Keras 3 LossFunctionWrapper: (N,) labels with (N, 1) predictions reach the function as
    # (N, 1) and (N, 1) (a contrastive loss written with reduce_mean would otherwise
    # average an (N, N) broadcast); (N, 1) labels with (N,) predictions likewise
    seen = []

    def contrastive(y_true, y_pred):
        seen.append((tuple(y_true.shape), tuple(y_pred.shape)))
        return gf.reduce_mean((1 - y_true) * y_pred**2 + y_true * gf.maximum(1 - y_pred, 0) ** 2)

    y = np.array([0.0, 1.0, 1.0], "float32")
    p = np.array([[0.3], [0.4], [1.2]], "float32")
    expected = (0.09 + 0.36 + 0.0) / 3
    wrapped = losses.as_loss(contrastive)
    assert_close(float(wrapped(y, p)), expected, "float32")
    assert_close(float(wrapped(p, y)), (0.3 + 0.6 - 0.2) / 3, "float32")
    assert seen == [((3, 1), (3, 1)), ((3, 1), (3, 1))]
    # a (N, 2) prediction beside (N,) labels is left to the function (no size-1 axis)
    seen.clear()
    losses.as_loss(lambda t, q: seen.append((tuple(t.shape), tuple(q.shape))) or q)(
        y, np.ones((3, 2), "float32")
    )
    assert seen == [((3,), (3, 2))]


def test_squeeze_or_expand_to_same_rank():
    from gpuflow.losses.ranks import squeeze_or_expand_to_same_rank

    a, b = squeeze_or_expand_to_same_rank(np.zeros((4, 5, 1)), gf.zeros((4, 5)))
    assert a.shape == (4, 5) and b.shape == (4, 5)
    a, b = squeeze_or_expand_to_same_rank(gf.zeros((4,)), gf.zeros((4, 1)), expand_rank_1=False)
    assert a.shape == (4,) and b.shape == (4,)
    a, b = squeeze_or_expand_to_same_rank(gf.zeros((4, 3)), gf.zeros((4, 3)))
    assert a.shape == (4, 3) and b.shape == (4, 3)


# -- get / serialize --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, cls",
    [
        ("categorical_crossentropy", losses.CategoricalCrossentropy),
        ("CategoricalCrossentropy", losses.CategoricalCrossentropy),
        ("sparse_categorical_crossentropy", losses.SparseCategoricalCrossentropy),
        ("binary_crossentropy", losses.BinaryCrossentropy),
        ("mse", losses.MeanSquaredError),
        ("MSE", losses.MeanSquaredError),
        ("mean_squared_error", losses.MeanSquaredError),
        ("mae", losses.MeanAbsoluteError),
        ("MeanAbsoluteError", losses.MeanAbsoluteError),
    ],
)
def test_as_loss_by_name(name, cls):
    assert type(losses.as_loss(name)) is cls


@pytest.mark.parametrize(
    "name, fn",
    [
        ("categorical_crossentropy", losses.categorical_crossentropy),
        ("mse", losses.mean_squared_error),
        ("MSE", losses.mean_squared_error),
        ("mae", losses.mean_absolute_error),
    ],
)
def test_get_a_function_name_gives_the_function_as_keras(name, fn):
    got = losses.get(name)
    assert got is fn
    a, b = np.ones((3, 2)), np.zeros((3, 2))
    assert got(a, b).shape == (3,)  # per-sample values, not a reduced scalar


def test_get_a_class_name_gives_an_instance():
    assert type(losses.get("CategoricalCrossentropy")) is losses.CategoricalCrossentropy


def test_get_functions_instances_and_unknown():
    assert losses.get(losses.categorical_crossentropy) is losses.categorical_crossentropy
    assert isinstance(
        losses.as_loss(losses.categorical_crossentropy), losses.CategoricalCrossentropy
    )
    loss = losses.BinaryCrossentropy(from_logits=True)
    assert losses.get(loss) is loss
    assert isinstance(losses.get(losses.MeanSquaredError), losses.MeanSquaredError)
    assert losses.get(None) is None
    with pytest.raises(ValueError) as err:
        losses.get("categorical_crossentropyy")
    assert "\n" not in str(err.value) and "sparse_categorical_crossentropy" in str(err.value)
    with pytest.raises(ValueError, match="Could not interpret loss identifier: 3"):
        losses.get(3)


def test_serialize_round_trip():
    loss = losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1, reduction="sum")
    config = losses.serialize(loss)
    import json

    back = losses.deserialize(json.loads(json.dumps(config)))
    assert type(back) is losses.CategoricalCrossentropy and back.get_config() == loss.get_config()

    def my_loss(y_true, y_pred):
        return losses.mse(y_true, y_pred)

    config = losses.serialize(my_loss)  # a function stays a function, as Keras 3 saves it
    assert config == {
        "module": "builtins",
        "class_name": "function",
        "config": "my_loss",
        "registered_name": "function",
    }
    with pytest.raises(ValueError, match="custom_objects"):
        losses.deserialize(config)
    assert losses.deserialize(config, custom_objects={"my_loss": my_loss}) is my_loss
    assert losses.deserialize(losses.serialize(losses.mean_squared_error)) is losses.mse
    registered = gf.keras.saving.register_keras_serializable("test_pkg")(my_loss)
    assert losses.serialize(registered)["config"] == "test_pkg>my_loss"
    assert losses.deserialize(losses.serialize(registered)) is my_loss


# -- errors before work -----------------------------------------------------------------------
def test_integer_labels_to_categorical_suggest_the_fix():
    with pytest.raises(ValueError) as err:
        losses.categorical_crossentropy(np.array([0, 2, 1]), np.full((3, 4), 0.25))
    msg = str(err.value)
    assert "categorical_crossentropy" in msg and "(3,)" in msg and "(3, 4)" in msg
    assert "sparse_categorical_crossentropy" in msg and "gpuflow.utils.to_categorical" in msg


def test_sparse_labels_out_of_range():
    # TF's InvalidArgumentError (a ValueError too)
    with pytest.raises(InvalidArgumentError, match=r"labels must be in \[0, 4\).*min -1 and max 7"):
        losses.sparse_categorical_crossentropy([0, -1, 7], np.zeros((3, 4)), from_logits=True)
    with pytest.raises(ValueError, match=r"\[0, 4\).*min 0 and max 4"):
        losses.SparseCategoricalCrossentropy()(np.array([0.0, 4.0]), np.full((2, 4), 0.25))


def test_sparse_label_errors():
    with pytest.raises(ValueError, match="non-integer"):
        losses.sparse_categorical_crossentropy([0.5, 1.0], np.zeros((2, 3)), from_logits=True)
    with pytest.raises(ValueError, match="look one-hot: use loss='categorical_crossentropy'"):
        losses.sparse_categorical_crossentropy(np.eye(3), np.zeros((3, 3)), from_logits=True)
    with pytest.raises(ValueError, match="NaN or Inf"):
        losses.sparse_categorical_crossentropy([np.nan, 1.0], np.zeros((2, 3)), from_logits=True)


@pytest.mark.parametrize(
    "fn",
    [
        losses.categorical_crossentropy,
        losses.binary_crossentropy,
        losses.mean_squared_error,
        losses.mean_absolute_error,
    ],
)
def test_nan_or_inf_labels(fn):
    y = np.full((2, 3), 0.5)
    y[1, 2] = np.inf
    with pytest.raises(ValueError, match=f"{fn.__name__}: y_true contains NaN or Inf \\(1 of 6"):
        fn(y, np.full((2, 3), 0.5))


def test_shape_mismatch_and_dtype_errors():
    with pytest.raises(
        ValueError,
        match=r"mean_squared_error: y_true shape \(4, 3\) does not "
        r"match y_pred shape \(4, 2\)",
    ):
        losses.mse(np.zeros((4, 3)), np.zeros((4, 2)))
    with pytest.raises(TypeError, match="binary_crossentropy: y_pred must be a float tensor"):
        losses.binary_crossentropy([1, 0], np.array([1, 0]))
    with pytest.raises(ValueError, match="label_smoothing must be in"):
        losses.categorical_crossentropy(np.eye(2), np.eye(2), label_smoothing=2.0)


def test_regression_losses_accept_integer_predictions():
    # Keras 3: mse/mae/mape/msle/huber take integer y_pred (the keras.metrics.MeanSquaredError
    # docstring updates with [[1, 1], [0, 0]]); the result is float32.
    t, p = [[0, 1], [0, 0]], [[1, 1], [0, 0]]
    for fn, want in [
        (losses.mean_squared_error, [0.5, 0.0]),
        (losses.mean_absolute_error, [0.5, 0.0]),
        (losses.huber, [0.25, 0.0]),
        (losses.mean_squared_logarithmic_error, [np.log(2.0) ** 2 / 2, 0.0]),
    ]:
        out = fn(t, p)
        assert out.dtype == gf.float32
        assert_close(out.numpy(), np.array(want), rtol=1e-6, atol=1e-7)
    m = gf.keras.metrics.MeanSquaredError()
    m.update_state(t, p)
    assert float(m.result()) == 0.25
    # the cross-entropies still refuse them (Keras fails on them as well)
    with pytest.raises(TypeError, match="poisson: y_pred must be a float tensor"):
        losses.poisson(t, p)


def test_sparse_categorical_crossentropy_ignore_class_as_keras():
    # values printed by Keras 3.15 on TF 2.21 (tfvenv) for the same calls
    y_true = np.array([[0, 1, -1], [2, -1, 1]])
    logits = np.array(
        [
            [[2.0, 1.0, 0.1], [0.5, 2.5, 0.3], [1.0, 1.0, 1.0]],
            [[0.2, 0.3, 3.0], [1.0, 0.0, 0.0], [0.1, 2.0, 0.5]],
        ],
        "float32",
    )
    per_entry = [[0.41703, 0.22005, 0.0], [0.12046, 0.0, 0.316779]]
    out = losses.sparse_categorical_crossentropy(y_true, logits, from_logits=True, ignore_class=-1)
    assert_close(out.numpy(), np.array(per_entry), rtol=1e-4, atol=1e-5)
    probs = gf.nn.softmax(logits).numpy()
    out = losses.sparse_categorical_crossentropy(y_true[..., None], probs, ignore_class=-1)
    assert_close(out.numpy(), np.array(per_entry), rtol=1e-4, atol=1e-5)
    loss = gf.keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1)
    assert abs(float(loss(y_true, logits)) - 0.26858) < 1e-5  # mean over the 4 kept entries
    weights = np.array([[1.0, 2.0, 5.0], [3.0, 1.0, 1.0]])
    assert abs(float(loss(y_true, logits, sample_weight=weights)) - 0.383822) < 1e-5
    assert float(loss(np.full((2, 3), -1), logits)) == 0.0
    assert loss.get_config()["ignore_class"] == -1
    metric = gf.keras.metrics.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1)
    metric.update_state(y_true, logits)
    assert abs(float(metric.result()) - 0.179053) < 1e-5  # Keras: zeros counted, no weights
    metric.update_state(y_true[:1], logits[:1], sample_weight=np.array([[2.0, 1.0, 4.0]]))
    assert abs(float(metric.result()) - 0.236492) < 1e-5  # with weights the mask applies
    # gradients reach the kept entries only
    x = gf.Variable(logits)
    with gf.GradientTape() as tape:
        value = loss(y_true, x)
    grad = tape.gradient(value, x).numpy()
    assert np.all(grad[0, 2] == 0) and np.all(grad[1, 1] == 0) and np.abs(grad[0, 0]).sum() > 0


def test_function_losses_repr_as_keras():
    # Keras 3: <LossFunctionWrapper(<function binary_crossentropy at 0x...>, kwargs={...})>
    text = re.sub(r" at 0x[0-9a-f]+", "", repr(losses.BinaryCrossentropy()))
    assert text == (
        "<LossFunctionWrapper(<function binary_crossentropy>, kwargs={'from_logits': False, "
        "'label_smoothing': 0.0, 'axis': -1})>"
    )
    text = re.sub(r" at 0x[0-9a-f]+", "", repr(losses.MeanSquaredError()))
    assert text == "<LossFunctionWrapper(<function mean_squared_error>, kwargs={})>"


def test_reduction_none_is_kept_as_none_and_reduces_nothing():
    # Keras 3: reduction=None stays None (attribute and config) and works as "none"
    for loss in (losses.Loss(reduction=None), losses.MeanSquaredError(reduction=None)):
        assert loss.reduction is None and loss.get_config()["reduction"] is None
    mse = losses.MeanSquaredError(reduction=None)
    out = mse(np.array([[0.0], [1.0]]), np.array([[1.0], [3.0]]))
    np.testing.assert_allclose(out.numpy(), [1.0, 4.0])
    again = losses.MeanSquaredError.from_config(mse.get_config())
    assert again.reduction is None
    assert losses.MeanSquaredError(reduction="none").get_config()["reduction"] == "none"
    with pytest.raises(ValueError, match="reduction"):
        losses.MeanSquaredError(reduction="avg")
