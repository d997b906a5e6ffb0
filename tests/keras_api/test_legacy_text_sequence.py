"""tf.keras.preprocessing.text / .sequence: Tokenizer, hashing, skipgrams, TimeseriesGenerator.

Literals marked "real tf.keras" were printed by tensorflow 2.21 / keras 3.15 in /work/tfvenv
on the same inputs; the rest are NumPy / plain-Python references computed here.
"""

import math
import random

import numpy as np
import pytest

import gpuflow as tf

text = tf.keras.preprocessing.text
sequence = tf.keras.preprocessing.sequence

TEXTS = [
    "The cat sat on the mat.",
    "The dog ate my homework!",
    "Cats and dogs, cats and DOGS",
    "",
    "mat mat mat",
]


def test_word_index_and_sequences_match_keras():
    t = text.Tokenizer()
    t.fit_on_texts(TEXTS)
    # real tf.keras
    assert t.word_index == {
        "mat": 1, "the": 2, "cats": 3, "and": 4, "dogs": 5, "cat": 6, "sat": 7, "on": 8,
        "dog": 9, "ate": 10, "my": 11, "homework": 12,
    }  # fmt: skip
    seqs = t.texts_to_sequences(TEXTS + ["unknown cat words"])
    assert seqs == [[2, 6, 7, 8, 2, 1], [2, 9, 10, 11, 12], [3, 4, 5, 3, 4, 5], [], [1, 1, 1], [6]]
    assert t.sequences_to_texts(seqs + [[0, 99, 1]])[-2:] == ["cat", "mat"]
    assert t.word_counts["mat"] == 4 and t.word_docs["the"] == 2 and t.document_count == 5
    assert t.index_docs[t.word_index["cats"]] == 1


def test_oov_and_num_words_match_keras():
    t = text.Tokenizer(num_words=4, oov_token="<OOV>")
    t.fit_on_texts(TEXTS)
    assert t.word_index["<OOV>"] == 1
    seqs = t.texts_to_sequences(TEXTS + ["unknown cat words"])
    # real tf.keras
    assert seqs == [[3, 1, 1, 1, 3, 2], [3, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1], [], [2, 2, 2],
                    [1, 1, 1]]  # fmt: skip
    assert t.sequences_to_texts([[3, 1, 2], [9]]) == ["the <OOV> mat", "<OOV>"]


def test_char_level_and_filters():
    t = text.Tokenizer(char_level=True)
    t.fit_on_texts(["abca", "Bd"])
    assert t.word_index == {"a": 1, "b": 2, "c": 3, "d": 4}
    t = text.Tokenizer(lower=False, filters="!", split="-")
    t.fit_on_texts(["A-b!-A", "b"])
    assert t.word_index == {"A": 1, "b": 2}
    t = text.Tokenizer(analyzer=lambda s: s.split("|"))
    t.fit_on_texts(["x|y|x"])
    assert t.texts_to_sequences(["y|x|z"]) == [[2, 1]]


@pytest.mark.parametrize("mode", ["binary", "count", "tfidf", "freq"])
def test_texts_to_matrix_modes(mode):
    t = text.Tokenizer()
    t.fit_on_texts(TEXTS)
    m = t.texts_to_matrix(TEXTS, mode=mode)
    assert m.shape == (5, 13) and m.dtype == np.float64
    ref = np.zeros((5, 13))
    docs = {}
    for s in t.texts_to_sequences(TEXTS):
        for j in set(s):
            docs[j] = docs.get(j, 0) + 1
    for i, s in enumerate(t.texts_to_sequences(TEXTS)):
        for j in set(s):
            c = s.count(j)
            ref[i, j] = {
                "binary": 1.0,
                "count": c,
                "freq": c / len(s),
                "tfidf": (1 + math.log(c)) * math.log(1 + 5 / (1 + docs[j])),
            }[mode]
    np.testing.assert_allclose(m, ref, rtol=1e-12)
    if mode == "tfidf":  # real tf.keras, first row
        np.testing.assert_allclose(
            m[0, :9],
            [0.0, 0.980829, 1.660688, 0.0, 0.0, 0.0, 1.252763, 1.252763, 1.252763],
            atol=1e-6,
        )


def test_matrix_errors():
    t = text.Tokenizer()
    with pytest.raises(ValueError, match="num_words"):
        t.texts_to_matrix(["a"])
    t = text.Tokenizer(num_words=5)
    with pytest.raises(ValueError, match="tfidf"):
        t.sequences_to_matrix([[1]], mode="tfidf")
    t.fit_on_texts(["a b"])
    with pytest.raises(ValueError, match="Unknown vectorization mode"):
        t.texts_to_matrix(["a"], mode="bm25")
    with pytest.raises(TypeError, match="list of texts"):
        t.fit_on_texts("a b c")
    with pytest.raises(TypeError, match="Unrecognized keyword"):
        text.Tokenizer(num_word=3)


def test_json_round_trip():
    t = text.Tokenizer(num_words=6, oov_token="?")
    t.fit_on_texts(TEXTS)
    t2 = text.tokenizer_from_json(t.to_json())
    assert t2.word_index == t.word_index and t2.index_word == t.index_word
    assert t2.num_words == 6 and t2.oov_token == "?" and t2.document_count == 5
    assert t2.texts_to_sequences(TEXTS) == t.texts_to_sequences(TEXTS)
    np.testing.assert_array_equal(
        t2.texts_to_matrix(TEXTS, "tfidf"), t.texts_to_matrix(TEXTS, "tfidf")
    )


def test_word_sequence_and_hashing():
    assert text.text_to_word_sequence("Hello, World!  This--is a TEST.\tok") == [
        "hello", "world", "this", "is", "a", "test", "ok",
    ]  # fmt: skip
    assert text.hashing_trick("a b c hello world", 17, "md5") == [2, 16, 4, 3, 8]  # real tf.keras
    got = text.one_hot("a b c hello a", 7)
    assert got == [hash(w) % 6 + 1 for w in "a b c hello a".split()]
    assert text.hashing_trick("x y", 5, hash_function=len) == [2, 2]
    with pytest.raises(ValueError, match="n must be"):
        text.hashing_trick("x", 1)


def test_make_sampling_table():
    got = sequence.make_sampling_table(12, 1e-3)
    rank = np.maximum(np.arange(12), 1).astype(np.float64)
    f = 1e-3 * (rank * (np.log(rank) + 0.577) + 0.5 - 1 / (12 * rank))
    # word2vec: min(1, sqrt(fq / s) / (fq / s)) with fq = 1 / inv_fq is min(1, sqrt(s * inv_fq))
    np.testing.assert_allclose(got, np.minimum(1.0, np.sqrt(f)), rtol=1e-12)
    assert got.shape == (12,) and got.dtype == np.float64


def test_skipgrams_positive_pairs():
    seq = [1, 2, 0, 3, 4, 5, 2]
    couples, labels = sequence.skipgrams(seq, 10, window_size=1, shuffle=False, negative_samples=0)
    ref = [[seq[i], seq[j]] for i in range(len(seq)) for j in (i - 1, i + 1)
           if 0 <= j < len(seq) and seq[i] and seq[j]]  # fmt: skip
    assert couples == ref and labels == [1] * len(ref)


def test_skipgrams_match_keras():
    random.seed(7)
    couples, labels = sequence.skipgrams(
        [1, 2, 0, 3, 4, 5, 2], 10, seed=11, categorical=True, negative_samples=0.5
    )
    # real tf.keras (random.seed(7) first)
    assert couples[:6] == [[2, 5], [2, 4], [4, 2], [2, 7], [3, 1], [2, 5]]
    assert labels[:4] == [[0, 1], [1, 0], [0, 1], [1, 0]]
    assert len(couples) == 36 and sum(lab == [1, 0] for lab in labels) == 12
    for (w, c), lab in zip(couples, labels):
        assert 1 <= c < 10 and w in (1, 2, 3, 4, 5)


def test_timeseries_generator():
    data = np.arange(50).reshape(25, 2).astype("float32")
    targets = np.arange(25) * 10
    g = sequence.TimeseriesGenerator(
        data,
        targets,
        length=4,
        sampling_rate=2,
        stride=3,
        batch_size=2,
        start_index=1,
        end_index=20,
        reverse=True,
    )
    assert isinstance(g, tf.keras.utils.PyDataset)
    rows = list(range(5, 21, 3))
    assert len(g) == math.ceil(len(rows) / 2)
    for b in range(len(g)):
        x, y = g[b]
        want = rows[2 * b : 2 * b + 2]
        np.testing.assert_array_equal(y, targets[want])
        np.testing.assert_array_equal(x, np.stack([data[r - 4 : r : 2][::-1] for r in want]))
    np.random.seed(0)
    x, y = sequence.TimeseriesGenerator(data, targets, length=2, shuffle=True, batch_size=4)[0]
    np.testing.assert_array_equal(y, [140, 170, 230, 20])  # real tf.keras after np.random.seed(0)
    config = g.get_config()
    assert config["length"] == 4 and config["start_index"] == 5
    with pytest.raises(ValueError, match="same length"):
        sequence.TimeseriesGenerator(data, targets[:3], length=2)
    with pytest.raises(ValueError, match="end_index"):
        sequence.TimeseriesGenerator(data, targets, length=30)


def test_timeseries_generator_fits():
    data = np.sin(np.arange(60, dtype="float32") / 5)[:, None]
    g = sequence.TimeseriesGenerator(data, data, length=5, batch_size=8)
    model = tf.keras.Sequential(
        [tf.keras.Input((5, 1)), tf.keras.layers.Flatten(), tf.keras.layers.Dense(1)]
    )
    model.compile("adam", "mse")
    history = model.fit(g, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    assert model.predict(g, verbose=0).shape == (55, 1)
