"""tf.saved_model of tf.functions that draw from a tf.random.Generator: the generator is
kept by its state Variable, and the loaded function draws from (and advances) that state."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf


class Noisy(tf.Module):
    def __init__(self):
        super().__init__()
        self.gen = tf.random.Generator.from_seed(7)

    @tf.function
    def draw(self):
        return self.gen.normal([3])

    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def jitter(self, x):
        return x + self.gen.uniform(tf.shape(x), maxval=0.5)


def test_loaded_function_continues_the_saved_stream(tmp_path):
    m = Noisy()  # never called: its one (argument-less) signature is traced to be saved
    state = m.gen.state.numpy().copy()
    tf.saved_model.save(m, str(tmp_path))
    np.testing.assert_array_equal(m.gen.state.numpy(), state)  # saving draws nothing
    loaded = tf.saved_model.load(str(tmp_path))
    first, second = loaded.draw().numpy(), loaded.draw().numpy()
    # the same numbers as the original's next draws from the state at saving
    np.testing.assert_array_equal(first, m.draw().numpy())
    np.testing.assert_array_equal(second, m.draw().numpy())
    assert not np.array_equal(first, second)
    # the loaded state variable is the one that advanced
    np.testing.assert_array_equal(loaded.gen._state_var.numpy(), m.gen.state.numpy())
    assert not np.array_equal(loaded.gen._state_var.numpy(), state)


def test_loaded_signature_draws_in_range(tmp_path):
    m = Noisy()
    tf.saved_model.save(m, str(tmp_path), signatures=m.jitter)
    loaded = tf.saved_model.load(str(tmp_path))
    x = tf.constant([1.0, 2.0, 3.0, 4.0])
    out = loaded.signatures["serving_default"](x=x)["output_0"].numpy()
    assert out.shape == (4,)
    assert np.all(out >= x.numpy()) and np.all(out < x.numpy() + 0.5)
    again = loaded.jitter(x).numpy()
    assert not np.array_equal(out, again)


def test_damaged_generator_entry_is_refused():
    from gpuflow.saved_model.saved_objects import rebuild

    with pytest.raises(ValueError, match="random.Generator"):
        rebuild("generator", {"alg": 1, "state": [1, 2, 3]}, {})


def test_get_concrete_function_leaves_the_generator_state():
    gen = tf.random.Generator.from_seed(3)

    @tf.function
    def draw():
        return gen.normal([2])

    before = gen.state.numpy().copy()
    draw.get_concrete_function()
    np.testing.assert_array_equal(gen.state.numpy(), before)
    draw()
    assert not np.array_equal(gen.state.numpy(), before)


def test_function_without_arguments_reports_an_empty_signature(tmp_path):
    class Two(tf.Module):
        @tf.function
        def constant(self):
            return tf.constant([1.0, 2.0])

        @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
        def double(self, x):
            return 2.0 * x

    m = Two()
    assert m.constant.input_signature == ()
    assert m.double.input_signature is not None
    assert tf.function(lambda x: x).input_signature is None
    tf.saved_model.save(m, str(tmp_path))  # both qualify: no default signature, as in TF
    loaded = tf.saved_model.load(str(tmp_path))
    assert len(loaded.signatures) == 0
    np.testing.assert_array_equal(loaded.constant().numpy(), [1.0, 2.0])  # never called
