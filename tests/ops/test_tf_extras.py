"""Top-level names added by helper nnextra: tf.sets, tf.edit_distance, tf.as_string,
tf.bitcast, tf.fingerprint (FarmHash64), tf.Assert, tf.grad_pass_through,
tf.extract_volume_patches, tf.parallel_stack, tf.get_current_name_scope, the Variable
enums, tf.DeviceSpec, the TypeSpecs and tf.debugging.assert_proper_iterable. Expected values
are literals from TensorFlow 2.21 (tensorflow-cpu) unless a NumPy reference is named."""

from __future__ import annotations

import struct

import numpy as np
import pytest

import gpuflow as gf
from gpuflow.errors import InvalidArgumentError
from gpuflow.strings._farmhash import fingerprint64


def _sp(st):
    return st.indices.numpy().tolist(), st.values.numpy().tolist(), st.dense_shape.numpy().tolist()


def test_sets_match_tensorflow():
    a, b = gf.constant([[1, 2, 3], [4, 5, 5]]), gf.constant([[2, 3, 7], [6, 4, 1]])
    assert _sp(gf.sets.intersection(a, b)) == ([[0, 0], [0, 1], [1, 0]], [2, 3, 4], [2, 2])
    union = gf.sets.union(a, b)
    assert union.values.numpy().tolist() == [1, 2, 3, 7, 1, 4, 5, 6]
    assert union.dense_shape.numpy().tolist() == [2, 4]
    assert _sp(gf.sets.difference(a, b)) == ([[0, 0], [1, 0]], [1, 5], [2, 1])
    assert gf.sets.difference(a, b, aminusb=False).values.numpy().tolist() == [7, 1, 6]
    sp = gf.sparse.from_dense(gf.constant([[1, 0, 3], [0, 0, 0], [2, 2, 0]]))
    assert gf.sets.size(sp).numpy().tolist() == [2, 0, 1]
    assert gf.sets.size(sp).dtype == gf.int32
    u = gf.sets.union(sp, gf.constant([[5, 5, 1], [0, 1, 2], [9, 8, 7]]))
    assert u.values.numpy().tolist() == [1, 3, 5, 0, 1, 2, 2, 7, 8, 9]
    assert u.dense_shape.numpy().tolist() == [3, 4]
    a3 = gf.constant([[[1, 2], [3, 3]], [[4, 5], [5, 6]]])
    r = gf.sets.intersection(a3, gf.constant([[[2, 2], [3, 1]], [[4, 4], [0, 6]]]))
    assert _sp(r) == ([[0, 0, 0], [0, 1, 0], [1, 0, 0], [1, 1, 0]], [2, 3, 4, 6], [2, 2, 1])
    s = gf.sets.union(gf.constant([[b"a", b"c"]]), gf.constant([[b"b", b"a"]]))
    assert s.values.numpy().tolist() == [b"a", b"b", b"c"]
    with pytest.raises(TypeError, match="Expected `SparseTensor`"):
        gf.sets.size(gf.constant([[1, 2]]))
    with pytest.raises(InvalidArgumentError, match="sets.union.*last dimension"):
        gf.sets.union(a, gf.constant([[1, 2]]))


def test_edit_distance_matches_tensorflow():
    h = gf.SparseTensor(
        [[0, 0, 0], [0, 0, 1], [1, 0, 0], [1, 0, 1]], gf.constant(["a", "b", "c", "d"]), [2, 1, 2]
    )
    t = gf.SparseTensor(
        [[0, 0, 0], [0, 0, 1], [0, 0, 2], [1, 0, 0]], gf.constant(["a", "x", "b", "c"]), [2, 1, 3]
    )
    d = gf.edit_distance(h, t)
    assert d.dtype == gf.float32
    np.testing.assert_allclose(d.numpy(), [[1 / 3], [1.0]])
    np.testing.assert_allclose(gf.edit_distance(h, t, normalize=False).numpy(), [[1.0], [1.0]])
    h2 = gf.SparseTensor([[0, 0], [1, 0]], gf.constant([1, 2], gf.int64), [3, 2])
    t2 = gf.SparseTensor([[0, 0], [0, 1], [2, 0]], gf.constant([1, 3, 4], gf.int64), [3, 3])
    assert gf.edit_distance(h2, t2).numpy().tolist() == [0.5, np.inf, 1.0]
    assert gf.edit_distance(h2, t2, normalize=False).numpy().tolist() == [1.0, 1.0, 1.0]
    with pytest.raises(InvalidArgumentError, match="edit_distance.*dtype"):
        gf.edit_distance(h2, gf.SparseTensor([[0, 0]], gf.constant([1.0]), [1, 1]))


def test_as_string_matches_tensorflow():
    def s(x, **kw):
        return gf.as_string(x, **kw).numpy().tolist()

    assert s(gf.constant([1.5, 2.25, -3.0])) == [b"1.500000", b"2.250000", b"-3.000000"]
    assert s(gf.constant([1.5, 2.25e10]), precision=2) == [b"1.50", b"22499999744.00"]
    assert s(gf.constant([1.5, 2.25e10]), scientific=True) == [b"1.500000e+00", b"2.250000e+10"]
    assert s(gf.constant([1.5, 2.25e10]), shortest=True) == [b"1.5", b"2.25e+10"]
    assert s(gf.constant([3, -12]), width=5) == [b"    3", b"  -12"]
    assert s(gf.constant([3, -12]), width=5, fill="0") == [b"00003", b"-0012"]
    assert s(gf.constant([True, False])) == [b"true", b"false"]
    assert s(gf.constant([1e-7, 123456789.0])) == [b"0.000000", b"123456792.000000"]
    assert s(gf.constant([1 + 2j], gf.complex64)) == [b"(1.000000,2.000000)"]


def test_bitcast_matches_tensorflow():
    assert gf.bitcast(gf.constant([1.0, 2.0]), gf.int32).numpy().tolist() == [
        1065353216,
        1073741824,
    ]
    assert gf.bitcast(gf.constant([1, 2], gf.int32), gf.uint8).numpy().tolist() == [
        [1, 0, 0, 0],
        [2, 0, 0, 0],
    ]
    assert gf.bitcast(gf.constant([[1, 2, 3, 4]], gf.uint8), gf.int32).numpy().tolist() == [
        67305985
    ]
    with pytest.raises(InvalidArgumentError, match="bitcast"):
        gf.bitcast(gf.constant([1, 2, 3], gf.uint8), gf.int32)


def test_fingerprint_matches_tensorflow():
    assert gf.fingerprint(gf.constant(["hello", "world"])).numpy().tolist() == [
        [232, 12, 56, 49, 169, 229, 139, 180],
        [110, 180, 184, 94, 67, 84, 26, 228],
    ]
    assert gf.fingerprint(gf.constant([[1, 2], [3, 4]])).numpy().tolist() == [
        [76, 18, 253, 133, 168, 204, 240, 10],
        [254, 162, 60, 240, 103, 244, 53, 255],
    ]
    assert gf.fingerprint(gf.constant([1.5])).numpy().tolist() == [
        [64, 181, 56, 72, 223, 224, 189, 72]
    ]
    assert gf.fingerprint(gf.constant([["ab", "c"], ["d", ""]])).numpy().tolist() == [
        [65, 83, 39, 149, 164, 245, 170, 22],
        [62, 144, 23, 73, 253, 75, 141, 195],
    ]
    assert gf.fingerprint(gf.constant([[1.5, 2.0]], gf.float64)).dtype == gf.uint8


@pytest.mark.parametrize(
    "length,want",
    [  # TF 2.21: tf.fingerprint([bytes(range(length))]), one length per FarmHash branch
        (0, [79, 64, 144, 47, 59, 106, 225, 154]),
        (3, [154, 164, 235, 233, 34, 61, 161, 148]),
        (8, [152, 59, 233, 232, 225, 19, 90, 173]),
        (17, [28, 31, 13, 242, 248, 166, 182, 187]),
        (40, [140, 70, 73, 123, 147, 91, 244, 8]),
        (64, [75, 204, 222, 83, 187, 4, 133, 245]),
        (65, [190, 61, 121, 62, 44, 40, 163, 198]),
        (200, [179, 111, 214, 38, 204, 127, 76, 7]),
    ],
)
def test_farmhash_matches_tensorflow_on_every_length_branch(length, want):
    data = bytes(range(length))
    assert list(struct.pack("<Q", fingerprint64(data))) == want
    assert gf.fingerprint(gf.constant([data])).numpy()[0].tolist() == want


def test_assert_and_assert_proper_iterable():
    assert gf.Assert(True, [1]) is None
    with pytest.raises(
        InvalidArgumentError, match=r"to be true. Summarized data: 0, 1, 2, 3, ...\nb'abc'\n2.5"
    ):
        gf.Assert(gf.constant(False), [gf.range(10), "abc", gf.constant(2.5)], summarize=4)
    with pytest.raises(InvalidArgumentError, match="Summarized data: 1, 2"):
        gf.debugging.Assert(gf.constant(False), [gf.constant([1, 2])])
    with pytest.raises(TypeError, match='"proper" iterable'):
        gf.debugging.assert_proper_iterable(gf.constant([1]))
    with pytest.raises(TypeError, match='"proper" iterable'):
        gf.debugging.assert_proper_iterable("ab")
    with pytest.raises(TypeError, match="to be iterable"):
        gf.debugging.assert_proper_iterable(3)
    assert gf.debugging.assert_proper_iterable([1, 2]) is None


def test_assert_checks_every_call_of_a_function():
    @gf.function
    def f(x):
        gf.Assert(gf.reduce_all(x > 0), [x])
        return x * 2

    assert f(gf.constant([1.0, 2.0])).numpy().tolist() == [2.0, 4.0]
    with pytest.raises(InvalidArgumentError, match="to be true. Summarized data: -1"):
        f(gf.constant([-1.0, 2.0]))  # the compiled call checks its own values


def test_grad_pass_through_is_straight_through():
    x = gf.Variable([1.4, 2.6])
    with gf.GradientTape() as tape:
        y = gf.grad_pass_through(gf.round)(x) * gf.constant([2.0, 3.0])
    assert y.numpy().tolist() == [2.0, 9.0]
    assert tape.gradient(y, x).numpy().tolist() == [2.0, 3.0]


def test_extract_volume_patches_matches_tensorflow_and_reference():
    x = np.arange(2 * 4 * 5 * 3 * 2, dtype=np.float32).reshape(2, 4, 5, 3, 2)
    p = gf.extract_volume_patches(x, [1, 2, 3, 2, 1], [1, 2, 1, 2, 1], "SAME").numpy()
    assert p.shape == (2, 2, 5, 2, 24) and p.sum() == 74568.0
    assert p[1, 1, 2, 1, :8].tolist() == [190, 191, 0, 0, 196, 197, 0, 0]
    p = gf.extract_volume_patches(x, [1, 3, 2, 2, 1], [1, 1, 2, 1, 1], "VALID").numpy()
    assert p.shape == (2, 2, 2, 2, 24) and p.sum() == 44736.0
    np.testing.assert_array_equal(p[0, 1, 1, 0], x[0, 1:4, 2:4, 0:2].reshape(-1))


def test_parallel_stack_name_scope_and_symbolic():
    with pytest.raises(RuntimeError, match="not compatible with eager execution"):
        gf.parallel_stack([gf.constant([1, 2]), gf.constant([3, 4])])

    @gf.function
    def stacked(a, b):
        return gf.parallel_stack([a, b])

    assert stacked(gf.constant([1, 2]), gf.constant([3, 4])).numpy().tolist() == [[1, 2], [3, 4]]
    assert gf.get_current_name_scope() == ""
    with gf.name_scope("a"):
        with gf.name_scope("b"):
            assert gf.get_current_name_scope() == "a/b"
    assert gf.is_symbolic_tensor(gf.constant(1)) is False


def test_variable_enums_and_aggregation_method():
    assert [m.value for m in gf.VariableAggregation] == [0, 1, 2, 3]
    assert [m.name for m in gf.VariableSynchronization] == ["AUTO", "NONE", "ON_WRITE", "ON_READ"]
    v = gf.Variable(
        1.0,
        aggregation=gf.VariableAggregation.MEAN,
        synchronization=gf.VariableSynchronization.ON_READ,
        trainable=False,
    )
    assert v.aggregation is gf.VariableAggregation.MEAN
    assert v.synchronization is gf.VariableSynchronization.ON_READ
    w = gf.Variable(1.0)
    assert w.aggregation is gf.VariableAggregation.NONE
    assert w.synchronization is gf.VariableSynchronization.AUTO
    with pytest.raises(ValueError, match="aggregation"):
        gf.Variable(1.0, aggregation="average")
    assert gf.AggregationMethod.DEFAULT == gf.AggregationMethod.ADD_N == 0
    assert gf.AggregationMethod.EXPERIMENTAL_TREE == 1


def test_device_spec_matches_tensorflow():
    cases = {
        "/cpu:0": ("/device:CPU:0", None, None, None, "CPU", 0),
        "/job:worker/replica:0/task:1/device:GPU:2": (
            "/job:worker/replica:0/task:1/device:GPU:2",
            "worker",
            0,
            1,
            "GPU",
            2,
        ),
        "GPU:1": ("/device:GPU:1", None, None, None, "GPU", 1),
        "/device:gpu:3": ("/device:GPU:3", None, None, None, "GPU", 3),
        "/job:ps": ("/job:ps", "ps", None, None, None, None),
        "/gpu:*": ("/device:GPU:*", None, None, None, "GPU", None),
    }
    for text, want in cases.items():
        d = gf.DeviceSpec.from_string(text)
        assert (d.to_string(), d.job, d.replica, d.task, d.device_type, d.device_index) == want
    assert gf.DeviceSpec(device_type="gpu").to_string() == "/device:GPU:*"
    assert gf.DeviceSpec(job="a", device_index=1).to_string() == "/job:a"
    merged = gf.DeviceSpec(job="a").make_merged_spec(gf.DeviceSpec(task=2, device_type="CPU"))
    assert merged.to_string() == "/job:a/task:2/device:CPU:*"
    assert gf.DeviceSpec(job="a").replace(task=3).to_string() == "/job:a/task:3"
    assert gf.DeviceSpec(job="a") == gf.DeviceSpec(job="a")


def test_type_specs_match_tensorflow():
    s = gf.SparseTensorSpec([None, 3], gf.int64)
    assert repr(s) == "SparseTensorSpec(TensorShape([None, 3]), tf.int64)"
    assert s.value_type is gf.SparseTensor
    assert s.is_compatible_with(gf.SparseTensor([[0, 0]], gf.constant([1], gf.int64), [4, 3]))
    assert not s.is_compatible_with(gf.SparseTensorSpec([2, 4], gf.int64))
    assert s == gf.SparseTensorSpec([None, 3], gf.int64)
    assert repr(s.most_specific_common_supertype([gf.SparseTensorSpec([5, 3], gf.int64)])) == repr(
        s
    )
    spec = gf.type_spec_from_value(gf.SparseTensor([[0, 0]], [1.0], [4, 3]))
    assert repr(spec) == "SparseTensorSpec(TensorShape([4, 3]), tf.float32)"
    assert (
        repr(gf.type_spec_from_value(gf.constant([1, 2])))
        == "TensorSpec(shape=(2,), dtype=tf.int32, name=None)"
    )
    assert repr(gf.type_spec_from_value(None)) == "NoneTensorSpec()"
    assert repr(gf.type_spec_from_value(gf.ragged.constant([[1], [2, 3]]))) == (
        "RaggedTensorSpec(TensorShape([2, None]), tf.int32, 1, tf.int64)"
    )
    assert (
        repr(gf.type_spec_from_value([1.0, 2.0]))
        == "TensorSpec(shape=(2,), dtype=tf.float32, name=None)"
    )
    slices = gf.IndexedSlices(gf.ones([2, 3]), gf.constant([0, 2]), gf.constant([5, 3]))
    assert repr(gf.type_spec_from_value(slices)) == (
        "IndexedSlicesSpec(TensorShape([5, 3]), tf.float32, tf.int32, tf.int32, TensorShape([2]))"
    )
    assert repr(gf.type_spec_from_value(gf.TensorArray(gf.float32, size=2))) == (
        "TensorArraySpec(TensorShape(None), tf.float32, False, True)"
    )
    assert repr(gf.IndexedSlicesSpec()) == (
        "IndexedSlicesSpec(TensorShape(None), tf.float32, tf.int64, None, TensorShape([None]))"
    )
    assert (
        repr(gf.TensorArraySpec([2], gf.int32))
        == "TensorArraySpec(TensorShape([2]), tf.int32, False, True)"
    )
    assert repr(gf.OptionalSpec(gf.TensorSpec([2]))) == (
        "OptionalSpec(TensorSpec(shape=(2,), dtype=tf.float32, name=None),)"
    )
    for spec in (gf.TensorSpec([1]), gf.RaggedTensorSpec([1, None]), s, gf.NoneTensorSpec()):
        assert isinstance(spec, gf.TypeSpec)
    with pytest.raises(TypeError, match="Could not build a TypeSpec"):
        gf.type_spec_from_value(object())
    assert str(gf.SparseTensorSpec().shape) == "<unknown>"


def test_register_tensor_conversion_function():
    from gpuflow.ops._conversions import registry

    class Point:
        def __init__(self, xy):
            self.xy = xy

    saved = list(registry.entries)
    try:
        gf.register_tensor_conversion_function(
            Point, lambda v, dtype=None, name=None, as_ref=False: gf.constant(v.xy, dtype=dtype)
        )
        assert gf.convert_to_tensor(Point([1.0, 2.0])).numpy().tolist() == [1.0, 2.0]
        assert gf.add(Point([1.0, 2.0]), 1.0).numpy().tolist() == [2.0, 3.0]
        assert gf.convert_to_tensor(Point([1, 2]), dtype=gf.float32).dtype == gf.float32
    finally:
        registry.entries[:] = saved
    with pytest.raises(TypeError, match="Cannot register conversions for Python numeric"):
        gf.register_tensor_conversion_function(int, lambda *a, **k: None)


def test_random_index_shuffle_matches_tensorflow():
    # TF 2.21 tf.random_index_shuffle literals
    assert gf.random_index_shuffle(gf.range(10), [1, 2, 3], 9).numpy().tolist() == [
        2,
        0,
        6,
        4,
        8,
        1,
        7,
        9,
        5,
        3,
    ]
    out = gf.random_index_shuffle(
        gf.constant([0, 5, 99999], gf.int64),
        gf.constant([7, 8, 9], gf.int64),
        gf.constant(100000, gf.int64),
        rounds=6,
    )
    assert out.dtype == gf.int64 and out.numpy().tolist() == [26865, 37819, 4840]
    assert (
        int(gf.random_index_shuffle(gf.constant(2**40, gf.int64), [1, 2, 3], 2**41))
        == 1099575984002
    )
    big = gf.random_index_shuffle(
        gf.constant([7, 123456789012], gf.int64), [-5, 2**31 + 3, 9], 2**62
    )
    assert big.numpy().tolist() == [4611623755770248917, 86953294735885748]
    perm = gf.random_index_shuffle(gf.range(1000, dtype=gf.int64), [11, 12, 13], 999).numpy()
    assert perm[:8].tolist() == [218, 166, 404, 866, 76, 876, 507, 917]
    assert sorted(perm.tolist()) == list(range(1000))  # a permutation
    with pytest.raises(InvalidArgumentError, match="rounds"):
        gf.random_index_shuffle(gf.range(3), [1, 2, 3], 2, rounds=5)


def test_variable_creator_scope_chains_creators_as_tensorflow():
    seen = []

    def inner(next_creator, **kwargs):
        seen.append(sorted(kwargs))
        kwargs["trainable"] = False
        return next_creator(**kwargs)

    def outer(next_creator, **kwargs):
        seen.append("outer")
        return next_creator(**kwargs)

    with gf.variable_creator_scope(outer):
        with gf.variable_creator_scope(inner):
            v = gf.Variable(1.0, name="x")
    # TF 2.21: the innermost creator first, with these keyword arguments (gpuflow adds device)
    assert seen[1] == "outer"
    assert set(seen[0]) - {"device"} == {
        "aggregation",
        "caching_device",
        "constraint",
        "dtype",
        "experimental_enable_variable_lifting",
        "import_scope",
        "initial_value",
        "name",
        "shape",
        "synchronization",
        "trainable",
        "validate_shape",
        "variable_def",
    }
    assert isinstance(v, gf.Variable) and v.trainable is False and float(v) == 1.0
    assert gf.Variable(2.0).trainable is True

    def replace(next_creator, **kwargs):
        return "not a variable"

    with gf.variable_creator_scope(replace):
        assert gf.Variable(3.0) == "not a variable"


def test_empty_tensor_array_stacks_to_shape_0_without_a_full_element_shape():
    assert gf.TensorArray(gf.float32, size=0).stack().shape == (0,)
    assert gf.TensorArray(gf.float32, size=0, element_shape=[None, 2]).stack().shape == (0,)
    assert gf.TensorArray(gf.int32, size=0, element_shape=[3, 2]).stack().shape == (0, 3, 2)


def test_on_read_variables_default_to_not_trainable_as_tensorflow():
    on_read = gf.Variable(1.0, synchronization=gf.VariableSynchronization.ON_READ)
    assert on_read.trainable is False
    assert gf.Variable(1.0, synchronization="on_read", trainable=True).trainable is True
    assert gf.Variable(1.0).trainable is True
    assert gf.Variable(1.0, synchronization=gf.VariableSynchronization.ON_WRITE).trainable
