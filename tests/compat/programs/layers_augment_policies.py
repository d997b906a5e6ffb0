"""Augmentation policies and occlusion / warp layers of Keras 3 (RandAugment, AugMix,
RandomShear, RandomPerspective, RandomErasing, RandomGaussianBlur) and tf.keras'
RandomHeight / RandomWidth, as a training pipeline uses them: in Dataset.map, inside a
model that trains, under tf.function; with the fixed-draw cases checked exactly."""

import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(11)
L = tf.keras.layers
rng = np.random.default_rng(1)
images = (rng.random((24, 16, 16, 3)) * 255).astype("float32")
labels = np.arange(24) % 2
images[labels == 1, :, 6:10] = 255.0  # class 1: a vertical bar

# -- fixed draws --
# a box of the whole image (scale 1) filled with a constant; clipped to value_range
erased = L.RandomErasing(factor=(1.0, 1.0), scale=(1.0, 1.0), fill_value=300.0)(images[:2])
np.testing.assert_array_equal(erased, 255.0)
# erasing a random box of each image: the rest is untouched
boxes = L.RandomErasing(factor=(1.0, 1.0), fill_value=-1.0, value_range=(-1, 255), seed=2)
boxes = boxes(images[:4]).numpy()
for out, original in zip(boxes, images[:4]):
    hit = np.all(out == -1.0, axis=-1)
    assert hit.any() and np.array_equal(out[~hit], original[~hit])
# no perspective offset (scale 0) and no shear: the images come back
np.testing.assert_allclose(L.RandomPerspective(scale=0.0)(images[:4]), images[:4], atol=1e-2)
np.testing.assert_array_equal(L.RandomShear()(images[:4]), images[:4])
# a shear of +-0.25 along x keeps the top row (the shear is about the top-left corner)
sheared = L.RandomShear(x_factor=(0.25, 0.25), fill_mode="constant", seed=3)(images[:4])
np.testing.assert_allclose(sheared.numpy()[:, 0], images[:4, 0], atol=1e-3)
# a 5x5 Gaussian blur with sigma 1 keeps a flat interior and sums to one
flat = np.full((1, 9, 9, 1), 100.0, "float32")
blurred = L.RandomGaussianBlur(factor=(1.0, 1.0), kernel_size=5, sigma=(1.0, 1.0))(flat).numpy()
np.testing.assert_allclose(blurred[0, 2:-2, 2:-2], 100.0, rtol=1e-4)
assert blurred[0, 0, 0, 0] < 100.0  # zero padding darkens the corners

# RandomElasticTransform: a smooth displacement; scale 0 or factor 0 leave the images
np.testing.assert_array_equal(L.RandomElasticTransform(scale=0.0)(images[:2]), images[:2])
np.testing.assert_array_equal(L.RandomElasticTransform(factor=0.0)(images[:2]), images[:2])
ramp = np.tile(np.arange(32, dtype="float32")[None, :, None], (32, 1, 1))[None]
elastic = L.RandomElasticTransform(
    factor=(1.0, 1.0), scale=(1.0, 1.0), fill_mode="nearest", value_range=(-99, 99), seed=12
)
shift = (elastic(ramp).numpy() - ramp)[0, 6:-6, 6:-6, 0]  # the x displacement of each pixel
assert shift.std() > 0.2 and np.abs(np.diff(shift, axis=1)).mean() < shift.std()

# RandomHeight / RandomWidth change the size; identity when not training
taller = L.RandomHeight(factor=(0.5, 0.5))(images[:2])
assert taller.shape == (2, 24, 16, 3)
narrower = L.RandomWidth(factor=(-0.25, -0.25), interpolation="nearest")(images[:2])
assert narrower.shape == (2, 16, 12, 3)
assert L.RandomHeight(0.3)(images[:2], training=False).shape == (2, 16, 16, 3)
inputs = tf.keras.Input((16, 16, 3))
assert tuple(L.RandomHeight(0.3)(inputs).shape) == (None, None, 16, 3)

# -- RandAugment / AugMix: random, in range, identity at inference --
rand_augment = L.RandAugment(value_range=(0, 255), num_ops=2, factor=0.5, seed=4)
aug_mix = L.AugMix(value_range=(0, 255), num_chains=2, chain_depth=2, seed=5)
for layer in (rand_augment, aug_mix):
    out = layer(images[:8]).numpy()
    assert out.shape == (8, 16, 16, 3) and np.isfinite(out).all()
    assert not np.allclose(out, images[:8])
    np.testing.assert_array_equal(layer(images[:8], training=False), images[:8])
assert aug_mix(images[:8]).numpy().max() <= 255.0 and aug_mix(images[:8]).numpy().min() >= 0.0

# -- a pipeline: resize at random per batch, then policies; a model with warps inside --
random_height = L.RandomHeight(0.25, seed=6)  # layers are made outside Dataset.map


def augment(x, y):
    x = random_height(x, training=True)
    x = tf.image.resize(x, (16, 16))
    x = rand_augment(x, training=True)
    return x, y


train = tf.data.Dataset.from_tensor_slices((images, labels)).batch(6).map(augment)
for x, y in train:
    assert x.shape == (6, 16, 16, 3) and y.shape == (6,)

model = tf.keras.Sequential(
    [
        tf.keras.Input((16, 16, 3)),
        L.RandomShear(x_factor=0.1, y_factor=0.1, seed=7),
        L.RandomPerspective(factor=0.5, scale=0.2, seed=8),
        L.RandomErasing(factor=0.3, scale=(0.02, 0.1), seed=9),
        L.RandomGaussianBlur(factor=0.3, seed=10),
        L.RandomElasticTransform(factor=0.3, scale=0.5, seed=13),
        L.Rescaling(1 / 255.0),
        L.Conv2D(4, 3, activation="relu"),
        L.GlobalAveragePooling2D(),
        L.Dense(2),
    ]
)
model.compile(
    optimizer=tf.keras.optimizers.Adam(0.01),
    loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
)
history = model.fit(train, epochs=2, verbose=0)
assert np.isfinite(history.history["loss"]).all()
np.testing.assert_allclose(model.predict(images, verbose=0), model.predict(images, verbose=0))

step = tf.function(lambda x: rand_augment(x, training=True))
a, b = step(images[:4]).numpy(), step(images[:4]).numpy()
assert a.shape == (4, 16, 16, 3) and not np.allclose(a, b)

config = rand_augment.get_config()
assert config["num_ops"] == 2 and config["value_range"] == (0, 255)
assert L.AugMix.from_config(aug_mix.get_config()).get_config()["num_chains"] == 2
print("policies ok")
