"""Tensors read from a Variable keep their values when the variable changes, as in TensorFlow."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf


@pytest.mark.parametrize(
    "read",
    [
        lambda v: gf.reshape(v, [4]),
        lambda v: gf.transpose(v),
        lambda v: v[0],
        lambda v: gf.broadcast_to(v, [3, 2, 2]),
        lambda v: gf.expand_dims(v, 0),
        lambda v: gf.stop_gradient(v),
    ],
)
@pytest.mark.parametrize(
    "change",
    [
        lambda v: v.assign([[9.0, 9.0], [9.0, 9.0]]),
        lambda v: v.assign_add(gf.ones([2, 2])),
        lambda v: v.assign_sub(gf.ones([2, 2])),
        lambda v: gf.keras.optimizers.SGD(1.0).apply_gradients([(gf.ones([2, 2]), v)]),
        lambda v: gf.keras.optimizers.Adam(1.0).apply_gradients([(gf.ones([2, 2]), v)]),
    ],
)
def test_reads_are_snapshots(read, change):
    v = gf.Variable([[1.0, 2.0], [3.0, 4.0]])
    before = read(v)
    expected = before.numpy().copy()
    change(v)
    np.testing.assert_array_equal(before.numpy(), expected)
    assert not np.array_equal(v.numpy(), [[1.0, 2.0], [3.0, 4.0]])


def test_assign_keeps_dtype_and_checks_shape():
    v = gf.Variable(np.zeros((2, 2), "float32"))
    v.assign(np.ones((2, 2), "float64"))
    assert v.dtype == "float32" and v.numpy().sum() == 4
    with pytest.raises(ValueError, match=r"The variable shape \(2, 2\)"):
        v.assign(np.ones(3))


def test_gradient_after_update_uses_values_of_the_forward_pass():
    v = gf.Variable([2.0])
    with gf.GradientTape() as tape:
        y = v * v  # dy/dv = 2v = 4 at the forward pass
    v.assign([100.0])
    assert tape.gradient(y, v).numpy().tolist() == [4.0]


def test_optimizer_never_updates_the_array_a_live_graph_holds():
    """A custom loop keeps the loss (and so the recorded graph) alive across the update."""
    v = gf.Variable([[1.0, 2.0], [3.0, 4.0]])
    opt = gf.keras.optimizers.SGD(0.5)
    with gf.GradientTape(persistent=True) as tape:
        y = gf.reshape(v, [4])  # a view of v's array, saved by the graph
        loss = gf.reduce_sum(y * y)
    held = v._data
    opt.apply_gradients([(tape.gradient(loss, v), v)])
    np.testing.assert_array_equal(y.numpy(), [1.0, 2.0, 3.0, 4.0])
    np.testing.assert_array_equal(held, [[1.0, 2.0], [3.0, 4.0]])
    assert v._data is not held
    np.testing.assert_allclose(v.numpy(), [[0.0, 0.0], [0.0, 0.0]])


def test_update_buffer_follows_the_reader_rule():
    """In place exactly when no tensor an op made from the variable is alive."""
    v = gf.Variable(np.ones((2, 2), "float32"))
    assert v._update_buffer(np.float32) is v._data  # nothing read it: in place
    view = gf.reshape(v, [4])
    buffer = v._update_buffer(np.float32)
    assert buffer is not v._data and not np.shares_memory(buffer, v._data)
    del view  # the only reader is gone: in place again
    assert v._update_buffer(np.float32) is v._data


def test_update_buffer_copies_for_float16_and_untracked_variables():
    half = gf.Variable(np.ones((3,), "float16"))
    frozen = gf.Variable(np.ones((3,), "float32"), trainable=False)  # its reads are not noted
    for var in (half, frozen):
        buffer = var._update_buffer(np.float32)
        assert buffer.dtype == np.float32 and not np.shares_memory(buffer, var._data)


def test_reads_without_a_tape_are_noted_too():
    v = gf.Variable([1.0, 2.0])
    row = v[0]  # no tape records: the view is still a reader
    gf.keras.optimizers.SGD(1.0).apply_gradients([(gf.ones([2]), v)])
    assert row.numpy() == 1.0
