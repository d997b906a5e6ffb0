"""tf.nn.ctc_loss (dense and SparseTensor labels, blank_index, batch-major, gradient),
ctc_greedy_decoder, ctc_beam_search_decoder, collapse_repeated, ctc_unique_labels: values
from TensorFlow 2.21 (tensorflow-cpu in /work/tfvenv) written in as literals, and a NumPy
brute-force reference for the loss."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import gpuflow as gf
from gpuflow.errors import InvalidArgumentError

LOGITS = np.random.default_rng(0).normal(size=(6, 2, 5)).astype(np.float32)
LABELS = np.array([[1, 2, 2], [3, 1, 0]], np.int32)
LABEL_LEN = np.array([3, 2])
FRAMES = np.array([6, 5])


def _brute_force_nll(logits, labels, blank):
    """-log of the summed probability of every alignment collapsing to ``labels``."""
    logp = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    total = 0.0
    for path in itertools.product(range(logits.shape[1]), repeat=logits.shape[0]):
        collapsed = [c for i, c in enumerate(path) if c != blank and (i == 0 or c != path[i - 1])]
        if collapsed == list(labels):
            total += np.exp(sum(logp[t, c] for t, c in enumerate(path)))
    return -np.log(total)


def test_ctc_loss_equals_brute_force_sum_over_alignments():
    x = np.random.default_rng(3).normal(size=(5, 2, 4))
    loss = gf.nn.ctc_loss(np.array([[1, 1], [2, 3]]), x, [2, 2], [5, 4], blank_index=0).numpy()
    assert np.allclose(loss[0], _brute_force_nll(x[:, 0], [1, 1], 0))
    assert np.allclose(loss[1], _brute_force_nll(x[:4, 1], [2, 3], 0))


def test_ctc_loss_and_gradient_match_tensorflow():
    x = gf.Variable(LOGITS)
    with gf.GradientTape() as tape:
        loss = gf.nn.ctc_loss(LABELS, x, LABEL_LEN, FRAMES)
    grad = tape.gradient(loss, x).numpy()
    np.testing.assert_allclose(loss.numpy(), [8.453879356384277, 6.19035530090332], rtol=1e-5)
    tf_grad_b1 = [  # TF 2.21: tape.gradient(ctc_loss(...), logits)[:, 1]
        [-0.58886, 0.43471, 0.30422, -0.18336, 0.03329],
        [-0.13035, 0.08485, 0.11879, -0.53557, 0.46228],
        [-0.15812, 0.05323, 0.10331, -0.32207, 0.32364],
        [-0.28676, -0.17167, 0.09278, -0.10462, 0.47027],
        [-0.02346, -0.74709, 0.32405, 0.27652, 0.16999],
        [0.0, 0.0, 0.0, 0.0, 0.0],
    ]
    np.testing.assert_allclose(grad[:, 1], tf_grad_b1, atol=2e-5)
    assert np.allclose(grad.sum(axis=2), 0.0, atol=1e-5)  # softmax minus a distribution


def test_ctc_loss_sparse_labels_and_blank_index():
    sp = gf.sparse.from_dense(gf.constant(LABELS))
    want = [7.518758296966553, 5.564156532287598]  # TF 2.21, blank last
    np.testing.assert_allclose(
        gf.nn.ctc_loss(sp, LOGITS, None, FRAMES, blank_index=-1).numpy(), want, rtol=1e-5
    )
    np.testing.assert_allclose(
        gf.nn.ctc_loss(LABELS, LOGITS, LABEL_LEN, FRAMES, blank_index=4).numpy(), want, rtol=1e-5
    )
    with pytest.raises(ValueError, match="blank_index"):
        gf.nn.ctc_loss(sp, LOGITS, None, FRAMES)


def test_ctc_loss_batch_major_gradient_matches_tensorflow():
    logits = (np.random.default_rng(7).normal(size=(8, 3, 4)) * 2).astype(np.float32)
    x = gf.Variable(np.transpose(logits, (1, 0, 2)))
    labels = np.array([[1, 3, 0], [2, 2, 0], [3, 0, 0]])
    with gf.GradientTape() as tape:
        loss = gf.nn.ctc_loss(labels, x, [2, 2, 1], [8, 6, 7], logits_time_major=False)
    np.testing.assert_allclose(
        loss.numpy(), [5.866291046142578, 9.058292388916016, 14.168140411376953], rtol=1e-5
    )
    tf_grad = [  # TF 2.21, batch element 1 (6 frames), blank 0
        [-0.079438, 0.008464, -0.826426, 0.897401],
        [-0.568589, 0.706749, -0.272025, 0.133865],
        [-0.620113, 0.483671, -0.011865, 0.148306],
        [-0.618035, 0.312614, -0.015015, 0.320437],
        [-0.476489, 0.354697, -0.316859, 0.438651],
        [-0.004106, 0.039959, -0.62031, 0.584458],
        [0, 0, 0, 0],
        [0, 0, 0, 0],
    ]
    np.testing.assert_allclose(tape.gradient(loss, x).numpy()[1], tf_grad, atol=2e-6)


def test_ctc_loss_impossible_alignment_is_inf_with_zero_gradient():
    x = gf.Variable(LOGITS[:3, :1])
    with gf.GradientTape() as tape:
        loss = gf.nn.ctc_loss(np.array([[1, 1, 1]]), x, [3], [3])
    assert np.isinf(loss.numpy()[0])
    assert not tape.gradient(loss, x).numpy().any()


def test_ctc_loss_errors():
    with pytest.raises(InvalidArgumentError, match="ctc_loss.*label_length"):
        gf.nn.ctc_loss(LABELS, LOGITS, None, FRAMES)
    with pytest.raises(InvalidArgumentError, match="ctc_loss.*logit_length"):
        gf.nn.ctc_loss(LABELS, LOGITS, LABEL_LEN, [7, 1])
    with pytest.raises(InvalidArgumentError, match="ctc_loss.*blank"):
        gf.nn.ctc_loss(np.array([[0, 1], [1, 2]]), LOGITS, [2, 2], FRAMES)


def _sparse(st):
    return st.indices.numpy().tolist(), st.values.numpy().tolist(), st.dense_shape.numpy().tolist()


def test_ctc_greedy_decoder_matches_tensorflow():
    (decoded,), neg = gf.nn.ctc_greedy_decoder(LOGITS, FRAMES)
    idx = [[0, 0], [0, 1], [0, 2], [0, 3], [0, 4], [1, 0], [1, 1]]
    assert _sparse(decoded) == (idx, [2, 1, 3, 1, 3, 1, 2], [2, 5])
    assert decoded.values.dtype == gf.int64
    np.testing.assert_allclose(neg.numpy(), [[-4.7594566], [-6.020398]], rtol=1e-6)
    logits = (np.random.default_rng(7).normal(size=(8, 3, 4)) * 2).astype(np.float32)
    (d,), n = gf.nn.ctc_greedy_decoder(logits, [8, 6, 7], merge_repeated=False, blank_index=0)
    assert d.values.numpy().tolist() == [1, 3, 1, 1, 2, 2, 3, 1, 1, 3, 3, 2, 3, 2, 2, 2, 2]
    np.testing.assert_allclose(n.numpy()[:, 0], [-10.968477, -5.869009, -11.237688], rtol=1e-6)


@pytest.mark.parametrize(
    "width,paths,want_values,want_logp",
    [  # TF 2.21 on the seed-7 logits below
        (
            2,
            2,
            [[1, 0, 1, 0, 2, 1, 0, 2, 2, 0, 2], [1, 0, 1, 2, 1, 2, 0, 2]],
            [[-3.620895, -3.681631], [-2.12204, -2.383729], [-2.109336, -2.244385]],
        ),
        (
            4,
            3,
            [
                [1, 0, 1, 0, 2, 1, 0, 2, 2, 0, 2],
                [1, 0, 1, 2, 1, 0, 1, 2, 0, 2],
                [1, 0, 1, 2, 0, 1, 1, 2, 0, 2],
            ],
            [
                [-3.081867, -3.364648, -3.900181],
                [-2.112587, -2.21012, -2.375557],
                [-2.109336, -2.244385, -2.961745],
            ],
        ),
        (1, 1, [[1, 0, 1, 0, 2, 1, 2, 2, 0, 2]], [[-3.620895], [-2.541437], [-2.109336]]),
    ],
)
def test_ctc_beam_search_decoder_matches_tensorflow(width, paths, want_values, want_logp):
    logits = (np.random.default_rng(7).normal(size=(8, 3, 4)) * 2).astype(np.float32)
    decoded, logp = gf.nn.ctc_beam_search_decoder(logits, [8, 6, 7], width, paths)
    assert [d.values.numpy().tolist() for d in decoded] == want_values
    np.testing.assert_allclose(logp.numpy(), want_logp, atol=2e-5)


def test_ctc_beam_search_first_example_and_errors():
    decoded, logp = gf.nn.ctc_beam_search_decoder(LOGITS, FRAMES, beam_width=3, top_paths=2)
    assert _sparse(decoded[0]) == (
        [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1]],
        [2, 1, 3, 1, 3],
        [2, 3],
    )
    assert decoded[1].dense_shape.numpy().tolist() == [2, 4]
    np.testing.assert_allclose(
        logp.numpy(), [[-5.27612, -5.48565], [-3.4168713, -3.7064595]], atol=1e-5
    )
    with pytest.raises(InvalidArgumentError, match="top_paths"):
        gf.nn.ctc_beam_search_decoder(LOGITS, FRAMES, beam_width=2, top_paths=3)


def test_collapse_repeated_and_unique_labels_match_tensorflow():
    labels, lengths = gf.nn.collapse_repeated(
        gf.constant([[1, 1, 2, 2, 3], [4, 4, 4, 0, 0]]), gf.constant([5, 2])
    )
    assert labels.numpy().tolist() == [[1, 2, 3], [4, 0, 0]]
    assert lengths.numpy().tolist() == [3, 1]
    uniq, ids = gf.nn.ctc_unique_labels(gf.constant([[3, 1, 3, 0], [2, 2, 5, 1]]))
    assert uniq.dtype == gf.int64 and ids.dtype == gf.int32
    assert uniq.numpy().tolist() == [[3, 1, 0, 0], [2, 5, 1, 0]]
    assert ids.numpy().tolist() == [[0, 1, 0, 2], [0, 0, 1, 2]]


def test_ctc_loss_finite_difference_gradient():
    from gpuflow.testing import gradcheck

    x = np.random.default_rng(9).normal(size=(5, 2, 4))
    labels = np.array([[1, 2], [3, 3]])
    gradcheck(
        lambda t: gf.nn.ctc_loss(labels, t, [2, 2], [5, 5]) * gf.constant([1.0, 0.5], gf.float64),
        [x],
    )
    gradcheck(lambda t: gf.nn.ctc_loss(labels - 1, t, [2, 1], [4, 5], blank_index=3), [x])


def test_ctc_loss_compiles_and_reads_each_call_labels():
    """The labels and lengths are inputs of the op: a gpuflow.function step replays it with
    each call's values (not the first trace's), and bad values still raise."""
    x = gf.Variable(LOGITS)

    @gf.function
    def step(labels, label_length, frames):
        with gf.GradientTape() as tape:
            loss = gf.reduce_sum(gf.nn.ctc_loss(labels, x, label_length, frames))
        return loss, tape.gradient(loss, x)

    def eager(labels, label_length, frames):
        with gf.GradientTape() as tape:
            loss = gf.reduce_sum(gf.nn.ctc_loss(labels, x, label_length, frames))
        return loss.numpy(), tape.gradient(loss, x).numpy()

    other = (np.array([[4, 4, 1], [2, 0, 0]], np.int32), np.array([3, 1]), np.array([5, 6]))
    for args in [(LABELS, LABEL_LEN, FRAMES), other, (LABELS, LABEL_LEN, FRAMES)]:
        args = tuple(gf.constant(a) for a in args)
        loss, grad = step(*args)
        want_loss, want_grad = eager(*args)
        np.testing.assert_allclose(loss.numpy(), want_loss, rtol=1e-6)
        np.testing.assert_allclose(grad.numpy(), want_grad, rtol=1e-5, atol=1e-7)
    bad = (np.array([[1, 0, 1], [2, 0, 0]], np.int32), np.array([3, 1]), FRAMES)  # a blank
    with pytest.raises(InvalidArgumentError, match="differ from the blank 0, received 0"):
        step(*(gf.constant(a) for a in bad))
    with pytest.raises(InvalidArgumentError, match="logit_length"):
        step(*(gf.constant(a) for a in (LABELS, LABEL_LEN, np.array([7, 5]))))


def test_dense_labels_outside_the_classes_as_tensorflow():
    """TF's dense-label loss gives a label outside the classes (padding such as -1 or 99
    counted in label_length) probability 1 and no gradient; with a non-zero blank, -1 shifts
    onto the blank. Values from TensorFlow 2.21."""
    x = gf.constant(LOGITS)
    cases = [
        (0, [[1, 2, 99, 99], [3, 99, 99, 99]], [7.0189, 7.4961], 5.5955),
        (0, [[1, 2, -1, -1], [3, -1, -1, -1]], [7.0189, 7.4961], 5.5955),
        (0, [[1, 2, 7, 7], [3, 8, 9, 9]], [7.0189, 4.029], 6.3088),
        (4, [[1, 2, 99, 99], [3, 99, 99, 99]], [5.787, 5.7409], 5.6409),
        (-1, [[1, 2, -1, -1], [3, -1, -1, -1]], [10.7692, 9.695], 5.21),
    ]
    for blank, labels, want, grad_sum in cases:
        with gf.GradientTape() as tape:
            tape.watch(x)
            loss = gf.nn.ctc_loss(gf.constant(labels), x, [4, 4], [6, 6], blank_index=blank)
        grad = tape.gradient(loss, x)
        np.testing.assert_allclose(loss.numpy(), want, atol=1e-3)
        np.testing.assert_allclose(float(gf.reduce_sum(grad)), grad_sum, atol=1e-3)
    # the SparseTensor path stays strict (TF's sparse kernel reads out of range there)
    sparse = gf.sparse.from_dense(gf.constant([[1, 2, 99]], dtype=gf.int64))
    with pytest.raises(InvalidArgumentError, match="labels must lie in"):
        gf.nn.ctc_loss(sparse, LOGITS[:, :1], None, [6], blank_index=0)
