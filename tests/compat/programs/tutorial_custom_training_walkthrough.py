# The "Custom training: walkthrough" tutorial on a synthetic three-species data set written
# as CSV: make_csv_dataset with column names and a label column, a map that packs the
# feature dict into one matrix, a Sequential model giving logits, a hand-written loop with
# GradientTape, Mean / SparseCategoricalAccuracy metrics reset per epoch, a test-set pass,
# and predictions through tf.nn.softmax and tf.math.argmax.
import numpy as np
import tensorflow as tf

tf.random.set_seed(7)
rng = np.random.default_rng(7)
column_names = ["sepal_length", "sepal_width", "petal_length", "petal_width", "species"]
feature_names = column_names[:-1]
centres = np.array([[5.0, 3.4, 1.5, 0.2], [5.9, 2.8, 4.3, 1.3], [6.6, 3.0, 5.6, 2.0]])


def write_csv(path, n):
    species = rng.integers(0, 3, n)
    rows = centres[species] + rng.normal(0, 0.15, (n, 4))
    with open(path, "w") as f:
        f.write(f"{n},4,setosa,versicolor,virginica\n")  # the Iris file's odd first line
        for row, label in zip(rows, species):
            f.write(",".join(f"{v:.2f}" for v in row) + f",{label}\n")


write_csv("train.csv", 120)
write_csv("test.csv", 30)

batch_size = 32
train_dataset = tf.data.experimental.make_csv_dataset(
    "train.csv",
    batch_size,
    column_names=column_names,
    label_name="species",
    num_epochs=1,
    shuffle=True,
    shuffle_seed=3,
)
features, labels = next(iter(train_dataset))
assert sorted(features.keys()) == sorted(feature_names)
assert features["petal_length"].shape == (batch_size,) and labels.dtype == tf.int32


def pack_features_vector(features, labels):
    """Pack the features into a single array."""
    features = tf.stack(list(features.values()), axis=1)
    return features, labels


train_dataset = train_dataset.map(pack_features_vector)
features, labels = next(iter(train_dataset))
assert features.shape == (batch_size, 4) and features.dtype == tf.float32

model = tf.keras.Sequential(
    [
        tf.keras.layers.Dense(10, activation=tf.nn.relu, input_shape=(4,)),
        tf.keras.layers.Dense(10, activation=tf.nn.relu),
        tf.keras.layers.Dense(3),
    ]
)
predictions = model(features)
assert predictions.shape == (batch_size, 3)
probabilities = tf.nn.softmax(predictions[:5])
np.testing.assert_allclose(tf.reduce_sum(probabilities, axis=1).numpy(), np.ones(5), rtol=1e-5)

loss_object = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)


def loss(model, x, y, training):
    y_ = model(x, training=training)
    return loss_object(y_true=y, y_pred=y_)


def grad(model, inputs, targets):
    with tf.GradientTape() as tape:
        loss_value = loss(model, inputs, targets, training=True)
    return loss_value, tape.gradient(loss_value, model.trainable_variables)


optimizer = tf.keras.optimizers.SGD(learning_rate=0.05)
loss_value, grads = grad(model, features, labels)
first_loss = loss_value.numpy()
optimizer.apply_gradients(zip(grads, model.trainable_variables))
assert optimizer.iterations.numpy() == 1
assert loss(model, features, labels, training=True).numpy() < first_loss

train_loss_results, train_accuracy_results = [], []
for epoch in range(120):
    epoch_loss_avg = tf.keras.metrics.Mean()
    epoch_accuracy = tf.keras.metrics.SparseCategoricalAccuracy()
    for x, y in train_dataset:
        loss_value, grads = grad(model, x, y)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        epoch_loss_avg.update_state(loss_value)
        epoch_accuracy.update_state(y, model(x, training=True))
    train_loss_results.append(epoch_loss_avg.result())
    train_accuracy_results.append(epoch_accuracy.result())

assert len(train_loss_results) == 120
assert float(train_loss_results[-1]) < 0.5 * float(train_loss_results[0])
assert float(train_accuracy_results[-1]) > 0.8, float(train_accuracy_results[-1])

test_dataset = tf.data.experimental.make_csv_dataset(
    "test.csv",
    batch_size,
    column_names=column_names,
    label_name="species",
    num_epochs=1,
    shuffle=False,
).map(pack_features_vector)
test_accuracy = tf.keras.metrics.Accuracy()
for x, y in test_dataset:
    logits = model(x, training=False)
    prediction = tf.math.argmax(logits, axis=1, output_type=tf.int64)
    test_accuracy(prediction, y)
assert float(test_accuracy.result()) > 0.8, float(test_accuracy.result())

predict_dataset = tf.convert_to_tensor(centres, dtype=tf.float32)
predictions = model(predict_dataset, training=False)
classes = [int(tf.argmax(logits).numpy()) for logits in predictions]
assert classes == [0, 1, 2], classes
confidence = tf.reduce_max(tf.nn.softmax(predictions, axis=1), axis=1).numpy()
assert (confidence > 0.5).all(), confidence
print("custom training walkthrough: ok", float(test_accuracy.result()))
