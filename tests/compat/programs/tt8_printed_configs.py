"""What tutorial readers print: layer and initializer configs, key by key, in Keras' order."""

import tensorflow as tf

layers = tf.keras.layers

# A small CNN as in the image tutorials; its printed configs list keys in a fixed order.
conv = layers.Conv2D(8, 3, padding="same", activation="relu")
conv_keys = list(conv.get_config())
print(conv_keys)
assert conv_keys[:4] == ["name", "trainable", "dtype", "filters"]
assert conv_keys.index("activity_regularizer") == conv_keys.index("bias_regularizer") + 1
assert conv_keys[-2:] == ["kernel_constraint", "bias_constraint"]
assert conv.get_config()["kernel_size"] == (3, 3)
assert conv.get_config()["activation"] == "relu"

one_d = list(layers.Conv1D(4, 5).get_config())
assert one_d[3:6] == ["filters", "kernel_size", "strides"]
assert one_d == conv_keys

up = list(layers.Conv2DTranspose(4, 3, strides=2).get_config())
assert up[3:9] == ["filters", "kernel_size", "strides", "padding", "output_padding", "data_format"]

pool = layers.MaxPooling2D().get_config()
print(pool)
assert list(pool)[3:] == ["pool_size", "padding", "strides", "data_format"]
assert pool["pool_size"] == (2, 2) and pool["strides"] == (2, 2)

drop = layers.Dropout(0.3).get_config()
assert list(drop)[3:] == ["rate", "seed", "noise_shape"]

spatial = layers.SpatialDropout1D(0.2).get_config()
print(spatial)
assert spatial == {"rate": 0.2, "seed": None, "name": spatial["name"], "dtype": "float32"}
assert list(spatial) == ["rate", "seed", "name", "dtype"]

# Text models: Embedding + LSTM/GRU
emb = list(layers.Embedding(100, 8, mask_zero=True).get_config())
assert emb[3:8] == [
    "input_dim",
    "output_dim",
    "embeddings_initializer",
    "embeddings_regularizer",
    "activity_regularizer",
]
lstm = layers.LSTM(16, return_sequences=True).get_config()
keys = list(lstm)
assert keys[3] == "return_sequences" and lstm["return_sequences"] is True
assert keys[keys.index("units") : keys.index("units") + 3] == [
    "units",
    "activation",
    "recurrent_activation",
]
assert keys[-3:] == ["dropout", "recurrent_dropout", "seed"]
assert list(lstm["recurrent_initializer"]["config"]) == ["seed", "gain"]
assert list(layers.GRU(4).get_config())[-2:] == ["reset_after", "seed"]
simple = layers.SimpleRNN(4, seed=3).get_config()
assert "seed" not in simple and list(simple)[-2:] == ["dropout", "recurrent_dropout"]

attn = layers.MultiHeadAttention(num_heads=2, key_dim=4).get_config()
assert list(attn)[3:7] == ["num_heads", "key_dim", "value_dim", "dropout"]
assert list(layers.Attention().get_config())[3:] == ["use_scale", "score_mode", "dropout", "seed"]

# Initializers print seed first.
init = tf.keras.initializers
print(init.RandomNormal(stddev=0.02).get_config())
assert list(init.RandomNormal(stddev=0.02).get_config()) == ["seed", "mean", "stddev"]
assert list(init.RandomUniform(-1, 1).get_config()) == ["seed", "minval", "maxval"]
assert init.RandomUniform(-1, 1, seed=7).get_config() == {"seed": 7, "minval": -1, "maxval": 1}
assert list(init.HeNormal().get_config())[0] == "seed"

# Reordered configs still round-trip.
clone = layers.Conv2D.from_config(conv.get_config())
assert clone.get_config() == conv.get_config()

# The text tutorials print the learned vocabulary: learned tokens are NumPy scalars.
import numpy as np  # noqa: E402

vectorize = layers.TextVectorization(max_tokens=8)
vectorize.adapt(["a red fox", "a red hen"])
vocab = vectorize.get_vocabulary()
print(vocab)
assert vocab[:4] == ["", "[UNK]", "red", "a"]
assert type(vocab[1]) is str and type(vocab[2]) is np.str_
ids = layers.IntegerLookup()
ids.adapt(np.array([4, 4, 9]))
print(ids.get_vocabulary())
assert ids.get_vocabulary() == [-1, 4, 9] and type(ids.get_vocabulary()[1]) is np.int64
assert ids.get_vocabulary(include_special_tokens=False) == [4, 9]


# A user layer without get_config: Keras keeps "name" only for a **kwargs named kwargs.
class Scaled(layers.Layer):
    def __init__(self, factor=2.0, **kw):
        super().__init__(**kw)
        self.factor = factor


class Shifted(layers.Layer):
    def __init__(self, shift=1.0, **kwargs):
        super().__init__(**kwargs)
        self.shift = shift


print(Scaled(name="s").get_config())
assert "name" not in Scaled(name="s").get_config()
assert Scaled(3.0).get_config()["factor"] == 3.0
assert Shifted(name="t").get_config()["name"] == "t"
print("ok")
