"""shuffle (seeds, reshuffling), cache (memory and file), prefetch (threads end)."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

import gpuflow as gf
from gpuflow.data import AUTOTUNE, Dataset

REPO = Path(__file__).resolve().parents[2]


def order(ds):
    return [int(v) for v in ds.as_numpy_iterator()]


def test_shuffle_is_a_permutation_and_seeded():
    ds = Dataset.range(100).shuffle(100, seed=3)
    first = order(ds)
    assert sorted(first) == list(range(100)) and first != list(range(100))
    assert order(Dataset.range(100).shuffle(100, seed=3)) == first


def test_reshuffle_each_iteration():
    ds = Dataset.range(50).shuffle(50, seed=1)
    assert order(ds) != order(ds)
    fixed = Dataset.range(50).shuffle(50, seed=1, reshuffle_each_iteration=False)
    assert order(fixed) == order(fixed)


def test_small_buffer_shuffles_locally():
    got = order(Dataset.range(100).shuffle(2, seed=0))
    # An element can only move ahead by the buffer's size.
    assert all(v <= i + 1 for i, v in enumerate(got))
    assert sorted(got) == list(range(100))


def test_global_seed_makes_unseeded_shuffle_repeat():
    gf.random.set_seed(7)
    a = order(Dataset.range(30).shuffle(30))
    gf.random.set_seed(7)
    b = order(Dataset.range(30).shuffle(30))
    assert a == b


_PIPELINE = """
import numpy as np, gpuflow as gf
gf.random.set_seed(11)
x = np.arange(40, dtype=np.float32)
ds = (gf.data.Dataset.from_tensor_slices(x).map(lambda v: v + gf.random.uniform([]))
      .shuffle(16).batch(8).prefetch(gf.data.AUTOTUNE))
print([b.numpy().round(5).tolist() for epoch in range(2) for b in ds])
"""


def test_seeded_pipeline_gives_the_same_values_on_every_run():
    env = dict(os.environ, PYTHONPATH=str(REPO), GPUFLOW_DEVICE="cpu")
    runs = [
        subprocess.run(
            [sys.executable, "-c", _PIPELINE], env=env, capture_output=True, text=True, timeout=120
        )
        for _ in range(2)
    ]
    assert all(r.returncode == 0 for r in runs), runs[0].stderr[-2000:]
    assert runs[0].stdout == runs[1].stdout and len(runs[0].stdout) > 100


def test_memory_cache_reads_input_once():
    calls = []

    def fn(x):
        calls.append(int(x))
        return x * 2

    ds = Dataset.range(5).map(fn).cache()
    assert order(ds) == [0, 2, 4, 6, 8]
    assert order(ds) == [0, 2, 4, 6, 8]
    assert calls == [0, 1, 2, 3, 4]


def test_partial_pass_leaves_no_cache():
    calls = []
    ds = Dataset.range(5).map(lambda x: calls.append(1) or x).cache()
    it = iter(ds)
    next(it)
    del it
    order(ds)
    order(ds)
    assert len(calls) == 1 + 5  # the stopped pass, then one full pass


def test_cache_then_shuffle_batch_uses_the_stacked_cache():
    x = np.arange(12.0).reshape(6, 2)
    ds = Dataset.from_tensor_slices(x).map(lambda v: v + 1).cache()
    list(ds)
    assert ds._index_plan() is not None
    batches = list(ds.shuffle(6, seed=0).batch(4).as_numpy_iterator())
    np.testing.assert_array_equal(np.sort(np.concatenate(batches), axis=0), x + 1)


def test_file_cache_round_trip_without_pickle(tmp_path):
    prefix = str(tmp_path / "cache")
    ds = Dataset.range(1, 4).map(lambda n: (gf.fill([n], 1.5), n)).cache(prefix)
    first = [(a.tolist(), int(b)) for a, b in ds.as_numpy_iterator()]
    assert os.path.exists(prefix + ".npz")
    with np.load(prefix + ".npz", allow_pickle=False) as archive:
        assert int(archive["count"]) == 3
    calls = []
    again = Dataset.range(1, 4).map(lambda n: calls.append(1) or (gf.fill([n], 1.5), n))
    again = again.cache(prefix)
    assert [(a.tolist(), int(b)) for a, b in again.as_numpy_iterator()] == first
    assert len(calls) <= 2  # at most the spec probes (first and second element): not per element


def _prefetch_threads():
    return [t for t in threading.enumerate() if t.name == "gpuflow.data.prefetch"]


def test_prefetch_yields_everything_and_its_thread_ends():
    ds = Dataset.range(100).map(lambda x: x + 1).prefetch(3)
    assert order(ds) == list(range(1, 101))
    assert not _prefetch_threads()


def test_early_stop_shuts_the_prefetch_thread_down():
    before = set(threading.enumerate())
    ds = Dataset.range(10_000).prefetch(AUTOTUNE)
    it = iter(ds)
    for _ in range(3):
        next(it)
    assert _prefetch_threads()
    del it
    gc.collect()
    assert not _prefetch_threads()
    for _ in zip(range(5), ds):  # a for loop broken off early
        pass
    gc.collect()
    assert set(threading.enumerate()) <= before


def test_nested_prefetch_and_parallel_map_leave_no_threads():
    before = set(threading.enumerate())
    ds = Dataset.range(1000).prefetch(2).map(lambda x: x, num_parallel_calls=3).prefetch(2)
    it = iter(ds)
    next(it)
    del it
    gc.collect()
    assert set(threading.enumerate()) <= before


def test_prefetch_passes_errors_to_the_consumer():
    def fn(x):
        if int(x) == 5:
            raise KeyError("missing")
        return x

    with pytest.raises(KeyError, match="element 5"):
        list(Dataset.range(10).map(fn).prefetch(2))
    gc.collect()
    assert not _prefetch_threads()


def test_prefetch_map_runs_on_the_iterating_device():
    devices = []
    ds = Dataset.range(3).map(lambda x: devices.append(gf.zeros([1]).device.short) or x).prefetch(1)
    with gf.device("cpu"):
        list(ds)
    assert set(devices) == {"cpu"}


def test_file_cache_of_an_empty_dataset_and_a_missing_folder(tmp_path):
    prefix = str(tmp_path / "empty")
    assert order(Dataset.range(0).cache(prefix)) == []
    assert order(Dataset.range(0).cache(prefix)) == []
    with pytest.raises(FileNotFoundError, match="does not exist"):
        list(Dataset.range(2).cache(str(tmp_path / "missing" / "cache")))


def test_prefetch_of_batches_gathered_from_memory_needs_no_thread():
    x = np.arange(40.0).reshape(20, 2)
    ds = Dataset.from_tensor_slices(x).shuffle(20, seed=1).batch(6).prefetch(AUTOTUNE)
    it = iter(ds)
    first = next(it)
    assert not _prefetch_threads()
    plain = Dataset.from_tensor_slices(x).shuffle(20, seed=1).batch(6)
    np.testing.assert_array_equal(first.numpy(), next(iter(plain)).numpy())
    mapped = Dataset.from_tensor_slices(x).map(lambda v: v * 2).batch(6).prefetch(AUTOTUNE)
    it = iter(mapped)
    next(it)
    assert _prefetch_threads()  # user code upstream: the thread does that work
    del it
    gc.collect()


def test_prefetch_after_a_parallel_map_adds_no_thread_of_its_own():
    ds = Dataset.range(50).map(lambda v: v + 1, num_parallel_calls=2).prefetch(4)
    it = iter(ds)
    assert int(next(it)) == 1
    assert not _prefetch_threads()
    assert [int(v) for v in it] == list(range(2, 51))
