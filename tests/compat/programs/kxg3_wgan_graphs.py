# keras.io "WGAN-GP with R-GCN for the generation of small molecular graphs", on random
# graphs instead of QM9/RDKit: a generator with two outputs (a symmetrised adjacency tensor
# with a softmax over bond types, and atom features), a relational graph convolution, a
# WGAN-GP train_step fed x=[adjacency, features] (a tuple in the step, as Keras on TF gives
# it), and sampling with tf.one_hot(axis=1) and tf.linalg.set_diag. tf.norm is checked on
# its own (gradient penalties use an epsilon norm: the gradient of a norm of zeros is NaN).
import keras
import numpy as np
import tensorflow as tf

BONDS, ATOMS, ATOM_TYPES, LATENT = 3, 5, 4, 8
keras.utils.set_random_seed(8)
rng = np.random.default_rng(8)
adjacency = np.zeros((16, BONDS, ATOMS, ATOMS), "float32")
adjacency[:, -1] = 1.0  # every pair "not bonded"
features = np.eye(ATOM_TYPES, dtype="float32")[rng.integers(0, ATOM_TYPES, (16, ATOMS))]


def make_generator():
    z = keras.Input(shape=(LATENT,))
    x = keras.layers.Dense(16, activation="tanh")(z)
    x = keras.layers.Dropout(0.2)(x)
    adj = keras.layers.Reshape((BONDS, ATOMS, ATOMS))(keras.layers.Dense(BONDS * ATOMS * ATOMS)(x))
    adj = (adj + keras.ops.transpose(adj, (0, 1, 3, 2))) / 2
    adj = keras.layers.Softmax(axis=1)(adj)
    feat = keras.layers.Reshape((ATOMS, ATOM_TYPES))(keras.layers.Dense(ATOMS * ATOM_TYPES)(x))
    feat = keras.layers.Softmax(axis=2)(feat)
    return keras.Model(z, [adj, feat], name="generator")


class RelationalGraphConv(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        bonds, atom_dim = input_shape[0][1], input_shape[1][2]
        self.kernel = self.add_weight(shape=(bonds, atom_dim, self.units), name="W")

    def call(self, inputs, training=False):
        adj, feat = inputs
        x = tf.matmul(tf.matmul(adj, feat[:, None, :, :]), self.kernel)
        return tf.nn.relu(tf.reduce_sum(x, axis=1))


def make_critic():
    adj = keras.Input(shape=(BONDS, ATOMS, ATOMS))
    feat = keras.Input(shape=(ATOMS, ATOM_TYPES))
    h = RelationalGraphConv(8)([adj, RelationalGraphConv(8)([adj, feat])])
    h = keras.layers.Dense(8, activation="relu")(keras.layers.GlobalAveragePooling1D()(h))
    return keras.Model([adj, feat], keras.layers.Dense(1)(h), name="critic")


class GraphWGAN(keras.Model):
    def __init__(self, generator, critic, gp_weight=10.0):
        super().__init__()
        self.generator, self.critic, self.gp_weight = generator, critic, gp_weight
        self.latent_dim = generator.input_shape[-1]
        self.seen_types = []

    def compile(self, g_opt, c_opt):
        super().compile()
        self.g_opt, self.c_opt = g_opt, c_opt
        self.g_loss = keras.metrics.Mean(name="loss_gen")
        self.c_loss = keras.metrics.Mean(name="loss_dis")

    def train_step(self, inputs):
        self.seen_types.append(type(inputs[0]).__name__)
        if isinstance(inputs[0], tuple):
            inputs = inputs[0]
        real = inputs
        n = tf.shape(real[0])[0]
        z = tf.random.normal((n, self.latent_dim))
        with tf.GradientTape() as tape:
            fake = self.generator(z, training=True)
            wasserstein = tf.reduce_mean(self.critic(fake, training=True)) - tf.reduce_mean(
                self.critic(real, training=True)
            )
            loss = wasserstein + self.gp_weight * self._penalty(real, fake, n)
        grads = tape.gradient(loss, self.critic.trainable_weights)
        self.c_opt.apply_gradients(zip(grads, self.critic.trainable_weights))
        self.c_loss.update_state(loss)
        with tf.GradientTape() as tape:
            loss = -tf.reduce_mean(self.critic(self.generator(z, training=True), training=True))
        grads = tape.gradient(loss, self.generator.trainable_weights)
        self.g_opt.apply_gradients(zip(grads, self.generator.trainable_weights))
        self.g_loss.update_state(loss)
        return {m.name: m.result() for m in self.metrics}

    def _penalty(self, real, fake, n):
        alpha = tf.random.uniform([n])
        adj = (
            real[0] * tf.reshape(alpha, (n, 1, 1, 1))
            + (1 - tf.reshape(alpha, (n, 1, 1, 1))) * fake[0]
        )
        feat = real[1] * tf.reshape(alpha, (n, 1, 1)) + (1 - tf.reshape(alpha, (n, 1, 1))) * fake[1]
        with tf.GradientTape() as tape:
            tape.watch(adj)
            tape.watch(feat)
            logits = self.critic([adj, feat], training=True)
        g_adj, g_feat = tape.gradient(logits, [adj, feat])
        assert g_adj.shape == adj.shape and g_feat.shape == feat.shape
        # the norms with a small epsilon: the gradient of a norm of zeros is NaN
        norm_adj = tf.sqrt(tf.reduce_sum(tf.square(g_adj), axis=1) + 1e-12)
        norm_feat = tf.sqrt(tf.reduce_sum(tf.square(g_feat), axis=2) + 1e-12)
        return tf.reduce_mean(
            tf.reduce_mean((1 - norm_adj) ** 2, axis=(-2, -1))
            + tf.reduce_mean((1 - norm_feat) ** 2, axis=-1)
        )


generator, critic = make_generator(), make_critic()
assert generator.input_shape == (None, LATENT)
assert [tuple(o.shape) for o in generator.outputs] == [
    (None, BONDS, ATOMS, ATOMS),
    (None, ATOMS, ATOM_TYPES),
]
adj_out, feat_out = generator(tf.random.normal((2, LATENT)))
np.testing.assert_allclose(adj_out.numpy(), np.swapaxes(adj_out.numpy(), 2, 3), atol=1e-6)
np.testing.assert_allclose(adj_out.numpy().sum(1), np.ones((2, ATOMS, ATOMS)), rtol=1e-5)
wgan = GraphWGAN(generator, critic)
wgan.compile(keras.optimizers.Adam(5e-4), keras.optimizers.Adam(5e-4))
history = wgan.fit([adjacency, features], epochs=2, batch_size=8, verbose=0)
assert {"loss_gen", "loss_dis"} <= set(history.history)
assert all(np.isfinite(history.history["loss_dis"]))
assert wgan.seen_types and set(wgan.seen_types) == {"tuple"}
norms = tf.norm(tf.constant([[[3.0, 0.0]], [[4.0, 0.0]]]), axis=0)
np.testing.assert_allclose(norms.numpy(), [[5.0, 0.0]])

graph = generator.predict(tf.random.normal((3, LATENT)), verbose=0)
bonds = tf.one_hot(tf.argmax(graph[0], axis=1), depth=BONDS, axis=1)
assert bonds.shape == (3, BONDS, ATOMS, ATOMS)
bonds = tf.linalg.set_diag(bonds, tf.zeros(tf.shape(bonds)[:-1]))
assert float(tf.reduce_sum(tf.linalg.diag_part(bonds))) == 0.0
atoms = tf.one_hot(tf.argmax(graph[1], axis=2), depth=ATOM_TYPES, axis=2)
assert atoms.shape == (3, ATOMS, ATOM_TYPES) and float(tf.reduce_sum(atoms)) == 3 * ATOMS
print("ok")
