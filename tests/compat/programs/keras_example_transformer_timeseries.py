# keras.io "Timeseries classification with a Transformer model": transformer encoder
# blocks (LayerNormalization, MultiHeadAttention with dropout, residuals, a Conv1D
# feed-forward), GlobalAveragePooling1D(data_format="channels_last" / "channels_first"),
# an MLP head with Dropout, EarlyStopping(restore_best_weights=True).
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(8)
rng = np.random.default_rng(8)
length = 32
t = np.linspace(0, 1, length, dtype="float32")


def make(n):
    # four channels: a sine, the same sine (class 1) or its negation (class 0), and noise
    y = rng.integers(0, 2, n)
    base = np.sin(2 * np.pi * 3 * t[None] + rng.uniform(0, 6.28, (n, 1)))
    second = np.where(y[:, None] == 1, base, -base)
    x = np.stack([base, second, rng.normal(size=(n, length)), rng.normal(size=(n, length))], -1)
    return (x + 0.1 * rng.normal(size=x.shape)).astype("float32"), y


x_train, y_train = make(256)
x_test, y_test = make(64)
n_classes = 2


def transformer_encoder(inputs, head_size, num_heads, ff_dim, dropout=0):
    x = layers.LayerNormalization(epsilon=1e-6)(inputs)
    x = layers.MultiHeadAttention(key_dim=head_size, num_heads=num_heads, dropout=dropout)(x, x)
    x = layers.Dropout(dropout)(x)
    res = x + inputs
    x = layers.LayerNormalization(epsilon=1e-6)(res)
    x = layers.Conv1D(filters=ff_dim, kernel_size=1, activation="relu")(x)
    x = layers.Dropout(dropout)(x)
    x = layers.Conv1D(filters=inputs.shape[-1], kernel_size=1)(x)
    return x + res


def build_model(
    input_shape,
    head_size,
    num_heads,
    ff_dim,
    num_transformer_blocks,
    mlp_units,
    dropout=0,
    mlp_dropout=0,
):
    inputs = keras.Input(shape=input_shape)
    x = inputs
    for _ in range(num_transformer_blocks):
        x = transformer_encoder(x, head_size, num_heads, ff_dim, dropout)
    x = layers.GlobalAveragePooling1D(data_format="channels_last")(x)
    for dim in mlp_units:
        x = layers.Dense(dim, activation="relu")(x)
        x = layers.Dropout(mlp_dropout)(x)
    outputs = layers.Dense(n_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


model = build_model(
    x_train.shape[1:],
    head_size=16,
    num_heads=2,
    ff_dim=4,
    num_transformer_blocks=2,
    mlp_units=[16],
    mlp_dropout=0.2,
    dropout=0.1,
)
mha = [layer for layer in model.layers if isinstance(layer, layers.MultiHeadAttention)]
assert len(mha) == 2
# query / key / value / output projections: (4, 2, 16) kernels for four input features
assert mha[0].query_dense.kernel.shape == (4, 2, 16)
assert mha[0].output_dense.kernel.shape == (2, 16, 4)
assert mha[0].num_heads == 2 and mha[0].key_dim == 16
model.compile(
    loss="sparse_categorical_crossentropy",
    optimizer=keras.optimizers.Adam(learning_rate=3e-3),
    metrics=["sparse_categorical_accuracy"],
)
callbacks = [keras.callbacks.EarlyStopping(patience=4, restore_best_weights=True)]
history = model.fit(
    x_train, y_train, validation_split=0.2, epochs=15, batch_size=32, callbacks=callbacks, verbose=0
)
loss, acc = model.evaluate(x_test, y_test, verbose=0)
assert acc > 0.85, (acc, history.history)

# the attention scores: one (heads, query, key) matrix per example, rows summing to 1
seq = tf.constant(x_test[:3])
out, scores = mha[0](seq, seq, return_attention_scores=True)
assert out.shape == (3, length, 4) and scores.shape == (3, 2, length, length)
np.testing.assert_allclose(tf.reduce_sum(scores, axis=-1).numpy(), 1.0, rtol=1e-5)

# GlobalAveragePooling1D: channels_first averages the last axis
pooled_last = layers.GlobalAveragePooling1D(data_format="channels_last")(x_test[:2])
pooled_first = layers.GlobalAveragePooling1D(data_format="channels_first")(x_test[:2])
np.testing.assert_allclose(pooled_last.numpy(), x_test[:2].mean(axis=1), rtol=1e-5, atol=1e-6)
np.testing.assert_allclose(pooled_first.numpy(), x_test[:2].mean(axis=2), rtol=1e-5, atol=1e-6)
assert pooled_first.shape == (2, length)
# a padding mask averages only the unmasked steps
mask = np.arange(length)[None] < np.array([[8], [16]])
masked = layers.GlobalAveragePooling1D()(x_test[:2], mask=mask)
np.testing.assert_allclose(
    masked.numpy(), [x_test[0, :8].mean(0), x_test[1, :16].mean(0)], rtol=1e-5, atol=1e-6
)
print("test accuracy", acc, "epochs", len(history.history["loss"]))
