"""tf.data.experimental.CsvDataset / make_csv_dataset, and TFRecordDataset in pipelines.

Expected values are what TensorFlow 2.21 gave on the same files.
"""

import collections
import gzip

import numpy as np
import pytest

import gpuflow as tf

T_CSV = b'a,b,c\n1,2.5,x\n3,,"y,z"\r\n4,5,w'
T2_CSV = b'a,b,c\n7,1e3,"q""r"\n'


@pytest.fixture
def files(tmp_path):
    t = tmp_path / "t.csv"
    t.write_bytes(T_CSV)
    t2 = tmp_path / "t2.csv"
    t2.write_bytes(T2_CSV)
    return str(t), str(t2)


def _rows(ds):
    return [tuple(np.asarray(v).tolist() for v in row) for row in ds.as_numpy_iterator()]


def _batches(ds):
    out = []
    for element in ds.as_numpy_iterator():
        if isinstance(element, tuple):
            out.append(({k: v.tolist() for k, v in element[0].items()}, element[1].tolist()))
        else:
            out.append({k: v.tolist() for k, v in element.items()})
    return out


def test_csv_dataset(files):
    t, t2 = files
    ds = tf.data.experimental.CsvDataset(t, [tf.int32, [0.0], ["q"]], header=True)
    assert ds.element_spec == (
        tf.TensorSpec([], tf.int32),
        tf.TensorSpec([], tf.float32),
        tf.TensorSpec([], tf.string),
    )
    assert _rows(ds) == [(1, 2.5, b"x"), (3, 0.0, b"y,z"), (4, 5.0, b"w")]
    both = tf.data.experimental.CsvDataset([t, t2], [[0], ["q"]], header=True, select_cols=[0, 2])
    assert _rows(both) == [(1, b"x"), (3, b"y,z"), (4, b"w"), (7, b'q"r')]
    excluded = tf.data.experimental.CsvDataset(t, [[0], ["q"]], header=True, exclude_cols=[1])
    assert _rows(excluded) == [(1, b"x"), (3, b"y,z"), (4, b"w")]
    # TensorFlow's CSVDataset kernel refuses bad select_cols with InvalidArgumentError
    for cols in ([2, 0], [-1, 0], [0, 1, 2]):
        with pytest.raises(tf.errors.InvalidArgumentError, match="select_cols"):
            tf.data.experimental.CsvDataset(t, [[0], ["q"]], header=True, select_cols=cols)


def test_csv_dataset_required_field_and_compression(files, tmp_path):
    t, _ = files
    ds = tf.data.experimental.CsvDataset(t, [tf.int32, tf.float32, ["q"]], header=True)
    with pytest.raises(tf.errors.InvalidArgumentError, match="t.csv: Field 1 is required"):
        _rows(ds)
    gz = tmp_path / "t.csv.gz"
    gz.write_bytes(gzip.compress(T_CSV))
    zipped = tf.data.experimental.CsvDataset(
        str(gz), [[0], [0.0], [""]], header=True, compression_type="GZIP"
    )
    assert _rows(zipped)[1] == (3, 0.0, b"y,z")
    with pytest.raises(ValueError, match="at most one"):
        tf.data.experimental.CsvDataset(t, [[0]], select_cols=[0], exclude_cols=[1])


def test_make_csv_dataset_label_and_inference(files):
    ds = tf.data.experimental.make_csv_dataset(
        list(files), batch_size=2, label_name="a", num_epochs=1, shuffle=False
    )
    features_spec, label_spec = ds.element_spec
    assert isinstance(features_spec, collections.OrderedDict)
    assert list(features_spec) == ["b", "c"]
    assert features_spec["b"] == tf.TensorSpec([None], tf.float32)
    assert label_spec == tf.TensorSpec([None], tf.int32)
    assert _batches(ds) == [
        ({"b": [2.5, 0.0], "c": [b"x", b"y,z"]}, [1, 3]),
        ({"b": [5.0, 1000.0], "c": [b"w", b'q"r']}, [4, 7]),
    ]


def test_make_csv_dataset_select_defaults_epochs(files):
    t, _ = files
    ds = tf.data.experimental.make_csv_dataset(
        t,
        batch_size=3,
        num_epochs=2,
        shuffle=False,
        select_columns=["c", "a"],
        column_defaults=[tf.int32, "s"],
    )
    assert _batches(ds) == [{"a": [1, 3, 4], "c": [b"x", b"y,z", b"w"]}] * 2
    forever = tf.data.experimental.make_csv_dataset(t, batch_size=2, shuffle=False)
    assert forever.element_spec["a"] == tf.TensorSpec([2], tf.int32)
    assert forever.cardinality().numpy() == -1
    assert _batches(forever.take(3)) == [
        {"a": [1, 3], "b": [2.5, 0.0], "c": [b"x", b"y,z"]},
        {"a": [4, 1], "b": [5.0, 2.5], "c": [b"w", b"x"]},
        {"a": [3, 4], "b": [0.0, 5.0], "c": [b"y,z", b"w"]},
    ]


def test_make_csv_dataset_names_pattern_parallel_shuffle(files, tmp_path):
    pattern = str(tmp_path / "t*.csv")
    named = tf.data.experimental.make_csv_dataset(
        pattern,
        batch_size=2,
        shuffle=False,
        num_epochs=1,
        column_names=["x", "y", "z"],
        select_columns=[0],
    )
    assert _batches(named) == [{"x": [1, 3]}, {"x": [4, 7]}]
    parallel = tf.data.experimental.make_csv_dataset(
        list(files), batch_size=2, shuffle=False, num_epochs=1, num_parallel_reads=2
    )
    assert _batches(parallel) == [
        {"a": [1, 7], "b": [2.5, 1000.0], "c": [b"x", b'q"r']},
        {"a": [3, 4], "b": [0.0, 5.0], "c": [b"y,z", b"w"]},
    ]
    shuffled = tf.data.experimental.make_csv_dataset(
        files[0], batch_size=10, shuffle_seed=3, num_epochs=1, label_name="c"
    )
    assert sorted(_batches(shuffled)[0][1]) == [b"w", b"x", b"y,z"]


def test_make_csv_dataset_type_inference_widens(tmp_path):
    path = tmp_path / "w.csv"
    path.write_text("i,big,f,wide,s\n1,1,1,1,1\n2,3000000000,2.5,1e39,x\n,,,,\n")
    ds = tf.data.experimental.make_csv_dataset(str(path), batch_size=3, num_epochs=1, shuffle=False)
    features = next(iter(ds))
    assert [features[k].dtype.name for k in features] == [
        "int32",
        "int64",
        "float32",
        "float64",
        "string",
    ]
    assert features["big"].numpy().tolist() == [1, 3000000000, 0]
    assert features["s"].numpy().tolist() == [b"1", b"x", b""]


def test_csv_dataset_ignore_errors_skips_bad_records(tmp_path, caplog):
    path = tmp_path / "d.csv"
    path.write_bytes(b"a,b\n1,NA\n2,3.5\n3,bad\n4,4.5\n")
    ds = tf.data.experimental.CsvDataset(str(path), [0, 0.0], header=True)
    # as TensorFlow 2.21: the records that do not parse are left out, the file goes on
    assert [int(a) for a, _ in ds.ignore_errors()] == [2, 4]
    assert [int(a) for a, _ in ds.map(lambda a, b: (a * 2, b)).ignore_errors()] == [4, 8]
    assert [int(a[0]) for a, _ in ds.batch(1).ignore_errors()] == [2, 4]
    with caplog.at_level("WARNING"):
        assert len(list(ds.ignore_errors(log_warning=True))) == 2
    assert "not a valid float: NA" in caplog.text
    with pytest.raises(tf.errors.InvalidArgumentError, match="not a valid float: NA"):
        list(ds)


def test_make_csv_dataset_ignore_errors(tmp_path):
    path = tmp_path / "e.csv"
    path.write_text("a,b\n1,2\nx,3\n4,5\n")
    ds = tf.data.experimental.make_csv_dataset(
        str(path),
        batch_size=5,
        num_epochs=1,
        shuffle=False,
        column_defaults=[[0], [0]],
        ignore_errors=True,
    )
    assert _batches(ds) == [{"a": [1, 4], "b": [2, 5]}]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"file_pattern": "nomatch*.csv"}, "No files match"),
        ({"label_name": "zz"}, "`label_name` provided must be one of the columns"),
        ({"select_columns": ["zz"]}, "Column zz specified in `select_columns`"),
        ({"header": False}, "Expected `column_names` or `header`"),
        ({"column_names": ["a", "a", "b"]}, "duplicate column names"),
        ({"select_columns": ["a"], "column_defaults": [[0], [0]]}, "same length"),
    ],
)
def test_make_csv_dataset_errors(files, tmp_path, kwargs, message):
    args = {"file_pattern": files[0], "batch_size": 2}
    args.update(kwargs)
    if args["file_pattern"] == "nomatch*.csv":
        args["file_pattern"] = str(tmp_path / "nomatch*.csv")
    with pytest.raises(ValueError, match=message):
        tf.data.experimental.make_csv_dataset(**args)


def test_tfrecord_pipeline_shuffle_batch_repeat(tmp_path):
    path = str(tmp_path / "p.tfrecord")
    with tf.io.TFRecordWriter(path) as writer:
        for i in range(10):
            example = tf.train.Example(
                features=tf.train.Features(
                    feature={"v": tf.train.Feature(int64_list=tf.train.Int64List(value=[i]))}
                )
            )
            writer.write(example.SerializeToString())
    spec = {"v": tf.io.FixedLenFeature([], tf.int64)}
    ds = (
        tf.data.TFRecordDataset(path)
        .map(lambda r: tf.io.parse_single_example(r, spec)["v"], num_parallel_calls=2)
        .shuffle(10, seed=1)
        .repeat(2)
        .batch(4)
    )
    seen = np.concatenate([b.numpy() for b in ds])
    assert sorted(seen.tolist()) == sorted(list(range(10)) * 2)
    assert ds.cardinality().numpy() == tf.data.UNKNOWN_CARDINALITY


def test_experimental_tfrecord_writer_writes_a_dataset(tmp_path):
    path = str(tmp_path / "d.tfrecord")
    strings = tf.data.Dataset.from_tensor_slices([b"a", b"bc", b""])
    assert tf.data.experimental.TFRecordWriter(path, "GZIP").write(strings) is None
    assert list(tf.data.TFRecordDataset(path, "GZIP").as_numpy_iterator()) == [b"a", b"bc", b""]
    writer = tf.data.experimental.TFRecordWriter(path)
    with pytest.raises(TypeError, match="scalar `tf.string` elements"):
        writer.write(tf.data.Dataset.range(3))
    with pytest.raises(TypeError, match="scalar `tf.string` elements"):
        writer.write(strings.batch(2))


def test_pipeline_is_built_before_its_file_exists(tmp_path):
    # as TensorFlow (the data guide): building reads nothing; iterating raises NotFoundError,
    # and once the file is written the same pipeline reads it
    path = tmp_path / "later.csv"
    ds = tf.data.experimental.CsvDataset(str(path), [999] * 4)
    ds = ds.map(lambda *items: tf.stack(items)).batch(2)
    assert ds.element_spec == tf.TensorSpec([None, 4], tf.int32)
    with pytest.raises(tf.errors.NotFoundError, match="later.csv"):
        list(ds)
    path.write_bytes(b"1,2,3,4\n,2,3,\n")
    assert [b.tolist() for b in ds.as_numpy_iterator()] == [[[1, 2, 3, 4], [999, 2, 3, 999]]]
    lines = tf.data.TextLineDataset(str(tmp_path / "none.txt")).map(tf.strings.length)
    assert lines.element_spec == tf.TensorSpec([], tf.int32)
    with pytest.raises(tf.errors.NotFoundError):
        list(lines)


def test_map_over_an_empty_string_dataset_has_a_spec():
    ds = tf.data.Dataset.from_tensor_slices(tf.constant([], tf.string))
    assert ds.map(tf.strings.length).element_spec == tf.TensorSpec([], tf.int32)
    assert list(ds.map(tf.strings.upper)) == []
