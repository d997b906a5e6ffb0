"""tf.feature_column: TF 2.21's column descriptions, their errors and parsing specs."""

import numpy as np
import pytest

import gpuflow as tf

fc = tf.feature_column


def test_columns_repr_name_and_spec_as_tf():
    age = fc.numeric_column("age")
    assert repr(age) == (
        "NumericColumn(key='age', shape=(1,), default_value=None, dtype=tf.float32, "
        "normalizer_fn=None)"
    )
    assert age.parse_example_spec == {"age": tf.io.FixedLenFeature((1,), tf.float32)}
    cls = fc.categorical_column_with_vocabulary_list("class", ["First", "Second", "Third"])
    assert (cls.vocabulary_list, cls.dtype, cls.default_value) == (
        ("First", "Second", "Third"),
        tf.string,
        -1,
    )
    assert cls.num_buckets == 3
    assert fc.categorical_column_with_vocabulary_list("n", [1, 2]).dtype == tf.int64
    embark = fc.categorical_column_with_hash_bucket("embark_town", 32)
    assert embark.num_buckets == 32 and embark.dtype == tf.string
    ident = fc.categorical_column_with_identity("id", 10)
    assert ident.parse_example_spec == {"id": tf.io.VarLenFeature(tf.int64)}
    buck = fc.bucketized_column(age, [18, 30, 60])
    assert buck.name == "age_bucketized" and buck.num_buckets == 4
    wide = fc.numeric_column("v", shape=(2, 3), default_value=1.0, dtype=tf.float64)
    assert wide.default_value == ((1.0, 1.0, 1.0), (1.0, 1.0, 1.0))
    spec = fc.make_parse_example_spec([age, cls, embark, ident, buck])
    assert sorted(spec) == ["age", "class", "embark_town", "id"]
    assert spec["class"] == tf.io.VarLenFeature(tf.string)


@pytest.mark.parametrize(
    "make, error, text",
    [
        (lambda: fc.numeric_column("a", dtype=tf.string), ValueError, "convertible to float"),
        (lambda: fc.numeric_column("a", default_value="x"), TypeError, "compatible with dtype"),
        (lambda: fc.numeric_column(3), ValueError, "key must be a string"),
        (lambda: fc.categorical_column_with_hash_bucket("e", 0), ValueError, "at least 1"),
        (
            lambda: fc.categorical_column_with_hash_bucket("e", 3, dtype=tf.float32),
            ValueError,
            "must be string or integer",
        ),
        (lambda: fc.categorical_column_with_vocabulary_list("c", []), ValueError, "non-empty"),
        (lambda: fc.categorical_column_with_vocabulary_list("c", ["a", "a"]), ValueError, "Dup"),
        (lambda: fc.categorical_column_with_identity("i", 0), ValueError, "num_buckets 0 < 1"),
        (lambda: fc.bucketized_column(fc.numeric_column("a"), [3, 1]), ValueError, "sorted"),
    ],
)
def test_bad_arguments_raise_tf_errors(make, error, text):
    with pytest.raises(error, match=text):
        make()


def test_spec_parses_examples():
    columns = [
        fc.numeric_column("age"),
        fc.categorical_column_with_vocabulary_list("class", ["First", "Second"]),
    ]
    example = tf.train.Example(
        features=tf.train.Features(
            feature={
                "age": tf.train.Feature(float_list=tf.train.FloatList(value=[31.0])),
                "class": tf.train.Feature(bytes_list=tf.train.BytesList(value=[b"Second"])),
            }
        )
    )
    parsed = tf.io.parse_example([example.SerializeToString()], fc.make_parse_example_spec(columns))
    np.testing.assert_array_equal(parsed["age"].numpy(), [[31.0]])
    assert isinstance(parsed["class"], tf.SparseTensor)
    assert parsed["class"].values.numpy().tolist() == [b"Second"]
