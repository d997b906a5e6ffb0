"""Device scopes are per thread; device streams are shared but never swapped under a thread."""

from __future__ import annotations

import numpy as np
from thread_helpers import run_together

import gpuflow as gf
from gpuflow.backend import current_device, get_device, rng_untouched


def _in_scope(name):
    def fn(barrier):
        with gf.device(name):
            barrier.wait()  # both threads are inside their scopes now
            seen = current_device().name
            made = gf.ones([2]).device
            barrier.wait()
        return seen, made, current_device().name

    return fn


def test_two_threads_keep_their_own_device_scope(device):
    other = (
        "cpu"
        if device != "cpu"
        else "cuda-emu"
        if "cuda-emu" in gf.backend.list_devices()
        else "cpu"
    )
    default = current_device().name
    a, b = run_together(_in_scope(device), _in_scope(other))
    assert a[:2] == (get_device(device).name,) * 2
    assert b[:2] == (get_device(other).name,) * 2
    assert a[2] == b[2] == default  # each thread left its scope; none leaked into another


def test_a_new_thread_starts_outside_the_scopes_of_its_parent():
    with gf.device("cpu"):
        (seen,) = run_together(lambda barrier: current_device().name)
    assert seen == get_device(gf.config.default_device()).name


def test_rng_untouched_on_one_thread_leaves_the_others_stream_alone():
    gf.random.set_seed(3)
    want = gf.random.uniform([4]).numpy()

    def scratch(barrier):
        with rng_untouched():
            barrier.wait()
            gf.random.uniform([100])  # thrown away
            barrier.wait()

    def seeded(barrier):
        barrier.wait()
        barrier.wait()  # the other thread has drawn inside rng_untouched by now
        return gf.random.uniform([4]).numpy()

    gf.random.set_seed(3)
    _, got = run_together(scratch, seeded)
    np.testing.assert_array_equal(got, want)


def test_op_seeded_draws_do_not_disturb_the_seeded_stream():
    gf.random.set_seed(5)
    want = gf.random.normal([6]).numpy()
    gf.random.set_seed(5)

    def op_seeded(barrier):
        barrier.wait()
        return [gf.random.normal([50], seed=i).numpy() for i in range(20)]

    def seeded(barrier):
        barrier.wait()
        return gf.random.normal([6]).numpy()

    first, got = run_together(op_seeded, seeded)
    np.testing.assert_array_equal(got, want)
    # TF's rule: an op seed's stream advances per call and restarts at the next set_seed
    gf.random.set_seed(5)
    np.testing.assert_array_equal(first[0], gf.random.normal([50], seed=0).numpy())
