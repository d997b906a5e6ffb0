"""Candidate samplers (tf.random.* / tf.nn.*), compute_accidental_hits, nce_loss and
sampled_softmax_loss. The losses and their gradients equal TensorFlow 2.21's (literals, with
the sampled candidates given); the samplers' draws are gpuflow's own, so they are checked
through their distribution, TF's expected-count rule and TF-computed literals where the
draw does not enter."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf
from gpuflow.errors import InvalidArgumentError

TRUE = np.array([[1, 2], [3, 3]], np.int64)


def _expected_count(p, num_sampled, tries):
    """TensorFlow's ExpectedCountHelper."""
    return p * num_sampled if tries == num_sampled else -np.expm1(tries * np.log1p(-p))


@pytest.mark.parametrize("unique", [True, False])
def test_uniform_and_log_uniform_samplers(unique):
    for fn, probs in (
        (gf.random.uniform_candidate_sampler, np.full(10, 0.1)),
        (
            gf.random.log_uniform_candidate_sampler,
            np.log((np.arange(10) + 2) / (np.arange(10) + 1)) / np.log(11),
        ),
    ):
        s, t, e = fn(TRUE, 2, 4, unique, 10, seed=1)
        assert s.dtype == gf.int64 and t.dtype == gf.float32 and s.shape == (4,)
        samples = s.numpy()
        assert ((samples >= 0) & (samples < 10)).all()
        if unique:
            assert len(set(samples.tolist())) == 4
        # the same number of tries explains both counts
        tries = [
            n
            for n in range(4, 200)
            if np.allclose(e.numpy(), _expected_count(probs[samples], 4, n), rtol=1e-5)
        ]
        assert tries, (e.numpy(), samples)
        np.testing.assert_allclose(t.numpy(), _expected_count(probs[TRUE], 4, tries[0]), rtol=1e-5)
        if not unique:
            np.testing.assert_allclose(t.numpy(), probs[TRUE] * 4, rtol=1e-6)


def test_log_uniform_sampler_distribution_and_seed():
    s = gf.random.log_uniform_candidate_sampler(TRUE, 2, 20000, False, 5, seed=3)[0].numpy()
    probs = np.log((np.arange(5) + 2) / (np.arange(5) + 1)) / np.log(6)
    np.testing.assert_allclose(np.bincount(s, minlength=5) / s.size, probs, atol=0.015)
    gf.random.set_seed(4)
    a = gf.random.uniform_candidate_sampler(TRUE, 2, 5, True, 50, seed=2)[0].numpy()
    gf.random.set_seed(4)
    b = gf.random.uniform_candidate_sampler(TRUE, 2, 5, True, 50, seed=2)[0].numpy()
    np.testing.assert_array_equal(a, b)


def test_fixed_unigram_sampler_matches_tensorflow_expected_counts():
    s, t, e = gf.random.fixed_unigram_candidate_sampler(
        TRUE, 2, 4, False, 6, unigrams=[1, 2, 3, 4], num_reserved_ids=2, seed=1
    )
    np.testing.assert_allclose(t.numpy(), [[0.0, 0.4], [0.8, 0.8]], rtol=1e-6)  # TF 2.21
    assert (s.numpy() >= 2).all()  # reserved ids have weight 0
    np.testing.assert_allclose(e.numpy(), (s.numpy() - 1) / 10 * 4, rtol=1e-6)
    draws = gf.nn.fixed_unigram_candidate_sampler(
        TRUE, 2, 20000, False, 5, unigrams=[1, 2, 3, 4, 5], distortion=0.5
    )[0].numpy()
    w = np.sqrt(np.arange(1, 6))
    np.testing.assert_allclose(
        np.bincount(draws, minlength=5) / draws.size, w / w.sum(), atol=0.015
    )
    with pytest.raises(InvalidArgumentError, match="range_max"):
        gf.random.fixed_unigram_candidate_sampler(TRUE, 2, 4, False, 9, unigrams=[1, 2, 3, 4])


def test_learned_unigram_sampler_counts_the_true_classes():
    args = (TRUE, 2, 4, False, 10)
    _, t, e = gf.random.learned_unigram_candidate_sampler(*args, seed=91)
    np.testing.assert_allclose(t.numpy(), 0.4, rtol=1e-6)  # TF 2.21: uniform at first
    _, t, e = gf.nn.learned_unigram_candidate_sampler(*args, seed=91)
    # TF 2.21's second call: classes 1, 2 seen once, 3 twice (weights 2, 2, 3 of 14)
    np.testing.assert_allclose(t.numpy(), [[4 / 7, 4 / 7], [6 / 7, 6 / 7]], rtol=1e-6)


def test_all_candidate_sampler_and_accidental_hits_match_tensorflow():
    s, t, e = gf.nn.all_candidate_sampler(TRUE, 2, 5, True)
    assert s.numpy().tolist() == [0, 1, 2, 3, 4]
    assert t.numpy().tolist() == [[1, 1], [1, 1]] and e.numpy().tolist() == [1] * 5
    rows, ids, weights = gf.nn.compute_accidental_hits(TRUE, gf.constant([3, 0, 1, 2], gf.int64), 2)
    assert rows.dtype == gf.int32 and ids.dtype == gf.int64
    assert rows.numpy().tolist() == [0, 0, 1, 1]
    assert ids.numpy().tolist() == [2, 3, 0, 0]
    assert weights.numpy().tolist() == [-np.finfo(np.float32).max] * 4


def _setup():
    r = np.random.default_rng(0)
    w = gf.Variable(r.normal(size=(10, 4)).astype(np.float32))
    b = gf.Variable(r.normal(size=(10,)).astype(np.float32))
    x = gf.Variable(r.normal(size=(3, 4)).astype(np.float32))
    labels = np.array([[1, 2], [3, 4], [5, 1]], np.int64)
    sampled = (
        gf.constant([1, 7, 0, 4], gf.int64),
        gf.constant(r.uniform(0.1, 1, size=(3, 2)).astype(np.float32)),
        gf.constant(r.uniform(0.1, 1, size=(4,)).astype(np.float32)),
    )
    return w, b, x, labels, sampled


@pytest.mark.parametrize(
    "loss_name,remove,want_loss,want_gw1,want_gx2",
    [  # TF 2.21: loss, d/dweights[1], d/dinputs[2]
        (
            "nce_loss",
            False,
            [10.678691, 13.51239, 8.285059],
            [-1.7496169, -1.8105057, 0.0619385, 0.6336824],
            [-1.110739, 0.3743327, 0.3701069, 1.0625163],
        ),
        (
            "nce_loss",
            True,
            [8.238764, 11.549907, 6.913307],
            [-1.1920934, -0.2136593, 0.3917325, 0.9074981],
            [-0.7109485, 0.1044606, -0.6031177, 0.3556739],
        ),
        (
            "sampled_softmax_loss",
            True,
            [1.1116692, 2.265158, 4.522371],
            [-0.1061999, 0.7059441, 0.4231225, 0.8064876],
            [-0.1225395, -0.6356173, -1.2835475, -0.8292118],
        ),
        (
            "sampled_softmax_loss",
            False,
            [1.2471684, 2.3006065, 4.548548],
            [-0.0847808, 0.5816465, 0.4043163, 0.8195263],
            [-0.124633, -0.6321764, -1.224946, -0.8000939],
        ),
    ],
)
def test_sampled_losses_match_tensorflow(loss_name, remove, want_loss, want_gw1, want_gx2):
    w, b, x, labels, sampled = _setup()
    fn = getattr(gf.nn, loss_name)
    with gf.GradientTape() as tape:
        loss = fn(
            w,
            b,
            labels,
            x,
            4,
            10,
            num_true=2,
            sampled_values=sampled,
            remove_accidental_hits=remove,
        )
    gw, gb, gx = tape.gradient(loss, [w, b, x])
    np.testing.assert_allclose(loss.numpy(), want_loss, rtol=1e-5)
    np.testing.assert_allclose(gf.convert_to_tensor(gw).numpy()[1], want_gw1, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(gx.numpy()[2], want_gx2, rtol=1e-5, atol=1e-6)


def test_sampled_softmax_loss_samples_itself_and_checks_shapes():
    w, b, x, labels, _ = _setup()
    loss = gf.nn.sampled_softmax_loss(w, b, labels[:, :1], x, 4, 10, seed=3)
    assert loss.shape == (3,) and np.isfinite(loss.numpy()).all() and (loss.numpy() > 0).all()
    with pytest.raises(InvalidArgumentError, match="nce_loss.*labels"):
        gf.nn.nce_loss(w, b, labels, x, 4, 10)  # num_true defaults to 1


def test_sampled_losses_finite_difference_gradients():
    from gpuflow.testing import gradcheck

    r = np.random.default_rng(6)
    w, b, x = r.normal(size=(8, 3)), r.normal(size=(8,)), r.normal(size=(2, 3))
    labels = np.array([[1], [5]])
    sampled = (
        gf.constant([0, 5, 6], gf.int64),
        gf.constant([[0.3], [0.2]]),
        gf.constant([0.5, 0.2, 0.1]),
    )
    for fn in (gf.nn.nce_loss, gf.nn.sampled_softmax_loss):
        gradcheck(lambda a, c, d: fn(a, c, labels, d, 3, 8, sampled_values=sampled), [w, b, x])
