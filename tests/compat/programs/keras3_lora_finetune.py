"""Keras 3 LoRA fine-tuning: enable_lora freezes a layer's weight and trains a low-rank
correction; saving merges it into the weight."""

import numpy as np
from tensorflow import keras

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
x = rng.random((64, 8)).astype("float32")
y = (x @ rng.random((8, 4))).astype("float32")

model = keras.Sequential(
    [
        keras.Input((8,)),
        keras.layers.Dense(32, activation="relu", name="hidden"),
        keras.layers.Dense(4, name="head"),
    ]
)
model.compile(optimizer="adam", loss="mse")
model.fit(x, y, epochs=3, batch_size=16, verbose=0)
before = model.predict(x, verbose=0)

hidden = model.get_layer("hidden")
hidden.enable_lora(4)
assert hidden.lora_enabled and hidden.lora_rank == 4 and hidden.lora_alpha == 4
assert [w.path.split("/")[-1] for w in hidden.weights] == [
    "kernel",
    "bias",
    "lora_kernel_a",
    "lora_kernel_b",
]
assert len(model.trainable_weights) == 5  # hidden: bias + 2 factors; head: kernel + bias
np.testing.assert_allclose(model.predict(x, verbose=0), before, rtol=1e-5, atol=1e-6)
frozen = hidden.get_weights()[0].copy()

model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
history = model.fit(x, y, epochs=5, batch_size=16, verbose=0)
assert history.history["loss"][-1] < history.history["loss"][0]
np.testing.assert_array_equal(hidden.get_weights()[0], frozen)  # the base kernel is frozen
assert float(np.abs(hidden.lora_kernel_b.numpy()).max()) > 0.0
tuned = model.predict(x, verbose=0)

config = hidden.get_config()
assert config["lora_rank"] == 4 and config["lora_alpha"] == 4

model.save("lora.keras")
restored = keras.models.load_model("lora.keras")
np.testing.assert_allclose(restored.predict(x, verbose=0), tuned, rtol=1e-4, atol=1e-5)
assert restored.get_layer("hidden").lora_enabled
assert float(np.abs(restored.get_layer("hidden").lora_kernel_b.numpy()).max()) == 0.0

embedding = keras.layers.Embedding(20, 6, lora_rank=2)
ids = np.array([[1, 5, 7]])
out = embedding(ids)
assert out.shape == (1, 3, 6)
assert [w.path.split("/")[-1] for w in embedding.trainable_weights] == [
    "lora_embeddings_a",
    "lora_embeddings_b",
]

layer = keras.layers.Dense(3)
try:
    layer.enable_lora(2)
except ValueError as error:
    assert "built" in str(error)
else:
    raise AssertionError("enable_lora on an unbuilt layer must fail")
print("lora ok")
