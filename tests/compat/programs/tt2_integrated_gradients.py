# TensorFlow's "Integrated gradients" tutorial on a small trained image classifier:
# tf.linspace alphas, interpolate_images by broadcasting, compute_gradients of a softmax
# probability with tape.watch, the trapezoidal integral_approximation, the batched loop over
# tf.range with tensor slice bounds into a @tf.function, the completeness check (the
# attributions sum to the change in probability) and the attribution mask.
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(12)
rng = np.random.default_rng(12)
# class 1: a bright square in the top-left corner; class 0: noise only
x = rng.uniform(0.0, 0.3, (200, 12, 12, 3)).astype("float32")
y = np.arange(200) % 2
x[y == 1, 1:5, 1:5, :] += 0.6
model = tf.keras.Sequential(
    [
        tf.keras.Input(shape=(12, 12, 3)),
        tf.keras.layers.Conv2D(4, 3, activation="relu"),
        tf.keras.layers.GlobalAveragePooling2D(),
        tf.keras.layers.Dense(2),
    ]
)
model.compile(
    optimizer=tf.keras.optimizers.Adam(0.05),
    loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
model.fit(x, y, epochs=10, batch_size=32, verbose=0)
image = tf.constant(x[1])  # a class-1 image
baseline = tf.zeros(shape=(12, 12, 3))
prob = float(tf.nn.softmax(model(image[tf.newaxis]))[0, 1])
assert prob > 0.8, prob

m_steps = 50
alphas = tf.linspace(start=0.0, stop=1.0, num=m_steps + 1)
assert alphas.shape == (51,) and alphas.dtype == tf.float32
np.testing.assert_allclose(alphas.numpy()[[0, 25, 50]], [0.0, 0.5, 1.0], atol=1e-7)


def interpolate_images(baseline, image, alphas):
    alphas_x = alphas[:, tf.newaxis, tf.newaxis, tf.newaxis]
    baseline_x = tf.expand_dims(baseline, axis=0)
    input_x = tf.expand_dims(image, axis=0)
    delta = input_x - baseline_x
    images = baseline_x + alphas_x * delta
    return images


interpolated_images = interpolate_images(baseline=baseline, image=image, alphas=alphas)
assert interpolated_images.shape == (51, 12, 12, 3)
np.testing.assert_allclose(interpolated_images[-1].numpy(), image.numpy(), atol=1e-6)
np.testing.assert_allclose(interpolated_images[10].numpy(), 0.2 * image.numpy(), atol=1e-6)


def compute_gradients(images, target_class_idx):
    with tf.GradientTape() as tape:
        tape.watch(images)
        logits = model(images)
        probs = tf.nn.softmax(logits, axis=-1)[:, target_class_idx]
    return tape.gradient(probs, images)


path_gradients = compute_gradients(images=interpolated_images, target_class_idx=1)
assert path_gradients.shape == (51, 12, 12, 3)
pred = model(interpolated_images)
pred_proba = tf.nn.softmax(pred, axis=-1)[:, 1]
assert pred_proba.shape == (51,)
# the gradient of one path point equals that point's own gradient, alone in its batch
single = compute_gradients(interpolated_images[20:21], 1)
np.testing.assert_allclose(single[0].numpy(), path_gradients[20].numpy(), rtol=1e-4, atol=1e-6)


def integral_approximation(gradients):
    # riemann_trapezoidal
    grads = (gradients[:-1] + gradients[1:]) / tf.constant(2.0)
    integrated_gradients = tf.math.reduce_mean(grads, axis=0)
    return integrated_gradients


ig = integral_approximation(gradients=path_gradients)
assert ig.shape == (12, 12, 3)
g = path_gradients.numpy()
np.testing.assert_allclose(ig.numpy(), ((g[:-1] + g[1:]) / 2).mean(axis=0), rtol=1e-4, atol=1e-7)


@tf.function
def one_batch(baseline, image, alpha_batch, target_class_idx):
    # Generate interpolated inputs between baseline and input.
    interpolated_path_input_batch = interpolate_images(
        baseline=baseline, image=image, alphas=alpha_batch
    )
    # Compute gradients between model outputs and interpolated inputs.
    gradient_batch = compute_gradients(
        images=interpolated_path_input_batch, target_class_idx=target_class_idx
    )
    return gradient_batch


def integrated_gradients(baseline, image, target_class_idx, m_steps=50, batch_size=32):
    # Generate alphas.
    alphas = tf.linspace(start=0.0, stop=1.0, num=m_steps + 1)
    # Collect gradients.
    gradient_batches = []
    # Iterate alphas range and batch computation for speed, memory efficiency, and scaling.
    for alpha in tf.range(0, len(alphas), batch_size):
        from_ = alpha
        to = tf.minimum(from_ + batch_size, len(alphas))
        alpha_batch = alphas[from_:to]
        gradient_batch = one_batch(baseline, image, alpha_batch, target_class_idx)
        gradient_batches.append(gradient_batch)
    # Concatenate path gradients together row-wise into single tensor.
    total_gradients = tf.concat(gradient_batches, axis=0)
    # Integral approximation through averaging gradients.
    avg_gradients = integral_approximation(gradients=total_gradients)
    # Scale integrated gradients with respect to input.
    integrated_gradients = (image - baseline) * avg_gradients
    return integrated_gradients


ig_attributions = integrated_gradients(
    baseline=baseline, image=image, target_class_idx=1, m_steps=50, batch_size=32
)
assert ig_attributions.shape == (12, 12, 3)
# batching the path changes nothing: the same as the one-batch computation
np.testing.assert_allclose(ig_attributions.numpy(), (image * ig).numpy(), rtol=1e-4, atol=1e-6)
# completeness: the attributions add up to f(image) - f(baseline)
fine = integrated_gradients(baseline, image, 1, m_steps=240, batch_size=64)
base_prob = float(tf.nn.softmax(model(baseline[tf.newaxis]))[0, 1])
np.testing.assert_allclose(float(tf.reduce_sum(fine)), prob - base_prob, atol=0.02)

attribution_mask = tf.reduce_sum(tf.math.abs(ig_attributions), axis=-1)
assert attribution_mask.shape == (12, 12)
mask = attribution_mask.numpy()
# the square's pixels carry far more attribution than the others
inside = mask[1:5, 1:5].mean()
outside = (mask.sum() - mask[1:5, 1:5].sum()) / (144 - 16)
assert inside > 3 * outside, (inside, outside)
print("integrated gradients ok")
