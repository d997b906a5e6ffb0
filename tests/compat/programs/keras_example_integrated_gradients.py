# keras.io "Model interpretability with Integrated Gradients", on a small CNN: interpolated
# images along a straight path from a baseline (tf.linspace alphas), gradients of the
# top-class score in batches (tf.GradientTape.gradient of a batch), the trapezoidal rule
# (with a tf.math.cumsum check of the Riemann sums), random baselines averaged; the
# attributions satisfy completeness: they sum to f(image) - f(baseline).
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(10)
rng = np.random.default_rng(10)
img_size = (12, 12, 3)

# the "bright top-left patch" class: a CNN learns it in a few epochs
x = rng.random((400,) + img_size).astype("float32") * 0.5
y = rng.integers(0, 2, 400)
x[y == 1, :4, :4, :] += 0.5
model = keras.Sequential(
    [
        layers.Input(img_size),
        layers.Conv2D(8, 3, activation="relu", padding="same"),
        layers.MaxPooling2D(),
        layers.Conv2D(8, 3, activation="relu", padding="same"),
        layers.GlobalAveragePooling2D(),
        layers.Dense(2),
    ]
)
model.compile(
    optimizer=keras.optimizers.Adam(0.01),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
model.fit(x, y, epochs=8, batch_size=32, verbose=0)
assert model.evaluate(x, y, verbose=0)[1] > 0.9


def get_gradients(img_input, top_pred_idx):
    images = tf.cast(img_input, tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(images)
        preds = model(images)
        top_class = preds[:, top_pred_idx]
    grads = tape.gradient(top_class, images)
    return grads


def get_integrated_gradients(img_input, top_pred_idx, baseline=None, num_steps=50):
    if baseline is None:
        baseline = np.zeros(img_size).astype(np.float32)
    else:
        baseline = baseline.astype(np.float32)
    img_input = img_input.astype(np.float32)
    interpolated_image = [
        baseline + (step / num_steps) * (img_input - baseline) for step in range(num_steps + 1)
    ]
    interpolated_image = np.array(interpolated_image).astype(np.float32)
    grads = []
    for i, img in enumerate(interpolated_image):
        img = tf.expand_dims(img, axis=0)
        grad = get_gradients(img, top_pred_idx=top_pred_idx)
        grads.append(grad[0])
    grads = tf.convert_to_tensor(grads, dtype=tf.float32)
    grads = (grads[:-1] + grads[1:]) / 2.0
    avg_grads = tf.reduce_mean(grads, axis=0)
    integrated_grads = (img_input - baseline) * avg_grads
    return integrated_grads


def batched_integrated_gradients(image, top_pred_idx, baseline, m_steps=32, batch_size=11):
    # the TF tutorial's version: tf.linspace alphas, batched interpolation and gradients
    alphas = tf.linspace(start=0.0, stop=1.0, num=m_steps + 1)
    gradient_batches = []
    for from_ in tf.range(0, len(alphas), batch_size):
        to = tf.minimum(from_ + batch_size, len(alphas))
        alpha_batch = alphas[from_:to]
        alphas_x = alpha_batch[:, tf.newaxis, tf.newaxis, tf.newaxis]
        delta = tf.expand_dims(image, 0) - tf.expand_dims(baseline, 0)
        interpolated = tf.expand_dims(baseline, 0) + alphas_x * delta
        gradient_batches.append(get_gradients(interpolated, top_pred_idx))
    total_gradients = tf.concat(gradient_batches, axis=0)
    assert total_gradients.shape == (m_steps + 1,) + img_size
    grads = (total_gradients[:-1] + total_gradients[1:]) / tf.constant(2.0)
    avg_gradients = tf.math.reduce_mean(grads, axis=0)
    return (image - baseline) * avg_gradients, alphas, total_gradients


img = x[np.argmax(y == 1)]
preds = model.predict(img[None], verbose=0)
top_pred_idx = int(tf.argmax(preds[0]))
assert top_pred_idx == 1
baseline = np.zeros(img_size, "float32")
f = lambda im: float(model(im[None])[0, top_pred_idx])  # noqa: E731

igrads = get_integrated_gradients(img, top_pred_idx, num_steps=50)
assert igrads.shape == img_size
# completeness: the attributions add up to the score difference (up to the quadrature error)
delta = f(img) - f(baseline)
np.testing.assert_allclose(float(tf.reduce_sum(igrads)), delta, rtol=0.05, atol=0.02)

ig_b, alphas, path_grads = batched_integrated_gradients(
    tf.constant(img), top_pred_idx, tf.constant(baseline)
)
assert alphas.dtype == tf.float32 and alphas.shape == (33,)
np.testing.assert_allclose(alphas.numpy(), np.linspace(0, 1, 33), atol=1e-6)
np.testing.assert_allclose(float(tf.reduce_sum(ig_b)), delta, rtol=0.05, atol=0.02)
# the trapezoidal rule equals the mean of the left and right Riemann sums, from cumsums
left = tf.math.cumsum(path_grads[:-1], axis=0)[-1] / 32
right = tf.math.cumsum(path_grads[1:], axis=0)[-1] / 32
np.testing.assert_allclose(
    (img - baseline) * ((left + right) / 2).numpy(), ig_b.numpy(), rtol=1e-4, atol=1e-6
)
exclusive = tf.math.cumsum(tf.constant([1.0, 2.0, 3.0]), exclusive=True)
reverse = tf.math.cumsum(tf.constant([1.0, 2.0, 3.0]), reverse=True)
np.testing.assert_allclose(exclusive.numpy(), [0.0, 1.0, 3.0])
np.testing.assert_allclose(reverse.numpy(), [6.0, 5.0, 3.0])

# the attributions concentrate on the patch that defines the class
attr = np.abs(ig_b.numpy()).sum(-1)
assert attr[:4, :4].mean() > 2 * attr[4:, 4:].mean(), attr

# random baselines averaged (keras.io's random_baseline_integrated_gradients)
integrated_grads = []
for run in range(3):
    rb = np.random.default_rng(run).random(img_size) * 0.5
    integrated_grads.append(get_integrated_gradients(img, top_pred_idx, baseline=rb, num_steps=20))
avg = tf.reduce_mean(tf.convert_to_tensor(integrated_grads), axis=0)
assert avg.shape == img_size
print("score delta", delta, "sum of attributions", float(tf.reduce_sum(ig_b)))
