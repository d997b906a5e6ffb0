"""tf.config.threading and tf.config.experimental.enable_op_determinism."""

from __future__ import annotations

import importlib.util
import warnings

import pytest

import gpuflow as tf
from gpuflow.backend import cuda_status

HAS_THREADPOOLCTL = importlib.util.find_spec("threadpoolctl") is not None


@pytest.fixture(autouse=True)
def _restore():
    yield
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tf.config.threading.set_intra_op_parallelism_threads(0)
    tf.config.threading.set_inter_op_parallelism_threads(0)
    tf.config.experimental.disable_op_determinism()


def test_thread_counts_round_trip():
    assert tf.config.threading.get_intra_op_parallelism_threads() == 0
    assert tf.config.threading.get_inter_op_parallelism_threads() == 0
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        tf.config.threading.set_intra_op_parallelism_threads(1)
    assert tf.config.threading.get_intra_op_parallelism_threads() == 1
    said = any("threadpoolctl is not installed" in str(w.message) for w in record)
    assert said is (not HAS_THREADPOOLCTL)
    tf.config.threading.set_inter_op_parallelism_threads(3)
    assert tf.config.threading.get_inter_op_parallelism_threads() == 3


@pytest.mark.skipif(not HAS_THREADPOOLCTL, reason="threadpoolctl is not installed")
def test_intra_op_threads_limit_blas():
    import threadpoolctl

    tf.config.threading.set_intra_op_parallelism_threads(1)
    blas = [p for p in threadpoolctl.threadpool_info() if p["user_api"] == "blas"]
    assert blas and all(p["num_threads"] == 1 for p in blas)


@pytest.mark.parametrize("value", [-1, 1.5, True])
def test_thread_counts_reject_bad_values(value):
    with pytest.raises(ValueError, match="expected an int >= 0"):
        tf.config.threading.set_inter_op_parallelism_threads(value)


def test_op_determinism_flag_and_warning():
    assert tf.config.experimental.is_op_determinism_enabled() is False
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        tf.config.experimental.enable_op_determinism()
    assert tf.config.experimental.is_op_determinism_enabled() is True
    warned = any("atomicAdd" in str(w.message) for w in record)
    assert warned is (cuda_status()[0] > 0)  # only CUDA paths can vary


def test_cpu_results_repeat_bit_for_bit_with_determinism(device):
    tf.config.experimental.enable_op_determinism()
    with tf.device(device):
        x = tf.random.normal([64, 32], seed=1)
        w = tf.random.normal([32, 8], seed=2)
        params = tf.Variable(tf.random.normal([10, 4], seed=3))
        idx = tf.constant([1, 1, 3, 1, 9, 3])
        outs = []
        for _ in range(2):
            with tf.GradientTape() as tape:
                y = tf.reduce_sum(tf.matmul(x, w)) + tf.reduce_sum(tf.gather(params, idx))
            # a gather gives the table an IndexedSlices gradient, as TF: densified here
            grad = tf.convert_to_tensor(tape.gradient(y, params))
            outs.append((y.numpy(), grad.numpy()))
    assert outs[0][0] == outs[1][0]
    assert (outs[0][1] == outs[1][1]).all()
