"""Review sentiment with a TextVectorization that pads each batch only to its longest
review (no output_sequence_length): trained on token ids, then wrapped with the vectorizer
and a sigmoid, evaluated on raw strings, exported and reloaded; the reloaded model scores
batches whose reviews have other token counts exactly as the Keras model does. A
vectorizer with its own standardize function is exported and reloaded too."""

import os
import tempfile

import numpy as np
import tensorflow as tf

reviews = np.array(
    [
        "a wonderful warm film",
        "dull and far too long",
        "wonderful acting and a warm story",
        "too long dull plot",
        "warm",
        "long",
    ]
)
labels = np.array([1, 0, 1, 0, 1, 0], dtype="float32")

vectorizer = tf.keras.layers.TextVectorization(max_tokens=30, output_mode="int")
vectorizer.adapt(reviews)
ids = vectorizer(reviews)
assert ids.shape == (6, 6) and ids.dtype == tf.int64

tf.keras.utils.set_random_seed(11)
core = tf.keras.Sequential(
    [
        tf.keras.layers.Embedding(30, 8),
        tf.keras.layers.GlobalAveragePooling1D(),
        tf.keras.layers.Dense(1),
    ]
)
core.compile(optimizer="adam", loss=tf.keras.losses.BinaryCrossentropy(from_logits=True))
core.fit(ids, labels, epochs=3, verbose=0)

end_to_end = tf.keras.Sequential([vectorizer, core, tf.keras.layers.Activation("sigmoid")])
end_to_end.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
raw = tf.data.Dataset.from_tensor_slices((reviews, labels)).batch(4)
scores = end_to_end.evaluate(raw, return_dict=True, verbose=0)
assert set(scores) == {"loss", "accuracy"} and 0.0 <= scores["accuracy"] <= 1.0

short = tf.constant(["warm film", "dull"])
longer = tf.constant(["a warm and wonderful film that is never dull or too long", "plot"])
p_short = end_to_end.predict(short, verbose=0)
p_long = end_to_end.predict(longer, verbose=0)
assert p_short.shape == (2, 1) and p_long.shape == (2, 1)
assert np.all((p_short > 0) & (p_short < 1))

# the compiled step of a traced function serves every token count
score = tf.function(lambda text: end_to_end(text))
np.testing.assert_allclose(score(short).numpy(), p_short, rtol=1e-5, atol=1e-6)
np.testing.assert_allclose(score(longer).numpy(), p_long, rtol=1e-5, atol=1e-6)

folder = tempfile.mkdtemp()
end_to_end.export(os.path.join(folder, "served"), verbose=False)
reloaded = tf.saved_model.load(os.path.join(folder, "served"))
for batch, want in ((short, p_short), (longer, p_long)):
    got = reloaded.serve(batch)
    assert got.shape == (2, 1)
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=1e-6)
one = reloaded.serve(tf.constant(["wonderful wonderful wonderful story with warm acting"]))
assert one.shape == (1, 1)

# the functional form on a (batch, 1) string input, saved with its serving signature
text_in = tf.keras.Input(shape=(1,), dtype="string")
functional = tf.keras.Model(
    text_in, tf.keras.layers.Activation("sigmoid")(core(vectorizer(text_in)))
)
column = tf.constant([["a warm film"], ["far too long and dull and long"], ["plot"]])
want = functional(column).numpy()
tf.saved_model.save(functional, os.path.join(folder, "functional"))
signature = tf.saved_model.load(os.path.join(folder, "functional")).signatures["serving_default"]
(out,) = signature(column).values()
assert out.shape == (3, 1)
np.testing.assert_allclose(out.numpy(), want, rtol=1e-5, atol=1e-6)


# a standardize function of our own (as the text classification tutorial's), exported
def no_markup(text):
    return tf.strings.regex_replace(tf.strings.lower(text), "<br />|[!.,]", " ")


cleaner = tf.keras.layers.TextVectorization(
    max_tokens=20, standardize=no_markup, output_sequence_length=4
)
cleaner.adapt(tf.constant(["Warm film<br />dull plot", "a warm, warm film!"]))
ids_model = tf.keras.Sequential([cleaner])
queries = tf.constant(["WARM<br />film.", "dull, DULL plot"])
want_ids = ids_model(queries).numpy()
assert want_ids.shape == (2, 4) and (want_ids[:, :2] > 1).all()
ids_model.export(os.path.join(folder, "cleaner"), verbose=False)
reloaded_ids = tf.saved_model.load(os.path.join(folder, "cleaner")).serve(queries)
np.testing.assert_array_equal(reloaded_ids.numpy(), want_ids)
print("ok")
