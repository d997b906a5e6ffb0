"""The "Load NumPy data" tutorial: arrays saved to an .npz, read back with np.load, made a
dataset with from_tensor_slices, shuffled and batched, then fit and evaluate."""

import numpy as np
import tensorflow as tf

rng = np.random.default_rng(0)
prototypes = rng.uniform(0, 255, (10, 28, 28))


def make_split(n):
    labels = rng.integers(0, 10, n).astype(np.uint8)
    noise = rng.normal(0, 40, (n, 28, 28))
    images = np.clip(prototypes[labels] + noise, 0, 255).astype(np.uint8)
    return images, labels


x_train, y_train = make_split(600)
x_test, y_test = make_split(200)
np.savez("mnist.npz", x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)

with np.load("mnist.npz") as data:
    assert sorted(data.files) == ["x_test", "x_train", "y_test", "y_train"]
    train_examples = data["x_train"] / 255.0  # the tutorial's uint8 data, as float64
    train_labels = data["y_train"]
    test_examples = data["x_test"] / 255.0
    test_labels = data["y_test"]

train_dataset = tf.data.Dataset.from_tensor_slices((train_examples, train_labels))
test_dataset = tf.data.Dataset.from_tensor_slices((test_examples, test_labels))
assert train_dataset.element_spec == (
    tf.TensorSpec(shape=(28, 28), dtype=tf.float64),
    tf.TensorSpec(shape=(), dtype=tf.uint8),
)
assert int(train_dataset.cardinality()) == 600
image, label = next(iter(train_dataset))
np.testing.assert_allclose(image.numpy(), x_train[0] / 255.0)
assert int(label) == int(y_train[0])

BATCH_SIZE = 64
SHUFFLE_BUFFER_SIZE = 100
train_dataset = train_dataset.shuffle(SHUFFLE_BUFFER_SIZE, seed=1).batch(BATCH_SIZE)
test_dataset = test_dataset.batch(BATCH_SIZE)
assert train_dataset.element_spec[0].shape.as_list() == [None, 28, 28]
assert int(train_dataset.cardinality()) == 10  # 600 / 64, the last batch partial
shuffled = np.concatenate([labels.numpy() for _, labels in train_dataset])
assert sorted(shuffled.tolist()) == sorted(y_train.tolist())
assert shuffled.tolist() != y_train.tolist()

tf.keras.utils.set_random_seed(0)
model = tf.keras.Sequential(
    [
        tf.keras.Input(shape=(28, 28)),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(128, activation="relu"),
        tf.keras.layers.Dense(10),
    ]
)
model.compile(
    optimizer=tf.keras.optimizers.RMSprop(),
    loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["sparse_categorical_accuracy"],
)
history = model.fit(train_dataset, epochs=5, verbose=0)
assert sorted(history.history) == ["loss", "sparse_categorical_accuracy"]
assert history.history["loss"][-1] < history.history["loss"][0]
loss, accuracy = model.evaluate(test_dataset, verbose=0)
assert accuracy > 0.9, accuracy
logits = model.predict(test_dataset, verbose=0)
assert logits.shape == (200, 10) and logits.dtype == np.float32
np.testing.assert_allclose(accuracy, np.mean(logits.argmax(1) == y_test), atol=1e-6)
print("ok")
