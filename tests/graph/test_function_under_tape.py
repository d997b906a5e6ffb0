"""A gpuflow.function called while a GradientTape records: traced once and replayed, as
TensorFlow does, with the gradients of the eager body (graph/taped_call.py)."""

import numpy as np

import gpuflow as tf


def test_traced_once_and_gradients_equal_eager():
    w = tf.Variable([[1.0, 2.0], [3.0, -1.0]])
    b = tf.Variable([0.5, -0.5])
    runs = []

    @tf.function
    def loss_of(x):
        runs.append(1)  # a Python side effect: runs while tracing only
        return tf.reduce_sum(tf.nn.relu(tf.matmul(x, w) + b) ** 2)

    x = tf.constant([[1.0, -2.0], [0.5, 3.0]])
    for _ in range(3):
        with tf.GradientTape() as tape:
            tape.watch(x)
            loss = loss_of(x)
        grads = tape.gradient(loss, [w, b, x])
    assert loss_of.experimental_get_tracing_count() == 1 and len(runs) == 1
    with tf.GradientTape() as tape:
        tape.watch(x)
        eager = loss_of.python_function(x)
    expected = tape.gradient(eager, [w, b, x])
    np.testing.assert_allclose(loss.numpy(), eager.numpy())
    for got, want in zip(grads, expected):
        np.testing.assert_allclose(got.numpy(), want.numpy())
    np.testing.assert_allclose(grads[0].numpy(), [[10.0, 7.0], [60.0, -14.0]])


def test_trace_for_plain_calls_is_not_counted_again_under_a_tape():
    runs = []

    @tf.function
    def square(x):
        runs.append(1)
        return x * x, tf.shape(x)

    x = tf.constant([1.0, -2.0])
    square(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y, shape = square(x)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [2.0, -4.0])
    assert shape.numpy().tolist() == [2]
    assert square.experimental_get_tracing_count() == 1


def test_each_replay_keeps_its_own_values_for_the_gradient():
    v = tf.Variable(2.0)

    @tf.function
    def f(x):
        return {"a": x * v, "n": tf.size(x), "b": tf.reduce_sum(x**3)}

    x1, x2 = tf.constant([1.0, 2.0]), tf.constant([3.0, -1.0])
    with tf.GradientTape() as tape:
        tape.watch([x1, x2])
        first = f(x1)
        second = f(x2)  # replays the same ops: the first call's arrays must survive
        total = first["a"][0] + first["b"] + 2.0 * second["b"]
    assert first["n"].dtype == tf.int32 and int(first["n"]) == 2
    assert [var.name for var in tape.watched_variables()] == [v.name]
    g1, g2, gv = tape.gradient(total, [x1, x2, v])
    np.testing.assert_allclose(g1.numpy(), [5.0, 12.0])
    np.testing.assert_allclose(g2.numpy(), [54.0, 6.0])
    np.testing.assert_allclose(gv.numpy(), 1.0)
    assert f.experimental_get_tracing_count() == 1


def test_second_derivative_inside_a_persistent_tape_still_works():
    cube = tf.function(lambda x: x**3)
    x = tf.constant(2.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = cube(x)
        g = tape.gradient(y, x)  # recorded by the same tape
    np.testing.assert_allclose(g.numpy(), 12.0)
    np.testing.assert_allclose(tape.gradient(g, x).numpy(), 12.0)


def test_dropout_gradient_uses_the_mask_of_its_own_forward_pass():
    tf.random.set_seed(3)
    dropout = tf.keras.layers.Dropout(0.5)
    w = tf.Variable(tf.ones([64]))

    @tf.function
    def f(x):
        return dropout(x * w, training=True)

    x = tf.constant(np.linspace(1.0, 2.0, 64, dtype=np.float32))
    for _ in range(3):
        with tf.GradientTape() as tape:
            y = f(x)
            loss = tf.reduce_sum(y)
        kept = (y.numpy() != 0).astype(np.float32)
        assert 0 < kept.sum() < 64
        np.testing.assert_allclose(tape.gradient(loss, w).numpy(), x.numpy() * kept * 2.0)
    assert f.experimental_get_tracing_count() == 1


def test_second_derivative_through_nested_tapes_still_works():
    @tf.function
    def cube(x):
        return x**3

    x = tf.constant(2.0)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = cube(x)
        g = inner.gradient(y, x)
    np.testing.assert_allclose(g.numpy(), 12.0)
    np.testing.assert_allclose(outer.gradient(g, x).numpy(), 12.0)


def test_input_signature_with_unknown_sizes_under_a_tape():
    v = tf.Variable(3.0)

    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
    def mean(x):
        return tf.reduce_mean(x * v)

    for n in (2, 5):
        x = tf.ones((n, 3))
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = mean(x)
        gx, gv = tape.gradient(y, [x, v])
        np.testing.assert_allclose(gx.numpy(), np.full((n, 3), 3.0 / (3 * n)), rtol=1e-6)
        np.testing.assert_allclose(gv.numpy(), 1.0)
    assert mean.experimental_get_tracing_count() == 1


def test_keras_model_training_loop_with_compiled_forward():
    tf.random.set_seed(0)
    model = tf.keras.Sequential(
        [
            tf.keras.Input((4,)),
            tf.keras.layers.Dense(8, activation="tanh"),
            tf.keras.layers.Dense(1),
        ]
    )

    @tf.function
    def forward(x, y):
        return tf.reduce_mean((model(x) - y) ** 2)

    x = tf.random.normal((16, 4))
    y = tf.random.normal((16, 1))
    for _ in range(2):
        with tf.GradientTape() as tape:
            loss = forward(x, y)
        grads = tape.gradient(loss, model.trainable_variables)
        with tf.GradientTape() as tape:
            eager = tf.reduce_mean((model(x) - y) ** 2)
        expected = tape.gradient(eager, model.trainable_variables)
        for got, want in zip(grads, expected):
            np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-5, atol=1e-6)
        for var, g in zip(model.trainable_variables, grads):
            var.assign_sub(0.1 * g)
    assert forward.experimental_get_tracing_count() == 1


def test_control_flow_and_py_function_bodies_give_eager_gradients():
    v = tf.Variable([1.0, -2.0])

    @tf.function
    def branchy(x):
        if tf.reduce_sum(x) > 0:
            y = x * v
        else:
            y = x * v * 3.0
        return tf.reduce_sum(y)

    @tf.function
    def hosted(x):
        return tf.reduce_sum(tf.py_function(lambda a: a * 2.0, [x], tf.float32) * v)

    @tf.function
    def looped(x):
        total = tf.constant(0.0)
        for i in tf.range(3):
            total += tf.reduce_sum(x * v) * tf.cast(i, tf.float32)
        return total

    cases = {
        branchy: {1.0: ([1.0, -2.0], [1.0, 2.0]), -1.0: ([3.0, -6.0], [-3.0, -6.0])},
        hosted: {1.0: ([2.0, -4.0], [2.0, 4.0]), -1.0: ([2.0, -4.0], [-2.0, -4.0])},
        looped: {1.0: ([3.0, -6.0], [3.0, 6.0]), -1.0: ([3.0, -6.0], [-3.0, -6.0])},
    }
    for f, by_sign in cases.items():
        for sign, (want_x, want_v) in by_sign.items():
            x = tf.constant([1.0, 2.0]) * sign
            with tf.GradientTape() as tape:
                tape.watch(x)
                y = f(x)
            gx, gv = tape.gradient(y, [x, v])
            np.testing.assert_allclose(gx.numpy(), want_x)
            np.testing.assert_allclose(gv.numpy(), want_v)


def test_model_built_by_the_first_call_under_a_tape():
    class Model(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = tf.keras.layers.Dense(4, activation="relu")
            self.out = tf.keras.layers.Dense(1)

        def call(self, x):
            return self.out(self.hidden(x))

    model = Model()

    @tf.function
    def forward(x):
        return tf.reduce_sum(model(x))

    x = tf.ones((3, 2))
    for _ in range(3):
        with tf.GradientTape() as tape:
            loss = forward(x)
        grads = tape.gradient(loss, model.trainable_variables)
    assert [tuple(g.shape) for g in grads] == [(2, 4), (4,), (4, 1), (1,)]
    # as TensorFlow: the trace that created the Variables is made once more
    assert forward.experimental_get_tracing_count() == 2
    with tf.GradientTape() as tape:
        eager = tf.reduce_sum(model(x))
    for got, want in zip(grads, tape.gradient(eager, model.trainable_variables)):
        np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-6)


def test_inputs_an_output_does_not_depend_on_get_zero_gradients():
    v = tf.Variable(3.0)
    unused = tf.Variable(1.0)

    @tf.function
    def f(x):
        return x * 2.0, v * 3.0, tf.constant(5.0)

    x = tf.constant(2.0)
    for output, sources, want in (
        (0, [x, v, unused], [2.0, 0.0, None]),
        (1, [x, v], [0.0, 3.0]),
        (2, [x, v], [0.0, 0.0]),
    ):
        with tf.GradientTape() as tape:
            tape.watch(x)
            outputs = f(x)
        # as TensorFlow's function call: zeros for the function's other inputs, not None
        # (None for a Variable the function does not read)
        got = tape.gradient(outputs[output], sources)
        assert [None if g is None else float(g) for g in got] == want
    assert f.experimental_get_tracing_count() == 1
