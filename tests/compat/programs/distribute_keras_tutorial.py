# The "Distributed training with Keras" tutorial, small: MirroredStrategy, a global batch
# of per-replica batch x replicas, auto-shard options, callbacks (TensorBoard, weight
# checkpoints per epoch, LearningRateScheduler, a PrintLR callback reading the
# optimizer's rate), reloading the latest checkpoint, evaluate, save and load_model.
import glob
import os

import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)
strategy = tf.distribute.MirroredStrategy()
print("Number of devices: {}".format(strategy.num_replicas_in_sync))

BUFFER_SIZE = 1000
BATCH_SIZE_PER_REPLICA = 32
BATCH_SIZE = BATCH_SIZE_PER_REPLICA * strategy.num_replicas_in_sync

rng = np.random.default_rng(0)
images = rng.random((512, 8, 8, 1)).astype("float32")
labels = (images.mean(axis=(1, 2, 3)) * 10).astype("int64") % 10


def scale(image, label):
    image = tf.cast(image, tf.float32)
    return image, label


options = tf.data.Options()
options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
train_dataset = (
    tf.data.Dataset.from_tensor_slices((images[:448], labels[:448]))
    .map(scale)
    .cache()
    .shuffle(BUFFER_SIZE)
    .batch(BATCH_SIZE)
    .with_options(options)
)
eval_dataset = (
    tf.data.Dataset.from_tensor_slices((images[448:], labels[448:])).map(scale).batch(BATCH_SIZE)
)

with strategy.scope():
    model = tf.keras.Sequential(
        [
            tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(8, 8, 1)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(32, activation="relu"),
            tf.keras.layers.Dense(10),
        ]
    )
    model.compile(
        loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        optimizer=tf.keras.optimizers.Adam(),
        metrics=["accuracy"],
    )

checkpoint_dir = "./training_checkpoints"
checkpoint_prefix = os.path.join(checkpoint_dir, "ckpt_{epoch}.weights.h5")


def decay(epoch):
    if epoch < 2:
        return 1e-3
    elif 2 <= epoch < 4:
        return 1e-4
    else:
        return 1e-5


seen_rates = []


class PrintLR(tf.keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        rate = model.optimizer.learning_rate.numpy()
        seen_rates.append(float(rate))
        print("\nLearning rate for epoch {} is {}".format(epoch + 1, rate))


callbacks = [
    tf.keras.callbacks.TensorBoard(log_dir="./logs"),
    tf.keras.callbacks.ModelCheckpoint(filepath=checkpoint_prefix, save_weights_only=True),
    tf.keras.callbacks.LearningRateScheduler(decay),
    PrintLR(),
]
EPOCHS = 5
history = model.fit(train_dataset, epochs=EPOCHS, callbacks=callbacks, verbose=0)
np.testing.assert_allclose(seen_rates, [1e-3, 1e-3, 1e-4, 1e-4, 1e-5], rtol=1e-6)
assert history.history["learning_rate"] == seen_rates or np.allclose(
    history.history["learning_rate"], seen_rates
)
saved = sorted(os.path.basename(p) for p in glob.glob(os.path.join(checkpoint_dir, "*")))
assert saved == [f"ckpt_{e}.weights.h5" for e in range(1, EPOCHS + 1)], saved
assert glob.glob("./logs/train/*")

eval_loss, eval_acc = model.evaluate(eval_dataset, verbose=0)
model.load_weights(os.path.join(checkpoint_dir, f"ckpt_{EPOCHS}.weights.h5"))
again_loss, again_acc = model.evaluate(eval_dataset, verbose=0)
np.testing.assert_allclose([again_loss, again_acc], [eval_loss, eval_acc], rtol=1e-5)
model.load_weights(os.path.join(checkpoint_dir, "ckpt_1.weights.h5"))
first_loss, _ = model.evaluate(eval_dataset, verbose=0)
assert first_loss != eval_loss

path = "saved_model.keras"
model.save(path)
with strategy.scope():
    replicated_model = tf.keras.models.load_model(path)
    replicated_model.compile(
        loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        optimizer=tf.keras.optimizers.Adam(),
        metrics=["accuracy"],
    )
    loss2, acc2 = replicated_model.evaluate(eval_dataset, verbose=0)
np.testing.assert_allclose(loss2, first_loss, rtol=1e-5)
