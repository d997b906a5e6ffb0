"""tf.CriticalSection: execute runs functions one at a time (checked against TF 2.21)."""

import threading

import pytest

import gpuflow as tf


def test_execute_returns_tensors_of_the_function_outputs():
    v = tf.Variable(0)
    cs = tf.CriticalSection(name="counter")
    assert int(cs.execute(lambda: v.assign_add(1))) == 1
    out = cs.execute(lambda: (v, 3, [v.read_value()], None))
    assert isinstance(out[0], tf.Tensor) and not isinstance(out[0], tf.Variable)
    assert [int(out[0]), int(out[1]), int(out[2][0])] == [1, 3, 1]
    assert out[1].dtype == tf.int32 and out[3] is None


def test_execute_serializes_threads_and_works_in_a_function():
    v = tf.Variable(0)
    cs = tf.CriticalSection()

    def add():
        value = v.read_value()  # a read and a write that must not interleave
        return v.assign(value + 1)

    threads = [
        threading.Thread(target=lambda: [cs.execute(add) for _ in range(50)]) for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert int(v) == 200

    @tf.function
    def step():
        return cs.execute(lambda: v.assign_add(10))

    assert int(step()) == 210


def test_nested_execute_and_bad_arguments_raise():
    cs = tf.CriticalSection()
    with pytest.raises(ValueError, match="already running"):
        cs.execute(lambda: cs.execute(lambda: tf.constant(1)))
    assert int(cs.execute(lambda: tf.constant(2))) == 2  # the lock was released
    with pytest.raises(TypeError, match="must be callable"):
        cs.execute(3)
    with pytest.raises(ValueError, match="not supported"):
        tf.CriticalSection(critical_section_def=object())
