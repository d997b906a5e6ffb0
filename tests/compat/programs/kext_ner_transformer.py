# keras.io "Named Entity Recognition using Transformers", small and synthetic: tab-separated
# records "length<TAB>tokens...<TAB>tags..." split with tf.strings.split inside a tf.data map,
# tokens lowercased and mapped by a StringLookup, padded_batch, a subclassed NERModel
# (TokenAndPositionEmbedding + TransformerBlock + Dense softmax per token) trained with a
# custom Loss subclass that ignores the padding tag 0, then per-token accuracy without padding.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers, ops

keras.utils.set_random_seed(11)
rng = np.random.default_rng(11)

persons = ["Alice", "Bob", "Carol", "Dave", "Erin"]
places = ["Paris", "Rome", "Oslo", "Lima", "Cairo"]
others = ["went", "to", "the", "met", "in", "and", "saw", "from", "with", "today"]
# tag ids as in the example's conll mapping, before the +1 shift: O=0, PER=1, LOC=2
records = []
for _ in range(240):
    n = int(rng.integers(3, 9))
    words, tags = [], []
    for _ in range(n):
        kind = rng.choice(3, p=[0.25, 0.25, 0.5])
        pool = (persons, places, others)[kind]
        word = pool[int(rng.integers(len(pool)))]
        words.append(word.upper() if rng.random() < 0.2 else word)
        tags.append({0: 1, 1: 2, 2: 0}[int(kind)])
    records.append("\t".join([str(n)] + words + [str(t) for t in tags]))

vocab = sorted({w.lower() for w in persons + places + others})
lookup_layer = keras.layers.StringLookup(vocabulary=vocab)
vocab_size = lookup_layer.vocabulary_size()
assert vocab_size == len(vocab) + 1  # the OOV token "[UNK]" comes first
num_tags = 4  # padding 0 + three shifted tags


def map_record_to_training_data(record):
    record = tf.strings.split(record, sep="\t")
    length = tf.strings.to_number(record[0], out_type="int32")
    tokens = record[1 : length + 1]
    tags = record[length + 1 :]
    tags = tf.strings.to_number(tags, out_type="int64")
    tags += 1
    return tokens, tags


def lowercase_and_convert_to_ids(tokens):
    tokens = tf.strings.lower(tokens)
    return lookup_layer(tokens)


data = tf.data.Dataset.from_tensor_slices(records)
train = (
    data.take(200)
    .map(map_record_to_training_data)
    .map(lambda x, y: (lowercase_and_convert_to_ids(x), y))
    .padded_batch(32)
)
val = (
    data.skip(200)
    .map(map_record_to_training_data)
    .map(lambda x, y: (lowercase_and_convert_to_ids(x), y))
    .padded_batch(40)
)
x0, y0 = next(iter(train))
assert x0.dtype == tf.int64 and y0.dtype == tf.int64
assert x0.shape == y0.shape and x0.shape[0] == 32
assert int(tf.reduce_min(y0)) == 0 and int(tf.reduce_max(y0)) == 3


class TransformerBlock(layers.Layer):
    def __init__(self, embed_dim, num_heads, ff_dim, rate=0.1):
        super().__init__()
        self.att = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.ffn = keras.Sequential(
            [layers.Dense(ff_dim, activation="relu"), layers.Dense(embed_dim)]
        )
        self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)
        self.dropout1 = layers.Dropout(rate)
        self.dropout2 = layers.Dropout(rate)

    def call(self, inputs, training=False):
        attn_output = self.att(inputs, inputs)
        attn_output = self.dropout1(attn_output, training=training)
        out1 = self.layernorm1(inputs + attn_output)
        ffn_output = self.ffn(out1)
        ffn_output = self.dropout2(ffn_output, training=training)
        return self.layernorm2(out1 + ffn_output)


class TokenAndPositionEmbedding(layers.Layer):
    def __init__(self, maxlen, vocab_size, embed_dim):
        super().__init__()
        self.token_emb = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
        self.pos_emb = layers.Embedding(input_dim=maxlen, output_dim=embed_dim)

    def call(self, inputs):
        maxlen = ops.shape(inputs)[-1]
        positions = ops.arange(start=0, stop=maxlen, step=1)
        position_embeddings = self.pos_emb(positions)
        token_embeddings = self.token_emb(inputs)
        return token_embeddings + position_embeddings


class NERModel(keras.Model):
    def __init__(self, num_tags, vocab_size, maxlen=16, embed_dim=16, num_heads=2, ff_dim=16):
        super().__init__()
        self.embedding_layer = TokenAndPositionEmbedding(maxlen, vocab_size, embed_dim)
        self.transformer_block = TransformerBlock(embed_dim, num_heads, ff_dim)
        self.dropout1 = layers.Dropout(0.1)
        self.ff = layers.Dense(ff_dim, activation="relu")
        self.dropout2 = layers.Dropout(0.1)
        self.ff_final = layers.Dense(num_tags, activation="softmax")

    def call(self, inputs, training=False):
        x = self.embedding_layer(inputs)
        x = self.transformer_block(x, training=training)
        x = self.dropout1(x, training=training)
        x = self.ff(x)
        x = self.dropout2(x, training=training)
        return self.ff_final(x)


class CustomNonPaddingTokenLoss(keras.losses.Loss):
    def __init__(self, name="custom_ner_loss"):
        super().__init__(name=name)

    def call(self, y_true, y_pred):
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=False, reduction=None)
        loss = loss_fn(y_true, y_pred)
        mask = ops.cast((y_true > 0), dtype="float32")
        loss = loss * mask
        return ops.sum(loss) / ops.sum(mask)


# the custom loss ignores padded positions: padding the same labels changes nothing
loss_obj = CustomNonPaddingTokenLoss()
probs = tf.constant([[[0.1, 0.7, 0.1, 0.1], [0.1, 0.1, 0.2, 0.6], [0.25, 0.25, 0.25, 0.25]]])
short = loss_obj(tf.constant([[1, 3, 0]]), probs)
expected = -(np.log(0.7) + np.log(0.6)) / 2
np.testing.assert_allclose(float(short), expected, rtol=1e-5)
assert loss_obj.name == "custom_ner_loss"

ner_model = NERModel(num_tags, vocab_size)
ner_model.compile(optimizer=keras.optimizers.Adam(0.01), loss=CustomNonPaddingTokenLoss())
history = ner_model.fit(train, epochs=12, verbose=0)
losses = history.history["loss"]
assert losses[-1] < 0.3 * losses[0], losses


def calculate_metrics(dataset):
    all_true_tag_ids, all_predicted_tag_ids = [], []
    for x, y in dataset:
        output = ner_model.predict(x, verbose=0)
        predictions = np.argmax(output, axis=-1)
        predictions = np.reshape(predictions, [-1])
        true_tag_ids = np.reshape(y, [-1])
        mask = (true_tag_ids > 0) & (predictions > 0)
        all_true_tag_ids.append(true_tag_ids[mask])
        all_predicted_tag_ids.append(predictions[mask])
    true = np.concatenate(all_true_tag_ids)
    pred = np.concatenate(all_predicted_tag_ids)
    return float(np.mean(true == pred)), true.size


accuracy, count = calculate_metrics(val)
assert count > 100, count
assert accuracy > 0.95, accuracy

# tag a new sentence (upper case words are lowercased before the lookup)
sample = tf.constant(["Alice", "went", "to", "ROME"])
sample_ids = lowercase_and_convert_to_ids(sample)[None, :]
tags = np.argmax(ner_model.predict(sample_ids, verbose=0), axis=-1)[0] - 1
assert tags.tolist() == [1, 0, 0, 2], tags
print("ner ok", round(losses[0], 3), round(losses[-1], 3), accuracy)
