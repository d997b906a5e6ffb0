"""Host results whose size follows the values of their input (TextVectorization without
output_sequence_length: the token count of each batch) inside gpuflow.function: one trace
serves every length when no step holds the traced length (checked by recording the body
again with a longer result, graph/step_compare.py); else the function runs eagerly."""

import warnings

import numpy as np
import pytest

import gpuflow as gf

TEXTS = ["the cat sat", "a dog ran far away today", "hello", "the the dog"]


def _vectorizer():
    layer = gf.keras.layers.TextVectorization(max_tokens=30)
    layer.adapt(np.array(TEXTS))
    return layer


def _classifier(vectorizer):
    gf.keras.utils.set_random_seed(3)
    return gf.keras.Sequential(
        [
            vectorizer,
            gf.keras.layers.Embedding(30, 4),
            gf.keras.layers.GlobalAveragePooling1D(),
            gf.keras.layers.Dense(1, activation="sigmoid"),
        ]
    )


def test_one_trace_serves_batches_of_every_token_count():
    model = _classifier(_vectorizer())
    f = gf.function(lambda s: model(s))
    batches = [["a b", "c d e"], ["one", "the cat sat on a dog today"], ["x", "y"]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no eager fallback
        outs = [f(gf.constant(b)) for b in batches]
    assert f.experimental_get_tracing_count() == 1
    for batch, out in zip(batches, outs):
        np.testing.assert_allclose(out.numpy(), model(gf.constant(batch)).numpy(), rtol=1e-6)


def test_token_axis_shows_as_unknown_inside_the_function():
    vectorizer = _vectorizer()
    seen = []

    @gf.function
    def f(s):
        ids = vectorizer(s)
        seen.append(tuple(ids.shape))
        return ids

    assert f(gf.constant(["a b c", "d"])).shape == (2, 3)
    assert f(gf.constant(["a b c d e", "d"])).shape == (2, 5)
    assert seen[0] == (2, None)


def test_body_that_keeps_the_traced_length_runs_eagerly_and_right():
    vectorizer = _vectorizer()

    @gf.function
    def f(s):
        ids = vectorizer(s)
        # a constant of the traced length: a replay could not serve another length
        return ids + gf.range(gf.shape(ids)[1], dtype=gf.int64)

    with pytest.warns(RuntimeWarning, match="value-dependent size"):
        first = f(gf.constant(["a b", "c"]))
    np.testing.assert_array_equal(
        first.numpy() - vectorizer(gf.constant(["a b", "c"])), [[0, 1]] * 2
    )
    longer = f(gf.constant(["a b c d", "c"]))
    np.testing.assert_array_equal(
        longer.numpy() - vectorizer(gf.constant(["a b c d", "c"])).numpy(), [[0, 1, 2, 3]] * 2
    )


def test_compiled_fit_evaluate_predict_on_raw_strings():
    texts = np.array(TEXTS * 2)
    labels = np.array([0, 1, 0, 1] * 2, dtype=np.float32)
    results = []
    for eager in (True, False):
        model = _classifier(_vectorizer())
        model.compile(optimizer="sgd", loss="binary_crossentropy", run_eagerly=eager)
        ds = gf.data.Dataset.from_tensor_slices((texts, labels)).batch(3)
        with warnings.catch_warnings():
            warnings.simplefilter("error", UserWarning)  # no "runs eagerly" fallback
            warnings.filterwarnings("ignore", message=".*shuffle.*")
            history = model.fit(ds, epochs=2, verbose=0)
            loss = model.evaluate(ds, verbose=0)
            predicted = model.predict(ds, verbose=0)
        results.append((history.history["loss"], loss, predicted))
    (h1, l1, p1), (h2, l2, p2) = results
    np.testing.assert_allclose(h1, h2, rtol=1e-5)
    assert l1 == pytest.approx(l2, rel=1e-5)
    np.testing.assert_allclose(p1, p2, rtol=1e-5)


def test_integer_division_of_sizes_is_a_python_usable_constant():
    @gf.function(input_signature=[gf.TensorSpec([None, None], gf.float32)])
    def f(x):
        half = gf.shape(x)[1] // 2
        odd = gf.shape(x)[0] % 2
        return gf.reshape(x, [-1, half]), odd

    y, odd = f(gf.ones([3, 4]))
    assert y.shape == (6, 2) and int(odd) == 1
    y, odd = f(gf.ones([2, 6]))
    assert y.shape == (4, 3) and int(odd) == 0
