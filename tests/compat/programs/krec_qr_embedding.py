# keras.io "Memory-efficient embeddings for recommendation systems": a quotient-remainder
# embedding (two small tables indexed by id // buckets and id % buckets, multiplied) and a
# mixed-dimension embedding (frequent ids get a wide table, rare ids a narrow one projected
# up), used in a small rating model trained on synthetic user/item interactions.
import keras
import numpy as np
import tensorflow as tf
from keras import layers

keras.utils.set_random_seed(5)
rng = np.random.default_rng(5)


class QREmbedding(keras.layers.Layer):
    def __init__(self, vocabulary, embedding_dim, num_buckets, name=None):
        super().__init__(name=name)
        self.num_buckets = num_buckets
        self.index_lookup = layers.StringLookup(vocabulary=vocabulary, mask_token=None)
        self.q_embeddings = layers.Embedding(num_buckets, embedding_dim)
        self.r_embeddings = layers.Embedding(num_buckets, embedding_dim)

    def call(self, inputs):
        embedding_index = self.index_lookup(inputs)
        quotient_index = tf.math.floordiv(embedding_index, self.num_buckets)
        remainder_index = tf.math.floormod(embedding_index, self.num_buckets)
        quotient_embedding = self.q_embeddings(quotient_index)
        remainder_embedding = self.r_embeddings(remainder_index)
        return quotient_embedding * remainder_embedding


class MDEmbedding(keras.layers.Layer):
    def __init__(self, blocks_vocabulary, blocks_embedding_dims, base_embedding_dim, name=None):
        super().__init__(name=name)
        self.num_blocks = len(blocks_vocabulary)
        keys, values = [], []
        for block_idx, block_vocab in enumerate(blocks_vocabulary):
            keys.extend(block_vocab)
            values.extend([block_idx] * len(block_vocab))
        self.vocab_to_block = tf.lookup.StaticHashTable(
            tf.lookup.KeyValueTensorInitializer(keys, values), default_value=-1
        )
        self.block_embedding_encoders = []
        self.block_embedding_projectors = []
        for idx in range(self.num_blocks):
            vocabulary = blocks_vocabulary[idx]
            embedding_dim = blocks_embedding_dims[idx]
            self.block_embedding_encoders.append(
                keras.Sequential(
                    [
                        layers.StringLookup(vocabulary=vocabulary, mask_token=None),
                        layers.Embedding(len(vocabulary) + 1, embedding_dim),
                    ]
                )
            )
            if embedding_dim == base_embedding_dim:
                self.block_embedding_projectors.append(layers.Identity())
            else:
                self.block_embedding_projectors.append(layers.Dense(base_embedding_dim))

    def call(self, inputs):
        block_indices = self.vocab_to_block.lookup(inputs)
        embeddings = None
        for idx in range(self.num_blocks):
            embedding = self.block_embedding_projectors[idx](
                self.block_embedding_encoders[idx](inputs)
            )
            mask = tf.expand_dims(tf.cast(block_indices == idx, "float32"), 1)
            embedding = embedding * mask
            embeddings = embedding if embeddings is None else embeddings + embedding
        return embeddings


n_users, n_items, dim = 60, 40, 8
user_vocab = [f"user_{i}" for i in range(n_users)]
item_vocab = [f"item_{i}" for i in range(n_items)]

# QR embedding: 61 ids (with OOV) from two 8-row tables instead of a 61-row one
qr = QREmbedding(user_vocab, dim, num_buckets=8)
out = qr(tf.constant(["user_0", "user_9", "nobody"]))
assert tuple(out.shape) == (3, dim)
assert sum(int(np.prod(w.shape)) for w in qr.trainable_weights) == 2 * 8 * dim
idx = np.array([1, 10, 0])  # StringLookup puts OOV at 0, so user_0 -> 1
q_tab, r_tab = qr.q_embeddings.embeddings.numpy(), qr.r_embeddings.embeddings.numpy()
np.testing.assert_allclose(out.numpy(), q_tab[idx // 8] * r_tab[idx % 8], rtol=1e-6)

# MD embedding: 10 popular items get dim 8, the other 30 get dim 2 projected to 8
md = MDEmbedding([item_vocab[:10], item_vocab[10:]], [dim, 2], dim)
emb = md(tf.constant(["item_1", "item_25", "item_3"]))
assert tuple(emb.shape) == (3, dim)
popular = md.block_embedding_encoders[0].layers[1].embeddings.numpy()
np.testing.assert_allclose(emb.numpy()[0], popular[2], rtol=1e-6)  # item_1 -> index 2
rare_proj = md.block_embedding_projectors[1]
rare_tab = md.block_embedding_encoders[1].layers[1].embeddings.numpy()
w, b = rare_proj.get_weights()
np.testing.assert_allclose(emb.numpy()[1], rare_tab[16] @ w + b, rtol=1e-5, atol=1e-6)

# a rating model: dot product of user and item embeddings
true_u = rng.normal(size=(n_users, 3))
true_i = rng.normal(size=(n_items, 3))
pairs = rng.integers(0, [n_users, n_items], size=(3000, 2))
ratings = np.sum(true_u[pairs[:, 0]] * true_i[pairs[:, 1]], axis=1).astype("float32")
users = np.array(user_vocab)[pairs[:, 0]]
items = np.array(item_vocab)[pairs[:, 1]]

user_in = keras.Input(shape=(), dtype="string", name="user_id")
item_in = keras.Input(shape=(), dtype="string", name="item_id")
u = QREmbedding(user_vocab, 16, num_buckets=8, name="user_embedding")(user_in)
i = MDEmbedding([item_vocab[:10], item_vocab[10:]], [16, 4], 16, name="item_embedding")(item_in)
pred = layers.Dense(1)(layers.Concatenate()([u * i, u, i]))
model = keras.Model([user_in, item_in], pred)
model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
ds = tf.data.Dataset.from_tensor_slices(({"user_id": users, "item_id": items}, ratings))
hist = model.fit(ds.batch(128), epochs=12, verbose=0)
base = float(np.var(ratings))
assert hist.history["loss"][-1] < 0.6 * base, (hist.history["loss"], base)
print("mse", hist.history["loss"][-1], "variance", base)
