"""Keras 3's model.export of models that take strings: a StringLookup before an Embedding,
and a TextVectorization; the exported SavedModel serves strings after loading."""

import os
import tempfile

import numpy as np
import tensorflow as tf

root = tempfile.mkdtemp()

lookup = tf.keras.layers.StringLookup(vocabulary=["red", "green", "blue"])
inputs = tf.keras.Input(shape=(), dtype="string")
model = tf.keras.Model(inputs, tf.keras.layers.Embedding(5, 3)(lookup(inputs)))
colors = tf.constant(["blue", "red", "purple"])
expected = model(colors).numpy()
model.export(os.path.join(root, "colors"))
reloaded_colors = tf.saved_model.load(os.path.join(root, "colors"))  # kept: owns variables
served = reloaded_colors.serve(colors).numpy()
np.testing.assert_allclose(served, expected, rtol=1e-6)
# "purple" is out of vocabulary: index 0, so its row is the embedding's first
np.testing.assert_allclose(served[2], model.layers[-1].get_weights()[0][0], rtol=1e-6)

vectorize = tf.keras.layers.TextVectorization(max_tokens=20, output_sequence_length=5)
vectorize.adapt(["the cat sat on the mat", "the dog ran", "a cat and a dog"])
inputs = tf.keras.Input(shape=(), dtype="string")
embedded = tf.keras.layers.Embedding(20, 4)(vectorize(inputs))
outputs = tf.keras.layers.Dense(1)(tf.keras.layers.GlobalAveragePooling1D()(embedded))
text_model = tf.keras.Model(inputs, outputs)
sentences = tf.constant(["the cat ran", "an unseen sentence here"])
expected = text_model(sentences).numpy()
text_model.export(os.path.join(root, "text"))
reloaded = tf.saved_model.load(os.path.join(root, "text"))
np.testing.assert_allclose(reloaded.serve(sentences).numpy(), expected, rtol=1e-5)
assert reloaded.serve(tf.constant(["the dog"])).shape == (1, 1)
print("ok")
