# keras.io "Masked image modeling with Autoencoders" (MAE): patches from
# tf.image.extract_patches, a PatchEncoder that projects them, adds add_weight position
# embeddings, and hides a random 75% of them per image (tf.argsort of tf.random.uniform
# noise, tf.gather with batch_dims=1 for the kept and the masked tokens, a learnable
# mask token broadcast over the masked places), an encoder on the visible tokens only, a
# decoder on visible + mask tokens, and an MAE keras.Model whose train_step computes the
# MSE on the masked patches only. Checked: the shuffles are permutations, the reconstruction
# of masked patches beats predicting the mean patch. Synthetic 8x8 images of smooth blobs.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(19)
tf.random.set_seed(19)
rng = np.random.default_rng(19)
N, S, P, D = 256, 8, 2, 32
NUM_PATCHES = (S // P) ** 2
MASK_PROPORTION = 0.75
yy, xx = np.meshgrid(np.arange(S), np.arange(S), indexing="ij")
centres = rng.uniform(1, 7, size=(N, 2))
images = np.exp(-((yy - centres[:, :1, None]) ** 2 + (xx - centres[:, 1:, None]) ** 2) / 6.0)
images = images[..., None].astype("float32")


class Patches(layers.Layer):
    def call(self, images):
        batch_size = tf.shape(images)[0]
        patches = tf.image.extract_patches(
            images, sizes=[1, P, P, 1], strides=[1, P, P, 1], rates=[1, 1, 1, 1], padding="VALID"
        )
        return tf.reshape(patches, [batch_size, -1, P * P])


class PatchEncoder(layers.Layer):
    def __init__(self, mask_proportion=MASK_PROPORTION, **kwargs):
        super().__init__(**kwargs)
        self.mask_proportion = mask_proportion
        self.num_mask = int(mask_proportion * NUM_PATCHES)
        self.projection = layers.Dense(D)

    def build(self, input_shape):
        self.mask_token = self.add_weight(
            name="mask_token", shape=(1, P * P), initializer="random_normal"
        )
        self.position_embedding = self.add_weight(
            name="position_embedding", shape=(1, NUM_PATCHES, D), initializer="random_normal"
        )

    def call(self, patches, training=True):
        batch_size = tf.shape(patches)[0]
        patch_embeddings = self.projection(patches) + self.position_embedding
        if not training:
            return patch_embeddings
        mask_indices, unmask_indices = self.get_random_indices(batch_size)
        unmasked_embeddings = tf.gather(patch_embeddings, unmask_indices, axis=1, batch_dims=1)
        unmasked_positions = tf.gather(
            tf.tile(self.position_embedding, [batch_size, 1, 1]),
            unmask_indices,
            axis=1,
            batch_dims=1,
        )
        masked_positions = tf.gather(
            tf.tile(self.position_embedding, [batch_size, 1, 1]),
            mask_indices,
            axis=1,
            batch_dims=1,
        )
        mask_tokens = tf.repeat(self.mask_token, repeats=self.num_mask, axis=0)
        mask_tokens = tf.repeat(mask_tokens[tf.newaxis, ...], repeats=batch_size, axis=0)
        masked_embeddings = self.projection(mask_tokens) + masked_positions
        return (
            unmasked_embeddings,
            masked_embeddings,
            unmasked_positions,
            mask_indices,
            unmask_indices,
        )

    def get_random_indices(self, batch_size):
        rand_indices = tf.argsort(tf.random.uniform(shape=(batch_size, NUM_PATCHES)), axis=-1)
        mask_indices = rand_indices[:, : self.num_mask]
        unmask_indices = rand_indices[:, self.num_mask :]
        return mask_indices, unmask_indices


def transformer_block(x, name):
    h = layers.LayerNormalization(epsilon=1e-6)(x)
    h = layers.MultiHeadAttention(num_heads=2, key_dim=D // 2)(h, h)
    x = layers.Add()([x, h])
    h = layers.LayerNormalization(epsilon=1e-6)(x)
    h = layers.Dense(2 * D, activation=tf.nn.gelu)(h)
    return layers.Add(name=name)([x, layers.Dense(D)(h)])


def create_encoder(num_tokens):
    inputs = keras.Input((num_tokens, D))
    return keras.Model(inputs, transformer_block(inputs, "enc_out"), name="mae_encoder")


def create_decoder():
    inputs = keras.Input((NUM_PATCHES, D))
    x = transformer_block(layers.Dense(D)(inputs), "dec_out")
    outputs = layers.Dense(P * P, activation="sigmoid")(x)
    return keras.Model(inputs, outputs, name="mae_decoder")


class MaskedAutoencoder(keras.Model):
    def __init__(self, patch_layer, patch_encoder, encoder, decoder, **kwargs):
        super().__init__(**kwargs)
        self.patch_layer = patch_layer
        self.patch_encoder = patch_encoder
        self.encoder = encoder
        self.decoder = decoder
        self.loss_tracker = keras.metrics.Mean(name="loss")

    @property
    def metrics(self):
        return [self.loss_tracker]

    def calculate_loss(self, images):
        patches = self.patch_layer(images)
        (
            unmasked_embeddings,
            masked_embeddings,
            unmasked_positions,
            mask_indices,
            unmask_indices,
        ) = self.patch_encoder(patches)
        encoder_outputs = self.encoder(unmasked_embeddings) + unmasked_positions
        decoder_inputs = tf.concat([encoder_outputs, masked_embeddings], axis=1)
        decoder_patches = self.decoder(decoder_inputs)
        # the decoder's tokens are in (kept, masked) order: its last num_mask are the masked
        loss_patch = tf.gather(patches, mask_indices, axis=1, batch_dims=1)
        loss_output = decoder_patches[:, -self.patch_encoder.num_mask :]
        total_loss = self.compute_loss(y=loss_patch, y_pred=loss_output)
        return total_loss, loss_patch, loss_output

    def train_step(self, images):
        with tf.GradientTape() as tape:
            total_loss, _, _ = self.calculate_loss(images)
        train_vars = (
            self.patch_encoder.trainable_variables
            + self.encoder.trainable_variables
            + self.decoder.trainable_variables
        )
        grads = tape.gradient(total_loss, train_vars)
        self.optimizer.apply_gradients(zip(grads, train_vars))
        self.loss_tracker.update_state(total_loss)
        return {"loss": self.loss_tracker.result()}


patch_layer = Patches()
patch_encoder = PatchEncoder()
sample_patches = patch_layer(images[:4])
assert sample_patches.shape == (4, NUM_PATCHES, P * P)
np.testing.assert_allclose(sample_patches.numpy()[2, 5], images[2, 2:4, 2:4, 0].ravel())
out = patch_encoder(sample_patches)
unmasked, masked, unmasked_pos, mask_idx, unmask_idx = out
assert patch_encoder.num_mask == 12
assert unmasked.shape == (4, 4, D) and masked.shape == (4, 12, D)
assert mask_idx.shape == (4, 12) and unmask_idx.shape == (4, 4)
both = np.sort(np.concatenate([mask_idx.numpy(), unmask_idx.numpy()], axis=1), axis=1)
np.testing.assert_array_equal(both, np.tile(np.arange(NUM_PATCHES), (4, 1)))
assert len({tuple(r) for r in mask_idx.numpy()}) > 1  # a different mask per image
# the kept embeddings are the projected patches at the kept places
full = patch_encoder(sample_patches, training=False).numpy()
np.testing.assert_allclose(
    unmasked.numpy(), np.take_along_axis(full, unmask_idx.numpy()[..., None], axis=1), atol=1e-6
)
np.testing.assert_allclose(
    unmasked_pos.numpy()[1],
    patch_encoder.position_embedding.numpy()[0][unmask_idx.numpy()[1]],
    atol=1e-7,
)

mae_model = MaskedAutoencoder(
    patch_layer=patch_layer,
    patch_encoder=patch_encoder,
    encoder=create_encoder(NUM_PATCHES - patch_encoder.num_mask),
    decoder=create_decoder(),
)
mae_model.compile(optimizer=keras.optimizers.AdamW(learning_rate=3e-3), loss="mse")
history = mae_model.fit(images[:224], batch_size=32, epochs=20, verbose=0)
losses = history.history["loss"]
assert losses[-1] < 0.5 * losses[0], losses

_, target, prediction = mae_model.calculate_loss(tf.constant(images[224:]))
model_mse = float(tf.reduce_mean(tf.square(target - prediction)))
baseline = float(tf.reduce_mean(tf.square(target - tf.reduce_mean(patch_layer(images[:224])))))
print("masked-patch MSE", model_mse, "mean-patch baseline", baseline)
assert model_mse < 0.75 * baseline, (model_mse, baseline)
