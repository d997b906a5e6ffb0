"""keras.layers.ReversibleEmbedding: tied and untied reverse projection, soft cap, masks,
reverse dtype, config, errors."""

import numpy as np
import pytest

import gpuflow as tf

RE = tf.keras.layers.ReversibleEmbedding


def test_tied_reverse_is_the_transposed_embeddings():
    emb = RE(10, 4, mask_zero=True)
    ids = np.array([[1, 2, 0], [3, 0, 0]])
    hidden = emb(ids)
    assert tuple(hidden.shape) == (2, 3, 4)
    assert hidden._keras_mask.numpy().tolist() == [[True, True, False], [True, False, False]]
    logits = emb(hidden, reverse=True)
    assert tuple(logits.shape) == (2, 3, 10) and getattr(logits, "_keras_mask", None) is None
    np.testing.assert_allclose(
        logits.numpy(), hidden.numpy() @ emb.embeddings.numpy().T, rtol=1e-5, atol=1e-7
    )
    assert [w.name for w in emb.weights] == ["embeddings"]


def test_untied_weights_soft_cap_and_dtype():
    emb = RE(6, 3, tie_weights=False, logit_soft_cap=2.0, reverse_dtype="float64")
    hidden = emb(np.array([[1, 5]]))
    assert [tuple(w.shape) for w in emb.weights] == [(6, 3), (3, 6)]
    logits = emb(hidden * 1000.0, reverse=True)
    assert logits.dtype == tf.float64
    raw = (hidden.numpy() * 1000.0) @ emb.reverse_embeddings.numpy()
    np.testing.assert_allclose(logits.numpy(), np.tanh(raw / 2.0) * 2.0, rtol=1e-6)
    assert float(tf.reduce_max(tf.abs(logits))) <= 2.0


def test_in_a_model_trains_and_round_trips(tmp_path):
    emb = RE(10, 4)
    inp = tf.keras.Input(shape=(5,), dtype="int32")
    out = emb(tf.keras.layers.Dense(4)(emb(inp)), reverse=True)
    assert tuple(out.shape) == (None, 5, 10)
    model = tf.keras.Model(inp, out)
    model.compile("adam", tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    x = np.random.default_rng(0).integers(0, 10, (8, 5))
    model.fit(x, x, epochs=1, verbose=0)
    model.save(tmp_path / "m.keras")
    loaded = tf.keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-5)
    config = RE(3, 2, tie_weights=False, logit_soft_cap=5.0).get_config()
    assert (config["tie_weights"], config["logit_soft_cap"], config["reverse_dtype"]) == (
        False,
        5.0,
        None,
    )


def test_errors():
    emb = RE(5, 3)
    emb(np.array([1]))
    with pytest.raises(ValueError, match=r"reverse=True projects vectors of size 3"):
        emb(np.ones((2, 4), "float32"), reverse=True)
    with pytest.raises(ValueError, match="logit_soft_cap must be a positive number"):
        RE(5, 3, logit_soft_cap=0)


def test_int8_reverse_projection_dequantizes():
    layer = tf.keras.layers.ReversibleEmbedding(6, 4)
    layer.build()
    table = np.random.default_rng(0).normal(size=(6, 4)).astype("float32")
    layer.embeddings.assign(table)
    x = np.random.default_rng(1).normal(size=(2, 4)).astype("float32")
    layer.quantize("int8")
    # Keras: inputs abs-max quantized per row, times the int8 table, both scales divided out
    x_scale = 127.0 / (np.abs(x).max(-1, keepdims=True) + 1e-7)
    x_q = np.clip(np.round(x * x_scale), -127, 127)
    t_scale = layer.embeddings_scale.numpy()
    expected = (x_q @ layer._embeddings.numpy().T.astype("float32")) / (x_scale * t_scale)
    out = layer(x, reverse=True).numpy()
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(out, x @ table.T, atol=0.05)  # close to the float logits
    untied = tf.keras.layers.ReversibleEmbedding(6, 4, tie_weights=False)
    untied.build()
    untied.quantize("int8")
    with pytest.raises(NotImplementedError, match="tie_weights"):
        untied(x, reverse=True)
