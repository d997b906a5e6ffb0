"""DTensors: copy_to_mesh / relayout / pack / unpack / fetch_layout / check_layout."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.experimental import dtensor

FULL = "/job:localhost/replica:0/task:0/device:CPU:{}"


@pytest.fixture
def mesh(six_cpus):
    return dtensor.create_mesh([("x", 3), ("y", 2)], devices=six_cpus)


def _sharded(mesh, specs, value):
    replicated = dtensor.copy_to_mesh(value, dtensor.Layout.replicated(mesh, rank=len(specs)))
    return dtensor.relayout(replicated, dtensor.Layout(specs, mesh))


def test_unpack_gives_each_device_its_shard(mesh):
    value = tf.reshape(tf.range(12), (6, 2))
    d = _sharded(mesh, ["x", dtensor.UNSHARDED], value)
    parts = dtensor.unpack(d)
    assert [p.device for p in parts] == [FULL.format(i) for i in range(6)]
    expected = np.arange(12).reshape(6, 2)
    for i, p in enumerate(parts):  # devices (x, y) = (i // 2, i % 2) hold rows of x
        np.testing.assert_array_equal(p.numpy(), expected[2 * (i // 2) : 2 * (i // 2) + 2])
    both = dtensor.unpack(_sharded(mesh, ["x", "y"], value))
    np.testing.assert_array_equal(both[3].numpy(), expected[2:4, 1:2])


def test_pack_inverts_unpack(mesh):
    value = np.arange(24, dtype=np.float32).reshape(4, 6)
    layout = dtensor.Layout(["y", "x"], mesh)
    d = _sharded(mesh, ["y", "x"], value)
    again = dtensor.pack(dtensor.unpack(d), layout)
    assert dtensor.fetch_layout(again) == layout
    for a, b in zip(dtensor.unpack(again), dtensor.unpack(d)):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    replicated = dtensor.pack([[0, 1]] * 6, dtensor.Layout.replicated(mesh, 1))
    np.testing.assert_array_equal(replicated.numpy(), [0, 1])
    assert replicated.dtype == tf.int32


def test_pack_errors(mesh):
    layout = dtensor.Layout.replicated(mesh, 1)
    with pytest.raises(tf.errors.InvalidArgumentError, match="received 3"):
        dtensor.pack([[0, 1]] * 3, layout)
    with pytest.raises(tf.errors.InvalidArgumentError, match="share shape"):
        dtensor.pack([[0, 1]] * 5 + [[0, 1, 2]], layout)


def test_numpy_of_sharded_is_unimplemented(mesh):
    d = _sharded(mesh, ["x", dtensor.UNSHARDED], tf.ones((3, 2)))
    with pytest.raises(tf.errors.UnimplementedError, match="non-replicated"):
        d.numpy()
    r = _sharded(mesh, [dtensor.UNSHARDED, dtensor.UNSHARDED], tf.ones((3, 2)))
    np.testing.assert_array_equal(r.numpy(), np.ones((3, 2)))
    assert '"CPU:5"' in str(d) and "layout=" in str(r)


def test_fetch_check_layout_and_is_dtensor(mesh):
    layout = dtensor.Layout(["x", dtensor.UNSHARDED], mesh)
    d = _sharded(mesh, ["x", dtensor.UNSHARDED], tf.zeros((3, 2)))
    assert dtensor.is_dtensor(d) and not dtensor.is_dtensor(tf.zeros(2))
    assert dtensor.fetch_layout(d) == layout
    dtensor.check_layout(d, layout)
    with pytest.raises(ValueError, match="did not match"):
        dtensor.check_layout(d, dtensor.Layout.replicated(mesh, 2))
    with pytest.raises(tf.errors.InvalidArgumentError):
        dtensor.fetch_layout(tf.zeros(2))
    with pytest.raises(tf.errors.InvalidArgumentError):
        dtensor.unpack(tf.zeros(2))


def test_relayout_match_and_uneven_shards(mesh):
    d = _sharded(mesh, ["x", "y"], tf.zeros((6, 4)))
    kept = dtensor.relayout(d, dtensor.Layout([dtensor.MATCH, dtensor.UNSHARDED], mesh))
    assert dtensor.fetch_layout(kept).sharding_specs == ["x", "unsharded"]
    assert dtensor.fetch_layout(dtensor.relayout_like(tf.ones((6, 4)), d)) == (
        dtensor.fetch_layout(d)
    )
    with pytest.raises(ValueError, match="divide evenly"):
        _sharded(mesh, ["x"], tf.zeros(4))


def test_call_with_layout_and_default_mesh(mesh):
    layout = dtensor.Layout(["x", "y"], mesh)
    ones = dtensor.call_with_layout(tf.ones, layout, shape=(6, 4))
    assert dtensor.fetch_layout(ones) == layout
    np.testing.assert_array_equal(dtensor.unpack(ones)[0].numpy(), np.ones((2, 2)))
    normal = dtensor.call_with_layout(
        tf.function(tf.random.stateless_normal), layout, shape=(6, 4), seed=(1, 1)
    )
    plain = tf.random.stateless_normal((6, 4), seed=(1, 1))
    np.testing.assert_allclose(
        dtensor.unpack(normal)[5].numpy(), plain.numpy()[4:6, 2:4], rtol=1e-6
    )
    assert dtensor.call_with_layout(tf.ones, None, shape=(2,)).shape == (2,)
    assert dtensor.get_default_mesh() is None
    with dtensor.default_mesh(mesh):
        assert dtensor.get_default_mesh() == mesh
    assert dtensor.get_default_mesh() is None
