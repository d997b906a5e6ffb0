# keras.io "Text classification with Transformer" and "Text classification with Switch
# Transformer", small and synthetic: a TransformerBlock layer (MultiHeadAttention + a
# Sequential feed-forward), a token-and-position embedding from keras.ops.arange, padded
# integer reviews; the summary's automatic names (the attention layer's own Softmax and
# Dropout take "dropout"/"softmax" numbers, so the model's Dropouts are dropout_3 and
# dropout_4); then a Switch (mixture-of-experts) feed-forward whose Router picks experts with
# tf.math.top_k / one_hot / cumsum, dispatches tokens with tf.einsum and adds a
# load-balancing loss with add_loss; the model trains with that loss included.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers, ops

keras.utils.set_random_seed(3)
rng = np.random.default_rng(3)
vocab_size, maxlen = 60, 12


def reviews(n):
    xs, ys = [], []
    for i in range(n):
        label = i % 2
        length = int(rng.integers(4, 16))
        xs.append(list(rng.integers(1 + 30 * label, 30 + 30 * label, length)))
        ys.append(label)
    return keras.utils.pad_sequences(xs, maxlen=maxlen), np.array(ys)


x_train, y_train = reviews(64)
x_val, y_val = reviews(16)
assert x_train.shape == (64, maxlen) and x_train.dtype == np.int32
assert (x_train[:, 0] == 0).any()  # pre-padding


class TransformerBlock(layers.Layer):
    def __init__(self, embed_dim, num_heads, ffn, rate=0.1):
        super().__init__()
        self.att = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.ffn = ffn
        self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)
        self.dropout1 = layers.Dropout(rate)
        self.dropout2 = layers.Dropout(rate)

    def call(self, inputs, training=None):
        attended = self.dropout1(self.att(inputs, inputs), training=training)
        out1 = self.layernorm1(inputs + attended)
        return self.layernorm2(out1 + self.dropout2(self.ffn(out1), training=training))


class TokenAndPositionEmbedding(layers.Layer):
    def __init__(self, maxlen, vocab_size, embed_dim):
        super().__init__()
        self.token_emb = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
        self.pos_emb = layers.Embedding(input_dim=maxlen, output_dim=embed_dim)

    def call(self, x):
        positions = self.pos_emb(ops.arange(start=0, stop=ops.shape(x)[-1], step=1))
        return self.token_emb(x) + positions


def classifier(ffn, embed_dim=8):
    keras.backend.clear_session()  # fresh automatic names
    inputs = layers.Input(shape=(maxlen,))
    x = TokenAndPositionEmbedding(maxlen, vocab_size, embed_dim)(inputs)
    x = TransformerBlock(embed_dim, 2, ffn if isinstance(ffn, layers.Layer) else ffn())(x)
    x = layers.GlobalAveragePooling1D()(x)
    x = layers.Dropout(0.1)(x)
    x = layers.Dense(8, activation="relu")(x)
    x = layers.Dropout(0.1)(x)
    return keras.Model(inputs, layers.Dense(2, activation="softmax")(x))


model = classifier(lambda: keras.Sequential([layers.Dense(8, activation="relu"), layers.Dense(8)]))
names = [layer.name for layer in model.layers]
assert names[3:] == ["global_average_pooling1d", "dropout_3", "dense_2", "dropout_4", "dense_3"], (
    names
)
# embeddings 576, attention 3 * (128 + 16) + (128 + 8), feed-forward 144, norms 32, head 90
assert model.count_params() == 1410, model.count_params()
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
history = model.fit(
    x_train, y_train, batch_size=16, epochs=3, validation_data=(x_val, y_val), verbose=0
)
assert sorted(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
assert history.history["loss"][-1] < history.history["loss"][0]

# --- the Switch Transformer's mixture of experts ---
num_experts, batch_size = 4, 16
tokens_per_batch = batch_size * maxlen


def load_balanced_loss(router_probs, expert_mask):
    experts = tf.shape(expert_mask)[-1]
    density = tf.reduce_mean(expert_mask, axis=0)
    density_proxy = tf.reduce_mean(router_probs, axis=0)
    return tf.reduce_mean(density_proxy * density) * tf.cast(experts**2, tf.float32)


class Router(layers.Layer):
    def __init__(self, num_experts, expert_capacity):
        super().__init__()
        self.num_experts, self.expert_capacity = num_experts, expert_capacity
        self.route = layers.Dense(units=num_experts)

    def call(self, inputs, training=False):
        router_logits = self.route(inputs)
        if training:
            router_logits += tf.random.uniform(tf.shape(router_logits), minval=0.9, maxval=1.1)
        router_probs = keras.activations.softmax(router_logits, axis=-1)
        expert_gate, expert_index = tf.math.top_k(router_probs, k=1)
        expert_mask = tf.one_hot(expert_index, depth=self.num_experts)
        self.add_loss(load_balanced_loss(router_probs, expert_mask))
        position = tf.cast(tf.math.cumsum(expert_mask, axis=0) * expert_mask, tf.int32)
        expert_mask *= tf.cast(tf.math.less(position, self.expert_capacity), tf.float32)
        kept = tf.reduce_sum(expert_mask, axis=-1)
        expert_gate *= kept
        combine = tf.expand_dims(
            expert_gate * kept * tf.squeeze(tf.one_hot(expert_index, self.num_experts), 1), -1
        ) * tf.squeeze(tf.one_hot(position, depth=self.expert_capacity), 1)
        return tf.cast(combine, tf.float32), combine


class Switch(layers.Layer):
    def __init__(self, num_experts, embed_dim, tokens_per_batch):
        super().__init__()
        self.num_experts, self.embed_dim = num_experts, embed_dim
        self.experts = [
            keras.Sequential([layers.Dense(embed_dim, activation="relu"), layers.Dense(embed_dim)])
            for _ in range(num_experts)
        ]
        self.expert_capacity = tokens_per_batch // num_experts
        self.router = Router(num_experts, self.expert_capacity)

    def call(self, inputs):
        batch, steps = tf.shape(inputs)[0], tf.shape(inputs)[1]
        flat = tf.reshape(inputs, [-1, self.embed_dim])
        dispatch, combine = self.router(flat)
        expert_inputs = tf.einsum("ab,acd->cdb", flat, dispatch)
        expert_inputs = tf.reshape(
            expert_inputs, [self.num_experts, self.expert_capacity, self.embed_dim]
        )
        outputs = [expert(x) for expert, x in zip(self.experts, tf.unstack(expert_inputs, axis=0))]
        combined = tf.einsum("abc,xba->xc", tf.stack(outputs, axis=1), combine)
        return tf.reshape(combined, [batch, steps, self.embed_dim])


switch = Switch(num_experts, 8, tokens_per_batch)
probe = tf.random.normal((batch_size, maxlen, 8))
dispatch, combine = switch.router(tf.reshape(probe, [-1, 8]))
assert dispatch.shape == (tokens_per_batch, num_experts, tokens_per_batch // num_experts)
counts = tf.reduce_sum(dispatch, axis=[0, 2]).numpy()
assert counts.sum() <= tokens_per_batch and (counts <= tokens_per_batch // num_experts).all()
assert np.allclose(tf.reduce_sum(dispatch, axis=[1, 2]).numpy() <= 1.0, True)
aux = float(switch.router.losses[0])
assert 1.0 <= aux <= num_experts  # num_experts**2 * mean(p * f) is 1 for a balanced router
assert switch(probe).shape == (batch_size, maxlen, 8)

moe = classifier(switch)
moe.compile(
    optimizer=keras.optimizers.Adam(0.01),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
history = moe.fit(x_train, y_train, batch_size=batch_size, epochs=2, verbose=0)
losses = history.history["loss"]
assert len(losses) == 2 and all(np.isfinite(losses))
moe(x_val, training=True)
assert len(moe.losses) == 1 and float(moe.losses[0]) >= 1.0
plain = moe.compute_loss(x_val, y_val, moe(x_val, training=True))
assert float(plain) > float(moe.losses[0])  # the load-balancing loss is part of the total
predictions = moe.predict(x_val, batch_size=batch_size, verbose=0)
assert predictions.shape == (16, 2) and np.allclose(predictions.sum(-1), 1.0, atol=1e-5)
print("ok")
