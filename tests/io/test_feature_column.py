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


def test_indicator_embedding_and_crossed_columns_as_tf():
    # names, shapes, specs and reprs as TF 2.21 gives them (structured_data/feature_columns)
    age = fc.numeric_column("age")
    age_buckets = fc.bucketized_column(age, [18, 30, 60])
    kind = fc.categorical_column_with_vocabulary_list("Type", ["Cat", "Dog"])
    breed = fc.categorical_column_with_hash_bucket("Breed1", hash_bucket_size=100)
    one_hot = fc.indicator_column(kind)
    assert repr(one_hot) == f"IndicatorColumn(categorical_column={kind!r})"
    assert one_hot.name == "Type_indicator" and one_hot.variable_shape == [1, 2]
    assert one_hot.parse_example_spec == {"Type": tf.io.VarLenFeature(tf.string)}
    embedded = fc.embedding_column(breed, dimension=8)
    assert (embedded.name, embedded.dimension, embedded.combiner) == ("Breed1_embedding", 8, "mean")
    assert embedded.variable_shape == [8] and embedded.use_safe_embedding_lookup
    assert embedded.initializer.stddev == pytest.approx(1 / np.sqrt(8))
    crossed = fc.crossed_column([age_buckets, kind], hash_bucket_size=10)
    assert crossed.name == "Type_X_age_bucketized" and crossed.num_buckets == 10
    assert repr(crossed) == (
        f"CrossedColumn(keys=({age_buckets!r}, {kind!r}), hash_bucket_size=10, hash_key=None)"
    )
    assert list(crossed.parse_example_spec) == ["age", "Type"]
    assert fc.indicator_column(crossed).name == "Type_X_age_bucketized_indicator"
    assert fc.crossed_column(["b", "a"], 5).parse_example_spec == {
        "b": tf.io.VarLenFeature(tf.string),
        "a": tf.io.VarLenFeature(tf.string),
    }
    assert fc.crossed_column(["b", "a"], 5).name == "a_X_b"
    spec = fc.make_parse_example_spec([one_hot, embedded, crossed])
    assert list(spec) == ["Type", "Breed1", "age"]


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: fc.indicator_column(fc.numeric_column("a")), "must be a CategoricalColumn"),
        (
            lambda: fc.embedding_column(fc.categorical_column_with_identity("i", 3), 0),
            "dimension 0",
        ),
        (
            lambda: fc.embedding_column(
                fc.categorical_column_with_identity("i", 3), 2, initializer=3
            ),
            "initializer must be callable",
        ),
        (lambda: fc.crossed_column(["a"], 5), "length > 1"),
        (lambda: fc.crossed_column(["a", "b"], 0), "hash_bucket_size must be"),
        (lambda: fc.crossed_column([fc.numeric_column("n"), "b"], 3), "Unsupported key type"),
        (
            lambda: fc.crossed_column([fc.categorical_column_with_hash_bucket("h", 4), "b"], 3),
            "not supported for crossing",
        ),
    ],
)
def test_derived_columns_refuse_what_tf_refuses(make, message):
    with pytest.raises(ValueError, match=message):
        make()
