"""A text classifier as in the TensorFlow "Text classification" tutorial: raw strings ->
TextVectorization -> Embedding -> GlobalAveragePooling1D -> Dense, trained with fit."""

import warnings

import numpy as np

import gpuflow as tf

keras = tf.keras
_POS = ["good", "great", "fine", "love", "nice"]
_NEG = ["bad", "awful", "hate", "poor", "sad"]
_FILL = ["the", "movie", "was", "a", "plot", "it"]


def _corpus(n=60, seed=0):
    rng = np.random.default_rng(seed)

    def sentence(words):
        return " ".join(rng.choice(_FILL, 3).tolist() + rng.choice(words, 2).tolist()) + "!"

    texts = np.array([sentence(_POS) for _ in range(n)] + [sentence(_NEG) for _ in range(n)])
    labels = np.array([1] * n + [0] * n, dtype="float32")
    order = rng.permutation(2 * n)
    return texts[order], labels[order]


def _model(texts, sequence_length=8):
    keras.utils.set_random_seed(1)
    vectorize = keras.layers.TextVectorization(
        max_tokens=40, output_sequence_length=sequence_length
    )
    vectorize.adapt(texts)
    inputs = keras.Input(shape=(1,), dtype="string")
    x = vectorize(inputs)
    x = keras.layers.Embedding(40, 8)(x)
    x = keras.layers.GlobalAveragePooling1D()(x)
    outputs = keras.layers.Dense(1, activation="sigmoid")(x)
    model = keras.Model(inputs, outputs)
    return model


def test_fit_on_string_arrays_and_datasets_learns():
    texts, labels = _corpus()
    model = _model(texts)
    model.compile(
        optimizer=keras.optimizers.Adam(0.05), loss="binary_crossentropy", metrics=["accuracy"]
    )
    history = model.fit(texts[:, None], labels, epochs=4, batch_size=16, verbose=0)
    assert history.history["accuracy"][-1] == 1.0
    ds = tf.data.Dataset.from_tensor_slices((texts, labels)).batch(16)  # (batch,) strings
    loss, accuracy = model.evaluate(ds, verbose=0)
    assert accuracy == 1.0 and loss < 0.1
    model.fit(ds, epochs=1, verbose=0)
    scores = model.predict(np.array(["the movie was great good", "it was awful bad"]), verbose=0)
    assert scores[0, 0] > 0.9 and scores[1, 0] < 0.1


def test_compiled_fit_equals_eager_fit():
    texts, labels = _corpus(20)
    weights = []
    for eager in (False, True):
        model = _model(texts)
        model.compile(optimizer="adam", loss="binary_crossentropy", run_eagerly=eager)
        model.fit(texts, labels, epochs=2, batch_size=8, shuffle=False, verbose=0)
        weights.append(model.get_weights())
    for compiled, eager in zip(*weights):
        np.testing.assert_allclose(compiled, eager, rtol=1e-5, atol=1e-6)


def test_export_model_puts_vectorization_inside_for_raw_strings():
    # the tutorial's pattern: train on vectorized ids, then export a model of raw strings
    texts, labels = _corpus()
    keras.utils.set_random_seed(2)
    vectorize = keras.layers.TextVectorization(max_tokens=40, output_sequence_length=8)
    vectorize.adapt(texts)
    core = keras.Sequential(
        [
            keras.layers.Embedding(40, 8),
            keras.layers.GlobalAveragePooling1D(),
            keras.layers.Dense(1),
        ]
    )
    core.compile(
        optimizer=keras.optimizers.Adam(0.05),
        loss=keras.losses.BinaryCrossentropy(from_logits=True),
    )
    ids = (
        tf.data.Dataset.from_tensor_slices((texts, labels))
        .batch(16)
        .map(lambda x, y: (vectorize(x), y))
    )
    core.fit(ids, epochs=4, verbose=0)
    export = keras.Sequential([vectorize, core, keras.layers.Activation("sigmoid")])
    export.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
    _, accuracy = export.evaluate(
        tf.data.Dataset.from_tensor_slices((texts, labels)).batch(16), verbose=0
    )
    assert accuracy == 1.0
    out = export.predict(np.array(["great good plot", "awful sad plot"]), verbose=0)
    assert out[0, 0] > 0.5 > out[1, 0]


def test_string_input_rank_is_adjusted_as_keras():
    inputs = keras.Input(shape=(1,), dtype="string")
    ids = keras.layers.StringLookup(vocabulary=["a", "b"])(inputs)
    model = keras.Model(inputs, ids)
    assert model(tf.constant(["b", "z"])).numpy().tolist() == [[2], [0]]


def test_string_batches_stay_on_the_host_on_an_accelerator(emu, monkeypatch):
    from gpuflow.trainers import epoch_iterator

    texts, labels = _corpus(8)
    seen = []
    for prefetch in (True, False):  # the staged upload path and the plain one
        monkeypatch.setattr(epoch_iterator, "PREFETCH_TO_DEVICE", prefetch)
        with tf.device(emu):
            model = _model(texts)
            model.compile(optimizer="sgd", loss="binary_crossentropy")
        vectorize = next(
            layer for layer in model.layers if isinstance(layer, keras.layers.TextVectorization)
        )
        original = vectorize.call

        def spy(inputs, _original=original):
            seen.append(inputs._device.name)
            return _original(inputs)

        monkeypatch.setattr(vectorize, "call", spy)
        with tf.device(emu), warnings.catch_warnings():
            warnings.simplefilter("error")  # the compiled step, no eager fallback
            model.fit(texts[:, None], labels, epochs=1, batch_size=8, verbose=0)
        assert model.weights[0]._device.name == emu
    assert seen and set(seen) == {"cpu"}
