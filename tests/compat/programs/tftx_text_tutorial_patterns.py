"""Patterns of the tensorflow.org Text tutorials (text generation, transformer, NMT with
attention, word embeddings) that a small model shows:

- a generation step exported with tf.saved_model whose ``states`` argument defaults to None:
  the loaded function is called as the notebook calls it (``states=None`` first, then the
  returned state), and its concrete functions print their parameter names;
- MultiHeadAttention takes the Keras masks off the tensors it is given, so a second call on
  the same embedded tensors attends over the padding (the transformer notebook's sample cells);
- a model that ends its call with ``del logits._keras_mask`` and trains with a masked loss
  and accuracy;
- TextVectorization with a custom standardize function: to_json names the function, the
  model saves, and loading needs the function in custom_objects."""

import os
import tempfile

import numpy as np
import tensorflow as tf

tmp = tempfile.mkdtemp()


# -- 1. a generation step saved and reloaded ----------------------------------------------------
class Step(tf.Module):
    def __init__(self):
        super().__init__()
        self.embed = tf.Variable(np.arange(12, dtype="float32").reshape(6, 2) / 10.0)
        self.decay = tf.Variable(0.5)

    @tf.function
    def generate(self, ids, states=None):
        x = tf.reduce_sum(tf.gather(self.embed, ids), axis=1)  # (batch, 2)
        if states is None:
            states = tf.zeros_like(x)
        states = self.decay * states + x
        next_ids = tf.argmax(states, axis=-1)
        return next_ids, states


step = Step()
ids = tf.constant([[1, 2, 3]])
nxt, s0 = step.generate(ids, states=None)
nxt, s1 = step.generate(ids, states=s0)
tf.saved_model.save(step, os.path.join(tmp, "step"))
loaded = tf.saved_model.load(os.path.join(tmp, "step"))
states = None
outputs = []
for _ in range(3):
    nxt, states = loaded.generate(ids, states=states)
    outputs.append(states.numpy())
row = np.arange(12, dtype="float32").reshape(6, 2)[[1, 2, 3]].sum(axis=0) / 10.0
np.testing.assert_allclose(outputs[0], [row], rtol=1e-6)
np.testing.assert_allclose(outputs[1], [1.5 * row], rtol=1e-6)
np.testing.assert_allclose(outputs[2], [1.75 * row], rtol=1e-6)
assert nxt.dtype == tf.int64 and nxt.numpy().tolist() == [1]
_, again = loaded.generate(ids)  # the default left out: the same trace
np.testing.assert_allclose(again.numpy(), outputs[0], rtol=1e-6)
printed = sorted(repr(cf) for cf in loaded.generate.concrete_functions)
assert len(printed) == 2, printed
assert any("states: Literal[None]" in p for p in printed), printed
assert any("states: TensorSpec(shape=(1, 2), dtype=tf.float32" in p for p in printed), printed
assert all("ids: TensorSpec(shape=(1, 3), dtype=tf.int32" in p for p in printed), printed

# -- 2. MultiHeadAttention and the masks of its inputs --------------------------------------
rng = np.random.default_rng(0)
emb = tf.keras.layers.Embedding(8, 4, mask_zero=True)
mha = tf.keras.layers.MultiHeadAttention(num_heads=2, key_dim=3)
q = emb(tf.constant([[1, 2, 0]]))
kv = emb(tf.constant([[3, 4, 5, 0]]))
mha(query=q, value=kv, key=kv)  # builds the layer
emb.set_weights([rng.normal(size=(8, 4)).astype("float32")])
mha.set_weights([rng.normal(size=w.shape).astype("float32") for w in mha.get_weights()])
q = emb(tf.constant([[1, 2, 0]]))
kv = emb(tf.constant([[3, 4, 5, 0]]))
assert q._keras_mask.numpy().tolist() == [[True, True, False]]
out, scores = mha(query=q, value=kv, key=kv, return_attention_scores=True)
assert getattr(q, "_keras_mask", None) is None and getattr(kv, "_keras_mask", None) is None
assert out._keras_mask.numpy().tolist() == [[True, True, False]]
assert scores.shape == (1, 2, 3, 4)
np.testing.assert_allclose(scores.numpy()[0, :, :2, 3], 0.0, atol=1e-7)  # padded key
second, scores2 = mha(query=q, value=kv, key=kv, return_attention_scores=True)
assert getattr(second, "_keras_mask", None) is None
assert np.all(scores2.numpy()[0, :, :, 3] > 0.0)  # no mask any more: the padding counts
np.testing.assert_allclose(scores2.numpy().sum(axis=-1), 1.0, rtol=1e-5)


# -- 3. del logits._keras_mask and a masked loss / accuracy --------------------------------
class Tagger(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.embed = tf.keras.layers.Embedding(10, 8, mask_zero=True)
        self.attend = tf.keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)
        self.out = tf.keras.layers.Dense(10)

    def call(self, x):
        x = self.embed(x)
        x = x + self.attend(query=x, value=x, key=x, use_causal_mask=True)
        logits = self.out(x)
        try:
            del logits._keras_mask  # keep the mask from weighting loss and metrics
        except AttributeError:
            pass
        return logits


def masked_loss(label, pred):
    mask = tf.cast(label != 0, tf.float32)
    loss = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction="none")(
        label, pred
    )
    return tf.reduce_sum(loss * mask) / tf.reduce_sum(mask)


def masked_accuracy(label, pred):
    pred = tf.argmax(pred, axis=2)
    label = tf.cast(label, pred.dtype)
    mask = label != 0
    match = tf.cast((label == pred) & mask, tf.float32)
    return tf.reduce_sum(match) / tf.reduce_sum(tf.cast(mask, tf.float32))


tf.keras.utils.set_random_seed(1)
tokens = np.random.default_rng(1).integers(1, 10, size=(32, 5))
tokens[:, 3:] = 0
labels = np.where(tokens > 0, (tokens % 3) + 1, 0)
tagger = Tagger()
logits = tagger(tf.constant(tokens[:2]))
assert getattr(logits, "_keras_mask", None) is None and logits.shape == (2, 5, 10)
tagger.compile(
    optimizer=tf.keras.optimizers.Adam(0.05), loss=masked_loss, metrics=[masked_accuracy]
)
history = tagger.fit(tokens, labels, batch_size=8, epochs=4, verbose=0)
assert history.history["loss"][-1] < history.history["loss"][0]
assert history.history["masked_accuracy"][-1] > 0.5, history.history
loss, acc = tagger.evaluate(tokens, labels, batch_size=32, verbose=0)
np.testing.assert_allclose(loss, masked_loss(labels, tagger(tokens)).numpy(), rtol=1e-4)
np.testing.assert_allclose(acc, masked_accuracy(labels, tagger(tokens)).numpy(), rtol=1e-5)


# -- 4. TextVectorization with a custom standardize function -------------------------------
def custom_standardization(text):
    return tf.strings.regex_replace(tf.strings.lower(text), "[.,!?]", "")


vectorize = tf.keras.layers.TextVectorization(
    standardize=custom_standardization, max_tokens=10, output_sequence_length=4
)
vectorize.adapt(tf.constant(["The cat sat.", "the dog ran!", "A cat, a dog"]))
model = tf.keras.Sequential([vectorize])
probe = tf.constant(["A DOG sat.", "cat?"])
expected = model(probe).numpy()
assert expected.shape == (2, 4) and expected.dtype == np.int64
assert '"config": "custom_standardization"' in model.to_json()
path = os.path.join(tmp, "vectorize.keras")
model.save(path)
try:
    tf.keras.models.load_model(path)
    raise AssertionError("loading without the function should fail")
except TypeError as exc:
    assert "custom_standardization" in str(exc)
restored = tf.keras.models.load_model(
    path, custom_objects={"custom_standardization": custom_standardization}
)
np.testing.assert_array_equal(restored(probe).numpy(), expected)
print("ok")
