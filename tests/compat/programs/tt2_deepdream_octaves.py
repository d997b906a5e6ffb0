# The DeepDream tutorial's second half on a small convolutional base: TiledGradients as a
# tf.Module whose tf.function (input_signature with the image size and tile size) loops over
# tf.range tile offsets with len() on a tensor, slices a tile with tensor bounds, sums the
# per-tile gradients, and undoes a random roll; then run_deep_dream_with_octaves with
# img_to_array, inception_v3.preprocess_input, and tf.image.resize to octave sizes.
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(23)
rng = np.random.default_rng(23)
original_img = rng.integers(0, 256, (30, 36, 3)).astype("uint8")

base_model = tf.keras.Sequential(
    [
        tf.keras.Input(shape=(None, None, 3)),
        tf.keras.layers.Conv2D(6, 3, padding="same", activation="relu", name="mixed3"),
        tf.keras.layers.Conv2D(6, 3, padding="same", activation="relu", name="mixed5"),
    ]
)
names = ["mixed3", "mixed5"]
dream_model = tf.keras.Model(
    inputs=base_model.inputs, outputs=[base_model.get_layer(n).output for n in names]
)


def calc_loss(img, model):
    img_batch = tf.expand_dims(img, axis=0)
    layer_activations = model(img_batch)
    if len(layer_activations) == 1:
        layer_activations = [layer_activations]
    losses = []
    for act in layer_activations:
        loss = tf.math.reduce_mean(act)
        losses.append(loss)
    return tf.reduce_sum(losses)


def deprocess(img):
    img = 255 * (img + 1.0) / 2.0
    return tf.cast(img, tf.uint8)


def random_roll(img, maxroll):
    # Randomly shift the image to avoid tiled boundaries.
    shift = tf.random.uniform(shape=[2], minval=-maxroll, maxval=maxroll, dtype=tf.int32)
    img_rolled = tf.roll(img, shift=shift, axis=[0, 1])
    return shift, img_rolled


class TiledGradients(tf.Module):
    def __init__(self, model):
        self.model = model
        self.tiles = tf.Variable(0)

    @tf.function(
        input_signature=(
            tf.TensorSpec(shape=[None, None, 3], dtype=tf.float32),
            tf.TensorSpec(shape=[2], dtype=tf.int32),
            tf.TensorSpec(shape=[], dtype=tf.int32),
        )
    )
    def __call__(self, img, img_size, tile_size=512):
        shift, img_rolled = random_roll(img, tile_size)
        # Initialize the image gradients to zero.
        gradients = tf.zeros_like(img_rolled)
        # Skip the last tile, unless there's only one tile.
        xs = tf.range(0, img_size[1], tile_size)[:-1]
        if not tf.cast(len(xs), bool):
            xs = tf.constant([0])
        ys = tf.range(0, img_size[0], tile_size)[:-1]
        if not tf.cast(len(ys), bool):
            ys = tf.constant([0])
        for x in xs:
            for y in ys:
                # Calculate the gradients for this tile.
                with tf.GradientTape() as tape:
                    # This needs gradients relative to `img_rolled`.
                    # `GradientTape` only watches `tf.Variable`s by default.
                    tape.watch(img_rolled)
                    # Extract a tile out of the image.
                    img_tile = img_rolled[y : y + tile_size, x : x + tile_size]
                    loss = calc_loss(img_tile, self.model)
                # Update the image gradients for this tile.
                gradients = gradients + tape.gradient(loss, img_rolled)
                self.tiles.assign_add(1)
        # Undo the random shift applied to the image and its gradients.
        gradients = tf.roll(gradients, shift=-shift, axis=[0, 1])
        # Normalize the gradients.
        gradients /= tf.math.reduce_std(gradients) + 1e-8
        return gradients


get_tiled_gradients = TiledGradients(dream_model)
img0 = tf.keras.applications.inception_v3.preprocess_input(original_img.astype("float32"))
img0 = tf.convert_to_tensor(img0)

# one tile: a tile size larger than the image gives the whole-image gradient, normalised
grads = get_tiled_gradients(img0, tf.shape(img0)[:-1], tf.constant(64))
assert grads.shape == (30, 36, 3) and int(get_tiled_gradients.tiles) == 1
np.testing.assert_allclose(float(tf.math.reduce_std(grads)), 1.0, rtol=1e-3)
with tf.GradientTape() as tape:
    tape.watch(img0)
    loss = calc_loss(img0, dream_model)
whole = tape.gradient(loss, img0)
# the roll changes which pixels sit at the border of the padding-"same" convolutions, so
# compare away from the edges, where the gradient is shift-invariant
corr = np.corrcoef(whole.numpy()[4:-4, 4:-4].ravel(), grads.numpy()[4:-4, 4:-4].ravel())[0, 1]
assert corr > 0.9, corr

# tiles of 16 on a 30x36 image: x offsets [0, 16], y offsets [0] (the last one is skipped)
get_tiled_gradients.tiles.assign(0)
grads = get_tiled_gradients(img0, tf.shape(img0)[:-1], tf.constant(16))
assert int(get_tiled_gradients.tiles) == 2, int(get_tiled_gradients.tiles)
np.testing.assert_allclose(float(tf.math.reduce_std(grads)), 1.0, rtol=1e-3)


def run_deep_dream_with_octaves(
    img, steps_per_octave=100, step_size=0.01, octaves=range(-2, 3), octave_scale=1.3
):
    base_shape = tf.shape(img)
    img = tf.keras.utils.img_to_array(img)
    img = tf.keras.applications.inception_v3.preprocess_input(img)
    initial_shape = img.shape[:-1]
    img = tf.image.resize(img, initial_shape)
    sizes = []
    for octave in octaves:
        # Scale the image based on the octave
        new_size = tf.cast(tf.convert_to_tensor(base_shape[:-1]), tf.float32) * (
            octave_scale**octave
        )
        new_size = tf.cast(new_size, tf.int32)
        img = tf.image.resize(img, new_size)
        sizes.append(tuple(img.shape))
        for step in range(steps_per_octave):
            gradients = get_tiled_gradients(img, new_size, tf.constant(16))
            img = img + gradients * step_size
            img = tf.clip_by_value(img, -1, 1)
    result = deprocess(img)
    return result, sizes, img


arr = tf.keras.utils.img_to_array(original_img)
assert arr.dtype == np.float32 and arr.shape == (30, 36, 3)
img, sizes, dreamed = run_deep_dream_with_octaves(
    img=original_img, steps_per_octave=3, step_size=0.05, octaves=range(-1, 2)
)
assert sizes == [(23, 27, 3), (30, 36, 3), (39, 46, 3)], sizes
assert img.dtype == tf.uint8 and img.shape == (39, 46, 3)
img = tf.image.resize(img, tf.shape(original_img)[:-1])
img = tf.image.convert_image_dtype(img / 255.0, dtype=tf.uint8)
assert img.dtype == tf.uint8 and img.shape == (30, 36, 3)
# gradient ascent raised the activations over the undreamed image at the same size
undreamed = tf.image.resize(img0, dreamed.shape[:2])
final, start = calc_loss(dreamed, dream_model), calc_loss(undreamed, dream_model)
print("dream loss", float(start), "->", float(final))
assert float(final) > 1.2 * float(start), (float(final), float(start))
print("deepdream octaves ok")
