# keras.io "OCR model for reading Captchas": label strings split into characters with
# tf.strings.unicode_split and mapped to ids by layers.StringLookup (and back with
# invert=True), images transposed so the width is the time axis, a CTCLayer endpoint that
# computes keras.ops.ctc_loss and adds it with add_loss (the model is compiled without a
# loss), a two-input training model, a prediction sub-model cut at the softmax layer, and
# greedy decoding with keras.ops.ctc_decode. Synthetic "captchas": each character is a fixed
# random glyph of 4 columns, four characters per image, plus noise.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(29)
rng = np.random.default_rng(29)
characters = sorted(set("abcde"))
img_width, img_height, max_length, glyph_w = 16, 6, 4, 4
glyphs = {c: rng.random((img_height, glyph_w)) for c in characters}
N = 400
texts = ["".join(rng.choice(characters, max_length)) for _ in range(N)]
images = np.stack([np.concatenate([glyphs[c] for c in t], axis=1) for t in texts])
images = (images + 0.1 * rng.normal(size=images.shape))[..., None].astype("float32")
assert images.shape == (N, img_height, img_width, 1)

char_to_num = layers.StringLookup(vocabulary=list(characters), mask_token=None)
num_to_char = layers.StringLookup(
    vocabulary=char_to_num.get_vocabulary(), mask_token=None, invert=True
)
assert char_to_num.get_vocabulary() == ["[UNK]", "a", "b", "c", "d", "e"]
assert char_to_num.vocabulary_size() == 6
np.testing.assert_array_equal(char_to_num(tf.constant(["c", "a", "z"])).numpy(), [3, 1, 0])


def encode_single_sample(img, label):
    img = tf.transpose(img, perm=[1, 0, 2])  # the width becomes the time dimension
    label = char_to_num(tf.strings.unicode_split(label, input_encoding="UTF-8"))
    return {"image": img, "label": label}


batch_size = 32
train_dataset = (
    tf.data.Dataset.from_tensor_slices((images[:320], texts[:320]))
    .map(encode_single_sample, num_parallel_calls=tf.data.AUTOTUNE)
    .batch(batch_size)
    .prefetch(buffer_size=tf.data.AUTOTUNE)
)
validation_dataset = (
    tf.data.Dataset.from_tensor_slices((images[320:], texts[320:]))
    .map(encode_single_sample, num_parallel_calls=tf.data.AUTOTUNE)
    .batch(batch_size)
)
first = next(iter(train_dataset))
assert first["image"].shape == (32, img_width, img_height, 1)
assert first["label"].shape == (32, max_length) and first["label"].dtype == tf.int64
decoded0 = tf.strings.reduce_join(num_to_char(first["label"][0])).numpy().decode("utf-8")
assert decoded0 == texts[0]


class CTCLayer(layers.Layer):
    def call(self, y_true, y_pred):
        batch_len = keras.ops.shape(y_true)[0]
        input_length = keras.ops.shape(y_pred)[1]
        label_length = keras.ops.shape(y_true)[1]
        target_length = label_length * keras.ops.ones((batch_len,), dtype="int32")
        output_length = input_length * keras.ops.ones((batch_len,), dtype="int32")
        loss = keras.ops.ctc_loss(
            keras.ops.cast(y_true, "int32"), y_pred, target_length, output_length, mask_index=0
        )
        self.add_loss(keras.ops.mean(loss))
        return y_pred


def build_model():
    input_img = layers.Input(shape=(img_width, img_height, 1), name="image", dtype="float32")
    labels = layers.Input(name="label", shape=(None,), dtype="float32")
    x = layers.Conv2D(16, (3, 3), activation="relu", padding="same", name="Conv1")(input_img)
    x = layers.MaxPooling2D((2, 1), name="pool1")(x)
    new_shape = ((img_width // 2), img_height * 16)
    x = layers.Reshape(target_shape=new_shape, name="reshape")(x)
    x = layers.Dense(32, activation="relu", name="dense1")(x)
    x = layers.Bidirectional(layers.LSTM(16, return_sequences=True))(x)
    x = layers.Dense(char_to_num.vocabulary_size() + 1, name="dense2")(x)
    output = CTCLayer(name="ctc_loss")(labels, x)
    model = keras.models.Model(inputs=[input_img, labels], outputs=output, name="ocr_model_v1")
    model.compile(optimizer=keras.optimizers.Adam(0.01))
    return model


model = build_model()
assert model.output_shape == (None, img_width // 2, 7)
assert [t.name for t in model.inputs] == ["image", "label"]

# ctc_loss takes logits: an impossible target (longer than the frames) costs more
logits = tf.constant(rng.normal(size=(1, 8, 7)).astype("float32"))
short = keras.ops.ctc_loss(tf.constant([[1, 2, 0, 0]]), logits, tf.constant([2]), tf.constant([8]))
assert short.shape == (1,) and float(short[0]) > 0

history = model.fit(train_dataset, validation_data=validation_dataset, epochs=25, verbose=0)
assert history.history["loss"][-1] < 0.2 * history.history["loss"][0], history.history

prediction_model = keras.models.Model(
    model.input[0], model.get_layer(name="dense2").output
)  # fmt: skip


def decode_batch_predictions(pred):
    input_len = np.ones(pred.shape[0]) * pred.shape[1]
    results = keras.ops.ctc_decode(pred, sequence_lengths=input_len, strategy="greedy")[0][0]
    results = results[:, :max_length]
    output_text = []
    for res in results:
        res = tf.strings.reduce_join(num_to_char(res)).numpy().decode("utf-8")
        output_text.append(res.replace("[UNK]", ""))
    return output_text


correct = total = 0
for batch in validation_dataset:
    preds = prediction_model.predict(batch["image"], verbose=0)
    assert preds.shape[1:] == (img_width // 2, 7)
    pred_texts = decode_batch_predictions(preds)
    orig_texts = [
        tf.strings.reduce_join(num_to_char(label)).numpy().decode("utf-8")
        for label in batch["label"]
    ]
    correct += sum(p == o for p, o in zip(pred_texts, orig_texts))
    total += len(orig_texts)
print("exact captcha matches", correct, "/", total)
assert total == 80 and correct >= 64, (correct, total)
