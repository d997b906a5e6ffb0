# keras.io "Self-supervised contrastive learning with NNCLR": a keras.Model with a custom
# compile(contrastive_optimizer, probe_optimizer) and train_step/test_step; projections are
# L2-normalized with keras.utils.normalize inside the GradientTape (a Tensor in, a
# differentiable Tensor out, as Keras 3), each is swapped for its nearest neighbour in a
# non-trainable keras.Variable feature queue (ops.take of an argmax, straight-through with
# ops.stop_gradient) and the queue is updated with assign; a linear probe trains with its
# own optimizer on frozen features. Inputs: tf.data.Dataset.zip of an unlabeled and a
# labeled dataset.
import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops

keras.utils.set_random_seed(21)
rng = np.random.default_rng(21)
width, queue_size = 4, 8

# keras.utils.normalize: NumPy in, NumPy out; a Tensor in, a differentiable Tensor out
arr = keras.utils.normalize(np.array([[3.0, 4.0], [1.0, 0.0]]), axis=1, order=2)
assert isinstance(arr, np.ndarray)
np.testing.assert_allclose(arr, [[0.6, 0.8], [1.0, 0.0]])
v = tf.Variable([[3.0, 4.0]])
with tf.GradientTape() as tape:
    unit = keras.utils.normalize(v, axis=1, order=2)
    first = tf.reduce_sum(unit[:, 0])
np.testing.assert_allclose(np.asarray(unit), [[0.6, 0.8]], rtol=1e-6)
np.testing.assert_allclose(tape.gradient(first, v).numpy(), [[16 / 125, -12 / 125]], rtol=1e-5)


class NNCLR(keras.Model):
    def __init__(self, temperature=0.1):
        super().__init__()
        self.temperature = temperature
        self.encoder = keras.Sequential(
            [
                layers.Conv2D(width, 3, strides=2, activation="relu"),
                layers.Flatten(),
                layers.Dense(width),
            ]
        )
        self.projection_head = keras.Sequential(
            [layers.Dense(width, activation="relu"), layers.Dense(width)]
        )
        self.linear_probe = keras.Sequential([layers.Input(shape=(width,)), layers.Dense(3)])
        self.probe_loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        self.probe_accuracy = keras.metrics.SparseCategoricalAccuracy()
        self.feature_queue = keras.Variable(
            keras.utils.normalize(keras.random.normal(shape=(queue_size, width)), axis=1, order=2),
            trainable=False,
        )

    def compile(self, contrastive_optimizer, probe_optimizer, **kwargs):
        super().compile(**kwargs)
        self.contrastive_optimizer = contrastive_optimizer
        self.probe_optimizer = probe_optimizer

    def nearest_neighbour(self, projections):
        similarities = ops.matmul(projections, ops.transpose(self.feature_queue))
        neighbours = ops.take(self.feature_queue, ops.argmax(similarities, axis=1), axis=0)
        return projections + ops.stop_gradient(neighbours - projections)

    def contrastive_loss(self, projections_1, projections_2):
        projections_1 = keras.utils.normalize(projections_1, axis=1, order=2)
        projections_2 = keras.utils.normalize(projections_2, axis=1, order=2)
        sim_a = ops.matmul(self.nearest_neighbour(projections_1), ops.transpose(projections_2))
        sim_b = ops.matmul(self.nearest_neighbour(projections_2), ops.transpose(projections_1))
        batch_size = ops.shape(projections_1)[0]
        labels = ops.arange(batch_size)
        loss = keras.losses.sparse_categorical_crossentropy(
            ops.concatenate([labels, labels], axis=0),
            ops.concatenate([sim_a, sim_b], axis=0) / self.temperature,
            from_logits=True,
        )
        self.feature_queue.assign(
            ops.concatenate([projections_1, self.feature_queue[:-batch_size]], axis=0)
        )
        return ops.mean(loss)

    def train_step(self, data):
        (unlabeled_images, _), (labeled_images, labels) = data
        images = ops.concatenate((unlabeled_images, labeled_images), axis=0)
        with tf.GradientTape() as tape:
            features_1 = self.encoder(images, training=True)
            features_2 = self.encoder(images[:, ::-1], training=True)
            loss = self.contrastive_loss(
                self.projection_head(features_1, training=True),
                self.projection_head(features_2, training=True),
            )
        # the weights exist once the sub-models have run (built on the first call)
        watched = self.encoder.trainable_weights + self.projection_head.trainable_weights
        gradients = tape.gradient(loss, watched)
        assert all(g is not None for g in gradients)  # normalize kept the tape connected
        self.contrastive_optimizer.apply_gradients(zip(gradients, watched))
        with tf.GradientTape() as tape:
            features = self.encoder(labeled_images, training=False)
            class_logits = self.linear_probe(features, training=True)
            probe_loss = self.probe_loss(labels, class_logits)
        gradients = tape.gradient(probe_loss, self.linear_probe.trainable_weights)
        self.probe_optimizer.apply_gradients(zip(gradients, self.linear_probe.trainable_weights))
        self.probe_accuracy.update_state(labels, class_logits)
        return {"c_loss": loss, "p_loss": probe_loss, "p_acc": self.probe_accuracy.result()}

    def test_step(self, data):
        labeled_images, labels = data
        class_logits = self.linear_probe(self.encoder(labeled_images, training=False))
        self.probe_accuracy.update_state(labels, class_logits)
        return {
            "p_loss": self.probe_loss(labels, class_logits),
            "p_acc": self.probe_accuracy.result(),
        }


unlabeled = tf.data.Dataset.from_tensor_slices(
    (rng.normal(size=(8, 8, 8, 3)).astype("float32"), -np.ones(8, "int64"))
).batch(4)
labeled = tf.data.Dataset.from_tensor_slices(
    (rng.normal(size=(8, 8, 8, 3)).astype("float32"), rng.integers(0, 3, (8,)))
).batch(4)
model = NNCLR()
model.compile(
    contrastive_optimizer=keras.optimizers.Adam(), probe_optimizer=keras.optimizers.Adam()
)
queue_before = model.feature_queue.numpy().copy()
history = model.fit(
    tf.data.Dataset.zip((unlabeled, labeled)), epochs=2, validation_data=labeled, verbose=0
)
assert sorted(history.history) == ["c_loss", "p_acc", "p_loss", "val_p_acc", "val_p_loss"]
assert all(np.isfinite(history.history["c_loss"]))
assert model.feature_queue.shape == (queue_size, width) and not model.feature_queue.trainable
assert not np.allclose(queue_before, model.feature_queue.numpy())
np.testing.assert_allclose(np.linalg.norm(model.feature_queue.numpy(), axis=1), 1.0, rtol=1e-5)
assert int(model.contrastive_optimizer.iterations.numpy()) == 4
assert int(model.probe_optimizer.iterations.numpy()) == 4
print("ok")
