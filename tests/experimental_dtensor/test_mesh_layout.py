"""dtensor.Mesh, create_mesh, Layout and the single-client job helpers."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from gpuflow.experimental import dtensor

FULL = "/job:localhost/replica:0/task:0/device:CPU:{}"


def test_create_mesh_names_shape_and_string(six_cpus):
    mesh = dtensor.create_mesh([("x", 3), ("y", 2)], devices=six_cpus)
    assert mesh.dim_names == ["x", "y"]
    assert mesh.shape() == [3, 2] and mesh.size == 6 and mesh.dim_size("y") == 2
    assert mesh.device_type() == "CPU"
    assert mesh.local_devices() == [FULL.format(i) for i in range(6)]
    assert mesh.local_device_locations()[3] == {"x": 1, "y": 1}
    assert mesh.strides == [2, 1]
    np.testing.assert_array_equal(mesh.global_device_ids(), np.arange(6).reshape(3, 2))
    text = mesh.to_string()
    assert text.startswith("|x=3,y=2|0,1,2,3,4,5|0,1,2,3,4,5|/job:localhost/")
    assert dtensor.Mesh.from_string(text) == mesh
    assert repr(mesh) == f"Mesh.from_string({text})"
    assert pickle.loads(pickle.dumps(mesh)) == mesh
    assert "x" in mesh and "z" not in mesh


def test_create_mesh_defaults_and_errors(six_cpus):
    mesh = dtensor.create_mesh()  # every logical CPU on one dimension "x"
    assert mesh.dim_names == ["x"] and mesh.size == 6
    assert dtensor.create_mesh({"b": -1}).shape() == [6]
    with pytest.raises(ValueError, match="must be equal to total size"):
        dtensor.create_mesh([("x", 4)], devices=six_cpus)
    single = dtensor.create_distributed_mesh([("batch", 6)])
    assert single.dim_names == ["batch"] and single.num_local_devices() == 6


def test_layout_constructors_and_string(six_cpus):
    mesh = dtensor.create_mesh([("x", 3), ("y", 2)], devices=six_cpus)
    layout = dtensor.Layout(["x", dtensor.UNSHARDED], mesh)
    assert layout.sharding_specs == ["x", "unsharded"] and layout.rank == 2
    assert layout.mesh == mesh and layout.shape == [3, 2]
    assert layout.num_shards(0) == 3 and layout.num_shards(1) == 1
    assert layout.to_string() == f"sharding_specs:x,unsharded, mesh:{mesh.to_string()}"
    assert dtensor.Layout.from_string(layout.to_string()) == layout
    assert dtensor.Layout.replicated(mesh, rank=2).sharding_specs == ["unsharded"] * 2
    assert dtensor.Layout.batch_sharded(mesh, "y", rank=3).sharding_specs == [
        "y",
        "unsharded",
        "unsharded",
    ]
    assert dtensor.Layout.inner_sharded(mesh, "x", rank=2).sharding_specs == ["unsharded", "x"]
    assert layout.delete([0]).sharding_specs == ["unsharded"]
    assert layout.offset_to_shard()[:3] == [(0, 0), (0, 0), (1, 0)]
    assert not layout.is_fully_replicated()
    assert (dtensor.UNSHARDED, dtensor.MATCH) == ("unsharded", "match")
    assert len({layout, dtensor.Layout.from_string(layout.to_string())}) == 1


def test_layout_rejects_repeated_or_unknown_dims(six_cpus):
    mesh = dtensor.create_mesh([("x", 6)], devices=six_cpus)
    with pytest.raises(ValueError, match="repeated"):
        dtensor.Layout(["x", "x"], mesh)
    with pytest.raises(ValueError, match="valid mesh dimension"):
        dtensor.Layout(["z"], mesh)
    with pytest.raises(ValueError, match="not a valid Mesh"):
        dtensor.Layout(["x"], "mesh")


def test_job_helpers(six_cpus):
    assert dtensor.num_local_devices("CPU") == 6
    assert dtensor.num_global_devices("cpu") == 6
    assert dtensor.num_clients() == 1 and dtensor.client_id() == 0
    assert dtensor.job_name() == "localhost" and dtensor.jobs() == []
    assert dtensor.full_job_name() == "localhost/replica:0/task:0"
    assert not dtensor.heartbeat_enabled()
    specs = dtensor.local_devices("CPU")
    assert [s.device_index for s in specs] == list(range(6))
    assert specs[0].to_string() == FULL.format(0)
    with pytest.raises(ValueError, match="not CPU, GPU, or TPU"):
        dtensor.num_local_devices("FPGA")


def test_scalar_layout_string(six_cpus):
    mesh = dtensor.create_mesh([("x", 6)], devices=six_cpus)
    scalar = dtensor.Layout.replicated(mesh, rank=0)
    assert scalar.to_string() == f"sharding_specs: mesh:{mesh.to_string()}"  # as TF prints
    assert dtensor.Layout.from_string(scalar.to_string()) == scalar
    assert dtensor.Layout.from_string(scalar.to_string()).rank == 0
