"""Variables: assignments return the variable, sliced and scatter updates, differentiable
reads, and reads that never change when the variable is assigned later."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf


def test_assignments_return_the_variable(device):
    v = tf.Variable(tf.constant([1.0, 2.0], device=device))
    assert v.assign([3.0, 4.0]) is v
    assert v.assign_add([1.0, 1.0]) is v and v.assign_sub([0.5, 0.5]) is v
    np.testing.assert_array_equal(v.numpy(), [3.5, 4.5])
    assert v.assign([0.0, 0.0], read_value=False) is None
    with pytest.raises(ValueError, match=r"Shape mismatch. The variable shape \(2,\)"):
        v.assign([1.0, 2.0, 3.0])


def test_sliced_assignment_and_scatter_updates(device):
    v = tf.Variable(tf.zeros([4], device=device))
    assert v[1:3].assign([5.0, 6.0]) is v
    np.testing.assert_array_equal(v.numpy(), [0, 5, 6, 0])
    v.scatter_nd_update([[0], [3]], [1.0, 2.0])
    np.testing.assert_array_equal(v.numpy(), [1, 5, 6, 2])
    v.scatter_nd_add([[0]], [10.0]).scatter_nd_sub([[3]], [1.0])
    np.testing.assert_array_equal(v.numpy(), [11, 5, 6, 1])
    m = tf.Variable(np.zeros((2, 3)))
    m[:, 1].assign([7.0, 8.0])
    np.testing.assert_array_equal(m.numpy()[:, 1], [7, 8])
    with pytest.raises(ValueError, match="Variable.assign: value of shape"):
        m[0].assign([1.0, 2.0])
    with pytest.raises(ValueError, match="scatter_nd_update"):
        v.scatter_nd_update([[7]], [1.0])


def test_tensor_scatter_nd_ops():
    t = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    idx = [[0], [2]]
    upd = tf.constant([[10.0, 20.0], [30.0, 40.0]])
    np.testing.assert_array_equal(
        tf.tensor_scatter_nd_update(t, idx, upd).numpy(), [[10, 20], [3, 4], [30, 40]]
    )
    np.testing.assert_array_equal(
        tf.tensor_scatter_nd_add(t, idx, upd).numpy(), [[11, 22], [3, 4], [35, 46]]
    )
    np.testing.assert_array_equal(tf.tensor_scatter_nd_sub(t, [[1, 1]], [1.0]).numpy()[1], [3, 3])
    with tf.GradientTape() as tape:
        tape.watch([t, upd])
        y = tf.reduce_sum(tf.tensor_scatter_nd_update(t, idx, upd) * 2.0)
    gt, gu = tape.gradient(y, [t, upd])
    np.testing.assert_array_equal(gt.numpy(), [[0, 0], [2, 2], [0, 0]])
    np.testing.assert_array_equal(gu.numpy(), np.full((2, 2), 2.0))
    with pytest.raises(ValueError, match="tensor_scatter_nd_update: updates must have shape"):
        tf.tensor_scatter_nd_update(t, idx, [1.0])


@pytest.mark.parametrize("read", ["read_value", "value", "convert_to_tensor", "identity"])
def test_reads_are_differentiable(read):
    v = tf.Variable([1.0, 2.0])
    reader = {
        "read_value": lambda: v.read_value(),
        "value": lambda: v.value(),
        "convert_to_tensor": lambda: tf.convert_to_tensor(v),
        "identity": lambda: tf.identity(v),
    }[read]
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(reader() * 3.0)
    np.testing.assert_array_equal(tape.gradient(y, v).numpy(), [3.0, 3.0])


@pytest.mark.parametrize("read", ["reshape", "cast", "read_value", "identity", "convert"])
def test_reads_do_not_change_when_the_variable_is_assigned(read):
    v = tf.Variable([[1.0, 2.0]])
    out = {
        "reshape": lambda: tf.reshape(v, [1, 2]),
        "cast": lambda: tf.cast(v, tf.float32),
        "read_value": v.read_value,
        "identity": lambda: tf.identity(v),
        "convert": lambda: tf.convert_to_tensor(v),
    }[read]()
    assert out is not v
    v.assign([[5.0, 6.0]])
    v.assign_add([[1.0, 1.0]])
    np.testing.assert_array_equal(out.numpy(), [[1.0, 2.0]])


def test_trainable_false_and_properties():
    v = tf.Variable(1.0, trainable=False, name="counter")
    assert not v.trainable and v.name == "counter:0" and v.dtype == tf.float32 and v.shape == ()
    with tf.GradientTape() as tape:
        y = v * 2.0
    assert tape.gradient(y, v) is None


def test_names_and_paths_as_tensorflow_and_keras_3():
    # tf.Variable: "<name>:0", "Variable:0" unnamed; a layer's weight: its own name, and the
    # path "<layer>/<weight>"; keras.Variable: its name, which is also its path
    assert tf.Variable(1.0, name="w").name == "w:0" and tf.Variable(1.0).name == "Variable:0"
    assert tf.Variable(1.0, name="w").path == "w"
    dense = tf.keras.layers.Dense(2, name="dd")
    dense.build((None, 3))
    assert [w.name for w in dense.weights] == ["kernel", "bias"]
    assert [w.path for w in dense.weights] == ["dd/kernel", "dd/bias"]
    v = tf.keras.Variable(np.zeros(2), name="v")
    assert v.name == "v" and v.path == "v"


def test_scatter_methods_take_indexed_slices(device):
    with tf.device(device):
        v = tf.Variable([[7, -7], [9, 4]])
        rows = tf.constant([0, 0])
        assert v.scatter_div(tf.IndexedSlices(tf.constant([[2, 2], [3, -3]]), rows)) is v
        assert v.numpy().tolist() == [[1, 1], [9, 4]]  # 7 / 6 and -7 / -6 truncate, as TF
        v.scatter_mul(tf.IndexedSlices(tf.constant([[2, 3]]), tf.constant([1])))
        v.scatter_add(tf.IndexedSlices(tf.constant([[1, 1], [1, 1]]), rows))
        v.scatter_sub(tf.IndexedSlices(tf.constant([[0, 5]]), tf.constant([1])))
        assert v.numpy().tolist() == [[3, 3], [18, 7]]
        v.scatter_max(tf.IndexedSlices(tf.constant([[5, 0]]), tf.constant([0])))
        v.scatter_min(tf.IndexedSlices(tf.constant([[0, 100]]), tf.constant([1])))
        v.scatter_update(tf.IndexedSlices(tf.constant([[-1, -2]]), tf.constant([0])))
        assert v.numpy().tolist() == [[-1, -2], [0, 7]]
        f = tf.Variable([1.0, 2.0, 3.0])
        f.scatter_nd_max([[0], [2]], [5.0, 1.0])
        f.scatter_nd_min([[2]], [-1.0])
        assert f.numpy().tolist() == [5.0, 2.0, -1.0]
    with pytest.raises(TypeError, match="scatter_update: argument `sparse_delta`"):
        f.scatter_update([1, 2])
    with pytest.raises(tf.errors.InvalidArgumentError, match="scatter_add: updates must"):
        f.scatter_add(tf.IndexedSlices(tf.constant([[1.0, 2.0]]), tf.constant([0])))


def test_scatter_and_sliced_assign_replay_in_functions():
    v = tf.Variable([1.0, 2.0, 3.0, 4.0])

    @tf.function
    def step(x, i):
        v.scatter_nd_update([[0]], [x])
        v[1:2].assign([x * 2])
        v[i].assign(x * 3)
        v.scatter_add(tf.IndexedSlices(tf.stack([x, x]), tf.constant([3, 3])))
        return v.read_value()

    assert step(tf.constant(5.0), tf.constant(2)).numpy().tolist() == [5, 10, 15, 14]
    assert step(tf.constant(6.0), tf.constant(2)).numpy().tolist() == [6, 12, 18, 26]
    assert step(tf.constant(7.0), tf.constant(3)).numpy().tolist() == [7, 14, 18, 35]


def test_sparse_read_gather_nd_and_out_of_bounds_indices():
    v = tf.Variable([[1, 2], [3, 4]])
    assert v.sparse_read([1]).numpy().tolist() == [[3, 4]]
    assert v.gather_nd([[1, 0]]).numpy().tolist() == [3]
    t = tf.reshape(tf.range(24), [2, 3, 4])
    with pytest.raises(tf.errors.InvalidArgumentError, match="getitem"):
        t[5]
    with pytest.raises(IndexError):  # also an IndexError, as Python's sequences raise
        t[5]
    assert [row.numpy().tolist() for row in tf.constant([[1], [2]])] == [[1], [2]]


def test_value_is_a_method_of_tf_variables_and_a_property_of_keras_ones():
    v = tf.Variable([1.0, 2.0])
    assert v.value().numpy().tolist() == [1.0, 2.0]  # tf.Variable.value()
    dense = tf.keras.layers.Dense(1, kernel_initializer="ones")
    dense.build((None, 2))
    assert dense.kernel.value is dense.kernel  # Keras 3: variable.value, no call
    assert dense.kernel.value.numpy().tolist() == [[1.0], [1.0]]


def test_assign_never_casts_a_tensor_of_another_dtype():
    v = tf.Variable([1.0, 2.0])
    for op in ("assign", "assign_add", "assign_sub"):
        with pytest.raises(ValueError, match="requested dtype float32 for Tensor with dtype int32"):
            getattr(v, op)(tf.constant([1, 2]))
    v.assign([3, 4])  # Python and NumPy values still convert
    v.assign_add(np.array([1.0, 1.0]))
    assert v.numpy().tolist() == [4.0, 5.0]


def test_shape_of_a_variable_with_free_axes_is_its_values_shape():
    v = tf.Variable(tf.zeros([2, 3]), shape=[None, 3])
    v.assign(tf.ones([4, 3]))
    assert tf.shape(v).numpy().tolist() == [4, 3] and v.shape.as_list() == [None, 3]
