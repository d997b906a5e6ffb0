"""An op that fails while tracing raises only when its result is used, as TensorFlow
prunes unused operations (guide/intro_to_graphs: an unused ``tf.gather`` out of range)."""

import pytest

import gpuflow as tf


def _short():
    return tf.constant([0.0])


def test_unused_failing_op_does_not_raise_but_eager_does():
    def body(x):
        tf.gather(x, [1])
        return x

    with pytest.raises(tf.errors.InvalidArgumentError):
        body(_short())
    assert tf.function(body)(_short()).numpy().tolist() == [0.0]


def test_unused_chain_of_failed_results_does_not_raise():
    @tf.function
    def f(x):
        y = tf.gather(x, [1])
        tf.reduce_sum(tf.concat([x, y], 0))
        return x * 2.0

    assert f(_short()).numpy().tolist() == [0.0]


@pytest.mark.parametrize(
    "use",
    [
        lambda x, y: y,  # returned
        lambda x, y: x + y,  # a Tensor operator
        lambda x, y: 1.0 + y,  # a reflected operator
        lambda x, y: tf.reduce_sum(y),  # another op
        lambda x, y: tf.concat([x, y], 0),  # inside a list argument
        lambda x, y: {"out": [y]},  # nested in the outputs
    ],
)
def test_using_the_result_raises_the_ops_error(use):
    @tf.function
    def f(x):
        return use(x, tf.gather(x, [1]))

    with pytest.raises(tf.errors.InvalidArgumentError, match="gather"):
        f(_short())


def test_side_effects_with_the_result_raise():
    v = tf.Variable([0.0])

    @tf.function
    def assign(x):
        v.assign(tf.gather(x, [1]))
        return x

    with pytest.raises(tf.errors.InvalidArgumentError, match="gather"):
        assign(_short())

    @tf.function
    def branch(x):
        y = tf.gather(x, [1])
        if y > 0:  # a Python bool of the result
            return x
        return x

    with pytest.raises(tf.errors.InvalidArgumentError, match="gather"):
        branch(_short())


def test_stateful_ops_still_raise_unused():
    @tf.function
    def f(x):
        tf.debugging.assert_equal(x, tf.constant([1.0]))
        return x

    with pytest.raises(tf.errors.InvalidArgumentError):
        f(_short())


def test_valid_inputs_after_a_failed_trace_still_compute():
    @tf.function
    def f(x):
        tf.gather(x, [1])
        return x + 1.0

    assert f(_short()).numpy().tolist() == [1.0]
    assert f(tf.constant([1.0, 2.0])).numpy().tolist() == [2.0, 3.0]


def test_ragged_dispatch_inside_a_function_is_not_deferred():
    r = tf.ragged.constant([[1.0, 2.0], [3.0]])

    @tf.function
    def f(r):
        return tf.math.add(r, r) * 2.0

    assert f(r).to_list() == [[4.0, 8.0], [12.0]]
