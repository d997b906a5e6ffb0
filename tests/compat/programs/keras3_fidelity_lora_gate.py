"""Keras 3 fidelity: LoRA's `kernel` is the merged weight, and MultiHeadAttention's
gated attention (use_gate=True), both through training and .keras files."""

import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(7)
rng = np.random.default_rng(7)

# -- LoRA: kernel is W + (alpha / rank) * A @ B; the frozen W is _kernel --------------------
model = tf.keras.Sequential(
    [tf.keras.Input((6,)), tf.keras.layers.Dense(4, name="d"), tf.keras.layers.Dense(1)]
)
dense = model.layers[0]
frozen = dense.kernel.numpy().copy()
dense.enable_lora(2, lora_alpha=4)
assert hasattr(dense._kernel, "assign") and not dense._kernel.trainable
assert not isinstance(dense.kernel, type(dense._kernel))  # a tensor, not the Variable
np.testing.assert_array_equal(dense.kernel.numpy(), frozen)  # B starts at zero
assert [w.name for w in dense.trainable_weights] == ["bias", "lora_kernel_a", "lora_kernel_b"]
assert len(dense.weights) == 4 and len(dense.get_weights()) == 4
dense.lora_kernel_b.assign(np.full((2, 4), 0.1, "float32"))
merged = frozen + 2.0 * dense.lora_kernel_a.numpy() @ np.full((2, 4), 0.1, "float32")
np.testing.assert_allclose(dense.kernel.numpy(), merged, rtol=1e-5, atol=1e-6)
x = rng.random((8, 6)).astype("float32")
np.testing.assert_allclose(dense(x).numpy(), x @ merged + dense.bias.numpy(), rtol=1e-5, atol=1e-5)
model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse")
model.fit(x, rng.random((8, 1)).astype("float32"), epochs=2, verbose=0)
np.testing.assert_array_equal(dense._kernel.numpy(), frozen)  # only the factors trained
want = model.predict(x, verbose=0)
model.save("lora.keras")  # holds the merged kernel
loaded = tf.keras.models.load_model("lora.keras")
np.testing.assert_allclose(loaded.predict(x, verbose=0), want, rtol=1e-5, atol=1e-6)
np.testing.assert_allclose(
    loaded.layers[0].kernel.numpy(), dense.kernel.numpy(), rtol=1e-5, atol=1e-6
)
model.save_weights("lora.weights.h5")

embedding = tf.keras.layers.Embedding(10, 3)
embedding.build((None,))
embedding.enable_lora(1)
embedding.lora_embeddings_b.assign(np.ones((1, 3), "float32"))
expected = embedding._embeddings.numpy() + embedding.lora_embeddings_a.numpy() @ np.ones((1, 3))
np.testing.assert_allclose(embedding.embeddings.numpy(), expected, rtol=1e-5, atol=1e-6)
np.testing.assert_allclose(
    embedding(np.array([2, 5])).numpy(), expected[[2, 5]], rtol=1e-5, atol=1e-6
)

# -- gated multi-head attention -------------------------------------------------------------
query = tf.keras.Input((4, 6))
value = tf.keras.Input((5, 6))
mha = tf.keras.layers.MultiHeadAttention(num_heads=2, key_dim=3, use_gate=True)
attention = tf.keras.Model([query, value], mha(query, value))
assert mha.get_config()["use_gate"] is True
names = ["/".join(w.path.split("/")[-2:]) for w in mha.weights]
assert names == [
    "query/kernel",
    "query/bias",
    "key/kernel",
    "key/bias",
    "gate/kernel",
    "gate/bias",
    "value/kernel",
    "value/bias",
    "attention_output/kernel",
    "attention_output/bias",
], names
q = rng.random((2, 4, 6)).astype("float32")
v = rng.random((2, 5, 6)).astype("float32")
out, scores = mha(q, v, return_attention_scores=True)
w = [t.numpy() for t in mha.weights]
gate = 1 / (1 + np.exp(-(np.einsum("btd,dhv->bthv", q, w[4]) + w[5])))
values = np.einsum("bsd,dhv->bshv", v, w[6]) + w[7]
heads = np.einsum("bhts,bshv->bthv", scores.numpy(), values)
np.testing.assert_allclose(
    out.numpy(), np.einsum("bthv,hvo->bto", heads * gate, w[8]) + w[9], rtol=1e-4, atol=1e-5
)
plain = tf.keras.layers.MultiHeadAttention(num_heads=2, key_dim=3)
plain(q, v)
assert len(plain.weights) == 8 and plain.get_config()["use_gate"] is False
attention.save("gated.keras")
again = tf.keras.models.load_model("gated.keras")
np.testing.assert_allclose(again.predict([q, v], verbose=0), out.numpy(), rtol=1e-5, atol=1e-6)
print("ok")
