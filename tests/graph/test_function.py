"""gpuflow.function: TensorFlow's tracing rules, side effects, methods, variables."""

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.graph import OperatorNotAllowedInGraphError


def test_one_trace_per_signature():
    traces = []

    @tf.function
    def f(x, n):
        traces.append(1)  # a Python side effect: runs while tracing only
        return x * n

    a = tf.constant([1.0, 2.0])
    np.testing.assert_allclose(f(a, 2).numpy(), [2, 4])
    np.testing.assert_allclose(f(tf.constant([3.0, 4.0]), 2).numpy(), [6, 8])  # replay
    assert f.experimental_get_tracing_count() == 1 and len(traces) == 1
    f(a, 3)  # new Python value: retrace
    f(tf.constant([1.0, 2.0, 3.0]), 3)  # new shape: retrace
    f(tf.constant([1, 2]), 3)  # new dtype: retrace
    assert f.experimental_get_tracing_count() == 4 and len(traces) == 4
    np.testing.assert_allclose(f(a, 3).numpy(), [3, 6])
    assert f.experimental_get_tracing_count() == 4


def test_numpy_arguments_are_tensors():
    @tf.function
    def f(x):
        return x + 1.0

    f(np.zeros(3, "float32"))
    out = f(np.ones(3, "float32"))
    assert isinstance(out, tf.Tensor)
    np.testing.assert_allclose(out.numpy(), [2, 2, 2])
    assert f.experimental_get_tracing_count() == 1


def test_tf_print_runs_on_every_call(capsys):
    @tf.function
    def f(x):
        print("traced")
        tf.print("value:", x)
        return x

    for v in (1.0, 2.0, 3.0):
        f(tf.constant(v))
    captured = capsys.readouterr()
    assert captured.out.count("traced") == 1
    assert captured.err.splitlines() == ["value: 1", "value: 2", "value: 3"]


def test_variable_assignments_replay_in_order():
    v = tf.Variable(1.0)

    @tf.function
    def f(x):
        v.assign_add(x)
        y = v * 2.0  # reads the value after the assignment
        v.assign(y)
        return y

    assert float(f(tf.constant(1.0))) == 4.0
    assert float(f(tf.constant(1.0))) == 10.0
    assert float(v.numpy()) == 10.0
    assert f.experimental_get_tracing_count() == 1


def test_variables_created_on_first_trace_only():
    holder = []

    @tf.function
    def ok(x):
        if not holder:
            holder.append(tf.Variable(2.0))
        return holder[0] * x

    assert float(ok(tf.constant(3.0))) == 6.0
    assert float(ok(tf.constant([1.0, 2.0]))[1]) == 4.0  # second trace creates none

    @tf.function
    def bad(x):
        return tf.Variable(1.0) * x

    # as TensorFlow, the first call already fails: its check trace makes a Variable again
    with pytest.raises(
        ValueError, match="only supports singleton tf.Variables created on the first call"
    ):
        bad(tf.constant(1.0))


def test_methods_bind_per_instance():
    class Scale(tf.Module):
        def __init__(self, k):
            super().__init__()
            self.k = tf.Variable(k)

        @tf.function
        def __call__(self, x):
            return x * self.k

    a, b = Scale(2.0), Scale(3.0)
    x = tf.constant([1.0])
    assert float(a(x)[0]) == 2.0 and float(b(x)[0]) == 3.0
    a.k.assign(5.0)
    assert float(a(x)[0]) == 5.0  # variables are read at each call
    assert a.__call__.experimental_get_tracing_count() == 1
    assert b.__call__.experimental_get_tracing_count() == 1


def test_input_signature_relaxes_shapes_and_checks():
    @tf.function(input_signature=[tf.TensorSpec(shape=[None], dtype=tf.float32)])
    def f(x):
        return tf.reduce_sum(x)

    assert float(f(tf.constant([1.0, 2.0]))) == 3.0
    assert float(f(tf.constant([1.0, 2.0, 3.0]))) == 6.0
    assert float(f([4.0])) == 4.0  # converted to the declared dtype
    assert f.experimental_get_tracing_count() == 1
    with pytest.raises(TypeError, match="incompatible with input_signature"):
        f(tf.constant([[1.0]]))
    with pytest.raises(TypeError, match="incompatible with input_signature"):
        f(tf.constant([1, 2]))


def test_get_concrete_function_traces_without_running():
    v = tf.Variable(0.0)

    @tf.function
    def f(x):
        v.assign_add(tf.reduce_sum(x))
        return tf.nn.relu(x) * 2.0

    concrete = f.get_concrete_function(tf.TensorSpec([3], tf.float32))
    assert float(v.numpy()) == 0.0
    text = str(concrete.graph)
    assert "Relu" in text and "assign_add" in text
    assert "TensorSpec(shape=(3,), dtype=tf.float32" in concrete.pretty_printed_signature()
    np.testing.assert_allclose(concrete(tf.constant([-1.0, 1.0, 2.0])).numpy(), [0, 2, 4])
    assert float(v.numpy()) == 2.0
    assert f.experimental_get_tracing_count() == 1
    f(tf.constant([1.0, 1.0, 1.0]))  # the concrete function serves calls
    assert f.experimental_get_tracing_count() == 1


def test_run_functions_eagerly():
    traces = []

    @tf.function
    def f(x):
        traces.append(1)
        return x + 1

    tf.config.run_functions_eagerly(True)
    try:
        assert tf.config.functions_run_eagerly()
        f(tf.constant(1.0))
        f(tf.constant(1.0))
    finally:
        tf.config.run_functions_eagerly(False)
    assert len(traces) == 2 and f.experimental_get_tracing_count() == 0


def test_tensor_bool_inside_trace_points_to_cond():
    @tf.function
    def f(x):
        if bool(x > 0):  # the value itself, asked for while tracing
            return x
        return -x

    with pytest.raises(OperatorNotAllowedInGraphError, match="gpuflow.cond"):
        f(tf.constant(1.0))

    @tf.function
    def g(x):
        return x.numpy()

    with pytest.raises(OperatorNotAllowedInGraphError, match="numpy"):
        g(tf.constant(1.0))


def test_random_draws_fresh_values_each_call():
    @tf.function
    def f():
        return tf.random.uniform((4,))

    a, b = f().numpy(), f().numpy()
    assert not np.array_equal(a, b)


def test_metrics_update_on_every_call():
    mean = tf.keras.metrics.Mean()

    @tf.function
    def f(x):
        mean(x)

    for v in (1.0, 2.0, 6.0):
        f(tf.constant(v))
    assert float(mean.result()) == 3.0


def test_outer_tape_differentiates_through_a_function():
    @tf.function
    def f(x):
        return x * x

    x = tf.Variable(3.0)
    f(tf.constant(1.0))
    with tf.GradientTape() as tape:
        y = f(x)
    assert float(tape.gradient(y, x)) == 6.0


def test_compile_step_keeps_the_signature():
    from gpuflow.graph import compile_step

    w = tf.Variable([1.0, 2.0])

    def train_step(data):
        x, y = data
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean((tf.reduce_sum(x * w, axis=1) - y) ** 2)
        (g,) = tape.gradient(loss, [w])
        w.assign_sub(0.1 * g)
        return {"loss": loss}

    step = compile_step(train_step)
    data = (tf.constant([[1.0, 0.0], [0.0, 1.0]]), tf.constant([0.0, 0.0]))
    first = step(data)["loss"]
    second = step(data)["loss"]
    assert float(second) < float(first)
    assert step.experimental_get_tracing_count() == 1


@pytest.mark.parametrize("seed", [None, 3])
def test_dropout_draws_a_fresh_mask_each_call(seed):
    layer = tf.keras.layers.Dropout(0.5, seed=seed)

    @tf.function
    def f(x):
        return layer(x, training=True)

    x = tf.ones((64,))
    masks = [f(x).numpy() for _ in range(3)]
    assert not np.array_equal(masks[0], masks[1]) and not np.array_equal(masks[1], masks[2])
    assert set(np.unique(masks[0])) <= {0.0, 2.0}


def test_keyword_arguments_nested_calls_and_structured_outputs():
    @tf.function
    def inner(x):
        return x * 2.0

    @tf.function
    def outer(x, scale=3.0, *, bias=None):
        y = inner(x) * scale
        if bias is not None:  # a Python value: decided while tracing
            y = y + bias
        return {"y": y, "none": None, "python": 5}

    assert float(outer(tf.constant(1.0))["y"]) == 6.0
    out = outer(tf.constant(1.0), bias=tf.constant(1.0))
    assert float(out["y"]) == 7.0 and out["none"] is None and out["python"] == 5
    assert float(outer(x=tf.constant(2.0), scale=1.0)["y"]) == 4.0
    assert float(outer(tf.constant(3.0), bias=tf.constant(1.0))["y"]) == 19.0
    assert outer.experimental_get_tracing_count() == 3


def test_jacobian_inside_a_function():
    @tf.function
    def jacobian(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x * x
        return tape.jacobian(y, x)

    np.testing.assert_allclose(jacobian(tf.constant([1.0, 2.0])).numpy(), [[2, 0], [0, 4]])
    np.testing.assert_allclose(jacobian(tf.constant([3.0, 4.0])).numpy(), [[6, 0], [0, 8]])


def test_second_derivatives_inside_a_function_run_eagerly_with_a_warning():
    @tf.function
    def f(x):
        with tf.GradientTape() as outer:
            outer.watch(x)
            with tf.GradientTape() as inner:
                inner.watch(x)
                y = x * x * x
            dy = inner.gradient(y, x)
        return outer.gradient(dy, x)

    with pytest.warns(RuntimeWarning, match="second derivatives"):
        assert float(f(tf.constant(2.0))) == 12.0  # d2(x^3)/dx2 = 6x, as TensorFlow
    assert float(f(tf.constant(1.0))) == 6.0


def test_reduce_retracing_counts_size_changes_once_as_tensorflow():
    @tf.function(reduce_retracing=True)
    def f(x, flag=None):
        return x * 2

    for n in (3, 5, 7):
        np.testing.assert_array_equal(f(tf.ones([n])).numpy(), np.full(n, 2.0))
    assert f.experimental_get_tracing_count() == 2  # [3], then [None]
    for shape in ((2, 2), (3, 2), (4, 5)):
        assert f(tf.ones(shape)).shape == shape
    assert f.experimental_get_tracing_count() == 3  # ranks differ: an unknown rank
    f(tf.ones([4]), flag=True)  # a new Python value traces anew
    assert f.experimental_get_tracing_count() == 4
    f(tf.ones([4], dtype=tf.int32))  # so does a new dtype
    assert f.experimental_get_tracing_count() == 5


def test_without_reduce_retracing_each_shape_traces():
    @tf.function
    def f(x):
        return x + 1

    for n in (3, 5, 7):
        f(tf.ones([n]))
    assert f.experimental_get_tracing_count() == 3


def test_concrete_functions_bind_arguments_by_name_as_tensorflow():
    @tf.function
    def double(a):
        return a + a

    strings = double.get_concrete_function(tf.TensorSpec(shape=[], dtype=tf.string))
    assert strings(tf.constant("a")).numpy() == b"aa"
    assert strings(a=tf.constant("b")).numpy() == b"bb"  # keyword for a positional trace

    @tf.function
    def power(a, b):
        return a**b

    square = power.get_concrete_function(a=tf.TensorSpec(None, tf.float32), b=2)
    assert float(square(tf.constant(10.0))) == 100.0  # positional for a keyword trace
    assert float(square(a=tf.constant(3.0))) == 9.0  # the Python b=2 is bound
    # the unknown rank asked for by keyword takes any rank, called either way
    np.testing.assert_array_equal(square(tf.constant([[1.0, 2.0]])).numpy(), [[1.0, 4.0]])
    np.testing.assert_array_equal(square(a=tf.constant([3.0])).numpy(), [9.0])
    with pytest.raises(tf.errors.InvalidArgumentError, match="expected to be a float tensor"):
        square(tf.constant([1, 2]))  # int32 for a float32 spec
    cube = power.get_concrete_function(tf.TensorSpec([], tf.float32), 3)
    assert float(cube(tf.constant(2.0))) == 8.0  # a positional Python value, bound too


def test_returned_variables_are_read_on_the_first_call_too():
    # guide/function: a Module's counter created on the first call, returned by assign_add
    class Count(tf.Module):
        def __init__(self):
            self.count = None

        @tf.function
        def __call__(self):
            if self.count is None:
                self.count = tf.Variable(0)
            return self.count.assign_add(1)

    c = Count()
    first, second = c(), c()
    assert not isinstance(first, tf.Variable) and isinstance(first, tf.Tensor)
    assert int(first) == 1 and int(second) == 2
    v = tf.Variable([1.0, 2.0])

    @tf.function
    def both():
        return v, {"after": v.assign_add([1.0, 1.0])}

    for expected in ([2.0, 3.0], [3.0, 4.0]):  # the trace and a replay
        read, after = both()  # as TF: the variable's value at the function's end
        assert not isinstance(read, tf.Variable)
        np.testing.assert_array_equal(read.numpy(), expected)
        np.testing.assert_array_equal(after["after"].numpy(), expected)
        read.numpy()[0] = 99.0  # a copy: the variable keeps its value
    np.testing.assert_array_equal(v.numpy(), [3.0, 4.0])


def test_python_values_returned_become_tensors_as_tensorflow():
    @tf.function
    def f():
        return 3, 2.5, "s", True, None

    for _ in range(2):  # the trace and a replay
        i, x, s, b, n = f()
        assert i.dtype == tf.int32 and int(i) == 3
        assert x.dtype == tf.float32 and float(x) == 2.5
        assert s.dtype == tf.string and s.numpy() == b"s"
        assert b.dtype == tf.bool and bool(b) and n is None


def test_a_returned_tensor_shape_is_an_int32_vector_or_tensorflows_type_error():
    shape_of = tf.function(lambda x: {"shape": x.shape, "scalar": tf.TensorShape([])})
    for size in (2, 2, 5):  # a trace, its replay, another shape's trace
        out = shape_of(tf.zeros([size, 3]))
        assert out["shape"].dtype == tf.int32
        np.testing.assert_array_equal(out["shape"].numpy(), [size, 3])
        assert out["scalar"].dtype == tf.int32 and out["scalar"].shape == (0,)
    open_batch = tf.function(lambda x: x.shape, input_signature=[tf.TensorSpec([None, 3])])
    with pytest.raises(TypeError, match="found return value of type TensorShape"):
        open_batch(tf.zeros([2, 3]))


def test_concrete_functions_asked_with_unknown_sizes_as_tf(capsys):
    # guide/saved_model: a call's scalar trace, then signatures of unknown rank and [None]
    class Scaled(tf.Module):
        def __init__(self):
            super().__init__()
            self.v = tf.Variable(2.0)

        @tf.function
        def __call__(self, x):
            print("Tracing with", x)
            return x * tf.cast(self.v, x.dtype)

    m = Scaled()
    m(tf.constant(1.0))
    assert capsys.readouterr().out == 'Tracing with Tensor("x:0", shape=(), dtype=float32)\n'
    anyrank = m.__call__.get_concrete_function(tf.TensorSpec(None, tf.float32))
    # a trace of its own (the scalar call's trace is not reused), printed without a shape
    assert capsys.readouterr().out == 'Tracing with Tensor("x:0", dtype=float32)\n'
    assert "shape=<unknown>" in repr(anyrank.structured_input_signature[0][0])
    # a narrower request is served by the unknown-rank trace: no new trace
    vector = m.__call__.get_concrete_function(tf.TensorSpec([None], tf.float32))
    assert vector is anyrank and capsys.readouterr().out == ""
    assert "shape=<unknown>" in repr(anyrank.structured_input_signature[0][0])  # kept
    # the call's own trace still serves its size; the unknown one any rank
    scalar = m.__call__.get_concrete_function(tf.TensorSpec([], tf.float32))
    assert scalar is not anyrank and capsys.readouterr().out == ""
    np.testing.assert_allclose(anyrank(tf.constant([[1.0, 3.0]])).numpy(), [[2.0, 6.0]])
    assert float(m(tf.constant(4.0))) == 8.0 and capsys.readouterr().out == ""
    # another dtype is not served by a float32 trace
    ints = m.__call__.get_concrete_function(tf.TensorSpec([None], tf.int32))
    assert ints is not anyrank
