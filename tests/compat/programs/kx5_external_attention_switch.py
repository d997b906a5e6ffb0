# keras.io "Image classification with EANet (External Attention Transformer)" and
# "Text classification with Switch Transformer": patches cut with tf.image.extract_patches
# in a custom layer, a patch embedding adding an Embedding of tf.range positions, external
# attention written with keras.ops on symbolic tensors (reshape into heads, transpose, two
# Dense "memories", Softmax over the patch axis and a second normalisation), trained with
# AdamW and label smoothing; then a Switch layer whose Router (a layer setting attributes
# before super().__init__()) picks one expert per token with tf.math.top_k, caps each
# expert's load with a cumsum of the one-hot mask, adds a load-balancing loss with add_loss,
# and dispatches/combines tokens with tf.einsum.
import numpy as np
import tensorflow as tf
from keras import ops
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(7)
rng = np.random.default_rng(7)


class Patches(layers.Layer):
    def __init__(self, size, **kwargs):
        super().__init__(**kwargs)
        self.size = size

    def call(self, images):
        n = tf.shape(images)[0]
        cut = tf.image.extract_patches(
            images=images,
            sizes=(1, self.size, self.size, 1),
            strides=(1, self.size, self.size, 1),
            rates=(1, 1, 1, 1),
            padding="VALID",
        )
        return tf.reshape(cut, (n, cut.shape[1] * cut.shape[2], cut.shape[-1]))


class PatchEmbed(layers.Layer):
    def __init__(self, count, dim, **kwargs):
        super().__init__(**kwargs)
        self.count = count
        self.proj = layers.Dense(dim)
        self.where = layers.Embedding(input_dim=count, output_dim=dim)

    def call(self, patches):
        return self.proj(patches) + self.where(tf.range(start=0, limit=self.count, delta=1))


def external_attention(x, dim, heads, coefficient=4):
    _, count, _ = x.shape
    heads = heads * coefficient
    x = layers.Dense(dim * coefficient)(x)
    x = ops.reshape(x, (-1, count, heads, dim * coefficient // heads))
    x = ops.transpose(x, axes=[0, 2, 1, 3])
    attn = layers.Dense(dim // coefficient)(x)
    attn = layers.Softmax(axis=2)(attn)
    attn = attn / (1e-9 + ops.sum(attn, axis=-1, keepdims=True))
    x = layers.Dense(dim * coefficient // heads)(attn)
    x = ops.transpose(x, axes=[0, 2, 1, 3])
    x = ops.reshape(x, [-1, count, dim * coefficient])
    return layers.Dense(dim)(x)


images = rng.integers(0, 256, (16, 8, 8, 3)).astype("float32")
onehot = keras.utils.to_categorical(rng.integers(0, 5, (16, 1)), 5)
assert onehot.shape == (16, 5) and onehot.dtype == np.float64

pixels = layers.Input(shape=(8, 8, 3))
cut = Patches(2)(layers.Rescaling(1 / 255)(pixels))
assert tuple(cut.shape) == (None, 16, 12)
tokens = PatchEmbed(16, 16)(cut)
mixed = layers.add([external_attention(layers.LayerNormalization()(tokens), 16, 4), tokens])
assert tuple(mixed.shape) == (None, 16, 16)
guess = layers.Dense(5, activation="softmax")(layers.GlobalAvgPool1D()(mixed))
eanet = keras.Model(pixels, guess)
# Dense 16->64, Dense 4->4 (memory M_k), Dense 4->4 (M_v), Dense 64->16
assert eanet.count_params() == 208 + 256 + 32 + 1088 + 20 + 20 + 1040 + 85
eanet.compile(
    loss=keras.losses.CategoricalCrossentropy(label_smoothing=0.1),
    optimizer=keras.optimizers.AdamW(learning_rate=1e-3, weight_decay=1e-4),
    metrics=[
        keras.metrics.CategoricalAccuracy(name="accuracy"),
        keras.metrics.TopKCategoricalAccuracy(3, name="top-3-accuracy"),
    ],
)
fitted = eanet.fit(images, onehot, batch_size=8, epochs=1, validation_split=0.25, verbose=0)
assert sorted(fitted.history) == [
    "accuracy",
    "loss",
    "top-3-accuracy",
    "val_accuracy",
    "val_loss",
    "val_top-3-accuracy",
]
loss, acc, top3 = eanet.evaluate(images, onehot, verbose=0)
assert isinstance(loss, float) and 0.0 <= acc <= top3 <= 1.0

# --- Switch Transformer's mixture of experts ------------------------------------------
TOKENS, DIM, EXPERTS, BATCH = 6, 8, 4, 4
per_batch = BATCH * TOKENS


class Router(layers.Layer):
    def __init__(self, experts, capacity):
        self.experts = experts
        self.route = layers.Dense(units=experts)
        self.capacity = capacity
        super().__init__()

    def call(self, inputs, training=False):
        logits = self.route(inputs)
        probs = keras.activations.softmax(logits, axis=-1)
        gate, index = tf.math.top_k(probs, k=1)
        mask = tf.one_hot(index, depth=self.experts)
        density = tf.reduce_mean(mask, axis=0)
        self.add_loss(tf.reduce_mean(tf.reduce_mean(probs, axis=0) * density) * EXPERTS**2)
        position = tf.cast(tf.math.cumsum(mask, axis=0) * mask, tf.int32)
        mask *= tf.cast(tf.math.less(position, self.capacity), tf.float32)
        kept = tf.reduce_sum(mask, axis=-1)
        gate *= kept
        combine = tf.expand_dims(
            gate * kept * tf.squeeze(tf.one_hot(index, depth=self.experts), 1), -1
        ) * tf.squeeze(tf.one_hot(position, depth=self.capacity), 1)
        return tf.cast(combine, tf.float32), combine


class Switch(layers.Layer):
    def __init__(self):
        self.capacity = per_batch // EXPERTS
        self.experts = [
            keras.Sequential([layers.Dense(DIM, activation="relu"), layers.Dense(DIM)])
            for _ in range(EXPERTS)
        ]
        self.router = Router(EXPERTS, self.capacity)
        super().__init__()

    def call(self, inputs):
        n, t = tf.shape(inputs)[0], tf.shape(inputs)[1]
        flat = tf.reshape(inputs, [-1, DIM])
        dispatch, combine = self.router(flat)
        routed = tf.einsum("ab,acd->cdb", flat, dispatch)
        routed = tf.reshape(routed, [EXPERTS, self.capacity, DIM])
        outs = [f(part) for f, part in zip(self.experts, tf.unstack(routed, axis=0))]
        merged = tf.einsum("abc,xba->xc", tf.stack(outs, axis=1), combine)
        return tf.reshape(merged, [n, t, DIM])


switch = Switch()
sample = tf.random.normal((BATCH, TOKENS, DIM))
out = switch(sample)
assert out.shape == (BATCH, TOKENS, DIM)
assert len(switch.losses) == 1 and switch.losses[0].shape == ()
assert len(switch.trainable_weights) == 2 + EXPERTS * 4
d, c = switch.router(tf.reshape(sample, [-1, DIM]))
assert d.shape == (per_batch, EXPERTS, per_batch // EXPERTS)
# every token goes to at most one (expert, slot) and no slot holds two tokens
assert int(tf.reduce_max(tf.reduce_sum(tf.cast(d > 0, tf.int32), axis=[1, 2]))) <= 1
assert int(tf.reduce_max(tf.reduce_sum(tf.cast(d > 0, tf.int32), axis=0))) <= 1

words = layers.Input(shape=(TOKENS,))
emb = layers.Embedding(50, DIM)(words)
pooled = layers.GlobalAveragePooling1D()(layers.LayerNormalization()(emb + switch(emb)))
clf = keras.Model(words, layers.Dense(2, activation="softmax")(pooled))
clf.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
ids = keras.utils.pad_sequences(
    [list(rng.integers(1, 50, rng.integers(2, 9))) for _ in range(8)], maxlen=TOKENS
)
assert ids.shape == (8, TOKENS) and ids.dtype == np.int32
hist = clf.fit(ids, rng.integers(0, 2, 8), batch_size=BATCH, epochs=1, verbose=0)
assert sorted(hist.history) == ["accuracy", "loss"]
assert len(clf.losses) == 1
print("ok")
