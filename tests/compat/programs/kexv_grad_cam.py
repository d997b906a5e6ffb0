# keras.io "Grad-CAM class activation visualization": a model that maps the input to both the
# last conv layer's activations and the predictions (keras.models.Model(model.inputs,
# [model.get_layer(name).output, model.output])), a GradientTape over the top class score,
# channel weights from the mean gradient, a ReLU'd normalized heatmap, then the heatmap
# resized and superimposed on the image. The synthetic task puts a bright square at a random
# place; the heatmap must peak where the square is.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(9)
rng = np.random.default_rng(9)
N, S = 400, 16
labels = rng.integers(0, 2, N)
x = rng.uniform(0, 0.2, size=(N, S, S, 1)).astype("float32")
corners = rng.integers(0, S - 4, size=(N, 2))
for i in range(N):
    if labels[i]:
        r, c = corners[i]
        x[i, r : r + 4, c : c + 4, 0] = 1.0

inputs = keras.Input((S, S, 1))
h = layers.Conv2D(8, 3, padding="same", activation="relu")(inputs)
h = layers.Conv2D(8, 3, padding="same", activation="relu", name="last_conv")(h)
h = layers.GlobalMaxPooling2D()(h)
outputs = layers.Dense(2, activation="softmax", name="predictions")(h)
model = keras.Model(inputs, outputs)
model.compile(
    optimizer=keras.optimizers.Adam(0.01),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
model.fit(x, labels, batch_size=32, epochs=8, verbose=0)
_, acc = model.evaluate(x, labels, verbose=0)
assert acc > 0.95, acc


def make_gradcam_heatmap(img_array, model, last_conv_layer_name, pred_index=None):
    grad_model = keras.models.Model(
        model.inputs, [model.get_layer(last_conv_layer_name).output, model.output]
    )
    with tf.GradientTape() as tape:
        last_conv_layer_output, preds = grad_model(img_array)
        if pred_index is None:
            pred_index = tf.argmax(preds[0])
        class_channel = preds[:, pred_index]
    grads = tape.gradient(class_channel, last_conv_layer_output)
    pooled_grads = tf.reduce_mean(grads, axis=(0, 1, 2))
    last_conv_layer_output = last_conv_layer_output[0]
    heatmap = last_conv_layer_output @ pooled_grads[..., tf.newaxis]
    heatmap = tf.squeeze(heatmap)
    heatmap = tf.maximum(heatmap, 0) / tf.math.reduce_max(heatmap)
    return heatmap.numpy()


positives = np.flatnonzero(labels == 1)[:6]
hits = 0
for i in positives:
    img_array = x[i : i + 1]
    preds = model.predict(img_array, verbose=0)
    assert int(np.argmax(preds[0])) == 1
    heatmap = make_gradcam_heatmap(img_array, model, "last_conv")
    assert heatmap.shape == (S, S) and heatmap.dtype == np.float32
    assert heatmap.min() >= 0.0 and abs(heatmap.max() - 1.0) < 1e-5
    r, c = np.unravel_index(np.argmax(heatmap), heatmap.shape)
    r0, c0 = corners[i]
    hits += (r0 - 2 <= r <= r0 + 5) and (c0 - 2 <= c <= c0 + 5)
assert hits >= 5, hits

# superimpose: heatmap to 0..255, resized to the image size, blended with the image
heatmap = np.uint8(255 * heatmap)
big = tf.image.resize(heatmap[None, :, :, None].astype("float32"), (2 * S, 2 * S))
assert big.shape == (1, 2 * S, 2 * S, 1)
jet = keras.utils.array_to_img(np.repeat(big[0].numpy(), 3, axis=-1))
assert jet.size == (2 * S, 2 * S)
jet_arr = keras.utils.img_to_array(jet)
assert jet_arr.shape == (2 * S, 2 * S, 3)
superimposed = jet_arr * 0.4 + np.repeat(
    tf.image.resize(x[i : i + 1] * 255, (2 * S, 2 * S))[0].numpy(), 3, axis=-1
)
img = keras.utils.array_to_img(superimposed)
assert img.size == (2 * S, 2 * S) and img.mode == "RGB"
