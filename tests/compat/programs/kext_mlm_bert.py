# keras.io "End-to-end Masked Language Modeling with BERT", small and synthetic: the 15%
# masking recipe in NumPy (90% of the picked tokens become [mask], some a random token,
# sample weights 0 elsewhere), a BERT-like encoder (token Embedding + a fixed sinusoidal
# position Embedding, MultiHeadAttention + LayerNormalization + feed-forward), a
# MaskedLanguageModel subclass with its own train_step (GradientTape, per-token loss with
# sample_weight, a Mean loss tracker listed in metrics) fit on a tf.data Dataset of
# (features, labels, sample_weight), a callback that decodes the top prediction at the mask,
# and a classifier that reuses the pretrained encoder as a frozen feature extractor.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(21)
rng = np.random.default_rng(21)

MAX_LEN = 10
VOCAB_SIZE = 16  # 0 pad, 1 [UNK], 2 [start], 3..14 words, 15 [mask]
EMBED_DIM = 32
NUM_HEAD = 2
FF_DIM = 32
mask_token_id = VOCAB_SIZE - 1
n_words = VOCAB_SIZE - 4

# each text repeats one word: a masked word follows from the others (the example's
# movie reviews, reduced to what a one-block encoder learns in a few epochs)
starts = rng.integers(0, n_words, size=384)
encoded_texts = np.zeros((384, MAX_LEN), dtype="int64")
encoded_texts[:, 0] = 2
encoded_texts[:, 1:] = 3 + starts[:, None]


def get_masked_input_and_labels(encoded_texts):
    inp_mask = rng.random(encoded_texts.shape) < 0.15
    inp_mask[encoded_texts <= 2] = False  # never mask special tokens
    labels = -1 * np.ones(encoded_texts.shape, dtype=int)
    labels[inp_mask] = encoded_texts[inp_mask]
    encoded_texts_masked = np.copy(encoded_texts)
    inp_mask_2mask = inp_mask & (rng.random(encoded_texts.shape) < 0.90)
    encoded_texts_masked[inp_mask_2mask] = mask_token_id
    inp_mask_2random = inp_mask_2mask & (rng.random(encoded_texts.shape) < 1 / 9)
    encoded_texts_masked[inp_mask_2random] = rng.integers(3, mask_token_id, inp_mask_2random.sum())
    sample_weights = np.ones(labels.shape, dtype="float32")
    sample_weights[labels == -1] = 0
    y_labels = np.copy(encoded_texts)
    return encoded_texts_masked, y_labels, sample_weights


x_masked_train, y_masked_labels, sample_weights = get_masked_input_and_labels(encoded_texts)
assert (x_masked_train[:, 0] == 2).all()
assert 0.08 < sample_weights.mean() < 0.2, sample_weights.mean()
changed = x_masked_train != encoded_texts
assert (sample_weights[changed] == 1).all()  # only picked tokens are changed

mlm_ds = tf.data.Dataset.from_tensor_slices((x_masked_train, y_masked_labels, sample_weights))
mlm_ds = mlm_ds.shuffle(1000, seed=0).batch(32)


def get_pos_encoding_matrix(max_len, d_emb):
    pos_enc = np.array(
        [
            [pos / np.power(10000, 2 * (j // 2) / d_emb) for j in range(d_emb)]
            if pos != 0
            else np.zeros(d_emb)
            for pos in range(max_len)
        ]
    )
    pos_enc[1:, 0::2] = np.sin(pos_enc[1:, 0::2])
    pos_enc[1:, 1::2] = np.cos(pos_enc[1:, 1::2])
    return pos_enc.astype("float32")


class PositionEmbedding(layers.Layer):
    def __init__(self, max_len, d_emb, **kwargs):
        super().__init__(**kwargs)
        self.embedding = layers.Embedding(
            input_dim=max_len,
            output_dim=d_emb,
            embeddings_initializer=keras.initializers.Constant(
                get_pos_encoding_matrix(max_len, d_emb)
            ),
            trainable=False,
            name="position_embedding",
        )

    def call(self, inputs):
        positions = tf.range(start=0, limit=tf.shape(inputs)[1], delta=1)
        return inputs + self.embedding(positions)


def bert_module(query, key, value, i):
    attention_output = layers.MultiHeadAttention(
        num_heads=NUM_HEAD, key_dim=EMBED_DIM // NUM_HEAD, name=f"encoder_{i}_multiheadattention"
    )(query, key, value)
    attention_output = layers.Dropout(0.1, name=f"encoder_{i}_att_dropout")(attention_output)
    attention_output = layers.LayerNormalization(
        epsilon=1e-6, name=f"encoder_{i}_att_layernormalization"
    )(query + attention_output)
    ffn = keras.Sequential(
        [layers.Dense(FF_DIM, activation="relu"), layers.Dense(EMBED_DIM)],
        name=f"encoder_{i}_ffn",
    )
    ffn_output = ffn(attention_output)
    ffn_output = layers.Dropout(0.1, name=f"encoder_{i}_ffn_dropout")(ffn_output)
    return layers.LayerNormalization(epsilon=1e-6, name=f"encoder_{i}_ffn_layernormalization")(
        attention_output + ffn_output
    )


loss_fn = keras.losses.SparseCategoricalCrossentropy(reduction=None)
loss_tracker = keras.metrics.Mean(name="loss")


class MaskedLanguageModel(keras.Model):
    def train_step(self, inputs):
        if len(inputs) == 3:
            features, labels, sample_weight = inputs
        else:
            features, labels = inputs
            sample_weight = None
        with tf.GradientTape() as tape:
            predictions = self(features, training=True)
            loss = loss_fn(labels, predictions, sample_weight=sample_weight)
        trainable_vars = self.trainable_variables
        gradients = tape.gradient(loss, trainable_vars)
        self.optimizer.apply_gradients(zip(gradients, trainable_vars))
        loss_tracker.update_state(loss, sample_weight=sample_weight)
        return {"loss": loss_tracker.result()}

    @property
    def metrics(self):
        return [loss_tracker]


def create_masked_language_bert_model():
    inputs = layers.Input((MAX_LEN,), dtype="int64")
    word_embeddings = layers.Embedding(VOCAB_SIZE, EMBED_DIM, name="word_embedding")(inputs)
    embeddings = PositionEmbedding(MAX_LEN, EMBED_DIM, name="add_positions")(word_embeddings)
    encoder_output = bert_module(embeddings, embeddings, embeddings, 0)
    mlm_output = layers.Dense(VOCAB_SIZE, name="mlm_cls", activation="softmax")(encoder_output)
    mlm_model = MaskedLanguageModel(inputs, mlm_output, name="masked_bert_model")
    mlm_model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.005))
    return mlm_model


class MaskedTextGenerator(keras.callbacks.Callback):
    def __init__(self, sample_tokens, top_k=3):
        super().__init__()
        self.sample_tokens = sample_tokens
        self.k = top_k
        self.decoded = []

    def on_epoch_end(self, epoch, logs=None):
        prediction = self.model.predict(self.sample_tokens, verbose=0)
        masked_index = np.where(self.sample_tokens == mask_token_id)[1][0]
        mask_prediction = prediction[0][masked_index]
        top_indices = mask_prediction.argsort()[-self.k :][::-1]
        self.decoded.append(int(top_indices[0]))


sample_tokens = np.copy(encoded_texts[:1])
true_token = int(sample_tokens[0, 5])
sample_tokens[0, 5] = mask_token_id
generator_callback = MaskedTextGenerator(sample_tokens)

bert_masked_model = create_masked_language_bert_model()
assert bert_masked_model.get_layer("add_positions").embedding.trainable is False
n_trainable = len(bert_masked_model.trainable_weights)
assert n_trainable == len(bert_masked_model.weights) - 1  # the fixed position table
history = bert_masked_model.fit(mlm_ds, epochs=12, callbacks=[generator_callback], verbose=0)
losses = history.history["loss"]
assert list(history.history) == ["loss"], list(history.history)
assert losses[-1] < 0.1 * losses[0], losses
assert generator_callback.decoded[-1] == true_token, (generator_callback.decoded, true_token)

# the masked-token accuracy on fresh masks
x_eval, y_eval, w_eval = get_masked_input_and_labels(encoded_texts[:256])
pred = np.argmax(bert_masked_model.predict(x_eval, verbose=0), axis=-1)
acc = float((pred == y_eval)[w_eval == 1].mean())
assert acc > 0.8, acc

# fine-tune: the pretrained encoder as a frozen feature extractor for a classifier
pretrained_bert_model = keras.Model(
    bert_masked_model.input, bert_masked_model.get_layer("encoder_0_ffn_layernormalization").output
)
pretrained_bert_model.trainable = False
assert pretrained_bert_model.trainable_weights == []
inputs = layers.Input((MAX_LEN,), dtype="int64")
sequence_output = pretrained_bert_model(inputs)
pooled_output = layers.GlobalMaxPooling1D()(sequence_output)
hidden_layer = layers.Dense(16, activation="relu")(pooled_output)
outputs = layers.Dense(1, activation="sigmoid")(hidden_layer)
classifer_model = keras.Model(inputs, outputs, name="classification")
classifer_model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
assert len(classifer_model.trainable_weights) == 4
before = [w.numpy().copy() for w in pretrained_bert_model.weights]
labels = (starts < n_words // 2).astype("float32")  # does the run start in the first half?
classifer_model.fit(encoded_texts, labels, epochs=2, batch_size=64, verbose=0)
for b, w in zip(before, pretrained_bert_model.weights):
    np.testing.assert_array_equal(b, w.numpy())
print("mlm ok", round(losses[0], 3), round(losses[-1], 3), acc)
