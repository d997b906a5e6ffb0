"""tf.io.parse_single_example / parse_example / parse_single_sequence_example /
parse_sequence_example with each kind of feature.

Expected values are what TensorFlow 2.21 returned for the same records and features.
"""

import numpy as np
import pytest

import gpuflow as tf

F = tf.train.Feature


def _example(**features) -> bytes:
    feature = {}
    for key, values in features.items():
        if isinstance(values[0], bytes):
            feature[key] = F(bytes_list=tf.train.BytesList(value=values))
        elif isinstance(values[0], float):
            feature[key] = F(float_list=tf.train.FloatList(value=values))
        else:
            feature[key] = F(int64_list=tf.train.Int64List(value=values))
    return tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString()


S1 = _example(a=[1, 2], b=[1.5], c=[b"x", b"y", b"z"], q=[5, 6, 7])
S2 = _example(a=[3, 4], c=[b"w"], q=[9])
SPEC = {
    "a": tf.io.FixedLenFeature([2], tf.int64),
    "b": tf.io.FixedLenFeature([], tf.float32, default_value=-1.0),
    "c": tf.io.VarLenFeature(tf.string),
    "r": tf.io.RaggedFeature(tf.int64, value_key="q"),
    "s": tf.io.FixedLenSequenceFeature([], tf.string, allow_missing=True, default_value="pad"),
}


def _sparse(st):
    assert isinstance(st, tf.sparse.SparseTensor)
    return st.indices.numpy().tolist(), st.values.numpy().tolist(), st.dense_shape.numpy().tolist()


def test_parse_single_example_every_kind():
    out = tf.io.parse_single_example(S1, SPEC)
    assert sorted(out) == ["a", "b", "c", "r", "s"]
    assert out["a"].dtype == tf.int64 and out["a"].numpy().tolist() == [1, 2]
    assert out["b"].dtype == tf.float32 and out["b"].shape == () and out["b"].numpy() == 1.5
    assert _sparse(out["c"]) == ([[0], [1], [2]], [b"x", b"y", b"z"], [3])
    assert out["r"].numpy().tolist() == [5, 6, 7]  # one Example: a dense vector
    assert out["s"].dtype == tf.string and out["s"].shape == (0,)


def test_parse_example_batch_every_kind():
    out = tf.io.parse_example(tf.constant([S1, S2]), SPEC)
    assert out["a"].numpy().tolist() == [[1, 2], [3, 4]]
    assert out["b"].numpy().tolist() == [1.5, -1.0]  # S2 lacks b: its default
    assert _sparse(out["c"]) == (
        [[0, 0], [0, 1], [0, 2], [1, 0]],
        [b"x", b"y", b"z", b"w"],
        [2, 3],
    )
    assert out["r"].to_list() == [[5, 6, 7], [9]]
    assert out["s"].shape == (2, 0)


def test_fixed_len_sequence_feature_pads():
    seq = {"c": tf.io.FixedLenSequenceFeature([], tf.string, allow_missing=True)}
    out = tf.io.parse_example([S1, S2], seq)
    assert out["c"].numpy().tolist() == [[b"x", b"y", b"z"], [b"w", b"", b""]]
    padded = {
        "q": tf.io.FixedLenSequenceFeature([], tf.int64, allow_missing=True, default_value=-1)
    }
    assert tf.io.parse_example([S1, S2], padded)["q"].numpy().tolist() == [[5, 6, 7], [9, -1, -1]]
    pairs = {"a": tf.io.FixedLenSequenceFeature([2], tf.int64, allow_missing=True)}
    assert tf.io.parse_single_example(S1, pairs)["a"].numpy().tolist() == [[1, 2]]


def test_shapes_and_defaults():
    out = tf.io.parse_single_example(
        S1,
        {
            "a": tf.io.FixedLenFeature([1, 2], tf.int64),
            "d": tf.io.FixedLenFeature([2], tf.int64, default_value=[7, 8]),
            "e": tf.io.VarLenFeature(tf.float32),
            "g": tf.io.FixedLenFeature((), tf.string, default_value="none"),
        },
    )
    assert out["a"].numpy().tolist() == [[1, 2]]
    assert out["d"].numpy().tolist() == [7, 8]
    assert _sparse(out["e"]) == ([], [], [0])
    assert out["e"].values.dtype == tf.float32
    assert out["g"].numpy() == b"none"


def test_var_len_batch_int64_and_ragged_int64_splits():
    sparse = tf.io.parse_example([S1, S2], {"q": tf.io.VarLenFeature(tf.int64)})
    assert _sparse(sparse["q"]) == ([[0, 0], [0, 1], [0, 2], [1, 0]], [5, 6, 7, 9], [2, 3])
    ragged = tf.io.parse_example([S1, S2], {"r": tf.io.RaggedFeature(tf.int64, value_key="q")})
    assert ragged["r"].to_list() == [[5, 6, 7], [9]]


@pytest.mark.parametrize(
    "other", [tf.io.VarLenFeature(tf.int64), tf.io.FixedLenFeature([2], tf.int64)]
)
def test_a_ragged_features_value_key_is_its_own(other):
    # TensorFlow: "Ragged and sparse keys must not intersect" / "Dense and ragged keys ..."
    spec = {"q": other, "r": tf.io.RaggedFeature(tf.int64, value_key="q")}
    with pytest.raises(ValueError, match=r"parse_example: Ragged and (sparse|dense) keys .*'q'"):
        tf.io.parse_example([S1, S2], spec)


def test_parse_in_dataset_map_and_batched_map():
    records = [_example(x=[float(i), i + 0.5], y=[i]) for i in range(5)]
    spec = {"x": tf.io.FixedLenFeature([2], tf.float32), "y": tf.io.FixedLenFeature([], tf.int64)}
    ds = tf.data.Dataset.from_tensor_slices(records).map(
        lambda r: tf.io.parse_single_example(r, spec)
    )
    assert ds.element_spec == {
        "x": tf.TensorSpec([2], tf.float32),
        "y": tf.TensorSpec([], tf.int64),
    }
    got = list(ds.as_numpy_iterator())
    np.testing.assert_array_equal([g["x"] for g in got], [[i, i + 0.5] for i in range(5)])
    batched = tf.data.Dataset.from_tensor_slices(records).batch(2)
    ys = [b["y"].numpy().tolist() for b in batched.map(lambda r: tf.io.parse_example(r, spec))]
    assert ys == [[0, 1], [2, 3], [4]]


def test_parse_inside_function_replays_on_new_records():
    spec = {"x": tf.io.FixedLenFeature([2], tf.float32), "y": tf.io.FixedLenFeature([], tf.int64)}

    @tf.function
    def step(records):
        parsed = tf.io.parse_example(records, spec)
        return parsed["x"] * 2.0, parsed["y"] + 1

    first = step(tf.constant([_example(x=[1.0, 2.0], y=[3])]))
    second = step(tf.constant([_example(x=[5.0, 6.0], y=[7])]))
    assert first[0].numpy().tolist() == [[2.0, 4.0]] and first[1].numpy().tolist() == [4]
    assert second[0].numpy().tolist() == [[10.0, 12.0]] and second[1].numpy().tolist() == [8]

    @tf.function
    def sparse(records):
        return tf.io.parse_example(records, {"c": tf.io.VarLenFeature(tf.string)})

    with pytest.warns(RuntimeWarning, match="runs eagerly.*cannot be replayed"):
        result = sparse(tf.constant([S1]))  # a SparseTensor: the function runs eagerly
    assert result["c"].dense_shape.numpy().tolist()[0] == 1


@pytest.mark.parametrize(
    "features, message",
    [
        ({"a": tf.io.FixedLenFeature([3], tf.int64)}, "Key: a.  Number of int64 values"),
        (
            {"a": tf.io.FixedLenFeature([2], tf.float32)},
            "Data type: int64 but expected type: float",
        ),
        (
            {"zz": tf.io.FixedLenFeature([2], tf.float32)},
            "Feature: zz .data type: float. is required",
        ),
        ({"a": tf.io.FixedLenFeature([2], tf.int32)}, "dtype int32"),
    ],
)
def test_errors_name_the_key(features, message):
    with pytest.raises(tf.errors.InvalidArgumentError, match=message):
        tf.io.parse_single_example(S1, features)


def test_other_errors():
    with pytest.raises(ValueError, match="FixedLenSequenceFeature requires allow_missing"):
        tf.io.parse_single_example(S1, {"c": tf.io.FixedLenSequenceFeature([], tf.string)})
    with pytest.raises(tf.errors.InvalidArgumentError, match="Could not parse"):
        tf.io.parse_single_example(b"garbage\xff", SPEC)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Index: 1.*Feature: b"):
        tf.io.parse_example([S1, S2], {"b": tf.io.FixedLenFeature([], tf.float32)})
    with pytest.raises(tf.errors.InvalidArgumentError, match="scalar or vector, got shape: .2, 1."):
        tf.io.parse_example([[S1], [S2]], {"q": tf.io.VarLenFeature(tf.int64)})
    with pytest.raises(tf.errors.InvalidArgumentError, match="Name: second, Index: 1"):
        tf.io.parse_example(
            [_example(q=[1]), S1],
            {"q": tf.io.FixedLenFeature([], tf.int64)},
            example_names=["first", "second"],
        )
    with pytest.raises(tf.errors.InvalidArgumentError, match="one record"):
        tf.io.parse_single_example([S1], SPEC)
    with pytest.raises(ValueError, match="default_value"):
        tf.io.parse_single_example(
            S1, {"a": tf.io.FixedLenFeature([2], tf.int64, default_value=[1])}
        )
    with pytest.raises(ValueError, match="FixedLenFeature, VarLenFeature"):
        tf.io.parse_single_example(S1, {"a": "int64"})
    with pytest.raises(tf.errors.InvalidArgumentError, match="RowLengths.*does not fit"):
        tf.io.parse_single_example(  # row lengths [1, 2] for the 0 values of the missing "r"
            S1,
            {"r": tf.io.RaggedFeature(tf.int64, partitions=[tf.io.RaggedFeature.RowLengths("a")])},
        )


def test_feature_configs_are_namedtuples():
    feature = tf.io.FixedLenFeature([2], tf.int64)
    assert feature.shape == [2] and feature.default_value is None
    assert tf.io.VarLenFeature(tf.string).dtype == tf.string
    seq = tf.io.FixedLenSequenceFeature([], tf.float32)
    assert seq.allow_missing is False and seq.default_value is None
    ragged = tf.io.RaggedFeature(tf.float32)
    assert ragged.value_key is None and ragged.partitions == ()
    assert repr(tf.io.FixedLenFeature([2], tf.int64)).startswith("FixedLenFeature(shape=[2], ")


def _sequence(context, lists) -> bytes:
    return tf.train.SequenceExample(
        context=tf.train.Features(feature=context),
        feature_lists=tf.train.FeatureLists(
            feature_list={k: tf.train.FeatureList(feature=v) for k, v in lists.items()}
        ),
    ).SerializeToString()


def _il(*v):
    return F(int64_list=tf.train.Int64List(value=v))


def _fl(*v):
    return F(float_list=tf.train.FloatList(value=v))


def _bl(*v):
    return F(bytes_list=tf.train.BytesList(value=v))


Q1 = _sequence(
    {"len": _il(3), "name": _bl(b"a")},
    {
        "tok": [_il(1), _il(2), _il(3)],
        "emb": [_fl(1.0, 2.0), _fl(3.0, 4.0), _fl(5.0, 6.0)],
        "w": [_bl(b"x"), _bl(b"y", b"z"), _bl()],
    },
)
Q2 = _sequence({"len": _il(1)}, {"tok": [_il(9)], "emb": [_fl(7.0, 8.0)]})
CONTEXT = {"len": tf.io.FixedLenFeature([], tf.int64), "name": tf.io.VarLenFeature(tf.string)}


def test_parse_single_sequence_example():
    sequence = {
        "tok": tf.io.FixedLenSequenceFeature([], tf.int64),
        "emb": tf.io.FixedLenSequenceFeature([2], tf.float32),
        "w": tf.io.VarLenFeature(tf.string),
    }
    context, lists = tf.io.parse_single_sequence_example(Q1, CONTEXT, sequence)
    assert context["len"].numpy() == 3
    assert _sparse(context["name"]) == ([[0]], [b"a"], [1])
    assert lists["tok"].numpy().tolist() == [1, 2, 3]
    assert lists["emb"].numpy().tolist() == [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
    assert _sparse(lists["w"]) == ([[0, 0], [1, 0], [1, 1]], [b"x", b"y", b"z"], [3, 2])
    ragged = {"r": tf.io.RaggedFeature(tf.string, value_key="w")}
    _, lists = tf.io.parse_single_sequence_example(Q1, None, ragged)
    assert lists["r"].to_list() == [[b"x"], [b"y", b"z"], []]
    context, lists = tf.io.parse_single_sequence_example(Q2, CONTEXT, sequence)
    assert _sparse(context["name"]) == ([], [], [0])
    assert _sparse(lists["w"]) == ([], [], [0, 0])
    assert lists["tok"].numpy().tolist() == [9]


def test_sequence_feature_missing_and_wrong_size():
    with pytest.raises(tf.errors.InvalidArgumentError, match="Feature list: w is required"):
        tf.io.parse_single_sequence_example(
            Q2, None, {"w": tf.io.FixedLenSequenceFeature([], tf.string)}
        )
    _, lists = tf.io.parse_single_sequence_example(
        Q2, None, {"w": tf.io.FixedLenSequenceFeature([], tf.string, allow_missing=True)}
    )
    assert lists["w"].shape == (0,) and lists["w"].dtype == tf.string
    with pytest.raises(tf.errors.InvalidArgumentError, match="Key: emb, Index: 0.*size: 2"):
        tf.io.parse_single_sequence_example(
            Q1, None, {"emb": tf.io.FixedLenSequenceFeature([3], tf.float32)}
        )
    with pytest.raises(ValueError, match="dense_defaults"):
        tf.io.parse_sequence_example(
            [Q1], None, {"tok": tf.io.FixedLenSequenceFeature([], tf.int64, default_value=-1)}
        )


def test_parse_sequence_example_batch():
    context, lists, lengths = tf.io.parse_sequence_example(
        [Q1, Q2],
        {"len": tf.io.FixedLenFeature([], tf.int64)},
        {
            "tok": tf.io.FixedLenSequenceFeature([], tf.int64),
            "emb": tf.io.FixedLenSequenceFeature([2], tf.float32),
            "w": tf.io.VarLenFeature(tf.string),
        },
    )
    assert context["len"].numpy().tolist() == [3, 1]
    assert lists["tok"].numpy().tolist() == [[1, 2, 3], [9, 0, 0]]
    assert lists["emb"].numpy().tolist() == [
        [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]],
        [[7.0, 8.0], [0.0, 0.0], [0.0, 0.0]],
    ]
    assert _sparse(lists["w"]) == (
        [[0, 0, 0], [0, 1, 0], [0, 1, 1]],
        [b"x", b"y", b"z"],
        [2, 3, 2],
    )
    assert sorted(lengths) == ["emb", "tok"]
    assert lengths["tok"].numpy().tolist() == [3, 1]


def test_sparse_result_in_dataset_map_is_an_element():
    ds = tf.data.Dataset.from_tensor_slices([S1, S2]).map(
        lambda r: tf.io.parse_single_example(r, {"q": tf.io.VarLenFeature(tf.int64)})["q"]
    )
    rows = list(ds)  # SparseTensor elements, as TensorFlow gives them
    assert [r.values.numpy().tolist() for r in rows] == [[5, 6, 7], [9]]
    dense = tf.data.Dataset.from_tensor_slices([S1, S2]).map(
        lambda r: tf.sparse.to_dense(
            tf.io.parse_single_example(r, {"q": tf.io.VarLenFeature(tf.int64)})["q"]
        )
    )
    assert [v.tolist() for v in dense.as_numpy_iterator()] == [[5, 6, 7], [9]]


def test_string_features_in_a_batch_and_an_empty_batch():
    a, b, empty = _example(s=[b"a"]), _example(s=[b"b"]), _example(t=[1])
    out = tf.io.parse_example([a, b], {"s": tf.io.FixedLenFeature([], tf.string)})
    assert out["s"].numpy().tolist() == [b"a", b"b"]
    assert all(type(v) is bytes for v in out["s"].numpy())
    padded = tf.io.parse_example(
        [a, empty],
        {"s": tf.io.FixedLenSequenceFeature([], tf.string, allow_missing=True, default_value="p")},
    )
    assert padded["s"].numpy().tolist() == [[b"a"], [b"p"]]
    assert all(type(v) is bytes for v in padded["s"].numpy().reshape(-1))
    # Shapes TensorFlow 2.21 gives for a batch of no records.
    none = tf.io.parse_example(
        tf.constant([], tf.string),
        {
            "s": tf.io.FixedLenFeature([], tf.string),
            "v": tf.io.VarLenFeature(tf.int64),
            "q": tf.io.FixedLenSequenceFeature([], tf.float32, allow_missing=True),
            "r": tf.io.RaggedFeature(tf.float32),
        },
    )
    assert none["s"].shape == (0,) and none["q"].shape == (0, 0)
    assert none["v"].dense_shape.numpy().tolist() == [0, 0]
    assert none["r"].to_list() == []


def test_result_dicts_list_sparse_then_dense_then_ragged_features_by_sorted_key():
    # TensorFlow 2.21's order for this spec: ['c', 'a', 'b', 's', 'r'] (the VarLenFeature,
    # the dense features sorted, then the RaggedFeature), whatever the spec's own order
    spec = dict(reversed(list(SPEC.items())))
    assert list(tf.io.parse_single_example(S1, spec)) == ["c", "a", "b", "s", "r"]
    assert list(tf.io.parse_example([S1, S2], spec)) == ["c", "a", "b", "s", "r"]
    context, _ = tf.io.parse_single_sequence_example(
        S1,
        context_features={
            "z": tf.io.RaggedFeature(tf.int64, value_key="q"),
            "c": tf.io.VarLenFeature(tf.string),
            "b": tf.io.FixedLenFeature([], tf.float32, default_value=-1.0),
            "a": tf.io.FixedLenFeature([2], tf.int64),
        },
    )
    assert list(context) == ["c", "a", "b", "z"]


def test_decode_json_example_gives_records_parse_example_reads():
    from google.protobuf import json_format

    example = tf.train.Example(
        features=tf.train.Features(feature={"a": F(int64_list=tf.train.Int64List(value=[1, 1, 3]))})
    )
    as_json = json_format.MessageToJson(example)
    binary = tf.io.decode_json_example(as_json)
    assert binary.dtype == tf.string and binary.shape == ()
    # TF 2.21 writes the int64 list unpacked; both encodings parse to the same Example
    assert tf.train.Example.FromString(binary.numpy()) == example
    assert tf.io.decode_json_example([[as_json, as_json], [as_json, as_json]]).shape == (2, 2)
    parsed = tf.io.parse_example(
        [binary.numpy(), example.SerializeToString()],
        {"a": tf.io.FixedLenFeature(shape=[3], dtype=tf.int64)},
    )
    assert parsed["a"].numpy().tolist() == [[1, 1, 3], [1, 1, 3]]
    with pytest.raises(tf.errors.InvalidArgumentError, match="io.decode_json_example: the JSON"):
        tf.io.decode_json_example('{"nope": 1}')


def test_ragged_feature_partitions():
    # TF's RaggedFeature docstring example, plus RowLengths / UniformRowLength / ValueRowIds;
    # expected values printed by TF 2.21
    def record(v, s1, s2, lengths, ids):
        return _example(v=v, s1=s1, s2=s2, l=lengths, ids=ids)

    first = record([3, 1, 4, 1, 5, 9], [0, 2, 3, 3, 6], [0, 2, 3, 4], [2, 0, 4], [0, 0, 2, 2, 2, 3])
    second = record([2, 7, 1, 8, 2, 8], [0, 3, 4, 5, 6], [0, 1, 1, 4], [1, 5, 0], [1] * 6)
    R = tf.io.RaggedFeature
    features = {
        "f2": R(value_key="v", dtype=tf.int64, partitions=[R.RowSplits("s1")]),
        "f3": R(value_key="v", dtype=tf.int64, partitions=[R.RowSplits("s2"), R.RowSplits("s1")]),
        "f4": R(value_key="v", dtype=tf.int64, partitions=[R.RowLengths("l")]),
        "f5": R(value_key="v", dtype=tf.int64, partitions=[R.UniformRowLength(3)]),
        "f6": R(
            value_key="v", dtype=tf.int64, partitions=[R.UniformRowLength(2), R.RowLengths("l")]
        ),
        "f7": R(value_key="v", dtype=tf.int64, partitions=[R.ValueRowIds("ids")]),
    }
    one = tf.io.parse_single_example(first, features)
    assert one["f2"].to_list() == [[3, 1], [4], [], [1, 5, 9]]
    assert one["f3"].to_list() == [[[3, 1], [4]], [[]], [[1, 5, 9]]]
    assert one["f4"].to_list() == [[3, 1], [], [4, 1, 5, 9]]
    assert one["f5"].numpy().tolist() == [[3, 1, 4], [1, 5, 9]]  # all uniform: a dense reshape
    assert one["f6"].to_list() == [[[3, 1], []]]  # the last, partial row dropped
    assert one["f7"].to_list() == [[3, 1], [], [4, 1, 5], [9]]
    batch = tf.io.parse_example([first, second], features)
    assert batch["f3"].to_list() == [
        [[[3, 1], [4]], [[]], [[1, 5, 9]]],
        [[[2, 7, 1]], [], [[8], [2], [8]]],
    ]
    assert batch["f7"].to_list() == [[[3, 1], [], [4, 1, 5], [9]], [[], [2, 7, 1, 8, 2, 8]]]
    with pytest.raises(TypeError, match="a partition must be one of RaggedFeature.RowSplits"):
        tf.io.parse_single_example(first, {"x": R(tf.int64, value_key="v", partitions=[3])})


def test_numeric_serialized_is_a_value_error():
    # TensorFlow converts `serialized` to tf.string first, which raises ValueError (the data
    # guide passes an int64 tensor by mistake); not InvalidArgumentError
    features = {"a": tf.io.FixedLenFeature([], tf.int64)}
    with pytest.raises(ValueError, match="parse_example: Tensor conversion requested dtype string"):
        tf.io.parse_example(tf.constant([1, 2], tf.int64), features)
    with pytest.raises(ValueError, match="dtype string for Tensor with dtype int64"):
        tf.io.parse_single_example(tf.constant(1, tf.int64), features)
