# keras.io "Image Segmentation using Composable Fully-Convolutional Networks": backbone taps via
# get_layer().output, editing the returned output list, bilinear UpSampling2D skip heads,
# MeanIoU(sparse_y_pred=False) under mixed_float16
import numpy as np
import tensorflow as tf
from tensorflow import keras

keras.utils.set_random_seed(27)
SIZE, CLASSES = 32, 3

# a small VGG-like backbone whose pool outputs are tapped by name
img = keras.Input((SIZE, SIZE, 3), name="img")
h = img
for block, filters in enumerate([4, 8, 8], start=1):
    h = keras.layers.Conv2D(
        filters, 3, padding="same", activation="relu", name=f"block{block}_conv"
    )(h)
    h = keras.layers.MaxPooling2D(name=f"block{block}_pool")(h)
vgg_like = keras.Model(img, h)
assert vgg_like.layers[1].name == "block1_conv"
taps = keras.Model(
    inputs=vgg_like.layers[1].input,
    outputs=[vgg_like.get_layer(n).output for n in ["block2_pool", "block3_pool"]],
)
taps.trainable = False

keras.mixed_precision.set_global_policy("mixed_float16")
try:
    inp = keras.Input((SIZE, SIZE, 3))
    feats = taps(inp)
    assert isinstance(feats, list) and [tuple(f.shape) for f in feats] == [
        (None, 8, 8, 8),
        (None, 4, 4, 8),
    ]
    head = keras.Sequential(
        [
            keras.layers.Conv2D(
                6,
                3,
                padding="same",
                activation="relu",
                use_bias=False,
                kernel_initializer=tf.constant_initializer(0.05),
            ),
            keras.layers.Dropout(0.5),
        ]
    )
    head.trainable = False
    feats[-1] = head(feats[-1])  # the user edits the list the backbone call returned
    pool4, pool5 = feats
    assert pool5.shape == (None, 4, 4, 6)

    score5 = keras.layers.Conv2D(CLASSES, 1, activation="relu")(pool5)
    score4 = keras.layers.Conv2D(CLASSES, 1, kernel_initializer=keras.initializers.Zeros())(pool4)
    up5 = keras.layers.UpSampling2D(size=(2, 2), interpolation="bilinear")(score5)
    fused = keras.layers.Add()([score4, up5])
    probs = keras.layers.Conv2D(CLASSES, 1, activation="softmax")(fused)
    out = keras.layers.UpSampling2D(
        size=(4, 4), data_format=keras.backend.image_data_format(), interpolation="bilinear"
    )(probs)
    model = keras.Model(inp, out)
    assert out.shape == (None, SIZE, SIZE, CLASSES) and out.dtype == "float16"
    assert len(model.trainable_weights) == 6  # the two score convs and the final conv
    assert len(model.non_trainable_weights) == 7  # 3 backbone convs (kernel+bias) + head

    images = np.random.uniform(0, 255, (6, SIZE, SIZE, 3)).astype("float32")
    masks = np.random.randint(0, CLASSES, (6, SIZE, SIZE, 1)).astype("float32")
    model.compile(
        optimizer=keras.optimizers.AdamW(learning_rate=1e-3, weight_decay=1e-4),
        loss=keras.losses.SparseCategoricalCrossentropy(),
        metrics=[
            keras.metrics.MeanIoU(num_classes=CLASSES, sparse_y_pred=False),
            keras.metrics.SparseCategoricalAccuracy(),
        ],
    )
    frozen_before = [w.copy() for w in taps.get_weights()]
    hist = model.fit(images, masks, batch_size=3, epochs=1, validation_split=0.5, verbose=0)
    assert sorted(hist.history) == [
        "loss",
        "mean_io_u",
        "sparse_categorical_accuracy",
        "val_loss",
        "val_mean_io_u",
        "val_sparse_categorical_accuracy",
    ]
    assert all(np.array_equal(a, b) for a, b in zip(frozen_before, taps.get_weights()))
    pred = model.predict(images[:2], verbose=0)
    assert pred.shape == (2, SIZE, SIZE, CLASSES) and pred.dtype == np.float16
    np.testing.assert_allclose(pred.astype("float32").sum(-1), 1.0, atol=2e-2)
finally:
    keras.mixed_precision.set_global_policy("float32")

# the example resizes uint8 images and masks with a Resizing layer inside Dataset.map:
# there (a graph) the layer works in its compute dtype; called eagerly, uint8 stays uint8
raw = {
    "image": np.random.randint(0, 256, (4, 40, 40, 3)).astype("uint8"),
    "segmentation_mask": np.random.randint(1, 4, (4, 40, 40, 1)).astype("uint8"),
}
resize = keras.layers.Resizing(SIZE, SIZE)
pipeline = tf.data.Dataset.from_tensor_slices(raw).batch(2)
pipeline = pipeline.map(
    lambda s: (resize(s["image"]), resize(s["segmentation_mask"])),
    num_parallel_calls=tf.data.AUTOTUNE,
)
batch_images, batch_masks = next(iter(pipeline))
assert batch_images.dtype == tf.float32 and batch_masks.dtype == tf.float32
assert batch_images.shape == (2, SIZE, SIZE, 3) and batch_masks.shape == (2, SIZE, SIZE, 1)
np.testing.assert_allclose(
    batch_images.numpy(), tf.image.resize(raw["image"][:2], (SIZE, SIZE)).numpy(), atol=1e-4
)
assert resize(raw["image"]).dtype == tf.uint8
pre = keras.applications.vgg19.preprocess_input(batch_images)
assert pre.dtype == tf.float32 and pre.shape == batch_images.shape

# MeanIoU with probabilities: the argmax of y_pred is taken
miou = keras.metrics.MeanIoU(num_classes=3, sparse_y_pred=False)
miou.update_state(np.array([0, 1, 2, 2]), np.eye(3, dtype="float32")[[0, 1, 1, 2]])
np.testing.assert_allclose(float(miou.result()), (1 + 0.5 + 0.5) / 3, rtol=1e-6)
print("ok")
