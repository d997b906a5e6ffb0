"""DTensor on one machine: split the CPU into six logical devices, lay tensors out over a
3x2 mesh, read each device's shard, and check the layouts that matmul, elementwise ops and
reductions give (values as on plain tensors)."""

import numpy as np
import tensorflow as tf
from tensorflow.experimental import dtensor

cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 6)
logical = tf.config.list_logical_devices("CPU")
assert [d.name for d in logical] == [f"/device:CPU:{i}" for i in range(6)]
assert dtensor.num_local_devices("CPU") == 6 and dtensor.num_clients() == 1
assert dtensor.client_id() == 0 and dtensor.job_name() == "localhost"

devices = [f"CPU:{i}" for i in range(6)]
grid = dtensor.create_mesh([("rows", 3), ("cols", 2)], devices=devices)
assert grid.dim_names == ["rows", "cols"] and grid.shape() == [3, 2] and grid.size == 6
assert grid.local_devices()[4] == "/job:localhost/replica:0/task:0/device:CPU:4"
assert grid.local_device_locations()[5] == {"rows": 2, "cols": 1}
assert dtensor.Mesh.from_string(grid.to_string()) == grid

U = dtensor.UNSHARDED
by_rows = dtensor.Layout(["rows", U], grid)
assert by_rows.rank == 2 and by_rows.sharding_specs == ["rows", "unsharded"]
assert by_rows.to_string().startswith("sharding_specs:rows,unsharded, mesh:|rows=3,cols=2|")
assert dtensor.Layout.from_string(by_rows.to_string()) == by_rows
assert dtensor.Layout.batch_sharded(grid, "rows", rank=2) == by_rows
assert dtensor.Layout.inner_sharded(grid, "cols", rank=3).sharding_specs == [U, U, "cols"]
assert dtensor.Layout.replicated(grid, rank=1).sharding_specs == [U]

try:
    dtensor.Layout(["rows", "rows"], grid)
    raise AssertionError("a mesh dimension used twice must be refused")
except ValueError:
    pass


def lay_out(value, layout):
    whole = dtensor.copy_to_mesh(value, dtensor.Layout.replicated(grid, rank=layout.rank))
    return dtensor.relayout(whole, layout)


table = np.arange(24, dtype=np.float32).reshape(6, 4)
sharded = lay_out(tf.constant(table), dtensor.Layout(["rows", "cols"], grid))
assert dtensor.is_dtensor(sharded) and not dtensor.is_dtensor(tf.constant(table))
assert sharded.shape == (6, 4) and sharded.dtype == tf.float32
pieces = dtensor.unpack(sharded)
assert len(pieces) == 6
assert pieces[3].device == "/job:localhost/replica:0/task:0/device:CPU:3"
np.testing.assert_array_equal(pieces[3].numpy(), table[2:4, 2:4])  # rows 1, cols 1
np.testing.assert_array_equal(pieces[4].numpy(), table[4:6, 0:2])
again = dtensor.pack(pieces, dtensor.Layout(["rows", "cols"], grid))
assert dtensor.fetch_layout(again) == dtensor.fetch_layout(sharded)
np.testing.assert_array_equal(dtensor.unpack(again)[5].numpy(), table[4:6, 2:4])

try:
    sharded.numpy()
    raise AssertionError("a sharded DTensor has no single value to copy")
except tf.errors.UnimplementedError:
    pass
whole = lay_out(tf.constant(table), dtensor.Layout.replicated(grid, rank=2))
np.testing.assert_array_equal(whole.numpy(), table)
dtensor.check_layout(whole, dtensor.Layout([U, U], grid))

# matmul: rows of a, columns of b; a sharded contracted axis leaves no sharding
left = lay_out(tf.constant(table[:2, :3]), dtensor.Layout(["cols", "rows"], grid))
right = lay_out(tf.constant(table[:3, :2]), dtensor.Layout(["rows", U], grid))
product = tf.matmul(left, right)
assert dtensor.fetch_layout(product).sharding_specs == ["cols", U]
expected = table[:2, :3] @ table[:3, :2]
np.testing.assert_allclose(dtensor.unpack(product)[1].numpy(), expected[1:2])

# elementwise ops keep the sharding; reductions drop the reduced axis
shifted = sharded * 2.0 + 1.0
assert dtensor.fetch_layout(shifted).sharding_specs == ["rows", "cols"]
np.testing.assert_array_equal(dtensor.unpack(shifted)[0].numpy(), table[0:2, 0:2] * 2 + 1)
col_sums = tf.reduce_sum(sharded, axis=0)
assert dtensor.fetch_layout(col_sums).sharding_specs == ["cols"]
np.testing.assert_array_equal(dtensor.unpack(col_sums)[1].numpy(), table.sum(0)[2:4])
total = tf.reduce_sum(sharded)
assert dtensor.fetch_layout(total).sharding_specs == []
assert float(total.numpy()) == float(table.sum())
assert dtensor.fetch_layout(tf.transpose(sharded)).sharding_specs == ["cols", "rows"]

# a plain non-scalar tensor is not taken as a DTensor (scalars are)
try:
    sharded + tf.ones((6, 4))
    raise AssertionError("a regular tensor must be copied to the mesh first")
except tf.errors.UnimplementedError:
    pass
assert dtensor.fetch_layout(sharded + tf.constant(1.0)).sharding_specs == ["rows", "cols"]
line = dtensor.create_mesh([("all", 6)], devices=devices)
elsewhere = dtensor.copy_to_mesh(tf.constant(table), dtensor.Layout.replicated(line, rank=2))
try:
    whole + elsewhere
    raise AssertionError("DTensors on different meshes do not mix")
except tf.errors.OpError:  # TF: UnknownError from its layout pass; gpuflow: InvalidArgument
    pass

ones = dtensor.call_with_layout(tf.ones, dtensor.Layout(["rows", "cols"], grid), shape=(3, 4))
assert dtensor.fetch_layout(ones).sharding_specs == ["rows", "cols"]
np.testing.assert_array_equal(dtensor.unpack(ones)[2].numpy(), np.ones((1, 2)))
print("dtensor mesh and sharding: ok")
