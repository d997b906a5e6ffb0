# keras.io "Handwriting recognition": PNG word images read back with tf.io.read_file and
# decode_png, resized keeping the aspect ratio (tf.image.resize preserve_aspect_ratio),
# padded evenly with tf.pad from tensor amounts, transposed and flipped; labels split with
# tf.strings.unicode_split, mapped by StringLookup and padded with tf.pad constant_values.
# The CTC endpoint layer builds its SparseTensor labels the Keras 2 backend way
# (tf.compat.v1.scan mask, tf.compat.v1.boolean_mask, tf.compat.v1.gather_nd) and calls
# tf.compat.v1.nn.ctc_loss(inputs=log-probs, labels=..., sequence_length=...) (TF 1's
# signature, the blank last). Edit distance via tf.sparse.from_dense and tf.edit_distance,
# greedy decoding via keras.ops.nn.ctc_decode, text back via tf.strings.reduce_join;
# keras.losses.CTC on labels padded with -1.
import os

import keras
import numpy as np
import tensorflow as tf
from keras import layers

keras.utils.set_random_seed(3)
rng = np.random.default_rng(3)

words = ["move", "to", "stop", "Mr", "Gait", "from", "any", "ten"]
os.makedirs("words", exist_ok=True)
paths = []
for i, word in enumerate(words):
    pixels = rng.integers(0, 255, (10 + i, 20 + 5 * len(word), 1)).astype("uint8")
    paths.append(f"words/{i}.png")
    tf.io.write_file(paths[-1], tf.io.encode_png(pixels))

characters = sorted(set("".join(words)))
max_len = max(len(w) for w in words)
char_to_num = layers.StringLookup(vocabulary=list(characters), mask_token=None)
num_to_char = layers.StringLookup(
    vocabulary=char_to_num.get_vocabulary(), mask_token=None, invert=True
)
num_classes = len(char_to_num.get_vocabulary()) + 1  # + the CTC blank, last
image_width, image_height, padding_token = 32, 8, 99


def distortion_free_resize(image, img_size):
    w, h = img_size
    image = tf.image.resize(image, size=(h, w), preserve_aspect_ratio=True)
    pad_height = h - tf.shape(image)[0]
    pad_width = w - tf.shape(image)[1]
    if pad_height % 2 != 0:
        pad_top, pad_bottom = pad_height // 2 + 1, pad_height // 2
    else:
        pad_top = pad_bottom = pad_height // 2
    if pad_width % 2 != 0:
        pad_left, pad_right = pad_width // 2 + 1, pad_width // 2
    else:
        pad_left = pad_right = pad_width // 2
    image = tf.pad(image, paddings=[[pad_top, pad_bottom], [pad_left, pad_right], [0, 0]])
    image = tf.transpose(image, perm=[1, 0, 2])
    return tf.image.flip_left_right(image)


def load_sample(image_path, label):
    image = tf.image.decode_png(tf.io.read_file(image_path), 1)
    image = tf.cast(distortion_free_resize(image, (image_width, image_height)), tf.float32) / 255.0
    label = char_to_num(tf.strings.unicode_split(label, input_encoding="UTF-8"))
    label = tf.pad(
        label, paddings=[[0, max_len - tf.shape(label)[0]]], constant_values=padding_token
    )
    return {"image": image, "label": label}


ds = tf.data.Dataset.from_tensor_slices((paths, words)).map(load_sample).batch(4).cache()
batch = next(iter(ds))
assert batch["image"].shape == (4, image_width, image_height, 1)
assert batch["image"].dtype == tf.float32 and batch["label"].dtype == tf.int64
assert batch["label"][1].numpy().tolist()[:3] == [
    char_to_num("t").numpy(),
    char_to_num("o").numpy(),
    99,
]
label = batch["label"][2]
kept = tf.gather(label, tf.where(tf.math.not_equal(label, padding_token)))
assert tf.strings.reduce_join(num_to_char(kept)).numpy().decode("utf-8") == "stop"


def dense_to_sparse(labels, label_lengths):
    label_shape = tf.shape(labels)
    num_batches = tf.stack([label_shape[0]])
    max_labels = tf.stack([label_shape[1]])

    def range_less_than(old_input, current_input):
        return tf.expand_dims(tf.range(tf.shape(old_input)[1]), 0) < tf.fill(
            max_labels, current_input
        )

    init = tf.cast(tf.fill([1, label_shape[1]], 0), tf.bool)
    dense_mask = tf.compat.v1.scan(range_less_than, label_lengths, initializer=init)[:, 0, :]
    label_array = tf.reshape(tf.tile(tf.range(0, label_shape[1]), num_batches), label_shape)
    label_ind = tf.compat.v1.boolean_mask(label_array, dense_mask)
    batch_array = tf.transpose(
        tf.reshape(tf.tile(tf.range(0, label_shape[0]), max_labels), tf.reverse(label_shape, [0]))
    )
    batch_ind = tf.compat.v1.boolean_mask(batch_array, dense_mask)
    indices = tf.transpose(tf.reshape(tf.concat([batch_ind, label_ind], axis=0), [2, -1]))
    values = tf.compat.v1.gather_nd(labels, indices)
    return tf.SparseTensor(tf.cast(indices, tf.int64), values, tf.cast(label_shape, tf.int64))


def ctc_batch_cost(y_true, y_pred, input_length, label_length):
    label_length = tf.cast(tf.squeeze(label_length, axis=-1), tf.int32)
    input_length = tf.cast(tf.squeeze(input_length, axis=-1), tf.int32)
    sparse_labels = tf.cast(dense_to_sparse(y_true, label_length), tf.int32)
    log_probs = tf.math.log(tf.transpose(y_pred, perm=[1, 0, 2]) + keras.backend.epsilon())
    loss = tf.compat.v1.nn.ctc_loss(
        inputs=log_probs, labels=sparse_labels, sequence_length=input_length
    )
    return tf.expand_dims(loss, 1)


# the sparse labels: only the first label_length entries of each row
sparse = dense_to_sparse(tf.constant([[4, 5, 6], [7, 8, 9]]), tf.constant([2, 1]))
assert sparse.indices.numpy().tolist() == [[0, 0], [0, 1], [1, 0]]
assert sparse.values.numpy().tolist() == [4, 5, 7]
assert sparse.dense_shape.numpy().tolist() == [2, 3]
# TF 1's ctc_loss: the blank is the last class; log-probabilities in, time-major
probs = tf.nn.softmax(tf.constant(rng.normal(size=(2, 6, 5)), tf.float32))
cost = ctc_batch_cost(
    tf.constant([[1, 2, 2], [3, 0, 0]]), probs, tf.constant([[6], [5]]), tf.constant([[3], [1]])
)
assert cost.shape == (2, 1) and cost.dtype == tf.float32
same = tf.nn.ctc_loss(
    tf.constant([[1, 2, 2], [3, 0, 0]]),
    tf.math.log(probs + keras.backend.epsilon()),
    tf.constant([3, 1]),
    tf.constant([6, 5]),
    logits_time_major=False,
    blank_index=-1,
)
np.testing.assert_allclose(cost.numpy()[:, 0], same.numpy(), rtol=1e-5)
# keras.losses.CTC counts every label column: -1 padding is a label outside the classes,
# which TF's dense-label loss treats as certain (values from TF 2.21)
fixed = tf.nn.softmax(tf.constant(np.random.default_rng(0).normal(size=(2, 6, 5)), tf.float32))
padded = keras.losses.CTC(reduction=None)(tf.constant([[1, 2, -1, -1], [3, -1, -1, -1]]), fixed)
np.testing.assert_allclose(padded.numpy(), [3.7098, 4.7915], atol=1e-3)
with np.testing.assert_raises(TypeError):  # TF 1's ctc_loss takes SparseTensor labels only
    tf.compat.v1.nn.ctc_loss(tf.constant([[1, 2]]), tf.zeros((6, 1, 5)), [6])


class CTCLayer(layers.Layer):
    def call(self, y_true, y_pred):
        # the words' real lengths: the labels hold padding_token after them
        label_length = tf.reduce_sum(tf.cast(tf.not_equal(y_true, padding_token), "int64"), 1)
        frames = tf.cast(tf.shape(y_pred)[1], "int64") * tf.ones_like(label_length)
        self.add_loss(
            tf.reduce_mean(
                ctc_batch_cost(
                    tf.cast(y_true, "int32"), y_pred, frames[:, None], label_length[:, None]
                )
            )
        )
        return y_pred


input_img = keras.Input(shape=(image_width, image_height, 1), name="image")
labels = keras.Input(name="label", shape=(None,), dtype="int64")
x = layers.Conv2D(8, 3, activation="relu", padding="same", name="Conv1")(input_img)
x = layers.MaxPooling2D((2, 2), name="pool1")(x)
x = layers.Reshape(target_shape=(image_width // 2, (image_height // 2) * 8))(x)
x = layers.Bidirectional(layers.LSTM(8, return_sequences=True))(x)
x = layers.Dense(num_classes, activation="softmax", name="dense2")(x)
output = CTCLayer(name="ctc_loss")(labels, x)
model = keras.Model(inputs=[input_img, labels], outputs=output)
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01))
history = model.fit(ds, epochs=3, verbose=0)
losses = history.history["loss"]
assert all(np.isfinite(losses)) and losses[-1] < losses[0], losses

prediction_model = keras.Model(
    model.get_layer(name="image").output, model.get_layer("dense2").output
)
preds = prediction_model.predict(batch["image"], verbose=0)
assert preds.shape == (4, image_width // 2, num_classes)
lengths = np.ones(preds.shape[0]) * preds.shape[1]
decoded = keras.ops.nn.ctc_decode(preds, sequence_lengths=lengths, strategy="greedy")[0][0]
decoded = decoded[:, :max_len]
assert decoded.shape == (4, max_len)
texts = []
for row in decoded:
    row = tf.gather(row, tf.where(tf.math.not_equal(row, -1)))
    texts.append(tf.strings.reduce_join(num_to_char(row)).numpy().decode("utf-8"))
assert len(texts) == 4 and all(isinstance(t, str) for t in texts)

truth = tf.cast(tf.sparse.from_dense(tf.constant([[1, 2, 3]])), tf.int64)
guess = tf.cast(tf.sparse.from_dense(tf.constant([[1, 3, 0]])), tf.int64)
assert tf.edit_distance(guess, truth, normalize=False).numpy().tolist() == [1.0]
np.testing.assert_allclose(tf.edit_distance(guess, truth).numpy(), [1 / 3], rtol=1e-6)
print("ok")
