# keras.io "English-to-Spanish translation with a sequence-to-sequence Transformer" (Keras 3
# version), small and synthetic: "[start] ... [end]" targets, a custom standardization that
# strips punctuation but keeps the brackets (tf.strings.regex_replace with re.escape),
# TextVectorization of sources and targets (output_sequence_length + 1), a dict-input
# dataset from a batched map, a PositionalEmbedding whose compute_mask marks padding, an
# encoder and a decoder layer called on [x, encoder_outputs] that receives a list of masks
# (query_mask / key_mask, and use_causal_mask for the self-attention), the
# loss masked by the mask that reaches the softmax output, then greedy decoding.
import re
import string

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers, ops

keras.utils.set_random_seed(21)
rng = np.random.default_rng(21)

english = ["cat", "dog", "red", "big", "runs", "eats", "the", "small"]
spanish = ["gato", "perro", "rojo", "grande", "corre", "come", "el", "pequeno"]
pairs = []
for _ in range(400):
    n = int(rng.integers(2, 5))
    idx = rng.integers(0, len(english), n)
    src = " ".join(english[i] for i in idx) + rng.choice([".", "!", "?"])
    tgt = "[start] ¿" + " ".join(spanish[i] for i in idx) + "? [end]"
    pairs.append((src, tgt))
train_pairs, test_pairs = pairs[:300], pairs[300:]

strip_chars = string.punctuation + "¿"
strip_chars = strip_chars.replace("[", "").replace("]", "")


def custom_standardization(input_string):
    lowercase = tf.strings.lower(input_string)
    return tf.strings.regex_replace(lowercase, "[%s]" % re.escape(strip_chars), "")


assert custom_standardization(tf.constant("[start] ¿Gato, Rojo? [end]")).numpy().decode() == (
    "[start] gato rojo [end]"
)

vocab_size, sequence_length = 20, 6
eng_vectorization = layers.TextVectorization(
    max_tokens=vocab_size, output_mode="int", output_sequence_length=sequence_length
)
spa_vectorization = layers.TextVectorization(
    max_tokens=vocab_size,
    output_mode="int",
    output_sequence_length=sequence_length + 1,
    standardize=custom_standardization,
)
eng_vectorization.adapt([p[0] for p in train_pairs])
spa_vectorization.adapt([p[1] for p in train_pairs])
spa_vocab = spa_vectorization.get_vocabulary()
assert spa_vocab[:2] == ["", "[UNK]"] and "[start]" in spa_vocab and "¿gato" not in spa_vocab
assert eng_vectorization(["cat dog."]).shape == (1, sequence_length)


def format_dataset(eng, spa):
    eng = eng_vectorization(eng)
    spa = spa_vectorization(spa)
    return ({"encoder_inputs": eng, "decoder_inputs": spa[:, :-1]}, spa[:, 1:])


def make_dataset(pairs, batch_size):
    eng_texts, spa_texts = zip(*pairs)
    dataset = tf.data.Dataset.from_tensor_slices((list(eng_texts), list(spa_texts)))
    return dataset.batch(batch_size).map(format_dataset).cache().prefetch(2)


train_ds = make_dataset(train_pairs, 50)
inputs, targets = next(iter(train_ds))
assert inputs["encoder_inputs"].shape == (50, sequence_length)
assert inputs["decoder_inputs"].shape == (50, sequence_length) and targets.shape == (50, 6)


class PositionalEmbedding(layers.Layer):
    def __init__(self, sequence_length, vocab_size, embed_dim, **kwargs):
        super().__init__(**kwargs)
        self.token_embeddings = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
        self.position_embeddings = layers.Embedding(input_dim=sequence_length, output_dim=embed_dim)

    def call(self, inputs):
        positions = ops.arange(0, ops.shape(inputs)[-1])
        return self.token_embeddings(inputs) + self.position_embeddings(positions)

    def compute_mask(self, inputs, mask=None):
        return ops.not_equal(inputs, 0)


class TransformerEncoder(layers.Layer):
    def __init__(self, embed_dim, dense_dim, num_heads, **kwargs):
        super().__init__(**kwargs)
        self.attention = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.dense_proj = keras.Sequential(
            [layers.Dense(dense_dim, activation="relu"), layers.Dense(embed_dim)]
        )
        self.layernorm_1 = layers.LayerNormalization()
        self.layernorm_2 = layers.LayerNormalization()
        self.supports_masking = True

    def call(self, inputs, mask=None):
        padding_mask = None if mask is None else ops.cast(mask[:, None, :], "int32")
        attention_output = self.attention(
            query=inputs, value=inputs, key=inputs, attention_mask=padding_mask
        )
        proj_input = self.layernorm_1(inputs + attention_output)
        return self.layernorm_2(proj_input + self.dense_proj(proj_input))


class TransformerDecoder(layers.Layer):
    def __init__(self, embed_dim, latent_dim, num_heads, **kwargs):
        super().__init__(**kwargs)
        self.attention_1 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.attention_2 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.dense_proj = keras.Sequential(
            [layers.Dense(latent_dim, activation="relu"), layers.Dense(embed_dim)]
        )
        self.layernorm_1 = layers.LayerNormalization()
        self.layernorm_2 = layers.LayerNormalization()
        self.layernorm_3 = layers.LayerNormalization()
        self.supports_masking = True
        self.seen_masks = None

    def call(self, inputs, mask=None):
        inputs, encoder_outputs = inputs
        if mask is None:
            inputs_padding_mask, encoder_outputs_padding_mask = None, None
        else:
            inputs_padding_mask, encoder_outputs_padding_mask = mask
        self.seen_masks = (
            inputs_padding_mask is not None,
            encoder_outputs_padding_mask is not None,
        )
        attention_output_1 = self.attention_1(
            query=inputs,
            value=inputs,
            key=inputs,
            use_causal_mask=True,
            query_mask=inputs_padding_mask,
        )
        out_1 = self.layernorm_1(inputs + attention_output_1)
        attention_output_2 = self.attention_2(
            query=out_1,
            value=encoder_outputs,
            key=encoder_outputs,
            query_mask=inputs_padding_mask,
            key_mask=encoder_outputs_padding_mask,
        )
        out_2 = self.layernorm_2(out_1 + attention_output_2)
        return self.layernorm_3(out_2 + self.dense_proj(out_2))


embed_dim, latent_dim, num_heads = 32, 64, 2
encoder_inputs = keras.Input(shape=(None,), dtype="int64", name="encoder_inputs")
x = PositionalEmbedding(sequence_length, vocab_size, embed_dim)(encoder_inputs)
encoder_outputs = TransformerEncoder(embed_dim, latent_dim, num_heads)(x)
decoder_inputs = keras.Input(shape=(None,), dtype="int64", name="decoder_inputs")
x = PositionalEmbedding(sequence_length, vocab_size, embed_dim)(decoder_inputs)
decoder_layer = TransformerDecoder(embed_dim, latent_dim, num_heads)
x = decoder_layer([x, encoder_outputs])
x = layers.Dropout(0.1)(x)
decoder_outputs = layers.Dense(vocab_size, activation="softmax")(x)
transformer = keras.Model(
    {"encoder_inputs": encoder_inputs, "decoder_inputs": decoder_inputs},
    decoder_outputs,
    name="transformer",
)
assert decoder_layer.seen_masks == (True, True)

# Causal: changing a later decoder token leaves the earlier positions' outputs unchanged.
probe = {
    "encoder_inputs": inputs["encoder_inputs"][:2],
    "decoder_inputs": inputs["decoder_inputs"][:2],
}
changed = dict(
    probe,
    decoder_inputs=ops.concatenate(
        [probe["decoder_inputs"][:, :3], ops.ones_like(probe["decoder_inputs"][:, 3:]) * 5], axis=1
    ),
)
before = ops.convert_to_numpy(transformer(probe))
after = ops.convert_to_numpy(transformer(changed))
assert np.allclose(before[:, :3], after[:, :3], atol=1e-5)
assert not np.allclose(before[:, 3:], after[:, 3:], atol=1e-3)

transformer.compile(
    keras.optimizers.Adam(3e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"]
)
history = transformer.fit(train_ds, epochs=6, verbose=0)
assert history.history["loss"][-1] < 0.5 * history.history["loss"][0], history.history["loss"]

# The loss is averaged over the target positions that the decoder inputs' mask keeps.
batch_inputs, batch_targets = next(iter(make_dataset(test_pairs, 100)))
probs = transformer(batch_inputs, training=False).numpy()
mask = batch_inputs["decoder_inputs"].numpy() != 0
picked = np.take_along_axis(probs, batch_targets.numpy()[..., None], axis=-1)[..., 0]
ce = -np.log(np.clip(picked, 1e-7, 1.0))
masked_loss = (ce * mask).sum() / mask.sum()
loss, _ = transformer.evaluate(batch_inputs, batch_targets, batch_size=100, verbose=0)
assert abs(loss - masked_loss) < 1e-3 * max(1.0, masked_loss), (loss, masked_loss, ce.mean())

spa_index_lookup = dict(zip(range(len(spa_vocab)), spa_vocab))


def decode_sequence(input_sentence):
    tokenized_input_sentence = eng_vectorization([input_sentence])
    decoded_sentence = "[start]"
    for i in range(sequence_length):
        tokenized_target_sentence = spa_vectorization([decoded_sentence])[:, :-1]
        predictions = transformer(
            {
                "encoder_inputs": tokenized_input_sentence,
                "decoder_inputs": tokenized_target_sentence,
            }
        )
        sampled_token_index = int(ops.convert_to_numpy(ops.argmax(predictions[0, i, :])))
        sampled_token = spa_index_lookup[sampled_token_index]
        decoded_sentence += " " + sampled_token
        if sampled_token == "[end]":
            break
    return decoded_sentence


correct = 0
for src, tgt in test_pairs[:12]:
    expected = custom_standardization(tf.constant(tgt)).numpy().decode()
    correct += decode_sequence(src) == expected
assert correct >= 9, correct
print("translation transformer ok", history.history["loss"], correct)
