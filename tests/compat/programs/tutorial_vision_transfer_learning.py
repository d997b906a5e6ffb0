# TensorFlow's "Transfer learning and fine-tuning" tutorial on synthetic images: a
# MobileNetV2 base (weights=None) frozen under a new head, then fine-tuned from layer 100.
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
IMG_SIZE = (32, 32)
BATCH_SIZE = 4
labels = np.arange(36) % 2
images = rng.uniform(0, 255, size=(36, 32, 32, 3)).astype("float32")
images[labels == 1, :, :, 0] = 230.0  # class 1: a saturated red channel
train_dataset = tf.data.Dataset.from_tensor_slices((images[:16], labels[:16])).batch(BATCH_SIZE)
validation_dataset = tf.data.Dataset.from_tensor_slices((images[16:], labels[16:])).batch(
    BATCH_SIZE
)

val_batches = tf.data.experimental.cardinality(validation_dataset)
test_dataset = validation_dataset.take(val_batches // 5)
validation_dataset = validation_dataset.skip(val_batches // 5)
assert int(val_batches) == 5
assert int(tf.data.experimental.cardinality(test_dataset)) == 1
assert int(tf.data.experimental.cardinality(validation_dataset)) == 4
train_dataset = train_dataset.prefetch(buffer_size=tf.data.AUTOTUNE)

data_augmentation = tf.keras.Sequential(
    [tf.keras.layers.RandomFlip("horizontal"), tf.keras.layers.RandomRotation(0.2)]
)
for image, _ in train_dataset.take(1):
    first_image = image[0]
    augmented = data_augmentation(tf.expand_dims(first_image, 0))  # Keras 3: training=True
    assert augmented.shape == (1, 32, 32, 3)
    assert np.abs(augmented.numpy()[0] - first_image.numpy()).max() > 1.0
    # in inference mode the augmentation layers pass images through
    same = data_augmentation(tf.expand_dims(first_image, 0), training=False)
    np.testing.assert_allclose(same.numpy()[0], first_image.numpy())

preprocess_input = tf.keras.applications.mobilenet_v2.preprocess_input
rescale = tf.keras.layers.Rescaling(1.0 / 127.5, offset=-1)
pixels = np.array([0.0, 127.5, 255.0], "float32")
np.testing.assert_allclose(np.asarray(preprocess_input(pixels.copy())), [-1.0, 0.0, 1.0])
np.testing.assert_allclose(rescale(pixels).numpy(), [-1.0, 0.0, 1.0])

IMG_SHAPE = IMG_SIZE + (3,)
base_model = tf.keras.applications.MobileNetV2(
    input_shape=IMG_SHAPE, include_top=False, weights=None
)
image_batch, label_batch = next(iter(train_dataset))
feature_batch = base_model(image_batch)
assert feature_batch.shape == (4, 1, 1, 1280)
assert len(base_model.layers) == 154

base_model.trainable = False
assert not base_model.layers[10].trainable and base_model.trainable_weights == []
global_average_layer = tf.keras.layers.GlobalAveragePooling2D()
feature_batch_average = global_average_layer(feature_batch)
assert feature_batch_average.shape == (4, 1280)
prediction_layer = tf.keras.layers.Dense(1)
assert prediction_layer(feature_batch_average).shape == (4, 1)

inputs = tf.keras.Input(shape=(32, 32, 3))
x = data_augmentation(inputs)
x = preprocess_input(x)
x = base_model(x, training=False)
x = global_average_layer(x)
x = tf.keras.layers.Dropout(0.2)(x)
outputs = prediction_layer(x)
model = tf.keras.Model(inputs, outputs)
assert len(model.trainable_variables) == 2  # the head's kernel and bias
assert model.count_params() == base_model.count_params() + 1281

base_learning_rate = 0.001
model.compile(
    optimizer=tf.keras.optimizers.Adam(learning_rate=base_learning_rate),
    loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
    metrics=[tf.keras.metrics.BinaryAccuracy(threshold=0.5, name="accuracy")],
)
loss0, accuracy0 = model.evaluate(validation_dataset, verbose=0)
assert np.isfinite(loss0) and 0.0 <= accuracy0 <= 1.0

base_weights = [w.copy() for w in base_model.get_weights()]
initial_epochs = 2
history = model.fit(
    train_dataset, epochs=initial_epochs, validation_data=validation_dataset, verbose=0
)
assert history.epoch == [0, 1]
assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
# the frozen base changed in nothing: weights and BatchNormalization statistics alike
for before, after in zip(base_weights, base_model.get_weights()):
    np.testing.assert_array_equal(before, after)

base_model.trainable = True
fine_tune_at = 100
for layer in base_model.layers[:fine_tune_at]:
    layer.trainable = False
model.compile(
    loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
    optimizer=tf.keras.optimizers.RMSprop(learning_rate=base_learning_rate / 10),
    metrics=[tf.keras.metrics.BinaryAccuracy(threshold=0.5, name="accuracy")],
)
assert len(model.trainable_variables) == 56
early = base_model.get_layer("Conv1").kernel.numpy().copy()
late = base_model.get_layer("block_16_project").kernel.numpy().copy()
late_bn = base_model.get_layer("block_16_project_BN")
late_mean = late_bn.moving_mean.numpy().copy()

fine_tune_epochs = 1
total_epochs = initial_epochs + fine_tune_epochs
history_fine = model.fit(
    train_dataset,
    epochs=total_epochs,
    initial_epoch=history.epoch[-1],
    validation_data=validation_dataset,
    verbose=0,
)
assert history_fine.epoch == [1, 2] and len(history_fine.history["loss"]) == 2
np.testing.assert_array_equal(base_model.get_layer("Conv1").kernel.numpy(), early)
assert np.abs(base_model.get_layer("block_16_project").kernel.numpy() - late).max() > 0
# Keras 3: fit's training=True overrides the training=False given to base_model, so the
# unfrozen BatchNormalization layers update their statistics
assert np.abs(late_bn.moving_mean.numpy() - late_mean).max() > 0

loss, accuracy = model.evaluate(test_dataset, verbose=0)
assert np.isfinite(loss) and accuracy in (0.0, 0.25, 0.5, 0.75, 1.0)
image_batch, label_batch = test_dataset.as_numpy_iterator().next()
logits = model.predict_on_batch(image_batch).flatten()
assert isinstance(logits, np.ndarray) and logits.shape == (4,)
predictions = tf.where(tf.nn.sigmoid(logits) < 0.5, 0, 1)
np.testing.assert_array_equal(predictions.numpy(), (logits >= 0).astype("int32"))
assert predictions.dtype == tf.int32
assert np.mean(predictions.numpy() == label_batch) == accuracy
print("transfer learning ok")
