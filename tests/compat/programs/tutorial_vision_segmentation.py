# TensorFlow's "Image segmentation" tutorial on synthetic images: a dict dataset resized with
# NEAREST_NEIGHBOR masks, an Augment layer flipping images and masks alike (same seed), a U-Net
# whose encoder is a multi-output model cut from MobileNetV2 (weights=None), and
# SparseCategoricalCrossentropy on float masks with per-pixel sample weights.
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(7)
rng = np.random.default_rng(7)
n = 12
masks = np.ones((n, 40, 40, 1), "uint8")  # classes 1..3 as in Oxford pets' trimaps
masks[:, :, 20:] = 2
masks[:, 30:, :] = 3
for i in range(n):
    masks[i] = np.roll(masks[i], rng.integers(-8, 8), axis=1)
images = np.repeat(masks * 60, 3, axis=-1).astype("uint8")  # the image shows its mask
dataset = tf.data.Dataset.from_tensor_slices({"image": images, "segmentation_mask": masks})


def normalize(input_image, input_mask):
    input_image = tf.cast(input_image, tf.float32) / 255.0
    input_mask -= 1
    return input_image, input_mask


def load_image(datapoint):
    input_image = tf.image.resize(datapoint["image"], (32, 32))
    input_mask = tf.image.resize(
        datapoint["segmentation_mask"],
        (32, 32),
        method=tf.image.ResizeMethod.NEAREST_NEIGHBOR,
    )
    input_image, input_mask = normalize(input_image, input_mask)
    return input_image, input_mask


train_images = dataset.map(load_image, num_parallel_calls=tf.data.AUTOTUNE)
image, mask = next(iter(train_images))
assert image.shape == (32, 32, 3) and image.dtype == tf.float32
assert mask.shape == (32, 32, 1) and mask.dtype == tf.uint8  # nearest keeps the dtype
assert set(np.unique(mask.numpy())) == {0, 1, 2}


class Augment(tf.keras.layers.Layer):
    def __init__(self, seed=42):
        super().__init__()
        # both use the same seed, so they'll make the same random changes.
        self.augment_inputs = tf.keras.layers.RandomFlip(mode="horizontal", seed=seed)
        self.augment_labels = tf.keras.layers.RandomFlip(mode="horizontal", seed=seed)

    def call(self, inputs, labels):
        inputs = self.augment_inputs(inputs)
        labels = self.augment_labels(labels)
        return inputs, labels


BATCH_SIZE = 4
train_batches = (
    train_images.cache()
    .shuffle(n)
    .batch(BATCH_SIZE)
    .repeat()
    .map(Augment())
    .prefetch(buffer_size=tf.data.AUTOTUNE)
)
test_batches = train_images.batch(BATCH_SIZE)
flipped_any = False
for images_b, masks_b in train_batches.take(3):
    assert images_b.shape == (4, 32, 32, 3) and masks_b.shape == (4, 32, 32, 1)
    # the image still shows its mask: the flips were the same
    np.testing.assert_allclose(
        np.round(images_b.numpy()[..., :1] * 255 / 60) - 1, masks_b.numpy(), atol=1e-6
    )
    # class 1 starts on the right before any flip; flipped rows show it on the left
    flipped_any |= bool(np.any(masks_b.numpy()[:, 5, 0, 0] == 1))
assert flipped_any

base_model = tf.keras.applications.MobileNetV2(
    input_shape=[32, 32, 3], include_top=False, weights=None
)
layer_names = [
    "block_1_expand_relu",  # 16x16
    "block_3_expand_relu",  # 8x8
    "block_6_expand_relu",  # 4x4
    "block_13_expand_relu",  # 2x2
    "block_16_project",  # 1x1
]
base_model_outputs = [base_model.get_layer(name).output for name in layer_names]
down_stack = tf.keras.Model(inputs=base_model.input, outputs=base_model_outputs)
down_stack.trainable = False
assert [tuple(o.shape) for o in down_stack.outputs] == [
    (None, 16, 16, 96),
    (None, 8, 8, 144),
    (None, 4, 4, 192),
    (None, 2, 2, 576),
    (None, 1, 1, 320),
]


def upsample(filters, size, apply_dropout=False):
    initializer = tf.random_normal_initializer(0.0, 0.02)
    result = tf.keras.Sequential()
    result.add(
        tf.keras.layers.Conv2DTranspose(
            filters,
            size,
            strides=2,
            padding="same",
            kernel_initializer=initializer,
            use_bias=False,
        )
    )
    result.add(tf.keras.layers.BatchNormalization())
    if apply_dropout:
        result.add(tf.keras.layers.Dropout(0.5))
    result.add(tf.keras.layers.ReLU())
    return result


up_stack = [upsample(64, 3), upsample(32, 3), upsample(16, 3), upsample(16, 3)]


def unet_model(output_channels: int):
    inputs = tf.keras.layers.Input(shape=[32, 32, 3])
    skips = down_stack(inputs)
    x = skips[-1]
    skips = reversed(skips[:-1])
    for up, skip in zip(up_stack, skips):
        x = up(x)
        concat = tf.keras.layers.Concatenate()
        x = concat([x, skip])
    last = tf.keras.layers.Conv2DTranspose(
        filters=output_channels, kernel_size=3, strides=2, padding="same"
    )
    x = last(x)
    return tf.keras.Model(inputs=inputs, outputs=x)


OUTPUT_CLASSES = 3
model = unet_model(output_channels=OUTPUT_CLASSES)
model.compile(
    optimizer=tf.keras.optimizers.Adam(0.01),
    loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
assert model.output_shape == (None, 32, 32, 3)
assert len(model.layers) == 11  # input, down_stack, 4 x (upsample, concatenate), last
assert model.layers[1] is down_stack
assert len(model.trainable_variables) == 4 * 3 + 2  # upsample kernels + BN pairs, last


def create_mask(pred_mask):
    pred_mask = tf.math.argmax(pred_mask, axis=-1)
    pred_mask = pred_mask[..., tf.newaxis]
    return pred_mask[0]


pred = create_mask(model.predict(images_b[:1], verbose=0))
assert pred.shape == (32, 32, 1) and pred.dtype == tf.int64

frozen = [w.copy() for w in down_stack.get_weights()]
history = model.fit(
    train_batches,
    epochs=4,
    steps_per_epoch=3,
    validation_steps=1,
    validation_data=test_batches,
    verbose=0,
)
assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
assert history.history["loss"][-1] < history.history["loss"][0], history.history["loss"]
for before, after in zip(frozen, down_stack.get_weights()):
    np.testing.assert_array_equal(before, after)  # frozen, BatchNormalization included

class_weights = tf.constant([2.0, 2.0, 1.0])
class_weights = class_weights / tf.reduce_sum(class_weights)


def add_sample_weights(image, label):
    # The weights for each class, with the constraint that: sum(class_weights) == 1.0
    sample_weights = tf.gather(class_weights, indices=tf.cast(label, tf.int32))
    return image, label, sample_weights


weighted = train_batches.map(add_sample_weights)
_, labels_w, weights_w = next(iter(weighted))
assert weights_w.shape == (4, 32, 32, 1)
np.testing.assert_allclose(weights_w.numpy(), np.where(labels_w.numpy() == 2, 0.2, 0.4), rtol=1e-6)
history = model.fit(weighted, epochs=1, steps_per_epoch=2, verbose=0)
assert np.isfinite(history.history["loss"][0])
print("segmentation ok")
