# keras.io "Image similarity estimation using a Siamese Network with a contrastive loss":
# a shared embedding sub-model applied to two inputs, a Lambda layer computing the
# Euclidean distance, BatchNormalization + Dense(sigmoid) head, and a contrastive loss
# closure with a margin. Pairs are made from small synthetic "digit" prototypes.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(2)
rng = np.random.default_rng(2)
num_classes, side = 4, 8
prototypes = rng.random((num_classes, side, side)).astype("float32")


def make_images(n):
    labels = rng.integers(0, num_classes, n)
    noise = 0.25 * rng.normal(size=(n, side, side)).astype("float32")
    return prototypes[labels] + noise, labels


def make_pairs(x, y):
    digit_indices = [np.where(y == i)[0] for i in range(num_classes)]
    pairs, labels = [], []
    for idx1 in range(len(x)):
        x1, label1 = x[idx1], y[idx1]
        idx2 = rng.choice(digit_indices[label1])
        pairs += [[x1, x[idx2]]]
        labels += [0]  # 0: same class
        label2 = rng.integers(0, num_classes - 1)
        label2 = label2 + 1 if label2 >= label1 else label2
        idx2 = rng.choice(digit_indices[label2])
        pairs += [[x1, x[idx2]]]
        labels += [1]  # 1: different classes
    return np.array(pairs), np.array(labels).astype("float32")


x_train, y_train = make_images(200)
x_val, y_val = make_images(60)
pairs_train, labels_train = make_pairs(x_train, y_train)
pairs_val, labels_val = make_pairs(x_val, y_val)
assert pairs_train.shape == (400, 2, side, side) and labels_train.mean() == 0.5
x_train_1, x_train_2 = pairs_train[:, 0], pairs_train[:, 1]
x_val_1, x_val_2 = pairs_val[:, 0], pairs_val[:, 1]


def euclidean_distance(vects):
    x, y = vects
    sum_square = tf.math.reduce_sum(tf.math.square(x - y), axis=1, keepdims=True)
    return tf.math.sqrt(tf.math.maximum(sum_square, tf.keras.backend.epsilon()))


input = layers.Input((side, side, 1))
x = layers.BatchNormalization()(input)
x = layers.Conv2D(4, (3, 3), activation="tanh")(x)
x = layers.AveragePooling2D(pool_size=(2, 2))(x)
x = layers.Flatten()(x)
x = layers.BatchNormalization()(x)
x = layers.Dense(10, activation="tanh")(x)
embedding_network = keras.Model(input, x)

input_1 = layers.Input((side, side, 1))
input_2 = layers.Input((side, side, 1))
tower_1 = embedding_network(input_1)
tower_2 = embedding_network(input_2)
merge_layer = layers.Lambda(euclidean_distance, output_shape=(1,))([tower_1, tower_2])
normal_layer = layers.BatchNormalization()(merge_layer)
output_layer = layers.Dense(1, activation="sigmoid")(normal_layer)
siamese = keras.Model(inputs=[input_1, input_2], outputs=output_layer)
assert siamese.output_shape == (None, 1)
# the shared tower's weights appear once
assert len(siamese.trainable_weights) == len(embedding_network.trainable_weights) + 4


def loss(margin=1):
    def contrastive_loss(y_true, y_pred):
        square_pred = tf.math.square(y_pred)
        margin_square = tf.math.square(tf.math.maximum(margin - (y_pred), 0))
        return tf.math.reduce_mean((1 - y_true) * square_pred + (y_true) * margin_square)

    return contrastive_loss


y_true = np.array([0.0, 1.0, 1.0], "float32")
y_pred = np.array([0.3, 0.4, 1.2], "float32")
np.testing.assert_allclose(
    float(loss(margin=1)(y_true, y_pred)), (0.09 + 0.36 + 0.0) / 3, rtol=1e-6
)

siamese.compile(loss=loss(margin=1), optimizer="RMSprop", metrics=["accuracy"])
history = siamese.fit(
    [x_train_1, x_train_2],
    labels_train,
    validation_data=([x_val_1, x_val_2], labels_val),
    batch_size=16,
    epochs=6,
    verbose=0,
)
assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
assert history.history["loss"][-1] < history.history["loss"][0], history.history["loss"]
results = siamese.evaluate([x_val_1, x_val_2], labels_val, verbose=0)
assert len(results) == 2 and results[1] > 0.85, results
predictions = siamese.predict([x_val_1, x_val_2], verbose=0)
assert predictions.shape == (len(labels_val), 1)
accuracy = np.mean((predictions[:, 0] > 0.5) == (labels_val == 1))
np.testing.assert_allclose(accuracy, results[1], atol=1e-6)
# distances from the shared tower: same-class pairs are closer than different-class pairs
distance = keras.Model(siamese.inputs, merge_layer)
d = distance.predict([x_val_1, x_val_2], verbose=0)[:, 0]
assert d[labels_val == 0].mean() < d[labels_val == 1].mean(), d
print("val", results)
