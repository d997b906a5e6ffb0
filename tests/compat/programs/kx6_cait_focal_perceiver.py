# keras.io "Class Attention Image Transformers with LayerScale", "Focal Modulation Networks"
# and "Image classification with Perceiver", shrunk: functional blocks with two outputs
# (tokens and attention scores) nested in a subclassed model that returns a tuple of logits
# and dicts of scores (predict gives NumPy in the same structure), tf.Variable attributes
# (not weights in Keras 3), layers that return (tensor, height, width, channels) with sizes
# from tf.shape and take them back as positional tensors, tf.split into sizes, a grouped
# (depthwise) Conv2D and GlobalAveragePooling2D(keepdims=True), attributes set during call
# read by a callback, and a functional cross-attention block fed a latent of batch 1 beside
# data of batch N.
import keras
import numpy as np
import tensorflow as tf
from keras import layers

keras.utils.set_random_seed(3)
DIM, HEADS = 8, 2


class LayerScale(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.gamma = tf.Variable(1e-5 * tf.ones((DIM,)))

    def call(self, x):
        return x * self.gamma


class ClassAttention(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.q, self.k, self.v = layers.Dense(DIM), layers.Dense(DIM), layers.Dense(DIM)

    def call(self, x):
        b, n = tf.shape(x)[0], tf.shape(x)[1]
        q = tf.transpose(tf.reshape(self.q(x[:, 0]), (b, 1, HEADS, DIM // HEADS)), [0, 2, 1, 3])
        k = tf.transpose(tf.reshape(self.k(x), (b, n, HEADS, DIM // HEADS)), [0, 2, 1, 3])
        v = tf.transpose(tf.reshape(self.v(x), (b, n, HEADS, DIM // HEADS)), [0, 2, 1, 3])
        attn = tf.nn.softmax(tf.matmul(q * (DIM // HEADS) ** -0.5, k, transpose_b=True), -1)
        out = tf.reshape(tf.transpose(tf.matmul(attn, v), [0, 2, 1, 3]), (b, 1, DIM))
        return out, attn


def class_attention_block(name):
    patches = keras.Input((None, DIM))
    cls = keras.Input((None, DIM))
    joined = layers.Concatenate(axis=1)([cls, patches])
    out, scores = ClassAttention()(layers.LayerNormalization(epsilon=1e-6)(joined))
    out = layers.Add()([cls, LayerScale()(out)])
    return keras.Model([patches, cls], [out, scores], name=name)


class CaiT(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.patchify = keras.Sequential(
            [layers.Conv2D(DIM, 4, strides=4), layers.Reshape((-1, DIM))], name="projection"
        )
        self.cls_token = tf.Variable(tf.zeros((1, 1, DIM)))
        self.blocks = [class_attention_block(f"ca_block_{i}") for i in range(2)]
        self.head = layers.Dense(5)

    def call(self, x):
        x = self.patchify(x)
        cls = tf.tile(self.cls_token, (tf.shape(x)[0], 1, 1))
        scores = {}
        for block in self.blocks:
            cls, scores[f"{block.name}_att"] = block([x, cls])
        return self.head(cls[:, 0]), scores


cait = CaiT()
images = np.random.default_rng(0).random((3, 8, 8, 3)).astype("float32")
logits, scores = cait(images)
assert tuple(logits.shape) == (3, 5) and sorted(scores) == ["ca_block_0_att", "ca_block_1_att"]
assert tuple(scores["ca_block_1_att"].shape) == (3, HEADS, 1, 5)  # the class token and 4 patches
np.testing.assert_allclose(scores["ca_block_0_att"].numpy().sum(-1), 1.0, rtol=1e-5)
# Keras 3 keeps tf.Variable attributes out of the weights (they are not trained)
assert not any(tuple(w.shape) == (1, 1, DIM) for w in cait.weights)
pred_logits, pred_scores = cait.predict(images, verbose=0)
assert isinstance(pred_logits, np.ndarray) and isinstance(pred_scores, dict)
np.testing.assert_allclose(pred_logits, logits.numpy(), rtol=1e-5, atol=1e-6)


class PatchEmbed(layers.Layer):
    def __init__(self, dim, **kwargs):
        super().__init__(**kwargs)
        self.proj = layers.Conv2D(dim, 2, strides=2)
        self.flat = layers.Reshape((-1, dim))

    def call(self, x):
        x = self.proj(x)
        return self.flat(x), tf.shape(x)[1], tf.shape(x)[2], tf.shape(x)[3]


class FocalModulation(layers.Layer):
    def __init__(self, dim, levels=2, **kwargs):
        super().__init__(**kwargs)
        self.dim, self.levels = dim, levels
        self.initial = layers.Dense(2 * dim + levels + 1)
        self.contexts = [
            layers.Conv2D(
                dim, 3 + 2 * i, padding="same", groups=dim, use_bias=False, activation="gelu"
            )
            for i in range(levels)
        ]
        self.gap = layers.GlobalAveragePooling2D(keepdims=True)
        self.modulator_proj = layers.Conv2D(dim, 1)

    def call(self, x):
        projected = self.initial(x)
        query, context, self.gates = tf.split(projected, [self.dim, self.dim, self.levels + 1], -1)
        total = 0.0
        for i, conv in enumerate(self.contexts):
            context = conv(context)
            total += context * self.gates[..., i : i + 1]
        total += keras.activations.gelu(self.gap(context)) * self.gates[..., self.levels :]
        self.modulator = self.modulator_proj(total)
        return query * self.modulator


class FocalBlock(layers.Layer):
    def __init__(self, dim, **kwargs):
        super().__init__(**kwargs)
        self.modulation = FocalModulation(dim)
        self.norm = layers.LayerNormalization()

    def call(self, x, height, width, channels):
        y = self.modulation(tf.reshape(self.norm(x), (-1, height, width, channels)))
        return x + tf.reshape(y, (-1, height * width, channels))


class FocalNet(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.embed = PatchEmbed(DIM)
        self.block = FocalBlock(DIM)
        self.head = layers.Dense(4, activation="softmax")

    def call(self, x):
        x, h, w, c = self.embed(x)
        x = self.block(x, h, w, c)
        return self.head(tf.reduce_mean(x, 1))


embedded = PatchEmbed(DIM)(images)
assert isinstance(embedded, tuple) and [int(v) for v in embedded[1:]] == [4, 4, DIM]
grouped = layers.Conv2D(DIM, 3, groups=DIM, use_bias=False)
grouped.build((None, 6, 6, DIM))
assert tuple(grouped.kernel.shape) == (3, 3, 1, DIM)


class GateMonitor(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.seen = []

    def on_epoch_end(self, epoch, logs=None):
        self.model(images)
        modulation = self.model.block.modulation
        self.seen.append((tuple(modulation.gates.shape), tuple(modulation.modulator.shape)))


net = FocalNet()
net.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
monitor = GateMonitor()
net.fit(images, np.array([0, 1, 2]), epochs=2, batch_size=3, callbacks=[monitor], verbose=0)
assert monitor.seen == [((3, 4, 4, 3), (3, 4, 4, DIM))] * 2
kernel_sizes = [tuple(c.kernel.shape) for c in net.block.modulation.contexts]
assert kernel_sizes == [(3, 3, 1, DIM), (5, 5, 1, DIM)]


def cross_attention(latents, length):
    inputs = {"latent": keras.Input((latents, DIM)), "data": keras.Input((length, DIM))}
    query = layers.Dense(DIM)(layers.LayerNormalization()(inputs["latent"]))
    data = layers.LayerNormalization()(inputs["data"])
    attended = layers.Attention(use_scale=True)(
        [query, layers.Dense(DIM)(data), layers.Dense(DIM)(data)]
    )
    return keras.Model(inputs, layers.Add()([attended, query]))


block = cross_attention(3, 6)
latent = np.random.default_rng(1).normal(size=(1, 3, DIM)).astype("float32")
data = np.random.default_rng(2).normal(size=(4, 6, DIM)).astype("float32")
out = block({"latent": latent, "data": data})
assert tuple(out.shape) == (4, 3, DIM)  # the latent of batch 1 serves every example
np.testing.assert_allclose(
    out[0].numpy(), block({"latent": latent, "data": data[:1]})[0].numpy(), rtol=1e-5, atol=1e-6
)
print("ok")
