# The "Neural machine translation with a Transformer and Keras" tutorial's building
# blocks, small: positional encoding, PositionalEmbedding with mask_zero, the attention
# layers (cross, global self, causal self) built on MultiHeadAttention + Add +
# LayerNormalization, a FeedForward block, the warmup learning-rate schedule, and the
# masked loss and accuracy, trained for a few steps on a copy task.
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(1)


def positional_encoding(length, depth):
    depth = depth / 2
    positions = np.arange(length)[:, np.newaxis]
    depths = np.arange(depth)[np.newaxis, :] / depth
    angle_rates = 1 / (10000**depths)
    angle_rads = positions * angle_rates
    pos_encoding = np.concatenate([np.sin(angle_rads), np.cos(angle_rads)], axis=-1)
    return tf.cast(pos_encoding, dtype=tf.float32)


class PositionalEmbedding(tf.keras.layers.Layer):
    def __init__(self, vocab_size, d_model):
        super().__init__()
        self.d_model = d_model
        self.embedding = tf.keras.layers.Embedding(vocab_size, d_model, mask_zero=True)
        self.pos_encoding = positional_encoding(length=64, depth=d_model)

    def compute_mask(self, *args, **kwargs):
        return self.embedding.compute_mask(*args, **kwargs)

    def call(self, x):
        length = tf.shape(x)[1]
        x = self.embedding(x)
        x *= tf.math.sqrt(tf.cast(self.d_model, tf.float32))
        x = x + self.pos_encoding[tf.newaxis, :length, :]
        return x


class BaseAttention(tf.keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__()
        self.mha = tf.keras.layers.MultiHeadAttention(**kwargs)
        self.layernorm = tf.keras.layers.LayerNormalization()
        self.add = tf.keras.layers.Add()


class CrossAttention(BaseAttention):
    def call(self, x, context):
        attn_output, attn_scores = self.mha(
            query=x, key=context, value=context, return_attention_scores=True
        )
        self.last_attn_scores = attn_scores
        x = self.add([x, attn_output])
        return self.layernorm(x)


class GlobalSelfAttention(BaseAttention):
    def call(self, x):
        attn_output = self.mha(query=x, value=x, key=x)
        x = self.add([x, attn_output])
        return self.layernorm(x)


class CausalSelfAttention(BaseAttention):
    def call(self, x):
        attn_output = self.mha(query=x, value=x, key=x, use_causal_mask=True)
        x = self.add([x, attn_output])
        return self.layernorm(x)


class FeedForward(tf.keras.layers.Layer):
    def __init__(self, d_model, dff, dropout_rate=0.1):
        super().__init__()
        self.seq = tf.keras.Sequential(
            [
                tf.keras.layers.Dense(dff, activation="relu"),
                tf.keras.layers.Dense(d_model),
                tf.keras.layers.Dropout(dropout_rate),
            ]
        )
        self.add = tf.keras.layers.Add()
        self.layer_norm = tf.keras.layers.LayerNormalization()

    def call(self, x):
        x = self.add([x, self.seq(x)])
        return self.layer_norm(x)


pe = positional_encoding(length=32, depth=16)
assert pe.shape == (32, 16)
np.testing.assert_allclose(pe[0].numpy(), [0.0] * 8 + [1.0] * 8, atol=1e-7)

vocab, d_model, seq = 20, 16, 10
embed = PositionalEmbedding(vocab, d_model)
tokens = tf.constant([[3, 5, 7, 0, 0], [2, 4, 6, 8, 9]])
emb = embed(tokens)
assert emb.shape == (2, 5, d_model)
mask = embed.compute_mask(tokens)
assert mask.numpy().tolist() == [[True, True, True, False, False], [True] * 5]

# causal self-attention: outputs at position t do not depend on later positions
csa = CausalSelfAttention(num_heads=2, key_dim=d_model)
x = tf.random.normal((1, 6, d_model))
out1 = csa(x)
x2 = tf.concat([x[:, :3], tf.random.normal((1, 3, d_model))], axis=1)
out2 = csa(x2)
np.testing.assert_allclose(out1[:, :3].numpy(), out2[:, :3].numpy(), rtol=1e-4, atol=1e-5)
assert not np.allclose(out1[:, 3:].numpy(), out2[:, 3:].numpy())

ca = CrossAttention(num_heads=2, key_dim=d_model)
context = tf.random.normal((1, 4, d_model))
y = ca(x, context)
assert y.shape == (1, 6, d_model)
assert ca.last_attn_scores.shape == (1, 2, 6, 4)
np.testing.assert_allclose(tf.reduce_sum(ca.last_attn_scores, -1).numpy(), 1.0, rtol=1e-5)
assert GlobalSelfAttention(num_heads=2, key_dim=d_model)(x).shape == (1, 6, d_model)
assert FeedForward(d_model, 32)(x).shape == (1, 6, d_model)


class CustomSchedule(tf.keras.optimizers.schedules.LearningRateSchedule):
    def __init__(self, d_model, warmup_steps=4000):
        super().__init__()
        self.d_model = tf.cast(d_model, tf.float32)
        self.warmup_steps = warmup_steps

    def __call__(self, step):
        step = tf.cast(step, dtype=tf.float32)
        arg1 = tf.math.rsqrt(step)
        arg2 = step * (self.warmup_steps**-1.5)
        return tf.math.rsqrt(self.d_model) * tf.math.minimum(arg1, arg2)


schedule = CustomSchedule(128, warmup_steps=100)
rates = schedule(tf.range(1, 400, dtype=tf.float32)).numpy()
assert rates.argmax() == 99  # rises for warmup_steps, then decays
np.testing.assert_allclose(rates[99], 128**-0.5 * 100**-0.5, rtol=1e-5)


def masked_loss(label, pred):
    mask = label != 0
    loss_object = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction="none")
    loss = loss_object(label, pred)
    mask = tf.cast(mask, dtype=loss.dtype)
    loss *= mask
    return tf.reduce_sum(loss) / tf.reduce_sum(mask)


def masked_accuracy(label, pred):
    pred = tf.argmax(pred, axis=2)
    label = tf.cast(label, pred.dtype)
    match = label == pred
    mask = label != 0
    match = match & mask
    match = tf.cast(match, dtype=tf.float32)
    mask = tf.cast(mask, dtype=tf.float32)
    return tf.reduce_sum(match) / tf.reduce_sum(mask)


labels = tf.constant([[1, 2, 0]])
logits = tf.constant([[[0.0, 5.0, 0.0], [0.0, 0.0, 5.0], [9.0, 0.0, 0.0]]])
np.testing.assert_allclose(masked_accuracy(labels, logits).numpy(), 1.0)
per_token = -tf.nn.log_softmax(logits)[0].numpy()[[0, 1], [1, 2]]
np.testing.assert_allclose(masked_loss(labels, logits).numpy(), per_token.mean(), rtol=1e-5)

# a one-layer decoder-only model learns to copy its input (shifted by one)
inputs = tf.keras.Input(shape=(None,), dtype="int64")
h = PositionalEmbedding(vocab, d_model)(inputs)
h = CausalSelfAttention(num_heads=2, key_dim=d_model, dropout=0.0)(h)
h = FeedForward(d_model, 32, dropout_rate=0.0)(h)
outputs = tf.keras.layers.Dense(vocab)(h)
model = tf.keras.Model(inputs, outputs)
model.compile(
    optimizer=tf.keras.optimizers.Adam(0.01, beta_1=0.9, beta_2=0.98, epsilon=1e-9),
    loss=masked_loss,
    metrics=[masked_accuracy],
)
rng = np.random.default_rng(0)
data = rng.integers(1, vocab, (256, seq + 1))
history = model.fit(data[:, :-1], data[:, :-1], epochs=8, batch_size=32, verbose=0)
assert history.history["loss"][-1] < 0.5 * history.history["loss"][0], history.history
assert history.history["masked_accuracy"][-1] > 0.8, history.history
