"""tf.train.Example and friends: real protobuf messages with TensorFlow's wire format.

The byte and text literals were produced by TensorFlow 2.21's own classes
(``SerializeToString(deterministic=True)``, which sorts map keys; without it the order of
map entries is the protobuf runtime's and may change between processes, in TensorFlow too).
"""

import pytest

import gpuflow as tf

F = tf.train.Feature

# tf.train.Example with age=[29, -1], name=[b"Ann"], score=[0.5, 1e-3] (TensorFlow 2.21).
TF_EXAMPLE = (
    b"\n@\n\x16\n\x03age\x12\x0f\x1a\r\n\x0b\x1d\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"
    b"\n\x0f\n\x04name\x12\x07\n\x05\n\x03Ann\n\x15\n\x05score\x12\x0c\x12\n\n\x08\x00\x00"
    b"\x00?o\x12\x83:"
)
# tf.train.SequenceExample: context id=[7], feature list tokens=[[b"hi"], [b"there", b"!"]].
TF_SEQUENCE = (
    b'\n\r\n\x0b\n\x02id\x12\x05\x1a\x03\n\x01\x07\x12"\n \n\x06tokens\x12\x16\n\x06\n\x04'
    b"\n\x02hi\n\x0c\n\n\n\x05there\n\x01!"
)
TF_SEQUENCE_TEXT = (
    'context {\n  feature {\n    key: "id"\n    value {\n      int64_list {\n        value: 7'
    '\n      }\n    }\n  }\n}\nfeature_lists {\n  feature_list {\n    key: "tokens"\n    value'
    ' {\n      feature {\n        bytes_list {\n          value: "hi"\n        }\n      }\n   '
    '   feature {\n        bytes_list {\n          value: "there"\n          value: "!"\n    '
    "    }\n      }\n    }\n  }\n}\n"
)


def _example():
    return tf.train.Example(
        features=tf.train.Features(
            feature={
                "age": F(int64_list=tf.train.Int64List(value=[29, -1])),
                "name": F(bytes_list=tf.train.BytesList(value=[b"Ann"])),
                "score": F(float_list=tf.train.FloatList(value=[0.5, 1e-3])),
            }
        )
    )


def _sequence():
    tokens = tf.train.FeatureList(
        feature=[
            F(bytes_list=tf.train.BytesList(value=[b"hi"])),
            F(bytes_list=tf.train.BytesList(value=[b"there", b"!"])),
        ]
    )
    return tf.train.SequenceExample(
        context=tf.train.Features(feature={"id": F(int64_list=tf.train.Int64List(value=[7]))}),
        feature_lists=tf.train.FeatureLists(feature_list={"tokens": tokens}),
    )


def test_example_bytes_equal_tensorflow():
    assert _example().SerializeToString(deterministic=True) == TF_EXAMPLE


def test_example_parses_tensorflow_bytes():
    example = tf.train.Example.FromString(TF_EXAMPLE)
    assert example == _example()
    feature = example.features.feature
    assert list(feature["age"].int64_list.value) == [29, -1]
    assert feature["name"].WhichOneof("kind") == "bytes_list"
    assert feature["score"].float_list.value[0] == 0.5
    again = tf.train.Example()
    again.ParseFromString(TF_EXAMPLE)
    assert again == example


def test_single_key_serialization_is_deterministic():
    one = tf.train.Example(
        features=tf.train.Features(feature={"f": F(int64_list=tf.train.Int64List(value=[7]))})
    )
    assert one.SerializeToString() == b"\n\x0c\n\n\n\x01f\x12\x05\x1a\x03\n\x01\x07"


def test_text_format_as_tensorflow_prints_it():
    one = tf.train.Example(
        features=tf.train.Features(feature={"w": F(float_list=tf.train.FloatList(value=[0.5, 2]))})
    )
    assert str(one) == (
        'features {\n  feature {\n    key: "w"\n    value {\n      float_list {\n        value:'
        " 0.5\n        value: 2\n      }\n    }\n  }\n}\n"
    )


def test_sequence_example_bytes_and_text():
    sequence = _sequence()
    assert sequence.SerializeToString(deterministic=True) == TF_SEQUENCE
    assert str(sequence) == TF_SEQUENCE_TEXT
    parsed = tf.train.SequenceExample.FromString(TF_SEQUENCE)
    tokens = parsed.feature_lists.feature_list["tokens"].feature
    assert [list(f.bytes_list.value) for f in tokens] == [[b"hi"], [b"there", b"!"]]


def test_messages_check_their_fields():
    with pytest.raises(TypeError):
        tf.train.Int64List(value=[1.5])
    with pytest.raises(TypeError):
        tf.train.BytesList(value=[3])
    with pytest.raises(ValueError):
        tf.train.Example(nonexistent=1)
    feature = F(int64_list=tf.train.Int64List(value=[1]))
    feature.float_list.value.append(2.0)  # setting another kind of the oneof clears the first
    assert feature.WhichOneof("kind") == "float_list"
    assert not feature.HasField("int64_list")
