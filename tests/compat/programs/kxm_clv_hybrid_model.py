# keras.io "Deep Learning for Customer Lifetime Value": a StringLookup one_hot country input fed
# to an Embedding, RepeatVector, attention and LSTM branches merged into a sequence decoder with a
# recurrent regularizer (keras_hub's TransformerEncoder replaced by MultiHeadAttention)
import keras
import numpy as np
from keras import Model, layers, ops, regularizers

STEPS = 6
countries = np.array(["UK", "France", "UK", "Germany", "UK", "Spain", "France", "UK"] * 3)
lookup = layers.StringLookup(output_mode="one_hot", num_oov_indices=1)
lookup.adapt(countries)
assert list(lookup.get_vocabulary()) == ["[UNK]", "UK", "France", "Spain", "Germany"]
country_onehot = lookup(countries)
assert tuple(country_onehot.shape) == (24, 5) and country_onehot.dtype == "int64"
np.testing.assert_array_equal(
    ops.convert_to_numpy(country_onehot)[:2], [[0, 1, 0, 0, 0], [0, 0, 1, 0, 0]]
)
np.testing.assert_array_equal(ops.convert_to_numpy(lookup(np.array(["Italy"]))), [[1, 0, 0, 0, 0]])
num_countries = len(np.unique(countries)) + 1

rng = np.random.default_rng(0)
temporal = rng.normal(size=(24, STEPS, 5)).astype("float32")
trend = rng.uniform(size=(24, STEPS, 12)).astype("float32")
target = rng.uniform(size=(24, STEPS)).astype("float32")

keras.utils.set_random_seed(seed=42)
t_in = layers.Input(shape=(STEPS, 5), name="temporal_inputs")
r_in = layers.Input(shape=(STEPS, 12), name="trend_inputs")
c_in = layers.Input(shape=(num_countries,), dtype="int32", name="country_inputs")
emb = layers.Embedding(input_dim=num_countries, output_dim=4, name="country_embedding")(c_in)
assert emb.shape == (None, num_countries, 4)
emb = layers.RepeatVector(STEPS)(layers.Flatten()(emb))
x = layers.Concatenate()([layers.Dense(4, activation="tanh")(t_in), emb])
assert x.shape == (None, STEPS, 4 + 4 * num_countries)
attn = layers.MultiHeadAttention(num_heads=2, key_dim=4)(x, x)
x = layers.LayerNormalization()(x + attn)
summary = layers.Dense(1, activation="sigmoid")(layers.GlobalAveragePooling1D()(x))
trend_state = layers.LSTM(units=8, name="lstm_trend")(r_in)
merged = layers.Concatenate()([summary, trend_state])
decoded = layers.LSTM(
    units=8, return_sequences=True, recurrent_regularizer=regularizers.L1L2(l1=1e-5, l2=1e-4)
)(layers.RepeatVector(STEPS)(merged))
out = layers.Dense(units=1, name="output_dense")(decoded)
model = Model(inputs=[t_in, r_in, c_in], outputs=out)
assert model.output_shape == (None, STEPS, 1)
assert len(model.losses) == 1  # the recurrent regularizer's penalty
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001), loss="mse", metrics=["mse"])
hist = model.fit(
    [temporal, trend, country_onehot],
    target,
    validation_split=0.25,
    epochs=2,
    batch_size=9,
    verbose=0,
)
assert sorted(hist.history) == ["loss", "mse", "val_loss", "val_mse"]
# the loss adds the regularization penalty to the mse metric
assert hist.history["loss"][0] > hist.history["mse"][0]
pred = model.predict([temporal, trend, country_onehot], verbose=0)
assert pred.shape == (24, STEPS, 1) and pred.dtype == np.float32

# the example's metric code mixes keras.ops casts and NumPy reductions
y_true = ops.cast(target, dtype="float32")
y_pred = ops.cast(pred[..., 0], dtype="float32")
rmse = np.sqrt(np.mean(np.square(y_true - y_pred)))
r2 = 1 - np.sum(np.square(y_true - y_pred)) / np.sum(np.square(y_true - np.mean(y_true)))
assert np.asarray(rmse).dtype == np.float32 and rmse > 0 and r2 < 1
print("ok")
