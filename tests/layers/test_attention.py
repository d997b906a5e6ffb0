"""Attention layers: a Transformer encoder block trains on a toy task; masks, dropout, errors."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf
from gpuflow import layers as L


class EncoderBlock(L.Layer):
    """Post-norm Transformer encoder block built from the library's layers."""

    def __init__(self, dim, heads, hidden, **kwargs):
        super().__init__(**kwargs)
        self.attention = L.MultiHeadAttention(heads, dim // heads)
        self.norm1 = L.LayerNormalization()
        self.norm2 = L.LayerNormalization()
        self.ffn1 = L.Dense(hidden, activation="relu")
        self.ffn2 = L.Dense(dim)

    def call(self, x, training=None):
        x = self.norm1(x + self.attention(x, x, training=training))
        return self.norm2(x + self.ffn2(self.ffn1(x)))


class TinyTransformer(gf.keras.Model):
    def __init__(self, vocab, length, dim=16):
        super().__init__()
        self.tokens = L.Embedding(vocab, dim)
        self.positions = L.Embedding(length, dim)
        self.block = EncoderBlock(dim, 2, 32)
        self.pool = L.GlobalAveragePooling1D()
        self.head = L.Dense(1, activation="sigmoid")

    def call(self, ids, training=None):
        positions = np.arange(ids.shape[1])[None].repeat(ids.shape[0], 0)
        x = self.tokens(ids) + self.positions(positions)
        return self.head(self.pool(self.block(x, training=training)))


def test_transformer_encoder_learns_first_equals_last():
    gf.random.set_seed(0)
    rng = np.random.default_rng(0)
    ids = rng.integers(0, 4, size=(256, 6))
    ids[:128, -1] = ids[:128, 0]  # half the sequences end with their first token
    labels = (ids[:, 0] == ids[:, -1]).astype("float32")[:, None]
    model = TinyTransformer(4, 6)
    model.compile(
        optimizer=gf.optimizers.Adam(0.005), loss="binary_crossentropy", metrics=["accuracy"]
    )
    history = model.fit(ids, labels, epochs=50, batch_size=32, verbose=0)
    assert history.history["loss"][-1] < 0.1 * history.history["loss"][0]
    assert history.history["accuracy"][-1] > 0.95


def test_mha_uses_the_embedding_mask_of_value():
    ids = np.array([[1, 2, 3, 0, 0]])
    emb = L.Embedding(5, 4, mask_zero=True)
    mha = L.MultiHeadAttention(2, 2)
    x = emb(ids)
    _, scores = mha(x, x, return_attention_scores=True)
    assert np.allclose(scores.numpy()[..., :3, 3:], 0.0)  # padded keys get no weight
    trimmed = emb(ids[:, :3])
    x = emb(ids)  # a fresh tensor: the layer took the mask off the first one (as Keras 3)
    np.testing.assert_allclose(
        mha(x, x).numpy()[:, :3], mha(trimmed, trimmed).numpy(), rtol=1e-5, atol=1e-6
    )


def test_mha_dropout_only_in_training_and_config():
    x = np.random.default_rng(0).standard_normal((2, 4, 6)).astype("float32")
    mha = L.MultiHeadAttention(3, 2, dropout=0.5)
    np.testing.assert_array_equal(mha(x, x).numpy(), mha(x, x).numpy())
    assert not np.allclose(mha(x, x).numpy(), mha(x, x, training=True).numpy())
    clone = L.MultiHeadAttention.from_config(mha.get_config())
    clone(x, x)
    clone.set_weights(mha.get_weights())
    np.testing.assert_allclose(clone(x, x).numpy(), mha(x, x).numpy(), rtol=1e-6)
    assert [w.shape for w in mha.get_weights()] == [(6, 3, 2), (3, 2)] * 3 + [(3, 2, 6), (6,)]


@pytest.mark.parametrize(
    "make,message",
    [
        (
            lambda: L.MultiHeadAttention(0, 4),
            r"MultiHeadAttention '.*': num_heads must be a positive",
        ),
        (
            lambda: L.MultiHeadAttention(2, 4, dropout=1.5),
            r"dropout must be in \[0, 1\), received "
            r"dropout=1.5",
        ),
        (
            lambda: L.Attention(score_mode="general"),
            r"Attention 'attention': score_mode must be 'dot' "
            r"or 'concat', received score_mode='general'",
        ),
        (lambda: L.AdditiveAttention(dropout=-0.2), r"dropout must be in \[0, 1\)"),
    ],
)
def test_bad_arguments(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_wrong_input_rank():
    with pytest.raises(ValueError, match=r"MultiHeadAttention '.*': query, value and key must"):
        L.MultiHeadAttention(2, 2)(np.zeros((1, 3, 4), "float32"), np.zeros((3, 4), "float32"))
    with pytest.raises(ValueError, match=r"Attention '.*': inputs must be a list \[query, value\]"):
        L.Attention()(np.zeros((1, 3, 4), "float32"))


def test_mha_attention_axes_on_higher_rank_inputs_as_keras():
    # values from Keras 3.15 on TF 2.21 with the same seeded inputs and weights
    rng = np.random.default_rng(0)
    expected = {
        None: ((2, 2, 3, 4, 3, 4), [1.2945, 1.3477, -0.9931, 0.4145], [0.072, 0.0361], 46.36),
        (2,): ((2, 3, 2, 4, 4), [0.8256, -1.0427, 0.8877, 1.3244], [0.2752, 0.1653], 41.571),
    }
    for axes, (score_shape, first, first_scores, total) in expected.items():
        layer = L.MultiHeadAttention(2, 3, attention_axes=axes)
        assert layer.get_config()["attention_axes"] == axes
        q = rng.normal(size=(2, 3, 4, 5)).astype("float32")
        kv = rng.normal(size=(2, 3, 4, 5)).astype("float32")
        layer(q, kv)
        assert [tuple(w.shape) for w in layer.weights[:2]] == [(5, 2, 3), (2, 3)]
        layer.set_weights([rng.normal(size=w.shape).astype("float32") * 0.5 for w in layer.weights])
        out, scores = layer(q, kv, return_attention_scores=True)
        assert out.shape == (2, 3, 4, 5) and scores.shape == score_shape
        np.testing.assert_allclose(out.numpy().ravel()[:4], first, atol=1e-3)
        np.testing.assert_allclose(scores.numpy().ravel()[:2], first_scores, atol=1e-3)
        np.testing.assert_allclose(out.numpy().sum(), total, atol=1e-2)
        assert layer.get_config()["attention_axes"] == (axes or (1, 2))  # resolved, as Keras
    five = L.MultiHeadAttention(2, 3, attention_axes=(1, -2), output_shape=6)
    x = np.ones((2, 3, 2, 2, 5), "float32")
    out, scores = five(x, x, return_attention_scores=True)
    assert out.shape == (2, 3, 2, 2, 6) and scores.shape == (2, 2, 2, 3, 2, 3, 2)
    assert five.attention_axes == (1, 3)
    with pytest.raises(ValueError, match="masks .* are not implemented"):
        L.MultiHeadAttention(2, 3)(x[..., 0, :], x[..., 0, :], use_causal_mask=True)
    with pytest.raises(ValueError, match="attention_axes must name distinct axes"):
        L.MultiHeadAttention(2, 3, attention_axes=(3,))(x[..., 0, :], x[..., 0, :])
    with pytest.raises(ValueError, match="must be an int, list, or tuple"):
        L.MultiHeadAttention(2, 3, attention_axes="1")


def test_mha_output_carries_the_query_mask():
    from gpuflow.layers._masks import get_mask

    emb = L.Embedding(5, 4, mask_zero=True)
    x = emb(np.array([[1, 2, 0]]))
    out = L.MultiHeadAttention(2, 2)(x, x)
    np.testing.assert_array_equal(get_mask(out).numpy(), [[True, True, False]])


def test_mha_takes_the_masks_off_its_inputs_as_keras():
    # Keras 3's MultiHeadAttention.call clears the masks of query, value and key (it handles
    # them itself): a second call on the same tensors attends over the padding too
    from gpuflow.layers._masks import get_mask

    rng = np.random.default_rng(1)
    emb = L.Embedding(6, 4, mask_zero=True, embeddings_initializer="uniform")
    mha = L.MultiHeadAttention(2, 3)
    q, kv = emb(np.array([[1, 2, 0]])), emb(np.array([[3, 4, 5, 0]]))
    first = mha(q, kv, kv, use_causal_mask=True)
    mha.set_weights([rng.normal(size=w.shape).astype("float32") for w in mha.get_weights()])
    q, kv = emb(np.array([[1, 2, 0]])), emb(np.array([[3, 4, 5, 0]]))
    masked, scores = mha(q, kv, kv, return_attention_scores=True)
    assert get_mask(q) is None and get_mask(kv) is None
    np.testing.assert_array_equal(get_mask(masked).numpy(), [[True, True, False]])
    assert np.allclose(scores.numpy()[0, :, :2, 3], 0.0)  # the padded key had no weight
    again, scores = mha(q, kv, kv, return_attention_scores=True)
    assert get_mask(again) is None
    assert np.all(scores.numpy()[0, :, :, 3] > 0.0)  # now it has
    assert first.shape == (1, 3, 4)


def test_multi_head_attention_weight_constraints():
    # Keras 3's kernel_constraint / bias_constraint reach the four projections (they raised)
    keras = gf.keras
    rng = np.random.default_rng(0)
    q = rng.normal(size=(16, 5, 8)).astype("float32")
    y = rng.normal(size=(16, 5, 8)).astype("float32") + 2.0
    inp = keras.Input((5, 8))
    mha = keras.layers.MultiHeadAttention(
        2, 4, kernel_constraint=keras.constraints.NonNeg(), bias_constraint="non_neg"
    )
    model = keras.Model(inp, mha(inp, inp))
    model.compile(keras.optimizers.SGD(0.5), "mse")
    model.fit(q, y, epochs=2, batch_size=8, verbose=0)
    assert len(mha.weights) == 8
    assert all((w.numpy() >= 0).all() for w in mha.weights)
    config = mha.get_config()
    assert config["kernel_constraint"]["class_name"] == "NonNeg"
    clone = keras.layers.MultiHeadAttention.from_config(config)
    assert isinstance(clone.bias_constraint, keras.constraints.NonNeg)


def test_mha_projection_properties_are_keras_views():
    # Keras 3: query_dense / key_dense / value_dense / output_dense expose the projections
    mha = L.MultiHeadAttention(num_heads=2, key_dim=4, value_dim=3)
    assert mha.output_dense is None  # made once a query is seen
    q = gf.constant(np.ones((1, 5, 6), "float32"))
    v = gf.constant(np.ones((1, 7, 8), "float32"))
    mha(q, v)
    assert mha.query_dense.kernel.shape == (6, 2, 4)
    assert mha.key_dense.kernel.shape == (8, 2, 4)
    assert mha.value_dense.kernel.shape == (8, 2, 3)
    assert mha.output_dense.kernel.shape == (2, 3, 6)
    assert mha.query_dense.bias.shape == (2, 4) and mha.output_dense.bias.shape == (6,)
    ids = {id(w) for w in mha.weights}
    for dense in (mha.query_dense, mha.key_dense, mha.value_dense, mha.output_dense):
        assert id(dense.kernel) in ids
    with pytest.raises(AttributeError):
        mha.query_dense = None


def test_multi_head_attention_use_gate(tmp_path):
    """Keras 3.15's gated attention: sigmoid(query projection) scales the heads' output."""
    rng = np.random.default_rng(0)
    q = rng.random((2, 4, 6), dtype=np.float32)
    v = rng.random((2, 5, 6), dtype=np.float32)
    gated = gf.keras.layers.MultiHeadAttention(2, 3, use_gate=True)
    y, scores = gated(q, v, return_attention_scores=True)
    names = [w.path.split("/")[-2] + "/" + w.name for w in gated.weights]
    assert names[4:6] == ["gate/kernel", "gate/bias"] and len(names) == 10
    gate_k, gate_b = gated.weights[4].numpy(), gated.weights[5].numpy()
    value_k, value_b = gated.weights[6].numpy(), gated.weights[7].numpy()
    out_k, out_b = gated.weights[8].numpy(), gated.weights[9].numpy()
    gate = 1 / (1 + np.exp(-(np.einsum("btd,dhv->bthv", q, gate_k) + gate_b)))
    values = np.einsum("bsd,dhv->bshv", v, value_k) + value_b
    heads = np.einsum("bhts,bshv->bthv", scores.numpy(), values)
    want = np.einsum("bthv,hvo->bto", heads * gate, out_k) + out_b
    np.testing.assert_allclose(y.numpy(), want, rtol=1e-5, atol=1e-6)
    assert gated.get_config()["use_gate"] is True
    assert gf.keras.layers.MultiHeadAttention(2, 3).get_config()["use_gate"] is False
    qi, vi = gf.keras.Input((4, 6)), gf.keras.Input((5, 6))
    model = gf.keras.Model(
        [qi, vi], gf.keras.layers.MultiHeadAttention(2, 3, use_gate=True)(qi, vi)
    )
    path = str(tmp_path / "gated.keras")
    model.save(path)
    loaded = gf.keras.models.load_model(path)
    np.testing.assert_allclose(loaded.predict([q, v], verbose=0), model.predict([q, v], verbose=0))


def _fully_masked_row_case(layer_cls, **kwargs):
    """Row 1 of the query sees no key: Keras' scores path gives it zero weights (the Softmax
    layer zeroes masked outputs), its fused path (no scores, no dropout) averages uniformly."""
    rng = np.random.default_rng(4)
    q = rng.normal(size=(1, 3, 4)).astype("float32")
    v = rng.normal(size=(1, 4, 4)).astype("float32")
    mask = np.array([[[1, 1, 0, 1], [0, 0, 0, 0], [1, 0, 0, 0]]], dtype=bool)
    layer = layer_cls(**kwargs)
    out, scores = layer(q, v, attention_mask=mask, return_attention_scores=True)
    fused = layer(q, v, attention_mask=mask).numpy()
    return layer, q, v, mask, out.numpy(), scores.numpy(), fused


@pytest.mark.parametrize(
    "layer_cls,kwargs",
    [
        (L.MultiHeadAttention, {"num_heads": 2, "key_dim": 3}),
        (
            L.GroupQueryAttention,
            {"head_dim": 3, "num_query_heads": 2, "num_key_value_heads": 1},
        ),
    ],
)
def test_fully_masked_query_row_follows_keras_paths(layer_cls, kwargs):
    layer, q, v, mask, out, scores, fused = _fully_masked_row_case(layer_cls, **kwargs)
    np.testing.assert_array_equal(scores[0, :, 1], 0.0)  # every head: zeros, not 1/4
    np.testing.assert_array_equal(scores[0][:, ~mask[0]], 0.0)
    np.testing.assert_allclose(scores[0, :, 0].sum(-1), 1.0, rtol=1e-6)
    # Rows with a visible key agree across both paths; the masked row differs as in Keras.
    np.testing.assert_allclose(fused[:, [0, 2]], out[:, [0, 2]], rtol=1e-5, atol=1e-6)
    value_only = layer._value_dense(gf.constant(v)).numpy().mean(axis=1)  # uniform average
    if isinstance(layer, L.MultiHeadAttention):
        expected = layer._output_dense(gf.constant(value_only[:, None])).numpy()[0, 0]
        np.testing.assert_allclose(fused[0, 1], expected, rtol=1e-5, atol=1e-6)
    with_dropout = layer_cls(dropout=0.5, **kwargs)
    with_dropout(q, v)
    with_dropout.set_weights(layer.get_weights())
    zeroed = with_dropout(q, v, attention_mask=mask).numpy()  # scores path: no attention
    np.testing.assert_allclose(zeroed[:, [0, 2]], out[:, [0, 2]], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(zeroed[0, 1], out[0, 1], rtol=1e-5, atol=1e-6)


def test_softmax_layer_zeroes_masked_positions():
    x = np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]], dtype="float32")
    mask = np.array([[True, False, True], [False, False, False]])
    y = L.Softmax()(x, mask=gf.constant(mask)).numpy()
    e = np.exp(x[0, [0, 2]] - x[0, [0, 2]].max())
    np.testing.assert_allclose(y[0], [e[0] / e.sum(), 0.0, e[1] / e.sum()], rtol=1e-6)
    np.testing.assert_array_equal(y[1], 0.0)  # all masked: zeros, not a uniform 1/3


def test_mha_sliding_window_band_as_keras():
    rng = np.random.default_rng(6)
    x = rng.normal(size=(1, 5, 4)).astype("float32")
    layer = L.MultiHeadAttention(2, 3, sliding_window=2)
    _, scores = layer(x, x, return_attention_scores=True)
    band = np.abs(np.arange(5)[:, None] - np.arange(5)[None, :]) < 2
    scores = scores.numpy()
    np.testing.assert_array_equal(scores[0][:, ~band], 0.0)
    assert np.all(scores[0][:, band] > 0.0)
    _, causal = layer(x, x, use_causal_mask=True, return_attention_scores=True)
    np.testing.assert_array_equal(causal.numpy()[0][:, ~(band & np.tri(5, dtype=bool))], 0.0)
    assert layer.get_config()["sliding_window"] == 2
    assert L.MultiHeadAttention.from_config(layer.get_config()).sliding_window == 2
    with pytest.raises(ValueError, match="sliding_window` must be `None` or a positive"):
        L.MultiHeadAttention(2, 3, sliding_window=0)


def test_functional_run_keeps_masks_multi_head_attention_takes_off():
    """Keras 3 (checked on TF 2.21): MultiHeadAttention takes the masks off the tensors it is
    given, but in a functional model's run the layers after it still see the graph tensor's
    mask: Embedding(mask_zero) -> MHA(x, x) -> Add([x, attention]) -> pooling ignores the
    padding (an eager call on the same tensors afterwards sees none)."""
    tokens = gf.keras.Input((None,), dtype="int32")
    x = gf.keras.layers.Embedding(10, 4, mask_zero=True)(tokens)
    attention = gf.keras.layers.MultiHeadAttention(num_heads=2, key_dim=2)(x, x)
    pooled = gf.keras.layers.GlobalAveragePooling1D()(gf.keras.layers.Add()([x, attention]))
    model = gf.keras.Model(tokens, pooled)
    short = model(np.array([[1, 2, 3, 0]])).numpy()
    padded = model(np.array([[1, 2, 3, 0, 0, 0]])).numpy()
    np.testing.assert_allclose(short, padded, rtol=1e-5, atol=1e-6)


def test_integer_masks_select_as_bool_masks():
    # int32 masks (as tokenizers give) with float scores: no float threshold meets the ints
    mha = gf.keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)
    q = gf.ones((2, 3, 8))
    ints = gf.constant([[[1, 1, 0]] * 3, [[1, 0, 0]] * 3])
    np.testing.assert_allclose(
        mha(q, q, attention_mask=ints).numpy(),
        mha(q, q, attention_mask=gf.cast(ints, "bool")).numpy(),
    )
    soft = gf.keras.layers.Softmax()(gf.ones((2, 3)), mask=gf.constant([[1, 1, 0], [1, 0, 0]]))
    np.testing.assert_allclose(soft.numpy(), [[0.5, 0.5, 0.0], [1.0, 0.0, 0.0]])
    att = gf.keras.layers.Attention()
    got = att([gf.ones((1, 2, 4)), gf.ones((1, 3, 4))], mask=[None, gf.constant([[1, 1, 0]])])
    assert got.shape == (1, 2, 4)
