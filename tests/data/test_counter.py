"""Dataset.counter / tf.data.experimental.Counter and assert_cardinality."""

import numpy as np
import pytest

import gpuflow as gf


def test_counter_counts_forever_from_start_by_step():
    ds = gf.data.Dataset.counter(3, 2)
    assert int(ds.cardinality()) == gf.data.INFINITE_CARDINALITY
    assert list(ds.take(3).as_numpy_iterator()) == [3, 5, 7]
    assert ds.element_spec == gf.TensorSpec((), gf.int64)
    zipped = gf.data.Dataset.zip((gf.data.experimental.Counter(), gf.data.Dataset.range(10, 13)))
    assert [(int(a), int(b)) for a, b in zipped] == [(0, 10), (1, 11), (2, 12)]
    small = gf.data.experimental.Counter(dtype=gf.int32)
    assert next(iter(small)).dtype == gf.int32
    with pytest.raises(TypeError, match="Dataset.counter: dtype must be an integer dtype"):
        gf.data.Dataset.counter(dtype="float32")


def test_assert_cardinality_declares_and_checks_the_length():
    def gen():
        yield from range(4)

    ds = gf.data.Dataset.from_generator(gen, output_signature=gf.TensorSpec((), gf.int64))
    assert int(ds.cardinality()) == gf.data.UNKNOWN_CARDINALITY
    known = ds.apply(gf.data.experimental.assert_cardinality(4))
    assert len(known) == 4 and list(known.as_numpy_iterator()) == [0, 1, 2, 3]
    with pytest.raises(
        gf.errors.FailedPreconditionError,
        match="expected to contain 3 elements but contained at least 4 elements",
    ):
        list(ds.apply(gf.data.experimental.assert_cardinality(3)))
    with pytest.raises(
        gf.errors.FailedPreconditionError,
        match="expected to contain 6 elements but contained only 4 elements",
    ):
        list(ds.apply(gf.data.experimental.assert_cardinality(6)))
    np.testing.assert_array_equal(next(iter(known.batch(4))).numpy(), [0, 1, 2, 3])
