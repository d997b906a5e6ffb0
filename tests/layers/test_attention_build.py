"""MultiHeadAttention / GroupedQueryAttention built from shapes, as Keras 3's
``build(query_shape, value_shape, key_shape=None)`` (a parent layer's build may call it),
and the automatic names of the Softmax / Dropout layers Keras 3 makes inside them."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf

keras = gf.keras
layers = keras.layers


class _Block(layers.Layer):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.att = layers.MultiHeadAttention(num_heads=2, key_dim=4, output_shape=6)
        self.gqa = layers.GroupQueryAttention(head_dim=4, num_query_heads=2, num_key_value_heads=1)

    def build(self, input_shape) -> None:
        self.att.build(input_shape, input_shape)
        self.gqa.build(input_shape, (None, 5, 8))

    def call(self, x, context):
        return self.att(x, x), self.gqa(x, context)


def test_build_from_shapes_makes_the_weights_under_the_layer_path():
    block = _Block(name="block")
    block.build((None, 3, 8))
    assert block.att.built and block.gqa.built
    # values from TensorFlow 2.21
    assert [tuple(w.shape) for w in block.att.weights] == [
        (8, 2, 4), (2, 4), (8, 2, 4), (2, 4), (8, 2, 4), (2, 4), (2, 4, 6), (6,)
    ]  # fmt: skip
    assert block.att.weights[0].path == "block/multi_head_attention/query/kernel"
    assert [tuple(w.shape) for w in block.gqa.weights] == [
        (8, 2, 4), (2, 4), (8, 1, 4), (1, 4), (8, 1, 4), (1, 4), (2, 4, 8), (8,)
    ]  # fmt: skip
    kernel = block.att.weights[0].numpy().copy()
    out, grouped = block(np.ones((2, 3, 8), "float32"), np.ones((2, 5, 8), "float32"))
    assert tuple(out.shape) == (2, 3, 6) and tuple(grouped.shape) == (2, 3, 8)
    assert len(block.weights) == 16
    np.testing.assert_array_equal(block.att.weights[0].numpy(), kernel)  # not rebuilt


def test_inner_softmax_and_dropout_take_their_names():
    keras.backend.clear_session()
    x = keras.Input((3, 8))
    layers.MultiHeadAttention(2, 4)(x, x)
    layers.GroupQueryAttention(head_dim=4, num_query_heads=2, num_key_value_heads=1)(x, x)
    assert layers.Dropout(0.1).name == "dropout_2"
    assert layers.Softmax().name == "softmax_2"


def test_projections_are_einsum_dense_and_quantize_as_keras(tmp_path):
    inp = keras.Input((5, 8))
    out = keras.layers.GlobalAveragePooling1D()(keras.layers.MultiHeadAttention(2, 4)(inp, inp))
    model = keras.Model(inp, keras.layers.Dense(3)(out))
    mha = model.layers[1]
    assert isinstance(mha.query_dense, keras.layers.EinsumDense)
    assert mha.query_dense.equation == "abc,cde->abde"
    assert mha.output_dense.equation == "abcd,cde->abe"
    assert mha.output_dense.bias_axes == "e"
    x = np.random.default_rng(0).normal(size=(2, 5, 8)).astype("float32")
    before = model(x).numpy()
    model.quantize("int8")
    assert mha.query_dense.quantization_mode == "int8"
    assert [w.name for w in mha.query_dense.weights] == ["bias", "kernel", "kernel_scale"]
    after = model(x).numpy()
    assert 0 < np.abs(after - before).max() < 0.05  # int8 rounding, not the float result
    model.save(tmp_path / "q.keras")
    # as Keras 3.15: the attention's config does not say its projections are quantized, so
    # the file's int8 weights do not fit the float projections a load makes
    with pytest.raises(ValueError, match="'key'"):
        keras.models.load_model(tmp_path / "q.keras")


def test_projection_equations_follow_the_input_rank():
    layer = keras.layers.MultiHeadAttention(2, 3, attention_axes=(1, 2))
    x = np.random.default_rng(1).normal(size=(2, 4, 5, 6)).astype("float32")
    assert layer(x, x).shape == (2, 4, 5, 6)
    assert layer.query_dense.equation == "abcd,def->abcef"
    assert layer.output_dense.equation == "abcde,def->abcf"
    assert tuple(layer.query_dense.kernel.shape) == (6, 2, 3)


def test_group_query_attention_projections_use_keras_equations():
    layer = keras.layers.GroupQueryAttention(head_dim=4, num_query_heads=4, num_key_value_heads=2)
    x = np.random.default_rng(2).normal(size=(2, 5, 8)).astype("float32")
    before = layer(x, x).numpy()
    assert layer._query_dense.equation == "bqm,muh->bquh"
    assert layer._key_dense.equation == "bkm,mvh->bkvh"
    assert layer._output_dense.equation == "bquh,uhm->bqm"
    assert layer._query_dense.bias_axes == "uh" and layer._output_dense.bias_axes == "m"
    for projection in (layer._query_dense, layer._key_dense, layer._output_dense):
        projection.quantize("int8")
    np.testing.assert_allclose(layer(x, x).numpy(), before, atol=0.05)
