# keras.io "Image similarity estimation using a Siamese Network with a triplet loss": an
# embedding network shared by three inputs (anchor, positive, negative), a DistanceLayer
# returning the squared L2 distances (anchor, positive) and (anchor, negative), a
# SiameseModel subclass with its own train_step / test_step, a keras.metrics.Mean loss
# tracker exposed through the `metrics` property, and cosine similarity of embeddings after
# training. Synthetic triplets from noisy 8x8 class prototypes.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers, metrics

keras.utils.set_random_seed(31)
rng = np.random.default_rng(31)
S, num_classes = 8, 6
protos = rng.random((num_classes, S, S, 3)).astype("float32")


def sample(cls):
    return np.clip(protos[cls] + 0.15 * rng.normal(size=(len(cls), S, S, 3)), 0, 1).astype(
        "float32"
    )


def triplets(n):
    a = rng.integers(0, num_classes, n)
    neg = (a + rng.integers(1, num_classes, n)) % num_classes
    return sample(a), sample(a), sample(neg)


anchors, positives, negatives = triplets(384)
dataset = tf.data.Dataset.zip(
    tf.data.Dataset.from_tensor_slices(anchors),
    tf.data.Dataset.from_tensor_slices(positives),
    tf.data.Dataset.from_tensor_slices(negatives),
)
dataset = dataset.shuffle(buffer_size=384, seed=1)
train_dataset = dataset.take(320).batch(32).prefetch(8)
val_dataset = dataset.skip(320).batch(32)
a0, p0, n0 = next(iter(train_dataset))
assert a0.shape == p0.shape == n0.shape == (32, S, S, 3)

base = keras.Sequential(
    [
        keras.Input((S, S, 3)),
        layers.Conv2D(8, 3, activation="relu"),
        layers.Flatten(),
        layers.Dense(32, activation="relu"),
        layers.BatchNormalization(momentum=0.8),
        layers.Dense(16),
    ],
    name="Embedding",
)
for layer in base.layers[:1]:
    layer.trainable = True  # as the example unfreezes a sub-range of a pretrained trunk


class DistanceLayer(layers.Layer):
    def call(self, anchor, positive, negative):
        ap_distance = keras.ops.sum(tf.square(anchor - positive), -1)
        an_distance = keras.ops.sum(tf.square(anchor - negative), -1)
        return (ap_distance, an_distance)


anchor_input = layers.Input(name="anchor", shape=(S, S, 3))
positive_input = layers.Input(name="positive", shape=(S, S, 3))
negative_input = layers.Input(name="negative", shape=(S, S, 3))
distances = DistanceLayer()(base(anchor_input), base(positive_input), base(negative_input))
siamese_network = keras.Model(
    inputs=[anchor_input, positive_input, negative_input], outputs=distances
)
assert len(siamese_network.outputs) == 2 and siamese_network.outputs[0].shape == (None,)
assert len(siamese_network.trainable_weights) == len(base.trainable_weights)


class SiameseModel(keras.Model):
    def __init__(self, siamese_network, margin=0.5):
        super().__init__()
        self.siamese_network = siamese_network
        self.margin = margin
        self.loss_tracker = metrics.Mean(name="loss")

    def call(self, inputs):
        return self.siamese_network(inputs)

    def train_step(self, data):
        with tf.GradientTape() as tape:
            loss = self._compute_loss(data)
        gradients = tape.gradient(loss, self.siamese_network.trainable_weights)
        self.optimizer.apply_gradients(zip(gradients, self.siamese_network.trainable_weights))
        self.loss_tracker.update_state(loss)
        return {"loss": self.loss_tracker.result()}

    def test_step(self, data):
        loss = self._compute_loss(data)
        self.loss_tracker.update_state(loss)
        return {"loss": self.loss_tracker.result()}

    def _compute_loss(self, data):
        ap_distance, an_distance = self.siamese_network(data)
        loss = ap_distance - an_distance
        loss = tf.maximum(loss + self.margin, 0.0)
        return loss

    @property
    def metrics(self):
        return [self.loss_tracker]


siamese_model = SiameseModel(siamese_network)
siamese_model.compile(optimizer=keras.optimizers.Adam(0.001))
before = siamese_model.evaluate(val_dataset, verbose=0)
history = siamese_model.fit(train_dataset, epochs=8, validation_data=val_dataset, verbose=0)
assert set(history.history) == {"loss", "val_loss"}
after = siamese_model.evaluate(val_dataset, verbose=0)
print("triplet loss", before, "->", after)
assert after < 0.3 * before, (before, after)

a, p, n = anchors[320:], positives[320:], negatives[320:]
anchor_embedding, positive_embedding, negative_embedding = base(a), base(p), base(n)
cosine_similarity = metrics.CosineSimilarity()
positive_similarity = cosine_similarity(anchor_embedding, positive_embedding)
cosine_similarity.reset_state()
negative_similarity = cosine_similarity(anchor_embedding, negative_embedding)
print("similarity", float(positive_similarity), float(negative_similarity))
assert float(positive_similarity) > float(negative_similarity) + 0.2
ap, an = siamese_model((a, p, n))
assert np.mean(ap.numpy() < an.numpy()) > 0.9
