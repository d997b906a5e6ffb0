# keras.io "Supervised Contrastive Learning": an encoder with a projection head trained with
# a SupervisedContrastiveLoss (a keras.losses.Loss subclass: L2-normalised projections,
# similarity logits divided by a temperature, same-label pairs as positives), then the
# encoder frozen (trainable = False) under a softmax classifier trained with cross-entropy.
# The loss is checked against a NumPy formula, and the learned embeddings cluster by class.
# Synthetic 8x8 images of 4 classes (noisy prototypes).
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(11)
rng = np.random.default_rng(11)
N, S, C = 320, 8, 4
prototypes = rng.random((C, S, S, 1)).astype("float32")
labels = rng.integers(0, C, N)
x = prototypes[labels] + 0.25 * rng.normal(size=(N, S, S, 1)).astype("float32")
x_train, y_train, x_test, y_test = x[:256], labels[:256], x[256:], labels[256:]


class SupervisedContrastiveLoss(keras.losses.Loss):
    def __init__(self, temperature=1, name=None):
        super().__init__(name=name)
        self.temperature = temperature

    def call(self, labels, feature_vectors, sample_weight=None):
        labels = tf.reshape(tf.cast(labels, tf.int32), [-1, 1])
        feature_vectors_normalized = tf.math.l2_normalize(feature_vectors, axis=1)
        logits = tf.divide(
            tf.matmul(feature_vectors_normalized, tf.transpose(feature_vectors_normalized)),
            self.temperature,
        )
        batch_size = tf.shape(logits)[0]
        not_self = 1.0 - tf.eye(batch_size)
        positives = tf.cast(tf.equal(labels, tf.transpose(labels)), tf.float32) * not_self
        # log-softmax over the other samples of the batch
        logits = logits - tf.reduce_max(logits, axis=1, keepdims=True)
        exp_logits = tf.exp(logits) * not_self
        log_prob = logits - tf.math.log(tf.reduce_sum(exp_logits, axis=1, keepdims=True))
        mean_log_prob_pos = tf.reduce_sum(positives * log_prob, axis=1) / tf.maximum(
            tf.reduce_sum(positives, axis=1), 1.0
        )
        return -mean_log_prob_pos


def reference_loss(labels, feats, temperature):
    z = feats / np.linalg.norm(feats, axis=1, keepdims=True)
    sim = z @ z.T / temperature
    n = len(labels)
    out = []
    for i in range(n):
        others = [k for k in range(n) if k != i]
        log_den = np.log(np.exp(sim[i, others]).sum())
        pos = [k for k in others if labels[k] == labels[i]]
        out.append(-np.mean([sim[i, k] - log_den for k in pos]) if pos else 0.0)
    return np.mean(out)


feats = rng.normal(size=(10, 5)).astype("float32")
lab = np.array([0, 1, 0, 2, 1, 1, 0, 3, 2, 2])
loss_fn = SupervisedContrastiveLoss(temperature=0.1)
np.testing.assert_allclose(
    float(loss_fn(lab, feats)), reference_loss(lab, feats, 0.1), rtol=1e-4, atol=1e-4
)
# perfectly clustered features give a lower loss than shuffled ones
clustered = np.eye(5, dtype="float32")[lab] + 0.01
assert float(loss_fn(lab, clustered)) < float(loss_fn(lab, feats))


def create_encoder():
    inputs = keras.Input(shape=(S, S, 1))
    h = layers.Conv2D(16, 3, activation="relu", padding="same")(inputs)
    h = layers.MaxPooling2D()(h)
    h = layers.Conv2D(16, 3, activation="relu", padding="same")(h)
    outputs = layers.GlobalAveragePooling2D()(h)
    return keras.Model(inputs=inputs, outputs=outputs, name="encoder")


def add_projection_head(encoder):
    inputs = keras.Input(shape=(S, S, 1))
    features = encoder(inputs)
    outputs = layers.Dense(16, activation="relu")(features)
    return keras.Model(inputs=inputs, outputs=outputs, name="encoder_with_projection-head")


def create_classifier(encoder, trainable=True):
    for layer in encoder.layers:
        layer.trainable = trainable
    inputs = keras.Input(shape=(S, S, 1))
    features = encoder(inputs)
    features = layers.Dropout(0.1)(features)
    outputs = layers.Dense(C, activation="softmax")(features)
    model = keras.Model(inputs=inputs, outputs=outputs, name="classifier")
    model.compile(
        optimizer=keras.optimizers.Adam(0.05),
        loss=keras.losses.SparseCategoricalCrossentropy(),
        metrics=[keras.metrics.SparseCategoricalAccuracy()],
    )
    return model


encoder = create_encoder()
encoder_with_projection_head = add_projection_head(encoder)
encoder_with_projection_head.compile(
    optimizer=keras.optimizers.Adam(0.005), loss=SupervisedContrastiveLoss(0.1)
)
history = encoder_with_projection_head.fit(x_train, y_train, batch_size=64, epochs=15, verbose=0)
losses = history.history["loss"]
assert losses[-1] < 0.7 * losses[0], losses

# embeddings of the same class are closer than those of different classes: the projections
# separate the classes by cosine similarity, and the encoder's features by nearest centroid
proj = encoder_with_projection_head.predict(x_test, verbose=0)
proj = proj / np.maximum(np.linalg.norm(proj, axis=1, keepdims=True), 1e-6)
sim = proj @ proj.T
same = y_test[:, None] == y_test[None, :]
off_diag = ~np.eye(len(y_test), dtype=bool)
print("cosine same/different", sim[same & off_diag].mean(), sim[~same].mean())
assert sim[same & off_diag].mean() > sim[~same].mean() + 0.3
train_emb = encoder.predict(x_train, verbose=0)
centroids = np.stack([train_emb[y_train == c].mean(axis=0) for c in range(C)])
test_emb = encoder.predict(x_test, verbose=0)
dists = ((test_emb[:, None, :] - centroids[None]) ** 2).sum(-1)
print("nearest centroid", (dists.argmin(axis=1) == y_test).mean())
assert (dists.argmin(axis=1) == y_test).mean() > 0.9

encoder_weights = [w.numpy().copy() for w in encoder.weights]
classifier = create_classifier(encoder, trainable=False)
assert len(classifier.trainable_weights) == 2  # only the softmax head
probe = classifier.fit(x_train, y_train, batch_size=32, epochs=30, verbose=0)
print("probe losses", probe.history["loss"][::5])
for before, after in zip(encoder_weights, encoder.weights):
    np.testing.assert_array_equal(before, after.numpy())
_, acc = classifier.evaluate(x_test, y_test, verbose=0)
print("SupCon linear-probe accuracy", acc)
assert acc > 0.85, acc
