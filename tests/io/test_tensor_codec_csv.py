"""tf.io.serialize_tensor / parse_tensor, decode_raw and decode_csv.

The serialized bytes and the results below are what TensorFlow 2.21 gave for the same calls.
"""

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.io.protos import TensorProto

# (tensor, tf.io.serialize_tensor(tensor) from TensorFlow 2.21)
SERIALIZED = [
    (
        lambda: tf.constant([[1.5, 2.0]]),
        b'\x08\x01\x12\x08\x12\x02\x08\x01\x12\x02\x08\x02"\x08\x00\x00\xc0?\x00\x00\x00@',
    ),
    (lambda: tf.constant(3), b'\x08\x03\x12\x00"\x04\x03\x00\x00\x00'),
    (lambda: tf.constant([b"ab", b"c"]), b"\x08\x07\x12\x04\x12\x02\x08\x02B\x02abB\x01c"),
    (lambda: tf.constant(True), b'\x08\n\x12\x00"\x01\x01'),
    (
        lambda: tf.constant(np.arange(3, dtype=np.int64)),
        b'\x08\t\x12\x04\x12\x02\x08\x03"\x18' + np.arange(3, dtype="<i8").tobytes(),
    ),
    (lambda: tf.constant([1, 2], tf.uint8), b'\x08\x04\x12\x04\x12\x02\x08\x02"\x02\x01\x02'),
    (lambda: tf.constant(1.0, tf.float16), b'\x08\x13\x12\x00"\x02\x00<'),
    (
        lambda: tf.constant([1 + 2j]),
        b'\x08\x12\x12\x04\x12\x02\x08\x01"\x10\x00\x00\x00\x00\x00\x00\xf0?\x00\x00\x00\x00'
        b"\x00\x00\x00@",
    ),
    (lambda: tf.zeros([0, 3]), b"\x08\x01\x12\x06\x12\x00\x12\x02\x08\x03"),
    (lambda: tf.constant(b""), b"\x08\x07\x12\x00B\x00"),
]


@pytest.mark.parametrize("make, expected", SERIALIZED)
def test_serialize_tensor_bytes_equal_tensorflow(make, expected):
    tensor = make()
    serialized = tf.io.serialize_tensor(tensor)
    assert serialized.dtype == tf.string and serialized.shape == ()
    assert serialized.numpy() == expected
    back = tf.io.parse_tensor(expected, tensor.dtype)
    assert back.dtype == tensor.dtype and back.shape == tensor.shape
    np.testing.assert_array_equal(back.numpy(), tensor.numpy())


def test_parse_tensor_repeats_the_last_value_of_a_short_val_list():
    proto = TensorProto(dtype=1, float_val=[2.5])
    proto.tensor_shape.dim.add(size=3)
    assert tf.io.parse_tensor(proto.SerializeToString(), tf.float32).numpy().tolist() == [2.5] * 3
    proto = TensorProto(dtype=3, int_val=[1, 2])
    proto.tensor_shape.dim.add(size=4)
    assert tf.io.parse_tensor(proto.SerializeToString(), tf.int32).numpy().tolist() == [1, 2, 2, 2]


def test_parse_tensor_errors():
    with pytest.raises(
        tf.errors.InvalidArgumentError, match=r"parsed tensor \(float\) and dtype \(int32\)"
    ):
        tf.io.parse_tensor(tf.io.serialize_tensor(tf.constant(1.0)), tf.int32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Could not parse `serialized`"):
        tf.io.parse_tensor(b"\xff\xff", tf.int32)
    proto = TensorProto(dtype=1, tensor_content=b"\x00" * 6)
    proto.tensor_shape.dim.add(size=2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="needs 8"):
        tf.io.parse_tensor(proto.SerializeToString(), tf.float32)


def test_serialize_tensor_inside_function():
    @tf.function
    def round_trip(x):
        return tf.io.parse_tensor(tf.io.serialize_tensor(x), tf.float32) + 1.0

    assert round_trip(tf.constant([1.0, 2.0])).numpy().tolist() == [2.0, 3.0]
    assert round_trip(tf.constant([5.0, 6.0])).numpy().tolist() == [6.0, 7.0]


def test_decode_raw():
    out = tf.io.decode_raw(tf.constant([b"\x01\x00\x02\x00", b"\x03\x00\x04\x00"]), tf.int16)
    assert out.dtype == tf.int16 and out.numpy().tolist() == [[1, 2], [3, 4]]
    assert tf.io.decode_raw(b"\x00\x01", tf.int16, little_endian=False).numpy().tolist() == [1]
    assert tf.io.decode_raw(b"abc", tf.uint8, fixed_length=5).numpy().tolist() == [97, 98, 99, 0, 0]
    padded = tf.io.decode_raw(tf.constant([b"abc", b"ab"]), tf.int16, fixed_length=4)
    assert padded.numpy().tolist() == [[25185, 99], [25185, 0]]
    values = np.array([1.5, -2.0], np.float32)
    assert tf.io.decode_raw(values.tobytes(), tf.float32).numpy().tolist() == [1.5, -2.0]


def test_decode_raw_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="element 1 has size 3 != 1"):
        tf.io.decode_raw([b"abc", b"a"], tf.uint8)
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="length 3 that is not a multiple of 2"
    ):
        tf.io.decode_raw(b"abc", tf.int16)
    with pytest.raises(TypeError, match="out_type"):
        tf.io.decode_raw(b"ab", tf.string)


def _values(tensors):
    return [(t.dtype.name, t.numpy().tolist()) for t in tensors]


def test_decode_csv_types_quotes_defaults():
    out = tf.io.decode_csv(["1,2.5,a", '4,,"b,c"'], [[0], [1.0], ["z"]])
    assert _values(out) == [("int32", [1, 4]), ("float32", [2.5, 1.0]), ("string", [b"a", b"b,c"])]
    assert _values(tf.io.decode_csv(["1;2"], [[0], [0]], field_delim=";")) == [
        ("int32", [1]),
        ("int32", [2]),
    ]
    assert _values(tf.io.decode_csv(["1,NA"], [[0], [0.0]], na_value="NA"))[1] == ("float32", [0.0])
    assert _values(tf.io.decode_csv(["1,2,3"], [[0], [0]], select_cols=[0, 2])) == [
        ("int32", [1]),
        ("int32", [3]),
    ]
    assert tf.io.decode_csv(['"a""b",1'], [[""], [0]])[0].numpy().tolist() == [b'a"b']
    unquoted = tf.io.decode_csv(['"a""b",1'], [[""], [0]], use_quote_delim=False)[0]
    assert unquoted.numpy().tolist() == [b'"a""b"']
    assert _values(tf.io.decode_csv([" 1, 2"], [[0], [0.0]])) == [
        ("int32", [1]),
        ("float32", [2.0]),
    ]
    wide = tf.io.decode_csv(["1,2"], [[0], tf.constant([], tf.float64)])
    assert _values(wide) == [("int32", [1]), ("float64", [2.0])]
    grid = tf.io.decode_csv([["1,2"], ["3,4"]], [[0], [0]])
    assert grid[0].shape == (2, 1) and grid[1].numpy().tolist() == [[2], [4]]
    big = tf.io.decode_csv(["3000000000,2"], [tf.constant([0], tf.int64), [0]])
    assert _values(big) == [("int64", [3000000000]), ("int32", [2])]
    assert tf.io.decode_csv(["1e3,inf"], [[0.0], [0.0]])[1].numpy().tolist() == [float("inf")]
    scalar = tf.io.decode_csv("7,8", [[0], [0]])
    assert scalar[0].shape == () and scalar[1].numpy() == 8


@pytest.mark.parametrize(
    "records, defaults, message",
    [
        (["1,2,3"], [[0], [0]], "Expect 2 fields but have 3 in record 0"),
        (["1,x"], [[0], [0]], "Field 1 in record 0 is not a valid int32: x"),
        (["1.5,2"], [[0], [0.0]], "Field 0 in record 0 is not a valid int32: 1.5"),
        (["3000000000,2"], [[0], [0]], "not a valid int32: 3000000000"),
        (["1,"], [[0], tf.constant([], tf.float64)], "Field 1 is required but missing in record 0"),
        (['"ab"c,1'], [[""], [0]], "Quote inside a string has to be escaped"),
        (["1_0,2"], [[0], [0]], "not a valid int32: 1_0"),
    ],
)
def test_decode_csv_errors(records, defaults, message):
    with pytest.raises(tf.errors.InvalidArgumentError, match=message):
        tf.io.decode_csv(records, defaults)


def test_decode_csv_bad_defaults():
    with pytest.raises(TypeError, match="CSV columns are one of"):
        tf.io.decode_csv(["true"], [[False]])
    with pytest.raises(ValueError, match="one value"):
        tf.io.decode_csv(["1"], [[1, 2]])
    with pytest.raises(ValueError, match="field_delim"):
        tf.io.decode_csv(["1"], [[1]], field_delim=";;")


def test_decode_csv_of_numbers_is_a_value_error():
    # as TensorFlow, whose decode_csv converts `records` to tf.string first
    with pytest.raises(ValueError, match="decode_csv: Tensor conversion requested dtype string"):
        tf.io.decode_csv(tf.constant([1]), [[1]])
