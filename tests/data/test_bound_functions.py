"""Dataset functions read the Python values of the moment the transformation is made, as
TensorFlow's trace at ``ds.map(f)`` time does (gpuflow/data/functions.py bound_now)."""

import numpy as np

import gpuflow as tf

LABEL = 0  # a module global a map function reads


def test_lambdas_made_in_a_loop_keep_their_iteration_value():
    parts = []
    for i in range(3):
        parts.append(tf.data.Dataset.range(2).map(lambda x: (x, tf.cast(i, tf.int64))))
    labels = [int(label) for ds in parts for _, label in ds]
    assert labels == [0, 0, 1, 1, 2, 2]


def test_module_globals_are_read_when_map_is_called():
    global LABEL
    LABEL = 5
    ds = tf.data.Dataset.range(2).map(lambda x: x + LABEL)
    LABEL = 100  # later rebinding does not reach the made dataset
    assert [int(v) for v in ds] == [5, 6]
    LABEL = 0


def test_filter_scan_take_while_and_flat_map_are_bound_too():
    datasets = []
    for limit in (1, 3):
        base = tf.data.Dataset.range(5)
        datasets.append(
            (
                base.filter(lambda x: x < limit),
                base.take_while(lambda x: x < limit),
                base.scan(tf.constant(0, tf.int64), lambda s, x: (s + limit, s)),
                base.take(2).flat_map(lambda x: tf.data.Dataset.range(limit)),
            )
        )
    (f1, t1, s1, m1), (f3, t3, s3, m3) = datasets
    assert [int(v) for v in f1] == [0] and [int(v) for v in f3] == [0, 1, 2]
    assert [int(v) for v in t1] == [0] and [int(v) for v in t3] == [0, 1, 2]
    assert [int(v) for v in s1][:3] == [0, 1, 2] and [int(v) for v in s3][:3] == [0, 3, 6]
    assert len(list(m1)) == 2 and len(list(m3)) == 6


def test_objects_stay_shared_so_variables_are_read_live():
    scale = tf.Variable(2.0)
    seen = []

    def fn(x):
        seen.append(1)
        return tf.cast(x, tf.float32) * scale

    ds = tf.data.Dataset.range(3).map(fn)
    scale.assign(10.0)  # a Variable is read when the element is made, as in TensorFlow
    np.testing.assert_allclose([float(v) for v in ds], [0.0, 10.0, 20.0])
    assert len(seen) >= 3  # the list the function appends to is the caller's


def test_bound_function_keeps_name_defaults_and_errors_name_it():
    def parse(x, offset=1, *, scale=2):
        return (x + offset) * scale

    ds = tf.data.Dataset.range(2).map(parse)
    assert [int(v) for v in ds] == [2, 4]

    def broken(x):
        raise ValueError("bad element")

    try:
        list(tf.data.Dataset.range(2).map(broken))
    except ValueError as exc:
        assert "broken" in str(exc) and "element 0" in str(exc)
    else:
        raise AssertionError("no error")


def test_iterating_a_dataset_inside_a_function_runs_it_eagerly():
    import pytest

    @tf.function
    def total(ds):
        s = tf.constant(0, tf.int64)
        for x in ds:
            s += x
        return s

    with pytest.warns(RuntimeWarning, match="iterating over a tf.data.Dataset inside"):
        assert int(total(tf.data.Dataset.range(5))) == 10
    # another dataset: eagerly too, without a second trace or warning (TF traces once)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert int(total(tf.data.Dataset.range(10))) == 45  # not the first trace's elements
    assert total.experimental_get_tracing_count() == 1

    iterator = iter(tf.data.Dataset.range(100))

    @tf.function
    def step(it):
        return next(it) * 2

    with pytest.warns(RuntimeWarning, match="taking the next element of"):
        assert [int(step(iterator)) for _ in range(3)] == [0, 2, 4]

    @tf.function
    def folded(ds):
        return ds.reduce(tf.constant(0, tf.int64), lambda a, b: a + b)

    with pytest.warns(RuntimeWarning, match="Dataset.reduce on"):
        assert int(folded(tf.data.Dataset.range(4))) == 6
