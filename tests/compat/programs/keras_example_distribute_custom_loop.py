# TF tutorial "Custom training with tf.distribute.Strategy": MirroredStrategy, a global
# batch, experimental_distribute_dataset, per-example losses with reduction NONE and
# tf.nn.compute_average_loss (plus model regularization losses via scale_regularization_loss),
# strategy.run inside a tf.function, strategy.reduce of the per-replica losses, metrics
# and optimizer created in strategy.scope(), and a checkpoint restored after training.
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(11)
rng = np.random.default_rng(11)
strategy = tf.distribute.MirroredStrategy()
replicas = strategy.num_replicas_in_sync
assert replicas >= 1

BATCH_SIZE_PER_REPLICA = 16
GLOBAL_BATCH_SIZE = BATCH_SIZE_PER_REPLICA * replicas
EPOCHS = 6
labels = rng.integers(0, 2, 320)
images = rng.random((320, 6, 6, 1)).astype("float32") * 0.6
images[labels == 1, :3] += 0.4  # class 1: a brighter top half
train_images, train_labels = images[:256], labels[:256]
test_images, test_labels = images[256:], labels[256:]

train_dataset = (
    tf.data.Dataset.from_tensor_slices((train_images, train_labels))
    .shuffle(256)
    .batch(GLOBAL_BATCH_SIZE)
)
test_dataset = tf.data.Dataset.from_tensor_slices((test_images, test_labels)).batch(
    GLOBAL_BATCH_SIZE
)
train_dist_dataset = strategy.experimental_distribute_dataset(train_dataset)
test_dist_dataset = strategy.experimental_distribute_dataset(test_dataset)


def create_model():
    regularizer = tf.keras.regularizers.L2(1e-4)
    return tf.keras.Sequential(
        [
            tf.keras.layers.Input((6, 6, 1)),
            tf.keras.layers.Conv2D(8, 3, activation="relu", kernel_regularizer=regularizer),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(16, activation="relu", kernel_regularizer=regularizer),
            tf.keras.layers.Dense(2),
        ]
    )


with strategy.scope():
    loss_object = tf.keras.losses.SparseCategoricalCrossentropy(
        from_logits=True, reduction=tf.keras.losses.Reduction.NONE
    )

    def compute_loss(labels, predictions, model_losses):
        per_example_loss = loss_object(labels, predictions)
        loss = tf.nn.compute_average_loss(per_example_loss)
        if model_losses:
            loss += tf.nn.scale_regularization_loss(tf.add_n(model_losses))
        return loss

    test_loss = tf.keras.metrics.Mean(name="test_loss")
    train_accuracy = tf.keras.metrics.SparseCategoricalAccuracy(name="train_accuracy")
    test_accuracy = tf.keras.metrics.SparseCategoricalAccuracy(name="test_accuracy")
    model = create_model()
    optimizer = tf.keras.optimizers.Adam(learning_rate=0.01)
    checkpoint = tf.train.Checkpoint(optimizer=optimizer, model=model)


def train_step(inputs):
    images, labels = inputs
    with tf.GradientTape() as tape:
        predictions = model(images, training=True)
        loss = compute_loss(labels, predictions, model.losses)
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    train_accuracy.update_state(labels, predictions)
    return loss


def test_step(inputs):
    images, labels = inputs
    predictions = model(images, training=False)
    t_loss = loss_object(labels, predictions)
    test_loss.update_state(t_loss)
    test_accuracy.update_state(labels, predictions)


@tf.function
def distributed_train_step(dataset_inputs):
    per_replica_losses = strategy.run(train_step, args=(dataset_inputs,))
    return strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica_losses, axis=None)


@tf.function
def distributed_test_step(dataset_inputs):
    return strategy.run(test_step, args=(dataset_inputs,))


# compute_average_loss divides by the global batch size
per_example = tf.constant([1.0, 2.0, 3.0, 6.0])
np.testing.assert_allclose(float(tf.nn.compute_average_loss(per_example)), 3.0)
np.testing.assert_allclose(float(tf.nn.compute_average_loss(per_example, global_batch_size=8)), 1.5)
np.testing.assert_allclose(
    float(tf.nn.compute_average_loss(per_example, sample_weight=[1.0, 0.0, 1.0, 0.0])), 1.0
)
np.testing.assert_allclose(float(tf.nn.scale_regularization_loss(4.0)), 4.0 / replicas)

history = []
for epoch in range(EPOCHS):
    total_loss = 0.0
    num_batches = 0
    for x in train_dist_dataset:
        total_loss += distributed_train_step(x)
        num_batches += 1
    train_loss = total_loss / num_batches
    for x in test_dist_dataset:
        distributed_test_step(x)
    history.append(
        (
            float(train_loss),
            float(train_accuracy.result()),
            float(test_loss.result()),
            float(test_accuracy.result()),
        )
    )
    test_loss.reset_state()
    train_accuracy.reset_state()
    test_accuracy.reset_state()

assert num_batches == 256 // GLOBAL_BATCH_SIZE
assert history[-1][0] < history[0][0], history
assert history[-1][3] > 0.85, history
assert optimizer.iterations.numpy() == EPOCHS * num_batches
save_path = checkpoint.save("./tf_ckpt/ckpt")

# a new model restored from the checkpoint gives the same test accuracy
with strategy.scope():
    new_model = create_model()
    new_optimizer = tf.keras.optimizers.Adam()
    eval_accuracy = tf.keras.metrics.SparseCategoricalAccuracy(name="eval_accuracy")
new_checkpoint = tf.train.Checkpoint(optimizer=new_optimizer, model=new_model)
new_checkpoint.restore(tf.train.latest_checkpoint("./tf_ckpt")).expect_partial()
assert tf.train.latest_checkpoint("./tf_ckpt") == save_path


@tf.function
def eval_step(images, labels):
    predictions = new_model(images, training=False)
    eval_accuracy(labels, predictions)


for images_b, labels_b in test_dataset:
    eval_step(images_b, labels_b)
np.testing.assert_allclose(float(eval_accuracy.result()), history[-1][3], atol=1e-6)
for w_old, w_new in zip(model.weights, new_model.weights):
    np.testing.assert_array_equal(w_old.numpy(), w_new.numpy())

# iterating the distributed dataset by hand; per-replica values come back through reduce
iterator = iter(train_dist_dataset)
batch = next(iterator)
per_replica = strategy.run(
    lambda inputs: tf.reduce_sum(tf.cast(inputs[1], tf.float32)), args=(batch,)
)
count = strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica, axis=None)
local = strategy.experimental_local_results(per_replica)
assert len(local) == replicas
np.testing.assert_allclose(float(count), sum(float(v) for v in local))
mean_batch = strategy.reduce(
    tf.distribute.ReduceOp.MEAN,
    strategy.run(lambda inputs: tf.cast(inputs[1], tf.float32), args=(batch,)),
    axis=0,
)
assert mean_batch.shape == ()  # axis=0 reduces the batch axis across the replicas too
np.testing.assert_allclose(float(mean_batch), float(count) / GLOBAL_BATCH_SIZE, rtol=1e-6)
print("history", history[-1], "replicas", replicas)
