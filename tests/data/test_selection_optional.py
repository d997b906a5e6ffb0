"""take_while, unique, ignore_errors, rebatch, get_single_element, Optional and the
tf.data.experimental functions that return dataset transformations. Expected values were
read off tensorflow-cpu 2.21 where the behaviour is TensorFlow's."""

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.data.dataset import UNKNOWN


def _values(ds):
    return [np.asarray(x).tolist() for x in ds.as_numpy_iterator()]


def test_take_while_stops_at_the_first_false():
    ds = tf.data.Dataset.range(10).take_while(lambda x: x < 5)
    assert _values(ds) == [0, 1, 2, 3, 4]
    assert int(ds.cardinality()) == UNKNOWN
    # an element after the first False that passes again is not taken
    ds = tf.data.Dataset.from_tensor_slices([1, 2, 9, 1]).take_while(lambda x: x < 5)
    assert _values(ds) == [1, 2]


def test_take_while_predicate_must_be_a_bool_scalar():
    with pytest.raises(ValueError, match="take_while.*`tf.bool` scalar"):  # as TensorFlow
        list(tf.data.Dataset.range(3).take_while(lambda x: x))
    with pytest.raises(TypeError, match="predicate must be callable"):
        tf.data.Dataset.range(3).take_while(3)


def test_unique_keeps_first_appearances_in_order():
    ds = tf.data.Dataset.from_tensor_slices([1, 2, 2, 3, 1, 5]).unique()
    assert _values(ds) == [1, 2, 3, 5]
    words = tf.data.Dataset.from_tensor_slices(["b", "a", "b"]).unique()
    assert _values(words) == [b"b", b"a"]
    rows = tf.data.Dataset.from_tensor_slices([[1, 2], [1, 2], [2, 1]]).unique()
    assert _values(rows) == [[1, 2], [2, 1]]


def test_unique_refuses_floats_and_several_components():
    with pytest.raises(TypeError, match="float32 are not supported"):
        tf.data.Dataset.from_tensor_slices([1.0, 2.0]).unique()
    with pytest.raises(TypeError, match="single component"):
        tf.data.Dataset.from_tensor_slices(([1, 2], [1, 2])).unique()


def _reciprocal_checked(values):
    return (
        tf.data.Dataset.from_tensor_slices(np.asarray(values, np.float32))
        .map(lambda x: 1 / x)
        .map(lambda x: tf.debugging.check_numerics(x, "bad"))
    )


def test_ignore_errors_drops_failed_elements_and_goes_on():
    ds = _reciprocal_checked([1.0, 0.0, 2.0, 0.0, 4.0]).ignore_errors()
    assert _values(ds) == [1.0, 0.5, 0.25]
    assert int(ds.cardinality()) == UNKNOWN
    with pytest.raises(tf.errors.InvalidArgumentError, match="element 1"):
        list(_reciprocal_checked([1.0, 0.0]))  # without it the pass stops


def test_ignore_errors_with_a_parallel_map_and_a_filter():
    ds = (
        tf.data.Dataset.from_tensor_slices(np.asarray([1.0, 0.0, 2.0], np.float32))
        .map(lambda x: tf.debugging.check_numerics(1 / x, "bad"), num_parallel_calls=2)
        .filter(lambda x: tf.debugging.check_numerics(x, "never") > 0.6)
        .ignore_errors(log_warning=True)
    )
    assert _values(ds) == [1.0]


def test_ignore_errors_keeps_other_exceptions():
    def broken(x):
        raise KeyError("not an op error")

    with pytest.raises(KeyError):
        list(tf.data.Dataset.range(2).map(broken).ignore_errors())


def test_rebatch_regroups_rows():
    base = tf.data.Dataset.range(10).batch(4)
    ds = base.rebatch(3)
    assert _values(ds) == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
    assert ds.element_spec.shape.as_list() == [None]
    assert _values(base.rebatch([2, 3])) == [[0, 1], [2, 3, 4], [5, 6], [7, 8, 9]]
    dropped = base.rebatch(3, drop_remainder=True)
    assert _values(dropped) == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    assert dropped.element_spec.shape.as_list() == [3]


def test_rebatch_checks_its_arguments():
    with pytest.raises(ValueError, match="rebatch"):
        tf.data.Dataset.range(10).batch(4).rebatch(0)
    with pytest.raises(ValueError, match="empty list"):
        tf.data.Dataset.range(10).batch(4).rebatch([])


def test_get_single_element():
    x, y = tf.data.Dataset.from_tensors((1, "a")).get_single_element()
    assert int(x) == 1 and y.numpy() == b"a"
    with pytest.raises(tf.errors.InvalidArgumentError, match="more than one"):
        tf.data.Dataset.range(2).get_single_element()
    with pytest.raises(tf.errors.InvalidArgumentError, match="empty"):
        tf.data.Dataset.range(0).get_single_element()
    assert int(tf.data.experimental.get_single_element(tf.data.Dataset.range(1))) == 0


def test_get_next_as_optional_and_optional():
    iterator = iter(tf.data.Dataset.range(1))
    first = iterator.get_next_as_optional()
    assert bool(first.has_value()) and int(first.get_value()) == 0
    assert first.element_spec == tf.TensorSpec([], tf.int64)
    end = tf.data.experimental.get_next_as_optional(iterator)
    assert not bool(end.has_value())
    with pytest.raises(tf.errors.InvalidArgumentError, match="does not have a value"):
        end.get_value()
    made = tf.data.experimental.Optional.from_value((3, [1.0, 2.0]))
    assert made.element_spec[1] == tf.TensorSpec([2], tf.float32)
    assert not bool(tf.data.experimental.Optional.empty(tf.TensorSpec([], tf.int32)).has_value())


def test_from_list_and_at():
    ds = tf.data.experimental.from_list([(1, "a"), (2, "b")])
    assert ds.element_spec == (tf.TensorSpec([], tf.int32), tf.TensorSpec([], tf.string))
    assert [(int(a), b) for a, b in ds.as_numpy_iterator()] == [(1, b"a"), (2, b"b")]
    assert int(tf.data.experimental.at(tf.data.Dataset.range(10), 3)) == 3
    with pytest.raises(tf.errors.OutOfRangeError, match="past the dataset's end"):
        tf.data.experimental.at(tf.data.Dataset.range(2), 5)
    with pytest.raises(ValueError, match="first one's structure"):
        tf.data.experimental.from_list([(1, 2), (1,)])


def test_from_list_lists_are_tensors_and_shapes_may_differ():
    # TF's docstring: "Unlike from_tensor_slices, from_list supports non-rectangular input"
    ds = tf.data.experimental.from_list([[1], [2, 3]])
    assert ds.element_spec == tf.TensorSpec([None], tf.int32)
    assert [a.tolist() for a in ds.as_numpy_iterator()] == [[1], [2, 3]]
    ds = tf.data.experimental.from_list([{"a": [1.0, 2.0], "b": 1}, {"a": [3.0], "b": 2}])
    assert ds.element_spec == {
        "a": tf.TensorSpec([None], tf.float32),
        "b": tf.TensorSpec([], tf.int32),
    }
    assert [(e["a"].tolist(), e["b"]) for e in ds.as_numpy_iterator()] == [
        ([1.0, 2.0], 1),
        ([3.0], 2),
    ]
    assert tf.data.experimental.from_list([[1, 2], [3, 4]]).element_spec == tf.TensorSpec(
        [2], tf.int32
    )
    with pytest.raises(ValueError, match="from_list: a component's elements must have one rank"):
        tf.data.experimental.from_list([[1], [[2]]])


def test_group_by_reducer_folds_each_key():
    reducer = tf.data.experimental.Reducer(
        init_func=lambda key: tf.constant(0, tf.int64),
        reduce_func=lambda state, x: state + x,
        finalize_func=lambda state: state * 10,
    )
    ds = tf.data.Dataset.range(10).apply(
        tf.data.experimental.group_by_reducer(lambda x: x % 2, reducer)
    )
    assert _values(ds) == [200, 250]  # evens 0+2+...+8 = 20, odds 25; keys in first order


def test_group_by_reducer_checks_the_state_type():
    reducer = tf.data.experimental.Reducer(
        lambda key: tf.constant(0, tf.int32), lambda s, x: x, lambda s: s
    )
    with pytest.raises(TypeError, match="initial state's structure"):
        list(
            tf.data.Dataset.range(3).apply(
                tf.data.experimental.group_by_reducer(lambda x: x % 2, reducer)
            )
        )


def test_experimental_transformation_functions():
    exp = tf.data.experimental
    ds = tf.data.Dataset.range(6)
    assert _values(ds.apply(exp.take_while(lambda x: x < 2))) == [0, 1]
    assert _values(ds.map(lambda x: x % 2).apply(exp.unique())) == [0, 1]
    assert _values(ds.apply(exp.map_and_batch(lambda x: x * 2, 4))) == [[0, 2, 4, 6], [8, 10]]
    assert _values(ds.batch(4).apply(exp.unbatch())) == list(range(6))
    assert _values(ds.take(2).apply(exp.enumerate_dataset(5))) == [[5, 0], [6, 1]]
    assert _values(ds.apply(exp.scan(0, lambda s, x: (s + 1, s)))) == list(range(6))
    shuffled = ds.apply(exp.shuffle_and_repeat(6, count=2, seed=1))
    values = _values(shuffled)
    assert sorted(values[:6]) == list(range(6)) and sorted(values[6:]) == list(range(6))
    assert exp.get_structure(ds) == tf.TensorSpec([], tf.int64)
    picked = exp.choose_from_datasets(
        [tf.data.Dataset.from_tensors(0).repeat(), tf.data.Dataset.from_tensors(1).repeat()],
        tf.data.Dataset.from_tensor_slices(np.asarray([0, 1, 1], np.int64)),
    )
    assert _values(picked) == [0, 1, 1]
    ragged = tf.data.Dataset.from_tensor_slices(np.arange(4)).map(lambda x: tf.range(x))
    batches = list(ragged.apply(exp.dense_to_ragged_batch(2)))
    assert batches[1].to_list() == [[0, 1], [0, 1, 2]]


def test_optional_spec_in_an_input_signature():
    # TF 2.21: an Optional fits an OptionalSpec of its element spec, values and empty ones
    spec = tf.OptionalSpec(tf.TensorSpec(shape=(), dtype=tf.int32))
    assert spec.is_compatible_with(tf.experimental.Optional.from_value(3))
    assert spec.is_compatible_with(tf.OptionalSpec(tf.TensorSpec(None, tf.int32)))
    assert not spec.is_compatible_with(tf.experimental.Optional.from_value(3.0))
    assert not spec.is_compatible_with(tf.constant(3))

    @tf.function(input_signature=[spec])
    def square_or_minus_one(optional):
        return tf.cond(
            optional.has_value(),
            lambda: optional.get_value() * optional.get_value(),
            lambda: tf.constant(-1),
        )

    assert int(square_or_minus_one(tf.experimental.Optional.from_value(5))) == 25
    assert int(square_or_minus_one(tf.experimental.Optional.from_value(7))) == 49
    assert int(square_or_minus_one(tf.experimental.Optional.empty(spec.element_spec))) == -1
    with pytest.raises(TypeError, match="input_signature"):
        square_or_minus_one(tf.constant(3))
