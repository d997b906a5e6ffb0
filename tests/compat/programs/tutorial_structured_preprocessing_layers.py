# TensorFlow's "Classify structured data using Keras preprocessing layers" tutorial
# (PetFinder), on a synthetic table held as a dict of NumPy columns (what the tutorial gets
# from a pandas DataFrame): one Input per column, Normalization for numbers, StringLookup /
# IntegerLookup + CategoryEncoding for categories, concatenate, fit, evaluate, save, load,
# predict on a dict of one-element tensors. As in the tutorial, the label column stays in
# the features dict: Keras 3 warns and ignores the extra key.
import numpy as np
import tensorflow as tf

rng = np.random.default_rng(3)
n = 300
frame = {
    "Type": rng.choice(np.array(["Cat", "Dog"]), n),
    "Age": rng.integers(1, 60, n).astype("int64"),
    "Breed1": rng.choice(np.array(["Tabby", "Mixed Breed", "Domestic", "Poodle"]), n),
    "Gender": rng.choice(np.array(["Male", "Female"]), n),
    "Color1": rng.choice(np.array(["Black", "Brown", "White"]), n),
    "PhotoAmt": rng.integers(0, 10, n).astype("float64"),
    "Fee": rng.integers(0, 300, n).astype("int64"),
}
frame["target"] = np.where((frame["PhotoAmt"] > 3) | (frame["Type"] == "Dog"), 1, 0)
order = rng.permutation(n)
train = {k: v[order[:240]] for k, v in frame.items()}
val = {k: v[order[240:270]] for k, v in frame.items()}
test = {k: v[order[270:]] for k, v in frame.items()}


def df_to_dataset(dataframe, shuffle=True, batch_size=32):
    df = dict(dataframe)
    labels = df.pop("target")
    df = {key: value[:, tf.newaxis] for key, value in dataframe.items()}  # as the tutorial
    ds = tf.data.Dataset.from_tensor_slices((dict(df), labels))
    if shuffle:
        ds = ds.shuffle(buffer_size=len(labels), seed=0)
    ds = ds.batch(batch_size)
    ds = ds.prefetch(batch_size)
    return ds


train_ds = df_to_dataset(train, batch_size=5)
[(train_features, label_batch)] = train_ds.take(1)
assert sorted(train_features) == sorted(frame)
assert tuple(train_features["Age"].shape) == (5, 1) and train_features["Age"].dtype == tf.int64
assert tuple(label_batch.shape) == (5,)


def get_normalization_layer(name, dataset):
    normalizer = tf.keras.layers.Normalization(axis=None)
    feature_ds = dataset.map(lambda x, y: x[name])
    normalizer.adapt(feature_ds)
    return normalizer


photo_count_col = train_features["PhotoAmt"]
layer = get_normalization_layer("PhotoAmt", train_ds)
photos = train["PhotoAmt"]
np.testing.assert_allclose(
    layer(photo_count_col).numpy(),
    (photo_count_col.numpy() - photos.mean()) / photos.std(),
    rtol=1e-4,
    atol=1e-5,
)


def get_category_encoding_layer(name, dataset, dtype, max_tokens=None):
    if dtype == "string":
        index = tf.keras.layers.StringLookup(max_tokens=max_tokens)
    else:
        index = tf.keras.layers.IntegerLookup(max_tokens=max_tokens)
    feature_ds = dataset.map(lambda x, y: x[name])
    index.adapt(feature_ds)
    encoder = tf.keras.layers.CategoryEncoding(num_tokens=index.vocabulary_size())
    return lambda feature: encoder(index(feature))


test_type_layer = get_category_encoding_layer(name="Type", dataset=train_ds, dtype="string")
encoded_type = test_type_layer(train_features["Type"]).numpy()
assert encoded_type.shape == (5, 3)  # [UNK], and the two types by frequency
assert np.all(encoded_type.sum(axis=1) == 1.0) and np.all(encoded_type[:, 0] == 0.0)
test_age_layer = get_category_encoding_layer(
    name="Age", dataset=train_ds, dtype="int64", max_tokens=5
)
assert tuple(test_age_layer(train_features["Age"]).shape) == (5, 5)

batch_size = 32
train_ds = df_to_dataset(train, batch_size=batch_size)
val_ds = df_to_dataset(val, shuffle=False, batch_size=batch_size)
test_ds = df_to_dataset(test, shuffle=False, batch_size=batch_size)

all_inputs = {}
encoded_features = []
for header in ["PhotoAmt", "Fee"]:
    numeric_col = tf.keras.Input(shape=(1,), name=header)
    normalization_layer = get_normalization_layer(header, train_ds)
    all_inputs[header] = numeric_col
    encoded_features.append(normalization_layer(numeric_col))
age_col = tf.keras.Input(shape=(1,), name="Age", dtype="int64")
encoding_layer = get_category_encoding_layer(
    name="Age", dataset=train_ds, dtype="int64", max_tokens=5
)
all_inputs["Age"] = age_col
encoded_features.append(encoding_layer(age_col))
for header in ["Type", "Color1", "Gender", "Breed1"]:
    categorical_col = tf.keras.Input(shape=(1,), name=header, dtype="string")
    encoding_layer = get_category_encoding_layer(
        name=header, dataset=train_ds, dtype="string", max_tokens=5
    )
    all_inputs[header] = categorical_col
    encoded_features.append(encoding_layer(categorical_col))

all_features = tf.keras.layers.concatenate(encoded_features)
assert tuple(all_features.shape) == (None, 1 + 1 + 5 + 3 + 4 + 3 + 5)
tf.keras.utils.set_random_seed(1)
x = tf.keras.layers.Dense(32, activation="relu")(all_features)
x = tf.keras.layers.Dropout(0.5)(x)
output = tf.keras.layers.Dense(1)(x)
model = tf.keras.Model(all_inputs, output)
model.compile(
    optimizer=tf.keras.optimizers.Adam(0.01),
    loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
history = model.fit(train_ds, epochs=15, validation_data=val_ds, verbose=0)
assert history.history["loss"][-1] < history.history["loss"][0]
assert history.history["accuracy"][-1] > 0.85, history.history["accuracy"]
result = model.evaluate(test_ds, return_dict=True, verbose=0)
assert set(result) == {"loss", "accuracy"} and result["accuracy"] > 0.7, result

model.save("my_pet_classifier.keras")
reloaded_model = tf.keras.models.load_model("my_pet_classifier.keras")
sample = {
    "Type": "Dog",
    "Age": 3,
    "Breed1": "Poodle",
    "Gender": "Male",
    "Color1": "Black",
    "PhotoAmt": 2,
    "Fee": 100,
}
input_dict = {name: tf.convert_to_tensor([value]) for name, value in sample.items()}
predictions = reloaded_model.predict(input_dict, verbose=0)
prob = tf.nn.sigmoid(predictions[0])
assert tuple(prob.shape) == (1,) and float(prob[0]) > 0.5, prob  # a dog: adopted
np.testing.assert_allclose(model.predict(input_dict, verbose=0), predictions, rtol=1e-5)
print("ok")
