"""Policy scopes and automatic layer names are per thread; the global policy is per process."""

from __future__ import annotations

from thread_helpers import run_together

from gpuflow import layers, mixed_precision


def _build(policy):
    def fn(barrier):
        layers.reset_name_counters()
        with mixed_precision.policy_scope(policy):
            barrier.wait()  # both threads are inside their scopes now
            made = [layers.Dense(2) for _ in range(3)]
            barrier.wait()
        return [(d.name, d.dtype_policy.name) for d in made]

    return fn


def test_two_threads_keep_their_own_policy_scope_and_names():
    a, b = run_together(_build("mixed_float16"), _build("float64"))
    assert a == [
        ("dense", "mixed_float16"),
        ("dense_1", "mixed_float16"),
        ("dense_2", "mixed_float16"),
    ]
    assert b == [("dense", "float64"), ("dense_1", "float64"), ("dense_2", "float64")]
    assert mixed_precision.global_policy().name == "float32"  # no scope leaked out


def test_the_global_policy_is_seen_by_every_thread():
    mixed_precision.set_global_policy("mixed_float16")
    try:
        (seen,) = run_together(lambda barrier: mixed_precision.global_policy().name)
    finally:
        mixed_precision.set_global_policy(None)
    assert seen == "mixed_float16"


def test_a_scope_wins_over_the_global_policy_on_its_thread_only():
    mixed_precision.set_global_policy("float64")
    try:

        def scoped(barrier):
            with mixed_precision.policy_scope("mixed_float16"):
                barrier.wait()
                return layers.Dense(1).dtype_policy.name

        def plain(barrier):
            barrier.wait()
            return layers.Dense(1).dtype_policy.name

        assert run_together(scoped, plain) == ["mixed_float16", "float64"]
    finally:
        mixed_precision.set_global_policy(None)
