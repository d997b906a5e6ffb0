"""One BLAS thread when gpuflow is imported on a busy machine (gpuflow/config/threading.py)."""

from __future__ import annotations

import os

import pytest

threadpoolctl = pytest.importorskip("threadpoolctl")

from gpuflow.config import threading  # noqa: E402


def _blas_threads() -> int:
    return min(i["num_threads"] for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas")


@pytest.fixture
def fresh(monkeypatch):
    for name in threading._THREAD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    saved = threading._limiter
    threading._limiter = None
    yield monkeypatch
    if threading._limiter is not None:
        threading._limiter.restore_original_limits()
    threading._limiter = saved


def test_a_busy_machine_gets_one_blas_thread(fresh):
    fresh.setattr(os, "getloadavg", lambda: (7.5, 7.0, 6.0))
    assert threading.limit_blas_on_a_busy_machine()
    assert _blas_threads() == 1
    assert threading.get_intra_op_parallelism_threads() == 0  # the user chose nothing


def test_an_idle_machine_or_a_user_choice_keeps_blas_threads(fresh):
    fresh.setattr(os, "getloadavg", lambda: (0.5, 0.5, 0.5))
    assert not threading.limit_blas_on_a_busy_machine()
    fresh.setattr(os, "getloadavg", lambda: (9.0, 9.0, 9.0))
    fresh.setenv("OMP_NUM_THREADS", "2")
    assert not threading.limit_blas_on_a_busy_machine()
