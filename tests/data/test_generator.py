"""Dataset.from_generator: signatures, conversion, and errors naming both specs."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf
from gpuflow.data import Dataset


def gen_pairs():
    for i in range(4):
        yield np.full((2,), i, dtype=np.float64), i


def test_output_signature_converts_and_checks():
    ds = Dataset.from_generator(
        gen_pairs, output_signature=(gf.TensorSpec((2,), gf.float32), gf.TensorSpec((), gf.int32))
    )
    x, y = next(iter(ds))
    assert x.dtype == gf.float32 and y.dtype == gf.int32
    assert int(ds.cardinality()) == gf.data.UNKNOWN_CARDINALITY
    assert len(list(ds)) == 4 and len(list(ds)) == 4  # the generator is called per pass


def test_output_types_and_shapes():
    ds = Dataset.from_generator(
        gen_pairs, output_types=(gf.float32, gf.int64), output_shapes=((None,), ())
    )
    assert ds.element_spec == (gf.TensorSpec((None,), gf.float32), gf.TensorSpec((), gf.int64))
    assert [int(y) for _, y in ds] == [0, 1, 2, 3]
    ds = Dataset.from_generator(lambda: iter([1, 2]), output_types=gf.int32)
    assert ds.element_spec == gf.TensorSpec(None, gf.int32)


def test_args_are_passed_as_arrays_and_scalars_as_numpy_scalars():
    seen = []

    def gen(n, scale, rows, word):
        seen.append((n, scale, rows, word))
        for i in range(int(n)):
            yield i * scale

    ds = Dataset.from_generator(
        gen, args=(3, 2.0, [[1, 2]], "w"), output_signature=gf.TensorSpec((), gf.float32)
    )
    assert [float(v) for v in ds] == [0.0, 2.0, 4.0]
    n, scale, rows, word = seen[0]
    # as TensorFlow's py_func hands them over: scalars hashable (a dict key works)
    assert type(n) is np.int32 and type(scale) is np.float32 and {n: 1}[3] == 1
    assert isinstance(rows, np.ndarray) and rows.shape == (1, 2) and rows.dtype == np.int32
    assert word == b"w"


def test_dict_elements_and_batching():
    def gen():
        for i in range(5):
            yield {"x": np.arange(3) + i, "label": i % 2}

    ds = Dataset.from_generator(
        gen,
        output_signature={"x": gf.TensorSpec((3,), gf.int64), "label": gf.TensorSpec((), gf.int32)},
    )
    batch = next(iter(ds.batch(4)))
    assert batch["x"].shape == (4, 3) and batch["label"].numpy().tolist() == [0, 1, 0, 1]


def test_wrong_shape_names_expected_and_received_spec():
    def gen():
        yield np.zeros(3, np.float32)

    ds = Dataset.from_generator(gen, output_signature=gf.TensorSpec((2,), gf.float32))
    with pytest.raises(
        gf.errors.InvalidArgumentError,
        match=r"shape \(3,\) where an element of shape \(2,\).*"
        r"expected spec TensorSpec\(shape=\(2,\).*received "
        r"TensorSpec\(shape=\(3,\)",
    ):
        list(ds)


def test_wrong_structure_and_type():
    ds = Dataset.from_generator(
        lambda: iter([1.0]),
        output_signature=(gf.TensorSpec((), gf.float32), gf.TensorSpec((), gf.float32)),
    )
    with pytest.raises(gf.errors.InvalidArgumentError, match="did not match the expected"):
        list(ds)
    ds = Dataset.from_generator(
        lambda: iter([np.zeros((2, 2))]), output_signature=gf.TensorSpec((None, 2), gf.int32)
    )
    assert next(iter(ds)).dtype == gf.int32  # converted, as TensorFlow does
    ds = Dataset.from_generator(
        lambda: iter(["text"]), output_signature=gf.TensorSpec((), gf.float32)
    )
    with pytest.raises(gf.errors.InvalidArgumentError, match="TypeError: .*could not be"):
        list(ds)


def test_bad_arguments():
    with pytest.raises(TypeError, match="callable"):
        Dataset.from_generator(iter([1]), output_signature=gf.TensorSpec(()))
    with pytest.raises(TypeError, match="output_signature is required"):
        Dataset.from_generator(lambda: iter([1]))
    with pytest.raises(TypeError, match="TensorSpec"):
        Dataset.from_generator(lambda: iter([1]), output_signature=(np.float32,))


def test_generator_closed_when_iteration_stops_early():
    closed = []

    def gen():
        try:
            for i in range(100):
                yield i
        finally:
            closed.append(True)

    ds = Dataset.from_generator(gen, output_signature=gf.TensorSpec((), gf.int64)).prefetch(2)
    for _ in zip(range(3), ds):
        pass
    import gc

    gc.collect()
    assert closed == [True]


def test_a_tuple_yielded_for_a_single_spec_is_one_tensor():
    # the tf.data performance guide's generator yields `(i,)` for TensorSpec((1,), int64)
    def gen(n):
        for i in range(n):
            yield (i,)

    ds = gf.data.Dataset.from_generator(
        gen, output_signature=gf.TensorSpec(shape=(1,), dtype=gf.int64), args=(3,)
    )
    assert [x.tolist() for x in ds.as_numpy_iterator()] == [[0], [1], [2]]
    wrong = gf.data.Dataset.from_generator(
        lambda: iter([(1, 2)]), output_signature=gf.TensorSpec(shape=(1,), dtype=gf.int64)
    )
    with pytest.raises(
        gf.errors.InvalidArgumentError, match=r"shape \(2,\) where an element of shape \(1,\)"
    ):
        list(wrong)


def test_generator_exceptions_become_tensorflow_error_classes():
    # TensorFlow runs the generator in a py_func: ValueError/TypeError surface as
    # InvalidArgumentError, other exceptions as UnknownError (the original as __cause__)
    def failing(kind):
        def gen():
            yield 1
            raise kind("boom")

        return gen

    spec = gf.TensorSpec((), gf.int32)
    for kind, expected in [
        (ValueError, gf.errors.InvalidArgumentError),
        (TypeError, gf.errors.InvalidArgumentError),
        (KeyError, gf.errors.UnknownError),
        (RuntimeError, gf.errors.UnknownError),
    ]:
        it = iter(Dataset.from_generator(failing(kind), output_signature=spec))
        assert int(next(it)) == 1
        with pytest.raises(expected, match="boom") as info:
            next(it)
        assert isinstance(info.value.__cause__, kind)
