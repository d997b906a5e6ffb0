"""A model that starts with TextVectorization without output_sequence_length (the token
count of each batch sets the sequence length) exported and saved: the loaded serving
function takes batches of strings of every length, equal to the model."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

import gpuflow as tf

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TEXTS = np.array(["the cat sat", "a dog ran far away today", "hello", "the the dog"])


def _model():
    vectorizer = tf.keras.layers.TextVectorization(max_tokens=40)
    vectorizer.adapt(TEXTS)
    tf.keras.utils.set_random_seed(5)
    return tf.keras.Sequential(
        [
            vectorizer,
            tf.keras.layers.Embedding(40, 6),
            tf.keras.layers.GlobalAveragePooling1D(),
            tf.keras.layers.Dense(2, activation="softmax"),
        ]
    )


BATCHES = [
    ["a cat", "the dog ran far away today and then some more"],
    ["hello"],
    ["one two three", "four", "the cat sat on the mat"],
]


def test_export_serves_every_token_count(tmp_path):
    model = _model()
    model.predict(tf.constant(TEXTS[:2]), verbose=0)
    model.export(str(tmp_path / "m"), verbose=False)
    loaded = tf.saved_model.load(str(tmp_path / "m"))
    for batch in BATCHES:
        np.testing.assert_allclose(
            loaded.serve(tf.constant(batch)).numpy(), model(tf.constant(batch)).numpy(), rtol=1e-6
        )


def test_saved_signature_of_a_module_splitting_text(tmp_path):
    model = _model()

    class Scorer(tf.Module):
        def __init__(self):
            super().__init__()
            self.model = model

        @tf.function(input_signature=[tf.TensorSpec([None], tf.string)])
        def score(self, text):
            probs = self.model(text)
            return {"label": tf.argmax(probs, axis=-1), "probs": probs}

    tf.saved_model.save(Scorer(), str(tmp_path / "s"), signatures=None)
    loaded = tf.saved_model.load(str(tmp_path / "s"))
    for batch in BATCHES:
        out = loaded.score(tf.constant(batch))
        want = model(tf.constant(batch)).numpy()
        np.testing.assert_allclose(out["probs"].numpy(), want, rtol=1e-6)
        np.testing.assert_array_equal(out["label"].numpy(), want.argmax(-1))
    out = loaded.signatures["serving_default"](text=tf.constant(BATCHES[0]))
    assert out["probs"].shape == (2, 2)


def test_saving_refuses_a_body_that_keeps_the_traced_token_count(tmp_path):
    vectorizer = tf.keras.layers.TextVectorization(max_tokens=40)
    vectorizer.adapt(TEXTS)

    class Bad(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([None], tf.string)])
        def f(self, text):
            ids = vectorizer(text)
            return ids * tf.range(tf.shape(ids)[1], dtype=tf.int64)

    with pytest.raises(NotImplementedError, match="value-dependent size"):
        tf.saved_model.save(Bad(), str(tmp_path / "b"))


def _shout_free(text):
    # a user's standardize function: tf.strings ops, recorded as the saved function's steps
    return tf.strings.regex_replace(tf.strings.lower(text), "[!?.,]", "")


def test_custom_standardize_is_saved_as_steps_and_loads_without_it(tmp_path):
    vectorizer = tf.keras.layers.TextVectorization(
        max_tokens=40, standardize=_shout_free, output_sequence_length=5
    )
    vectorizer.adapt(TEXTS)
    model = tf.keras.Sequential([vectorizer])
    batch = tf.constant(["THE Cat sat!", "a DOG, far away?"])
    want = model(batch).numpy()
    model.export(str(tmp_path / "m"), verbose=False)
    script = (
        "import json, sys, numpy as np, gpuflow as tf\n"
        f"m = tf.saved_model.load({str(tmp_path / 'm')!r})\n"
        "out = m.serve(tf.constant(json.loads(sys.argv[1])))\n"
        "print(json.dumps(np.asarray(out).tolist()))\n"
    )
    env = dict(os.environ, PYTHONPATH=REPO, GPUFLOW_DEVICE="cpu")
    done = subprocess.run(
        [sys.executable, "-c", script, json.dumps(["THE Cat sat!", "a DOG, far away?"])],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    got = np.asarray(json.loads(done.stdout.strip().splitlines()[-1]))
    np.testing.assert_array_equal(got, want)
    assert (want[:, :2] > 1).all()  # "the cat", "a dog": known words after standardizing
