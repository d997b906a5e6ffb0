"""Inside gpuflow.function, a value made only from constants (``tf.shape(x)[0]``) is a
constant of the trace, usable as a Python value as it is eagerly (TensorFlow code sizes
tensors with it); a value a gradient flows through stays a recorded step."""

import numpy as np
import pytest

import gpuflow as gf


def test_batch_size_from_tf_shape_sizes_new_tensors():
    @gf.function
    def f(x):
        n = gf.shape(x)[0]
        noise = gf.zeros((int(n), 2))
        return noise + gf.reduce_sum(x)

    for rows in (3, 5, 5):
        x = np.arange(rows * 2, dtype=np.float32).reshape(rows, 2)
        out = f(gf.constant(x))
        assert out.shape == (rows, 2)
        np.testing.assert_allclose(out.numpy(), np.full((rows, 2), x.sum()))
    assert f.experimental_get_tracing_count() == 2  # one trace per batch size


def test_watched_constant_keeps_its_gradient_on_every_call():
    @gf.function
    def g(x):
        c = gf.constant(3.0)
        with gf.GradientTape() as tape:
            tape.watch(c)
            y = c * c
        return tape.gradient(y, c) * x

    for value in (1.0, 2.0, 4.0):
        assert g(gf.constant(value)).numpy() == pytest.approx(6.0 * value)
    assert g.experimental_get_tracing_count() == 1


def test_values_of_the_inputs_stay_unknown_while_tracing():
    @gf.function
    def h(x):
        return int(gf.reduce_sum(x))

    with pytest.raises(gf.errors.OperatorNotAllowedInGraphError):
        h(gf.constant([1.0, 2.0]))


def test_printing_a_traced_tensor_shows_a_symbolic_tensor(capsys):
    @gf.function
    def collatz(x):
        print("Tracing with", x)
        return gf.where(x % 2 == 0, x // 2, 3 * x + 1)

    np.testing.assert_array_equal(collatz(gf.constant([1, 2])).numpy(), [4, 1])
    collatz(gf.constant([3, 4]))
    out = capsys.readouterr().out.splitlines()
    # once per trace; the input named after its argument, as TensorFlow's "x:0"
    assert out == ['Tracing with Tensor("x:0", shape=(2,), dtype=int32)']

    @gf.function
    def pair(data, *, scale):
        print(data[0], data[1], scale)
        return data[0] * scale

    pair((gf.constant(1.0), gf.constant(2.0)), scale=gf.constant(3.0))
    assert capsys.readouterr().out.split("Tensor(")[1:] == [
        '"data:0", shape=(), dtype=float32) ',
        '"data_1:0", shape=(), dtype=float32) ',
        '"scale:0", shape=(), dtype=float32)\n',
    ]
    text = collatz.pretty_printed_concrete_signatures(verbose=False)
    # TF 2.21: one line per trace when not verbose
    assert text.startswith("(x: TensorSpec(") and "int32" in text and "\n" not in text
