# keras.io "Image Captioning": TextVectorization with a regex standardizer mapped over
# caption lists, zipped image/caption datasets, a frozen EfficientNetB0(weights=None) feature
# grid, a decoder layer with a padding mask and a causal mask, and a Model whose train_step
# loops over captions with one tape each and lists its own metrics
import re
import string

import keras
import numpy as np
import tensorflow as tf
from keras import layers

VOCAB, SEQ, DIM, BATCH = 24, 8, 8, 2
strip = string.punctuation.replace("<", "").replace(">", "")


def standardize(text):
    return tf.strings.regex_replace(tf.strings.lower(text), "[%s]" % re.escape(strip), "")


vectorizer = layers.TextVectorization(
    max_tokens=VOCAB, output_mode="int", output_sequence_length=SEQ, standardize=standardize
)
captions = [
    ["<start> A dog runs! <end>", "<start> the dog, it runs <end>"],
    ["<start> a cat sits <end>", "<start> cat on a mat <end>"],
    ["<start> two birds fly <end>", "<start> birds in the sky <end>"],
    ["<start> a man walks <end>", "<start> man on the road <end>"],
]
vectorizer.adapt([c for pair in captions for c in pair])
vocab = vectorizer.get_vocabulary()
assert vocab[:4] == ["", "[UNK]", "<start>", "<end>"] and "dog" in vocab and "dog," not in vocab
np.testing.assert_array_equal(
    vectorizer(["<start> "]).numpy(), [[vocab.index("<start>")] + [0] * (SEQ - 1)]
)

images = np.random.default_rng(0).uniform(0, 255, (4, 32, 32, 3)).astype("float32")
seqs = tf.data.Dataset.from_tensor_slices(captions).map(
    vectorizer, num_parallel_calls=tf.data.AUTOTUNE
)
data = tf.data.Dataset.zip((tf.data.Dataset.from_tensor_slices(images), seqs)).batch(BATCH)
batch_images, batch_seqs = next(iter(data))
assert batch_images.shape == (BATCH, 32, 32, 3)
assert batch_seqs.shape == (BATCH, 2, SEQ) and batch_seqs.dtype == tf.int64

effnet = keras.applications.efficientnet.EfficientNetB0(
    input_shape=(64, 64, 3), include_top=False, weights=None
)
assert effnet.output_shape == (None, 2, 2, 1280)
effnet.trainable = False
grid = keras.Model(effnet.input, layers.Reshape((-1, 1280))(effnet.output))
assert grid.output_shape == (None, 4, 1280) and grid.trainable_weights == []

# a small stand-in feature extractor keeps the training below fast
cnn = keras.Sequential(
    [layers.Input((32, 32, 3)), layers.Conv2D(6, 8, strides=8), layers.Reshape((-1, 6))]
)
cnn.trainable = False


class Embed(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.tokens = layers.Embedding(VOCAB, DIM)
        self.positions = layers.Embedding(SEQ, DIM)

    def call(self, ids):
        where = tf.range(start=0, limit=tf.shape(ids)[-1], delta=1)
        return self.tokens(ids) + self.positions(where)


class Decoder(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.embed = Embed()
        self.self_attn = layers.MultiHeadAttention(num_heads=2, key_dim=DIM)
        self.cross_attn = layers.MultiHeadAttention(num_heads=2, key_dim=DIM)
        self.norm1 = layers.LayerNormalization()
        self.norm2 = layers.LayerNormalization()
        self.proj = layers.Dense(DIM)
        self.out = layers.Dense(VOCAB)

    def causal(self, x):
        n = tf.shape(x)[1]
        lower = tf.cast(tf.range(n)[:, tf.newaxis] >= tf.range(n), "int32")
        reps = tf.concat([tf.expand_dims(tf.shape(x)[0], -1), tf.constant([1, 1])], axis=0)
        return tf.tile(tf.reshape(lower, (1, n, n)), reps)

    def call(self, ids, context, training=False, mask=None):
        x = self.embed(ids)
        padding = tf.cast(mask[:, :, tf.newaxis], tf.int32)
        combined = tf.minimum(tf.cast(mask[:, tf.newaxis, :], tf.int32), self.causal(x))
        x = self.norm1(x + self.self_attn(query=x, value=x, key=x, attention_mask=combined))
        x = self.norm2(x + self.cross_attn(query=x, value=context, attention_mask=padding))
        return self.out(self.proj(x))


class Captioner(keras.Model):
    def __init__(self, cnn, decoder, per_image=2):
        super().__init__()
        self.cnn, self.decoder, self.per_image = cnn, decoder, per_image
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.acc_tracker = keras.metrics.Mean(name="accuracy")

    def _masked(self, y_true, y_pred, mask):
        loss = self.loss(y_true, y_pred) * tf.cast(mask, "float32")
        hits = tf.logical_and(mask, tf.equal(y_true, tf.argmax(y_pred, axis=2)))
        count = tf.reduce_sum(tf.cast(mask, "float32"))
        return tf.reduce_sum(loss) / count, tf.reduce_sum(tf.cast(hits, "float32")) / count

    def _captions(self, data, train):
        imgs, seqs = data
        context = self.cnn(imgs)
        total_loss = total_acc = 0.0
        for i in range(self.per_image):
            ids, target = seqs[:, i, :-1], seqs[:, i, 1:]
            mask = tf.math.not_equal(ids, 0)
            with tf.GradientTape() as tape:
                logits = self.decoder(ids, context, training=train, mask=mask)
                loss, acc = self._masked(target, logits, mask)
            if train:
                weights = self.decoder.trainable_variables
                self.optimizer.apply_gradients(zip(tape.gradient(loss, weights), weights))
            total_loss += loss
            total_acc += acc
        self.loss_tracker.update_state(total_loss)
        self.acc_tracker.update_state(total_acc / self.per_image)
        return {"loss": self.loss_tracker.result(), "acc": self.acc_tracker.result()}

    def train_step(self, data):
        return self._captions(data, True)

    def test_step(self, data):
        return self._captions(data, False)

    @property
    def metrics(self):
        return [self.loss_tracker, self.acc_tracker]


model = Captioner(cnn, Decoder())
model.compile(
    optimizer=keras.optimizers.Adam(1e-2),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction="none"),
)
hist = model.fit(
    data,
    epochs=3,
    validation_data=data,
    verbose=0,
    callbacks=[keras.callbacks.EarlyStopping(patience=3, restore_best_weights=True)],
)
assert sorted(hist.history) == ["acc", "loss", "val_acc", "val_loss"]
assert hist.history["loss"][-1] < hist.history["loss"][0]
assert all(0.0 <= a <= 1.0 for a in hist.history["acc"])

# greedy decoding of one token after "<start>"
ids = vectorizer(["<start> "])[:, :-1]
logits = model.decoder(ids, model.cnn(images[:1]), mask=tf.math.not_equal(ids, 0))
assert logits.shape == (1, SEQ - 1, VOCAB)
assert isinstance(vocab[int(np.argmax(logits[0, 0]))], str)
print("ok")
