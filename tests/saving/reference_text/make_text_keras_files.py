"""Writes the Keras-3 text models of this folder with real Keras (TensorFlow 2.21), run from
this folder: ``TF_CPP_MIN_LOG_LEVEL=3 <tensorflow venv>/bin/python make_text_keras_files.py``.
Adapted vocabularies go to the archives' assets, tf-idf weights to ``vars/idf_weights``."""

import json

import keras
import numpy as np
import tensorflow as tf

keras.utils.set_random_seed(0)
texts = ["the cat sat", "the dog ran", "a cat and a dog"]
expected = {}

vectorize = keras.layers.TextVectorization(max_tokens=12, output_sequence_length=4)
vectorize.adapt(texts)
inputs = keras.Input(shape=(1,), dtype="string")
x = keras.layers.Embedding(12, 3)(vectorize(inputs))
outputs = keras.layers.Dense(1)(keras.layers.GlobalAveragePooling1D()(x))
model = keras.Model(inputs, outputs)
model.save("text_classifier.keras")
probe = [["the cat ran"], ["unknown words"]]
expected["text_classifier"] = model.predict(tf.constant(probe), verbose=0).tolist()

lookup = keras.layers.StringLookup(num_oov_indices=2, mask_token="")
lookup.adapt(["x", "y", "y", "z", "z", "z"])
keras.Sequential([keras.Input(shape=(2,), dtype="string"), lookup]).save("string_lookup.keras")
expected["string_lookup"] = lookup(tf.constant([["z", "q"], ["", "x"]])).numpy().tolist()

tfidf = keras.layers.TextVectorization(output_mode="tf_idf")
tfidf.adapt(texts)
keras.Sequential([keras.Input(shape=(1,), dtype="string"), tfidf]).save("tf_idf.keras")
expected["tf_idf"] = tfidf(tf.constant([["the cat and the bird"]])).numpy().tolist()
expected["vocabularies"] = {
    "text_classifier": vectorize.get_vocabulary(),
    "string_lookup": [str(t) for t in lookup.get_vocabulary()],
}
with open("expected.json", "w") as f:
    json.dump(json.loads(json.dumps(expected, default=lambda v: np.asarray(v).tolist())), f)
