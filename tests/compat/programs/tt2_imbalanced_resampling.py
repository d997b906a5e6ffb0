# The "Classification on imbalanced data" tutorial's other half, small: features clipped to
# [-5, 5] after standardising, the initial loss with and without the careful output bias,
# initial weights saved with save_weights and reloaded with load_weights (bias zeroed), and
# oversampling: NumPy resampling of the positives, then tf.data with
# Dataset.sample_from_datasets(weights=[0.5, 0.5]) over repeated datasets and a fit with
# steps_per_epoch.
import os
import tempfile

import numpy as np
import tensorflow as tf
from tensorflow import keras

keras.utils.set_random_seed(21)
np.random.seed(21)
rng = np.random.default_rng(21)
n = 3000
features = rng.standard_normal((n, 5)).astype("float32") * [1, 2, 1, 5, 1] + [0, 3, 0, 0, 1]
logit = 1.5 * features[:, 0] - 0.6 * features[:, 1] + 0.3 * features[:, 3]
labels = (logit > 2.4).astype("float32")
neg, pos = np.bincount(labels.astype(int))
assert 0.01 * n < pos < 0.06 * n, pos

train_features, val_features = features[:2400], features[2400:]
train_labels, val_labels = labels[:2400], labels[2400:]
mean, std = train_features.mean(axis=0), train_features.std(axis=0)
train_features = np.clip((train_features - mean) / std, -5, 5)
val_features = np.clip((val_features - mean) / std, -5, 5)
assert train_features.min() >= -5 and train_features.max() <= 5
bool_train_labels = train_labels != 0
pos_features = train_features[bool_train_labels]
neg_features = train_features[~bool_train_labels]
pos_labels = train_labels[bool_train_labels]
neg_labels = train_labels[~bool_train_labels]
t_neg, t_pos = len(neg_labels), len(pos_labels)

BATCH_SIZE = 256


def make_model(output_bias=None):
    if output_bias is not None:
        output_bias = tf.keras.initializers.Constant(output_bias)
    model = keras.Sequential(
        [
            keras.Input(shape=(train_features.shape[-1],)),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dropout(0.5),
            keras.layers.Dense(1, activation="sigmoid", bias_initializer=output_bias),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=1e-2),
        loss=keras.losses.BinaryCrossentropy(),
        metrics=[keras.metrics.AUC(name="prc", curve="PR"), keras.metrics.Recall(name="recall")],
    )
    return model


# zero output bias: the first loss is near log(2); with log(pos/neg) it is near the entropy
model = make_model()
model.layers[0].kernel.assign(model.layers[0].kernel * 0.01)  # outputs near the bias alone
# Keras 3 reads bias_initializer=None as its default weight initializer (not zeros)
assert model.layers[-1].bias.numpy()[0] != 0.0
model.layers[-1].bias.assign([0.0])
zero_bias_loss = model.evaluate(train_features, train_labels, batch_size=BATCH_SIZE, verbose=0)[0]
np.testing.assert_allclose(zero_bias_loss, np.log(2), atol=0.05)
initial_bias = np.log([t_pos / t_neg])
model = make_model(output_bias=initial_bias)
model.layers[0].kernel.assign(model.layers[0].kernel * 0.01)
biased_loss = model.evaluate(train_features, train_labels, batch_size=BATCH_SIZE, verbose=0)[0]
p0 = t_pos / (t_pos + t_neg)
np.testing.assert_allclose(biased_loss, -p0 * np.log(p0) - (1 - p0) * np.log(1 - p0), atol=0.02)
assert biased_loss < 0.5 * zero_bias_loss

initial_weights = os.path.join(tempfile.mkdtemp(), "initial.weights.h5")
model.save_weights(initial_weights)
model = make_model()
model.load_weights(initial_weights)
np.testing.assert_allclose(model.layers[-1].bias.numpy(), initial_bias, rtol=1e-6)
model.layers[-1].bias.assign([0.0])
assert float(model.layers[-1].bias[0]) == 0.0
model.load_weights(initial_weights)  # back to the careful bias

# oversampling with NumPy
ids = np.arange(len(pos_features))
choices = np.random.choice(ids, len(neg_features))
res_pos_features = pos_features[choices]
res_pos_labels = pos_labels[choices]
assert res_pos_features.shape == neg_features.shape
resampled_features = np.concatenate([res_pos_features, neg_features], axis=0)
resampled_labels = np.concatenate([res_pos_labels, neg_labels], axis=0)
order = np.arange(len(resampled_labels))
np.random.shuffle(order)
resampled_features = resampled_features[order]
resampled_labels = resampled_labels[order]
assert resampled_features.shape == (2 * t_neg, 5) and resampled_labels.mean() == 0.5

# oversampling with tf.data
BUFFER_SIZE = 100000


def make_ds(features, labels):
    ds = tf.data.Dataset.from_tensor_slices((features, labels))  # .cache()
    ds = ds.shuffle(BUFFER_SIZE).repeat()
    return ds


pos_ds = make_ds(pos_features, pos_labels)
neg_ds = make_ds(neg_features, neg_labels)
for features, label in pos_ds.take(1):
    assert features.shape == (5,) and float(label) == 1.0
resampled_ds = tf.data.Dataset.sample_from_datasets([pos_ds, neg_ds], weights=[0.5, 0.5])
resampled_ds = resampled_ds.batch(BATCH_SIZE).prefetch(2)
batch_means = [float(np.mean(label.numpy())) for _, label in resampled_ds.take(10)]
assert abs(np.mean(batch_means) - 0.5) < 0.05, batch_means
assert resampled_ds.element_spec[0].shape.as_list() == [None, 5]
resampled_steps_per_epoch = np.ceil(2.0 * t_neg / BATCH_SIZE)
assert resampled_steps_per_epoch == np.ceil(2 * t_neg / 256)

val_ds = tf.data.Dataset.from_tensor_slices((val_features, val_labels)).cache()
val_ds = val_ds.batch(BATCH_SIZE).prefetch(2)
history = model.fit(resampled_ds, epochs=6, steps_per_epoch=10, validation_data=val_ds, verbose=0)
assert len(history.history["loss"]) == 6 and int(model.optimizer.iterations) == 60
assert history.history["loss"][-1] < history.history["loss"][0], history.history["loss"]
results = model.evaluate(val_ds, verbose=0, return_dict=True)
print("resampled", {k: round(v, 3) for k, v in results.items()})
# balanced batches make the rare class count: most positives are found
assert results["recall"] > 0.7, results
pred = model.predict(val_features, verbose=0)[:, 0]
assert pred[val_labels == 1].mean() > pred[val_labels == 0].mean() + 0.3
print("imbalanced resampling ok")
