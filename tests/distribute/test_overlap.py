"""Gradient buckets start during the backward pass (one process, a recording fake peer)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.autodiff.backprop import _topological
from gpuflow.distribute.communicator import LocalCommunicator, Pending
from gpuflow.distribute.strategy import Strategy
from gpuflow.graph import fast_steps


class _Recorder(LocalCommunicator):
    """Rank 0 of two workers whose peer sends what this one sends (sums are doubled);
    logs each allreduce it starts, with its size, in ``log``. ``peer_changed``: the peer
    says its gradients were changed after ``tape.gradient`` (the agreement's 1-element
    allreduce; no variable of these models has one element)."""

    size = 2

    def __init__(self, log: list, peer_changed: bool = False) -> None:
        self.rank, self.log, self.peer_changed, self.tests = 0, log, peer_changed, 0
        recorder = self

        class Counted(Pending):
            def test(self):
                recorder.tests += 1
                return True

        self._pending = Counted

    def iallreduce_sum(self, array):
        array = np.asarray(array)
        self.log.append(("start", array.size))
        out = 2 * array
        if self.peer_changed and array.size == 1:
            out = out + 1.0
        return self._pending(out)


def _model():
    return tf.keras.Sequential(
        [
            tf.keras.Input((4,)),
            tf.keras.layers.Dense(5, activation="relu"),
            tf.keras.layers.Dense(6, activation="tanh"),
            tf.keras.layers.Dense(3),
        ]
    )


def _log_backward(monkeypatch, model, log):
    """Log ("backward", layer index) whenever a Dense layer's op runs its backward."""
    x = np.ones((2, 4))
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(model(x))
    first_kernel = model.layers[0].kernel
    (op,) = [f for f in _topological([y]) if any(t is first_kernel for t in f.inputs)]
    tape.gradient(y, model.trainable_variables)  # the probe's own walk, before the patch
    kernels = [layer.kernel for layer in model.layers]
    original = type(op).backward

    def backward(self, *args):
        for i, kernel in enumerate(kernels):
            if any(t is kernel for t in self.inputs):
                log.append(("backward", i))
        return original(self, *args)

    monkeypatch.setattr(type(op), "backward", backward)


@pytest.fixture(autouse=True)
def _float64():
    previous = tf.keras.backend.floatx()
    tf.config.set_floatx("float64")
    yield
    tf.config.set_floatx(previous)


def _custom_loop(monkeypatch, overlap, change=None, peer_changed=False, steps=2):
    log = []
    comm = _Recorder(log, peer_changed)
    strategy = Strategy(comm, bucket_bytes=1)  # one bucket per variable
    strategy.overlap_gradients = overlap
    rng = np.random.default_rng(1)
    x, y = rng.random((8, 4)), rng.random((8, 3))
    with strategy.scope():
        tf.random.set_seed(5)
        model = _model()
        optimizer = tf.keras.optimizers.SGD(0.1)
    _log_backward(monkeypatch, model, log)  # outside the scope: its gradient starts nothing
    assert log == []
    with strategy.scope():
        for _ in range(steps):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean((model(x) - y) ** 2)
            grads = tape.gradient(loss, model.trainable_variables)
            log.append(("gradient returned", None))
            if change is not None:
                grads = [change(g) for g in grads]
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            log.append(("applied", None))
    return [w.numpy() for w in model.weights], log, strategy, comm


def test_last_layer_bucket_starts_before_the_first_layer_gradient(monkeypatch):
    weights, log, strategy, comm = _custom_loop(monkeypatch, overlap=True, steps=1)
    starts = [i for i, (what, _) in enumerate(log) if what == "start"]
    first_layer = log.index(("backward", 0))
    last_layer = log.index(("backward", 2))
    # bucket 0 holds the last layer's bias (3 values), bucket 1 its kernel (6 x 3)
    assert log[starts[0]] == ("start", 3) and log[starts[1]] == ("start", 18)
    assert last_layer < starts[0] < starts[1] < log.index(("backward", 1)) < first_layer
    # every variable's bucket started inside tape.gradient; apply_gradients added only the
    # agreement (1 value) that the packed arrays are the ones applied
    returned = log.index(("gradient returned", None))
    assert [log[i][1] for i in starts if i < returned] == [3, 18, 6, 30, 5, 20]
    assert [log[i][1] for i in starts if i > returned] == [1]
    assert comm.tests > 0  # the walk polled the started allreduces between ops
    assert strategy._reductions == {"early": 1}
    plain, plain_log, plain_strategy, _ = _custom_loop(monkeypatch, overlap=False, steps=1)
    assert plain_strategy._reductions == {"after": 1}
    # the same buckets reduced in apply_gradients instead: the same weights, bit for bit
    applied = plain_log.index(("gradient returned", None))
    assert [s for what, s in plain_log[applied:] if what == "start"] == [3, 18, 6, 30, 5, 20]
    for a, b in zip(weights, plain, strict=True):
        np.testing.assert_array_equal(a, b)


def test_gradients_changed_before_apply_are_reduced_again(monkeypatch):
    def halve(g):
        return g * 0.5

    weights, log, strategy, _ = _custom_loop(monkeypatch, overlap=True, change=halve)
    # step 1: the early buckets are dropped and the halved gradients reduced; step 2 does
    # not start these variables' buckets early again
    assert strategy._reductions == {"redone": 1, "after": 1}
    plain, *_ = _custom_loop(monkeypatch, overlap=False, change=halve)
    for a, b in zip(weights, plain, strict=True):
        np.testing.assert_array_equal(a, b)
    early, *_ = _custom_loop(monkeypatch, overlap=True)
    assert not all(np.array_equal(a, b) for a, b in zip(weights, early))  # halving shows


def test_a_peer_that_changed_its_gradients_makes_every_worker_reduce_again(monkeypatch):
    weights, log, strategy, _ = _custom_loop(monkeypatch, overlap=True, peer_changed=True)
    assert strategy._reductions == {"redone": 1, "after": 1}
    returned, applied = log.index(("gradient returned", None)), log.index(("applied", None))
    # after the agreement (1 value) all six buckets go again, in the same order
    again = [s for what, s in log[returned:applied] if what == "start"]
    assert again == [1, 3, 18, 6, 30, 5, 20]
    plain, *_ = _custom_loop(monkeypatch, overlap=False)
    for a, b in zip(weights, plain, strict=True):
        np.testing.assert_array_equal(a, b)


def test_an_unapplied_gradient_is_dropped_at_the_end_of_the_scope(monkeypatch):
    log = []
    strategy = Strategy(_Recorder(log), bucket_bytes=1)
    with strategy.scope():
        model = _model()
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(model(np.ones((2, 4))))
        tape.gradient(loss, model.trainable_variables)
        assert len(strategy._sessions()) == 1
        with tf.GradientTape() as tape:  # not Variables: no buckets
            x = tf.constant(np.ones((2, 4)))
            tape.watch(x)
            loss = tf.reduce_sum(model(x))
        tape.gradient(loss, x)
        assert len(strategy._sessions()) == 1
    assert strategy._sessions() == {} and strategy._reductions == {"dropped": 1}
    assert [s for _, s in log] == [3, 18, 6, 30, 5, 20]


def _fit(monkeypatch, overlap, run_eagerly):
    log = []
    strategy = Strategy(_Recorder(log), bucket_bytes=1)
    strategy.overlap_gradients = overlap
    rng = np.random.default_rng(2)
    x, y = rng.random((32, 4)), rng.random((32, 3))
    with strategy.scope():
        tf.random.set_seed(9)
        model = _model()
        model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse", run_eagerly=run_eagerly)
    _log_backward(monkeypatch, model, log)
    assert log == []
    replays = []
    original = fast_steps.BackwardPlan.run

    def run(self, seeds):
        replays.append(1)
        return original(self, seeds)

    monkeypatch.setattr(fast_steps.BackwardPlan, "run", run)
    del log[:]
    model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    return [w.numpy() for w in model.weights], log, strategy, len(replays)


@pytest.mark.parametrize("run_eagerly", [False, True])
def test_fit_steps_start_buckets_during_the_backward_pass(monkeypatch, run_eagerly):
    weights, log, strategy, replays = _fit(monkeypatch, True, run_eagerly)
    steps = 4
    assert strategy._reductions == {"early": steps}
    if not run_eagerly:
        assert replays == steps - 1  # the first call traces, the others replay the plan
    firsts = [i for i, entry in enumerate(log) if entry == ("backward", 0)]
    lasts = [i for i, entry in enumerate(log) if entry == ("backward", 2)]
    assert len(firsts) == len(lasts) == steps
    for last, first in zip(lasts, firsts):
        assert last < first
        between = [s for what, s in log[last:first] if what == "start"]
        assert between[:4] == [3, 18, 6, 30]  # the last two layers' buckets are on their way
    plain, _, plain_strategy, _ = _fit(monkeypatch, False, run_eagerly)
    assert plain_strategy._reductions == {"after": steps}
    for a, b in zip(weights, plain, strict=True):
        np.testing.assert_array_equal(a, b)


CUSTOM_LOOP = str(Path(__file__).with_name("custom_loop_worker.py"))


def _load(path):
    with np.load(path) as data:
        return {k: data[k] for k in data.files}


@pytest.mark.parametrize(
    "mode, counts",
    [
        ("plain", {"count_early": 8}),
        # the first step's early buckets are dropped, the rescaled gradients reduced; then
        # these variables' buckets are no longer started early
        ("rescale", {"count_redone": 1, "count_after": 7}),
    ],
)
def test_custom_loop_of_two_workers_trains_to_the_weights_of_one_process(
    mpirun, tmp_path, mode, counts
):
    one = subprocess.run(
        [sys.executable, CUSTOM_LOOP, mode, str(tmp_path / "one.npz")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert one.returncode == 0, one.stderr
    many = mpirun(2, CUSTOM_LOOP, mode, str(tmp_path / "many.npz"))
    assert many.returncode == 0, many.stderr
    ref = _load(tmp_path / "one.rank0.npz")
    assert not any(key.startswith("count_") for key in ref)  # one process: nothing reduced
    for rank in (0, 1):
        got = _load(tmp_path / f"many.rank{rank}.npz")
        assert {k: int(v) for k, v in got.items() if k.startswith("count_")} == counts
        for key, value in ref.items():
            scale = max(np.max(np.abs(value)), 1e-300)
            assert np.max(np.abs(got[key] - value)) / scale <= 1e-10, (rank, key)
