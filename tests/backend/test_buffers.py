"""The reused CPU buffers of a compiled step's replay (gpuflow/backend/buffers.py)."""

import numpy as np
import pytest

import gpuflow as gf
from gpuflow.backend import buffers
from gpuflow.backend.buffers import BufferPool

BIG = (256, 256)  # 256 KiB of float32: pooled
F32 = np.dtype(np.float32)


def test_outside_a_pool_every_array_is_new():
    a = buffers.empty(BIG, F32)
    del a
    b = buffers.empty(BIG, F32)
    c = buffers.empty(BIG, F32)
    assert b is not c


def test_an_unreferenced_array_is_handed_out_again():
    pool = BufferPool()
    with pool.active():
        a = buffers.empty(BIG, F32)
        first = id(a)
        del a
        b = buffers.empty(BIG, F32)
    assert id(b) == first
    assert pool.nbytes == 256 * 256 * 4


def test_a_referenced_array_or_one_with_a_live_view_is_not_reused():
    pool = BufferPool()
    with pool.active():
        a = buffers.empty(BIG, F32)
        b = buffers.empty(BIG, F32)
        assert b is not a
        view = b[:10]
        del b
        c = buffers.empty(BIG, F32)
        assert c is not a and c.base is None and view.base is not c
    assert pool.nbytes == 3 * 256 * 256 * 4


def test_small_arrays_and_other_shapes_or_dtypes_are_not_pooled():
    pool = BufferPool()
    with pool.active():
        small = buffers.empty((4, 4), F32)
        del small
        other = buffers.empty(BIG, np.dtype(np.float64))
        del other
        buffers.empty((128, 512), F32)
    assert pool.nbytes == 256 * 256 * 8 + 128 * 512 * 4


def test_the_pool_is_only_active_inside_its_block():
    pool = BufferPool()
    with pool.active():
        pass
    buffers.empty(BIG, F32)
    assert pool.nbytes == 0


def test_results_a_compiled_function_returned_survive_later_calls():
    f = gf.function(lambda a, b: gf.nn.relu(gf.matmul(a, b)))
    rng = np.random.default_rng(0)
    inputs = [
        (rng.standard_normal((128, 256), np.float32), rng.standard_normal((256, 256), np.float32))
        for _ in range(4)
    ]
    results = [f(gf.constant(a), gf.constant(b)) for a, b in inputs]
    for (a, b), r in zip(inputs, results):
        np.testing.assert_allclose(r.numpy(), np.maximum(a @ b, 0), rtol=1e-5, atol=1e-4)
    assert len({id(r._data) for r in results}) == 4


def test_gradients_a_compiled_step_returned_survive_later_steps():
    w = gf.Variable(np.ones((256, 128), np.float32))

    @gf.function
    def grads(x):
        with gf.GradientTape() as tape:
            loss = gf.reduce_sum(gf.matmul(x, w) ** 2)
        return tape.gradient(loss, w)

    xs = [np.full((64, 256), i + 1, np.float32) for i in range(3)]
    got = [grads(gf.constant(x)) for x in xs]
    for x, g in zip(xs, got):
        np.testing.assert_allclose(g.numpy(), 2 * x.T @ (x @ np.ones((256, 128))), rtol=1e-6)


def test_a_caller_holding_every_result_does_not_grow_the_pool_beyond_its_cap():
    pool = BufferPool()
    held = []
    with pool.active():
        for _ in range(buffers.MAX_PER_SHAPE + 5):
            held.append(buffers.empty(BIG, F32))
    assert len({id(a) for a in held}) == len(held)
    assert pool.nbytes == buffers.MAX_PER_SHAPE * 256 * 256 * 4


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.int32, np.uint8])
@pytest.mark.parametrize("size", [0, 7, buffers.ZERO_RUN, 2 * buffers.ZERO_RUN + 5])
def test_relu_equals_numpy_maximum_on_every_run(size, dtype):
    x = (np.random.default_rng(0).standard_normal(size) * 10).astype(dtype)
    np.testing.assert_array_equal(buffers.relu(x), np.maximum(x, 0))


def test_relu_keeps_shape_nan_and_writes_into_out():
    x = np.array([[-1.0, np.nan], [0.5, -0.0]], np.float32)
    out = np.full_like(x, 7)
    assert buffers.relu(x, out=out) is out
    np.testing.assert_array_equal(out, [[0.0, np.nan], [0.5, 0.0]])
    buffers.relu(out, out=out)  # in place
    np.testing.assert_array_equal(out, [[0.0, np.nan], [0.5, 0.0]])


def test_relu_of_a_strided_view():
    x = np.arange(-12.0, 12.0).reshape(4, 6)[:, ::2]
    np.testing.assert_array_equal(buffers.relu(x), np.maximum(x, 0))


def test_relu_zero_run_stays_zero_and_read_only():
    x = -np.ones(5, np.float64)
    buffers.relu(x, out=x)
    run = buffers._zero_run(np.dtype(np.float64))
    assert not run.flags.writeable and not run.any()
