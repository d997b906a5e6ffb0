"""A subclassed VAE as the keras.io subclassing guide builds it (an encoder block returning
(mean, log_var, z), a KL term through add_loss, fit with a compiled MSE), then summary()
of the trained model, and the config of a layer class defined in this script (Keras 3
writes its module as None)."""

import keras
import numpy as np
from keras import layers, ops

keras.utils.set_random_seed(7)


class Sample(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seeds = keras.random.SeedGenerator(11)

    def call(self, inputs):
        mean, log_var = inputs
        noise = keras.random.normal(ops.shape(mean), seed=self.seeds)
        return mean + ops.exp(0.5 * log_var) * noise


class Encode(layers.Layer):
    def __init__(self, latent=4, hidden=16, **kwargs):
        super().__init__(**kwargs)
        self.hidden = layers.Dense(hidden, activation="relu")
        self.mean = layers.Dense(latent)
        self.log_var = layers.Dense(latent)
        self.sample = Sample()

    def call(self, inputs):
        h = self.hidden(inputs)
        mean, log_var = self.mean(h), self.log_var(h)
        return mean, log_var, self.sample((mean, log_var))


class Autoencoder(keras.Model):
    def __init__(self, width, **kwargs):
        super().__init__(name="vae", **kwargs)
        self.encode = Encode(name="encode")
        self.decode = layers.Dense(width, activation="sigmoid", name="decode")

    def call(self, inputs):
        mean, log_var, z = self.encode(inputs)
        kl = -0.5 * ops.mean(log_var - ops.square(mean) - ops.exp(log_var) + 1)
        self.add_loss(kl)
        return self.decode(z)


data = np.random.default_rng(7).uniform(size=(64, 12)).astype("float32")
vae = Autoencoder(12)
vae.compile(optimizer=keras.optimizers.Adam(1e-3), loss=keras.losses.MeanSquaredError())
history = vae.fit(data, data, batch_size=16, epochs=2, verbose=0)
assert sorted(history.history) == ["loss"] and len(history.history["loss"]) == 2
assert len(vae.losses) == 1  # the KL term of the last forward pass

# encode: 12*16+16 + 2*(16*4+4) = 344 weights; decode: 4*12+12 = 60
lines = []
vae.summary(print_fn=lines.append)
text = "\n".join(lines)
assert "encode (Encode)" in text and "decode (Dense)" in text, text
assert "Trainable params: 404" in text, text
assert vae.count_params() == 404
recon = vae.predict(data[:5], verbose=0)
assert recon.shape == (5, 12) and np.all((recon > 0) & (recon < 1))

# a class of the main script is serialized with module None
config = keras.layers.serialize(Sample(name="draw"))
assert config["module"] is None and config["class_name"] == "Sample", config
assert config["registered_name"] == "Sample"
assert keras.saving.serialize_keras_object(Encode())["module"] is None
print("kio_subclass_vae_summary: ok")
