"""Built-in layers' get_config keys come in Keras 3's order (users print configs)."""

import gpuflow as gf
from gpuflow.layers.config_order import keras_order

L = gf.keras.layers

_BASE = ["name", "trainable", "dtype"]
_CONV = [
    "filters",
    "kernel_size",
    "strides",
    "padding",
    "data_format",
    "dilation_rate",
    "groups",
    "activation",
    "use_bias",
    "kernel_initializer",
    "bias_initializer",
    "kernel_regularizer",
    "bias_regularizer",
    "activity_regularizer",
    "kernel_constraint",
    "bias_constraint",
]


def test_keras_order_keeps_keys_and_values():
    config = {"b": 2, "name": "x", "z": 26, "a": 1, "dtype": "float32"}
    out = keras_order(config, ("a", "b", "missing"))
    assert list(out) == ["name", "dtype", "a", "b", "z"]
    assert out == config


def test_conv_keys_in_keras_order():
    assert list(L.Conv2D(2, 3).get_config()) == _BASE + _CONV
    assert list(L.Conv1D(2, 3).get_config()) == _BASE + _CONV
    assert list(L.Conv3D(2, 3).get_config()) == _BASE + _CONV
    transpose = [k for k in _CONV if k != "groups"]
    transpose.insert(transpose.index("data_format"), "output_padding")
    assert list(L.Conv2DTranspose(2, 3).get_config()) == _BASE + transpose


def test_depthwise_and_separable_keys_in_keras_order():
    assert list(L.DepthwiseConv2D(3).get_config()) == _BASE + [
        "depth_multiplier",
        "kernel_size",
        "strides",
        "padding",
        "data_format",
        "dilation_rate",
        "activation",
        "use_bias",
        "depthwise_initializer",
        "bias_initializer",
        "depthwise_regularizer",
        "bias_regularizer",
        "activity_regularizer",
        "depthwise_constraint",
        "bias_constraint",
    ]
    keys = list(L.SeparableConv2D(2, 3).get_config())
    assert keys[3:6] == ["depth_multiplier", "filters", "kernel_size"]
    assert keys[-4:] == [
        "activity_regularizer",
        "depthwise_constraint",
        "pointwise_constraint",
        "bias_constraint",
    ]


def test_pooling_dropout_embedding_rnn_keys_in_keras_order():
    for layer in (L.MaxPooling2D(), L.AveragePooling1D(2), L.MaxPooling3D()):
        assert list(layer.get_config()) == _BASE + [
            "pool_size",
            "padding",
            "strides",
            "data_format",
        ]
    assert list(L.Dropout(0.5).get_config()) == _BASE + ["rate", "seed", "noise_shape"]
    assert list(L.Embedding(5, 2).get_config())[3:8] == [
        "input_dim",
        "output_dim",
        "embeddings_initializer",
        "embeddings_regularizer",
        "activity_regularizer",
    ]
    lstm = list(L.LSTM(2).get_config())
    assert lstm[3:10] == [
        "return_sequences",
        "return_state",
        "go_backwards",
        "stateful",
        "unroll",
        "zero_output_for_mask",
        "units",
    ]
    assert lstm[10:12] == ["activation", "recurrent_activation"]
    assert lstm[-3:] == ["dropout", "recurrent_dropout", "seed"]
    assert list(L.GRU(2).get_config())[-3:] == ["recurrent_dropout", "reset_after", "seed"]


def test_reordered_configs_round_trip():
    for layer in (
        L.Conv2D(4, 3, padding="same"),
        L.LSTM(3, return_sequences=True),
        L.Embedding(7, 2),
    ):
        clone = type(layer).from_config(layer.get_config())
        assert clone.get_config() == layer.get_config()


def test_random_initializer_configs_start_with_seed():
    init = gf.keras.initializers
    assert list(init.RandomUniform().get_config()) == ["seed", "minval", "maxval"]
    assert list(init.RandomNormal().get_config()) == ["seed", "mean", "stddev"]
    assert list(init.TruncatedNormal(seed=3).get_config()) == ["seed", "mean", "stddev"]
    assert list(init.Orthogonal().get_config()) == ["seed", "gain"]
    config = init.VarianceScaling(scale=2.0, seed=1).get_config()
    assert list(config)[:4] == ["seed", "scale", "mode", "distribution"]
    assert config["seed"] == 1 and config["scale"] == 2.0


def test_spatial_dropout_config_as_keras():
    config = L.SpatialDropout1D(0.25, seed=4, name="sd").get_config()
    assert config == {"rate": 0.25, "seed": 4, "name": "sd", "dtype": "float32"}
    config = L.SpatialDropout2D(0.1).get_config()
    assert list(config) == ["rate", "seed", "name", "dtype", "data_format"]
    clone = L.SpatialDropout2D.from_config(config)
    assert (clone.rate, clone.data_format, clone.dtype) == (0.1, "channels_last", "float32")


def test_attention_keys_in_keras_order():
    assert list(L.Attention().get_config())[3:] == ["use_scale", "score_mode", "dropout", "seed"]
    assert list(L.AdditiveAttention().get_config())[3:] == ["use_scale", "dropout", "seed"]
    keys = list(L.MultiHeadAttention(2, 4).get_config())
    assert keys[3:7] == ["num_heads", "key_dim", "value_dim", "dropout"]
    assert keys.index("sliding_window") == keys.index("attention_axes") + 1
    assert keys.index("activity_regularizer") == keys.index("bias_regularizer") + 1


def test_simple_rnn_config_has_no_seed_as_keras():
    config = L.SimpleRNN(3, seed=5).get_config()
    assert "seed" not in config and list(config)[-2:] == ["dropout", "recurrent_dropout"]
    assert L.SimpleRNN.from_config(config).units == 3
    assert L.LSTM(3, seed=5).get_config()["seed"] == 5
