"""The Tensor API: properties, conversion, repr, DLPack, Python protocols; Variable."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf


def test_properties(device):
    t = gf.constant(np.arange(6.0).reshape(2, 3), device=device)
    assert t.shape == (2, 3) and isinstance(t.shape, gf.TensorShape)
    assert t.dtype == gf.float64 == np.float64 and t.dtype == "float64"
    assert t.device == device and t.ndim == 2 and t.size == 6 and len(t) == 2
    assert isinstance(t.numpy(), np.ndarray)
    np.testing.assert_array_equal(np.asarray(t), np.arange(6.0).reshape(2, 3))
    assert np.asarray(t, dtype=np.float32).dtype == np.float32
    assert [r.shape for r in t] == [(3,), (3,)]


def test_scalar_numpy_is_a_numpy_scalar_as_in_tensorflow(device):
    # TensorFlow's EagerTensor.numpy() gives np.float32(2.5), not a 0-d array: hashable,
    # so label.numpy() can key a dict (counting classes in a dataset)
    t = gf.constant(2.5, device=device)
    assert type(t.numpy()) is np.float32 and t.numpy() == 2.5
    counts = {gf.constant(3).numpy(): "three"}
    assert counts[np.int32(3)] == "three"
    v = gf.Variable(2, device=device)
    value = v.numpy()
    assert type(value) is np.int32
    v.assign(5)
    assert value == 2 and v.numpy() == 5
    assert gf.constant("ab", device=device).numpy() == b"ab"
    assert type(gf.constant(True, device=device).numpy()) is np.bool_
    # NumPy conversion and item() stay as they were: a 0-d array, a Python scalar
    assert isinstance(np.asarray(t), np.ndarray) and np.asarray(t).shape == ()
    snapshot = np.asarray(v)
    v.assign(7)
    assert snapshot == 5  # a copy of the variable, not its live buffer
    assert type(t.item()) is float and gf.constant("ab").item() == b"ab"
    assert type(gf.constant([[4]]).numpy()) is np.ndarray


def test_python_protocols():
    assert float(gf.constant(2.5)) == 2.5 and int(gf.constant(3)) == 3
    assert bool(gf.constant(True)) and gf.constant([4.0]).item() == 4.0
    assert [10, 20, 30][gf.constant(1)] == 20
    with pytest.raises(ValueError, match="ambiguous"):
        bool(gf.ones([2]))
    with pytest.raises(TypeError, match="only integer tensors"):
        [1, 2][gf.constant(1.0)]
    with pytest.raises(TypeError, match="len\\(\\) of a 0-d tensor"):
        len(gf.constant(1.0))
    with pytest.raises(ValueError, match="item\\(\\): expected a tensor with one element"):
        gf.ones([2]).item()
    # float()/int() of several values: TypeError, as TensorFlow
    with pytest.raises(TypeError, match=r"float\(\): only a 0-d \(scalar\) tensor"):
        float(gf.ones([2]))
    with pytest.raises(TypeError, match=r"int\(\): only a 0-d \(scalar\) tensor"):
        int(gf.ones([2, 2], dtype="int32"))


def test_float_and_int_refuse_one_element_tensors_that_are_not_0d_as_tensorflow():
    # TensorFlow: float(tf.constant([[0.5]])) raises TypeError; bool() takes one element
    for value in ([[0.5]], [0.5]):
        t = gf.constant(value)
        with pytest.raises(TypeError, match=r"received shape \(1"):
            float(t)
        with pytest.raises(TypeError, match=r"int\(\): only a 0-d"):
            int(t)
        assert bool(t) is True
    v = gf.Variable([[1.5]])
    with pytest.raises(TypeError, match=r"float\(\): only a 0-d"):
        float(v)
    assert float(v[0, 0]) == 1.5 and float(gf.squeeze(v)) == 1.5
    assert int(gf.constant(7)) == 7 and gf.constant([[0.5]]).item() == 0.5
    with pytest.raises(TypeError, match="only integer scalar tensors"):
        [10, 20][gf.constant([1])]


def test_np_array_of_a_tensor_is_a_copy():
    t = gf.constant(np.arange(3.0))
    a = np.array(t)
    a[0] = 99.0
    assert float(t[0]) == 0.0


def test_repr_and_str_as_tensorflow():
    t = gf.constant([[1, 2], [3, 4]], device="cpu")
    assert str(t) == "tf.Tensor(\n[[1 2]\n [3 4]], shape=(2, 2), dtype=int32)"
    assert repr(t) == (
        "<tf.Tensor: shape=(2, 2), dtype=int32, numpy=\narray([[1, 2],\n       [3, 4]], "
        "dtype=int32)>"
    )
    assert str(gf.constant(0.1)) == "tf.Tensor(0.1, shape=(), dtype=float32)"
    assert repr(gf.constant(3.5)) == "<tf.Tensor: shape=(), dtype=float32, numpy=3.5>"
    assert str(gf.constant(["a", "b"])) == "tf.Tensor([b'a' b'b'], shape=(2,), dtype=string)"
    assert (
        repr(gf.Variable(1.0, name="w")) == "<tf.Variable 'w:0' shape=() dtype=float32, numpy=1.0>"
    )
    v = gf.Variable([1.0, 2.0])
    assert str(v) == repr(v)
    # a Keras variable (layer weight, optimizer variable, keras.Variable) prints as Keras 3
    assert repr(gf.keras.Variable([[1.0, 2.0]], name="w")) == (
        "<Variable path=w, shape=(1, 2), dtype=float32, value=[[1. 2.]]>"
    )
    dense = gf.keras.layers.Dense(2, bias_initializer="ones")
    dense.build((None, 3))
    assert repr(dense.bias) == (
        f"<Variable path={dense.name}/bias, shape=(2,), dtype=float32, value=[1. 1.]>"
    )
    assert repr(v).endswith("numpy=array([1., 2.], dtype=float32)>")
    big = str(gf.zeros([100, 100]))
    assert "..." in big and len(big) < 600  # NumPy's summary above 1000 values, as TF


def test_variable_repr_shows_its_declared_shape_as_tensorflow():
    # TF 2.21: "<tf.Variable 'Variable:0' shape=<unknown> dtype=float32, numpy=array([[1.]], ...)>"
    v = gf.Variable(1.0, shape=gf.TensorShape(None), name="u")
    v.assign([[1.0]])
    assert repr(v) == (
        "<tf.Variable 'u:0' shape=<unknown> dtype=float32, numpy=array([[1.]], dtype=float32)>"
    )
    w = gf.Variable([[1.0], [2.0]], shape=[None, 1], name="w")
    assert repr(w).startswith("<tf.Variable 'w:0' shape=(None, 1) dtype=float32, numpy=")


def test_dlpack_numpy_zero_copy():
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    t = gf.from_dlpack(a)
    assert t.device == "cpu" and t.shape == (2, 3) and t.dtype == gf.float32
    a[0, 0] = 42.0  # shares memory with the source
    assert float(t[0, 0]) == 42.0
    back = np.from_dlpack(t)
    assert np.shares_memory(back, np.asarray(t))
    assert t.__dlpack_device__()[0] == 1  # kDLCPU


def test_dlpack_torch():
    torch = pytest.importorskip("torch", reason="PyTorch is not installed")
    src = torch.arange(6, dtype=torch.float32).reshape(2, 3)
    t = gf.from_dlpack(src)
    src[0, 0] = 7.0
    assert float(t[0, 0]) == 7.0
    back = torch.from_dlpack(gf.constant([1.0, 2.0]))
    assert back.tolist() == [1.0, 2.0]


def test_dlpack_cuda(gpu):
    import cupy

    src = cupy.arange(4, dtype=cupy.float32)
    t = gf.from_dlpack(src)
    assert t.device == gpu
    src[0] = 9.0
    assert float(t[0]) == 9.0


def test_immutability_of_constants_from_numpy():
    a = np.ones(3, np.float32)
    t = gf.constant(a)
    assert t.dtype == gf.float32


def test_to_device(device):
    t = gf.constant([1.0, 2.0], device="cpu")
    moved = t.to(device)
    assert moved.device == device
    np.testing.assert_array_equal(moved.numpy(), [1.0, 2.0])
    assert t.to("cpu") is t and moved.cpu().device == "cpu"


class TestVariable:
    def test_create_and_read(self):
        v = gf.Variable([1.0, 2.0], name="w")
        assert v.trainable and v.name == "w:0" and v.dtype == gf.float32
        assert isinstance(v, gf.Tensor)
        assert not gf.Variable(1.0, trainable=False).trainable
        assert gf.Variable(lambda: gf.ones([2])).shape == (2,)
        assert gf.Variable([1, 2], dtype="float64").dtype == gf.float64

    def test_never_aliases_its_initial_value(self):
        a = np.ones(2, np.float32)
        v = gf.Variable(a)
        v.assign_add([1.0, 1.0])
        np.testing.assert_array_equal(a, [1.0, 1.0])
        t = gf.constant([1.0, 2.0])
        v2 = gf.Variable(t)
        v2.assign([5.0, 5.0])
        np.testing.assert_array_equal(t.numpy(), [1.0, 2.0])

    def test_numpy_is_a_snapshot(self):
        v = gf.Variable([1.0, 2.0])
        before = v.numpy()
        held = v.read_value()
        v.assign_add([1.0, 1.0])
        np.testing.assert_array_equal(before, [1.0, 2.0])
        np.testing.assert_array_equal(held.numpy(), [1.0, 2.0])
        np.testing.assert_array_equal(v.numpy(), [2.0, 3.0])

    def test_assign_ops(self, device):
        v = gf.Variable(np.zeros((2, 2), np.float32), device=device)
        assert v.device == device
        assert v.assign(np.ones((2, 2))) is v
        v.assign_add(gf.ones([2, 2], device=device))
        v.assign_sub(np.full((2, 2), 0.5))
        np.testing.assert_array_equal(v.numpy(), np.full((2, 2), 1.5))
        assert v.dtype == gf.float32

    def test_assign_shape_errors(self):
        v = gf.Variable(np.zeros((2, 2), np.float32), name="kernel")
        with pytest.raises(
            ValueError,
            match=r"variable 'kernel:0': Shape mismatch. The variable shape \(2, 2\), and "
            r"the assigned value shape \(3,\) are incompatible",
        ):
            v.assign([1.0, 2.0, 3.0])
        with pytest.raises(ValueError, match=r"shape \(\) are incompatible"):
            v.assign(1.0)  # no broadcasting, as TensorFlow and Keras
        with pytest.raises(gf.errors.InvalidArgumentError, match="assign_add: Cannot update"):
            v.assign_add(np.ones((2, 3)))
        with pytest.raises(gf.errors.InvalidArgumentError, match=r"using a Tensor with shape \[\]"):
            v.assign_sub(0.5)

    def test_assign_device_mismatch(self, emu):
        v = gf.Variable([1.0, 2.0], device="cpu", name="w")
        with pytest.raises(ValueError, match="value is on cuda-emu, variable on cpu"):
            v.assign(gf.constant([3.0, 4.0], device=emu))


def test_constant_and_stop_gradient_of_a_variable_are_snapshots():
    v = gf.Variable([1.0, 2.0])
    c = gf.constant(v)
    s = gf.stop_gradient(v)
    assert type(c) is gf.Tensor and type(s) is gf.Tensor
    v.assign([5.0, 5.0])
    np.testing.assert_array_equal(c.numpy(), [1.0, 2.0])
    np.testing.assert_array_equal(s.numpy(), [1.0, 2.0])


def test_numpy_of_a_cpu_tensor_cannot_corrupt_it():
    t = gf.constant([1.0, 2.0])
    copy = t.numpy()  # TF's: a writable copy
    copy[0] = 5.0
    view = np.asarray(t)  # the no-copy read is read-only
    with pytest.raises(ValueError):
        view[0] = 5.0
    assert float(t[0]) == 1.0


def test_constant_copies_the_callers_array(device):
    a = np.ones(3, np.float32)
    t = gf.constant(a, device=device)
    a[0] = 5.0
    assert float(t[0]) == 1.0
    b = np.arange(6.0).reshape(2, 3)[:, ::2]  # a view keeps its dtype and is copied too
    tb = gf.constant(b, device=device)
    b[0, 0] = 9.0
    assert float(tb[0, 0]) == 0.0


def test_format_uses_the_value_as_tensorflow():
    loss = gf.constant(1.5)
    assert f"{loss:.2f}" == "1.50" and "{}".format(loss) == "1.5"
    assert f"{gf.constant([1, 2])}" == "[1 2]"
    with pytest.raises(TypeError):
        f"{gf.constant([1.0, 2.0]):.2f}"  # as NumPy: a format spec needs one value


def test_reshape_takes_scalar_tensors_among_the_sizes():
    x = gf.ones([2, 3, 4])
    assert gf.reshape(x, [gf.shape(x)[0], 12]).shape == (2, 12)
    assert gf.reshape(x, (gf.constant(4), -1)).shape == (4, 6)


def test_scalar_string_repr_keeps_trailing_nul_bytes():
    # TF 2.21: <tf.Tensor: shape=(), dtype=string, numpy=b'ab\x00\x00'> (serialize_tensor's
    # output ends in NULs; NumPy's bytes_ scalar would print b'ab')
    t = gf.constant(b"ab\x00\x00")
    assert repr(t) == "<tf.Tensor: shape=(), dtype=string, numpy=b'ab\\x00\\x00'>"
    assert str(t) == "tf.Tensor(b'ab\\x00\\x00', shape=(), dtype=string)"
    assert repr(gf.io.serialize_tensor(gf.constant(1))).endswith("\\x01\\x00\\x00\\x00'>")


def test_converting_an_unsupported_object_is_a_value_error_as_tensorflow():
    # TF 2.21's messages: "Attempt to convert a value (None) with an unsupported type
    # (<class 'NoneType'>) to a Tensor." and "Can't convert Python sequence with mixed types"
    for value in (None, object(), {1: 2}):
        with pytest.raises(ValueError, match="Attempt to convert a value .* unsupported type"):
            gf.constant(value)
    with pytest.raises(ValueError, match="Can't convert Python sequence with mixed types"):
        gf.constant([1, None])


def test_repr_of_a_scalar_prints_its_python_value_as_tensorflow():
    # TensorFlow 2.21's numpy_text: repr(value.item()) for scalars (NumPy 2)
    assert repr(gf.constant(0.1)).endswith("numpy=0.10000000149011612>")
    assert repr(gf.constant(0.1, "float16")).endswith("numpy=0.0999755859375>")
    assert str(gf.constant(0.1)) == "tf.Tensor(0.1, shape=(), dtype=float32)"
    assert repr(gf.constant(b"ab")).endswith("numpy=b'ab'>")
    assert repr(gf.constant(True)).endswith("numpy=True>")


def test_non_rectangular_lists_raise_tensorflows_error():
    for make in (gf.constant, gf.convert_to_tensor, gf.Variable):
        with pytest.raises(ValueError, match="Can't convert non-rectangular Python sequence"):
            make([[1], [2, 3]])
