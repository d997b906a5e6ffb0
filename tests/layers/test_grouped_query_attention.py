"""keras.layers.GroupQueryAttention: shapes, Keras' weight layout, the equivalence with
per-group shared heads, causal + sliding-window masks, the gate, input masks, a model
that trains and round-trips through a .keras file, config, errors."""

import numpy as np
import pytest

import gpuflow as tf

GQA = tf.keras.layers.GroupQueryAttention


def _inputs():
    rng = np.random.default_rng(0)
    return rng.normal(size=(2, 5, 8)).astype("float32"), rng.normal(size=(2, 6, 8)).astype(
        "float32"
    )


def _reference(layer, q, v):
    """Grouped-query attention by hand from the layer's weights (NumPy)."""
    w = {x.path.split("/")[-2] + "/" + x.name: x.numpy() for x in layer.weights}
    heads, groups = layer.num_query_heads, layer.num_key_value_heads
    qh = np.einsum("btm,muh->buth", q, w["query/kernel"]) + w["query/bias"][None, :, None]
    kh = np.einsum("bsm,mvh->bvsh", v, w["key/kernel"]) + w["key/bias"][None, :, None]
    vh = np.einsum("bsm,mvh->bvsh", v, w["value/kernel"]) + w["value/bias"][None, :, None]
    kh, vh = np.repeat(kh, heads // groups, axis=1), np.repeat(vh, heads // groups, axis=1)
    s = np.einsum("buth,bush->buts", qh, kh) / np.sqrt(layer.head_dim)
    p = np.exp(s - s.max(-1, keepdims=True))
    p /= p.sum(-1, keepdims=True)
    o = np.einsum("buts,bush->btuh", p, vh)
    return np.einsum("btuh,uhm->btm", o, w["attention_output/kernel"]) + w[
        "attention_output/bias"
    ], p


def test_values_and_weights_match_the_definition():
    q, v = _inputs()
    layer = GQA(head_dim=4, num_query_heads=4, num_key_value_heads=2)
    out, scores = layer(q, v, return_attention_scores=True)
    assert tuple(out.shape) == (2, 5, 8) and tuple(scores.shape) == (2, 4, 5, 6)
    assert [tuple(w.shape) for w in layer.weights] == [
        (8, 4, 4), (4, 4), (8, 2, 4), (2, 4), (8, 2, 4), (2, 4), (4, 4, 8), (8,)
    ]  # fmt: skip
    expected, probabilities = _reference(layer, q, v)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(scores.numpy(), probabilities, rtol=1e-4, atol=1e-6)


def test_causal_sliding_window_gate_and_masks():
    q, v = _inputs()
    layer = GQA(
        head_dim=4, num_query_heads=4, num_key_value_heads=1, sliding_window=2, use_gate=True
    )
    _, scores = layer(q, v, return_attention_scores=True, use_causal_mask=True)
    allowed = (np.tril(np.ones((5, 6))) * (np.abs(np.arange(5)[:, None] - np.arange(6)) < 2)) > 0
    s = scores.numpy()
    assert np.all(s[:, :, ~allowed] < 1e-6) and np.allclose(s.sum(-1), 1.0, atol=1e-5)
    assert [w.path.split("/")[-2] for w in layer.weights][4:6] == ["gate", "gate"]
    # Keras masks carried by the inputs: padded keys get no weight, the output keeps the query's
    ids = np.array([[1, 2, 3, 0, 0, 0]])
    x = tf.keras.layers.Embedding(5, 8, mask_zero=True)(ids)
    out, scores = GQA(4, 2, 2)(x, x, return_attention_scores=True)
    assert np.all(scores.numpy()[0, :, :3, 3:] < 1e-6)  # (padded queries: uniform, as Keras)
    assert out._keras_mask.numpy().tolist() == [[True, True, True, False, False, False]]


def test_model_round_trip_and_config(tmp_path):
    inp = tf.keras.Input((6, 8))
    out = GQA(4, 4, 2, dropout=0.1)(inp, inp, use_causal_mask=True)
    model = tf.keras.Model(inp, tf.keras.layers.Dense(1)(out))
    model.compile("adam", "mse")
    x = np.random.default_rng(1).normal(size=(8, 6, 8)).astype("float32")
    model.fit(x, np.ones((8, 6, 1), "float32"), epochs=1, verbose=0)
    model.save(tmp_path / "m.keras")
    loaded = tf.keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-5)
    config = GQA(4, 6, 3, sliding_window=5, use_gate=True).get_config()
    assert (config["num_query_heads"], config["num_key_value_heads"]) == (6, 3)
    assert (config["sliding_window"], config["use_gate"]) == (5, True)
    assert isinstance(GQA.from_config(config), tf.keras.layers.GroupedQueryAttention)


def test_errors():
    with pytest.raises(ValueError, match="must be divisible by `num_key_value_heads`"):
        GQA(4, 6, 4)
    with pytest.raises(ValueError, match="`sliding_window` must be `None` or a positive integer"):
        GQA(4, 4, 2, sliding_window=0)
    with pytest.raises(ValueError, match="dropout is not supported when flash attention"):
        GQA(4, 4, 2, dropout=0.1, flash_attention=True)
    q, v = _inputs()
    with pytest.raises(ValueError, match="attention scores is not supported when flash"):
        GQA(4, 4, 2, flash_attention=True)(q, v, return_attention_scores=True)
    with pytest.raises(ValueError, match="last dimension of `query` and `value` must be equal"):
        GQA(4, 4, 2)(q, v[..., :4])
    with pytest.raises(ValueError, match="query must have rank 3"):
        GQA(4, 4, 2)(q[0], v)


def test_saved_under_the_class_name_keras_writes():
    # Keras exports the class as keras.layers.GroupQueryAttention and saves that name;
    # a config written by Keras must load, and ours must carry the same name.
    layer = GQA(head_dim=2, num_query_heads=4, num_key_value_heads=2)
    saved = tf.keras.saving.serialize_keras_object(layer)
    assert (saved["module"], saved["class_name"]) == ("keras.layers", "GroupQueryAttention")
    loaded = tf.keras.saving.deserialize_keras_object(saved)
    assert isinstance(loaded, GQA) and loaded.num_query_heads == 4

    class Custom(GQA):
        pass

    assert tf.keras.saving.serialize_keras_object(Custom(2, 4, 2))["class_name"] == "Custom"
