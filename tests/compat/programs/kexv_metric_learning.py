# keras.io "Metric learning for image similarity search": a keras.utils.PyDataset that yields
# batches of (anchor, positive) pairs, one pair per class, an EmbeddingModel subclass whose
# train_step computes the anchor/positive similarity matrix with keras.ops.einsum, divides by
# a temperature, and treats it as logits for sparse categorical crossentropy with labels
# range(num_classes) (self.compute_loss and the compiled metrics), L2-normalised embeddings
# from layers.UnitNormalization, then nearest-neighbour retrieval. Synthetic images of 5
# classes.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(59)
rng = np.random.default_rng(59)
S, num_classes = 8, 5
protos = rng.random((num_classes, S, S, 3)).astype("float32")
y_train = np.repeat(np.arange(num_classes), 40)
x_train = np.clip(protos[y_train] + 0.15 * rng.normal(size=(200, S, S, 3)), 0, 1)
x_train = x_train.astype("float32")
class_idx_to_train_idxs = {c: np.flatnonzero(y_train == c) for c in range(num_classes)}


class AnchorPositivePairs(keras.utils.PyDataset):
    def __init__(self, num_batches, **kwargs):
        super().__init__(**kwargs)
        self._num_batches = num_batches  # num_batches is PyDataset's read-only property

    def __len__(self):
        return self._num_batches

    def __getitem__(self, _idx):
        x = np.empty((2, num_classes, S, S, 3), dtype=np.float32)
        for class_idx in range(num_classes):
            examples_for_class = class_idx_to_train_idxs[class_idx]
            anchor_idx = rng.choice(examples_for_class)
            positive_idx = rng.choice(examples_for_class)
            while positive_idx == anchor_idx:
                positive_idx = rng.choice(examples_for_class)
            x[0, class_idx] = x_train[anchor_idx]
            x[1, class_idx] = x_train[positive_idx]
        return x


pairs = AnchorPositivePairs(num_batches=20)
assert len(pairs) == 20 and pairs.num_batches == 20 and pairs[0].shape == (2, num_classes, S, S, 3)


class EmbeddingModel(keras.Model):
    def train_step(self, data):
        if isinstance(data, tuple):
            data = data[0]
        anchors, positives = data[0], data[1]
        with tf.GradientTape() as tape:
            anchor_embeddings = self(anchors, training=True)
            positive_embeddings = self(positives, training=True)
            similarities = keras.ops.einsum("ae,pe->ap", anchor_embeddings, positive_embeddings)
            temperature = 0.2
            similarities /= temperature
            sparse_labels = keras.ops.arange(num_classes)
            loss = self.compute_loss(y=sparse_labels, y_pred=similarities)
        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(sparse_labels, similarities)
        return {m.name: m.result() for m in self.metrics}


inputs = layers.Input(shape=(S, S, 3))
x = layers.Conv2D(filters=16, kernel_size=3, strides=2, activation="relu")(inputs)
x = layers.Conv2D(filters=16, kernel_size=3, activation="relu")(x)
x = layers.GlobalAveragePooling2D()(x)
embeddings = layers.Dense(units=8, activation=None)(x)
embeddings = layers.UnitNormalization()(embeddings)
model = EmbeddingModel(inputs, embeddings)
emb = model(x_train[:4]).numpy()
np.testing.assert_allclose(np.linalg.norm(emb, axis=1), 1.0, rtol=1e-5)

model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-2),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
history = model.fit(AnchorPositivePairs(num_batches=40), epochs=6, verbose=0)
assert set(history.history) == {"loss", "accuracy"}, history.history
assert history.history["loss"][-1] < 0.5 * history.history["loss"][0], history.history

near_neighbours_per_example = 5
x_test = np.clip(protos[y_train] + 0.15 * rng.normal(size=(200, S, S, 3)), 0, 1)
embeddings = model.predict(x_test.astype("float32"), verbose=0)
gram_matrix = np.einsum("ae,be->ab", embeddings, embeddings)
near_neighbours = np.argsort(gram_matrix.T)[:, -(near_neighbours_per_example + 1) :]
confusion_matrix = np.zeros((num_classes, num_classes))
for class_idx in range(num_classes):
    example_idxs = np.flatnonzero(y_train == class_idx)[:10]
    for y_test_idx in example_idxs:
        for nn_idx in near_neighbours[y_test_idx][:-1]:
            confusion_matrix[class_idx, y_train[nn_idx]] += 1
assert confusion_matrix.sum() == num_classes * 10 * near_neighbours_per_example
purity = np.trace(confusion_matrix) / confusion_matrix.sum()
print("neighbour purity", purity)
assert purity > 0.9, confusion_matrix
