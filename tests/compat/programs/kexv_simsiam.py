# keras.io "Self-supervised contrastive learning with SimSiam": two augmented views of each
# image from tf.data pipelines (random flips and noise in map), an encoder with a projection
# head and a predictor MLP, a negative cosine similarity loss with tf.stop_gradient on the
# target branch, a SimSiam keras.Model subclass with a custom train_step and a Mean tracker,
# then a linear probe trained on the frozen backbone. Synthetic 8x8 images of 3 classes.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers, regularizers

keras.utils.set_random_seed(53)
tf.random.set_seed(53)
rng = np.random.default_rng(53)
S, PROJECT_DIM, LATENT_DIM, WEIGHT_DECAY = 8, 16, 8, 5e-4
protos = rng.random((3, S, S, 3)).astype("float32")
labels = rng.integers(0, 3, 480)
images = np.clip(protos[labels] + 0.1 * rng.normal(size=(480, S, S, 3)), 0, 1).astype("float32")


def augment(image):
    image = tf.image.random_flip_left_right(image)
    image = image + tf.random.normal(tf.shape(image), stddev=0.05)
    return tf.clip_by_value(image, 0.0, 1.0)


ssl_ds_one = tf.data.Dataset.from_tensor_slices(images[:384]).shuffle(384, seed=1)
ssl_ds_one = ssl_ds_one.map(augment).batch(64)
ssl_ds_two = tf.data.Dataset.from_tensor_slices(images[:384]).shuffle(384, seed=1)
ssl_ds_two = ssl_ds_two.map(augment).batch(64)
ssl_ds = tf.data.Dataset.zip((ssl_ds_one, ssl_ds_two))
v1, v2 = next(iter(ssl_ds))
assert v1.shape == v2.shape == (64, S, S, 3)
np.testing.assert_array_less(-1e-6, v1.numpy())  # clipped to [0, 1]


def get_encoder():
    inputs = layers.Input((S, S, 3))
    x = layers.Rescaling(scale=2.0, offset=-1.0)(inputs)
    x = layers.Conv2D(16, 3, activation="relu", padding="same")(x)
    x = layers.GlobalAveragePooling2D(name="backbone_pool")(x)
    x = layers.Dense(PROJECT_DIM, use_bias=False,
                     kernel_regularizer=regularizers.l2(WEIGHT_DECAY))(x)  # fmt: skip
    x = layers.BatchNormalization()(x)
    x = layers.ReLU()(x)
    outputs = layers.Dense(PROJECT_DIM, use_bias=False,
                           kernel_regularizer=regularizers.l2(WEIGHT_DECAY))(x)  # fmt: skip
    outputs = layers.BatchNormalization()(outputs)
    return keras.Model(inputs, outputs, name="encoder")


def get_predictor():
    model = keras.Sequential(
        [
            layers.Input((PROJECT_DIM,)),
            layers.Dense(
                LATENT_DIM, use_bias=False, kernel_regularizer=regularizers.l2(WEIGHT_DECAY)
            ),  # fmt: skip
            layers.ReLU(),
            layers.BatchNormalization(),
            layers.Dense(PROJECT_DIM),
        ],
        name="predictor",
    )
    return model


def compute_loss(p, z):
    z = tf.stop_gradient(z)
    p = tf.math.l2_normalize(p, axis=1)
    z = tf.math.l2_normalize(z, axis=1)
    return -tf.reduce_mean(tf.reduce_sum((p * z), axis=1))


# the loss is -1 for aligned vectors, and z gets no gradient
p = tf.constant([[1.0, 2.0], [0.0, 3.0]])
z = tf.Variable([[2.0, 4.0], [0.0, 1.0]])
with tf.GradientTape(persistent=True) as tape:
    tape.watch(p)
    loss = compute_loss(p, z)
np.testing.assert_allclose(float(loss), -1.0, rtol=1e-6)
assert tape.gradient(loss, z) is None
assert tape.gradient(loss, p).shape == (2, 2)


class SimSiam(keras.Model):
    def __init__(self, encoder, predictor):
        super().__init__()
        self.encoder = encoder
        self.predictor = predictor
        self.loss_tracker = keras.metrics.Mean(name="loss")

    @property
    def metrics(self):
        return [self.loss_tracker]

    def train_step(self, data):
        ds_one, ds_two = data
        with tf.GradientTape() as tape:
            z1, z2 = self.encoder(ds_one), self.encoder(ds_two)
            p1, p2 = self.predictor(z1), self.predictor(z2)
            loss = compute_loss(p1, z2) / 2 + compute_loss(p2, z1) / 2
        learnable_params = self.encoder.trainable_variables + self.predictor.trainable_variables
        gradients = tape.gradient(loss, learnable_params)
        self.optimizer.apply_gradients(zip(gradients, learnable_params))
        self.loss_tracker.update_state(loss)
        return {"loss": self.loss_tracker.result()}


lr_decayed_fn = keras.optimizers.schedules.CosineDecay(initial_learning_rate=0.03, decay_steps=60)
early_stopping = keras.callbacks.EarlyStopping(
    monitor="loss", patience=5, restore_best_weights=True
)
simsiam = SimSiam(get_encoder(), get_predictor())
simsiam.compile(optimizer=keras.optimizers.SGD(lr_decayed_fn, momentum=0.6))
history = simsiam.fit(ssl_ds, epochs=10, callbacks=[early_stopping], verbose=0)
losses = history.history["loss"]
print("SimSiam loss", losses[0], "->", losses[-1])
assert all(-1.0 - 1e-5 <= v <= 1.0 + 1e-5 for v in losses)
assert min(losses) < losses[0] - 0.05, losses

backbone = keras.Model(simsiam.encoder.input, simsiam.encoder.get_layer("backbone_pool").output)
backbone.trainable = False
inputs = layers.Input((S, S, 3))
x = backbone(inputs, training=False)
outputs = layers.Dense(3, activation="softmax")(x)
linear_model = keras.Model(inputs, outputs, name="linear_model")
assert len(linear_model.trainable_weights) == 2
frozen = [w.numpy().copy() for w in backbone.weights]
linear_model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"],
                     optimizer=keras.optimizers.Adam(0.05))  # fmt: skip
linear_model.fit(images[:384], labels[:384], epochs=30, batch_size=64, verbose=0)
_, test_acc = linear_model.evaluate(images[384:], labels[384:], verbose=0)
print("linear probe accuracy", test_acc)
assert test_acc > 0.8, test_acc
for before, w in zip(frozen, backbone.weights):
    np.testing.assert_array_equal(before, w.numpy())
